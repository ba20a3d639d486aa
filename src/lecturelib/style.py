r"""How every figure of lecturelib looks and is made: the one place for the plotting style.

**The look.** :func:`use_style` registers the Chinese font shipped by the ``noto-cjk-sans-otc``
package (Noto Sans CJK, SIL Open Font License) with matplotlib's font manager — in memory, no file
is written — and updates :data:`matplotlib.rcParams`: DejaVu Sans first (Latin letters, digits,
the minus sign and mathtext), Noto Sans CJK SC as the per-glyph fallback for Chinese, web-sized
figures, a colour-blind-safe colour cycle (Okabe & Ito) and a solid white background.

The fonts are pinned to files, not only to family names, so a figure is the same on every
machine: a family that lecturelib's files provide (every Noto Sans CJK family of the package's
collection, and every family matplotlib bundles, DejaVu Sans and the STIX fonts of mathtext
included) resolves to those files only, even when the system has its own copy of the family
(Debian's ``fonts-noto-cjk`` or ``fonts-dejavu``, say). The system's copies are left out of
matplotlib's in-memory font list; nothing is written to disk.

Every plotting function of :mod:`lecturelib.plots` and :mod:`lecturelib.figures` takes its
colours from :data:`COLORS`, so a concept (the data, gradient descent, SGD, …) has one colour
site-wide.

**The PNG.** A PNG saved with the style is :math:`6.4 \times 144 \approx 922` pixels wide: sharp
on a 700-pixel-wide column and on a phone, a few tens of kilobytes. :func:`figure_png` renders a
figure as such a PNG, quantised to a palette; inside a Jupyter kernel it is how figures and Axes
are displayed.

**The plumbing of the plot functions**, shared by :mod:`lecturelib.plots` and
:mod:`lecturelib.figures` (importable from here, but not in ``__all__``: a plot of your own does
not need it): ``new_figure``, ``new_axes`` and ``new_axes3d`` make the figure of a call with
``ax=None``; ``drawable``, ``as_grid`` and ``as_path`` check what is drawn; ``bilinear``
interpolates a grid, ``mark_point`` marks one point, ``fmt_num`` writes a short number,
``RUN_COLORS`` colours successive runs and ``figure_pdf`` gives the vector copy the PDF edition
prints.

* Rule for every label drawn by lecturelib: a string either is pure mathtext
  (``"$y = 2x$"``) or contains no ``$`` at all. Mathtext cannot fall back to the Chinese font,
  so Chinese text and formulas never share one string; Chinese labels write symbols in Unicode
  (``ŷ = x·w``, ``w₁``).
* A figure made here (``ax=None``) is a plain :class:`matplotlib.figure.Figure` with an Agg
  canvas, never registered with pyplot: it belongs to the caller and is freed with its last
  reference.
* Values beyond :data:`MAX_DRAWN` in magnitude are refused by ``drawable``: matplotlib's
  autoscaling and tick locators overflow float64 on axes that reach much further (a log axis up
  to about :math:`10^{250}`, a linear one near :math:`10^{308}`), with RuntimeWarnings or
  obscure errors.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from mpl_toolkits.mplot3d import Axes3D  # type: ignore[import-untyped]
from PIL import Image

from ._validate import FloatArray, as_float_array, as_vector

__all__ = [
    "CJK_FONT_NAME",
    "COLORS",
    "FIGURE_DPI",
    "MAX_DRAWN",
    "PNG_COLORS",
    "SAVEFIG_DPI",
    "cjk_font_path",
    "figure_png",
    "use_style",
]

#: Family name of the Chinese face registered by :func:`use_style`.
CJK_FONT_NAME: Final = "Noto Sans CJK SC"

#: Resolution of figures on screen (``figure.dpi``) and of saved / inline PNGs.
FIGURE_DPI: Final = 100
SAVEFIG_DPI: Final = 144

#: Set to ``1`` (the course site's ``docs/conf.py`` does), a kernel also displays every figure as
#: ``application/pdf``, a vector copy the PDF edition prints; the web pages keep the PNG.
PDF_FIGURES_ENV: Final = "LECTURELIB_PDF_FIGURES"

#: Palette size of the web PNGs written by :func:`figure_png` (lossless-looking for line art).
PNG_COLORS: Final = 256

#: The named palette (Okabe & Ito's colour-blind-safe colours plus greys) used by all figures.
COLORS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "data": "#000000",  # the training samples
        "model": "#D55E00",  # the fitted / best model line
        "gd": "#0072B2",  # (full-batch) gradient descent
        "sgd": "#E69F00",  # stochastic gradient descent (batch size 1)
        "minibatch": "#009E73",  # mini-batch SGD
        "highlight": "#CC79A7",  # the point the eye should go to
        "local": "#E69F00",  # a local minimum
        "global": "#009E73",  # the global minimum
        "grad": "#D55E00",  # gradients (back-propagation)
        "raw": "#56B4E9",  # a noisy raw series
        "smooth": "#0072B2",  # its smoothed version
        "train": "#0072B2",  # training set
        "dev": "#E69F00",  # development (validation) set
        "test": "#009E73",  # test set
        "real": "#D55E00",  # data met in real use
        "learned": "#BFE3F7",  # box fill: parts learned from data
        "designed": "#EDEDED",  # box fill: parts designed by people
        "muted": "#8C8C8C",  # secondary lines, missed candidates
        "edge": "#333333",  # box outlines, arrows
    }
)

_CYCLE: Final = (
    COLORS["gd"],
    COLORS["model"],
    COLORS["minibatch"],
    COLORS["sgd"],
    COLORS["highlight"],
    COLORS["raw"],
    "#000000",
)

#: The colours of successive runs or lines in one plot (gradient descent first, then SGD, …).
RUN_COLORS: Final = (
    COLORS["gd"],
    COLORS["sgd"],
    COLORS["minibatch"],
    COLORS["model"],
    COLORS["highlight"],
)

#: Largest magnitude a plot function draws; larger values are refused with a ValueError.
MAX_DRAWN: Final = 1e200


def _rc() -> dict[str, Any]:
    return {
        "font.family": ["DejaVu Sans", CJK_FONT_NAME],
        "font.size": 11.0,
        "axes.titlesize": 12.0,
        "axes.labelsize": 11.0,
        "legend.fontsize": 10.0,
        "xtick.labelsize": 10.0,
        "ytick.labelsize": 10.0,
        "axes.unicode_minus": True,
        "mathtext.fontset": "dejavusans",
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": SAVEFIG_DPI,
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.05,
        "savefig.facecolor": "white",
        "savefig.edgecolor": "white",
        "savefig.transparent": False,
        "figure.facecolor": "white",
        "figure.edgecolor": "white",
        "axes.facecolor": "white",
        "axes.prop_cycle": cycler(color=list(_CYCLE)),
        "axes.grid": True,
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.6,
        "grid.alpha": 1.0,
        "axes.axisbelow": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "axes.titlepad": 8.0,
        "lines.linewidth": 2.0,
        "lines.markersize": 6.0,
        "legend.frameon": False,
        "image.cmap": "viridis",
    }


def cjk_font_path() -> Path:
    """The path of the Noto Sans CJK collection (``.ttc``) shipped by ``noto-cjk-sans-otc``."""
    import noto_cjk_sans_otc  # type: ignore[import-untyped]

    return Path(noto_cjk_sans_otc.FONT_PATH)


def _bundled_font_dir() -> Path:
    """The folder of the fonts matplotlib ships (DejaVu, STIX, Computer Modern)."""
    return Path(mpl.get_data_path(), "fonts", "ttf")


def _register_fonts(manager: font_manager.FontManager | None = None) -> None:
    """Register the CJK collection and pin every family it or matplotlib provides to those files.

    ``manager`` defaults to matplotlib's global font manager. The CJK collection is added once
    (in memory). Then any font-list entry whose family is one of the *pinned* families (the
    families of the package's collection and of matplotlib's bundled fonts) but whose file is
    neither is dropped, so a system copy of "Noto Sans CJK SC" or "DejaVu Sans" can never be
    chosen, whatever its position in the list or its weights. Idempotent; writes no file.
    """
    manager = font_manager.fontManager if manager is None else manager
    cjk = cjk_font_path()
    bundled = _bundled_font_dir()

    def intended(fname: str) -> bool:
        path = Path(fname)
        return path == cjk or path.parent == bundled

    if not any(Path(entry.fname) == cjk for entry in manager.ttflist):
        manager.addfont(str(cjk))
    pinned = {entry.name for entry in manager.ttflist if intended(entry.fname)}
    kept = [e for e in manager.ttflist if e.name not in pinned or intended(e.fname)]
    if len(kept) != len(manager.ttflist):
        manager.ttflist = kept
        manager._findfont_cached.cache_clear()  # type: ignore[attr-defined]


def _ipython_kernel() -> Any | None:
    """The running IPython kernel shell, or ``None`` (plain Python, terminal IPython)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return shell


