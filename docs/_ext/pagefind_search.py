"""Full-text search with Pagefind (extended): Chinese is segmented at index time and in the browser.

Sphinx's own search is switched off (no ``searchindex.js``, no ``searchtools.js``, no jieba).
When an HTML build has finished, the Pagefind indexer (PyPI ``pagefind[extended]``) reads the
written pages and writes the index and its UI into ``_pagefind/`` of the output folder, so any
``sphinx-build`` of the site has working search. ``_templates/search.html`` shows the results;
no other page loads anything of the search.

What is indexed: the article of every page written from a source document (wrapped in
``data-pagefind-body``), so never the sidebar, the navigation, the footer, the generated index,
the search page itself or the highlighted source of ``_modules``. Inside it, ``EXCLUDE`` drops
what is not text of the page. Pagefind weights headings above body text by itself (h1 7 … h6 2).

Formulas (typeset at build time by ``katex_math``): their readable MathML text is indexed; the
visual copy hidden from screen readers (``aria-hidden``) and the MathML ``annotation`` elements
(they hold the TeX) are not.

The indexer runs only when some HTML file changed since its last run (a hash of the pages), so a
rebuild with nothing to do costs nothing; the output folder is written afresh each time, and two
builds of the same sources give byte-identical index files.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Folder of the index and the UI, inside the HTML output.
BUNDLE = "_pagefind"

#: Parts of a page's article that are not its text.
EXCLUDE = (
    ".headerlink",  # the ¶ after every heading
    ".viewcode-link",  # the API page's "[源代码]" links
    ".viewcode-back",
    ".copybtn",  # sphinx-copybutton's buttons
    "details.hide > summary",  # myst-nb's "显示代码 / 隐藏代码" toggles of hidden code
    "annotation",  # TeX source inside MathML
    '[aria-hidden="true"]',  # visual duplicates of formulas, icons
    ".library-source",  # lecturelib's own source shown on a page: code, like _modules
)

#: Files of Sphinx's own search that the site no longer uses.
SPHINX_SEARCH_FILES = (
    "searchindex.js",
    "_static/searchtools.js",
    "_static/language_data.js",
    "_static/sphinx_highlight.js",
    "_static/translations.js",
)
#: Scripts Sphinx adds to every page for its own search only.
SPHINX_SEARCH_SCRIPTS = ("sphinx_highlight.js", "translations.js")

#: Builders that write the site (not epub, singlehtml, ...).
HTML_BUILDERS = ("html", "dirhtml")

_STAMP = "pagefind.stamp"


def _is_html(app: Sphinx) -> bool:
    return isinstance(app.builder, StandaloneHTMLBuilder) and app.builder.name in HTML_BUILDERS


def pagefind_executable() -> Path:
    """The extended Pagefind binary (Chinese segmentation); a clear error when it is missing."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ExtensionError(
            "search needs the extended Pagefind binary: pip install 'pagefind[extended]'"
        ) from exc
    return Path(get_executable())


def pagefind_command(app: Sphinx) -> list[str]:
    cmd = [str(pagefind_executable()), "--site", str(app.outdir), "--output-subdir", BUNDLE]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return [*cmd, "--silent"]


def _switch_off_sphinx_search(app: Sphinx) -> None:
    if not _is_html(app):
        return
    app.builder.search = False  # type: ignore[attr-defined]
    if (Path(app.outdir) / "searchindex.js").exists():
        # a folder last built with Sphinx's search: viewcode keeps its pages while the sources
        # are older, and they would still load Sphinx's search scripts; write them anew
        shutil.rmtree(Path(app.outdir) / "_modules", ignore_errors=True)


def _search_page(app: Sphinx) -> Any:
    if _is_html(app):
        yield ("search", {}, "search.html")


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not _is_html(app):
        return
    if doctree is not None and "body" in context:
        context["body"] = f"<div data-pagefind-body>{context['body']}</div>"
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            s for s in scripts if not str(getattr(s, "filename", s)).endswith(SPHINX_SEARCH_SCRIPTS)
        ]


def _pages_digest(outdir: Path, cmd: list[str]) -> str:
    digest = hashlib.sha256("\0".join([version("pagefind_bin_extended"), *cmd[1:]]).encode())
    for path in sorted(outdir.rglob("*.html")):
        rel = path.relative_to(outdir).as_posix()
        if rel.startswith(BUNDLE + "/"):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _index(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or not _is_html(app):
        return
    outdir = Path(app.outdir)
    for name in SPHINX_SEARCH_FILES:
        (outdir / name).unlink(missing_ok=True)
    cmd = pagefind_command(app)
    bundle = outdir / BUNDLE
    stamp = Path(app.doctreedir) / _STAMP
    digest = _pages_digest(outdir, cmd)
    kept = (bundle / "pagefind-entry.json").is_file() and stamp.is_file()
    if kept and stamp.read_text(encoding="utf-8") == digest:
        logger.info("pagefind: pages unchanged, index kept")
        return
    shutil.rmtree(bundle, ignore_errors=True)  # no fragment of an older build survives
    proc = subprocess.run(
        cmd, cwd=outdir, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if proc.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise ExtensionError(f"pagefind failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")
    logger.info("pagefind: search index written to %s", BUNDLE)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _switch_off_sphinx_search)
    app.connect("html-collect-pages", _search_page)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _index)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
