"""Tests of lecturelib.diagrams: texts, arrows, layout of the computational graph."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lecturelib import diagrams as D
from lecturelib.style import COLORS, use_style


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


@pytest.fixture(autouse=True)
def _style_and_cleanup() -> Iterator[None]:
    use_style()
    yield
    plt.close("all")


def all_text(ax: Axes) -> str:
    parts = [t.get_text() for t in ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        parts += [t.get_text() for t in legend.get_texts()]
    return "\n".join(parts)


def arrows(ax: Axes) -> list[FancyArrowPatch]:
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def boxes(ax: Axes) -> list[FancyBboxPatch]:
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


DIAGRAMS: list[tuple[str, Callable[..., Axes], tuple[str, ...], int]] = [
    (
        "algorithms",
        D.diagram_algorithms,
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
    (
        "learning_systems",
        D.diagram_learning_systems,
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
    (
        "visual_hierarchy",
        D.diagram_visual_hierarchy,
        ("视网膜", "浅层", "中层", "深层", "边缘", "形状", "猫", "狗"),
        3,
    ),
    (
        "ml_pipeline",
        D.diagram_ml_pipeline,
        ("数据集", "模型", "训练", "推理", "DataSet", "Inferring"),
        4,
    ),
    (
        "sgd_dependency",
        D.diagram_sgd_dependency,
        ("梯度下降 GD", "并行", "随机梯度下降 SGD", "串行", "∇loss₁(w₀)", "∇loss₃(w₂)", "w₃"),
        10,
    ),
    (
        "computational_graph",
        lambda ax=None: D.diagram_computational_graph(linear_loss(2.0, 4.0, 1.0, 0.5), ax=ax),
        ("loss", "ŷ", "反向传播", "梯度"),
        12,
    ),
]


@pytest.mark.parametrize(
    ("name", "draw", "expected", "n_arrows"), DIAGRAMS, ids=[d[0] for d in DIAGRAMS]
)
def test_diagram_has_its_texts_and_arrows(
    name: str, draw: Callable[..., Axes], expected: tuple[str, ...], n_arrows: int
) -> None:
    ax = draw()
    text = all_text(ax)
    for snippet in expected:
        assert snippet in text
    assert len(arrows(ax)) == n_arrows
    assert not ax.axison


@pytest.mark.parametrize(
    ("name", "draw", "expected", "n_arrows"), DIAGRAMS, ids=[d[0] for d in DIAGRAMS]
)
def test_diagram_draws_on_the_given_axes_without_missing_glyphs(
    name: str,
    draw: Callable[..., Axes],
    expected: tuple[str, ...],
    n_arrows: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fig, ax = plt.subplots()
    assert draw(ax=ax) is ax
    assert ax.get_aspect() == 1.0
    with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize(
    ("name", "draw", "expected", "n_arrows"), DIAGRAMS, ids=[d[0] for d in DIAGRAMS]
)
def test_diagram_is_deterministic(
    name: str, draw: Callable[..., Axes], expected: tuple[str, ...], n_arrows: int
) -> None:
    def summary(ax: Axes) -> list[Any]:
        return [(type(p).__name__, tuple(p.get_extents().bounds)) for p in ax.patches] + [
            (t.get_text(), t.get_position()) for t in ax.texts
        ]

    a, b = draw(), draw()
    a.figure.canvas.draw()
    b.figure.canvas.draw()
    assert summary(a) == summary(b)


def test_every_box_text_fits_inside_its_box() -> None:
    for _, draw, _, _ in DIAGRAMS:
        ax = draw()
        fig = ax.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        for box in boxes(ax):
            ext = box.get_window_extent(renderer)
            inside = [
                t for t in ax.texts if ext.contains(*ax.transData.transform(t.get_position()))
            ]
            for t in inside:
                bb = t.get_window_extent(renderer)
                assert bb.x0 >= ext.x0 - 1, t.get_text()
                assert bb.x1 <= ext.x1 + 1, t.get_text()
        plt.close("all")


def test_learning_systems_shades_learned_and_designed_boxes_differently() -> None:
    ax = D.diagram_learning_systems()
    fills = {matplotlib.colors.to_hex(b.get_facecolor()) for b in boxes(ax)}
    assert COLORS["learned"].lower() in fills
    assert COLORS["designed"].lower() in fills


def box_fill_of(ax: Axes, snippet: str) -> str:
    """The fill colour (hex) of the one box whose centre holds a text containing ``snippet``."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    fills = []
    for box in boxes(ax):
        ext = box.get_window_extent(renderer)
        for t in ax.texts:
            if snippet in t.get_text() and ext.contains(*ax.transData.transform(t.get_position())):
                fills.append(matplotlib.colors.to_hex(box.get_facecolor()))
    assert len(fills) == 1, (snippet, fills)
    return fills[0]


