"""The search index of the built site (Pagefind): which pages it holds and which text.

Pagefind stores the text of every indexed page in a *fragment*: a gzip-compressed file that
starts with the signature ``pagefind_dcd`` followed by JSON (url, meta, content, ...). These
tests decode the fragments and compare their text with the built HTML and with the sources:

* exactly the pages written from the sources are indexed (no ``_modules``, genindex, search);
* no text of the navigation, sidebar, header or footer, no "[源代码]" link, no hidden-code label,
  no source code of lecturelib;
* no TeX source: while formulas reach the browser as TeX, they are left out; once they are
  rendered at build time, only their readable text (never the MathML annotation) is indexed;
* no page but the search page refers to any search file, and Sphinx's own search is gone.
"""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_contract import PAGES, ROOT

pytestmark = pytest.mark.site

SIGNATURE = b"pagefind_dcd"
ZERO_WIDTH = "\u200b"  # Pagefind marks the word boundaries of Chinese text with it

#: The pages that must be indexed: every page of the site except the search page.
INDEXED = tuple(p for p in PAGES if p != "search.html")


def url_of(page: str) -> str:
    """``lectures/01-overview.html`` -> ``/lectures/01-overview.html``; ``index.html`` -> ``/``."""
    return "/" if page == "index.html" else f"/{page}"


def squeeze(text: str) -> str:
    """Text without zero-width spaces, every run of whitespace one space."""
    return re.sub(r"\s+", " ", text.replace(ZERO_WIDTH, "")).strip()


def compact(text: str) -> str:
    """Text without any whitespace (inline elements split text nodes anywhere)."""
    return re.sub(r"\s+", "", text.replace(ZERO_WIDTH, ""))


def decode_fragment(data: bytes) -> dict[str, object]:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"not a Pagefind fragment: {raw[:20]!r}")
    doc = json.loads(raw[len(SIGNATURE) :])
    if not isinstance(doc, dict):
        raise ValueError("fragment JSON is not an object")
    return doc


@pytest.fixture(scope="module")
def fragments(site: Path) -> dict[str, dict[str, object]]:
    """url -> decoded fragment, for every fragment of the index."""
    folder = site / "_pagefind" / "fragment"
    files = sorted(folder.glob("*.pf_fragment"))
    assert files, f"no Pagefind fragments in {folder}"
    out: dict[str, dict[str, object]] = {}
    for path in files:
        doc = decode_fragment(path.read_bytes())
        out[str(doc["url"])] = doc
    return out


@pytest.fixture(scope="module")
def indexed_text(fragments: dict[str, dict[str, object]]) -> str:
    """All indexed text (titles and content), squeezed."""
    parts = []
    for doc in fragments.values():
        meta = doc.get("meta", {})
        title = meta.get("title", "") if isinstance(meta, dict) else ""
        parts.append(squeeze(f"{title}\n{doc['content']}"))
    return "\n".join(parts)


# -- Reading the built HTML -------------------------------------------------------------------


