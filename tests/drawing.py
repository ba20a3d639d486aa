"""What every plot and diagram of lecturelib promises, checked once for all of them.

A test module of a plotting module (``test_plots.py``, ``test_figures_*.py``) lists its drawing
calls and subclasses the contracts here; ``tests/conftest.py`` parametrizes the inherited tests
with the subclass's lists (and its fixture ``styled`` applies the site's style):

* :class:`PlotContract` (``CASES``, ``DEGENERATE``, ``REFUSED``): a plot draws on the Axes it is
  given and renders without a warning or a missing glyph; with ``ax=None`` it makes a figure of
  its own that pyplot never sees and that is freed with the Axes; degenerate data are drawn
  visibly; undrawable data are refused naming the argument.
* :class:`DiagramContract` (``DIAGRAMS``): a diagram shows its texts and arrows, fills its own
  figure, is deterministic, and every box holds its text.

The module also holds the small helpers the tests share (the data of the examples, readers of
lines and texts).
"""

from __future__ import annotations

import gc
import logging
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]

from lecturelib.style import figure_png

# --- the examples' data ---------------------------------------------------------------------------

X = np.array([1.0, 2.0, 3.0])
Y = np.array([2.02, 3.98, 6.01])
W_GRID = np.linspace(0.0, 4.0, 41)
B_GRID = np.linspace(-2.0, 2.0, 31)
WW, BB = np.meshgrid(W_GRID, B_GRID)
COST_2D = ((X[:, None, None] * WW + BB - Y[:, None, None]) ** 2).mean(axis=0)
PATH = np.array([[0.5, -1.5], [1.2, -1.0], [1.7, -0.5], [1.95, -0.1]])
ZEROS_AFTER_ONE = np.r_[4.0, np.zeros(99)]  # a run that reaches cost 0 exactly after one epoch


# --- readers --------------------------------------------------------------------------------------


def xs_of(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_xdata(), dtype=float)


def ys_of(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata(), dtype=float)


def texts_of(ax: Axes) -> list[str]:
    """Every text of a plot: texts, title, axis labels and legend entries."""
    out = [t.get_text() for t in ax.texts]
    out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return out


def all_text(ax: Axes) -> str:
    """The texts and legend entries of a diagram, one per line."""
    parts = [t.get_text() for t in ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        parts += [t.get_text() for t in legend.get_texts()]
    return "\n".join(parts)


def arrows(ax: Axes) -> list[FancyArrowPatch]:
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def boxes(ax: Axes) -> list[FancyBboxPatch]:
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


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


def draw_strict(fig: Figure, caplog: pytest.LogCaptureFixture) -> None:
    """Render; fail on any warning or any missing-glyph / font log message."""
    with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    bad = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING or "glyph" in r.getMessage().lower()
    ]
    assert bad == []


