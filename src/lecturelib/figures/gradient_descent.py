r"""The figures of the gradient-descent page (lecture 3): how exhaustive search grows, how
divide-and-conquer misses the global minimum, descent into a local minimum, and a saddle point.

Every function draws on ``ax`` (a new figure, not registered with pyplot, when ``None``: see
:mod:`lecturelib.plots`) and returns the Axes. The costs are drawn from precomputed grids and
paths, e.g. of :mod:`lecturelib.landscapes` (a grid ``z`` has shape ``(len(w2), len(w1))``, as
``np.meshgrid(w1, w2)`` gives).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._validate import FloatArray, as_float_array, as_int, as_vector
from ..plots import draw_path_2d, draw_path_3d, draw_surface
from ..style import (
    COLORS,
    MAX_DRAWN,
    as_grid,
    as_path,
    bilinear,
    drawable,
    mark_point,
    new_axes,
    new_axes3d,
    new_figure,
)

__all__ = [
    "plot_coarse_to_fine",
    "plot_descent_1d",
    "plot_grid_growth",
    "plot_grid_points",
    "plot_saddle",
]

_PATH_COLORS = (COLORS["model"], COLORS["sgd"], COLORS["highlight"], COLORS["gd"])


def plot_grid_points(points_per_axis: int, *, ax: Sequence[Axes] | None = None) -> Any:
    r"""Sampling grids of exhaustive search: :math:`p` points for one weight, :math:`p^2` for two.

    Parameters
    ----------
    points_per_axis
        :math:`2 \le p \le 40` (every point is drawn).
    ax
        A pair of 2-D Axes, or ``None`` for a new 1 × 2 figure.

    Returns
    -------
    numpy.ndarray
        Object array of the two Axes ``[1-D grid, 2-D grid]``.
    """
    p = as_int("points_per_axis", points_per_axis, minimum=2, maximum=40)
    if ax is None:
        fig = new_figure((6.4, 3.2))
        created = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1]})
        pair = [created[0], created[1]]
    else:
        if isinstance(ax, Axes) or len(ax) != 2:
            raise TypeError("ax must be a pair of Axes (or None)")
        pair = [new_axes(a) for a in ax]
    grid = np.linspace(0.0, 1.0, p)
    left, right = pair
    left.plot(grid, np.zeros_like(grid), "o", color=COLORS["gd"], markersize=5)
    left.set_title(f"1 个权重：{p} 个点")
    left.set_xlabel("w")
    left.set_yticks([])
    left.set_ylim(-0.5, 0.5)
    ww, bb = np.meshgrid(grid, grid)
    right.plot(ww.ravel(), bb.ravel(), "o", color=COLORS["model"], markersize=3)
    right.set_title(f"2 个权重：{p}² = {p * p} 个点")
    right.set_xlabel("w₁")
    right.set_ylabel("w₂")
    for a in pair:
        a.set_aspect("equal", adjustable="box")
        a.grid(False)
        a.set_xticks([])
        a.set_xlim(-0.08, 1.08)
    right.set_yticks([])
    right.set_ylim(-0.08, 1.08)
    return np.array(pair, dtype=object)


def _power_text(base: int, n: int) -> str:
    """``$10^{4}$`` when ``base`` is a power of ten, else ``$7^{3}$`` (pure mathtext)."""
    exponent = math.log10(base)
    if base > 1 and exponent == int(exponent):
        return f"$10^{{{int(exponent) * n}}}$"
    return f"${base}^{{{n}}}$"


def plot_grid_growth(points_per_axis: int, max_weights: int, *, ax: Axes | None = None) -> Axes:
    r"""Cost evaluations of an exhaustive search against the number of weights.

    With :math:`p` points per axis and :math:`n` weights the grid has :math:`p^n` points, each
    one a full pass over the data: exponential growth.

    Parameters
    ----------
    points_per_axis
        :math:`p \ge 2`.
    max_weights
        Largest :math:`n` drawn (:math:`1 \le n`, and :math:`30\,p^n \le 10^{200}`, the
        largest value lecturelib draws).
    ax
        Where to draw; a new figure when ``None``.
    """
    p = as_int("points_per_axis", points_per_axis, minimum=2)
    top = as_int("max_weights", max_weights, minimum=1)
    if top * math.log10(p) > math.log10(MAX_DRAWN / 30):  # the axis reaches 30 p^n
        raise ValueError(
            f"max_weights too large: {p}**{top} is beyond the drawable range ({MAX_DRAWN:g})"
        )
    n = np.arange(1, top + 1)
    counts = [p**k for k in range(1, top + 1)]  # exact Python ints
    axes = new_axes(ax)
    axes.semilogy(n, [float(c) for c in counts], "o-", color=COLORS["gd"])
    for k, c in zip(n, counts, strict=True):
        axes.annotate(
            _power_text(p, int(k)),
            xy=(float(k), float(c)),
            xytext=(-6, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=11,
        )
    axes.set_xticks(n)
    axes.set_xlabel("权重个数 n")
    axes.set_ylabel("需要计算的代价次数")
    axes.set_title(f"穷举：每个权重取 {p} 个点，共 {p}ⁿ 个组合")
    axes.set_ylim(top=float(counts[-1]) * 30)
    axes.set_xlim(0.4, top + 0.4)
    return axes


def _quiet(f: Callable[[FloatArray], Any], w: FloatArray) -> Any:
    """``f(w)`` with numpy's overflow warnings off: a value too large to draw is refused after."""
    with np.errstate(over="ignore", invalid="ignore"):
        return f(w)


