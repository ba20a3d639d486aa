"""Fixtures for the tests over the PDF edition (``docs/_build/pdf/course.pdf``).

Under ``nox -s tests`` the book exists whenever xelatex is installed (the session builds it
first). Without xelatex, or without poppler's tools, the tests skip and say why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "docs" / "_build" / "pdf" / "course.pdf"
PACKAGES = ROOT / ".ci" / "pdf-packages.txt"


def tex_missing() -> str | None:
    """Why the PDF cannot be built here, or ``None`` when xelatex and latexmk are installed."""
    missing = [tool for tool in ("xelatex", "latexmk") if shutil.which(tool) is None]
    if missing:
        packages = " ".join(PACKAGES.read_text().split())
        return f"{' and '.join(missing)} not installed (apt-get install {packages})"
    return None


def need_tex() -> None:
    reason = tex_missing()
    if reason:
        pytest.skip(reason)


def need_poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed (pdftotext, pdffonts, pdfimages)")


def pdf_text(pdf: Path) -> list[str]:
    """The text of every page (pdftotext, reading order), one string per page."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture
def tex() -> None:
    """Skips the test where xelatex or latexmk is missing."""
    need_tex()


@pytest.fixture(scope="session")
def book() -> Path:
    """The built book; skips when TeX is missing or the book has not been built."""
    need_tex()
    need_poppler()
    if not BOOK.is_file():
        pytest.skip(f"the PDF has not been built: run nox -s pdf (no {BOOK})")
    return BOOK


@pytest.fixture(scope="session")
def pages(book: Path) -> list[str]:
    return pdf_text(book)
