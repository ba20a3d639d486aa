"""Tests of lecturelib.landscapes: the toy functions, their gradients, and descent on them."""

import numpy as np
import pytest

from lecturelib.landscapes import (
    NONCONVEX_DOMAIN,
    SADDLE_MINIMA,
    descend,
    nonconvex,
    nonconvex_grad,
    saddle,
    saddle_grad,
)

H = 1e-6
DENSE = np.linspace(*NONCONVEX_DOMAIN, 400_001)


def local_minima(values):
    """Indices of strict interior local minima of a sampled curve."""
    return np.flatnonzero((values[1:-1] < values[:-2]) & (values[1:-1] < values[2:])) + 1


def test_nonconvex_has_exactly_two_minima_on_its_domain():
    assert local_minima(nonconvex(DENSE)).size == 2


def test_nonconvex_global_minimum_is_lower_and_distinct():
    idx = local_minima(nonconvex(DENSE))
    values = nonconvex(DENSE[idx])
    assert abs(DENSE[idx[0]] - DENSE[idx[1]]) > 1.0
    assert values.min() < values.max() - 0.3


def test_nonconvex_is_not_convex():
    second_difference = np.diff(nonconvex(DENSE), 2)
    assert np.any(second_difference < 0)


def test_nonconvex_of_a_scalar_is_a_float():
    assert isinstance(nonconvex(0.5), float)
    assert isinstance(nonconvex_grad(0.5), float)


@pytest.mark.parametrize("w", [-1.7, -0.6, -0.41, 0.0, 0.19, 1.0, 1.9])
def test_nonconvex_grad_equals_central_finite_difference(w):
    fd = (nonconvex(w + H) - nonconvex(w - H)) / (2 * H)
    assert nonconvex_grad(w) == pytest.approx(fd, rel=1e-6, abs=1e-8)


def test_nonconvex_grad_vanishes_at_the_sampled_minima():
    for w in DENSE[local_minima(nonconvex(DENSE))]:
        assert abs(nonconvex_grad(w)) < 1e-3


@pytest.mark.parametrize(("w1", "w2"), [(0.3, -0.8), (-1.2, 1.5), (0.0, 2.0), (1.0, 0.1)])
def test_saddle_grad_equals_central_finite_differences(w1, w2):
    g1, g2 = saddle_grad(w1, w2)
    assert g1 == pytest.approx((saddle(w1 + H, w2) - saddle(w1 - H, w2)) / (2 * H), rel=1e-6)
    assert g2 == pytest.approx((saddle(w1, w2 + H) - saddle(w1, w2 - H)) / (2 * H), rel=1e-6)


def test_saddle_gradient_is_zero_at_the_origin():
    assert saddle_grad(0.0, 0.0) == (0.0, 0.0)


def test_origin_is_a_minimum_along_w1_and_a_maximum_along_w2():
    t = np.linspace(-0.5, 0.5, 101)
    t = t[t != 0]
    assert np.all(saddle(t, 0.0) > saddle(0.0, 0.0))
    assert np.all(saddle(0.0, t) < saddle(0.0, 0.0))


def test_saddle_is_bounded_below_by_its_minima():
    w1, w2 = np.meshgrid(np.linspace(-3, 3, 301), np.linspace(-3, 3, 301))
    assert saddle(w1, w2).min() >= -1.0 - 1e-12
    for m in SADDLE_MINIMA:
        assert saddle(*m) == pytest.approx(-1.0, abs=1e-12)
        np.testing.assert_allclose(saddle_grad(*m), (0.0, 0.0), atol=1e-12)


def test_saddle_broadcasts_over_a_meshgrid():
    w1, w2 = np.meshgrid(np.linspace(-1, 1, 7), np.linspace(-2, 2, 5))
    assert saddle(w1, w2).shape == (5, 7)
    assert saddle_grad(w1, w2)[1].shape == (5, 7)


def test_descend_points_have_steps_plus_one_rows():
    path = descend(saddle_grad, (1.0, 1.0), lr=0.1, steps=25)
    assert path.points.shape == (26, 2)
    np.testing.assert_array_equal(path.points[0], [1.0, 1.0])