def plot_coarse_to_fine(
    f: Callable[[FloatArray], Any], levels: Any, *, ax: Axes | None = None
) -> Axes:
    r"""Divide-and-conquer search on a non-convex cost: each level's grid and chosen cell.

    Level :math:`k+1` re-grids the cell around the best point of level :math:`k`. On a
    non-convex cost the first, coarse grid can pick the wrong valley; then every later level
    refines a local minimum and the global minimum :math:`\min_w f(w)` is missed.

    Parameters
    ----------
    f
        The cost, vectorised over a 1-D array (drawn on the range of the first grid).
    levels
        A sequence of ``(grid, values, best)`` tuples — ``values = f(grid)`` and ``best`` the
        chosen grid point — or an object with such a ``.levels`` attribute
        (:func:`lecturelib.search.coarse_to_fine`).
    ax
        Where to draw; a new figure when ``None``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    items = list(getattr(levels, "levels", levels))
    if not items:
        raise ValueError("levels must not be empty")
    parsed: list[tuple[FloatArray, FloatArray, float]] = []
    for k, item in enumerate(items):
        if len(item) != 3:
            raise ValueError(f"levels[{k}] must be a (grid, values, best) tuple")
        grid = drawable(f"levels[{k}] grid", as_vector(f"levels[{k}] grid", item[0], min_len=2))
        values = drawable(
            f"levels[{k}] values", as_vector(f"levels[{k}] values", item[1], min_len=2)
        )
        if grid.shape != values.shape:
            raise ValueError(f"levels[{k}]: grid and values must have the same length")
        chosen = drawable(f"levels[{k}] best", as_float_array(f"levels[{k}] best", item[2]))
        parsed.append((grid, values, float(chosen)))
    lo, hi = float(parsed[0][0].min()), float(parsed[0][0].max())
    dense = np.linspace(lo, hi, 600)
    curve = drawable("f(w)", as_vector("f(w)", _quiet(f, dense)))
    axes = new_axes(ax)
    axes.plot(dense, curve, color=COLORS["muted"], linewidth=1.6, label="代价 f(w)")
    colors = (COLORS["gd"], COLORS["sgd"], COLORS["minibatch"], COLORS["highlight"])
    for k, (grid, values, best) in enumerate(parsed):
        color = colors[k % len(colors)]
        axes.plot(
            grid,
            values,
            "o",
            color=color,
            markersize=max(7.0 - 1.5 * k, 3.5),
            label=f"第 {k + 1} 层：{grid.size} 个点",
            zorder=3 + k,
        )
        nxt = parsed[k + 1][0] if k + 1 < len(parsed) else None
        cell = (float(nxt.min()), float(nxt.max())) if nxt is not None else (best, best)
        if nxt is not None:
            axes.axvspan(cell[0], cell[1], color=color, alpha=0.12, zorder=0)
    final = parsed[-1][2]
    g = int(np.argmin(curve))
    spread = float(curve.max() - curve.min()) or 1.0
    f_final = float(np.interp(final, dense, curve))
    mark_point(
        axes,
        (final, f_final),
        "*",
        15,
        COLORS["model"],
        mec="white",
        zorder=9,
        label="分治找到的点",
    )
    missed = f_final - float(curve[g]) > 1e-3 * spread
    found = "全局最小值（被错过）" if missed else "全局最小值"
    mark_point(
        axes, (dense[g], curve[g]), "P", 12, COLORS["global"], mec="white", zorder=9, label=found
    )
    axes.set_xlabel("w")
    axes.set_ylabel("代价 cost")
    axes.set_title("分治搜索：先粗后细")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return axes


def _paths(name: str, paths: Any) -> list[FloatArray]:
    if hasattr(paths, "points") or (
        isinstance(paths, np.ndarray) and paths.ndim <= 2 and paths.dtype != object
    ):
        paths = [paths]
    return [as_path(f"{name}[{k}]", p, dims=(1, 2, 3)) for k, p in enumerate(paths)]


def plot_descent_1d(
    f: Callable[[FloatArray], Any],
    paths: Any,
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    w_range: tuple[float, float] | None = None,
) -> Axes:
    r"""A 1-D cost curve with gradient-descent paths :math:`w_{t+1} = w_t - \alpha f'(w_t)`.

    Parameters
    ----------
    f
        The cost, vectorised over a 1-D array.
    paths
        One path or a sequence of paths: 1-D arrays of the iterates :math:`w_0, w_1, \dots`
        (or ``(k, 1)`` arrays, or objects with ``.points``).
    labels
        One text per path, written at its end point (e.g. ``"局部最小值"``, ``"全局最小值"``).
    w_range
        The drawn range of ``w``; by default the paths' range with a margin.
    ax
        Where to draw; a new figure when ``None``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    pts = _paths("paths", paths)
    if any(p.shape[1] != 1 for p in pts):
        raise ValueError("paths must be 1-D (one weight per iterate)")
    if labels is not None and (isinstance(labels, str) or len(labels) != len(pts)):
        raise ValueError(f"labels must hold one label per path ({len(pts)})")
    if w_range is None:
        allw = np.concatenate([p[:, 0] for p in pts])
        span = float(allw.max() - allw.min()) or 1.0
        lo, hi = float(allw.min()) - 0.2 * span, float(allw.max()) + 0.2 * span
    else:
        r = as_float_array("w_range", w_range)
        if r.shape != (2,) or not r[0] < r[1]:
            raise ValueError("w_range must be a pair (low, high) with low < high")
        drawable("w_range", r)
        lo, hi = float(r[0]), float(r[1])
    dense = np.linspace(lo, hi, 500)
    curve = drawable("f(w)", as_vector("f(w)", _quiet(f, dense)))
    heights = [
        drawable(f"f(paths[{k}])", as_vector("f(path)", _quiet(f, p[:, 0])))
        for k, p in enumerate(pts)
    ]
    axes = new_axes(ax)
    axes.plot(dense, curve, color=COLORS["muted"], linewidth=1.8)
    for k, (p, fv) in enumerate(zip(pts, heights, strict=True)):
        color = _PATH_COLORS[k % len(_PATH_COLORS)]
        wv = p[:, 0]
        axes.plot(wv, fv, "-o", color=color, markersize=4, linewidth=1.0, zorder=3)
        axes.plot([wv[0]], [fv[0]], "o", mfc="white", mec=color, mew=2, markersize=10, zorder=4)
        axes.plot([wv[-1]], [fv[-1]], "o", color=color, markersize=10, zorder=4)
        if labels is not None:
            axes.annotate(
                labels[k],
                xy=(wv[-1], fv[-1]),
                xytext=(0, -16),
                textcoords="offset points",
                ha="center",
                va="top",
                color=color,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
            )
    handles = [
        Line2D(
            [], [], marker="o", mfc="white", mec=COLORS["edge"], mew=2, ls="", ms=9, label="起点 w₀"
        ),
        Line2D([], [], marker="o", color=COLORS["edge"], ls="", ms=9, label="终点"),
    ]
    axes.legend(handles=handles, loc="upper center")
    axes.set_xlabel("w")
    axes.set_ylabel("代价 cost")
    pad = 0.12 * float(curve.max() - curve.min() or 1.0)
    axes.set_ylim(float(curve.min()) - pad, float(curve.max()) + pad)
    return axes


