r"""Box-and-arrow diagrams of lectures 1–3, drawn with matplotlib patches.

Each function draws on ``ax`` (a new figure, not registered with pyplot, when ``None``: see
:mod:`lecturelib.plots`), turns the axis off, keeps an equal aspect so boxes are not distorted,
and returns the Axes. Boxes are
:class:`~matplotlib.patches.FancyBboxPatch`, arrows :class:`~matplotlib.patches.FancyArrowPatch`;
everything is deterministic. Parts *designed by people* are grey, parts *learned from data* blue
(:data:`lecturelib.style.COLORS` ``"designed"`` / ``"learned"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Patch, Polygon

from .plots_base import new_axes, new_figure
from .style import COLORS

__all__ = [
    "diagram_algorithms",
    "diagram_computational_graph",
    "diagram_learning_systems",
    "diagram_ml_pipeline",
    "diagram_sgd_dependency",
    "diagram_visual_hierarchy",
]

_EDGE = COLORS["edge"]
_WHITE = "#FFFFFF"


def _canvas(ax: Axes | None, width: float, height: float, scale: float = 0.62) -> Axes:
    """A blank equal-aspect Axes showing ``[0, width] × [0, height]``."""
    if ax is None:
        fig = new_figure((width * scale, height * scale))
        axes = fig.subplots()
        fig.subplots_adjust(0, 0, 1, 1)
    else:
        axes = new_axes(ax)
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_aspect("equal")
    axes.set_axis_off()
    return axes


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    fc: str = _WHITE,
    ec: str = _EDGE,
    size: float = 11.0,
    color: str = "#000000",
) -> None:
    """A rounded box centred at ``(x, y)`` with centred text."""
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            fc=fc,
            ec=ec,
            lw=1.3,
            zorder=2,
        )
    )
    ax.text(
        x, y, text, ha="center", va="center", fontsize=size, color=color, zorder=3, linespacing=1.25
    )


def _arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    color: str = _EDGE,
    style: str = "-|>",
    ls: str = "-",
    rad: float = 0.0,
    lw: float = 1.4,
) -> FancyArrowPatch:
    arrow = FancyArrowPatch(
        start,
        end,
        arrowstyle=style,
        mutation_scale=14,
        color=color,
        lw=lw,
        linestyle=ls,
        connectionstyle=f"arc3,rad={rad}",
        shrinkA=2,
        shrinkB=2,
        zorder=4,
    )
    ax.add_patch(arrow)
    return arrow


def diagram_algorithms(*, ax: Axes | None = None) -> Axes:
    """Traditional algorithms (designed by people) against machine learning (found from data).

    On the machine-learning side people still design the model's form and the learning
    procedure (grey); only the result, the model with its parameters, is learned (blue).
    """
    axes = _canvas(ax, 10.4, 5.6)
    axes.plot([5.2, 5.2], [0.3, 5.3], color=COLORS["muted"], lw=1, ls=":")
    # left: designed by people
    axes.text(2.6, 5.15, "传统算法", ha="center", va="center", fontsize=13)
    _box(axes, 2.6, 4.2, 2.6, 0.7, "问题")
    _arrow(axes, (2.6, 3.85), (2.6, 3.25))
    _box(axes, 2.6, 2.9, 3.6, 0.7, "人根据问题设计算法", fc=COLORS["designed"])
    for k, name in enumerate(("穷举", "贪心", "分治", "动态规划")):
        x = 0.65 + k * 1.3
        _arrow(axes, (2.6, 2.55), (x, 1.95))
        _box(axes, x, 1.6, 1.15, 0.7, name, fc=COLORS["designed"], size=10)
    axes.text(2.6, 0.6, "算法由人设计", ha="center", fontsize=10.5, color=COLORS["muted"])
    # right: found from data (people design the model's form and the learning procedure)
    axes.text(7.8, 5.15, "机器学习算法", ha="center", va="center", fontsize=13)
    _box(axes, 7.8, 4.2, 2.6, 0.7, "数据")
    _arrow(axes, (7.8, 3.85), (7.8, 3.25))
    _box(
        axes,
        7.8,
        2.9,
        4.2,
        0.7,
        "学习（训练）：人设计模型和学习过程",
        fc=COLORS["designed"],
        size=10,
    )
    _arrow(axes, (7.8, 2.55), (7.8, 1.95))
    _box(axes, 7.8, 1.6, 3.4, 0.7, "学到的算法 / 模型参数", fc=COLORS["learned"])
    axes.text(7.8, 0.6, "算法从数据中找出来", ha="center", fontsize=10.5, color=COLORS["muted"])
    return axes


_SYSTEMS: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    ("基于规则的系统", (("手工设计\n的程序", False),)),
    ("经典机器学习", (("手工设计\n的特征", False), ("特征到输出\n的映射", True))),
    ("表示学习", (("学到的特征", True), ("特征到输出\n的映射", True))),
    (
        "深度学习",
        (("简单特征", True), ("更抽象的特征\n（额外的层）", True), ("特征到输出\n的映射", True)),
    ),
)


def diagram_learning_systems(*, ax: Axes | None = None) -> Axes:
    """Rule-based system, classic ML, representation learning, deep learning (Goodfellow Fig. 1.5).

    Data flow bottom-up from 输入 to 输出; grey boxes are designed by people, blue ones learned.
    """
    axes = _canvas(ax, 10.4, 7.4)
    col_w, row = 2.35, 1.2
    for c, (title, inner) in enumerate(_SYSTEMS):
        x = 1.3 + c * 2.6
        ys = [1.3 + k * row for k in range(len(inner) + 2)]
        top = 1.3 + 4 * row
        if len(inner) < 3:  # spread fewer boxes over the same height
            ys = list(np.linspace(1.3, top, len(inner) + 2))
        names = [("输入", None), *inner, ("输出", None)]
        for k, ((text, learned), y) in enumerate(zip(names, ys, strict=True)):
            fill = (
                _WHITE
                if learned is None
                else (COLORS["learned"] if learned else COLORS["designed"])
            )
            _box(axes, x, y, col_w, 0.78, text, fc=fill, size=10)
            if k:
                _arrow(axes, (x, ys[k - 1] + 0.39), (x, y - 0.39))
        axes.text(x, 0.45, title, ha="center", va="center", fontsize=11)
    axes.legend(
        handles=[
            Patch(fc=COLORS["designed"], ec=_EDGE, label="人工设计"),
            Patch(fc=COLORS["learned"], ec=_EDGE, label="从数据中学到"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=2,
        fontsize=10,
        frameon=False,
    )
    return axes


def _edges(ax: Axes, x: float, y: float) -> None:
    for k, angle in enumerate((0, 45, 90, 135, 20, 160)):
        cx, cy = x - 0.6 + (k % 3) * 0.6, y + 0.35 - (k // 3) * 0.7
        dx, dy = 0.22 * np.cos(np.radians(angle)), 0.22 * np.sin(np.radians(angle))
        ax.plot([cx - dx, cx + dx], [cy - dy, cy + dy], color=_EDGE, lw=2.2, zorder=3)
    for k, c in enumerate((COLORS["model"], COLORS["gd"], COLORS["minibatch"])):
        ax.add_patch(Circle((x - 0.6 + k * 0.6, y - 0.95), 0.13, fc=c, ec="none", zorder=3))


def _shapes(ax: Axes, x: float, y: float) -> None:
    ax.add_patch(Circle((x - 0.45, y + 0.4), 0.28, fc="none", ec=_EDGE, lw=1.8, zorder=3))
    ax.add_patch(
        Polygon(
            [(x + 0.2, y + 0.12), (x + 0.75, y + 0.12), (x + 0.47, y + 0.65)],
            fc="none",
            ec=_EDGE,
            lw=1.8,
            zorder=3,
        )
    )
    ax.add_patch(
        FancyBboxPatch(
            (x - 0.7, y - 0.95),
            0.5,
            0.5,
            boxstyle="square,pad=0",
            fc="none",
            ec=_EDGE,
            lw=1.8,
            zorder=3,
        )
    )
    ax.add_patch(Ellipse((x + 0.45, y - 0.7), 0.6, 0.35, fc="none", ec=_EDGE, lw=1.8, zorder=3))


def _animals(ax: Axes, x: float, y: float) -> None:
    cat, dog = (x - 0.45, y + 0.05), (x + 0.5, y + 0.05)
    ax.add_patch(
        Polygon(
            [
                (cat[0] - 0.32, cat[1] + 0.1),
                (cat[0] - 0.3, cat[1] + 0.55),
                (cat[0] - 0.05, cat[1] + 0.3),
            ],
            fc=COLORS["sgd"],
            ec=_EDGE,
            zorder=3,
        )
    )
    ax.add_patch(
        Polygon(
            [
                (cat[0] + 0.32, cat[1] + 0.1),
                (cat[0] + 0.3, cat[1] + 0.55),
                (cat[0] + 0.05, cat[1] + 0.3),
            ],
            fc=COLORS["sgd"],
            ec=_EDGE,
            zorder=3,
        )
    )
    ax.add_patch(Circle(cat, 0.34, fc=COLORS["sgd"], ec=_EDGE, zorder=4))
    ax.add_patch(Circle(dog, 0.34, fc="#C8A27A", ec=_EDGE, zorder=4))
    for sx in (-1, 1):
        ax.add_patch(
            Ellipse(
                (dog[0] + sx * 0.34, dog[1] - 0.02),
                0.18,
                0.45,
                angle=sx * 20,
                fc="#8B5A2B",
                ec=_EDGE,
                zorder=5,
            )
        )
    for cx, cy in (cat, dog):
        for sx in (-1, 1):
            ax.add_patch(Circle((cx + sx * 0.12, cy + 0.08), 0.045, fc="#000000", zorder=6))
        ax.add_patch(Circle((cx, cy - 0.1), 0.05, fc="#000000", zorder=6))
    ax.text(cat[0], y - 0.75, "猫", ha="center", fontsize=10.5, zorder=6)
    ax.text(dog[0], y - 0.75, "狗", ha="center", fontsize=10.5, zorder=6)


def _eye(ax: Axes, x: float, y: float) -> None:
    ax.add_patch(Ellipse((x, y), 1.5, 0.85, fc=_WHITE, ec=_EDGE, lw=1.8, zorder=3))
    ax.add_patch(Circle((x, y), 0.3, fc=COLORS["gd"], ec=_EDGE, zorder=4))
    ax.add_patch(Circle((x, y), 0.13, fc="#000000", zorder=5))


def diagram_visual_hierarchy(*, ax: Axes | None = None) -> Axes:
    """Layered visual processing (after Hubel & Wiesel): retina → edges → shapes → objects."""
    axes = _canvas(ax, 11.6, 4.4)
    stages = (
        ("视网膜", "输入图像", _eye),
        ("浅层", "边缘、线条、颜色", _edges),
        ("中层", "形状、部件", _shapes),
        ("深层", "物体（猫/狗）", _animals),
    )
    for k, (title, sub, draw) in enumerate(stages):
        x = 1.35 + k * 2.95
        axes.add_patch(
            FancyBboxPatch(
                (x - 1.2, 0.7),
                2.4,
                2.6,
                boxstyle="round,pad=0.02,rounding_size=0.2",
                fc="#F7F7F7" if k == 0 else COLORS["learned"],
                ec=_EDGE,
                lw=1.2,
                zorder=1,
            )
        )
        draw(axes, x, 2.05)
        axes.text(x, 3.75, title, ha="center", va="center", fontsize=12.5)
        axes.text(x, 0.3, sub, ha="center", va="center", fontsize=10.5)
        if k:
            _arrow(axes, (x - 1.75, 2.0), (x - 1.2, 2.0))
    return axes


def _num(value: float) -> str:
    return f"{value:.4g}".replace("-", "−")


_OP_TEXT = {"*": "×", "+": "+", "-": "−", "**2": "x²", "/": "÷"}


def _layout(nodes: Sequence[Any]) -> dict[int, tuple[float, float]]:
    """Column and height of every node: leaves sit just left of their first consumer."""
    depth: dict[int, int] = {}
    for node in nodes:
        parents = tuple(node.parents)
        depth[id(node)] = 1 + max((depth[id(p)] for p in parents), default=-1)
    consumers: dict[int, list[Any]] = {id(n): [] for n in nodes}
    for node in nodes:
        for p in node.parents:
            consumers[id(p)].append(node)
    column = {}
    for node in nodes:
        if node.parents or not consumers[id(node)]:
            column[id(node)] = depth[id(node)]
        else:
            column[id(node)] = min(depth[id(c)] for c in consumers[id(node)]) - 1
    height: dict[int, float] = {}
    first = [n for n in nodes if column[id(n)] == 0]
    for k, node in enumerate(first):
        height[id(node)] = 0.9 * (len(first) - 1) - 1.8 * k
    sign = -1.0
    for node in nodes:  # topological order: parents before children
        if not node.parents:
            continue
        placed = [height[id(p)] for p in node.parents if id(p) in height]
        for p in node.parents:  # a late leaf goes beside the consumer's placed parent
            if id(p) not in height:
                height[id(p)] = (placed[0] if placed else 0.0) + 1.8 * sign
                sign = -sign
        height[id(node)] = float(np.mean([height[id(p)] for p in node.parents]))
    for node in nodes:
        height.setdefault(id(node), 0.0)
    return {k: (2.7 * column[k], height[k]) for k in column}


def diagram_computational_graph(root: Any, *, ax: Axes | None = None) -> Axes:
    r"""The computational graph of an autograd value: forward values and backward gradients.

    Every value node shows its label, its forward value (black) and its gradient
    :math:`\partial L/\partial v` (red); operations are circles. By the chain rule a node's
    gradient is the sum over its consumers :math:`c` of
    :math:`\frac{\partial L}{\partial c}\,\frac{\partial c}{\partial v}`, so gradients flow
    right to left.

    Parameters
    ----------
    root
        The output value; needs ``.data``, ``.grad``, ``.label``, ``.op``, ``.parents`` and
        ``.nodes()`` (topological order, leaves first), as :class:`lecturelib.autograd.Value`.
    ax
        Where to draw; a new figure when ``None``.
    """
    for attr in ("data", "grad", "label", "op", "parents", "nodes"):
        if not hasattr(root, attr):
            raise TypeError(
                f"root must be an autograd Value with .{attr}, not {type(root).__name__}"
            )
    nodes = list(root.nodes())
    if not nodes:
        raise ValueError("root.nodes() returned no nodes")
    pos = _layout(nodes)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, y0 = min(xs) - 1.0, min(ys) - 2.2
    width, height = max(xs) - x0 + 1.0, max(ys) - y0 + 1.3
    axes = _canvas(ax, width, height, scale=0.6)
    axes.set_xlim(x0, x0 + width)
    axes.set_ylim(y0, y0 + height)
    for k, node in enumerate(nodes):
        x, y = pos[id(node)]
        label = str(node.label) or f"v{k}"
        _box(axes, x, y, 1.5, 0.9, f"{label}\n{_num(float(node.data))}", size=10.5)
        axes.text(
            x,
            y - 0.62,
            f"梯度 {_num(float(node.grad))}",
            ha="center",
            va="top",
            fontsize=9.5,
            color=COLORS["grad"],
            zorder=3,
        )
        if node.parents:
            ox = x - 1.35
            axes.add_patch(Circle((ox, y), 0.32, fc=COLORS["designed"], ec=_EDGE, lw=1.2, zorder=2))
            axes.text(
                ox,
                y,
                _OP_TEXT.get(str(node.op), str(node.op)),
                ha="center",
                va="center",
                fontsize=10,
                zorder=3,
            )
            _arrow(axes, (ox + 0.32, y), (x - 0.75, y))
            for p in node.parents:
                px, py = pos[id(p)]
                _arrow(axes, (px + 0.75, py), (ox - 0.3, y + 0.1 * np.sign(py - y)))
    bottom = y0 + 0.55
    _arrow(axes, (max(xs) + 0.6, bottom), (min(xs) - 0.6, bottom), color=COLORS["grad"], ls="--")
    axes.text(
        (max(xs) + min(xs)) / 2,
        bottom + 0.15,
        "反向传播：梯度沿链式法则从右向左流",
        ha="center",
        va="bottom",
        fontsize=10.5,
        color=COLORS["grad"],
    )
    axes.text(
        (max(xs) + min(xs)) / 2,
        y0 + height - 0.45,
        "前向计算：值从左向右（黑色箭头）",
        ha="center",
        va="center",
        fontsize=10.5,
    )
    return axes


def diagram_ml_pipeline(*, ax: Axes | None = None) -> Axes:
    """The steps of lecture 2: 数据集 → 模型 → 训练 → 推理, training looping back to the model."""
    axes = _canvas(ax, 10.4, 3.2)
    steps = (
        ("数据集\nDataSet", _WHITE),
        ("模型\nModel", COLORS["designed"]),
        ("训练\nTraining", COLORS["designed"]),  # the procedure is designed; w is learned
        ("推理\nInferring", _WHITE),
    )
    xs = [1.25 + k * 2.65 for k in range(4)]
    for k, ((text, fill), x) in enumerate(zip(steps, xs, strict=True)):
        _box(axes, x, 1.2, 2.0, 1.1, text, fc=fill, size=11)
        if k:
            _arrow(axes, (xs[k - 1] + 1.0, 1.2), (x - 1.0, 1.2))
    _arrow(axes, (xs[2], 1.8), (xs[1], 1.8), rad=0.55)
    axes.text(
        (xs[1] + xs[2]) / 2,
        2.85,
        "更新参数 w，重复多轮",
        ha="center",
        va="center",
        fontsize=10,
        color=COLORS["muted"],
    )
    return axes


def diagram_sgd_dependency(*, ax: Axes | None = None) -> Axes:
    r"""Why SGD cannot run in parallel: GD's gradients against SGD's chain of updates.

    Two dependency patterns for four samples. GD: every
    :math:`\nabla\text{loss}_n(w_0)` is taken at the same :math:`w_0`, so the four can be
    computed at once, then averaged into one update. SGD:
    :math:`w_k = w_{k-1} - \alpha\,\nabla\text{loss}_k(w_{k-1})` needs :math:`w_{k-1}` first.
    """
    axes = _canvas(ax, 12.0, 5.6)
    # GD: four independent gradients at the same w0, averaged, one update
    axes.text(
        0.1,
        5.25,
        "梯度下降 GD：4 个样本的梯度都在同一个 w₀ 处计算，互不依赖，可以并行；平均后更新一次",
        fontsize=11,
        va="center",
    )
    for k in range(4):
        x = 2.75 + k * 2.2
        _box(axes, x, 4.35, 1.95, 0.6, f"∇loss{'₁₂₃₄'[k]}(w₀)", fc=COLORS["learned"], size=10)
        _arrow(axes, (x, 4.05), (6.05, 3.35))
    _box(axes, 0.75, 3.05, 1.0, 0.6, "w₀", size=10.5)
    _box(axes, 6.05, 3.05, 1.3, 0.6, "平均", fc=COLORS["designed"], size=10)
    _box(axes, 11.25, 3.05, 1.0, 0.6, "w₁", size=10.5)
    _arrow(axes, (1.25, 3.05), (5.4, 3.05))
    _arrow(axes, (6.7, 3.05), (10.75, 3.05), color=COLORS["gd"])
    # SGD: a serial chain, update k needs w_{k-1}
    axes.text(
        0.1,
        1.95,
        "随机梯度下降 SGD：第 k 次更新要用上一步的 w，只能串行",
        fontsize=11,
        va="center",
    )
    for k in range(5):
        x = 0.75 + k * 2.625
        _box(axes, x, 0.8, 1.0, 0.6, f"w{'₀₁₂₃₄'[k]}", size=10.5)
        if k:
            _arrow(axes, (x - 2.625 + 0.5, 0.8), (x - 0.5, 0.8), color=COLORS["sgd"])
            axes.text(
                x - 1.3125,
                1.0,
                f"∇loss{'₁₂₃₄'[k - 1]}(w{'₀₁₂₃'[k - 1]})",
                ha="center",
                va="bottom",
                fontsize=10,
            )
    return axes
