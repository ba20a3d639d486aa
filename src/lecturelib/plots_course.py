r"""Figures about the course itself: search grids, data sets, the PyTorch timeline.

Re-exported by :mod:`lecturelib.plots`; each function returns the Axes it drew on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes

from ._validate import FloatArray, as_int, as_real
from .plots_base import MAX_DRAWN, as_vector, drawable, new_axes, new_figure
from .style import COLORS

__all__ = [
    "PYTORCH_NOTES",
    "PYTORCH_RELEASES",
    "plot_curse_of_dimensionality",
    "plot_distribution_shift",
    "plot_grid_growth",
    "plot_grid_points",
    "plot_pytorch_timeline",
    "plot_split",
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


def _power_text(base: int, n: int) -> str:
    """``$10^{4}$`` when ``base`` is a power of ten, else ``$7^{3}$`` (pure mathtext)."""
    exponent = math.log10(base)
    if base > 1 and exponent == int(exponent):
        return f"$10^{{{int(exponent) * n}}}$"
    return f"${base}^{{{n}}}$"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sci(value: float) -> str:
    """``12,345`` below a million, else ``1.2×10⁹`` (Unicode, no mathtext)."""
    if value < 1e6:
        return f"{value:,.0f}"
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    head = "" if round(mantissa, 1) == 1 else f"{mantissa:.1f}×"
    return f"{head}10{str(exponent).translate(_SUPERSCRIPT)}"


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


def plot_distribution_shift(
    train: Any,
    real: Any,
    *,
    ax: Axes | None = None,
    labels: tuple[str, str] = ("训练集", "真实使用"),
    xlabel: str = "特征值（如图片亮度）",
    bins: int = 30,
) -> Axes:
    r"""Histograms (densities) of one feature in the training set and in real use.

    A model fits the training distribution :math:`p_{train}(x)`; if the data met in use follow
    another :math:`p_{real}(x)`, its error there can be much larger.

    Parameters
    ----------
    train, real
        Samples of the feature (1-D, at least 2 each; spread enough that the densities,
        about ``bins`` divided by the range of the values, stay below :math:`10^{200}`).
    labels
        Legend entries of the two histograms.
    xlabel
        Name of the feature.
    bins
        Number of shared bins.
    ax
        Where to draw; a new figure when ``None``.
    """
    ta = drawable("train", as_vector("train", train, min_len=2))
    ra = drawable("real", as_vector("real", real, min_len=2))
    nb = as_int("bins", bins, minimum=2)
    edges = _bin_edges(np.concatenate([ta, ra]), nb)
    if isinstance(labels, str) or len(labels) != 2:
        raise ValueError("labels must be a pair (train label, real label)")
    axes = new_axes(ax)
    for data, label, color in ((ta, labels[0], COLORS["train"]), (ra, labels[1], COLORS["real"])):
        axes.hist(data, bins=list(edges), density=True, color=color, alpha=0.35, label=label)
        axes.hist(data, bins=list(edges), density=True, color=color, histtype="step", linewidth=1.6)
        axes.axvline(float(np.mean(data)), color=color, linestyle="--", linewidth=1.2)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("密度")
    axes.set_title("训练集与真实数据的分布不同")
    axes.legend()
    return axes


def _bin_edges(values: FloatArray, bins: int) -> FloatArray:
    """Shared histogram bin edges; refuse a range too narrow for ``bins`` drawable densities."""
    narrow = (
        f"train and real span only {float(values.max() - values.min()):.3g} "
        f"(around {float(values.mean()):.3g}): too narrow for {bins} bins with densities "
        f"below {MAX_DRAWN:g}; rescale the feature"
    )
    try:
        edges = np.histogram_bin_edges(values, bins=bins)
    except ValueError:  # numpy: "Too many bins for data range"
        raise ValueError(narrow) from None
    if edges[1] - edges[0] < 1.0 / MAX_DRAWN:  # a density can reach 1 / bin width
        raise ValueError(narrow)
    return np.asarray(edges, dtype=np.float64)


def _split_color(name: str, k: int) -> str:
    lowered = name.lower()
    for keys, color in (
        (("训练", "train"), "train"),
        (("开发", "验证", "dev", "valid"), "dev"),
        (("测试", "test"), "test"),
    ):
        if any(key in lowered for key in keys):
            return COLORS[color]
    fallback = (COLORS["train"], COLORS["dev"], COLORS["test"], COLORS["highlight"])
    return fallback[k % len(fallback)]


def plot_split(sizes: Mapping[str, int], *, ax: Axes | None = None) -> Axes:
    r"""One horizontal stacked bar: the parts of a data set with counts and percentages.

    Part :math:`k` of :math:`N` samples takes the share :math:`n_k / N`.

    Parameters
    ----------
    sizes
        Ordered ``{name: count}``, e.g. ``{"训练集 train": 600, "开发集 dev": 200,
        "测试集 test": 200}``; counts are non-negative integers, not all zero, with a total
        of at most :math:`10^{200}`.
    ax
        Where to draw; a new (wide, short) figure when ``None``.
    """
    if not isinstance(sizes, Mapping) or not sizes:
        raise TypeError("sizes must be a non-empty mapping {name: count}")
    counts = {str(k): as_int(f"sizes[{k!r}]", v) for k, v in sizes.items()}
    total = sum(counts.values())
    if total == 0:
        raise ValueError("sizes must not all be zero")
    if total > MAX_DRAWN:
        raise ValueError(f"sizes: the total {total:.3g} is beyond the drawable range {MAX_DRAWN:g}")
    axes = new_axes(ax, figsize=(6.4, 1.9))
    left = 0
    small = any(0 < c / total < 0.12 for c in counts.values())
    for k, (name, count) in enumerate(counts.items()):
        color = _split_color(name, k)
        axes.barh(
            [0],
            [float(count)],
            left=[float(left)],
            color=color,
            edgecolor="white",
            height=0.6,
            label=name,
        )
        share = count / total
        centre = left + count / 2
        if share >= 0.12:
            axes.text(
                centre,
                0,
                f"{name}\n{count}（{share:.0%}）",
                ha="center",
                va="center",
                color="white",
                fontsize=10.5,
            )
        elif count > 0:
            axes.text(
                centre,
                0.42,
                f"{name} {count}（{share:.0%}）",
                ha="center",
                va="bottom",
                fontsize=9,
                color=color,
            )
        left += count
    axes.set_xlim(0, float(total))
    axes.set_ylim(-0.4, 0.75 if small else 0.4)
    axes.set_yticks([])
    axes.set_xlabel(f"样本数（共 {total} 个）")
    axes.grid(False)
    for side in ("left", "top", "right"):
        axes.spines[side].set_visible(False)
    return axes


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
