r"""The site's five explorers: figures of lectures 2–3 that the reader moves with a slider.

Each function precomputes every slider position with lecturelib's own functions and returns an
``Explorer`` (the mechanism is documented in ``lecturelib/figures/_explorer.py``): in a notebook
it displays as a PNG of its default state, on the course site as the interactive figure. Its
``figure(state)`` draws any state with matplotlib, ``png()`` renders the default one, ``html()``
gives the site's markup and ``positions()`` the control values of every state. One call per
page::

    from lecturelib import figures

    figures.explorer_gd_lr()

============================  ====  =====================================================
function                      page  the reader moves
============================  ====  =====================================================
:func:`explorer_cost_w`       02    the weight *w* of ŷ = x·w
:func:`explorer_cost_wb`      02    *w* and the bias *b* (the homework)
:func:`explorer_gd_lr`        03    the learning rate α and the start w₀
:func:`explorer_ewma`         03    the weight β of the moving average
:func:`explorer_sgd_batch`    04    the batch size and the shuffling of mini-batch SGD
============================  ====  =====================================================
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from .._validate import FloatArray, as_data, as_int, as_real, as_vector
from ..data import X_DATA, Y_DATA
from ..model import cost, forward
from ..smoothing import ewma
from ..stability import gd_lr_threshold
from ..training import gradient_descent, sgd
from ._explorer import (
    INK,
    Axis,
    Checkbox,
    Explorer,
    Panel,
    Readout,
    Series,
    Slider,
    as_states,
    linear_ticks,
    power_ticks,
)

__all__ = [
    "explorer_cost_w",
    "explorer_cost_wb",
    "explorer_ewma",
    "explorer_gd_lr",
    "explorer_sgd_batch",
    "gd_verdict",
]


def _course_data() -> tuple[FloatArray, FloatArray]:
    return as_data(X_DATA, Y_DATA)


def _line_panel(
    title: str, x: FloatArray, y: FloatArray, fits: list[FloatArray], ends: FloatArray, label: str
) -> Panel:
    """Data, a moving line (its values at ``ends``) and the residuals, on the lecture's axes.

    ``fits`` holds, per state, the line's values at ``ends`` and then at the data's ``x``.
    """
    k = ends.size
    return Panel(
        title,
        Axis("学习时间 x（小时）", 0.0, 3.5, linear_ticks(0.0, 3.5, 1.0)),
        Axis("分数 y", 0.0, 14.0, linear_ticks(0.0, 14.0, 2.0)),
        (
            Series(
                "stems",
                "highlight",
                x,
                as_states([f[k:] for f in fits]),
                label="残差 ŷ − y",
                width=1.5,
                dash=True,
                base=y,
            ),
            Series("line", "model", ends, as_states([f[:k] for f in fits]), label=label),
            Series("points", INK, x, y, label="训练数据", size=4.0),
        ),
    )


def explorer_cost_w() -> Explorer:
    r"""``cost-w``: move *w* and watch the line, its residuals and the MSE–*w* curve.

    On the lecture's data x = [1, 2, 3], y = [2, 4, 6], for the 81 weights w = 0, 0.05, …, 4
    (default 3): the line ŷ = x·w (:func:`~lecturelib.model.forward`), the residuals ŷₙ − yₙ, and
    the cost (:func:`~lecturelib.model.cost`, the mean squared error) as a point on the curve of
    all *w*. Readout: ``cost``.
    """
    x, y = _course_data()
    slider = Slider("w", "权重 w", 0.0, 0.05, 81, 3.0)
    ws = slider.values
    ends = np.array([0.0, 3.5])
    fits = [forward(np.concatenate([ends, x]), w) for w in ws]
    costs = tuple(float(cost(x, y, w)) for w in ws)
    grid = np.linspace(0.0, 4.0, 161)
    curve = Panel(
        "代价 cost 随 w 的变化",
        Axis("w", 0.0, 4.0, linear_ticks(0.0, 4.0, 1.0)),
        Axis("代价 cost（MSE）", 0.0, 20.0, linear_ticks(0.0, 20.0, 5.0)),
        (
            Series("line", "gd", grid, np.asarray(cost(x, y, grid)), label="cost(w)"),
            Series(
                "points",
                "model",
                as_states([[w] for w in ws]),
                as_states([[c] for c in costs]),
                label="当前的 w",
                size=5.0,
            ),
        ),
    )
    return Explorer(
        id="cost-w",
        label="拖动权重 w，观察直线、残差与代价",
        controls=(slider,),
        readouts=(Readout("cost", "代价 cost（MSE）", costs, digits=4),),
        panels=(_line_panel("数据与直线 ŷ = x·w", x, y, fits, ends, "直线 ŷ = x·w"), curve),
        summary="w = {w} 时，代价 cost = {cost}",
        settings={"n": int(x.size)},
    )


def _contours(
    w: FloatArray, b: FloatArray, z: FloatArray, levels: tuple[float, ...], labelled: int = 2
) -> tuple[FloatArray, FloatArray, list[tuple[float, float, str]]]:
    """Contour lines of ``z`` (shape ``(len(b), len(w))``) joined with NaN gaps, and the labels
    of every ``labelled``-th level, where its line crosses the ray up and right from the minimum."""
    import contourpy

    generator = contourpy.contour_generator(w, b, z)
    j, i = np.unravel_index(int(np.argmin(z)), z.shape)
    xs: list[FloatArray] = []
    ys: list[FloatArray] = []
    notes: list[tuple[float, float, str]] = []
    for k, level in enumerate(levels):
        lines = [np.asarray(line, dtype=np.float64) for line in generator.lines(level)]
        for pts in lines:
            xs += [pts[:, 0], np.array([np.nan])]
            ys += [pts[:, 1], np.array([np.nan])]
        if k % labelled or not lines:
            continue
        pts = np.concatenate(lines)
        angle = np.arctan2((pts[:, 1] - b[j]) / np.ptp(b), (pts[:, 0] - w[i]) / np.ptp(w))
        at = int(np.argmin(np.abs(angle - np.pi / 4)))
        notes.append((float(pts[at, 0]), float(pts[at, 1]), f"{level:g}"))
    return np.concatenate(xs), np.concatenate(ys), notes


def explorer_cost_wb() -> Explorer:
    r"""``cost-wb``: move *w* and *b* on the contour map of the cost.

    The homework's model ŷ = x·w + b on the lecture's data, for w = 0, 0.1, …, 4 and
    b = −2, −1.9, …, 2 (41 × 41 states, default w = 3, b = 0): the current point on the contour
    lines of :func:`~lecturelib.model.cost` (levels 0.1, 0.3, 1, 3, 10, 30, from a 161 × 161
    grid), and the line with its residuals. Readout: ``cost``.
    """
    x, y = _course_data()
    sw = Slider("w", "权重 w", 0.0, 0.1, 41, 3.0)
    sb = Slider("b", "偏置 b", -2.0, 0.1, 41, 0.0)
    pairs = [(w, b) for w in sw.values for b in sb.values]  # state order: b moves fastest
    ends = np.array([0.0, 3.5])
    fits = [forward(np.concatenate([ends, x]), w, b) for w, b in pairs]
    costs = tuple(float(cost(x, y, w, b)) for w, b in pairs)
    gw, gb = np.linspace(0.0, 4.0, 161), np.linspace(-2.0, 2.0, 161)
    z = np.asarray(cost(x, y, *np.meshgrid(gw, gb)))
    cx, cy, notes = _contours(gw, gb, z, (0.1, 0.3, 1.0, 3.0, 10.0, 30.0))
    contour = Panel(
        "代价 cost(w, b) 的等高线",
        Axis("w", 0.0, 4.0, linear_ticks(0.0, 4.0, 1.0)),
        Axis("b", -2.0, 2.0, linear_ticks(-2.0, 2.0, 1.0)),
        (
            Series("line", "muted", cx, cy, width=1.0),
            Series("points", INK, np.array([2.0]), np.array([0.0]), label="最小值 (2, 0)"),
            Series(
                "points",
                "model",
                as_states([[w] for w, _ in pairs]),
                as_states([[b] for _, b in pairs]),
                label="当前的 (w, b)",
                size=5.0,
            ),
        ),
        notes=tuple(notes),
    )
    return Explorer(
        id="cost-wb",
        label="拖动权重 w 和偏置 b，观察代价的等高线与直线",
        controls=(sw, sb),
        readouts=(Readout("cost", "代价 cost（MSE）", costs, digits=4),),
        panels=(
            contour,
            _line_panel("数据与直线 ŷ = x·w + b", x, y, fits, ends, "直线 ŷ = x·w + b"),
        ),
        summary="w = {w}、b = {b} 时，代价 cost = {cost}",
        settings={"n": int(x.size)},
    )


#: The verdicts of :func:`gd_verdict`: key -> the sentence that ``gd-lr`` shows.
GD_VERDICTS = {
    "收敛": "单调收敛：w 从一侧逐步逼近最优点",
    "振荡": "振荡收敛：w 每步都越过最优点，摆幅逐步缩小",
    "等幅": "等幅振荡：学习率恰好是临界值，w 在两点之间来回跳，既不收敛也不发散",
    "发散": "发散：w 每步都离最优点更远",
    "不动": "不动：起点就是最优点，梯度为 0",
}


def gd_verdict(x: Any, y: Any, *, lr: float, w0: float) -> str:
    r"""What gradient descent does on ``x, y`` from ``w0``: a key of ``GD_VERDICTS``.

    On the lecture's model every step multiplies the distance to the optimum w* by
    :math:`q = 1 - 2\alpha\,\overline{x^2}`, and α* = 1 / mean(x²) is
    :func:`~lecturelib.stability.gd_lr_threshold`. So:

    * ``"收敛"`` for 0 < α ≤ α*/2 (0 ≤ q < 1: from one side);
    * ``"振荡"`` for α*/2 < α < α* (−1 < q < 0: across the optimum every step, still converging);
    * ``"等幅"`` for α = α* exactly (q = −1: it swings between two points for ever);
    * ``"发散"`` for α > α* (\|q\| > 1);
    * ``"不动"`` when the gradient at ``w0`` is exactly 0 (``w0`` is w*): nothing moves.
    """
    from ..model import gradient

    lr = as_real("lr", lr, positive=True)
    w0 = as_real("w0", w0)
    if float(gradient(x, y, w0)) == 0.0:
        return "不动"
    threshold = gd_lr_threshold(x)
    if lr > threshold:
        return "发散"
    if lr == threshold:
        return "等幅"
    return "振荡" if lr > threshold / 2 else "收敛"


def _fraction(value: float) -> str:
    return str(Fraction(value).limit_denominator(1000))


def explorer_gd_lr(*, epochs: int = 100) -> Explorer:
    r"""``gd-lr``: move the learning rate α and the start w₀ of GD.

    :func:`~lecturelib.training.gradient_descent` on the lecture's data for ``epochs`` epochs
    (100, as in the lecture's code), for α = 0.001, 0.004, …, 0.25 (84 rates,
    default 0.01; α*/2 and the threshold α* =
    :func:`~lecturelib.stability.gd_lr_threshold` are marked on the slider) and
    w₀ = 0, 1, …, 4 (default 1). Readouts: ``w_final`` and ``cost_final``
    (``History.w[-1]`` and ``History.cost[-1]``), ``epochs_run`` (fewer than ``epochs`` when
    training stopped because it diverged) and ``verdict`` (:func:`gd_verdict`). Charts: the path
    of *w* on the cost curve, and the cost per epoch on a log axis (a cost of exactly 0
    cannot be drawn there; costs below 10⁻³⁰ leave the chart).
    """
    epochs = as_int("epochs", epochs, minimum=1, maximum=1000)
    x, y = _course_data()
    threshold = gd_lr_threshold(x)
    s_lr = Slider(
        "lr",
        "学习率 α",
        0.001,
        0.003,
        84,
        0.01,
        marks=((threshold / 2, _fraction(threshold / 2)), (threshold, _fraction(threshold))),
    )
    s_w0 = Slider("w0", "起点 w₀", 0.0, 1.0, 5, 1.0)
    grid = [(lr, w0) for lr in s_lr.values for w0 in s_w0.values]
    runs = [gradient_descent(x, y, w0=w0, lr=lr, epochs=epochs) for lr, w0 in grid]
    with np.errstate(divide="ignore"):
        log_costs = [np.log10(r.cost) for r in runs]  # log10(0) = -inf: not drawn
    ws = np.linspace(-0.5, 4.5, 201)
    path = Panel(
        "代价曲线上 w 的路径",
        Axis("w", -0.5, 4.5, linear_ticks(-0.5, 4.5, 1.0)),
        Axis("代价 cost", 0.0, 30.0, linear_ticks(0.0, 30.0, 10.0)),
        (
            Series("line", "muted", ws, np.asarray(cost(x, y, ws)), label="cost(w)", width=1.5),
            Series(
                "linepoints",
                "model",
                as_states([r.w for r in runs]),
                as_states([r.cost for r in runs]),
                label="每轮的 w",
                size=2.5,
                thin=True,
            ),
        ),
    )
    per_epoch = Panel(
        "代价随轮次的变化（对数纵轴）",
        Axis("轮次 epoch", 0.0, float(epochs), linear_ticks(0.0, float(epochs), 25.0)),
        Axis("代价 cost", -30.0, 15.0, power_ticks(-30, 15, 10)),
        (
            Series(
                "line",
                "gd",
                as_states([np.arange(r.cost.size, dtype=np.float64) for r in runs]),
                as_states(log_costs),
                label="代价",
                thin=True,
            ),
        ),
    )
    readouts = (
        Readout("w_final", "最后的 w", tuple(r.final_w for r in runs), digits=4),
        Readout("cost_final", "最后的代价 cost", tuple(r.final_cost for r in runs), digits=4),
        Readout("epochs_run", "训练的轮数", tuple(r.epochs_run for r in runs), kind="int"),
        Readout(
            "verdict",
            "结果",
            tuple(gd_verdict(x, y, lr=lr, w0=w0) for lr, w0 in grid),
            kind="text",
            texts=GD_VERDICTS,
        ),
    )
    return Explorer(
        id="gd-lr",
        label="拖动学习率和起点，观察梯度下降的路径与代价",
        controls=(s_lr, s_w0),
        readouts=readouts,
        panels=(path, per_epoch),
        summary="学习率 {lr}、起点 w₀ = {w0}：{verdict}；{epochs_run} 轮后 w = {w_final}，"
        "代价 {cost_final}",
        settings={"epochs": epochs, "n": int(x.size), "threshold": repr(threshold)},
    )


def explorer_ewma(values: Any, *, beta: float = 0.05) -> Explorer:
    r"""``ewma``: move β and watch the smoothed curve of ``values`` lag or jitter.

    The exponentially weighted moving average of a noisy series
    (:func:`~lecturelib.smoothing.ewma`, β the weight of the current value), for
    β = 0.01, 0.02, …, 0.5 (default ``beta``). Readout ``spread``: the standard deviation of the
    differences of neighbouring smoothed values, small when the curve is smooth. The vertical
    axis ends at the 99th percentile of ``values``.
    """
    raw = as_vector("values", values, min_len=3)
    slider = Slider("beta", "β（当前值的权重）", 0.01, 0.01, 50, as_real("beta", beta))
    smoothed = [ewma(raw, b) for b in slider.values]
    top = float(np.quantile(raw, 0.99))
    bottom = min(0.0, float(raw.min()))
    if not top > bottom:
        raise ValueError(
            "values must spread out: their 99th percentile is their minimum, nothing to smooth"
        )
    steps = np.arange(raw.size, dtype=np.float64)
    tick = 10.0 ** math.floor(math.log10(max(raw.size - 1, 1)))
    span = top - bottom
    ystep = 10.0 ** math.floor(math.log10(span))
    if span / ystep < 3:
        ystep /= 2
    panel = Panel(
        "每个样本的损失与它的指数加权均值",
        Axis("更新次数", 0.0, float(raw.size - 1), linear_ticks(0.0, raw.size - 1.0, tick)),
        Axis("损失 loss", bottom, top, linear_ticks(bottom, top, ystep, 0 if ystep >= 1 else 1)),
        (
            Series("line", "raw", steps, raw, label="每个样本的损失", width=1.0, alpha=0.75),
            Series(
                "line",
                "smooth",
                steps,
                as_states(smoothed),
                label="指数加权均值",
                width=2.2,
                bits=8,
            ),
        ),
    )
    spread = tuple(float(np.std(np.diff(s))) for s in smoothed)
    return Explorer(
        id="ewma",
        label="拖动 β，观察平滑曲线怎样变化",
        controls=(slider,),
        readouts=(Readout("spread", "平滑曲线相邻两点之差的标准差", spread, digits=3),),
        panels=(panel,),
        summary="β = {beta}：平滑曲线相邻两点之差的标准差为 {spread}",
        settings={"n": int(raw.size)},
    )


def explorer_sgd_batch(
    x: Any, y: Any, *, lr: float = 0.01, epochs: int = 20, seed: int = 0, batch_size: int = 32
) -> Explorer:
    r"""``sgd-batch``: move the batch size of mini-batch SGD, with or without shuffling.

    :func:`~lecturelib.training.sgd` on ``x, y`` (*N* samples) with learning rate ``lr`` for
    ``epochs`` epochs, for every batch size B = 1, …, N (default ``batch_size``), in data order
    or shuffled every epoch by a generator seeded with ``seed`` (default: shuffled). Charts: the
    excess cost, cost − cost* (cost* is the least-squares cost, at w* = Σxₙyₙ / Σxₙ²), per
    epoch and per update (both log axes), beside full-batch gradient descent
    (:func:`~lecturelib.training.gradient_descent`). The per-update curve is drawn at about 60
    update counts spaced evenly on its log axis. Readouts: ``updates_per_epoch`` (⌈N/B⌉),
    ``updates``, ``cost_final`` and ``excess_final`` (cost_final − cost*: the cost itself agrees
    to four digits for most B, its excess does not).
    """
    xa, ya = as_data(x, y)
    lr = as_real("lr", lr, positive=True)
    epochs = as_int("epochs", epochs, minimum=1, maximum=200)
    n = int(xa.size)
    if n < 2:
        raise ValueError("x and y must hold at least 2 samples to vary the batch size")
    default = as_int("batch_size", batch_size, minimum=1, maximum=n)  # a batch is at most N
    s_b = Slider("batch_size", "批量大小 B", 1.0, 1.0, n, float(default))
    c_s = Checkbox("shuffle", "每轮打乱顺序", True, texts=("按原顺序", "每轮打乱"))
    grid = [(int(b), s) for b in s_b.values for s in c_s.values]
    runs = [sgd(xa, ya, lr=lr, epochs=epochs, batch_size=b, shuffle=s, seed=seed) for b, s in grid]
    gd = gradient_descent(xa, ya, lr=lr, epochs=epochs)
    w_star = float(np.sum(xa * ya) / np.sum(xa * xa))
    cost_star = float(cost(xa, ya, w_star))
    most = epochs * n
    counts = np.unique(np.rint(np.logspace(0.0, math.log10(most), 60)).astype(np.int64))

    def excess(costs: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.log10(costs - cost_star), dtype=np.float64)

    def per_update(run: Any) -> FloatArray:
        out = np.full(counts.size, np.nan)
        done = counts <= run.updates
        out[done] = excess(np.asarray(cost(xa, ya, run.w[counts[done]])))
        return out

    by_epoch = [
        excess(np.pad(r.cost, (0, epochs + 1 - r.cost.size), constant_values=np.nan)) for r in runs
    ]
    by_update = [per_update(r) for r in runs]
    finite = np.concatenate([v[np.isfinite(v)] for v in (*by_epoch, *by_update)])
    hi = math.ceil(float(finite.max()))
    lo = max(math.floor(float(finite.min())), hi - 10)
    every = 1 if hi - lo <= 5 else 2
    y_axis = Axis("cost − cost*", float(lo), float(hi), power_ticks(lo, hi, every))
    epochs_axis = np.arange(epochs + 1, dtype=np.float64)
    log_counts = np.log10(counts.astype(np.float64))
    reference = "梯度下降（B = N）"
    left = Panel(
        "按轮次：多出来的代价",
        Axis("轮次 epoch", 0.0, float(epochs), linear_ticks(0.0, float(epochs), 5.0)),
        y_axis,
        (
            Series("line", "minibatch", epochs_axis, as_states(by_epoch), label="当前的 B", bits=8),
            Series("line", "gd", epochs_axis, excess(gd.cost), label=reference, dash=True),
        ),
    )
    gd_counts = counts <= gd.updates
    right = Panel(
        "按更新次数：多出来的代价",
        Axis(
            "更新次数（对数横轴）",
            0.0,
            math.log10(most),
            power_ticks(0, math.floor(math.log10(most))),
        ),
        y_axis,
        (
            Series("line", "minibatch", log_counts, as_states(by_update), bits=8),
            Series(
                "line",
                "gd",
                log_counts[gd_counts],
                excess(np.asarray(cost(xa, ya, gd.w[counts[gd_counts]]))),
                dash=True,
            ),
        ),
    )
    readouts = (
        Readout(
            "updates_per_epoch",
            "每轮更新次数",
            tuple(r.updates_per_epoch for r in runs),
            kind="int",
        ),
        Readout("updates", "总更新次数", tuple(r.updates for r in runs), kind="int"),
        Readout("cost_final", f"{epochs} 轮后的代价 cost", tuple(r.final_cost for r in runs)),
        Readout(
            "excess_final",
            f"{epochs} 轮后多出来的代价 cost − cost*",
            tuple(r.final_cost - cost_star for r in runs),
            digits=3,
        ),
    )
    return Explorer(
        id="sgd-batch",
        label="拖动批量大小，比较小批量随机梯度下降与梯度下降",
        controls=(s_b, c_s),
        readouts=readouts,
        panels=(left, right),
        summary="批量大小 B = {batch_size}，{shuffle}：每轮更新 {updates_per_epoch} 次，共 "
        "{updates} 次，" + f"{epochs} 轮后代价 " + "{cost_final}（比最小值多 {excess_final}）",
        settings={"epochs": epochs, "n": n, "lr": repr(lr), "seed": seed},
    )