def render_strict(ax: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Draw and encode the figure with every warning an error; no matplotlib warning logged."""
    fig = (ax[0] if isinstance(ax, np.ndarray) else ax).figure
    draw_strict(fig, caplog)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figure_png(fig).startswith(b"\x89PNG")


def assert_every_line_visible(ax: Axes) -> None:
    """Each data line shows at least two points inside the view, or one with a marker."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    assert x0 < x1
    assert y0 < y1
    for line in ax.lines:
        if line.get_transform() != ax.transData:  # axhline / axvline: not data
            continue
        xs, ys = xs_of(line), ys_of(line)
        shown = np.isfinite(xs) & np.isfinite(ys) & (x0 <= xs) & (xs <= x1) & (y0 <= ys)
        shown &= ys <= y1
        if ax.get_yscale() == "log":
            shown &= ys > 0
        has_marker = line.get_marker() not in (None, "None", "", " ")
        assert np.count_nonzero(shown) >= 2 or (np.count_nonzero(shown) == 1 and has_marker), (
            line.get_label()
        )


# --- the contracts --------------------------------------------------------------------------------

#: (name, call taking ``ax``, whether it needs 3-D Axes)
Case = tuple[str, Callable[[Any], Any], bool]
#: (name, call drawing degenerate data)
Degenerate = tuple[str, Callable[[], Any]]
#: (name, call with undrawable data, regular expression of the ValueError's message)
Refused = tuple[str, Callable[[], Any], str]


class PlotContract:
    """The promises of every plot function; a subclass lists its module's calls."""

    CASES: ClassVar[list[Case]] = []
    DEGENERATE: ClassVar[list[Degenerate]] = []
    REFUSED: ClassVar[list[Refused]] = []

    def test_plot_returns_the_given_axes_and_renders_cleanly(
        self, case: Case, caplog: pytest.LogCaptureFixture
    ) -> None:
        _, draw, three_d = case
        fig = plt.figure()
        ax = fig.add_subplot(projection="3d") if three_d else fig.add_subplot()
        assert draw(ax) is ax
        draw_strict(fig, caplog)

    def test_plot_creates_axes_when_none(self, case: Case) -> None:
        _, draw, three_d = case
        ax = draw(None)
        assert isinstance(ax, Axes3D if three_d else Axes)
        assert ax.figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)

    def test_plot_with_ax_none_leaves_no_pyplot_figure(
        self, case: Case, caplog: pytest.LogCaptureFixture
    ) -> None:
        plt.close("all")
        ax = case[1](None)
        assert plt.get_fignums() == []  # nothing registered with pyplot
        fig = ax.figure
        assert fig.canvas.figure is fig
        draw_strict(fig, caplog)  # the canvas renders (Agg), without warnings

    def test_figures_of_ax_none_calls_do_not_pile_up(self) -> None:
        """A figure made by a plot function is freed with the returned Axes: no open figures."""
        refs = []
        for _ in range(3):
            for _name, draw, _three_d in self.CASES:
                refs.append(weakref.ref(draw(None).figure))
        gc.collect()
        assert [r for r in refs if r() is not None] == []
        assert plt.get_fignums() == []

    def test_degenerate_data_is_drawn_visibly_without_warnings(
        self, degenerate: Degenerate, caplog: pytest.LogCaptureFixture
    ) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ax = degenerate[1]()
        render_strict(ax, caplog)
        assert_every_line_visible(ax)

    def test_undrawable_data_is_refused_naming_the_argument(self, refused: Refused) -> None:
        _, draw, match = refused
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=match):
                draw()
        assert plt.get_fignums() == []


@dataclass(frozen=True)
class Diagram:
    """A diagram call, the texts it must show and the number of its arrows."""

    name: str
    draw: Callable[..., Axes]
    expected: tuple[str, ...] = field(default=())
    n_arrows: int = 0


class DiagramContract:
    """The promises of every box-and-arrow diagram; a subclass lists its module's diagrams."""

    DIAGRAMS: ClassVar[list[Diagram]] = []

    def test_diagram_has_its_texts_and_arrows(self, diagram: Diagram) -> None:
        ax = diagram.draw()
        text = all_text(ax)
        for snippet in diagram.expected:
            assert snippet in text
        assert len(arrows(ax)) == diagram.n_arrows
        assert not ax.axison

    def test_diagram_draws_on_the_given_axes_without_missing_glyphs(
        self, diagram: Diagram, caplog: pytest.LogCaptureFixture
    ) -> None:
        fig, ax = plt.subplots()
        assert diagram.draw(ax=ax) is ax
        assert ax.get_aspect() == 1.0
        with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.canvas.draw()
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

    def test_diagram_is_deterministic(self, diagram: Diagram) -> None:
        def summary(ax: Axes) -> list[Any]:
            return [(type(p).__name__, tuple(p.get_extents().bounds)) for p in ax.patches] + [
                (t.get_text(), t.get_position()) for t in ax.texts
            ]

        a, b = diagram.draw(), diagram.draw()
        a.figure.canvas.draw()
        b.figure.canvas.draw()
        assert summary(a) == summary(b)

    def test_every_box_text_fits_inside_its_box(self, diagram: Diagram) -> None:
        ax = diagram.draw()
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

    def test_diagram_with_ax_none_leaves_no_pyplot_figure(self, diagram: Diagram) -> None:
        plt.close("all")
        ax = diagram.draw()
        assert plt.get_fignums() == []  # the figure belongs to the caller, not to pyplot
        width, height = ax.figure.get_size_inches()
        assert min(width, height) > 0
        assert ax.get_position().bounds == pytest.approx((0.0, 0.0, 1.0, 1.0))  # fills the figure
