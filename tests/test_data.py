"""Tests of lecturelib.data: the course constants, synthetic data and splits."""

import numpy as np
import pytest

from lecturelib.data import (
    X_DATA,
    Y_DATA,
    Y_DATA_NOTES,
    make_linear_data,
    train_dev_test_split,
)


def test_course_data_is_y_equals_two_x():
    assert X_DATA == (1.0, 2.0, 3.0)
    assert tuple(2 * x for x in X_DATA) == Y_DATA


def test_notes_data_are_the_noisy_scores():
    assert Y_DATA_NOTES == (2.02, 3.98, 6.01)


def test_make_linear_data_has_requested_length_and_dtype():
    x, y = make_linear_data(17, seed=0)
    assert x.shape == y.shape == (17,)
    assert x.dtype == y.dtype == np.float64


def test_make_linear_data_is_reproducible_with_a_seed():
    a = make_linear_data(10, seed=42)
    b = make_linear_data(10, seed=42)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_make_linear_data_differs_between_seeds():
    assert not np.array_equal(make_linear_data(10, seed=1)[0], make_linear_data(10, seed=2)[0])


def test_make_linear_data_accepts_a_generator():
    x1, _ = make_linear_data(5, seed=np.random.default_rng(3))
    x2, _ = make_linear_data(5, seed=3)
    np.testing.assert_array_equal(x1, x2)


def test_make_linear_data_without_noise_lies_on_the_line():
    x, y = make_linear_data(20, w=-1.5, b=0.25, noise=0.0, seed=0)
    np.testing.assert_allclose(y, -1.5 * x + 0.25, rtol=0, atol=1e-15)


def test_make_linear_data_respects_x_range():
    x, _ = make_linear_data(500, x_range=(-1.0, 1.0), seed=0)
    assert x.min() >= -1.0
    assert x.max() < 1.0


def test_make_linear_data_noise_has_requested_spread():
    x, y = make_linear_data(20_000, noise=0.5, seed=0)
    residual = y - 2.0 * x
    assert np.std(residual) == pytest.approx(0.5, rel=0.03)
    assert abs(np.mean(residual)) < 0.02


def test_make_linear_data_least_squares_recovers_the_line():
    x, y = make_linear_data(5_000, w=3.0, b=-1.0, noise=0.1, seed=1)
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    assert w == pytest.approx(3.0, abs=0.01)
    assert b == pytest.approx(-1.0, abs=0.02)


def test_zero_n_raises_value_error():
    with pytest.raises(ValueError, match="n must be >= 1"):
        make_linear_data(0, seed=0)


def test_float_n_raises_type_error():
    with pytest.raises(TypeError, match="n must be an integer"):
        make_linear_data(3.0, seed=0)


def test_negative_noise_raises_value_error():
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_linear_data(3, noise=-1.0, seed=0)


def test_string_w_raises_type_error():
    with pytest.raises(TypeError, match="w must be a real number"):
        make_linear_data(3, w="2", seed=0)


def test_nan_b_raises_value_error():
    with pytest.raises(ValueError, match="b must be finite"):
        make_linear_data(3, b=np.nan, seed=0)


def test_reversed_x_range_raises_value_error():
    with pytest.raises(ValueError, match="x_range must satisfy"):
        make_linear_data(3, x_range=(4.0, 0.0), seed=0)


def test_x_range_of_wrong_length_raises_value_error():
    with pytest.raises(ValueError, match="x_range must be a pair"):
        make_linear_data(3, x_range=(0.0, 1.0, 2.0), seed=0)


# --- splits -----------------------------------------------------------------------------


def test_split_is_a_partition_of_all_indices():
    s = train_dev_test_split(50, dev=0.2, test=0.1, seed=0)
    together = np.concatenate([s.train, s.dev, s.test])
    np.testing.assert_array_equal(np.sort(together), np.arange(50))


def test_split_sizes_are_rounded_fractions():
    s = train_dev_test_split(50, dev=0.2, test=0.1, seed=0)
    assert (s.train.size, s.dev.size, s.test.size) == (35, 10, 5)


def test_split_default_has_no_test_set():
    s = train_dev_test_split(10, seed=0)
    assert (s.train.size, s.dev.size, s.test.size) == (8, 2, 0)


def test_split_is_reproducible_with_a_seed():
    a = train_dev_test_split(30, seed=5)
    b = train_dev_test_split(30, seed=5)
    np.testing.assert_array_equal(a.dev, b.dev)


def test_split_is_shuffled():
    s = train_dev_test_split(100, dev=0.0, seed=0)
    assert not np.array_equal(s.train, np.arange(100))


def test_split_repr_shows_sizes_not_indices():
    assert repr(train_dev_test_split(10, seed=0)) == "Split(train=8, dev=2, test=0)"


def test_dev_of_one_raises_value_error():
    with pytest.raises(ValueError, match="dev must be in"):
        train_dev_test_split(10, dev=1.0, seed=0)


def test_negative_test_raises_value_error():
    with pytest.raises(ValueError, match="test must be in"):
        train_dev_test_split(10, test=-0.1, seed=0)


def test_split_leaving_no_training_data_raises_value_error():
    with pytest.raises(ValueError, match="dev and test leave no training samples"):
        train_dev_test_split(10, dev=0.5, test=0.5 - 1e-9, seed=0)


def test_split_of_zero_samples_raises_value_error():
    with pytest.raises(ValueError, match="n must be >= 1"):
        train_dev_test_split(0, seed=0)


# --- extreme but finite inputs, seeds ---


def test_make_linear_data_refuses_y_beyond_float64_naming_w():
    with pytest.raises(ValueError, match="w, b, noise or x_range too large: y = w·x"):
        make_linear_data(3, w=1e308, seed=0)


def test_make_linear_data_over_the_whole_float64_range():
    x, y = make_linear_data(100, w=0.5, noise=0.0, x_range=(-1.7e308, 1.7e308), seed=0)
    assert np.all(np.isfinite(x))
    assert np.all((x >= -1.7e308) & (x <= 1.7e308))
    np.testing.assert_array_equal(y, 0.5 * x)
    assert x.min() < -1e307
    assert x.max() > 1e307


def test_make_linear_data_where_only_the_sum_fits_in_float64():
    # w·x ≈ 1e308·[1, 2) may overflow, but w·x + b with b = -1.5e308 does not
    x, y = make_linear_data(50, w=1e308, b=-1.5e308, noise=0.0, x_range=(1.0, 2.0), seed=0)
    expected = 4.0 * (0.25e308 * x - 0.375e308)
    np.testing.assert_allclose(y, expected, rtol=1e-15)


SEED_KINDS = "seed must be an integer >= 0, a numpy.random.Generator or None"


@pytest.mark.parametrize("function", [make_linear_data, train_dev_test_split])
@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "seed must be >= 0, got -1"),
        (1.5, TypeError, f"{SEED_KINDS}, not float"),
        (True, TypeError, f"{SEED_KINDS}, not bool"),
        ("1", TypeError, f"{SEED_KINDS}, not str"),
    ],
)
def test_bad_seed_is_refused_naming_seed(function, seed, error, message):
    with pytest.raises(error, match=message):
        function(10, seed=seed)


@pytest.mark.parametrize("function", [make_linear_data, train_dev_test_split])
def test_n_beyond_any_array_is_refused_naming_n(function):
    with pytest.raises(ValueError, match=r"n=4611686018427387904 .* more than an array can hold"):
        function(2**62)
