"""Tests of lecturelib.figures.gradient_descent: the figures of the gradient-descent page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import matplotlib.pyplot as plt
import numpy as np
import pytest
from drawing import (
    B_GRID,
    COST_2D,
    PATH,
    W_GRID,
    Case,
    Degenerate,
    PlotContract,
    Refused,
    texts_of,
    xs_of,
    ys_of,
)

from lecturelib.figures import gradient_descent as F

pytestmark = pytest.mark.usefixtures("styled")


def nonconvex(w: Any) -> Any:
    """A wide shallow valley at 0 and a narrow deep one near -2.2: coarse grids miss the latter."""
    w = np.asarray(w, dtype=float)
    return 0.15 * w**2 + 1.0 - 1.3 * np.exp(-(((w + 2.2) / 0.3) ** 2))


def quartic(w: Any) -> Any:
    w = np.asarray(w, dtype=float)
    return 0.1 * w**4 - 0.9 * w**2 + 0.35 * w + 2.5


def saddle_with_a_path(ax: Any, kind: Literal["3d", "contour"]) -> Any:
    return F.plot_saddle(
        W_GRID,
        B_GRID,
        COST_2D,
        paths=[PATH],
        labels=["梯度下降"],
        saddle_point=(2.0, 0.0),
        kind=kind,
        ax=ax,
    )


def coarse_to_fine_levels() -> list[tuple[np.ndarray, np.ndarray, float]]:
    lo, hi, out = -3.0, 3.0, []
    for _ in range(3):
        grid = np.linspace(lo, hi, 5)
        values = nonconvex(grid)
        i = int(np.argmin(values))
        out.append((grid, values, float(grid[i])))
        step = grid[1] - grid[0]
        lo, hi = grid[i] - step, grid[i] + step
    return out


class TestGradientDescentPlots(PlotContract):
    CASES: ClassVar[list[Case]] = [
        ("grid_growth", lambda ax: F.plot_grid_growth(100, 5, ax=ax), False),
        (
            "coarse_to_fine",
            lambda ax: F.plot_coarse_to_fine(nonconvex, coarse_to_fine_levels(), ax=ax),
            False,
        ),
        (
            "descent_1d",
            lambda ax: F.plot_descent_1d(
                quartic,
                [np.array([2.8, 2.3, 2.05]), np.array([-0.4, -1.5, -2.1])],
                labels=["局部最小值", "全局最小值"],
                ax=ax,
            ),
            False,
        ),
        ("saddle_3d", lambda ax: saddle_with_a_path(ax, "3d"), True),
        ("saddle_contour", lambda ax: saddle_with_a_path(ax, "contour"), False),
    ]

    DEGENERATE: ClassVar[list[Degenerate]] = [
        ("grid_growth_largest", lambda: F.plot_grid_growth(10, 198)),
        ("descent_single_point", lambda: F.plot_descent_1d(quartic, [np.array([1.0])])),
    ]

    REFUSED: ClassVar[list[Refused]] = [
        (
            "grid_growth_beyond_drawable",
            lambda: F.plot_grid_growth(10, 280),
            r"max_weights too large: 10\*\*280 is beyond the drawable range",
        ),
        (
            "saddle_huge_z",
            lambda: F.plot_saddle([0, 1], [0, 1], [[1e300, 1e301], [1e302, 1e308]]),
            r"z must be finite and at most 1e\+200",
        ),
        (
            "descent_overflowing_cost",
            lambda: F.plot_descent_1d(lambda w: np.asarray(w) ** 2, [np.array([1e160, 2e160])]),
            r"f\(w\) must be finite",
        ),
        (
            "coarse_to_fine_huge_values",
            lambda: F.plot_coarse_to_fine(
                lambda w: np.asarray(w), [(np.array([0.0, 1e300]), np.array([0.0, 1e300]), 0.0)]
            ),
            r"levels\[0\] grid must be finite and at most 1e\+200",
        ),
    ]


def test_grid_growth_counts_are_exact_powers() -> None:
    ax = F.plot_grid_growth(100, 4)
    _, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    assert list(yd) == [100.0**k for k in range(1, 5)]
    assert [t.get_text() for t in ax.texts] == ["$10^{2}$", "$10^{4}$", "$10^{6}$", "$10^{8}$"]


def test_grid_growth_rejects_overflow() -> None:
    with pytest.raises(ValueError, match="max_weights too large"):
        F.plot_grid_growth(100, 200)


def test_grid_points_returns_two_axes_with_p_and_p_squared_points() -> None:
    axes = F.plot_grid_points(7)
    assert isinstance(axes, np.ndarray)
    assert axes.shape == (2,)
    assert len(xs_of(axes[0].lines[0])) == 7
    assert len(xs_of(axes[1].lines[0])) == 49
    assert "49" in axes[1].get_title()


def test_grid_points_uses_the_given_axes_and_checks_them() -> None:
    _, pair = plt.subplots(1, 2)
    out = F.plot_grid_points(3, ax=(pair[0], pair[1]))
    assert out[0] is pair[0]
    assert out[1] is pair[1]
    with pytest.raises(TypeError, match="pair of Axes"):
        F.plot_grid_points(3, ax=pair[0])


def test_coarse_to_fine_marks_the_missed_global_minimum() -> None:
    levels = coarse_to_fine_levels()
    ax = F.plot_coarse_to_fine(nonconvex, levels)
    assert "全局最小值（被错过）" in texts_of(ax)
    glob = next(line for line in ax.lines if "全局最小值" in str(line.get_label()))
    assert abs(float(xs_of(glob)[0]) + 2.2) < 0.05
    for k, (grid, values, _) in enumerate(levels):
        pts = next(line for line in ax.lines if line.get_label() == f"第 {k + 1} 层：5 个点")
        np.testing.assert_array_equal(xs_of(pts), grid)
        np.testing.assert_array_equal(ys_of(pts), values)


def test_coarse_to_fine_rejects_bad_levels() -> None:
    with pytest.raises(ValueError, match="levels must not be empty"):
        F.plot_coarse_to_fine(nonconvex, [])
    with pytest.raises(TypeError, match="f must be callable"):
        F.plot_coarse_to_fine(3.0, coarse_to_fine_levels())  # type: ignore[arg-type]


def test_descent_1d_marks_start_and_end_of_each_path() -> None:
    path = np.array([2.8, 2.3, 2.05])
    ax = F.plot_descent_1d(quartic, [path], labels=["局部最小值"])
    walk = ax.lines[1]
    np.testing.assert_array_equal(xs_of(walk), path)
    np.testing.assert_allclose(ys_of(walk), quartic(path))
    assert list(xs_of(ax.lines[2])) == [2.8]
    assert list(xs_of(ax.lines[3])) == [2.05]
    assert "局部最小值" in texts_of(ax)


def test_descent_1d_accepts_objects_with_points() -> None:
    @dataclass(frozen=True)
    class Path:
        points: np.ndarray

    ax = F.plot_descent_1d(quartic, Path(np.array([[1.0], [0.5]])))
    np.testing.assert_array_equal(xs_of(ax.lines[1]), [1.0, 0.5])


def test_descent_1d_rejects_label_count_mismatch() -> None:
    with pytest.raises(ValueError, match="labels must hold one label per path"):
        F.plot_descent_1d(quartic, [np.array([1.0, 0.5])], labels=["a", "b"])


def test_saddle_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind must be"):
        F.plot_saddle(W_GRID, B_GRID, COST_2D, kind="surface")  # type: ignore[arg-type]


def test_saddle_contour_marks_the_saddle_point() -> None:
    ax = F.plot_saddle(W_GRID, B_GRID, COST_2D, saddle_point=(1.0, 0.5), kind="contour")
    mark = next(line for line in ax.lines if line.get_label() == "鞍点")
    assert (list(xs_of(mark)), list(ys_of(mark))) == ([1.0], [0.5])


def test_grid_points_with_ax_none_makes_one_figure_for_both_axes() -> None:
    pair = F.plot_grid_points(5)
    assert pair[0].figure is pair[1].figure
    assert plt.get_fignums() == []
