"""Tests of lecturelib.model against direct formulas, finite differences and least squares."""

import numpy as np
import pytest

from lecturelib.model import cost, forward, gradient, loss

X = np.array([1.0, 2.0, 3.0])
Y = np.array([2.0, 4.0, 6.0])
Y_NOTES = np.array([2.02, 3.98, 6.01])
RNG_X = np.random.default_rng(7).uniform(-3.0, 5.0, size=50)
RNG_Y = 1.5 * RNG_X - 0.7 + np.random.default_rng(8).standard_normal(50)


def direct_cost(x, y, w, b=0.0):
    """The MSE written as in the lecture: mean over samples of (x*w + b - y)**2."""
    return sum((xi * w + b - yi) ** 2 for xi, yi in zip(x, y, strict=True)) / len(x)


def test_forward_is_x_times_w_plus_b():
    np.testing.assert_array_equal(forward(X, 2.0, 0.5), [2.5, 4.5, 6.5])


def test_forward_of_scalars_is_a_float():
    assert isinstance(forward(4.0, 2.0), float)


def test_loss_is_per_sample_square():
    np.testing.assert_allclose(loss(X, Y_NOTES, 2.0), [(2 - 2.02) ** 2, (4 - 3.98) ** 2, 0.01**2])


@pytest.mark.parametrize("w", [-1.3, 0.0, 1.0, 2.0, 3.7])
def test_cost_equals_direct_formula(w):
    assert cost(X, Y_NOTES, w) == pytest.approx(direct_cost(X, Y_NOTES, w), rel=1e-13, abs=1e-15)


def test_cost_with_bias_equals_direct_formula():
    expected = direct_cost(RNG_X, RNG_Y, 0.8, -1.1)
    assert cost(RNG_X, RNG_Y, 0.8, -1.1) == pytest.approx(expected, rel=1e-12)


def test_cost_on_meshgrid_equals_direct_formula():
    w, b = np.meshgrid(np.linspace(0.0, 4.0, 9), np.linspace(-2.0, 2.0, 5))
    expected = np.array(
        [
            [direct_cost(RNG_X, RNG_Y, wv, bv) for wv, bv in zip(wr, br, strict=True)]
            for wr, br in zip(w, b, strict=True)
        ]
    )
    got = cost(RNG_X, RNG_Y, w, b)
    assert got.shape == (5, 9)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_cost_of_scalars_is_a_float():
    assert isinstance(cost(X, Y, 1.0), float)


@pytest.mark.parametrize(("w", "expected"), [(0.0, 56 / 3), (1.0, 14 / 3), (2.0, 0.0)])
def test_course_cost_is_fourteen_thirds_times_w_minus_two_squared(w, expected):
    assert cost(X, Y, w) == pytest.approx(14 / 3 * (w - 2) ** 2, abs=1e-12)
    assert cost(X, Y, w) == pytest.approx(expected, abs=1e-12)


def test_course_cost_rounded_values_match_the_notes():
    assert [round(cost(X, Y, w), 3) for w in (0.0, 1.0, 2.0)] == [18.667, 4.667, 0.0]


@pytest.mark.parametrize("w", [-0.5, 1.0, 2.3])
def test_gradient_equals_central_finite_difference(w):
    h = 1e-6
    fd = (direct_cost(RNG_X, RNG_Y, w + h) - direct_cost(RNG_X, RNG_Y, w - h)) / (2 * h)
    assert gradient(RNG_X, RNG_Y, w) == pytest.approx(fd, rel=1e-6)


def test_gradient_with_bias_equals_central_finite_differences():
    w, b, h = 0.4, 0.9, 1e-6
    fd_w = (direct_cost(RNG_X, RNG_Y, w + h, b) - direct_cost(RNG_X, RNG_Y, w - h, b)) / (2 * h)
    fd_b = (direct_cost(RNG_X, RNG_Y, w, b + h) - direct_cost(RNG_X, RNG_Y, w, b - h)) / (2 * h)
    d_w, d_b = gradient(RNG_X, RNG_Y, w, b)
    assert d_w == pytest.approx(fd_w, rel=1e-6)
    assert d_b == pytest.approx(fd_b, rel=1e-6)


