"""Tests of lecturelib.stability: the learning-rate thresholds, checked by simulation."""

import numpy as np
import pytest

from lecturelib.stability import (
    batch_second_moments,
    gd_lr_threshold,
    sgd_epoch_factor,
    sgd_lr_threshold,
)

X = [1.0, 2.0, 3.0]
Y = [2.0, 4.0, 6.0]


def run_gd(x, y, lr, epochs, w=1.0):
    """The lecture's gradient descent, as a plain loop; returns |w - w*| after training."""
    w_star = sum(a * b for a, b in zip(x, y, strict=True)) / sum(a * a for a in x)
    for _ in range(epochs):
        grad = sum(2 * a * (a * w - b) for a, b in zip(x, y, strict=True)) / len(x)
        w -= lr * grad
    return abs(w - w_star)


def run_sgd(x, y, lr, epochs, batch_size=1, w=1.0):
    """In-order mini-batch SGD as a plain loop; returns |w - w*| after training."""
    w_star = sum(a * b for a, b in zip(x, y, strict=True)) / sum(a * a for a in x)
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            grad = sum(2 * a * (a * w - b) for a, b in zip(xb, yb, strict=True)) / len(xb)
            w -= lr * grad
    return abs(w - w_star)


def epoch_change(x, y, lr, epochs, batch_size):
    """How much w moves in the last of ``epochs`` epochs of in-order mini-batch SGD."""
    w, prev = 1.0, 1.0
    for _ in range(epochs):
        prev = w
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            w -= lr * sum(2 * a * (a * w - b) for a, b in zip(xb, yb, strict=True)) / len(xb)
    return abs(w - prev)


def test_gd_threshold_for_course_data_is_three_fourteenths():
    assert gd_lr_threshold(X) == pytest.approx(3 / 14, rel=1e-15)


def test_gd_just_below_threshold_converges():
    assert run_gd(X, Y, 0.99 * gd_lr_threshold(X), 2000) < 1e-6


def test_gd_just_above_threshold_diverges():
    assert run_gd(X, Y, 1.01 * gd_lr_threshold(X), 2000) > 1e3


def test_gd_at_threshold_oscillates_with_constant_amplitude():
    assert run_gd(X, Y, 3 / 14, 101) == pytest.approx(1.0, rel=1e-9)


def test_sgd_threshold_for_course_data_is_about_0_204():
    assert sgd_lr_threshold(X) == pytest.approx(0.204, abs=5e-4)


def test_sgd_threshold_solves_the_epoch_product_equation():
    eta = sgd_lr_threshold(X)
    product = (1 - 2 * eta * 1) * (1 - 2 * eta * 4) * (1 - 2 * eta * 9)
    assert abs(product) == pytest.approx(1.0, abs=1e-12)


def test_sgd_threshold_is_the_first_crossing():
    eta = sgd_lr_threshold(X)
    below = np.linspace(1e-6, eta, 10_000, endpoint=False)
    product = (1 - 2 * below) * (1 - 8 * below) * (1 - 18 * below)
    assert np.all(np.abs(product) < 1.0)


def test_sgd_just_below_threshold_converges():
    assert run_sgd(X, Y, 0.99 * sgd_lr_threshold(X), 3000) < 1e-3


def test_sgd_just_above_threshold_diverges():
    assert run_sgd(X, Y, 1.01 * sgd_lr_threshold(X), 3000) > 1e3


def test_sgd_threshold_is_below_gd_threshold_for_course_data():
    assert sgd_lr_threshold(X) < gd_lr_threshold(X)


def test_full_batch_sgd_threshold_equals_gd_threshold():
    x = np.random.default_rng(0).uniform(-2, 3, 17)
    assert sgd_lr_threshold(x, batch_size=17) == pytest.approx(gd_lr_threshold(x), rel=1e-12)


def test_minibatch_threshold_separates_convergence_from_divergence():
    x = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    y = [2 * v + 0.1 * (-1) ** i for i, v in enumerate(x)]  # not an exact fit
    eta = sgd_lr_threshold(x, batch_size=3)
    # without an exact fit SGD settles on a fixed point of the epoch map (not w*): w stops moving
    assert epoch_change(x, y, 0.98 * eta, 3000, batch_size=3) < 1e-9
    assert epoch_change(x, y, 1.02 * eta, 3000, batch_size=3) > 1e3


def test_batch_second_moments_follow_consecutive_batches():
    np.testing.assert_allclose(batch_second_moments([1, 2, 3, 4, 5], 2), [2.5, 12.5, 25.0])


def test_sgd_epoch_factor_is_the_product_of_per_batch_factors():
    lr = np.array([0.05, 0.1, 0.3])
    expected = (1 - 2 * lr) * (1 - 8 * lr) * (1 - 18 * lr)
    np.testing.assert_allclose(sgd_epoch_factor(X, lr), expected, rtol=1e-14)


def test_sgd_epoch_factor_equals_simulated_error_ratio():
    lr = 0.07
    ratio = run_sgd(X, Y, lr, 1, w=1.5) / run_sgd(X, Y, lr, 0, w=1.5)
    assert ratio == pytest.approx(abs(sgd_epoch_factor(X, lr)), rel=1e-12)


def test_thresholds_ignore_zero_samples_batches():
    assert sgd_lr_threshold([0.0, 1.0, 2.0]) == pytest.approx(
        sgd_lr_threshold([1.0, 2.0]), rel=1e-12
    )


def test_empty_x_raises_value_error():
    with pytest.raises(ValueError, match="x must not be empty"):
        gd_lr_threshold([])


def test_all_zero_x_raises_value_error():
    with pytest.raises(ValueError, match="x must not be all zeros"):
        sgd_lr_threshold([0.0, 0.0])


def test_nan_x_raises_value_error():
    with pytest.raises(ValueError, match="x must be finite"):
        sgd_lr_threshold([1.0, np.nan])


def test_two_dimensional_x_raises_value_error():
    with pytest.raises(ValueError, match="x must be 1-D"):
        gd_lr_threshold(np.ones((2, 2)))


def test_string_x_raises_type_error():
    with pytest.raises(TypeError, match="x must be numeric"):
        gd_lr_threshold("123")


def test_zero_batch_size_raises_value_error():
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        sgd_lr_threshold(X, batch_size=0)


def test_batch_size_larger_than_data_raises_value_error():
    with pytest.raises(ValueError, match="batch_size must be <= 3"):
        sgd_lr_threshold(X, batch_size=4)


def test_float_batch_size_raises_type_error():
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        sgd_lr_threshold(X, batch_size=1.0)


def test_nan_lr_raises_value_error():
    with pytest.raises(ValueError, match="lr must be finite"):
        sgd_epoch_factor(X, np.nan)