def test_descend_first_step_is_one_gradient_step():
    path = descend(saddle_grad, (0.5, 0.3), lr=0.1, steps=1)
    expected = np.array([0.5, 0.3]) - 0.1 * np.array([2 * 0.5, -2 * 0.3 + 0.3**3])
    np.testing.assert_allclose(path.points[1], expected, rtol=1e-15)


def test_descend_records_values_when_given_f():
    path = descend(nonconvex_grad, 1.8, lr=0.05, steps=10, f=nonconvex)
    np.testing.assert_allclose(path.values, [nonconvex(p[0]) for p in path.points])


def test_descend_without_f_has_no_values():
    assert descend(nonconvex_grad, 1.8, lr=0.05, steps=3).values is None


def test_gd_on_saddle_stable_manifold_converges_to_the_saddle():
    path = descend(saddle_grad, (1.5, 0.0), lr=0.1, steps=300)
    np.testing.assert_allclose(path.final, (0.0, 0.0), atol=1e-12)
    np.testing.assert_allclose(saddle_grad(*path.final), (0.0, 0.0), atol=1e-12)


def test_gd_stuck_at_saddle_is_not_at_a_minimum():
    path = descend(saddle_grad, (1.5, 0.0), lr=0.1, steps=300, f=saddle)
    assert path.values[-1] == pytest.approx(0.0, abs=1e-12)
    assert saddle(*path.final) > saddle(*SADDLE_MINIMA[0]) + 0.9


def test_gd_started_on_the_saddle_stays_there():
    path = descend(saddle_grad, (0.0, 0.0), lr=0.1, steps=50)
    assert np.all(path.points == 0.0)


def test_noisy_descent_escapes_the_saddle_to_a_minimum():
    path = descend(saddle_grad, (1.5, 0.0), lr=0.05, steps=600, noise=0.05, seed=0)
    assert min(np.linalg.norm(path.final - np.array(m)) for m in SADDLE_MINIMA) < 0.1


def test_noisy_descent_is_reproducible_with_a_seed():
    a = descend(saddle_grad, (1.0, 0.0), lr=0.05, steps=50, noise=0.1, seed=3)
    b = descend(saddle_grad, (1.0, 0.0), lr=0.05, steps=50, noise=0.1, seed=3)
    np.testing.assert_array_equal(a.points, b.points)


def test_gd_from_the_right_ends_in_the_local_minimum():
    path = descend(nonconvex_grad, 1.8, lr=0.05, steps=600)
    w_local = DENSE[DENSE > 0.5][np.argmin(nonconvex(DENSE[DENSE > 0.5]))]
    assert path.final[0] == pytest.approx(w_local, abs=1e-4)
    assert nonconvex(path.final[0]) > nonconvex(DENSE).min() + 0.3


def test_gd_from_the_left_ends_in_the_global_minimum():
    path = descend(nonconvex_grad, -1.5, lr=0.05, steps=600)
    assert path.final[0] == pytest.approx(DENSE[np.argmin(nonconvex(DENSE))], abs=1e-4)


def test_descend_with_too_large_lr_reports_divergence():
    path = descend(nonconvex_grad, 1.8, lr=5.0, steps=2000)
    assert path.diverged
    assert np.all(np.isfinite(path.points))
    assert path.points.shape[0] < 2001


def test_path_repr_is_short():
    text = repr(descend(saddle_grad, (1.0, 0.0), lr=0.1, steps=1000))
    assert len(text) < 150
    assert "steps=1000" in text


def test_nonconvex_string_raises_type_error():
    with pytest.raises(TypeError, match="w must be numeric"):
        nonconvex("1")


def test_saddle_nan_raises_value_error():
    with pytest.raises(ValueError, match="w2 must be finite"):
        saddle(0.0, np.nan)


def test_descend_non_callable_raises_type_error():
    with pytest.raises(TypeError, match="grad_fn must be callable"):
        descend(1.0, 0.0, lr=0.1, steps=1)


def test_descend_zero_lr_raises_value_error():
    with pytest.raises(ValueError, match="lr must be > 0"):
        descend(nonconvex_grad, 0.0, lr=0.0, steps=1)


def test_descend_negative_steps_raises_value_error():
    with pytest.raises(ValueError, match="steps must be >= 0"):
        descend(nonconvex_grad, 0.0, lr=0.1, steps=-1)


