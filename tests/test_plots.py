"""Tests of lecturelib.plots: the general plots (data and guesses, cost curves and landscapes,
training runs, smoothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, cast

import matplotlib.pyplot as plt
import numpy as np
import pytest
from drawing import (
    B_GRID,
    COST_2D,
    PATH,
    W_GRID,
    ZEROS_AFTER_ONE,
    Case,
    Degenerate,
    PlotContract,
    Refused,
    X,
    Y,
    texts_of,
    xs_of,
    ys_of,
)

from lecturelib import plots as P

pytestmark = pytest.mark.usefixtures("styled")


@dataclass(frozen=True)
class FakeHistory:
    cost: np.ndarray
    diverged: bool
    updates_per_epoch: int = 1


class TestPlotsContract(PlotContract):
    CASES: ClassVar[list[Case]] = [
        ("data_and_guesses", lambda ax: P.plot_data_and_guesses(X, Y, [1.0, 3.0], ax=ax), False),
        (
            "cost_curve",
            lambda ax: P.plot_cost_curve(W_GRID, ((np.outer(W_GRID, X) - Y) ** 2).mean(1), ax=ax),
            False,
        ),
        (
            "cost_surface",
            lambda ax: P.plot_cost_surface(W_GRID, B_GRID, COST_2D, path=PATH, ax=ax),
            True,
        ),
        (
            "cost_contour",
            lambda ax: P.plot_cost_contour(
                W_GRID, B_GRID, COST_2D, best=(2.0, 0.0), path=PATH, ax=ax
            ),
            False,
        ),
        ("smoothing", lambda ax: P.plot_smoothing([3.0, 1.0, 2.0], [3.0, 2.8, 2.72], ax=ax), False),
        (
            "cost_history",
            lambda ax: P.plot_cost_history(
                [np.array([4.0, 1.0, 0.2]), np.array([4.0, 40.0, np.inf])],
                labels=["α = 0.01", "α = 0.3"],
                ax=ax,
            ),
            False,
        ),
    ]

    DEGENERATE: ClassVar[list[Degenerate]] = [
        ("cost_history_all_zero_log", lambda: P.plot_cost_history([0.0, 0.0, 0.0])),
        ("cost_history_single_zero_log", lambda: P.plot_cost_history([0.0])),
        ("cost_history_reaches_zero_log", lambda: P.plot_cost_history(ZEROS_AFTER_ONE)),
        (
            "cost_history_overflow_after_start",
            lambda: P.plot_cost_history([1.0, 1e40, 1e250, np.inf]),
        ),
        ("cost_curve_single_zero", lambda: P.plot_cost_curve([2.0], [0.0])),
        ("cost_curve_all_zero", lambda: P.plot_cost_curve([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])),
        (
            "contour_single_positive_cost",
            lambda: P.plot_cost_contour([0, 1], [0, 1], [[0, 0], [0, 1]]),
        ),
        ("cost_history_single", lambda: P.plot_cost_history([4.0])),
        ("cost_history_constant", lambda: P.plot_cost_history(np.full(50, 2.0))),
        ("cost_history_tiny", lambda: P.plot_cost_history([1e-300, 1e-310, 5e-324])),
        ("cost_history_linear_zero", lambda: P.plot_cost_history([0.0, 0.0], logy=False)),
        ("cost_curve_single_point", lambda: P.plot_cost_curve([2.0], [3.0])),
        ("smoothing_largest", lambda: P.plot_smoothing([-1e200, 1e200], [-1e200, 1e200])),
    ]

    REFUSED: ClassVar[list[Refused]] = [
        (
            "cost_history_huge_start",
            lambda: P.plot_cost_history([1e300, 1.0]),
            r"histories_or_costs\[0\] must start with a finite cost of at most 1e\+200",
        ),
        (
            "cost_curve_huge",
            lambda: P.plot_cost_curve([1.0, 2.0], [1e308, 1.5e308]),
            r"cost must be finite and at most 1e\+200 in magnitude",
        ),
        (
            "smoothing_huge",
            lambda: P.plot_smoothing([1e308, 1.7e308], [1e308, 1.7e308]),
            r"raw must be finite and at most 1e\+200",
        ),
        (
            "guesses_huge_data",
            lambda: P.plot_data_and_guesses([1e300, 2e300], [1e300, 2e300], [1.0]),
            r"x must be finite and at most 1e\+200",
        ),
        (
            "guesses_line_overflow",
            lambda: P.plot_data_and_guesses([1e150, 2e150], [1.0, 2.0], [1e100]),
            r"the line of ws\[0\] .* must be finite and at most 1e\+200",
        ),
        (
            "contour_constant_cost",
            lambda: P.plot_cost_contour([0, 1], [0, 1], np.ones((2, 2))),
            r"cost must not be constant \(every value is 1\)",
        ),
        (
            "contour_huge_cost",
            lambda: P.plot_cost_contour([0, 1], [0, 1], [[1e300, 1e301], [1e302, 1e308]]),
            r"cost must be finite and at most 1e\+200",
        ),
        (
            "surface_huge_cost",
            lambda: P.plot_cost_surface([0, 1], [0, 1], [[1e300, 1e301], [1e302, 1e308]]),
            r"cost must be finite and at most 1e\+200",
        ),
    ]


def test_3d_plot_refuses_a_2d_axes() -> None:
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="ax must be a 3-D Axes"):
        P.plot_cost_surface(W_GRID, B_GRID, COST_2D, ax=ax)


def test_2d_plot_refuses_something_that_is_not_axes() -> None:
    with pytest.raises(TypeError, match="ax must be a 2-D matplotlib Axes"):
        P.plot_cost_curve([0.0, 1.0], [1.0, 0.0], ax="axes")  # type: ignore[arg-type]


def test_data_and_guesses_draws_the_points_and_one_line_per_w() -> None:
    ax = P.plot_data_and_guesses(X, Y, [2.0, 3.0])
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["w = 2.0", "w = 3.0", "训练数据"]
    for line, w in zip(ax.lines[:2], (2.0, 3.0), strict=True):
        xd, yd = (np.asarray(v, dtype=float) for v in (xs_of(line), ys_of(line)))
        np.testing.assert_allclose(yd, xd * w)
    xd, yd = (xs_of(ax.lines[2]), ys_of(ax.lines[2]))
    np.testing.assert_array_equal(xd, X)
    np.testing.assert_array_equal(yd, Y)


def test_data_and_guesses_with_bias_shifts_the_lines() -> None:
    ax = P.plot_data_and_guesses(X, Y, [1.0], b=0.5)
    xd, yd = (np.asarray(v, dtype=float) for v in (xs_of(ax.lines[0]), ys_of(ax.lines[0])))
    np.testing.assert_allclose(yd, xd + 0.5)
    assert "+ 0.5" in ax.get_title()


def test_cost_curve_line_equals_inputs_and_marks_the_minimum() -> None:
    w = np.array([0.0, 1.0, 2.0, 3.0])
    cost = np.array([9.0, 4.0, 0.5, 2.0])
    ax = P.plot_cost_curve(w, cost)
    xd, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    np.testing.assert_array_equal(xd, w)
    np.testing.assert_array_equal(yd, cost)
    bx, by = (xs_of(ax.lines[1]), ys_of(ax.lines[1]))
    assert (list(bx), list(by)) == ([2.0], [0.5])


def test_cost_curve_marks_the_given_best_point() -> None:
    ax = P.plot_cost_curve([0.0, 1.0, 2.0], [4.0, 1.0, 4.0], best=(1.05, 0.9))
    bx, by = (xs_of(ax.lines[1]), ys_of(ax.lines[1]))
    assert (list(bx), list(by)) == ([1.05], [0.9])
    assert any("w = 1.05" in t.get_text() for t in ax.texts)


def test_cost_curve_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="w and cost must have the same length"):
        P.plot_cost_curve([0.0, 1.0, 2.0], [1.0, 2.0])


def test_cost_curve_rejects_a_bad_best() -> None:
    with pytest.raises(ValueError, match="best must be a pair"):
        P.plot_cost_curve([0.0, 1.0], [1.0, 2.0], best=(1.0, 2.0, 3.0))  # type: ignore[arg-type]


def test_cost_surface_draws_the_grid_and_the_path() -> None:
    ax = P.plot_cost_surface(W_GRID, B_GRID, COST_2D, path=PATH)
    assert len(ax.collections) == 1  # one surface
    low, high = ax.get_zlim()
    assert low <= COST_2D.min()
    assert high >= COST_2D.max()
    assert ax.get_xlim()[0] <= 0.0
    assert ax.get_xlim()[1] >= 4.0
    xs, ys, zs = ax.lines[0].get_data_3d()
    np.testing.assert_allclose(xs, PATH[:, 0])
    np.testing.assert_allclose(ys, PATH[:, 1])
    # the heights are interpolated on the grid: close to the true cost
    true = ((X[:, None] * PATH[:, 0] + PATH[:, 1] - Y[:, None]) ** 2).mean(axis=0)
    np.testing.assert_allclose(zs, true, rtol=0.02, atol=0.02)


def test_cost_surface_uses_given_path_heights() -> None:
    path = np.column_stack([PATH, [5.0, 4.0, 3.0, 2.0]])
    ax = P.plot_cost_surface(W_GRID, B_GRID, COST_2D, path=path)
    np.testing.assert_array_equal(ax.lines[0].get_data_3d()[2], [5.0, 4.0, 3.0, 2.0])


def test_cost_surface_rejects_a_transposed_cost() -> None:
    with pytest.raises(ValueError, match=r"cost must have shape \(len\(b\), len\(w\)\)"):
        P.plot_cost_surface(W_GRID, B_GRID, COST_2D.T)


def test_cost_contour_draws_path_and_best_with_log_levels() -> None:
    ax = P.plot_cost_contour(W_GRID, B_GRID, COST_2D, best=(2.0, 0.0), path=PATH, levels=8)
    xd, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    np.testing.assert_array_equal(xd, PATH[:, 0])
    np.testing.assert_array_equal(yd, PATH[:, 1])
    star = next(line for line in ax.lines if line.get_label() == "最小值")
    assert (list(xs_of(star)), list(ys_of(star))) == ([2.0], [0.0])
    levels = np.asarray(cast(Any, ax.collections[-1]).levels)
    assert levels.size == 8
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    assert any(type(t).__name__ == "Annotation" for t in ax.texts)  # arrows along the path


def test_cost_contour_rejects_bad_levels() -> None:
    with pytest.raises(ValueError, match="levels must be positive"):
        P.plot_cost_contour(W_GRID, B_GRID, COST_2D, levels=[1.0, 0.5])


def test_smoothing_draws_both_series() -> None:
    raw, smooth = np.array([3.0, 1.0, 2.0]), np.array([3.0, 2.8, 2.72])
    ax = P.plot_smoothing(raw, smooth)
    np.testing.assert_array_equal(ys_of(ax.lines[0]), raw)
    np.testing.assert_array_equal(ys_of(ax.lines[1]), smooth)
    with pytest.raises(ValueError, match="raw and smoothed must have the same length"):
        P.plot_smoothing(raw, smooth[:2])


def test_cost_history_marks_an_exploding_plain_array_as_diverged() -> None:
    ok, bad = np.array([4.0, 1.0, 0.25]), np.array([4.0, 50.0, 900.0, np.inf])
    ax = P.plot_cost_history([ok, bad], labels=["α = 0.01", "α = 0.3"])
    assert texts_of(ax).count("发散") == 1
    assert "α = 0.3（发散）" in texts_of(ax)
    np.testing.assert_array_equal(ys_of(ax.lines[0]), ok)
    np.testing.assert_array_equal(ys_of(ax.lines[1]), bad[:3])  # inf is not drawn
    assert ax.get_yscale() == "log"


def test_cost_history_uses_the_diverged_flag_and_updates_per_epoch() -> None:
    run = FakeHistory(cost=np.array([4.0, 2.0, 1.0]), diverged=True, updates_per_epoch=3)
    ax = P.plot_cost_history(run, x="update", logy=False)
    np.testing.assert_array_equal(xs_of(ax.lines[0]), [0, 3, 6])
    assert "发散" in texts_of(ax)
    assert ax.get_yscale() == "linear"


def test_cost_history_accepts_one_plain_list() -> None:
    ax = P.plot_cost_history([4.0, 2.0, 1.0])
    assert len([line for line in ax.lines]) == 1
    assert "发散" not in texts_of(ax)


def test_cost_history_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="labels must hold one label per run"):
        P.plot_cost_history([np.ones(3), np.ones(3)], labels=["one"])
    with pytest.raises(ValueError, match="x must be 'epoch' or 'update'"):
        P.plot_cost_history(np.ones(3), x="time")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="histories_or_costs must be"):
        P.plot_cost_history(3.0)


def test_cost_history_without_a_positive_cost_falls_back_to_a_linear_axis() -> None:
    ax = P.plot_cost_history([[0.0, 0.0], [0.0]], labels=["a", "b"])
    assert ax.get_yscale() == "linear"
    ax = P.plot_cost_history([[0.0, 0.0], [1.0, 0.0]], labels=["a", "b"])
    assert ax.get_yscale() == "log"  # one positive cost is enough for the log axis


def test_cost_history_treats_costs_beyond_the_drawable_range_as_overflow() -> None:
    ax = P.plot_cost_history([1.0, 1e40, 1e250, np.inf], labels=["lr = 1"])
    np.testing.assert_array_equal(ys_of(ax.lines[0]), [1.0, 1e40])
    assert "lr = 1（发散）" in texts_of(ax)


def test_cost_curve_of_zero_costs_spans_a_unit_range_around_zero() -> None:
    ax = P.plot_cost_curve([1.0, 2.0], [0.0, 0.0])
    assert ax.get_ylim() == pytest.approx((-0.03, 1.05))


def test_cost_curve_keeps_its_limits_for_positive_costs() -> None:
    cost = np.array([3.0, 1.0, 2.0])
    ax = P.plot_cost_curve([1.0, 2.0, 3.0], cost)
    assert ax.get_ylim() == (-0.03 * 3.0, 3.0 * 1.05)


def test_contour_levels_reach_down_six_decades_when_only_the_maximum_is_positive() -> None:
    ax = P.plot_cost_contour([0, 1], [0, 1], [[0, 0], [0, 2.0]], levels=7)
    levels = np.asarray(ax.collections[0].levels)
    np.testing.assert_allclose(levels, np.geomspace(2e-6, 2.0, 7))
