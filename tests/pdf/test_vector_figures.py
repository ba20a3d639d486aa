"""lecturelib's vector copy of a figure, which the PDF edition prints (``LECTURELIB_PDF_FIGURES``).

The web pages keep their PNG; the PDF copy must not make two builds of the book differ.
"""

from __future__ import annotations

import numpy as np
import pytest

import lecturelib as ll
from lecturelib import style

pytestmark = pytest.mark.pdf


def _figure() -> object:
    ll.use_style()
    ws = np.linspace(0.0, 4.0, 41)
    ax = ll.plot_cost_curve(ws, [ll.cost(ll.X_DATA, ll.Y_DATA, float(w)) for w in ws])
    return ax.figure


def test_figure_pdf_is_a_pdf_without_a_creation_date() -> None:
    data = style.figure_pdf(_figure())  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    assert b"/CreationDate" not in data


def test_figure_pdf_is_the_same_for_the_same_figure() -> None:
    assert style.figure_pdf(_figure()) == style.figure_pdf(_figure())  # type: ignore[arg-type]
