r"""The figures of the SGD page (lecture 3, second half): why SGD cannot run in parallel, and
GD, SGD and mini-batches compared by the number of updates.

Every function draws on ``ax`` (a new figure, not registered with pyplot, when ``None``: see
:mod:`lecturelib.plots`) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validate import as_vector
from ..style import COLORS, RUN_COLORS, drawable, new_axes
from ._diagram import arrow, box, canvas

__all__ = ["diagram_sgd_dependency", "plot_convergence_by_updates"]


def diagram_sgd_dependency(*, ax: Axes | None = None) -> Axes:
    r"""Why SGD cannot run in parallel: GD's gradients against SGD's chain of updates.

    Two dependency patterns for four samples. GD: every
    :math:`\nabla\text{loss}_n(w_0)` is taken at the same :math:`w_0`, so the four can be
    computed at once, then averaged into one update. SGD:
    :math:`w_k = w_{k-1} - \alpha\,\nabla\text{loss}_k(w_{k-1})` needs :math:`w_{k-1}` first.
    """
    axes = canvas(ax, 12.0, 5.6)

    def heading(y: float, text: str) -> None:
        axes.text(0.1, y, text, fontsize=11, va="center")

    # GD: four independent gradients at the same w0, averaged, one update
    heading(
        5.25, "梯度下降 GD：4 个样本的梯度都在同一个 w₀ 处计算，互不依赖，可以并行；平均后更新一次"
    )
    for k in range(4):
        x = 2.75 + k * 2.2
        box(axes, x, 4.35, 1.95, 0.6, f"∇loss{'₁₂₃₄'[k]}(w₀)", fc=COLORS["learned"], size=10)
        arrow(axes, (x, 4.05), (6.05, 3.35))
    box(axes, 0.75, 3.05, 1.0, 0.6, "w₀", size=10.5)
    box(axes, 6.05, 3.05, 1.3, 0.6, "平均", fc=COLORS["designed"], size=10)
    box(axes, 11.25, 3.05, 1.0, 0.6, "w₁", size=10.5)
    arrow(axes, (1.25, 3.05), (5.4, 3.05))
    arrow(axes, (6.7, 3.05), (10.75, 3.05), color=COLORS["gd"])
    # SGD: a serial chain, update k needs w_{k-1}
    heading(1.95, "随机梯度下降 SGD：第 k 次更新要用上一步的 w，只能串行")
    for k in range(5):
        x = 0.75 + k * 2.625
        box(axes, x, 0.8, 1.0, 0.6, f"w{'₀₁₂₃₄'[k]}", size=10.5)
        if k:
            arrow(axes, (x - 2.625 + 0.5, 0.8), (x - 0.5, 0.8), color=COLORS["sgd"])
            axes.text(
                x - 1.3125,
                1.0,
                f"∇loss{'₁₂₃₄'[k - 1]}(w{'₀₁₂₃'[k - 1]})",
                ha="center",
                va="bottom",
                fontsize=10,
            )
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
            color=RUN_COLORS[k % len(RUN_COLORS)],
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