def test_algorithms_colours_the_learning_procedure_as_designed_and_the_result_as_learned() -> None:
    # page 01: "人设计的只是模型的形式和学习的过程" -- the learning box is designed (grey),
    # only what comes out of it (the model's parameters) is learned from data (blue)
    ax = D.diagram_algorithms()
    assert box_fill_of(ax, "学习") == COLORS["designed"].lower()
    assert box_fill_of(ax, "模型参数") == COLORS["learned"].lower()
    assert box_fill_of(ax, "人根据问题设计算法") == COLORS["designed"].lower()


def test_ml_pipeline_colours_training_as_designed() -> None:
    # training is a procedure people write; no step of img-07 is "learned from data"
    ax = D.diagram_ml_pipeline()
    assert box_fill_of(ax, "训练") == COLORS["designed"].lower()
    assert COLORS["learned"].lower() not in {
        matplotlib.colors.to_hex(b.get_facecolor()) for b in boxes(ax)
    }


def test_sgd_dependency_shows_two_patterns_with_gradients_of_losses() -> None:
    # page 04 introduces this figure as two dependency patterns, before mini-batches exist
    ax = D.diagram_sgd_dependency()
    text = all_text(ax)
    assert "小批量" not in text
    assert "mini-batch" not in text
    assert "∇x" not in text  # the gradient is of a sample's loss, not of x
    titles = [t for t in ax.texts if "：" in t.get_text()]
    assert [t.get_text().split("：")[0] for t in titles] == ["梯度下降 GD", "随机梯度下降 SGD"]
    # GD: every gradient at w0; SGD: update k uses the gradient at w_{k-1}
    assert text.count("(w₀)") == 5
    for k, (sub, prev) in enumerate(zip("₁₂₃₄", "₀₁₂₃", strict=True)):
        assert f"∇loss{sub}(w{prev})" in text, k


def test_computational_graph_shows_values_and_gradients_of_every_node() -> None:
    root = linear_loss(2.0, 4.0, 1.0, 0.5)
    ax = D.diagram_computational_graph(root)
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
    ax = D.diagram_computational_graph(root)
    x_of = {
        t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts if "\n" in t.get_text()
    }
    assert x_of["x"] < x_of["x·w"] < x_of["ŷ"] < x_of["r"] < x_of["loss"]
    assert x_of["b"] < x_of["ŷ"]
    assert x_of["y"] < x_of["r"]


def test_computational_graph_rejects_a_non_value() -> None:
    with pytest.raises(TypeError, match=r"root must be an autograd Value with \.data"):
        D.diagram_computational_graph(3.0)


def test_computational_graph_works_with_the_real_autograd_if_present() -> None:
    autograd = pytest.importorskip("lecturelib.autograd")
    if not hasattr(autograd, "linear_loss_graph"):
        pytest.skip("linear_loss_graph not written yet")
    root = autograd.linear_loss_graph(2.0, 4.0, 1.0, 0.5)
    root.backward()
    ax = D.diagram_computational_graph(root)
    assert "反向传播" in all_text(ax)
    assert len([t for t in ax.texts if t.get_text().startswith("梯度")]) == len(root.nodes())


@pytest.mark.parametrize(
    ("name", "draw", "expected", "n_arrows"), DIAGRAMS, ids=[d[0] for d in DIAGRAMS]
)
def test_diagram_with_ax_none_leaves_no_pyplot_figure(
    name: str, draw: Callable[..., Axes], expected: tuple[str, ...], n_arrows: int
) -> None:
    plt.close("all")
    ax = draw()
    assert plt.get_fignums() == []  # the figure belongs to the caller, not to pyplot
    width, height = ax.figure.get_size_inches()
    assert min(width, height) > 0
    assert ax.get_position().bounds == pytest.approx((0.0, 0.0, 1.0, 1.0))  # fills the figure
