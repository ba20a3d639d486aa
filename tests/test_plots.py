"""Tests of lecturelib.plots (and the plots_* modules it re-exports)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]

from lecturelib import plots as P
from lecturelib.style import COLORS, use_style

X = np.array([1.0, 2.0, 3.0])
Y = np.array([2.02, 3.98, 6.01])
W_GRID = np.linspace(0.0, 4.0, 41)
B_GRID = np.linspace(-2.0, 2.0, 31)
WW, BB = np.meshgrid(W_GRID, B_GRID)
COST_2D = ((X[:, None, None] * WW + BB - Y[:, None, None]) ** 2).mean(axis=0)
PATH = np.array([[0.5, -1.5], [1.2, -1.0], [1.7, -0.5], [1.95, -0.1]])


def nonconvex(w: Any) -> Any:
    """A wide shallow valley at 0 and a narrow deep one near -2.2: coarse grids miss the latter."""
    w = np.asarray(w, dtype=float)
    return 0.15 * w**2 + 1.0 - 1.3 * np.exp(-(((w + 2.2) / 0.3) ** 2))


def quartic(w: Any) -> Any:
    w = np.asarray(w, dtype=float)
    return 0.1 * w**4 - 0.9 * w**2 + 0.35 * w + 2.5


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


def xs_of(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_xdata(), dtype=float)


def ys_of(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata(), dtype=float)


@dataclass(frozen=True)
class FakeHistory:
    cost: np.ndarray
    diverged: bool
    updates_per_epoch: int = 1


@pytest.fixture(autouse=True)
def _style_and_cleanup() -> Iterator[None]:
    use_style()
    yield
    plt.close("all")


def draw_strict(fig: Figure, caplog: pytest.LogCaptureFixture) -> None:
    """Render; fail on any warning or any missing-glyph / font log message."""
    with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    bad = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING or "glyph" in r.getMessage().lower()
    ]
    assert bad == []


def texts_of(ax: Axes) -> list[str]:
    out = [t.get_text() for t in ax.texts]
    out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return out


# (name, callable taking ax, needs 3-D axes)
CASES: list[tuple[str, Callable[[Any], Any], bool]] = [
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
        lambda ax: P.plot_cost_contour(W_GRID, B_GRID, COST_2D, best=(2.0, 0.0), path=PATH, ax=ax),
        False,
    ),
    ("grid_growth", lambda ax: P.plot_grid_growth(100, 5, ax=ax), False),
    ("curse", lambda ax: P.plot_curse_of_dimensionality(10, 8, ax=ax), False),
    (
        "coarse_to_fine",
        lambda ax: P.plot_coarse_to_fine(nonconvex, coarse_to_fine_levels(), ax=ax),
        False,
    ),
    (
        "descent_1d",
        lambda ax: P.plot_descent_1d(
            quartic,
            [np.array([2.8, 2.3, 2.05]), np.array([-0.4, -1.5, -2.1])],
            labels=["局部最小值", "全局最小值"],
            ax=ax,
        ),
        False,
    ),
    (
        "saddle_3d",
        lambda ax: P.plot_saddle(
            W_GRID,
            B_GRID,
            COST_2D,
            paths=[PATH],
            labels=["梯度下降"],
            saddle_point=(2.0, 0.0),
            ax=ax,
        ),
        True,
    ),
    (
        "saddle_contour",
        lambda ax: P.plot_saddle(
            W_GRID,
            B_GRID,
            COST_2D,
            paths=[PATH],
            labels=["梯度下降"],
            saddle_point=(2.0, 0.0),
            kind="contour",
            ax=ax,
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
    (
        "convergence",
        lambda ax: P.plot_convergence_by_updates(
            [np.array([4.0, 1.0]), np.array([4.0, 2.0, 1.0, 0.5])],
            ["梯度下降 GD", "随机梯度下降 SGD"],
            ax=ax,
        ),
        False,
    ),
    (
        "distribution_shift",
        lambda ax: P.plot_distribution_shift(np.linspace(0, 1, 50), np.linspace(0.5, 2, 50), ax=ax),
        False,
    ),
    (
        "split",
        lambda ax: P.plot_split(
            {"训练集 train": 600, "开发集 dev": 200, "测试集 test": 200}, ax=ax
        ),
        False,
    ),
    ("timeline", lambda ax: P.plot_pytorch_timeline(ax=ax), False),
]


@pytest.mark.parametrize(("name", "draw", "three_d"), CASES, ids=[c[0] for c in CASES])
def test_plot_returns_the_given_axes_and_renders_cleanly(
    name: str, draw: Callable[[Any], Any], three_d: bool, caplog: pytest.LogCaptureFixture
) -> None:
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d") if three_d else fig.add_subplot()
    assert draw(ax) is ax
    draw_strict(fig, caplog)


@pytest.mark.parametrize(("name", "draw", "three_d"), CASES, ids=[c[0] for c in CASES])
def test_plot_creates_axes_when_none(name: str, draw: Callable[[Any], Any], three_d: bool) -> None:
    ax = draw(None)
    assert isinstance(ax, Axes3D if three_d else Axes)
    assert ax.figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


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


def test_grid_growth_counts_are_exact_powers() -> None:
    ax = P.plot_grid_growth(100, 4)
    _, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    assert list(yd) == [100.0**k for k in range(1, 5)]
    assert [t.get_text() for t in ax.texts] == ["$10^{2}$", "$10^{4}$", "$10^{6}$", "$10^{8}$"]


def test_grid_growth_rejects_overflow() -> None:
    with pytest.raises(ValueError, match="max_weights too large"):
        P.plot_grid_growth(100, 200)


def test_grid_points_returns_two_axes_with_p_and_p_squared_points() -> None:
    axes = P.plot_grid_points(7)
    assert isinstance(axes, np.ndarray)
    assert axes.shape == (2,)
    assert len(xs_of(axes[0].lines[0])) == 7
    assert len(xs_of(axes[1].lines[0])) == 49
    assert "49" in axes[1].get_title()


def test_grid_points_uses_the_given_axes_and_checks_them() -> None:
    _, pair = plt.subplots(1, 2)
    out = P.plot_grid_points(3, ax=(pair[0], pair[1]))
    assert out[0] is pair[0]
    assert out[1] is pair[1]
    with pytest.raises(TypeError, match="pair of Axes"):
        P.plot_grid_points(3, ax=pair[0])


def test_curse_of_dimensionality_draws_a_to_the_n() -> None:
    ax = P.plot_curse_of_dimensionality(3, 6)
    xd, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    np.testing.assert_allclose(yd, 3.0 ** np.asarray(xd, dtype=float))
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="a must be > 1"):
        P.plot_curse_of_dimensionality(1.0, 3)


def test_coarse_to_fine_marks_the_missed_global_minimum() -> None:
    levels = coarse_to_fine_levels()
    ax = P.plot_coarse_to_fine(nonconvex, levels)
    assert "全局最小值（被错过）" in texts_of(ax)
    glob = next(line for line in ax.lines if "全局最小值" in str(line.get_label()))
    assert abs(float(xs_of(glob)[0]) + 2.2) < 0.05
    for k, (grid, values, _) in enumerate(levels):
        pts = next(line for line in ax.lines if line.get_label() == f"第 {k + 1} 层：5 个点")
        np.testing.assert_array_equal(xs_of(pts), grid)
        np.testing.assert_array_equal(ys_of(pts), values)


def test_coarse_to_fine_rejects_bad_levels() -> None:
    with pytest.raises(ValueError, match="levels must not be empty"):
        P.plot_coarse_to_fine(nonconvex, [])
    with pytest.raises(TypeError, match="f must be callable"):
        P.plot_coarse_to_fine(3.0, coarse_to_fine_levels())  # type: ignore[arg-type]


def test_descent_1d_marks_start_and_end_of_each_path() -> None:
    path = np.array([2.8, 2.3, 2.05])
    ax = P.plot_descent_1d(quartic, [path], labels=["局部最小值"])
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

    ax = P.plot_descent_1d(quartic, Path(np.array([[1.0], [0.5]])))
    np.testing.assert_array_equal(xs_of(ax.lines[1]), [1.0, 0.5])


def test_descent_1d_rejects_label_count_mismatch() -> None:
    with pytest.raises(ValueError, match="labels must hold one label per path"):
        P.plot_descent_1d(quartic, [np.array([1.0, 0.5])], labels=["a", "b"])


def test_saddle_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind must be"):
        P.plot_saddle(W_GRID, B_GRID, COST_2D, kind="surface")  # type: ignore[arg-type]


def test_saddle_contour_marks_the_saddle_point() -> None:
    ax = P.plot_saddle(W_GRID, B_GRID, COST_2D, saddle_point=(1.0, 0.5), kind="contour")
    mark = next(line for line in ax.lines if line.get_label() == "鞍点")
    assert (list(xs_of(mark)), list(ys_of(mark))) == ([1.0], [0.5])


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


def test_convergence_by_updates_draws_each_run_against_its_updates() -> None:
    gd, sgd = np.array([4.0, 1.0]), np.array([4.0, 2.0, 1.0, 0.5])
    ax = P.plot_convergence_by_updates([gd, sgd], ["GD", "SGD"], logx=True)
    np.testing.assert_array_equal(xs_of(ax.lines[1]), [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(ys_of(ax.lines[1]), sgd)
    assert ax.get_xscale() == "symlog"
    with pytest.raises(ValueError, match="labels must hold one label per run"):
        P.plot_convergence_by_updates([gd, sgd], ["GD"])


def test_convergence_by_updates_log_axis_puts_each_point_at_its_true_update_count() -> None:
    # the cost after t updates must sit at t on the axis, linear or logarithmic:
    # a tick labelled 10 means 10 updates, not 9
    costs = 4.0 * 0.5 ** np.arange(21)
    for logx in (False, True):
        ax = P.plot_convergence_by_updates([costs], ["GD"], logx=logx)
        (line,) = ax.lines
        np.testing.assert_array_equal(xs_of(line), np.arange(21))
        assert "从 1 计" not in ax.get_xlabel()
    assert ax.get_xscale() == "symlog"  # a log axis that can still show update 0 at 0
    assert ax.get_xlim()[0] == 0.0  # and no negative decades left of it
    assert ax.xaxis.get_transform().transform([0.0])[0] == 0.0


def test_distribution_shift_draws_two_densities() -> None:
    train, real = np.linspace(0, 1, 40), np.linspace(2, 3, 40)
    ax = P.plot_distribution_shift(train, real)
    assert "训练集" in texts_of(ax)
    assert "真实使用" in texts_of(ax)
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert sum(heights) > 0
    with pytest.raises(ValueError, match="real must have at least 2 values"):
        P.plot_distribution_shift(train, [1.0])


def test_split_labels_counts_and_percentages() -> None:
    ax = P.plot_split({"训练集 train": 600, "开发集 dev": 300, "测试集 test": 100})
    texts = " ".join(t.get_text() for t in ax.texts)
    for part in ("600（60%）", "300（30%）", "100（10%）"):
        assert part in texts
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [b.get_width() for b in bars] == [600, 300, 100]
    assert bars[0].get_facecolor()[:3] == matplotlib.colors.to_rgb(COLORS["train"])


def test_split_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match=r"sizes\['dev'\] must be >= 0"):
        P.plot_split({"train": 3, "dev": -1})
    with pytest.raises(ValueError, match="must not all be zero"):
        P.plot_split({"train": 0})
    with pytest.raises(TypeError, match="sizes must be a non-empty mapping"):
        P.plot_split([("train", 3)])  # type: ignore[arg-type]


def test_timeline_highlights_the_versions_of_the_notes() -> None:
    assert ("0.4", "2018-04") in P.PYTORCH_RELEASES
    assert ("1.10", "2021-10") in P.PYTORCH_RELEASES
    ax = P.plot_pytorch_timeline()
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(P.PYTORCH_RELEASES)
    highlighted = [t for t in ax.texts if t.get_color() == COLORS["model"]]
    assert sorted(t.get_text().split("\n")[0] for t in highlighted) == [
        "PyTorch 0.4",
        "PyTorch 1.10",
    ]
    assert any("课程讲授的版本" in t for t in texts)


def test_timeline_rejects_a_bad_date() -> None:
    with pytest.raises(ValueError, match=r"events\[0\] date must look like 'YYYY-MM'"):
        P.plot_pytorch_timeline([("0.1", "2017/01")])


# --- figures made with ax=None belong to the caller, not to pyplot --------------------------------


@pytest.mark.parametrize(("name", "draw", "three_d"), CASES, ids=[c[0] for c in CASES])
def test_plot_with_ax_none_leaves_no_pyplot_figure(
    name: str, draw: Callable[[Any], Any], three_d: bool, caplog: pytest.LogCaptureFixture
) -> None:
    plt.close("all")
    ax = draw(None)
    assert plt.get_fignums() == []  # nothing registered with pyplot
    fig = ax.figure
    assert fig.canvas.figure is fig
    draw_strict(fig, caplog)  # the canvas renders (Agg), without warnings


def test_figures_of_ax_none_calls_do_not_pile_up() -> None:
    """A figure made by a plot function is freed with the returned Axes: no open figures."""
    import gc
    import weakref

    refs = []
    for _ in range(3):
        for _name, draw, _three_d in CASES:
            refs.append(weakref.ref(draw(None).figure))
    gc.collect()
    assert [r for r in refs if r() is not None] == []
    assert plt.get_fignums() == []


def test_grid_points_with_ax_none_makes_one_figure_for_both_axes() -> None:
    pair = P.plot_grid_points(5)
    assert pair[0].figure is pair[1].figure
    assert plt.get_fignums() == []


# --- import lecturelib does not import pyplot -----------------------------------------------------

_IMPORT_PROBE = """
import json, sys
import lecturelib as ll
heavy = ("matplotlib.pyplot", "mpl_toolkits.mplot3d")
after_import = [m for m in heavy if m in sys.modules]
ll.use_style()
ax = ll.plot_cost_history([4.0, 1.0, 0.25])
png = ll.figure_png(ax.figure)
print(json.dumps({
    "after_import": after_import,
    "lines": len(ax.lines),
    "png": png[:8].hex(),
    "pyplot_after_plot": "matplotlib.pyplot" in sys.modules,
}))
"""


def test_import_lecturelib_does_not_import_pyplot_and_a_plot_still_works() -> None:
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    assert report["after_import"] == []
    assert report["lines"] == 1
    assert report["png"] == b"\x89PNG\r\n\x1a\n".hex()
    assert report["pyplot_after_plot"] is False
    assert done.stderr == ""


def test_every_public_name_resolves_to_its_module_object() -> None:
    import importlib

    import lecturelib as ll

    lazy: dict[str, str] = ll._LAZY
    assert set(lazy) <= set(ll.__all__)
    for name in ll.__all__:
        value = getattr(ll, name)
        if name in lazy:
            module = importlib.import_module(f"lecturelib.{lazy[name]}")
            assert value is getattr(module, name)
    assert set(ll.__all__) <= set(dir(ll))
    with pytest.raises(AttributeError, match="has no attribute 'plot_nothing'"):
        ll.plot_nothing  # type: ignore[attr-defined]  # noqa: B018
    namespace: dict[str, Any] = {}
    exec("from lecturelib import *", namespace)
    assert namespace["plot_cost_history"] is P.plot_cost_history


# --- degenerate data: drawn without a warning, or refused naming the argument ---------------------


def assert_every_line_visible(ax: Axes) -> None:
    """Each data line shows at least two points inside the view, or one with a marker."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    assert x0 < x1
    assert y0 < y1
    for line in ax.lines:
        if line.get_transform() != ax.transData:  # axhline / axvline: not data
            continue
        xs, ys = xs_of(line), ys_of(line)
        shown = np.isfinite(xs) & np.isfinite(ys) & (x0 <= xs) & (xs <= x1) & (y0 <= ys)
        shown &= ys <= y1
        if ax.get_yscale() == "log":
            shown &= ys > 0
        has_marker = line.get_marker() not in (None, "None", "", " ")
        assert np.count_nonzero(shown) >= 2 or (np.count_nonzero(shown) == 1 and has_marker), (
            line.get_label()
        )


