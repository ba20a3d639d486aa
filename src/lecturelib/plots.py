r"""The general plots of lectures 2–3: data and guesses, cost curves, cost landscapes, smoothing.

These are the plots a learner reuses with their own runs: the data with guessed lines
(:func:`plot_data_and_guesses`), the cost of an exhaustive search (:func:`plot_cost_curve`), the
cost of training runs (:func:`plot_cost_history`), the cost over two parameters as a surface and
a contour map (:func:`plot_cost_surface`, :func:`plot_cost_contour`) and a smoothed curve
(:func:`plot_smoothing`). The figures made for one page of this site are in
:mod:`lecturelib.figures`.

Every function takes arrays (or result objects) that are already computed — it never trains or
searches — draws on ``ax`` and returns the Axes. Labels are Chinese; colours come from
:data:`lecturelib.style.COLORS`. Call :func:`lecturelib.style.use_style` once before drawing.

**Who owns the figure.** With ``ax=None`` (the default) a function makes a new
:class:`matplotlib.figure.Figure` *without* pyplot. Nothing is registered with pyplot, so figures
never pile up in a script and ``plt.show()`` does not show them: the figure belongs to the
caller and is freed with the returned Axes. Save it with ``ax.figure.savefig("cost.png")``. In a
Jupyter kernel a cell that ends with the returned Axes (or with ``ax.figure``) displays the
figure as a PNG: lecturelib registers IPython display formatters for Axes and figures (at
:func:`~lecturelib.style.use_style` and at the first plot). To draw into a pyplot window or into
a figure of your own, pass ``ax=`` (e.g. from ``fig, ax = plt.subplots()``). The figures of
:mod:`lecturelib.figures` follow the same rule.

**Degenerate data.** Zero, single-point and constant data are drawn without warnings (a log cost
axis without any positive cost becomes linear; a curve left with one point gets a marker).
Values beyond :math:`10^{200}` in magnitude (:data:`lecturelib.style.MAX_DRAWN`) are refused
with a ``ValueError`` naming the argument: matplotlib's axes overflow float64 not far beyond
them.

A grid ``cost`` of the landscape plots has shape ``(len(b), len(w))``, as
``np.meshgrid(w, b)`` gives. The pieces that draw a surface and a descent path on it
(``draw_surface``, ``draw_path_2d``, ``draw_path_3d``) are shared with the landscapes of
:mod:`lecturelib.figures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.ticker import MaxNLocator
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]
from numpy.typing import NDArray

from ._validate import FloatArray, as_data, as_float_array, as_int, as_real, as_vector
from .style import (
    COLORS,
    MAX_DRAWN,
    RUN_COLORS,
    as_grid,
    as_path,
    bilinear,
    drawable,
    fmt_num,
    mark_point,
    new_axes,
    new_axes3d,
)

__all__ = [
    "plot_cost_contour",
    "plot_cost_curve",
    "plot_cost_history",
    "plot_cost_surface",
    "plot_data_and_guesses",
    "plot_smoothing",
]

_MAX_ARROWS = 25


def plot_data_and_guesses(
    x: Any, y: Any, ws: Any, *, b: float = 0.0, ax: Axes | None = None
) -> Axes:
    r"""The training points and the lines :math:`\hat y = x\,w + b` of several guessed weights.

    Parameters
    ----------
    x, y
        The training set (1-D, equal length).
    ws
        The guessed weights, one line each (legend ``w = 3.0``).
    b
        The bias shared by all lines (0: the lecture's model :math:`\hat y = x\,w`).
    ax
        Where to draw; a new figure when ``None``.
    """
    xa, ya = as_data(x, y)
    drawable("x", xa)
    drawable("y", ya)
    wa = drawable("ws", as_vector("ws", ws))
    bias = float(drawable("b", as_real("b", b)))
    hi = float(max(xa.max(), 0.0)) * 1.15 + 0.1
    lo = float(min(xa.min(), 0.0))
    grid = np.linspace(lo, hi, 50)
    with np.errstate(over="ignore", invalid="ignore"):
        lines = [grid * w + bias for w in wa]
    for k, line in enumerate(lines):
        drawable(f"the line of ws[{k}] (x·w + b over the data's range)", line)
    axes = new_axes(ax)
    for k, (w, line) in enumerate(zip(wa, lines, strict=True)):
        axes.plot(
            grid,
            line,
            color=RUN_COLORS[k % len(RUN_COLORS)],
            label=f"w = {fmt_num(float(w))}",
            zorder=2,
        )
    axes.plot(xa, ya, "o", color=COLORS["data"], markersize=7, label="训练数据", zorder=3)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    formula = "ŷ = x·w" if bias == 0 else f"ŷ = x·w + {fmt_num(bias)}"
    axes.set_title(f"随机猜测 w：{formula}")
    axes.legend(loc="upper left")
    return axes


def plot_cost_curve(
    w: Any, cost: Any, *, best: tuple[float, float] | None = None, ax: Axes | None = None
) -> Axes:
    r"""The cost (MSE) of every weight of an exhaustive search, with the best point marked.

    .. math::

       \operatorname{cost}(w) = \frac{1}{N}\sum_{n=1}^{N}(x_n w - y_n)^2

    Parameters
    ----------
    w, cost
        The searched weights and their costs (1-D, equal length).
    best
        The point ``(w*, cost*)`` to mark; by default the smallest cost of the grid.
    ax
        Where to draw; a new figure when ``None``.
    """
    wa, ca = as_data(w, cost, x_name="w", y_name="cost")
    drawable("w", wa)
    drawable("cost", ca)
    if best is None:
        k = int(np.argmin(ca))
        bw, bc = float(wa[k]), float(ca[k])
    else:
        pair = as_float_array("best", best)
        if pair.shape != (2,):
            raise ValueError(f"best must be a pair (w, cost), got shape {pair.shape}")
        drawable("best", pair)
        bw, bc = float(pair[0]), float(pair[1])
    axes = new_axes(ax)
    axes.plot(wa, ca, color=COLORS["gd"], label="MSE", marker="o" if wa.size == 1 else None)
    mark_point(axes, (bw, bc), "o", 9, COLORS["model"], zorder=3, label="最小值", clip_on=False)
    axes.annotate(
        f"w = {fmt_num(bw)}\nMSE = {bc:.3g}",
        xy=(bw, bc),
        xytext=(0, 28),
        textcoords="offset points",
        ha="center",
        va="bottom",
        arrowprops={"arrowstyle": "->", "color": COLORS["edge"]},
    )
    axes.set_xlabel("w")
    axes.set_ylabel("代价 cost（MSE）")
    axes.set_title("穷举 w：每个 w 的平均平方误差")
    # from 0 (or the lowest cost) to the highest, with a margin; a unit span when all are equal
    lo, hi = min(0.0, float(ca.min())), max(0.0, float(ca.max()))
    span = hi - lo if hi > lo else 1.0
    axes.set_ylim(lo - 0.03 * span, lo + 1.05 * span)
    return axes


# -- cost landscapes: a surface and a contour map over (w, b) ----------------------------------


def draw_surface(
    axes: Axes3D, w: FloatArray, b: FloatArray, z: FloatArray, labels: tuple[str, str, str]
) -> None:
    """Draw the surface ``z[i, j]`` over ``(w[j], b[i])``: 25 × 25 facets at most, viridis."""
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


def draw_path_3d(
    axes: Axes3D,
    w: FloatArray,
    b: FloatArray,
    z: FloatArray,
    path: FloatArray,
    color: str,
    label: str | None,
) -> None:
    """Draw a path on a surface, its end starred; its heights interpolated unless given."""
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


def draw_path_2d(axes: Axes, path: FloatArray, color: str, label: str | None) -> None:
    """Draw a path on a map with arrows (at most ``_MAX_ARROWS``) and its start circled."""
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
    draw_surface(axes, wa, ba, ca, ("w", "b", "cost"))
    if pts is not None:
        draw_path_3d(axes, wa, ba, ca, pts, COLORS["model"], "梯度下降的路径")
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
        draw_path_2d(axes, pts, COLORS["model"], "梯度下降的路径")
    if star is not None:
        mark_point(axes, star, "*", 16, COLORS["highlight"], mec="white", zorder=7, label="最小值")
    axes.set_xlabel("w")
    axes.set_ylabel("b")
    axes.set_title("代价 cost(w, b) 的等高线")
    axes.grid(False)
    if pts is not None or star is not None:
        axes.legend(loc="upper right")
    return axes


# -- training runs -------------------------------------------------------------------------------


def _costs_of(name: str, run: Any) -> tuple[FloatArray, NDArray[np.bool_], bool, int]:
    """A run's costs, which of them can be drawn, whether it diverged, its updates per epoch.

    A cost can be drawn when it is finite and at most ``MAX_DRAWN`` in magnitude; larger ones
    are treated like ``inf`` (an overflow of a diverging run).
    """
    raw = getattr(run, "cost", run)
    arr = as_float_array(name, raw, finite=False)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D cost array, got shape {arr.shape}")
    drawn = np.abs(arr) <= MAX_DRAWN  # False for NaN and inf too
    if not drawn[0]:
        raise ValueError(f"{name} must start with a finite cost of at most {MAX_DRAWN:g}")
    flagged = getattr(run, "diverged", None)
    finite = arr[drawn]
    exploded = (not np.all(drawn)) or (
        finite.size > 1 and finite[-1] > 10.0 * max(finite[0], 1e-300) and finite[-1] > finite[-2]
    )
    diverged = bool(flagged) if flagged is not None else bool(exploded)
    per_epoch = int(getattr(run, "updates_per_epoch", 1) or 1)
    return arr, drawn, diverged, per_epoch


def _runs(value: Any) -> list[Any]:
    if hasattr(value, "cost"):
        return [value]
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        if len(value) == 0:
            raise ValueError("histories_or_costs must not be empty")
        if all(np.ndim(v) == 0 and not hasattr(v, "cost") for v in value):
            return [value]
        return list(value)
    raise TypeError(
        "histories_or_costs must be a cost array, an object with a .cost array, or a sequence "
        f"of those, not {type(value).__name__}"
    )


def plot_cost_history(
    histories_or_costs: Any,
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    logy: bool = True,
    x: Literal["epoch", "update"] = "epoch",
) -> Axes:
    r"""Cost against epoch for one or more training runs; a diverged run is marked 发散.

    Parameters
    ----------
    histories_or_costs
        One run or a sequence of runs. A run is a 1-D array of costs (index 0 = before training)
        or an object with a ``.cost`` array (a :class:`~lecturelib.history.History`; its
        ``.diverged`` flag is used when present). Without the flag, a run diverged when a cost
        is infinite/NaN or the last cost is more than ten times the first and still rising.
        Costs above :math:`10^{200}` are treated like infinite ones (not drawn); the first
        cost must be finite and at most :math:`10^{200}`.
    labels
        One legend entry per run.
    logy
        Logarithmic cost axis. Costs :math:`\le 0` cannot be drawn on it and are left out (a
        run that reaches exactly 0 ends at its last positive cost); a run left with fewer than
        two points is drawn with markers so it stays visible. When no cost of any run is
        positive the axis is linear instead.
    x
        ``"epoch"``: x is the epoch; ``"update"``: epoch × ``updates_per_epoch`` of the run.
    ax
        Where to draw; a new figure when ``None``.
    """
    if x not in ("epoch", "update"):
        raise ValueError(f"x must be 'epoch' or 'update', got {x!r}")
    runs = _runs(histories_or_costs)
    if labels is not None and (isinstance(labels, str) or len(labels) != len(runs)):
        raise ValueError(f"labels must hold one label per run ({len(runs)})")
    parsed = [_costs_of(f"histories_or_costs[{k}]", run) for k, run in enumerate(runs)]
    log = logy and any(np.any(keep & (costs > 0)) for costs, keep, _, _ in parsed)
    axes = new_axes(ax)
    for k, (costs, keep, diverged, per_epoch) in enumerate(parsed):
        steps = np.arange(costs.size) * (per_epoch if x == "update" else 1)
        shown = int(np.count_nonzero(keep & (costs > 0))) if log else int(np.count_nonzero(keep))
        color = RUN_COLORS[k % len(RUN_COLORS)]
        label = labels[k] if labels is not None else None
        if diverged:
            label = f"{label}（发散）" if label else "发散"
        axes.plot(
            steps[keep],
            costs[keep],
            color=color,
            label=label,
            linestyle="--" if diverged else "-",
            marker="o" if costs.size <= 30 or shown < 2 else None,
            markersize=3.5,
        )
        if diverged:
            last = int(np.flatnonzero(keep)[-1])
            mark_point(axes, (steps[last], costs[last]), "X", 10, color, zorder=4)
            axes.annotate(
                "发散",
                xy=(steps[last], costs[last]),
                xytext=(-8, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                color=color,
            )
    if log:
        axes.set_yscale("log", nonpositive="mask")
    axes.set_xlabel("轮次 epoch" if x == "epoch" else "更新次数")
    axes.set_ylabel("代价 cost（MSE）")
    if labels is not None or any(not str(line.get_label()).startswith("_") for line in axes.lines):
        axes.legend()
    return axes


def plot_smoothing(
    raw: Any,
    smoothed: Any,
    *,
    labels: tuple[str, str] = ("原始 cost", "指数加权均值"),
    ax: Axes | None = None,
) -> Axes:
    r"""A noisy series and its exponentially weighted moving average.

    .. math::

       C'_0 = C_0, \qquad C'_i = \beta\,C_i + (1 - \beta)\,C'_{i-1}

    Parameters
    ----------
    raw, smoothed
        The series :math:`C_i` and its average :math:`C'_i` (1-D, equal length), e.g. from
        :func:`lecturelib.smoothing.ewma`.
    labels
        Legend entries of the two curves.
    ax
        Where to draw; a new figure when ``None``.
    """
    ra, sa = as_data(raw, smoothed, x_name="raw", y_name="smoothed")
    drawable("raw", ra)
    drawable("smoothed", sa)
    if isinstance(labels, str) or len(labels) != 2:
        raise ValueError("labels must be a pair (raw label, smoothed label)")
    axes = new_axes(ax)
    steps = np.arange(ra.size)
    axes.plot(steps, ra, color=COLORS["raw"], linewidth=1.0, alpha=0.8, label=labels[0])
    axes.plot(steps, sa, color=COLORS["smooth"], linewidth=2.2, label=labels[1])
    axes.set_xlabel("轮次 epoch")
    axes.set_ylabel("代价 cost")
    axes.legend()
    return axes
