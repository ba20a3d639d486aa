r"""The figures of lectures 1–3, drawn from results computed elsewhere.

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
a figure of your own, pass ``ax=`` (e.g. from ``fig, ax = plt.subplots()``). The diagrams of
:mod:`lecturelib.diagrams` follow the same rule.

**Degenerate data.** Zero, single-point and constant data are drawn without warnings (a log cost
axis without any positive cost becomes linear; a curve left with one point gets a marker).
Values beyond :math:`10^{200}` in magnitude (``lecturelib.plots_base.MAX_DRAWN``) are refused with
a ``ValueError`` naming the argument: matplotlib's axes overflow float64 not far beyond them.

This module holds the curves of lecture 2 (data, guesses, cost) and of the training runs of
lecture 3; it also re-exports the landscape figures (``lecturelib.plots_landscape``: surfaces,
contours, descent paths) and the course figures (``lecturelib.plots_course``: grids, data
sets, timeline), so ``from lecturelib.plots import ...`` reaches all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from ._validate import FloatArray, as_data, as_float_array, as_real
from .plots_base import MAX_DRAWN, as_vector, drawable, fmt_num, new_axes
from .plots_course import (
    PYTORCH_NOTES,
    PYTORCH_RELEASES,
    plot_curse_of_dimensionality,
    plot_distribution_shift,
    plot_grid_growth,
    plot_grid_points,
    plot_pytorch_timeline,
    plot_split,
)
from .plots_landscape import (
    plot_coarse_to_fine,
    plot_cost_contour,
    plot_cost_surface,
    plot_descent_1d,
    plot_saddle,
)
from .style import COLORS

__all__ = [
    "PYTORCH_NOTES",
    "PYTORCH_RELEASES",
    "plot_coarse_to_fine",
    "plot_convergence_by_updates",
    "plot_cost_contour",
    "plot_cost_curve",
    "plot_cost_history",
    "plot_cost_surface",
    "plot_curse_of_dimensionality",
    "plot_data_and_guesses",
    "plot_descent_1d",
    "plot_distribution_shift",
    "plot_grid_growth",
    "plot_grid_points",
    "plot_pytorch_timeline",
    "plot_saddle",
    "plot_smoothing",
    "plot_split",
]

_RUN_COLORS = (
    COLORS["gd"],
    COLORS["sgd"],
    COLORS["minibatch"],
    COLORS["model"],
    COLORS["highlight"],
)


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
            color=_RUN_COLORS[k % len(_RUN_COLORS)],
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
    axes.plot(
        [bw],
        [bc],
        "o",
        color=COLORS["model"],
        markersize=9,
        zorder=3,
        label="最小值",
        clip_on=False,
    )
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
        or an object with a ``.cost`` array (a :class:`~lecturelib.training.History`; its
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
        color = _RUN_COLORS[k % len(_RUN_COLORS)]
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
            axes.plot([steps[last]], [costs[last]], "X", color=color, markersize=10, zorder=4)
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


def plot_convergence_by_updates(
    costs_per_update: Sequence[Any],
    labels: Sequence[str],
    *,
    ax: Axes | None = None,
    logx: bool = False,
) -> Axes:
    r"""Cost against the number of weight updates, e.g. for GD, SGD and mini-batch SGD.

    Run :math:`k` is drawn as points :math:`(t, \operatorname{cost}(w_t))` for
    :math:`t = 0, 1, \dots` (index 0 = before the first update). With the same number of epochs,
    SGD makes :math:`N` updates per epoch, mini-batch :math:`N/B` and GD one.

    Parameters
    ----------
    costs_per_update
        One 1-D cost array per run (finite, at most :math:`10^{200}`). The cost axis is
        logarithmic: costs :math:`\le 0` are left out, a run left with fewer than two points
        is drawn with markers, and when no cost is positive the axis is linear instead.
    labels
        One label per run (e.g. ``("梯度下降 GD", "随机梯度下降 SGD", "小批量 B = 2")``).
    logx
        Logarithmic update axis from 1 update on: a symmetric-log axis
        (``symlog``, linear between 0 and 1), so every point stays at its true number of
        updates and update 0 (before training) is still drawn, at 0.
    ax
        Where to draw; a new figure when ``None``.
    """
    if isinstance(costs_per_update, np.ndarray) and costs_per_update.ndim == 1:
        costs_per_update = [costs_per_update]
    if isinstance(labels, str) or len(labels) != len(costs_per_update):
        raise ValueError(f"labels must hold one label per run ({len(costs_per_update)})")
    if len(costs_per_update) == 0:
        raise ValueError("costs_per_update must not be empty")
    runs = [
        drawable(f"costs_per_update[{k}]", as_vector(f"costs_per_update[{k}]", run_costs))
        for k, run_costs in enumerate(getattr(r, "cost", r) for r in costs_per_update)
    ]
    log = any(np.any(costs > 0) for costs in runs)
    axes = new_axes(ax)
    for k, (costs, label) in enumerate(zip(runs, labels, strict=True)):
        t = np.arange(costs.size, dtype=np.float64)  # t updates made; 0 = before training
        shown = int(np.count_nonzero(costs > 0)) if log else costs.size
        axes.plot(
            t,
            costs,
            color=_RUN_COLORS[k % len(_RUN_COLORS)],
            label=label,
            linewidth=1.6,
            alpha=0.9,
            marker="o" if shown < 2 else None,
        )
    if log:
        axes.set_yscale("log", nonpositive="mask")
    if logx:
        axes.set_xscale("symlog", linthresh=1.0, linscale=0.5)
        axes.set_xlim(left=0.0)  # no negative decades: the axis starts at update 0
    axes.set_xlabel("更新次数（权重 w 被更新了几次）")
    axes.set_ylabel("代价 cost（MSE）")
    axes.legend()
    return axes


def plot_smoothing(
    raw: Any,
    smoothed: Any,
    *,
    ax: Axes | None = None,
    labels: tuple[str, str] = ("原始 cost", "指数加权均值"),
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