def render_strict(ax: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Draw and encode the figure with every warning an error; no matplotlib warning logged."""
    from lecturelib.style import figure_png

    fig = (ax[0] if isinstance(ax, np.ndarray) else ax).figure
    draw_strict(fig, caplog)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figure_png(fig).startswith(b"\x89PNG")


ZEROS_AFTER_ONE = np.r_[4.0, np.zeros(99)]  # a run that reaches cost 0 exactly after one epoch

DEGENERATE: list[tuple[str, Callable[[], Any]]] = [
    ("cost_history_all_zero_log", lambda: P.plot_cost_history([0.0, 0.0, 0.0])),
    ("cost_history_single_zero_log", lambda: P.plot_cost_history([0.0])),
    ("cost_history_reaches_zero_log", lambda: P.plot_cost_history(ZEROS_AFTER_ONE)),
    (
        "cost_history_overflow_after_start",
        lambda: P.plot_cost_history([1.0, 1e40, 1e250, np.inf]),
    ),
    ("cost_curve_single_zero", lambda: P.plot_cost_curve([2.0], [0.0])),
    ("cost_curve_all_zero", lambda: P.plot_cost_curve([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])),
    ("convergence_all_zero", lambda: P.plot_convergence_by_updates([[0.0, 0.0]], ["GD"])),
    ("convergence_reaches_zero", lambda: P.plot_convergence_by_updates([ZEROS_AFTER_ONE], ["GD"])),
    ("split_huge_counts", lambda: P.plot_split({"训练集 train": 10**20, "测试集 test": 10**19})),
    ("contour_single_positive_cost", lambda: P.plot_cost_contour([0, 1], [0, 1], [[0, 0], [0, 1]])),
    # these worked before; they guard the edges of the drawable range
    ("cost_history_single", lambda: P.plot_cost_history([4.0])),
    ("cost_history_constant", lambda: P.plot_cost_history(np.full(50, 2.0))),
    ("cost_history_tiny", lambda: P.plot_cost_history([1e-300, 1e-310, 5e-324])),
    ("cost_history_linear_zero", lambda: P.plot_cost_history([0.0, 0.0], logy=False)),
    ("cost_curve_single_point", lambda: P.plot_cost_curve([2.0], [3.0])),
    ("convergence_single_logx", lambda: P.plot_convergence_by_updates([[4.0]], ["GD"], logx=True)),
    ("smoothing_largest", lambda: P.plot_smoothing([-1e200, 1e200], [-1e200, 1e200])),
    ("distribution_constant", lambda: P.plot_distribution_shift([1.0, 1.0], [1.0, 1.0])),
    ("grid_growth_largest", lambda: P.plot_grid_growth(10, 198)),
    ("curse_largest", lambda: P.plot_curse_of_dimensionality(10, 200)),
    ("timeline_single_event", lambda: P.plot_pytorch_timeline([("1.0", "2018-12")])),
    ("descent_single_point", lambda: P.plot_descent_1d(quartic, [np.array([1.0])])),
]


@pytest.mark.parametrize(("name", "draw"), DEGENERATE, ids=[c[0] for c in DEGENERATE])
def test_degenerate_data_is_drawn_visibly_without_warnings(
    name: str, draw: Callable[[], Any], caplog: pytest.LogCaptureFixture
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw()
    render_strict(ax, caplog)
    assert_every_line_visible(ax)


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


REFUSED: list[tuple[str, Callable[[], Any], str]] = [
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
        "convergence_huge",
        lambda: P.plot_convergence_by_updates([[1e300, 1e308]], ["GD"]),
        r"costs_per_update\[0\] must be finite and at most 1e\+200",
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
        "distribution_huge",
        lambda: P.plot_distribution_shift([1e308, 1.7e308], [1e308, 1.5e308]),
        r"train must be finite and at most 1e\+200",
    ),
    (
        "distribution_subnormal_spread",
        lambda: P.plot_distribution_shift([1e-320, 2e-320], [1e-320, 3e-320]),
        r"train and real span only .* too narrow for 30 bins",
    ),
    (
        "distribution_spread_of_one_ulp",
        lambda: P.plot_distribution_shift([1.0, 1.0 + 2.2e-16], [1.0, 1.0]),
        r"train and real span only .* too narrow for 30 bins",
    ),
    (
        "split_beyond_drawable",
        lambda: P.plot_split({"train": 10**250, "test": 1}),
        r"sizes: the total .* beyond the drawable range",
    ),
    (
        "grid_growth_beyond_drawable",
        lambda: P.plot_grid_growth(10, 280),
        r"max_weights too large: 10\*\*280 is beyond the drawable range",
    ),
    (
        "curse_beyond_drawable",
        lambda: P.plot_curse_of_dimensionality(10, 280),
        r"max_features too large",
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
    (
        "saddle_huge_z",
        lambda: P.plot_saddle([0, 1], [0, 1], [[1e300, 1e301], [1e302, 1e308]]),
        r"z must be finite and at most 1e\+200",
    ),
    (
        "descent_overflowing_cost",
        lambda: P.plot_descent_1d(lambda w: np.asarray(w) ** 2, [np.array([1e160, 2e160])]),
        r"f\(w\) must be finite",
    ),
    (
        "coarse_to_fine_huge_values",
        lambda: P.plot_coarse_to_fine(
            lambda w: np.asarray(w), [(np.array([0.0, 1e300]), np.array([0.0, 1e300]), 0.0)]
        ),
        r"levels\[0\] grid must be finite and at most 1e\+200",
    ),
]


@pytest.mark.parametrize(("name", "draw", "match"), REFUSED, ids=[c[0] for c in REFUSED])
def test_undrawable_data_is_refused_naming_the_argument(
    name: str, draw: Callable[[], Any], match: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            draw()
    assert plt.get_fignums() == []
