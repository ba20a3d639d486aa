"""Tests of lecturelib.stability: the learning-rate thresholds, checked by simulation."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from numpy.polynomial import polynomial as P

from lecturelib import make_linear_data, sgd
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


# --- the first crossing on generated data sets, against an independent brute-force check ---


def generated_x(seed):
    """A data set whose magnitudes span decades: signs, duplicates and zeros (whole batches too)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 13))
    spread, centre = rng.uniform(1.0, 8.0), rng.uniform(-4.0, 4.0)
    x = rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(centre - spread, centre + spread, n)
    if rng.random() < 0.4:  # a duplicate, possibly with the other sign
        x[rng.integers(n)] = rng.choice([-1.0, 1.0]) * x[rng.integers(n)]
    if rng.random() < 0.3 and n >= 4:  # a whole batch of zeros for batch_size 2
        k = 2 * int(rng.integers(0, n // 2))
        x[k : k + 2] = 0.0
    if rng.random() < 0.3:
        x[rng.integers(n)] = 0.0
    if not np.any(x):
        x[0] = 1.0
    return x


def plain_moments(x, batch_size):
    """The batch means of x² by the definition, in plain Python."""
    x = [float(v) for v in x]
    return [
        sum(v * v for v in x[i : i + batch_size]) / len(x[i : i + batch_size])
        for i in range(0, len(x), batch_size)
    ]


def abs_epoch_product(eta, moments):
    """|P(η)| = |∏ (1 − 2 η m_k)| in float64 for every η of an array."""
    eta = np.asarray(eta, dtype=float)
    return np.abs(np.prod(1.0 - 2.0 * np.multiply.outer(eta, moments), axis=-1))


def exact_abs_epoch_product(eta, moments):
    """|P(η)| in exact rational arithmetic at the float η."""
    e, p = Fraction(eta), Fraction(1)
    for m in moments:
        p *= 1 - 2 * e * Fraction(m)
    return abs(p)


def brute_force_scan(answer, moments):
    """Learning rates in (0, answer): a dense grid, a grid in every gap between the roots
    1/(2 m_k) below the answer, and a finer grid around each gap's largest |P|."""
    m = np.array([v for v in moments if v > 0.0])
    roots = np.unique(0.5 / m)
    edges = np.concatenate([[0.0], roots[roots < answer], [answer]])
    points = [np.linspace(0.0, answer, 20_001)]
    for a, b in itertools.pairwise(edges):
        grid = np.linspace(a, b, 401)
        k = int(np.argmax(abs_epoch_product(grid[1:-1], m))) + 1
        points += [grid, np.linspace(grid[k - 1], grid[k + 1], 401)]
    eta = np.concatenate(points)
    return eta[(eta > 0.0) & (eta < answer * (1.0 - 1e-9))], m


GENERATED = [(seed, batch_size) for seed in range(120) for batch_size in (1, 2)]


@pytest.mark.parametrize(("seed", "batch_size"), GENERATED)
def test_sgd_threshold_is_the_first_crossing_on_generated_data(seed, batch_size):
    x = generated_x(seed)
    moments = plain_moments(x, batch_size)
    eta = sgd_lr_threshold(x, batch_size=batch_size)
    below, m = brute_force_scan(eta, moments)
    assert np.all(abs_epoch_product(below, m) < 1.0), "a crossing below the answer"
    assert exact_abs_epoch_product(eta * (1.0 - 1e-12), moments) < 1
    t = 2.0 * eta * m
    sensitivity = float(np.sum(np.abs(t / (t - 1.0))))  # |d log|P| / d log η|
    gap = abs(float(exact_abs_epoch_product(eta, moments)) - 1.0)
    assert gap <= 1e-14 * max(1.0, sensitivity)


def smallest_unit_crossing(x):
    """Independent reference: the smallest positive real root of P(η) = ±1 (numpy's roots)."""
    p = np.array([1.0])
    for v in x:
        p = P.polymul(p, [1.0, -2.0 * float(v) ** 2])
    minus_one = p.copy()
    minus_one[0] += 1.0  # P(η) + 1
    roots = np.concatenate([P.polyroots(p[1:]), P.polyroots(minus_one)])  # P − 1 = η (p1 + …)
    real = roots[np.abs(roots.imag) <= 1e-9 * np.abs(roots)].real
    return float(np.min(real[real > 0.0]))


@pytest.mark.parametrize(
    ("x", "approx"),
    [([0.01, 10.0, 50.0], 0.000418), (make_linear_data(10, seed=25)[0], 0.143)],
)
def test_sgd_threshold_of_the_issue_examples(x, approx):
    eta = sgd_lr_threshold(x)
    assert eta == pytest.approx(approx, rel=2e-3)
    assert eta == pytest.approx(smallest_unit_crossing(x), rel=1e-6)


def test_sgd_threshold_of_moments_spanning_decades_matches_polynomial_roots():
    x = [0.01, 10.0, 50.0]
    assert sgd_lr_threshold(x) == pytest.approx(smallest_unit_crossing(x), rel=1e-9)


def test_full_batch_sgd_threshold_equals_gd_threshold_on_generated_data():
    for seed in range(30):
        x = generated_x(seed)
        assert sgd_lr_threshold(x, batch_size=x.size) == gd_lr_threshold(x)


def converges_below_and_diverges_above(x, batch_size):
    """ll.sgd on y = 2x, where one epoch multiplies w − w* by exactly P(η), from cost 1."""
    x = np.asarray(x, dtype=float)
    eta = sgd_lr_threshold(x, batch_size=batch_size)
    growth = float(abs_epoch_product(1.01 * eta, plain_moments(x, batch_size)))
    assert growth > 1.0
    epochs = math.ceil(math.log(1e8) / math.log(growth))  # cost × 1e16 if |P(1.01 η)| = growth
    w0 = 2.0 + 1.0 / float(np.sqrt(np.mean(x * x)))
    for fraction in (0.5, 0.75, 0.99):
        run = sgd(x, 2 * x, w0=w0, lr=fraction * eta, epochs=epochs, batch_size=batch_size)
        assert not run.diverged, f"diverged at {fraction} η"
        assert run.cost[-1] < run.cost[0]
    assert sgd(x, 2 * x, w0=w0, lr=1.01 * eta, epochs=epochs, batch_size=batch_size).diverged


@pytest.mark.parametrize(("seed", "batch_size"), [(0, 1), (0, 2), (5, 1), (17, 1)])
def test_ll_sgd_converges_below_and_diverges_above_the_threshold(seed, batch_size):
    # seed 17: the old scan returned a later crossing, and SGD diverged at half of it
    converges_below_and_diverges_above(generated_x(seed), batch_size)


def test_ll_sgd_on_the_issue_example_converges_below_and_diverges_above_the_threshold():
    converges_below_and_diverges_above([0.01, 10.0, 50.0], 1)


# --- extreme but finite inputs: a finite answer when float64 holds it, else a ValueError ---


def test_thresholds_at_the_edges_of_float64_are_finite():
    assert gd_lr_threshold([1e-154, 1e-154]) == pytest.approx(1e308, rel=1e-15)  # x² subnormal
    assert sgd_lr_threshold([1e-154, 1e-154]) == pytest.approx(1e308, rel=1e-15)
    sgd_12 = smallest_unit_crossing([1.0, 2.0])
    for scale in (1e-150, 1e150):  # x² ≈ 1e∓300, thresholds about 1e±300
        x = [scale, 2 * scale]
        assert gd_lr_threshold(x) == pytest.approx(2 / 5 / scale**2, rel=1e-15)
        assert sgd_lr_threshold(x) == pytest.approx(sgd_12 / scale**2, rel=1e-12)
    # m = [1e-600, 1]: the first factor is 1 to float64 precision, the threshold that of [1]
    assert sgd_lr_threshold([1e-300, 1.0]) == sgd_lr_threshold([5e-324, 1.0]) == 1.0


@pytest.mark.parametrize("function", [gd_lr_threshold, sgd_lr_threshold])
def test_threshold_beyond_float64_raises_value_error_naming_x(function):
    with pytest.raises(ValueError, match=r"x is too small: .*about 10\^399"):
        function([1e-200, 2e-200])
    with pytest.raises(ValueError, match=r"x is too large: .*about 10\^-400"):
        function([1e200, 2e200])


def test_batch_second_moments_of_tiny_and_huge_x():
    np.testing.assert_allclose(batch_second_moments([1e-154, 3e-154], 2), [5e-308], rtol=1e-15)
    np.testing.assert_allclose(batch_second_moments([1e150, 2e150]), [1e300, 4e300], rtol=1e-15)
    with pytest.raises(ValueError, match="x is too large: the mean of x² over batch 1"):
        batch_second_moments([1.0, 1e200])


def test_sgd_epoch_factor_of_extreme_x_is_finite_when_representable():
    # m = [1e400, 4e400] and η = 1e-300: the factors are 1 − 2e100 and 1 − 8e100
    assert sgd_epoch_factor([1e200, 2e200], 1e-300) == pytest.approx(16e200, rel=1e-12)
    assert sgd_epoch_factor([1e-200, 2e-200], 1e300) == 1.0  # 1 − 2e-100 and 1 − 8e-100


def test_sgd_epoch_factor_beyond_float64_raises_value_error_naming_lr():
    with pytest.raises(ValueError, match=r"lr is too large: .*10\^801"):
        sgd_epoch_factor([1e200, 2e200], 1.0)


def test_sgd_epoch_factor_with_overflowing_product_raises_value_error_naming_lr():
    with pytest.raises(ValueError, match="lr is too large"):
        sgd_epoch_factor(np.full(200, 100.0), 1e4)  # (1 − 2e8)^200 ≈ 1e1660
