"""Shared plumbing of the plotting modules: axes creation and argument checks.

Rule for every label drawn by :mod:`lecturelib`: a string either is pure mathtext (``"$\\hat y$"``)
or contains no ``$`` at all. Mathtext cannot fall back to the Chinese font, so Chinese text and
formulas never share one string; Chinese labels write symbols in Unicode (``ŷ = x·w``, ``w₁``).

A figure made here (``ax=None``) is a plain :class:`matplotlib.figure.Figure` with an Agg canvas,
never registered with pyplot: it belongs to the caller and is freed with its last reference.

Values beyond :data:`MAX_DRAWN` in magnitude are refused by :func:`drawable`: matplotlib's
autoscaling and tick locators overflow float64 on axes that reach much further (a log axis up to
about :math:`10^{250}`, a linear one near :math:`10^{308}`), with RuntimeWarnings or obscure errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]

from ._validate import FloatArray, as_float_array, as_vector
from .style import _register_display

__all__ = [
    "MAX_DRAWN",
    "as_grid",
    "as_path",
    "as_vector",
    "bilinear",
    "drawable",
    "fmt_num",
    "new_axes",
    "new_axes3d",
    "new_figure",
]


#: Largest magnitude a plot function draws; larger values are refused with a ValueError.
MAX_DRAWN: Final = 1e200


def drawable(name: str, value: Any) -> FloatArray:
    """Return ``value`` as a float array after checking it is finite and within :data:`MAX_DRAWN`.

    ``value`` is numeric already (checked by the caller); a scalar gives a 0-d array.
    """
    arr = np.asarray(value, dtype=np.float64)
    flat = arr.ravel()
    bad = np.flatnonzero(~(np.abs(flat) <= MAX_DRAWN))  # NaN, inf and huge values
    if bad.size:
        k = int(bad[0])
        where = f" at flat index {k}" if arr.ndim else ""
        raise ValueError(
            f"{name} must be finite and at most {MAX_DRAWN:g} in magnitude to be drawn "
            f"(matplotlib's axes overflow beyond it); got {flat[k]:.3g}{where}"
        )
    return arr


def new_figure(figsize: tuple[float, float] | None = None) -> Figure:
    """A new figure for a plot called with ``ax=None``, made without pyplot.

    Size and resolution come from ``rcParams`` (:func:`lecturelib.style.use_style`) unless
    ``figsize`` is given. The figure is not registered with pyplot, so it never piles up as an
    open figure and ``plt.show()`` does not show it: save it with ``fig.savefig(...)``; in a
    Jupyter kernel it is displayed when a cell ends with it or with one of its Axes.
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)  # the canvas pyplot would give it: fig.canvas.draw() renders
    _register_display()
    return fig


def new_axes(ax: Any, *, figsize: tuple[float, float] | None = None) -> Axes:
    """Return ``ax`` after checking it, or a new 2-D Axes on a new figure (:func:`new_figure`)."""
    if ax is None:
        created: Axes = new_figure(figsize).subplots()
        return created
    if isinstance(ax, Axes3D) or not isinstance(ax, Axes):
        raise TypeError(f"ax must be a 2-D matplotlib Axes or None, not {type(ax).__name__}")
    return ax


def new_axes3d(ax: Any, *, figsize: tuple[float, float] | None = (6.4, 5.0)) -> Axes3D:
    """Return ``ax`` after checking it is 3-D, or a new 3-D Axes on a new figure."""
    if ax is None:
        fig = new_figure(figsize)
        created = fig.add_subplot(projection="3d", computed_zorder=False)
        if not isinstance(created, Axes3D):  # pragma: no cover - matplotlib guarantees it
            raise TypeError("could not create a 3-D Axes")
        return created
    if not isinstance(ax, Axes3D):
        raise TypeError(f"ax must be a 3-D Axes (projection='3d') or None, not {type(ax).__name__}")
    return ax


def as_grid(
    w: Any, b: Any, cost: Any, *, names: tuple[str, str, str] = ("w", "b", "cost")
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check a grid: 1-D ``w`` (n), 1-D ``b`` (m) and ``cost`` of shape ``(m, n)``."""
    wa = drawable(names[0], as_vector(names[0], w, min_len=2))
    ba = drawable(names[1], as_vector(names[1], b, min_len=2))
    ca = drawable(names[2], as_float_array(names[2], cost))
    if ca.shape != (ba.size, wa.size):
        raise ValueError(
            f"{names[2]} must have shape (len({names[1]}), len({names[0]})) = "
            f"({ba.size}, {wa.size}) as np.meshgrid({names[0]}, {names[1]}) gives, "
            f"got {ca.shape}"
        )
    for name, arr in ((names[0], wa), (names[1], ba)):
        if np.any(np.diff(arr) <= 0):
            raise ValueError(f"{name} must be strictly increasing")
    return wa, ba, ca


def as_path(name: str, value: Any, *, dims: Sequence[int]) -> FloatArray:
    """A path of points, shape ``(k, d)`` with ``d`` in ``dims``; objects with ``.points`` too.

    A 1-D input is a path in one dimension (shape ``(k, 1)``) when ``1`` is allowed.
    """
    points = getattr(value, "points", value)
    arr = as_float_array(name, points)
    if arr.ndim == 1 and 1 in dims:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] not in dims or arr.shape[0] < 1:
        want = " or ".join(f"(k, {d})" for d in dims)
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    return drawable(name, arr)


def bilinear(w: FloatArray, b: FloatArray, cost: FloatArray, pts: FloatArray) -> FloatArray:
    """Bilinear interpolation of a grid ``cost[b_index, w_index]`` at points ``(w, b)``."""
    i = np.clip(np.searchsorted(w, pts[:, 0]) - 1, 0, w.size - 2)
    j = np.clip(np.searchsorted(b, pts[:, 1]) - 1, 0, b.size - 2)
    tw = np.clip((pts[:, 0] - w[i]) / (w[i + 1] - w[i]), 0.0, 1.0)
    tb = np.clip((pts[:, 1] - b[j]) / (b[j + 1] - b[j]), 0.0, 1.0)
    top = cost[j, i] * (1 - tw) + cost[j, i + 1] * tw
    bottom = cost[j + 1, i] * (1 - tw) + cost[j + 1, i + 1] * tw
    return np.asarray(top * (1 - tb) + bottom * tb, dtype=np.float64)


def fmt_num(value: float) -> str:
    """Short decimal text: ``3.0``, ``2.5``, ``0.01``, ``1e-05``."""
    if value == round(value, 1) and abs(value) < 1e6:
        return f"{value:.1f}"
    return f"{value:.3g}"