def test_descend_negative_noise_raises_value_error():
    with pytest.raises(ValueError, match="noise must be >= 0"):
        descend(nonconvex_grad, 0.0, lr=0.1, steps=1, noise=-0.1)


def test_descend_two_dimensional_start_raises_value_error():
    with pytest.raises(ValueError, match="start must be"):
        descend(nonconvex_grad, np.zeros((2, 2)), lr=0.1, steps=1)


def test_descend_nan_start_raises_value_error():
    with pytest.raises(ValueError, match="start must be finite"):
        descend(nonconvex_grad, np.nan, lr=0.1, steps=1)


def test_descend_gradient_of_wrong_size_raises_value_error():
    with pytest.raises(ValueError, match="grad_fn must return 2"):
        descend(lambda a, b: 1.0, (0.0, 0.0), lr=0.1, steps=1)


def test_descend_non_callable_f_raises_type_error():
    with pytest.raises(TypeError, match="f must be callable"):
        descend(nonconvex_grad, 0.0, lr=0.1, steps=1, f=2.0)


# --- extreme but finite inputs ---


def test_nonconvex_far_out_is_finite_or_refused_naming_w():
    # f'(w) = w − 1 far from the well (its exp underflows to 0): finite
    assert nonconvex_grad(1e200) == 1e200
    assert nonconvex(1e100) == pytest.approx(0.5 * (1e100 - 1.0) ** 2, rel=1e-15)
    with pytest.raises(ValueError, match=r"w too large: nonconvex\(w\) overflows float64"):
        nonconvex(1e200)  # ½ w² = 5e399


def test_saddle_overflow_is_refused_naming_w1_and_w2():
    with pytest.raises(ValueError, match=r"w1 or w2 too large: saddle\(w1, w2\) overflows"):
        saddle(1e200, 1.0)
    with pytest.raises(
        ValueError, match=r"saddle_grad\(w1, w2\) overflows float64 at w1=1, w2=1e\+1"
    ):
        saddle_grad([1.0, 1.0], [1.0, 1e110])  # w₂³ = 1e330


def test_descend_that_blows_up_reports_divergence_with_finite_values():
    # lr = 2 on the saddle: w₂ ← w₂ − 2(w₂³ − 2w₂) grows without bound
    path = descend(saddle_grad, [0.0, 1.0], lr=2.0, steps=50, f=saddle)
    assert path.diverged
    assert np.all(np.isfinite(path.points))
    assert np.all(np.isfinite(path.values))
    assert path.values.shape == (path.points.shape[0],)
    w1, w2 = path.points[-1]
    assert path.values[-1] == saddle(w1, w2)


def test_descend_with_a_non_finite_gradient_at_start_is_an_error():
    with pytest.raises(ValueError, match=r"grad_fn must be finite at start, got \[nan\]"):
        descend(lambda w: float("nan"), 1.0, lr=0.1, steps=3)


def test_descend_with_a_non_finite_f_is_an_error():
    with pytest.raises(ValueError, match="f must be finite at start, got nan"):
        descend(nonconvex_grad, 1.0, lr=0.1, steps=3, f=lambda w: float("nan"))


def test_descend_with_a_gradient_that_is_not_a_number_names_grad_fn():
    with pytest.raises(TypeError, match="grad_fn\\(w\\) must be numeric"):
        descend(lambda w: "1.0", 1.0, lr=0.1, steps=3)


SEED_KINDS = "seed must be an integer >= 0, a numpy.random.Generator or None"


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "seed must be >= 0, got -1"),
        (1.5, TypeError, f"{SEED_KINDS}, not float"),
        (True, TypeError, f"{SEED_KINDS}, not bool"),
    ],
)
def test_descend_bad_seed_is_refused_naming_seed(seed, error, message):
    with pytest.raises(error, match=message):
        descend(nonconvex_grad, 1.0, lr=0.1, steps=3, noise=1.0, seed=seed)


def test_descend_accepts_a_generator_as_seed():
    a = descend(nonconvex_grad, 1.0, lr=0.1, steps=5, noise=1.0, seed=np.random.default_rng(3))
    b = descend(nonconvex_grad, 1.0, lr=0.1, steps=5, noise=1.0, seed=3)
    np.testing.assert_array_equal(a.points, b.points)
