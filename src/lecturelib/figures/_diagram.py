"""Drawing primitives of the box-and-arrow diagrams of :mod:`lecturelib.figures`.

A diagram draws on a blank equal-aspect canvas (:func:`canvas`) rounded boxes with centred text
(:func:`box`, a :class:`~matplotlib.patches.FancyBboxPatch`) and arrows (:func:`arrow`, a
:class:`~matplotlib.patches.FancyArrowPatch`); everything is deterministic. Parts *designed by
people* are grey, parts *learned from data* blue (:data:`lecturelib.style.COLORS`
``"designed"`` / ``"learned"``).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..style import COLORS, new_axes, new_figure

__all__ = ["EDGE", "WHITE", "arrow", "box", "canvas"]

#: Outline of boxes and colour of arrows.
EDGE = COLORS["edge"]
#: Fill of boxes that are neither designed nor learned (input, output, data).
WHITE = "#FFFFFF"


def canvas(ax: Axes | None, width: float, height: float, scale: float = 0.62) -> Axes:
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


def box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    fc: str = WHITE,
    ec: str = EDGE,
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


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    color: str = EDGE,
    style: str = "-|>",
    ls: str = "-",
    rad: float = 0.0,
    lw: float = 1.4,
) -> FancyArrowPatch:
    patch = FancyArrowPatch(
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
    ax.add_patch(patch)
    return patch
