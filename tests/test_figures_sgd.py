"""Tests of lecturelib.figures.sgd: the figures of the SGD page."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from drawing import (
    ZEROS_AFTER_ONE,
    Case,
    Degenerate,
    Diagram,
    DiagramContract,
    PlotContract,
    Refused,
    all_text,
    xs_of,
    ys_of,
)

from lecturelib.figures import sgd as F

pytestmark = pytest.mark.usefixtures("styled")


class TestSgdPlots(PlotContract):
    CASES: ClassVar[list[Case]] = [
        (
            "convergence",
            lambda ax: F.plot_convergence_by_updates(
                [np.array([4.0, 1.0]), np.array([4.0, 2.0, 1.0, 0.5])],
                ["梯度下降 GD", "随机梯度下降 SGD"],
                ax=ax,
            ),
            False,
        ),
    ]

    DEGENERATE: ClassVar[list[Degenerate]] = [
        ("convergence_all_zero", lambda: F.plot_convergence_by_updates([[0.0, 0.0]], ["GD"])),
        (
            "convergence_reaches_zero",
            lambda: F.plot_convergence_by_updates([ZEROS_AFTER_ONE], ["GD"]),
        ),
        (
            "convergence_single_logx",
            lambda: F.plot_convergence_by_updates([[4.0]], ["GD"], logx=True),
        ),
    ]

    REFUSED: ClassVar[list[Refused]] = [
        (
            "convergence_huge",
            lambda: F.plot_convergence_by_updates([[1e300, 1e308]], ["GD"]),
            r"costs_per_update\[0\] must be finite and at most 1e\+200",
        ),
    ]


class TestSgdDiagrams(DiagramContract):
    DIAGRAMS: ClassVar[list[Diagram]] = [
        Diagram(
            "sgd_dependency",
            F.diagram_sgd_dependency,
            ("梯度下降 GD", "并行", "随机梯度下降 SGD", "串行", "∇loss₁(w₀)", "∇loss₃(w₂)", "w₃"),
            10,
        ),
    ]


def test_sgd_dependency_shows_two_patterns_with_gradients_of_losses() -> None:
    # page 04 introduces this figure as two dependency patterns, before mini-batches exist
    ax = F.diagram_sgd_dependency()
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


def test_convergence_by_updates_draws_each_run_against_its_updates() -> None:
    gd, sgd = np.array([4.0, 1.0]), np.array([4.0, 2.0, 1.0, 0.5])
    ax = F.plot_convergence_by_updates([gd, sgd], ["GD", "SGD"], logx=True)
    np.testing.assert_array_equal(xs_of(ax.lines[1]), [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(ys_of(ax.lines[1]), sgd)
    assert ax.get_xscale() == "symlog"
    with pytest.raises(ValueError, match="labels must hold one label per run"):
        F.plot_convergence_by_updates([gd, sgd], ["GD"])


def test_convergence_by_updates_log_axis_puts_each_point_at_its_true_update_count() -> None:
    # the cost after t updates must sit at t on the axis, linear or logarithmic:
    # a tick labelled 10 means 10 updates, not 9
    costs = 4.0 * 0.5 ** np.arange(21)
    for logx in (False, True):
        ax = F.plot_convergence_by_updates([costs], ["GD"], logx=logx)
        (line,) = ax.lines
        np.testing.assert_array_equal(xs_of(line), np.arange(21))
        assert "从 1 计" not in ax.get_xlabel()
    assert ax.get_xscale() == "symlog"  # a log axis that can still show update 0 at 0
    assert ax.get_xlim()[0] == 0.0  # and no negative decades left of it
    assert ax.xaxis.get_transform().transform([0.0])[0] == 0.0
