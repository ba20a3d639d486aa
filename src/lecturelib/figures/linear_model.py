r"""The figures of the linear-model page (lecture 2): the steps of machine learning, a training
set against the data met in real use, and the split of a data set.

Every function draws on ``ax`` (a new figure, not registered with pyplot, when ``None``: see
:mod:`lecturelib.plots`) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._validate import FloatArray, as_int, as_vector
from ..style import COLORS, MAX_DRAWN, drawable, new_axes
from ._diagram import WHITE, arrow, box, canvas

__all__ = ["diagram_ml_pipeline", "plot_distribution_shift", "plot_split"]


def diagram_ml_pipeline(*, ax: Axes | None = None) -> Axes:
    """The steps of lecture 2: 数据集 → 模型 → 训练 → 推理, training looping back to the model."""
    axes = canvas(ax, 10.4, 3.2)
    steps = (
        ("数据集\nDataSet", WHITE),
        ("模型\nModel", COLORS["designed"]),
        ("训练\nTraining", COLORS["designed"]),  # the procedure is designed; w is learned
        ("推理\nInferring", WHITE),
    )
    xs = [1.25 + k * 2.65 for k in range(4)]
    for k, ((text, fill), x) in enumerate(zip(steps, xs, strict=True)):
        box(axes, x, 1.2, 2.0, 1.1, text, fc=fill, size=11)
        if k:
            arrow(axes, (xs[k - 1] + 1.0, 1.2), (x - 1.0, 1.2))
    arrow(axes, (xs[2], 1.8), (xs[1], 1.8), rad=0.55)
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