class _Regions(HTMLParser):
    """Text chunks of a page, split into the article (``<article role="main">``) and the rest."""

    SKIP = frozenset({"script", "style", "template"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, starts the article)
        self.article = 0
        self.skip = 0
        self.inside: list[str] = []
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        main = tag == "article" and ("role", "main") in attrs
        self.stack.append((tag, main))
        self.article += main
        self.skip += tag in self.SKIP

    def handle_endtag(self, tag: str) -> None:
        if all(name != tag for name, _ in self.stack):
            return  # a stray end tag closes nothing
        while self.stack:
            name, main = self.stack.pop()
            self.article -= main
            self.skip -= name in self.SKIP
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and not self.skip:
            (self.inside if self.article else self.outside).append(text)


def regions(path: Path) -> _Regions:
    parser = _Regions()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_regions_parser() -> None:
    """The detector itself, on a synthetic page."""
    parser = _Regions()
    parser.feed(
        "<html><body><nav><a>菜单 一</a></nav><article role='main'><h1>标题</h1><p>正文"
        "<br>第二行</p></span></article><footer>页脚<script>var x = '脚本';</script></footer>"
    )
    assert parser.inside == ["标题", "正文", "第二行"]
    assert parser.outside == ["菜单 一", "页脚"]


def test_fragment_decoder() -> None:
    data = gzip.compress(SIGNATURE + json.dumps({"url": "/a.html", "content": "x"}).encode())
    assert decode_fragment(data)["url"] == "/a.html"
    with pytest.raises(ValueError, match="not a Pagefind fragment"):
        decode_fragment(gzip.compress(b'{"url": "/a.html"}'))


# -- The tests ----------------------------------------------------------------------------------


def test_index_holds_the_pages(fragments: dict[str, dict[str, object]]) -> None:
    assert sorted(fragments) == sorted(url_of(p) for p in INDEXED)


def test_index_titles_are_page_titles(site: Path, fragments: dict[str, dict[str, object]]) -> None:
    for page in INDEXED:
        meta = fragments[url_of(page)]["meta"]
        assert isinstance(meta, dict)
        h1 = re.search(r"<h1>(.*?)<a class=\"headerlink\"", (site / page).read_text("utf-8"))
        assert h1, f"{page} has no <h1>"
        assert meta["title"] == re.sub(r"<[^>]+>", "", h1.group(1)), page


def test_index_has_no_navigation(site: Path, indexed_text: str) -> None:
    """No text that the pages show only outside their article (sidebar, header, footer, ...)."""
    pages = [regions(site / p) for p in INDEXED]
    article_text = "\n".join(compact("".join(r.inside)) for r in pages)
    chrome = {squeeze(t) for r in pages for t in r.outside} - {""}
    chrome_only = sorted(t for t in chrome if compact(t) not in article_text)
    assert squeeze("本站由 Sphinx 与 Furo 主题构建") in "".join(chrome_only)  # the footer is seen
    leaked = [t for t in chrome_only if t in indexed_text]
    assert not leaked, f"navigation text in the search index: {leaked[:10]}"


#: Text inside the article that is not the page's text, and a page where it occurs.
NOT_TEXT = {
    "[源代码]": "api.html",  # viewcode links
    "显示代码": "lectures/02-linear-model.html",  # toggles of hidden code
    "隐藏代码": "lectures/02-linear-model.html",
    "¶": "lectures/02-linear-model.html",  # heading anchors
}


@pytest.mark.parametrize("text", sorted(NOT_TEXT))
def test_index_skips_widgets(site: Path, indexed_text: str, text: str) -> None:
    article = "".join(regions(site / NOT_TEXT[text]).inside)
    assert text in article, f"{text!r} no longer on {NOT_TEXT[text]}: pick another probe"
    assert squeeze(text) not in indexed_text, f"{text!r} is in the search index"


def test_index_has_no_source_code(site: Path, indexed_text: str) -> None:
    """Neither the ``_modules`` pages nor lecturelib's private helpers appear in the index."""
    modules = sorted((site / "_modules").rglob("*.html"))
    assert modules, "no _modules pages: viewcode is off, the probe is void"
    for path in modules:
        h1 = re.search(r"<h1>(.*?)</h1>", path.read_text("utf-8"))
        assert h1 is not None, path
        assert squeeze(re.sub(r"<[^>]+>", "", h1.group(1))) not in indexed_text, path
    helpers = sorted(
        {
            m.group(1)
            for src in (ROOT / "src" / "lecturelib").rglob("*.py")
            for m in re.finditer(r"^def (_[a-z]\w*)\(", src.read_text("utf-8"), re.MULTILINE)
        }
    )
    assert len(helpers) >= 5, helpers
    leaked = [h for h in helpers if f"def {h}(" in indexed_text]
    assert not leaked, f"lecturelib source code in the search index: {leaked}"


_MATH_MD = re.compile(
    r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$|```\{math\}(.*?)```", re.DOTALL
)
_MATH_PY = re.compile(r":math:`([^`]+)`|\.\. math::\n((?:\n|[ \t]+.*\n)+)")
_TEX_WORD = re.compile(r"\\[A-Za-z]{2,}")


def tex_commands() -> set[str]:
    """Every TeX control word of the formulas in the pages' and lecturelib's sources."""
    words: set[str] = set()
    for md in (ROOT / "docs").rglob("*.md"):
        if "_build" in md.parts:
            continue
        for m in _MATH_MD.finditer(md.read_text("utf-8")):
            words |= set(_TEX_WORD.findall("".join(g for g in m.groups() if g)))
    for py in (ROOT / "src" / "lecturelib").rglob("*.py"):
        for m in _MATH_PY.finditer(py.read_text("utf-8")):
            words |= set(_TEX_WORD.findall("".join(g for g in m.groups() if g)))
    return words


def test_index_contains_no_tex_source(indexed_text: str) -> None:
    commands = tex_commands()
    assert {r"\hat", r"\frac", r"\partial"} <= commands, sorted(commands)  # the probe sees TeX
    found = sorted(c for c in commands if c in indexed_text)
    assert not found, f"TeX source in the search index: {found}"
    for delimiter in (r"\(", r"\)", r"\[", r"\]", "$$"):
        assert delimiter not in indexed_text, f"TeX delimiter {delimiter} in the search index"


_SEARCH_FILE = re.compile(
    r"""(?:src|href)=["'][^"']*(?:_pagefind/|searchindex\.js|searchtools\.js|language_data\.js"""
    r"""|sphinx_highlight\.js|translations\.js)"""
)


def test_only_the_search_page_refers_to_search_files(site: Path) -> None:
    pages = sorted(p for p in site.rglob("*.html") if "_pagefind" not in p.parts)
    referring = [
        p.relative_to(site).as_posix()
        for p in pages
        if _SEARCH_FILE.search(p.read_text(encoding="utf-8"))
    ]
    assert referring == ["search.html"], referring
    search = (site / "search.html").read_text(encoding="utf-8")
    assert "_pagefind/pagefind-ui.js" in search
    assert 'id="search-results"' in search


def test_sphinx_search_is_gone(site: Path) -> None:
    left = [
        name
        for name in ("searchindex.js", "_static/searchtools.js", "_static/language_data.js")
        if (site / name).exists()
    ]
    assert not left, f"files of Sphinx's search still in the site: {left}"
    assert (site / "_pagefind" / "pagefind-entry.json").is_file()
