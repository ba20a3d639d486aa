"""Tests of lecturelib.smoothing.ewma against a hand-written recurrence and closed forms."""

import numpy as np
import pytest

from lecturelib.smoothing import ewma


def reference(values, beta):
    """The slide's recurrence, written out: C'_0 = C_0, C'_i = β C_i + (1 − β) C'_{i−1}."""
    out = [values[0]]
    for c in values[1:]:
        out.append(beta * c + (1 - beta) * out[-1])
    return out


def test_ewma_equals_the_lecture_recurrence():
    values = np.random.default_rng(0).normal(size=200).cumsum()
    np.testing.assert_allclose(ewma(values, 0.3), reference(list(values), 0.3), rtol=1e-13)


def test_ewma_keeps_the_first_value():
    assert ewma([5.0, 1.0, 2.0], 0.4)[0] == 5.0


def test_ewma_second_value_weights_the_current_value_by_alpha():
    assert ewma([0.0, 10.0], 0.9)[1] == pytest.approx(9.0)


def test_ewma_of_a_constant_is_the_constant():
    np.testing.assert_allclose(ewma(np.full(50, 3.25), 0.2), 3.25, rtol=1e-15)


def test_ewma_of_a_step_follows_the_geometric_closed_form():
    alpha, k = 0.25, 5
    values = np.r_[np.zeros(k), np.ones(20)]
    i = np.arange(k, values.size)
    np.testing.assert_allclose(ewma(values, alpha)[k:], 1 - (1 - alpha) ** (i - k + 1), rtol=1e-14)


def test_ewma_equals_the_weighted_sum_closed_form():
    alpha = 0.35
    v = np.random.default_rng(1).uniform(size=30)
    n = v.size
    expected = [
        (1 - alpha) ** i * v[0]
        + sum(alpha * (1 - alpha) ** (i - j) * v[j] for j in range(1, i + 1))
        for i in range(n)
    ]
    np.testing.assert_allclose(ewma(v, alpha), expected, rtol=1e-12)


def test_ewma_with_alpha_one_is_the_identity():
    v = np.array([3.0, -1.0, 4.0, 1.5])
    np.testing.assert_array_equal(ewma(v, 1.0), v)


def test_ewma_reduces_the_spread_of_noise():
    noise = np.random.default_rng(2).normal(size=5_000)
    assert np.std(ewma(noise, 0.1)[100:]) < 0.3 * np.std(noise)


def test_ewma_returns_a_new_float_array():
    v = [1, 2, 3]
    out = ewma(v, 0.5)
    assert out.dtype == np.float64
    assert v == [1, 2, 3]


def test_ewma_of_one_value_is_that_value():
    np.testing.assert_array_equal(ewma([7.0], 0.5), [7.0])


def test_ewma_is_fast_enough_for_long_series():
    v = np.random.default_rng(3).normal(size=100_000)
    out = ewma(v, 0.01)
    assert out[-1] == pytest.approx(reference(list(v[-2000:]), 0.01)[-1], abs=1e-6)


def test_alpha_zero_raises_value_error():
    with pytest.raises(ValueError, match="alpha must be > 0"):
        ewma([1.0, 2.0], 0.0)


def test_alpha_above_one_raises_value_error():
    with pytest.raises(ValueError, match="alpha must be in"):
        ewma([1.0, 2.0], 1.5)


def test_string_alpha_raises_type_error():
    with pytest.raises(TypeError, match="alpha must be a real number"):
        ewma([1.0, 2.0], "0.5")


def test_empty_values_raise_value_error():
    with pytest.raises(ValueError, match="values must not be empty"):
        ewma([], 0.5)


def test_nan_in_values_raises_value_error():
    with pytest.raises(ValueError, match="values must be finite"):
        ewma([1.0, np.nan], 0.5)


def test_two_dimensional_values_raise_value_error():
    with pytest.raises(ValueError, match="values must be 1-D"):
        ewma(np.ones((2, 2)), 0.5)


def test_string_values_raise_type_error():
    with pytest.raises(TypeError, match="values must be numeric"):
        ewma("123", 0.5)
