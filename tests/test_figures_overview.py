"""Tests of lecturelib.figures.overview: the figures of the overview page."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    all_text,
    arrows,
    box_fill_of,
    boxes,
    xs_of,
    ys_of,
)

from lecturelib.figures import overview as F
from lecturelib.style import COLORS

pytestmark = pytest.mark.usefixtures("styled")


@dataclass(eq=False)
class FakeValue:
    """Stand-in with the public attributes of lecturelib.autograd.Value."""

    data: float
    label: str = ""
    op: str = ""
    parents: tuple[FakeValue, ...] = ()
    grad: float = 0.0
    extra: list[int] = field(default_factory=list)

    def nodes(self) -> list[FakeValue]:
        out: list[FakeValue] = []
        seen: set[int] = set()

        def visit(v: FakeValue) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for p in v.parents:
                    visit(p)
                out.append(v)

        visit(self)
        return out


def linear_loss(x: float, y: float, w: float, b: float) -> FakeValue:
    """loss = (x*w + b - y)**2 with its gradients filled in by hand (chain rule)."""
    xv, wv, bv, yv = FakeValue(x, "x"), FakeValue(w, "w"), FakeValue(b, "b"), FakeValue(y, "y")
    xw = FakeValue(x * w, "x·w", "*", (xv, wv))
    yhat = FakeValue(x * w + b, "ŷ", "+", (xw, bv))
    r = FakeValue(x * w + b - y, "r", "-", (yhat, yv))
    loss = FakeValue(r.data**2, "loss", "**2", (r,))
    loss.grad = 1.0
    r.grad = 2 * r.data
    yhat.grad = xw.grad = bv.grad = r.grad
    yv.grad = -r.grad
    wv.grad, xv.grad = r.grad * x, r.grad * w
    return loss


class TestOverviewPlots(PlotContract):
    CASES: ClassVar[list[Case]] = [
        ("curse", lambda ax: F.plot_curse_of_dimensionality(10, 8, ax=ax), False),
        ("timeline", lambda ax: F.plot_pytorch_timeline(ax=ax), False),
    ]

    DEGENERATE: ClassVar[list[Degenerate]] = [
        ("curse_largest", lambda: F.plot_curse_of_dimensionality(10, 200)),
        ("timeline_single_event", lambda: F.plot_pytorch_timeline([("1.0", "2018-12")])),
    ]

    REFUSED: ClassVar[list[Refused]] = [
        (
            "curse_beyond_drawable",
            lambda: F.plot_curse_of_dimensionality(10, 280),
            r"max_features too large",
        ),
    ]


class TestOverviewDiagrams(DiagramContract):
    DIAGRAMS: ClassVar[list[Diagram]] = [
        Diagram(
            "algorithms",
            F.diagram_algorithms,
            (
                "传统算法",
                "穷举",
                "贪心",
                "分治",
                "动态规划",
                "机器学习算法",
                "数据",
                "学习",
                "模型参数",
            ),
            7,
        ),
        Diagram(
            "learning_systems",
            F.diagram_learning_systems,
            (
                "基于规则的系统",
                "经典机器学习",
                "表示学习",
                "深度学习",
                "手工设计\n的程序",
                "手工设计\n的特征",
                "学到的特征",
                "简单特征",
                "更抽象的特征",
                "人工设计",
                "从数据中学到",
            ),
            12,
        ),
        Diagram(
            "visual_hierarchy",
            F.diagram_visual_hierarchy,
            ("视网膜", "浅层", "中层", "深层", "边缘", "形状", "猫", "狗"),
            3,
        ),
        Diagram(
            "computational_graph",
            lambda ax=None: F.diagram_computational_graph(linear_loss(2.0, 4.0, 1.0, 0.5), ax=ax),
            ("loss", "ŷ", "反向传播", "梯度"),
            12,
        ),
    ]


def test_learning_systems_shades_learned_and_designed_boxes_differently() -> None:
    ax = F.diagram_learning_systems()
    fills = {matplotlib.colors.to_hex(b.get_facecolor()) for b in boxes(ax)}
    assert COLORS["learned"].lower() in fills
    assert COLORS["designed"].lower() in fills


def test_algorithms_colours_the_learning_procedure_as_designed_and_the_result_as_learned() -> None:
    # page 01: "人设计的只是模型的形式和学习的过程" -- the learning box is designed (grey),
    # only what comes out of it (the model's parameters) is learned from data (blue)
    ax = F.diagram_algorithms()
    assert box_fill_of(ax, "学习") == COLORS["designed"].lower()
    assert box_fill_of(ax, "模型参数") == COLORS["learned"].lower()
    assert box_fill_of(ax, "人根据问题设计算法") == COLORS["designed"].lower()


def test_computational_graph_shows_values_and_gradients_of_every_node() -> None:
    root = linear_loss(2.0, 4.0, 1.0, 0.5)
    ax = F.diagram_computational_graph(root)
    text = all_text(ax)
    for node in root.nodes():
        assert f"{node.label}\n" in text
    assert "loss\n2.25" in text  # forward value (2*1 + 0.5 - 4)**2
    assert "梯度 −6" in text  # dL/dw = 2 r x = 2 * (-1.5) * 2
    grads = [t for t in ax.texts if t.get_text().startswith("梯度")]
    assert len(grads) == len(root.nodes())
    assert {t.get_color() for t in grads} == {COLORS["grad"]}
    dashed = [a for a in arrows(ax) if a.get_linestyle() == "--"]
    assert len(dashed) == 1


def test_computational_graph_lays_nodes_out_left_to_right() -> None:
    root = linear_loss(2.0, 4.0, 1.0, 0.5)
    ax = F.diagram_computational_graph(root)
    x_of = {
        t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts if "\n" in t.get_text()
    }
    assert x_of["x"] < x_of["x·w"] < x_of["ŷ"] < x_of["r"] < x_of["loss"]
    assert x_of["b"] < x_of["ŷ"]
    assert x_of["y"] < x_of["r"]


def test_computational_graph_rejects_a_non_value() -> None:
    with pytest.raises(TypeError, match=r"root must be an autograd Value with \.data"):
        F.diagram_computational_graph(3.0)


def test_computational_graph_works_with_the_real_autograd_if_present() -> None:
    autograd = pytest.importorskip("lecturelib.autograd")
    if not hasattr(autograd, "linear_loss_graph"):
        pytest.skip("linear_loss_graph not written yet")
    root = autograd.linear_loss_graph(2.0, 4.0, 1.0, 0.5)
    root.backward()
    ax = F.diagram_computational_graph(root)
    assert "反向传播" in all_text(ax)
    assert len([t for t in ax.texts if t.get_text().startswith("梯度")]) == len(root.nodes())


def test_curse_of_dimensionality_draws_a_to_the_n() -> None:
    ax = F.plot_curse_of_dimensionality(3, 6)
    xd, yd = (xs_of(ax.lines[0]), ys_of(ax.lines[0]))
    np.testing.assert_allclose(yd, 3.0 ** np.asarray(xd, dtype=float))
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="a must be > 1"):
        F.plot_curse_of_dimensionality(1.0, 3)


def test_timeline_highlights_the_versions_of_the_notes() -> None:
    assert ("0.4", "2018-04") in F.PYTORCH_RELEASES
    assert ("1.10", "2021-10") in F.PYTORCH_RELEASES
    ax = F.plot_pytorch_timeline()
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(F.PYTORCH_RELEASES)
    highlighted = [t for t in ax.texts if t.get_color() == COLORS["model"]]
    assert sorted(t.get_text().split("\n")[0] for t in highlighted) == [
        "PyTorch 0.4",
        "PyTorch 1.10",
    ]
    assert any("课程讲授的版本" in t for t in texts)


def test_timeline_rejects_a_bad_date() -> None:
    with pytest.raises(ValueError, match=r"events\[0\] date must look like 'YYYY-MM'"):
        F.plot_pytorch_timeline([("0.1", "2017/01")])


def test_pytorch_notes_are_read_only() -> None:
    key = next(iter(F.PYTORCH_NOTES))
    with pytest.raises(TypeError):
        F.PYTORCH_NOTES[key] = "changed"  # type: ignore[index]
    with pytest.raises(TypeError):
        F.PYTORCH_NOTES["new"] = "added"  # type: ignore[index]
