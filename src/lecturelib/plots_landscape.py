r"""Cost landscapes of lectures 2–3: surfaces, contour maps, descent paths, saddles.

All functions draw precomputed grids and paths (a grid ``cost`` has shape ``(len(b), len(w))``,
as ``np.meshgrid(w, b)`` gives) and return the Axes they drew on. Re-exported by
:mod:`lecturelib.plots`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]

from ._validate import FloatArray, as_float_array, as_int
from .plots_base import (
    as_grid,
    as_path,
    as_vector,
    bilinear,
    drawable,
    new_axes,
    new_axes3d,
)
from .style import COLORS

__all__ = [
    "plot_coarse_to_fine",
    "plot_cost_contour",
    "plot_cost_surface",
    "plot_descent_1d",
    "plot_saddle",
]

_PATH_COLORS = (COLORS["model"], COLORS["sgd"], COLORS["highlight"], COLORS["gd"])
_MAX_ARROWS = 25


def _surface(
    axes: Axes3D, w: FloatArray, b: FloatArray, z: FloatArray, labels: tuple[str, str, str]
) -> None:
    ww, bb = np.meshgrid(w, b)
    axes.plot_surface(
        ww,
        bb,
        z,
        rcount=25,
        ccount=25,
        cmap="viridis",
        linewidth=0.15,
        edgecolor="#FFFFFF66",
        alpha=0.9,
        antialiased=True,
    )
    axes.xaxis.set_major_locator(MaxNLocator(5))
    axes.yaxis.set_major_locator(MaxNLocator(5))
    axes.zaxis.set_major_locator(MaxNLocator(5))
    axes.set_xlabel(labels[0])
    axes.set_ylabel(labels[1])
    axes.set_zlabel(labels[2])
    axes.view_init(elev=30, azim=-125)
    axes.set_box_aspect(None, zoom=0.92)


def _path3d(
    axes: Axes3D,
    w: FloatArray,
    b: FloatArray,
    z: FloatArray,
    path: FloatArray,
    color: str,
    label: str | None,
) -> None:
    height = path[:, 2] if path.shape[1] == 3 else bilinear(w, b, z, path)
    axes.computed_zorder = False
    axes.plot(
        path[:, 0],
        path[:, 1],
        height,
        color=color,
        marker="o",
        markersize=3,
        linewidth=1.8,
        zorder=10,
        label=label,
    )
    axes.plot(
        [path[-1, 0]], [path[-1, 1]], [height[-1]], "*", color=color, markersize=12, zorder=11
    )


def _path2d(axes: Axes, path: FloatArray, color: str, label: str | None) -> None:
    axes.plot(
        path[:, 0],
        path[:, 1],
        color=color,
        marker="o",
        markersize=3,
        linewidth=1.2,
        label=label,
        zorder=4,
    )
    step = max(1, (path.shape[0] - 1) // _MAX_ARROWS)
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    for i in range(0, path.shape[0] - 1, step):
        j = min(i + step, path.shape[0] - 1)
        dx = (path[j, 0] - path[i, 0]) / ((x1 - x0) or 1.0)
        dy = (path[j, 1] - path[i, 1]) / ((y1 - y0) or 1.0)
        if np.hypot(dx, dy) < 0.03:  # too short for a readable arrow head
            continue
        axes.annotate(
            "",
            xy=(path[j, 0], path[j, 1]),
            xytext=(path[i, 0], path[i, 1]),
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.4},
            zorder=5,
        )
    axes.plot([path[0, 0]], [path[0, 1]], "o", mfc="white", mec=color, markersize=8, zorder=6)


def _quiet(f: Callable[[FloatArray], Any], w: FloatArray) -> Any:
    """``f(w)`` with numpy's overflow warnings off: a value too large to draw is refused after."""
    with np.errstate(over="ignore", invalid="ignore"):
        return f(w)


def _levels(cost: FloatArray, levels: int | Sequence[float]) -> FloatArray:
    if isinstance(levels, int | np.integer):
        n = as_int("levels", levels, minimum=2)
        top = float(cost.max())
        if not top > 0:
            raise ValueError("cost must have a positive maximum for log-spaced levels")
        if float(cost.min()) == top:
            raise ValueError(
                f"cost must not be constant (every value is {top:g}): a contour map needs at "
                "least two different costs"
            )
        low = float(cost[cost > 0].min())
        low = max(low, top * 1e-6)
        if low == top:  # the maximum is the only positive cost: levels down to the floor
            low = top * 1e-6
        return np.geomspace(low, top, n)
    arr = as_vector("levels", levels, min_len=2)
    if np.any(np.diff(arr) <= 0) or arr[0] <= 0:
        raise ValueError("levels must be positive and strictly increasing")
    return arr


