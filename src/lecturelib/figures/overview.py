r"""The figures of the overview page (lecture 1): PyTorch's releases, how learning systems
grew from rules to deep learning, the curse of dimensionality, layered vision, and the
computational graph of back-propagation.

Every function draws on ``ax`` (a new figure, not registered with pyplot, when ``None``: see
:mod:`lecturelib.plots`) and returns the Axes. The diagrams turn the axis off and keep an equal
aspect, so boxes are not distorted; parts *designed by people* are grey, parts *learned from
data* blue (:data:`lecturelib.style.COLORS` ``"designed"`` / ``"learned"``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Patch, Polygon

from .._validate import as_int, as_real
from ..style import COLORS, MAX_DRAWN, new_axes
from ._diagram import EDGE, WHITE, arrow, box, canvas

__all__ = [
    "PYTORCH_NOTES",
    "PYTORCH_RELEASES",
    "diagram_algorithms",
    "diagram_computational_graph",
    "diagram_learning_systems",
    "diagram_visual_hierarchy",
    "plot_curse_of_dimensionality",
    "plot_pytorch_timeline",
]


#: PyTorch releases drawn by :func:`plot_pytorch_timeline`: ``(version, "YYYY-MM")``.
PYTORCH_RELEASES: Final[tuple[tuple[str, str], ...]] = (
    ("0.1", "2017-01"),
    ("0.4", "2018-04"),
    ("1.0", "2018-12"),
    ("1.10", "2021-10"),
    ("2.0", "2023-03"),
)


#: The two versions the notes name, and why (read-only).
PYTORCH_NOTES: Final[Mapping[str, str]] = MappingProxyType(
    {"0.4": "课程讲授的版本", "1.10": "笔记写作时（2022-01）的最新版"}
)


_DATE = re.compile(r"^(\d{4})-(\d{2})$")


def plot_pytorch_timeline(
    events: Sequence[tuple[str, str]] | None = None, *, ax: Axes | None = None
) -> Axes:
    r"""A timeline of PyTorch releases; the versions named in the notes are highlighted.

    Parameters
    ----------
    events
        ``(version, "YYYY-MM")`` pairs in any order; by default ``PYTORCH_RELEASES``.
        Versions in ``PYTORCH_NOTES`` get their note and the highlight colour.
    ax
        Where to draw; a new (wide, short) figure when ``None``.
    """
    items = list(PYTORCH_RELEASES if events is None else events)
    if not items:
        raise ValueError("events must not be empty")
    parsed: list[tuple[float, str, str]] = []
    for k, item in enumerate(items):
        if len(item) != 2 or not all(isinstance(s, str) for s in item):
            raise TypeError(f"events[{k}] must be a (version, 'YYYY-MM') pair of strings")
        match = _DATE.match(item[1])
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"events[{k}] date must look like 'YYYY-MM', got {item[1]!r}")
        t = int(match.group(1)) + (int(match.group(2)) - 1) / 12
        parsed.append((t, item[0], item[1]))
    parsed.sort()
    axes = new_axes(ax, figsize=(6.4, 2.6))
    t0, t1 = parsed[0][0], parsed[-1][0]
    axes.axhline(0, color=COLORS["edge"], linewidth=1.5, zorder=1)
    for k, (t, version, date) in enumerate(parsed):
        note = PYTORCH_NOTES.get(version)
        color = COLORS["model"] if note else COLORS["gd"]
        up = k % 2 == 0
        axes.plot([t], [0], "o", color=color, markersize=11 if note else 8, zorder=3)
        axes.plot([t, t], [0, 0.45 if up else -0.45], color=color, linewidth=1, zorder=2)
        text = f"PyTorch {version}\n{date}" + (f"\n{note}" if note else "")
        axes.text(
            t,
            0.5 if up else -0.5,
            text,
            ha="center",
            va="bottom" if up else "top",
            fontsize=10 if note else 9.5,
            color=color,
        )
    axes.set_ylim(-1.45, 1.1)
    axes.set_xlim(t0 - 0.7, t1 + 0.7)
    years = np.arange(math.floor(t0), math.floor(t1) + 1)
    axes.set_xticks(years)
    axes.set_xticklabels([str(y) for y in years])
    axes.set_yticks([])
    axes.grid(False)
    for side in ("left", "top", "right"):
        axes.spines[side].set_visible(False)
    return axes


def diagram_algorithms(*, ax: Axes | None = None) -> Axes:
    """Traditional algorithms (designed by people) against machine learning (found from data).

    On the machine-learning side people still design the model's form and the learning
    procedure (grey); only the result, the model with its parameters, is learned (blue).
    """
    axes = canvas(ax, 10.4, 5.6)
    axes.plot([5.2, 5.2], [0.3, 5.3], color=COLORS["muted"], lw=1, ls=":")
    # left: designed by people
    axes.text(2.6, 5.15, "传统算法", ha="center", va="center", fontsize=13)
    box(axes, 2.6, 4.2, 2.6, 0.7, "问题")
    arrow(axes, (2.6, 3.85), (2.6, 3.25))
    box(axes, 2.6, 2.9, 3.6, 0.7, "人根据问题设计算法", fc=COLORS["designed"])
    for k, name in enumerate(("穷举", "贪心", "分治", "动态规划")):
        x = 0.65 + k * 1.3
        arrow(axes, (2.6, 2.55), (x, 1.95))
        box(axes, x, 1.6, 1.15, 0.7, name, fc=COLORS["designed"], size=10)
    axes.text(2.6, 0.6, "算法由人设计", ha="center", fontsize=10.5, color=COLORS["muted"])
    # right: found from data (people design the model's form and the learning procedure)
    axes.text(7.8, 5.15, "机器学习算法", ha="center", va="center", fontsize=13)
    box(axes, 7.8, 4.2, 2.6, 0.7, "数据")
    arrow(axes, (7.8, 3.85), (7.8, 3.25))
    box(
        axes,
        7.8,
        2.9,
        4.2,
        0.7,
        "学习（训练）：人设计模型和学习过程",
        fc=COLORS["designed"],
        size=10,
    )
    arrow(axes, (7.8, 2.55), (7.8, 1.95))
    box(axes, 7.8, 1.6, 3.4, 0.7, "学到的算法 / 模型参数", fc=COLORS["learned"])
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
    """Four learning systems, rule-based to deep learning (figure 1.5 of Goodfellow et al.).

    Data flow bottom-up from 输入 to 输出; grey boxes are designed by people, blue ones learned.
    """
    axes = canvas(ax, 10.4, 7.4)
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
                WHITE if learned is None else (COLORS["learned"] if learned else COLORS["designed"])
            )
            box(axes, x, y, col_w, 0.78, text, fc=fill, size=10)
            if k:
                arrow(axes, (x, ys[k - 1] + 0.39), (x, y - 0.39))
        axes.text(x, 0.45, title, ha="center", va="center", fontsize=11)
    axes.legend(
        handles=[
            Patch(fc=COLORS["designed"], ec=EDGE, label="人工设计"),
            Patch(fc=COLORS["learned"], ec=EDGE, label="从数据中学到"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=2,
        fontsize=10,
        frameon=False,
    )
    return axes


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sci(value: float) -> str:
    """``12,345`` below a million, else ``1.2×10⁹`` (Unicode, no mathtext)."""
    if value < 1e6:
        return f"{value:,.0f}"
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    head = "" if round(mantissa, 1) == 1 else f"{mantissa:.1f}×"
    return f"{head}10{str(exponent).translate(_SUPERSCRIPT)}"


def plot_curse_of_dimensionality(a: float, max_features: int, *, ax: Axes | None = None) -> Axes:
    r"""The curse of dimensionality: samples needed, :math:`a^n`, against the number of features.

    If each feature needs :math:`a` distinct values to be covered, :math:`n` features need
    :math:`a^n` samples.

    Parameters
    ----------
    a
        Samples per feature, :math:`a > 1`.
    max_features
        Largest :math:`n` drawn (:math:`\ge 1`, and :math:`a^n \le 10^{200}`, the largest
        value lecturelib draws).
    ax
        Where to draw; a new figure when ``None``.
    """
    base = as_real("a", a)
    if base <= 1:
        raise ValueError(f"a must be > 1, got {base}")
    top = as_int("max_features", max_features, minimum=1)
    if top * math.log10(base) > math.log10(MAX_DRAWN):
        raise ValueError(
            f"max_features too large: {base}**{top} is beyond the drawable range ({MAX_DRAWN:g})"
        )
    n = np.arange(1, top + 1)
    need = base ** n.astype(np.float64)
    axes = new_axes(ax)
    axes.semilogy(n, need, "o-", color=COLORS["model"])
    axes.annotate(
        f"n = {top}：{_sci(float(need[-1]))} 个样本",
        xy=(float(n[-1]), float(need[-1])),
        xytext=(-10, 0),
        textcoords="offset points",
        ha="right",
        va="center",
    )
    axes.set_xticks(n if top <= 12 else np.linspace(1, top, 7).round())
    axes.set_xlabel("特征个数 n")
    axes.set_ylabel("需要的样本数 aⁿ")
    axes.set_title(f"维度诅咒：每个特征 {base:g} 个取值")
    return axes


def _edges(ax: Axes, x: float, y: float) -> None:
    for k, angle in enumerate((0, 45, 90, 135, 20, 160)):
        cx, cy = x - 0.6 + (k % 3) * 0.6, y + 0.35 - (k // 3) * 0.7
        dx, dy = 0.22 * np.cos(np.radians(angle)), 0.22 * np.sin(np.radians(angle))
        ax.plot([cx - dx, cx + dx], [cy - dy, cy + dy], color=EDGE, lw=2.2, zorder=3)
    for k, c in enumerate((COLORS["model"], COLORS["gd"], COLORS["minibatch"])):
        ax.add_patch(Circle((x - 0.6 + k * 0.6, y - 0.95), 0.13, fc=c, ec="none", zorder=3))


def _shapes(ax: Axes, x: float, y: float) -> None:
    ax.add_patch(Circle((x - 0.45, y + 0.4), 0.28, fc="none", ec=EDGE, lw=1.8, zorder=3))
    ax.add_patch(
        Polygon(
            [(x + 0.2, y + 0.12), (x + 0.75, y + 0.12), (x + 0.47, y + 0.65)],
            fc="none",
            ec=EDGE,
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
            ec=EDGE,
            lw=1.8,
            zorder=3,
        )
    )
    ax.add_patch(Ellipse((x + 0.45, y - 0.7), 0.6, 0.35, fc="none", ec=EDGE, lw=1.8, zorder=3))


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
            ec=EDGE,
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
            ec=EDGE,
            zorder=3,
        )
    )
    ax.add_patch(Circle(cat, 0.34, fc=COLORS["sgd"], ec=EDGE, zorder=4))
    ax.add_patch(Circle(dog, 0.34, fc="#C8A27A", ec=EDGE, zorder=4))
    for sx in (-1, 1):
        ax.add_patch(
            Ellipse(
                (dog[0] + sx * 0.34, dog[1] - 0.02),
                0.18,
                0.45,
                angle=sx * 20,
                fc="#8B5A2B",
                ec=EDGE,
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
    ax.add_patch(Ellipse((x, y), 1.5, 0.85, fc=WHITE, ec=EDGE, lw=1.8, zorder=3))
    ax.add_patch(Circle((x, y), 0.3, fc=COLORS["gd"], ec=EDGE, zorder=4))
    ax.add_patch(Circle((x, y), 0.13, fc="#000000", zorder=5))


def diagram_visual_hierarchy(*, ax: Axes | None = None) -> Axes:
    """Layered visual processing (after Hubel & Wiesel): retina → edges → shapes → objects."""
    axes = canvas(ax, 11.6, 4.4)
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
                ec=EDGE,
                lw=1.2,
                zorder=1,
            )
        )
        draw(axes, x, 2.05)
        axes.text(x, 3.75, title, ha="center", va="center", fontsize=12.5)
        axes.text(x, 0.3, sub, ha="center", va="center", fontsize=10.5)
        if k:
            arrow(axes, (x - 1.75, 2.0), (x - 1.2, 2.0))
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
    axes = canvas(ax, width, height, scale=0.6)
    axes.set_xlim(x0, x0 + width)
    axes.set_ylim(y0, y0 + height)
    for k, node in enumerate(nodes):
        x, y = pos[id(node)]
        label = str(node.label) or f"v{k}"
        box(axes, x, y, 1.5, 0.9, f"{label}\n{_num(float(node.data))}", size=10.5)
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
            axes.add_patch(Circle((ox, y), 0.32, fc=COLORS["designed"], ec=EDGE, lw=1.2, zorder=2))
            axes.text(
                ox,
                y,
                _OP_TEXT.get(str(node.op), str(node.op)),
                ha="center",
                va="center",
                fontsize=10,
                zorder=3,
            )
            arrow(axes, (ox + 0.32, y), (x - 0.75, y))
            for p in node.parents:
                px, py = pos[id(p)]
                arrow(axes, (px + 0.75, py), (ox - 0.3, y + 0.1 * np.sign(py - y)))
    bottom = y0 + 0.55
    arrow(axes, (max(xs) + 0.6, bottom), (min(xs) - 0.6, bottom), color=COLORS["grad"], ls="--")
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