def _configure_inline_backend() -> None:
    """In a Jupyter kernel: inline figures as PNG at ``SAVEFIG_DPI``, tight; Axes displayable.

    The inline backend loads its own ``rc`` (``InlineBackend.rc``) when the backend module is first
    imported; importing it here, *before* :func:`use_style` writes ``rcParams``, makes sure that
    load cannot override the style afterwards. IPython's ``print_figure`` uses ``figure.dpi``
    unless a ``dpi`` is passed, so the resolution is passed explicitly. Whatever the backend,
    ``_register_display`` then makes figures and Axes display as :func:`figure_png` PNGs.
    """
    shell = _ipython_kernel()
    if shell is None:
        return
    backend = str(mpl.rcParams._get("backend")).lower()  # no backend resolution
    if "inline" in backend:
        import matplotlib_inline.backend_inline as inline

        inline.set_matplotlib_formats(  # type: ignore[no-untyped-call]
            "png", dpi=SAVEFIG_DPI, bbox_inches="tight"
        )
    _register_display()


def _register_display() -> None:
    """Inside an IPython kernel, show a :class:`~matplotlib.figure.Figure` or an Axes as a PNG.

    The plot functions of lecturelib draw on figures made without pyplot, so no backend shows
    them by itself; this registers IPython display formatters (``image/png``, rendered by
    :func:`figure_png`) so that a cell ending with the returned Axes (or ``ax.figure``) shows the
    figure. Called by :func:`use_style` and by every plot function that makes its own figure;
    outside a kernel (scripts, terminal IPython) it does nothing.
    """
    shell = _ipython_kernel()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, _inline_png)
    png.for_type(Axes, _axes_png)
    if os.environ.get(PDF_FIGURES_ENV) == "1":  # a second, vector copy for the PDF edition
        pdf = shell.display_formatter.formatters["application/pdf"]
        pdf.for_type(Figure, _inline_pdf)
        pdf.for_type(Axes, _axes_pdf)


