"""Tests of lecturelib.model against direct formulas, finite differences and least squares."""

from fractions import Fraction

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


# --- extreme values: finite inputs give the finite answer, checked in exact arithmetic -----------


def _exact(values):
    return [Fraction(float(v)) for v in values]


def exact_terms(x, y, w, b):
    """Exact residuals r_n = x_n w + b - y_n and their scale sum(|x_n w| + |b| + |y_n|)."""
    fw, fb = Fraction(w), Fraction(b)
    xs, ys = _exact(x), _exact(y)
    r = [xi * fw + fb - yi for xi, yi in zip(xs, ys, strict=True)]
    scale = [abs(xi * fw) + abs(fb) + abs(yi) for xi, yi in zip(xs, ys, strict=True)]
    return xs, r, scale


EXTREME_CASES = [
    # (x, y, w, b): huge x, tiny x, subnormal x, huge y, mixed scales, the course data
    ([1e200, 2e200], [1.0, 2.0], 0.0, 0.0),
    ([1e200, 2e200], [1.0, 2.0], 3e-200, -1.0),
    ([1e-300, 3e-300], [2e-300, 1e-300], 1e300, 0.5),
    ([1e300, -1e300, 5e299], [1e-300, 0.0, 2.0], 1e-300, 0.5),
    ([5e-324, 1e-323, 2e-323], [1.0, 2.0, 3.0], 1e300, 0.0),
    ([5e-324, 1e-323], [1.0, 2.0], 0.0, 0.0),
    ([1.0, 2.0], [1e154, -1e154], 0.0, 0.0),
    ([1e-160, 3e-160, 2e-160], [1e-170, 0.0, -1e-170], 1e-5, 0.0),
    ([1.0, 1e100, -1e-100], [3.0, 1e100, 2.0], 1.0, 0.0),
    ([9.3e33, -2e20], [-3.4e-311, 1e-310], 0.0, -2.6e-310),  # w = 0 with huge x
    ([0.0, -0.0], [3e-147, -1e-147], 1.5e165, 0.0),  # x all zero, huge w
    ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0, 0.0),
]


@pytest.mark.parametrize(("x", "y", "w", "b"), EXTREME_CASES)
def test_extreme_values_match_exact_arithmetic(x, y, w, b):
    """cost, gradient, loss and forward are finite and accurate for any finite input whose
    answer is a float64 (no warning: pytest turns RuntimeWarnings into errors)."""
    n = len(x)
    xs, r, scale = exact_terms(x, y, w, b)
    eps = 1e-13
    # cost: mean of r², within eps of the scale of its terms (condition of x w + b - y)
    exact_cost = sum(ri * ri for ri in r) / n
    cost_tol = eps * float(sum(s * s for s in scale) / n) + 1e-320
    assert abs(cost(x, y, w, b) - float(exact_cost)) <= cost_tol
    # gradient: 2 mean(x r) and 2 mean(r)
    d_w, d_b = gradient(x, y, w, b)
    exact_dw = 2 * sum(xi * ri for xi, ri in zip(xs, r, strict=True)) / n
    exact_db = 2 * sum(r) / n
    dw_tol = eps * float(2 * sum(abs(xi) * s for xi, s in zip(xs, scale, strict=True)) / n)
    assert abs(d_w - float(exact_dw)) <= dw_tol + 1e-320
    assert abs(d_b - float(exact_db)) <= eps * float(2 * sum(scale) / n) + 1e-320
    # loss and forward, per sample
    exact_loss = [float(ri * ri) for ri in r]
    got_loss = loss(x, y, w, b)
    for g, e, s in zip(got_loss, exact_loss, scale, strict=True):
        assert abs(g - e) <= eps * float(s * s) + 1e-320
    exact_forward = [float(xi * Fraction(w) + Fraction(b)) for xi in xs]
    np.testing.assert_allclose(forward(x, w, b), exact_forward, rtol=1e-15, atol=1e-320)


def test_cost_of_huge_x_is_the_exact_finite_answer():
    # mean((1e200·0 − [1, 2])²) = 2.5: the moments are scaled, nothing overflows
    assert cost([1e200, 2e200], [1, 2], 0.0) == 2.5
    assert gradient([1e200, 2e200], [1, 2], 0.0) == pytest.approx(-5e200, rel=1e-15)


def test_cost_of_subnormal_data_is_exact():
    assert cost([5e-324, 1e-323], [1.0, 2.0], 0.0) == 2.5
    assert gradient([5e-324, 1e-323], [1.0, 2.0], 0.0) == -2.5e-323


def test_intermediate_overflow_is_not_an_overflow():
    # x·w overflows, x·w + b − y does not
    assert forward(1e308, 2.0, -1.5e308) == pytest.approx(0.5e308, rel=1e-15)
    assert loss([1e308], [1e308], 1.5, -0.5e308).tolist() == [0.0]
    # 2e308 − 1e308 − 1e308 = 0 in the cost's mean residual
    assert cost([1e308, 1e308], [1e308, 1e308], 2.0, -1e308) == 0.0


def test_cost_beyond_float64_raises_naming_the_arguments():
    with pytest.raises(
        ValueError, match=r"cost overflows float64.*w=0, b=0.*rescale the data x, y"
    ):
        cost([1.0, 2.0], [1e200, 0.0], 0.0)
    with pytest.raises(ValueError, match=r"cost overflows float64.*w=1e\+200"):
        cost(X, Y, np.array([1.0, 1e200]))


def test_gradient_beyond_float64_raises():
    with pytest.raises(ValueError, match=r"gradient overflows float64"):
        gradient([1e300, 1e300], [0.0, 0.0], 1e300)


def test_forward_and_loss_beyond_float64_raise():
    with pytest.raises(ValueError, match=r"forward overflows float64.*x=1e\+308, w=2"):
        forward(1e308, 2.0)
    with pytest.raises(ValueError, match=r"loss overflows float64.*x=1e\+200, y=0"):
        loss([1e200], [0.0], 1.0)
