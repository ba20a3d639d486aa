"""Tests of lecturelib.figures.linear_model: the figures of the linear-model page."""

from __future__ import annotations

from typing import ClassVar

import matplotlib
import numpy as np
import pytest
from drawing import (
    Case,
    Degenerate,
    Diagram,
    DiagramContract,
    PlotContract,
    Refused,
    box_fill_of,
    boxes,
    texts_of,
)
from matplotlib.patches import Rectangle

from lecturelib.figures import linear_model as F
from lecturelib.style import COLORS

pytestmark = pytest.mark.usefixtures("styled")


class TestLinearModelPlots(PlotContract):
    CASES: ClassVar[list[Case]] = [
        (
            "distribution_shift",
            lambda ax: F.plot_distribution_shift(
                np.linspace(0, 1, 50), np.linspace(0.5, 2, 50), ax=ax
            ),
            False,
        ),
        (
            "split",
            lambda ax: F.plot_split(
                {"训练集 train": 600, "开发集 dev": 200, "测试集 test": 200}, ax=ax
            ),
            False,
        ),
    ]

    DEGENERATE: ClassVar[list[Degenerate]] = [
        (
            "split_huge_counts",
            lambda: F.plot_split({"训练集 train": 10**20, "测试集 test": 10**19}),
        ),
        ("distribution_constant", lambda: F.plot_distribution_shift([1.0, 1.0], [1.0, 1.0])),
    ]

    REFUSED: ClassVar[list[Refused]] = [
        (
            "distribution_huge",
            lambda: F.plot_distribution_shift([1e308, 1.7e308], [1e308, 1.5e308]),
            r"train must be finite and at most 1e\+200",
        ),
        (
            "distribution_subnormal_spread",
            lambda: F.plot_distribution_shift([1e-320, 2e-320], [1e-320, 3e-320]),
            r"train and real span only .* too narrow for 30 bins",
        ),
        (
            "distribution_spread_of_one_ulp",
            lambda: F.plot_distribution_shift([1.0, 1.0 + 2.2e-16], [1.0, 1.0]),
            r"train and real span only .* too narrow for 30 bins",
        ),
        (
            "split_beyond_drawable",
            lambda: F.plot_split({"train": 10**250, "test": 1}),
            r"sizes: the total .* beyond the drawable range",
        ),
    ]


class TestLinearModelDiagrams(DiagramContract):
    DIAGRAMS: ClassVar[list[Diagram]] = [
        Diagram(
            "ml_pipeline",
            F.diagram_ml_pipeline,
            ("数据集", "模型", "训练", "推理", "DataSet", "Inferring"),
            4,
        ),
    ]


def test_ml_pipeline_colours_training_as_designed() -> None:
    # training is a procedure people write; no step of img-07 is "learned from data"
    ax = F.diagram_ml_pipeline()
    assert box_fill_of(ax, "训练") == COLORS["designed"].lower()
    assert COLORS["learned"].lower() not in {
        matplotlib.colors.to_hex(b.get_facecolor()) for b in boxes(ax)
    }


def test_distribution_shift_draws_two_densities() -> None:
    train, real = np.linspace(0, 1, 40), np.linspace(2, 3, 40)
    ax = F.plot_distribution_shift(train, real)
    assert "训练集" in texts_of(ax)
    assert "真实使用" in texts_of(ax)
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert sum(heights) > 0
    with pytest.raises(ValueError, match="real must have at least 2 values"):
        F.plot_distribution_shift(train, [1.0])


def test_split_labels_counts_and_percentages() -> None:
    ax = F.plot_split({"训练集 train": 600, "开发集 dev": 300, "测试集 test": 100})
    texts = " ".join(t.get_text() for t in ax.texts)
    for part in ("600（60%）", "300（30%）", "100（10%）"):
        assert part in texts
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [b.get_width() for b in bars] == [600, 300, 100]
    assert bars[0].get_facecolor()[:3] == matplotlib.colors.to_rgb(COLORS["train"])


def test_split_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match=r"sizes\['dev'\] must be >= 0"):
        F.plot_split({"train": 3, "dev": -1})
    with pytest.raises(ValueError, match="must not all be zero"):
        F.plot_split({"train": 0})
    with pytest.raises(TypeError, match="sizes must be a non-empty mapping"):
        F.plot_split([("train", 3)])  # type: ignore[arg-type]