def plot_saddle(
    w1: Any,
    w2: Any,
    z: Any,
    *,
    paths: Sequence[Any] = (),
    labels: Sequence[str] | None = None,
    saddle_point: tuple[float, float] | None = None,
    ax: Axes | None = None,
    kind: Literal["3d", "contour"] = "3d",
) -> Axes:
    r"""A saddle: the gradient is zero but it is a minimum along one axis, a maximum along another.

    For example :math:`f(w_1, w_2) = w_1^2 - w_2^2` at :math:`(0, 0)`.

    Parameters
    ----------
    w1, w2, z
        Grids and values, ``z`` of shape ``(len(w2), len(w1))``.
    paths
        Descent paths ``(k, 2)`` (or ``(k, 3)`` with heights; objects with ``.points`` too).
    labels
        One legend entry per path (e.g. ``("梯度下降：停在鞍点", "SGD：离开鞍点")``).
    saddle_point
        Where to mark 鞍点.
    kind
        ``"3d"``: surface (``ax`` must be 3-D); ``"contour"``: contour map.
    ax
        Where to draw; a new figure when ``None``.

    Returns
    -------
    Axes
        A 3-D Axes for ``kind="3d"``.
    """
    if kind not in ("3d", "contour"):
        raise ValueError(f"kind must be '3d' or 'contour', got {kind!r}")
    wa, wb, za = as_grid(w1, w2, z, names=("w1", "w2", "z"))
    pts = [as_path(f"paths[{k}]", p, dims=(2, 3)) for k, p in enumerate(paths)]
    if labels is not None and (isinstance(labels, str) or len(labels) != len(pts)):
        raise ValueError(f"labels must hold one label per path ({len(pts)})")
    mark = None if saddle_point is None else as_float_array("saddle_point", saddle_point)
    if mark is not None and mark.shape != (2,):
        raise ValueError(f"saddle_point must be a pair (w1, w2), got shape {mark.shape}")
    names = [None if labels is None else labels[k] for k in range(len(pts))]
    if kind == "3d":
        axes3 = new_axes3d(ax)
        draw_surface(axes3, wa, wb, za, ("w₁", "w₂", "cost"))
        for k, p in enumerate(pts):
            draw_path_3d(axes3, wa, wb, za, p, _PATH_COLORS[k % len(_PATH_COLORS)], names[k])
        if mark is not None:
            height = bilinear(wa, wb, za, mark[None, :])
            axes3.plot(
                [mark[0]],
                [mark[1]],
                height,
                "D",
                color=COLORS["highlight"],
                markersize=9,
                zorder=12,
                label="鞍点",
            )
        if labels is not None or mark is not None:
            axes3.legend(loc="upper left", bbox_to_anchor=(-0.05, 1.0), fontsize=9)
        axes3.set_title("鞍点：梯度为 0，但不是最小值")
        return cast(Axes, axes3)
    axes = new_axes(ax)
    lines = axes.contour(wa, wb, za, levels=15, cmap="viridis", linewidths=1.0)
    axes.clabel(lines, np.asarray(lines.levels)[::3], fmt="%.2g", fontsize=8)
    for k, p in enumerate(pts):
        draw_path_2d(axes, p, _PATH_COLORS[k % len(_PATH_COLORS)], names[k])
    if mark is not None:
        mark_point(axes, mark, "D", 9, COLORS["highlight"], zorder=7, label="鞍点")
    axes.set_xlabel("w₁")
    axes.set_ylabel("w₂")
    axes.set_aspect("equal", adjustable="box")
    axes.grid(False)
    if labels is not None or mark is not None:
        axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    axes.set_title("鞍点附近的等高线")
    return axes
