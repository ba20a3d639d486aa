"""Builds of a minimal copy of the site into a PDF, and the site's link to the PDF.

* a LaTeX error and a character no font of the book has each fail the PDF build, and the
  message names the page (docname) it comes from; the same page without them builds;
* the home page links the book only while the book exists, and the HTML output then holds the
  very file it links (so ``nox -s docs`` alone never shows a dead link).

The minimal site is :class:`MiniSite` of ``tests/site/test_build.py``: a copy of the site's
configuration and of lecturelib with one page, built in a subprocess.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

ROOT = Path(__file__).resolve().parents[2]
COMPILE_TIMEOUT = 300


def _site_builds() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_site_test_build", ROOT / "tests" / "site" / "test_build.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


site_builds = _site_builds()
MiniSite = site_builds.MiniSite
FRONT: str = site_builds.FRONT


def compile_book(site: object) -> subprocess.CompletedProcess[str]:
    """``nox -s pdf``'s second step on the minimal site: latexmk, log checks, copy."""
    docs: Path = site.docs  # type: ignore[attr-defined]
    return subprocess.run(
        [
            sys.executable,
            str(docs / "_ext" / "pdf_edition.py"),
            str(docs / "_build" / "latex"),
            str(docs / "_build" / "pdf" / "course.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=COMPILE_TIMEOUT,
        env=site.env,  # type: ignore[attr-defined]
        check=False,
    )


def book_of(
    tmp_path: Path, page: str, body: str
) -> tuple[object, subprocess.CompletedProcess[str]]:
    site = MiniSite(tmp_path, page, FRONT + "# 一页书\n\n" + body)
    latex = site.build("latex")
    assert latex.returncode == 0, f"the LaTeX build failed:\n{latex.output[-3000:]}"
    return site, compile_book(site)


GOOD = "梯度下降的更新规则是 $w \\leftarrow w - \\alpha g$。\n"


@pytest.mark.usefixtures("tex")
def test_good_page_builds_a_pdf(tmp_path: Path) -> None:
    site, done = book_of(tmp_path, "good", GOOD)
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = site.docs / "_build" / "pdf" / "course.pdf"  # type: ignore[attr-defined]
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.usefixtures("tex")
def test_latex_error_fails_naming_the_page(tmp_path: Path) -> None:
    body = GOOD + "\n```{raw} latex\n\\thiscommandisnotdefined\n```\n"
    site, done = book_of(tmp_path, "broken", body)
    assert done.returncode != 0, "a LaTeX error did not fail the PDF build"
    assert "LaTeX error in page broken" in done.stderr, done.stderr
    assert "Undefined control sequence" in done.stderr, done.stderr
    assert not (site.docs / "_build" / "pdf" / "course.pdf").exists()  # type: ignore[attr-defined]


@pytest.mark.usefixtures("tex")
def test_missing_character_fails_naming_the_page(tmp_path: Path) -> None:
    # U+13000 EGYPTIAN HIEROGLYPH A001: in neither DejaVu nor Noto Sans CJK
    body = GOOD + "\n一个没有字形的字符：\U00013000。\n"
    _, done = book_of(tmp_path, "tofu", body)
    assert done.returncode != 0, "a missing glyph did not fail the PDF build"
    assert "missing character in page tofu" in done.stderr, done.stderr
    assert re.search(r"Missing character: There is no .* \(U\+13000\)", done.stderr), done.stderr


# -- the link on the home page -------------------------------------------------------------------
LINK_PAGE = (
    FRONT
    + """# 首页

```{course-pdf}
整门课也排成了一本书：[下载 PDF 版](course.pdf)。
```

正文。
"""
)


def test_site_links_the_pdf_only_while_it_exists(tmp_path: Path) -> None:
    site = MiniSite(tmp_path, "home", LINK_PAGE)
    book = site.docs / "_build" / "pdf" / "course.pdf"
    copy = site.html / "_downloads" / "course.pdf"

    first = site.build()
    assert first.returncode == 0, first.output[-3000:]
    assert "下载 PDF 版" not in site.page_html(), "the page links a PDF that was never built"
    assert not copy.exists()

    book.parent.mkdir(parents=True)
    book.write_bytes(b"%PDF-1.5 first edition")
    second = site.build()
    assert second.returncode == 0, second.output[-3000:]
    page = site.page_html()
    link = re.search(r'<a [^>]*href="([^"]*course\.pdf)"[^>]*>.*?下载 PDF 版', page, re.DOTALL)
    assert link is not None, "the page does not link the built PDF"
    assert (site.html / link.group(1)).resolve() == copy.resolve()
    assert copy.read_bytes() == book.read_bytes()

    book.write_bytes(b"%PDF-1.5 second edition")
    third = site.build()
    assert third.returncode == 0, third.output[-3000:]
    assert copy.read_bytes() == book.read_bytes(), "the site kept an old copy of the PDF"

    book.unlink()
    fourth = site.build()
    assert fourth.returncode == 0, fourth.output[-3000:]
    assert "下载 PDF 版" not in site.page_html(), "the link outlived the PDF"
    assert not copy.exists(), "the site kept a PDF that is no longer built"