def figure_png(fig: Figure, *, dpi: float = SAVEFIG_DPI, colors: int = PNG_COLORS) -> bytes:
    """Render ``fig`` as a small web PNG: ``dpi`` dots per inch, tight, a ``colors``-entry palette.

    Figures are drawn on white, so dropping the alpha channel and quantising to an adaptive
    palette (median cut, no dithering) keeps lines and text crisp while cutting the file size
    about threefold. Inside a Jupyter kernel :func:`use_style` makes this the inline PNG renderer.
    """
    if not 2 <= colors <= 256:
        raise ValueError(f"colors must be in [2, 256], got {colors}")
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, bbox_inches="tight")
    raw.seek(0)
    with Image.open(raw) as img:
        palette = img.convert("RGB").quantize(
            colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _inline_png(fig: Figure) -> bytes | None:
    """IPython's PNG formatter for figures; ``None`` (no output) for an empty figure."""
    if not fig.axes and not fig.lines:
        return None
    return figure_png(fig)


def figure_pdf(fig: Figure) -> bytes:
    """``fig`` as a vector PDF, tight like :func:`figure_png`, without a creation date.

    Without ``CreationDate`` the bytes depend only on the figure, so two builds print the same
    book. Text is embedded as Type 3 fonts drawn from the pinned font files.
    """
    out = io.BytesIO()
    fig.savefig(out, format="pdf", bbox_inches="tight", metadata={"CreationDate": None})
    return out.getvalue()


def _inline_pdf(fig: Figure) -> bytes | None:
    """IPython's PDF formatter for figures (only with ``LECTURELIB_PDF_FIGURES=1``)."""
    if not fig.axes and not fig.lines:
        return None
    return figure_pdf(fig)


def _axes_pdf(ax: Axes) -> bytes | None:
    """IPython's PDF formatter for Axes: the whole figure, as :func:`_axes_png` decides."""
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure) or fig.canvas.manager is not None:
        return None
    return _inline_pdf(fig)


def _axes_png(ax: Axes) -> bytes | None:
    """IPython's PNG formatter for Axes: the whole figure the Axes belongs to.

    An Axes of a pyplot figure (``ax`` from ``plt.subplots()``) gives no output: pyplot's inline
    backend shows that figure itself at the end of the cell, and it would appear twice.
    """
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure) or fig.canvas.manager is not None:
        return None
    return _inline_png(fig)


def use_style() -> dict[str, Any]:
    """Apply the site's plotting style; return the ``rcParams`` entries it set.

    Idempotent: calling it twice registers the font once and sets the same values. It writes no
    file (not even matplotlib's font cache). The fonts are pinned to lecturelib's files (see the
    module docstring). Inside a Jupyter kernel it also selects PNG output at ``SAVEFIG_DPI`` dots
    per inch for the inline backend and lets figures and Axes display as PNGs rendered by
    :func:`figure_png`.

    Returns
    -------
    dict
        The ``rcParams`` keys and values applied.
    """
    _register_fonts()
    _configure_inline_backend()
    rc = _rc()
    params: Any = mpl.rcParams  # typed with Literal keys; ours are checked by matplotlib
    params.update(rc)
    return rc


# -- plumbing of the plot functions (lecturelib.plots, lecturelib.figures) ---------------------


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

    Size and resolution come from ``rcParams`` (:func:`use_style`) unless
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


def mark_point(axes: Axes, xy: Any, marker: str, size: float, color: str, **style: Any) -> None:
    """Mark the one point ``xy = (x, y)`` with a ``marker`` of ``size`` points: a minimum, the
    best point of a search, a saddle point. ``style`` goes to :meth:`~matplotlib.axes.Axes.plot`."""
    axes.plot([xy[0]], [xy[1]], marker, color=color, markersize=size, **style)


def fmt_num(value: float) -> str:
    """Short decimal text: ``3.0``, ``2.5``, ``0.01``, ``1e-05``."""
    if value == round(value, 1) and abs(value) < 1e6:
        return f"{value:.1f}"
    return f"{value:.3g}"