def plot_cost_surface(
    w: Any, b: Any, cost: Any, *, ax: Axes3D | None = None, path: Any = None
) -> Axes3D:
    r"""The cost surface :math:`\operatorname{cost}(w, b)` over a grid, in 3-D.

    Parameters
    ----------
    w, b
        Strictly increasing 1-D grids.
    cost
        Costs of shape ``(len(b), len(w))`` (``cost[i, j]`` belongs to ``(w[j], b[i])``).
        At most 25 × 25 facets are drawn, so the PNG stays small whatever the grid.
    path
        Optional descent path: shape ``(k, 3)`` of ``(w, b, cost)`` or ``(k, 2)`` of ``(w, b)``
        (its height then interpolated on the grid), or an object with ``.points``.
    ax
        A 3-D Axes (``projection="3d"``); a new figure when ``None``.
    """
    wa, ba, ca = as_grid(w, b, cost)
    pts = None if path is None else as_path("path", path, dims=(2, 3))
    axes = new_axes3d(ax)
    _surface(axes, wa, ba, ca, ("w", "b", "cost"))
    if pts is not None:
        _path3d(axes, wa, ba, ca, pts, COLORS["model"], "梯度下降的路径")
    axes.set_title("代价曲面 cost(w, b)")
    return axes


def plot_cost_contour(
    w: Any,
    b: Any,
    cost: Any,
    *,
    ax: Axes | None = None,
    best: tuple[float, float] | None = None,
    path: Any = None,
    levels: int | Sequence[float] = 14,
) -> Axes:
    r"""Contour map of :math:`\operatorname{cost}(w, b)` with log-spaced levels.

    Parameters
    ----------
    w, b, cost
        As in :func:`plot_cost_surface`.
    best
        The minimum ``(w*, b*)`` to mark with a star.
    path
        Optional descent path ``(k, 2)`` (or ``(k, 3)``; the third column is ignored), drawn
        with arrows (at most 25).
    levels
        Number of levels, geometrically spaced between the smallest positive and the largest
        cost (at most six decades: the lowest level is at least :math:`10^{-6}` times the
        largest cost, and costs below the lowest level are drawn at it), or the increasing
        positive levels themselves. With a number, ``cost`` must have a positive maximum and
        must not be constant.
    ax
        Where to draw; a new figure when ``None``.
    """
    wa, ba, ca = as_grid(w, b, cost)
    lv = _levels(ca, levels)
    pts = None if path is None else as_path("path", path, dims=(2, 3))
    star = None if best is None else as_float_array("best", best)
    if star is not None and star.shape != (2,):
        raise ValueError(f"best must be a pair (w, b), got shape {star.shape}")
    axes = new_axes(ax)
    norm = LogNorm(vmin=float(lv[0]), vmax=float(lv[-1]))
    clipped = np.clip(ca, lv[0], lv[-1])
    axes.contourf(wa, ba, clipped, levels=lv, norm=norm, cmap="viridis", alpha=0.35)
    lines = axes.contour(wa, ba, clipped, levels=lv, norm=norm, cmap="viridis", linewidths=1.0)
    axes.clabel(lines, np.asarray(lines.levels)[1::3], fmt="%.2g", fontsize=8)
    if pts is not None:
        _path2d(axes, pts, COLORS["model"], "梯度下降的路径")
    if star is not None:
        axes.plot(
            [star[0]],
            [star[1]],
            "*",
            color=COLORS["highlight"],
            markersize=16,
            mec="white",
            zorder=7,
            label="最小值",
        )
    axes.set_xlabel("w")
    axes.set_ylabel("b")
    axes.set_title("代价 cost(w, b) 的等高线")
    axes.grid(False)
    if pts is not None or star is not None:
        axes.legend(loc="upper right")
    return axes


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
    axes.plot(
        [final],
        [f_final],
        "*",
        color=COLORS["model"],
        markersize=15,
        mec="white",
        zorder=9,
        label="分治找到的点",
    )
    missed = f_final - float(curve[g]) > 1e-3 * spread
    axes.plot(
        [dense[g]],
        [curve[g]],
        "P",
        color=COLORS["global"],
        markersize=12,
        mec="white",
        zorder=9,
        label="全局最小值（被错过）" if missed else "全局最小值",
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
        _surface(axes3, wa, wb, za, ("w₁", "w₂", "cost"))
        for k, p in enumerate(pts):
            _path3d(axes3, wa, wb, za, p, _PATH_COLORS[k % len(_PATH_COLORS)], names[k])
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
        _path2d(axes, p, _PATH_COLORS[k % len(_PATH_COLORS)], names[k])
    if mark is not None:
        axes.plot(
            [mark[0]],
            [mark[1]],
            "D",
            color=COLORS["highlight"],
            markersize=9,
            zorder=7,
            label="鞍点",
        )
    axes.set_xlabel("w₁")
    axes.set_ylabel("w₂")
    axes.set_aspect("equal", adjustable="box")
    axes.grid(False)
    if labels is not None or mark is not None:
        axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    axes.set_title("鞍点附近的等高线")
    return axes