def test_gradient_equals_course_formula():
    w = 1.0
    expected = np.mean(2 * X * (X * w - Y))
    assert gradient(X, Y, w) == pytest.approx(expected, rel=1e-14)


def test_gradient_broadcasts_over_a_grid():
    w = np.linspace(0.0, 4.0, 7)
    expected = [np.mean(2 * X * (X * wi - Y_NOTES)) for wi in w]
    np.testing.assert_allclose(gradient(X, Y_NOTES, w), expected, rtol=1e-12, atol=1e-13)


def test_cost_minimum_is_the_least_squares_solution_with_bias():
    design = np.column_stack([RNG_X, np.ones_like(RNG_X)])
    (w_ls, b_ls), *_ = np.linalg.lstsq(design, RNG_Y, rcond=None)
    d_w, d_b = gradient(RNG_X, RNG_Y, w_ls, b_ls)
    assert abs(d_w) < 1e-10
    assert abs(d_b) < 1e-10
    best = cost(RNG_X, RNG_Y, w_ls, b_ls)
    for dw, db in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert cost(RNG_X, RNG_Y, w_ls + dw, b_ls + db) > best


def test_cost_minimum_is_the_least_squares_solution_without_bias():
    (w_ls,), *_ = np.linalg.lstsq(X[:, None], Y_NOTES, rcond=None)
    assert w_ls == pytest.approx(28.01 / 14, rel=1e-12)  # Σxy / Σx²
    assert gradient(X, Y_NOTES, w_ls) == pytest.approx(0.0, abs=1e-12)


def test_cost_at_least_squares_optimum_equals_mean_squared_residual():
    design = np.column_stack([RNG_X, np.ones_like(RNG_X)])
    (w_ls, b_ls), residuals, *_ = np.linalg.lstsq(design, RNG_Y, rcond=None)
    assert cost(RNG_X, RNG_Y, w_ls, b_ls) == pytest.approx(residuals[0] / RNG_X.size, rel=1e-10)


def test_cost_with_constant_x_is_accurate():
    x = np.full(4, 2.0)
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert cost(x, y, 1.0, 0.5) == pytest.approx(direct_cost(x, y, 1.0, 0.5), rel=1e-14)


# --- bad input: each case names the argument ---------------------------------------------


def test_mismatched_lengths_raise_value_error():
    with pytest.raises(ValueError, match="same length"):
        cost([1.0, 2.0], [1.0, 2.0, 3.0], 1.0)


def test_empty_x_raises_value_error():
    with pytest.raises(ValueError, match="x must not be empty"):
        cost([], [], 1.0)


def test_nan_in_x_raises_value_error():
    with pytest.raises(ValueError, match="x must be finite"):
        cost([1.0, np.nan, 3.0], Y, 1.0)


def test_inf_in_y_raises_value_error():
    with pytest.raises(ValueError, match="y must be finite"):
        cost(X, [2.0, np.inf, 6.0], 1.0)


def test_nan_in_y_raises_value_error():
    with pytest.raises(ValueError, match="y must be finite"):
        gradient(X, [np.nan, 4.0, 6.0], 1.0)


def test_two_dimensional_x_raises_value_error():
    with pytest.raises(ValueError, match="x must be 1-D"):
        cost(X[:, None], Y, 1.0)


def test_string_x_raises_type_error():
    with pytest.raises(TypeError, match="x must be numeric"):
        cost("123", Y, 1.0)


def test_string_w_raises_type_error():
    with pytest.raises(TypeError, match="w must be numeric"):
        cost(X, Y, "2.0")


def test_nan_w_raises_value_error():
    with pytest.raises(ValueError, match="w must be finite"):
        cost(X, Y, np.nan)


def test_nan_b_raises_value_error():
    with pytest.raises(ValueError, match="b must be finite"):
        gradient(X, Y, 1.0, np.nan)


def test_boolean_x_raises_type_error():
    with pytest.raises(TypeError, match="x must hold real numbers"):
        cost([True, False, True], Y, 1.0)
