"""Tests of lecturelib.search against the lecture's loops and closed forms."""

import numpy as np
import pytest

from lecturelib.landscapes import NONCONVEX_DOMAIN, nonconvex
from lecturelib.search import (
    coarse_to_fine,
    exhaustive_search,
    exhaustive_search_2d,
    grid_size,
)

X = [1.0, 2.0, 3.0]
Y = [2.0, 4.0, 6.0]
Y_NOTES = [2.02, 3.98, 6.01]


def notes_loop(x_data, y_data):
    """The lecture's exhaustive search, as written in the notes."""
    w_list, mse_list = [], []
    for w in np.arange(0.0, 4.1, 0.1):
        l_sum = 0.0
        for x_val, y_val in zip(x_data, y_data, strict=True):
            y_pred = x_val * w
            l_sum += (y_pred - y_val) * (y_pred - y_val)
        w_list.append(w)
        mse_list.append(l_sum / 3)
    return np.array(w_list), np.array(mse_list)


def test_exhaustive_search_equals_the_notes_loop():
    w_ref, mse_ref = notes_loop(X, Y_NOTES)
    result = exhaustive_search(X, Y_NOTES, np.arange(0.0, 4.1, 0.1))
    np.testing.assert_array_equal(result.w, w_ref)
    np.testing.assert_allclose(result.cost, mse_ref, rtol=0, atol=1e-12)


def test_exhaustive_search_grid_has_41_points():
    assert exhaustive_search(X, Y, np.arange(0.0, 4.1, 0.1)).cost.size == 41


def test_exhaustive_search_best_on_notes_data_is_two():
    result = exhaustive_search(X, Y_NOTES, np.arange(0.0, 4.1, 0.1))
    assert result.best_w == pytest.approx(2.0, abs=1e-12)
    assert result.best_cost == pytest.approx(0.0003, abs=1e-12)  # (0.02² + 0.02² + 0.01²) / 3


def test_exhaustive_search_best_equals_argmin_of_the_notes_loop():
    w_ref, mse_ref = notes_loop(X, Y_NOTES)
    assert exhaustive_search(X, Y_NOTES, w_ref).best_w == w_ref[np.argmin(mse_ref)]


def test_exhaustive_search_on_course_data_is_fourteen_thirds_parabola():
    w = np.linspace(-1.0, 5.0, 61)
    np.testing.assert_allclose(
        exhaustive_search(X, Y, w).cost, 14 / 3 * (w - 2) ** 2, rtol=1e-12, atol=1e-12
    )


def test_exhaustive_search_takes_the_first_of_tied_minima():
    result = exhaustive_search(X, Y, [1.0, 3.0, 4.0])  # cost(1) == cost(3)
    assert result.best_w == 1.0


def test_exhaustive_search_repr_is_short():
    text = repr(exhaustive_search(X, Y, np.linspace(0, 4, 10_001)))
    assert len(text) < 200
    assert "best_w=2" in text


def test_exhaustive_search_2d_cost_has_meshgrid_shape():
    w, b = np.linspace(0.0, 4.0, 41), np.linspace(-2.0, 2.0, 21)
    result = exhaustive_search_2d(X, Y, w, b)
    assert result.cost.shape == np.meshgrid(w, b)[0].shape == (21, 41)


def test_exhaustive_search_2d_equals_direct_loop_on_meshgrid():
    w, b = np.linspace(0.0, 4.0, 9), np.linspace(-2.0, 2.0, 5)
    ww, bb = np.meshgrid(w, b)
    expected = np.zeros_like(ww)
    for xv, yv in zip(X, Y_NOTES, strict=True):
        expected += (xv * ww + bb - yv) ** 2
    expected /= 3
    np.testing.assert_allclose(exhaustive_search_2d(X, Y_NOTES, w, b).cost, expected, rtol=1e-12)


def test_exhaustive_search_2d_finds_the_true_line():
    result = exhaustive_search_2d(X, Y, np.arange(0.0, 4.1, 0.1), np.arange(-2.0, 2.1, 0.1))
    assert result.best_w == pytest.approx(2.0, abs=1e-12)
    assert result.best_b == pytest.approx(0.0, abs=1e-12)
    assert result.best_cost == pytest.approx(0.0, abs=1e-12)


def test_exhaustive_search_2d_best_is_the_grid_point_nearest_least_squares():
    x = np.array([0.5, 1.0, 2.5, 3.0, 4.0])
    y = np.array([1.1, 1.8, 5.6, 6.1, 8.3])
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    w, b = np.linspace(0.0, 4.0, 801), np.linspace(-2.0, 2.0, 801)  # step 0.005
    result = exhaustive_search_2d(x, y, w, b)
    assert result.best_w == pytest.approx(w_ls, abs=0.01)
    assert result.best_b == pytest.approx(b_ls, abs=0.01)


def test_exhaustive_search_2d_repr_is_short():
    assert len(repr(exhaustive_search_2d(X, Y, np.linspace(0, 4, 500), np.zeros(3)))) < 200


def test_grid_size_is_points_to_the_number_of_weights():
    assert grid_size(41, 1) == 41
    assert grid_size(100, 10) == 10**20


def test_grid_size_is_an_exact_python_int():
    assert type(grid_size(100, 30)) is int
    assert grid_size(100, 30) == int("1" + "0" * 60)


def test_coarse_to_fine_first_level_is_an_even_grid():
    result = coarse_to_fine(nonconvex, -2.0, 2.0, points=5, levels=1)
    np.testing.assert_allclose(result.levels[0].grid, [-2.0, -1.0, 0.0, 1.0, 2.0])


def test_coarse_to_fine_levels_unpack_as_grid_values_best():
    for grid, values, best in coarse_to_fine(lambda w: (w - 0.3) ** 2, 0.0, 1.0).levels:
        assert grid.shape == values.shape
        assert best == grid[np.argmin(values)]


