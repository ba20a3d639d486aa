r"""The one place that sets the look of every figure of the site.

:func:`use_style` registers the Chinese font shipped by the ``noto-cjk-sans-otc`` package
(Noto Sans CJK, SIL Open Font License) with matplotlib's font manager — in memory, no file is
written — and updates :data:`matplotlib.rcParams`: DejaVu Sans first (Latin letters, digits, the
minus sign and mathtext), Noto Sans CJK SC as the per-glyph fallback for Chinese, web-sized figures,
a colour-blind-safe colour cycle (Okabe & Ito) and a solid white background.

The fonts are pinned to files, not only to family names, so a figure is the same on every
machine: a family that lecturelib's files provide (every Noto Sans CJK family of the package's
collection, and every family matplotlib bundles, DejaVu Sans and the STIX fonts of mathtext
included) resolves to those files only, even when the system has its own copy of the family
(Debian's ``fonts-noto-cjk`` or ``fonts-dejavu``, say). The system's copies are left out of
matplotlib's in-memory font list; nothing is written to disk.

Every plotting function of :mod:`lecturelib.plots` and :mod:`lecturelib.diagrams` takes its colours
from :data:`COLORS`, so a concept (the data, gradient descent, SGD, …) has one colour site-wide.

A PNG saved with the style is :math:`6.4 \times 144 \approx 922` pixels wide: sharp on a
700-pixel-wide column and on a phone, a few tens of kilobytes.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

__all__ = [
    "CJK_FONT_NAME",
    "COLORS",
    "FIGURE_DPI",
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


def _figure_pdf(fig: Figure) -> bytes:
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
    return _figure_pdf(fig)


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