def test_coarse_to_fine_each_level_regrids_the_previous_best_cell():
    result = coarse_to_fine(lambda w: (w - 0.37) ** 2, 0.0, 1.0, points=5, levels=4)
    for prev, nxt in zip(result.levels, result.levels[1:], strict=False):
        step = prev.grid[1] - prev.grid[0]
        assert nxt.grid[0] == pytest.approx(max(prev.best - step, prev.grid[0]))
        assert nxt.grid[-1] == pytest.approx(min(prev.best + step, prev.grid[-1]))


def test_coarse_to_fine_converges_on_a_convex_function():
    result = coarse_to_fine(lambda w: (w - 0.37) ** 2, 0.0, 1.0, points=5, levels=12)
    last = result.levels[-1].grid
    step = last[1] - last[0]
    assert step < 1e-3
    assert abs(result.best - 0.37) <= step / 2 + 1e-15


def test_coarse_grid_best_cell_misses_the_global_minimum_of_nonconvex():
    lo, hi = NONCONVEX_DOMAIN
    dense = np.linspace(lo, hi, 400_001)
    w_global = dense[np.argmin(nonconvex(dense))]
    cell = coarse_to_fine(nonconvex, lo, hi, points=5, levels=1).levels[0].cell
    assert not cell[0] <= w_global <= cell[1]


def test_coarse_to_fine_on_nonconvex_ends_above_the_global_minimum():
    lo, hi = NONCONVEX_DOMAIN
    dense = np.linspace(lo, hi, 400_001)
    global_min = float(np.min(nonconvex(dense)))
    result = coarse_to_fine(nonconvex, lo, hi, points=5, levels=6)
    assert result.best_value > global_min + 0.3


def test_mismatched_data_raises_value_error():
    with pytest.raises(ValueError, match="same length"):
        exhaustive_search([1.0, 2.0], Y, [1.0])


def test_empty_w_grid_raises_value_error():
    with pytest.raises(ValueError, match="w_grid must not be empty"):
        exhaustive_search(X, Y, [])


def test_nan_in_w_grid_raises_value_error():
    with pytest.raises(ValueError, match="w_grid must be finite"):
        exhaustive_search(X, Y, [1.0, np.nan])


def test_two_dimensional_w_grid_raises_value_error():
    with pytest.raises(ValueError, match="w_grid must be 1-D"):
        exhaustive_search(X, Y, np.ones((2, 2)))


def test_two_dimensional_b_grid_raises_value_error():
    with pytest.raises(ValueError, match="b_grid must be 1-D"):
        exhaustive_search_2d(X, Y, [1.0], np.ones((2, 2)))


def test_string_b_grid_raises_type_error():
    with pytest.raises(TypeError, match="b_grid must be numeric"):
        exhaustive_search_2d(X, Y, [1.0], "01")


def test_grid_size_zero_points_raises_value_error():
    with pytest.raises(ValueError, match="points_per_axis must be >= 1"):
        grid_size(0, 2)


def test_grid_size_float_weights_raises_type_error():
    with pytest.raises(TypeError, match="n_weights must be an integer"):
        grid_size(10, 2.0)


def test_coarse_to_fine_non_callable_raises_type_error():
    with pytest.raises(TypeError, match="f must be callable"):
        coarse_to_fine(3.0, 0.0, 1.0)


def test_coarse_to_fine_reversed_interval_raises_value_error():
    with pytest.raises(ValueError, match="lo must be < hi"):
        coarse_to_fine(nonconvex, 1.0, 0.0)


def test_coarse_to_fine_two_points_raises_value_error():
    with pytest.raises(ValueError, match="points must be >= 3"):
        coarse_to_fine(nonconvex, 0.0, 1.0, points=2)


def test_coarse_to_fine_zero_levels_raises_value_error():
    with pytest.raises(ValueError, match="levels must be >= 1"):
        coarse_to_fine(nonconvex, 0.0, 1.0, levels=0)


def test_coarse_to_fine_nan_value_raises_value_error():
    with pytest.raises(ValueError, match=r"f\(w\) must be finite"):
        coarse_to_fine(lambda w: float("nan"), 0.0, 1.0)


# --- extreme but finite inputs ---


def test_exhaustive_search_refuses_a_grid_point_whose_cost_overflows():
    # cost(1e200) = 14/3 · 1e400: more than float64 holds
    with pytest.raises(ValueError, match=r"x, y or w_grid too large: .* at w=1e\+200"):
        exhaustive_search(X, Y, [2.0, 1e200])


def test_exhaustive_search_2d_refuses_a_grid_point_whose_cost_overflows():
    with pytest.raises(ValueError, match=r"w_grid or b_grid too large: .* at w=0, b=1e\+200"):
        exhaustive_search_2d(X, Y, [0.0], [0.0, 1e200])


def test_grid_size_refuses_numbers_too_long_to_print():
    assert len(str(grid_size(10, 4299))) == 4300  # 10^4299, Python's default printing limit
    with pytest.raises(
        ValueError, match=r"n_weights too large: 10\^4300 has about 4\.3e\+03 digits"
    ):
        grid_size(10, 4300)


def test_coarse_to_fine_searches_the_whole_float64_range():
    # linspace(-1.7e308, 1.7e308) overflows in hi - lo; the grid must not
    result = coarse_to_fine(abs, -1.7e308, 1.7e308, points=5, levels=3)
    np.testing.assert_allclose(result.levels[0].grid, [-1.7e308, -0.85e308, 0.0, 0.85e308, 1.7e308])
    assert abs(result.best) <= 1e-15 * 1.7e308  # 0 up to the rounding of the grid
    assert result.best_value == abs(result.best)
