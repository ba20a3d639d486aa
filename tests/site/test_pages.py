"""Tests over the built HTML site: pages, the 24 lost images, exercises, outputs, offline assets
and the downloadable notebooks (the search index: ``test_search_index.py``).

Run after ``nox -s docs`` (or inside ``nox -s tests``); ``LECTURELIB_SITE`` points them at
another build. HTML is parsed with a tiny tree builder over the standard library's
:mod:`html.parser`.
"""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_contract import LECTURES, PAGES, ROOT

pytestmark = pytest.mark.site

DOCS = Path(__file__).resolve().parents[2] / "docs"

# -- The site's contract ------------------------------------------------------------------------


#: The 24 lost images of the notes: image number -> (lecture page, kind of replacement).
#: Kinds (see CONTRIBUTING.md): "figure" (a rendered <img> or <svg>), "table", "math",
#: "code" (a <pre> code block); "math+table" needs both.
IMAGES: dict[int, tuple[str, str]] = {
    1: ("01-overview", "figure"),
    2: ("01-overview", "figure"),
    3: ("01-overview", "figure"),
    4: ("01-overview", "table"),
    5: ("01-overview", "figure"),
    6: ("01-overview", "figure"),
    7: ("02-linear-model", "figure"),
    8: ("02-linear-model", "figure"),
    9: ("02-linear-model", "figure"),
    10: ("02-linear-model", "figure"),
    11: ("02-linear-model", "table"),
    12: ("02-linear-model", "math+table"),
    13: ("02-linear-model", "figure"),
    14: ("03-gradient-descent", "figure"),
    15: ("03-gradient-descent", "figure"),
    16: ("03-gradient-descent", "figure"),
    17: ("03-gradient-descent", "figure"),
    18: ("03-gradient-descent", "math"),
    19: ("03-gradient-descent", "figure"),
    20: ("03-gradient-descent", "figure"),
    21: ("04-sgd", "math"),
    22: ("04-sgd", "code"),
    23: ("04-sgd", "figure"),
    24: ("04-sgd", "figure"),
}
#: Replacements that need more than one element of a kind (22: GD code and SGD code side by side).
MIN_COUNT: dict[int, dict[str, int]] = {22: {"code": 2}}

# -- A tiny HTML tree ---------------------------------------------------------------------------

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


@dataclass(eq=False)
class Node:
    """An element: tag, attributes, children (elements and text), parent."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self, *tags: str) -> Iterator[Node]:
        """This element and every descendant element, in document order (optionally by tag)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if not tags or node.tag in tags:
                yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def text(self) -> str:
        """The text content (scripts and styles excluded)."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("script", "style"):
                    walk(child)

        walk(self)
        return "".join(parts)

    def by_id(self, ident: str) -> list[Node]:
        return [n for n in self.iter() if n.attrs.get("id") == ident]

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


_CACHE: dict[Path, Node] = {}


def load(path: Path) -> Node:
    if path not in _CACHE:
        _CACHE[path] = parse(path.read_text(encoding="utf-8"))
    return _CACHE[path]


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def lecture(site: Path, name: str) -> Node:
    path = site / "lectures" / f"{name}.html"
    if not path.is_file():
        pytest.fail(f"lecture page not built: {path.relative_to(site)}")
    return load(path)


def main_content(doc: Node) -> Node:
    """Furo's ``<article role="main">`` (the page body without navigation)."""
    for node in doc.iter("article"):
        if node.attrs.get("role") == "main":
            return node
    raise AssertionError("no <article role='main'> in page")


# -- Detectors (unit-tested below on synthetic HTML) ---------------------------------------------

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*['\"]?([^'\")\s;]+)", re.IGNORECASE)


def is_external(url: str) -> bool:
    """True for an address on another host: ``http://``, ``https://`` or scheme-relative ``//``."""
    return bool(_EXTERNAL.match(url)) and not url.strip().lower().startswith("file:")


def external_resources(doc: Node) -> list[str]:
    """Resources a page loads from another host: script/img/iframe/source src, link href,
    CSS ``@import`` / ``url()`` in ``<style>`` blocks and ``style`` attributes."""
    found: list[str] = []
    for node in doc.iter():
        attrs = node.attrs
        if node.tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "track"):
            urls = [attrs.get("src", ""), *attrs.get("srcset", "").split(",")]
            found += [f"<{node.tag} src={u.strip()}>" for u in urls if is_external(u)]
        if node.tag == "link" and is_external(attrs.get("href", "")):
            rel = attrs.get("rel", "")
            found.append(f"<link rel={rel} href={attrs['href']}>")
        if node.tag == "object" and is_external(attrs.get("data", "")):
            found.append(f"<object data={attrs['data']}>")
        css = attrs.get("style", "")
        if node.tag == "style":
            css += "".join(c for c in node.children if isinstance(c, str))
        found += css_external(css)
    return found


def css_external(css: str) -> list[str]:
    return [f"css {u}" for u in _CSS_URL.findall(css) if is_external(u)]


def error_outputs(doc: Node) -> list[str]:
    """Cell stderr, tracebacks, error outputs and docutils system messages in a page."""
    found: list[str] = []
    for node in doc.iter():
        cls = node.classes
        if "output" in cls and cls & {"stderr", "traceback", "error"}:
            found.append(f"<{node.tag} class='{node.attrs['class']}'>: {node.text()[:120]!r}")
        elif any(c.startswith("highlight-ipythontb") for c in cls):
            found.append(f"ipythontb block: {node.text()[:120]!r}")
        elif cls & {"system-message", "problematic"}:
            found.append(f"docutils {sorted(cls)}: {node.text()[:120]!r}")
    text = doc.text()
    if "Traceback (most recent call last)" in text:
        found.append("text 'Traceback (most recent call last)'")
    if "$$" in text:
        i = text.index("$$")
        found.append(f"raw $$: {text[max(0, i - 40) : i + 40]!r}")
    return found


def test_detectors_catch_synthetic_problems() -> None:
    bad = parse(
        """<html lang="zh-CN"><head>
        <script src="https://cdn.example.com/x.js"></script>
        <link rel="stylesheet" href="//fonts.example.com/a.css">
        <style>@import url("http://example.com/b.css");
        p { background: url(https://e.org/i.png) }</style>
        </head><body><img src="HTTPS://example.org/a.png" alt="a">
        <div class="output stderr"><pre>warning</pre></div>
        <div class="output traceback highlight-ipythontb">
        <pre>Traceback (most recent call last)</pre></div>
        <p>$$ x $$</p></body></html>"""
    )
    assert len(external_resources(bad)) == 5
    assert len(error_outputs(bad)) == 4  # stderr, traceback div, traceback text, raw $$
    good = parse(
        """<html><head><script src="_static/x.js"></script><link href="_static/a.css">
        <style>p { background: url(_static/i.png) } a[href^="https://"] {}</style></head>
        <body><img src="../_images/a.png"><a href="https://example.com">link</a>
        <pre>price: $5 or $6</pre></body></html>"""
    )
    assert external_resources(good) == []
    assert error_outputs(good) == []


# -- Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(site: Path, page: str) -> None:
    path = site / page
    assert path.is_file(), f"{page} not built"
    doc = load(path)
    assert main_content(doc).text().strip(), f"{page} has an empty body"


def test_every_page_is_chinese(site: Path) -> None:
    wrong = []
    for path in html_files(site):
        htmls = list(load(path).iter("html"))
        lang = htmls[0].attrs.get("lang") if htmls else None
        if lang != "zh-CN":
            wrong.append(f"{path.relative_to(site)}: lang={lang!r}")
    assert not wrong, "pages without <html lang='zh-CN'>:\n" + "\n".join(wrong)


# -- The 24 lost images -------------------------------------------------------------------------


def _kind_elements(el: Node, kind: str, page_path: Path) -> list[Node]:
    if kind == "figure":
        imgs = [n for n in el.iter("img") if _image_file_ok(n, page_path)]
        return imgs + list(el.iter("svg"))
    if kind == "table":
        return [t for t in el.iter("table") if any(True for _ in t.iter("td"))]
    if kind == "math":  # a formula typeset at build time (MathML inside KaTeX's markup)
        return [n for n in el.iter("span", "div") if "math" in n.classes and any(n.iter("math"))]
    if kind == "code":
        return [p for p in el.iter("pre") if p.text().strip()]
    raise ValueError(kind)


def _image_file_ok(img: Node, page_path: Path) -> bool:
    src = img.attrs.get("src", "")
    if src.startswith("data:image/"):
        return True
    if not src or is_external(src):
        return False
    target = (page_path.parent / src.split("#")[0].split("?")[0]).resolve()
    return target.is_file() and target.stat().st_size > 100


@pytest.mark.parametrize("number", sorted(IMAGES), ids=lambda n: f"img-{n:02d}")
def test_lost_image_replaced(site: Path, number: int) -> None:
    name, kind = IMAGES[number]
    ident = f"img-{number:02d}"
    page_path = site / "lectures" / f"{name}.html"
    doc = lecture(site, name)
    elements = doc.by_id(ident)
    assert len(elements) == 1, f"{name}.html has {len(elements)} elements with id={ident}"
    el = elements[0]
    for part in kind.split("+"):
        found = _kind_elements(el, part, page_path)
        need = MIN_COUNT.get(number, {}).get(part, 1)
        assert len(found) >= need, (
            f"#{ident} on {name}.html holds {len(found)} {part} element(s), needs {need}: "
            f"<{el.tag} class='{el.attrs.get('class', '')}'> {el.text()[:200]!r}"
        )
    if kind == "figure":
        figure = (
            el
            if el.tag == "figure"
            else next((a for a in el.ancestors() if a.tag == "figure"), None)
        )
        captions = [c.text().strip() for c in (figure.iter("figcaption") if figure else [])]
        assert any(captions), f"#{ident} on {name}.html is not a figure with a caption"


def test_lost_images_not_elsewhere(site: Path) -> None:
    """Each img-NN id lives on its own page only (a copy elsewhere means a wrong page)."""
    wrong = []
    for path in html_files(site):
        rel = path.relative_to(site).as_posix()
        for node in load(path).iter():
            match = re.fullmatch(r"img-(\d\d)", node.attrs.get("id", ""))
            if match and int(match.group(1)) in IMAGES:
                home = f"lectures/{IMAGES[int(match.group(1))][0]}.html"
                if rel != home:
                    wrong.append(f"{match.group(0)} on {rel}, expected on {home}")
    assert not wrong, "\n".join(wrong)


# -- Exercises ----------------------------------------------------------------------------------

_EXERCISE = re.compile(r"^练习\s*\d+")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@pytest.mark.parametrize("name", LECTURES)
def test_exercises_have_solutions(site: Path, name: str) -> None:
    doc = main_content(lecture(site, name))
    order = list(doc.iter())
    exercises = [
        i for i, n in enumerate(order) if n.tag in HEADINGS and _EXERCISE.match(n.text().strip())
    ]
    assert len(exercises) >= 2, f"{name}.html has {len(exercises)} '练习 k' headings, needs 2"
    for i in exercises:
        title = order[i].text().strip().rstrip("¶")
        following: list[Node] = []
        for node in order[i + 1 :]:
            if node.tag in HEADINGS:
                break
            following.append(node)
        dropdowns = [
            n
            for n in following
            if n.tag == "details"
            and "sd-dropdown" in n.classes
            and any("解答" in s.text() for s in n.iter("summary"))
        ]
        assert dropdowns, f"{name}.html: '{title}' is not followed by a dropdown titled 解答"
        body = dropdowns[0].text()
        summary = "".join(s.text() for s in dropdowns[0].iter("summary"))
        assert len(body.strip()) > len(summary.strip()), f"{name}.html: '{title}' has an empty 解答"


# -- Outputs, math and offline assets -----------------------------------------------------------


def test_no_error_output(site: Path) -> None:
    found = []
    for path in html_files(site):
        if "_modules" in path.relative_to(site).parts:
            continue  # highlighted library source, not executed output
        found += [f"{path.relative_to(site)}: {f}" for f in error_outputs(load(path))]
    assert not found, "error output in the site:\n" + "\n".join(found)


def test_no_external_resources(site: Path) -> None:
    found = []
    for path in html_files(site):
        found += [f"{path.relative_to(site)}: {f}" for f in external_resources(load(path))]
    for css in sorted((site / "_static").rglob("*.css")):
        found += [f"{css.relative_to(site)}: {f}" for f in css_external(css.read_text("utf-8"))]
    assert not found, "resources from other hosts:\n" + "\n".join(found)


def test_figures_have_alt_or_caption(site: Path) -> None:
    missing = []
    for path in html_files(site):
        for img in load(path).iter("img"):
            src = img.attrs.get("src", "")
            alt = img.attrs.get("alt", "").strip()
            # myst-nb's default alt is the image path: that says nothing to a reader
            meaningful_alt = bool(alt) and alt != src and not alt.endswith((".png", ".svg", ".jpg"))
            figure = next((a for a in img.ancestors() if a.tag == "figure"), None)
            caption = figure is not None and any(
                c.text().strip() for c in figure.iter("figcaption")
            )
            if not (meaningful_alt or caption):
                missing.append(f"{path.relative_to(site)}: <img src={src}>")
    assert not missing, "images without alt text or caption:\n" + "\n".join(missing)


# -- Maths, typeset at build time ----------------------------------------------------------------

#: TeX delimiters that must never reach a reader (outside code and the MathML TeX annotation)
_RAW_TEX = re.compile(r"\\\(|\\\[|\$\$")
_MATH_SCRIPT = re.compile(r"mathjax|katex[^/]*\.m?js", re.IGNORECASE)


def _visible_text(node: Node) -> str:
    parts: list[str] = []

    def walk(n: Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style", "pre", "code", "annotation", "textarea"):
                walk(child)

    walk(node)
    return "".join(parts)


def math_problems(doc: Node) -> list[str]:
    """Formulas not typeset into finished markup, raw TeX, KaTeX error markup, maths scripts.

    A typeset formula is an element of class ``math`` holding one ``.katex`` with a MathML copy
    (``.katex-mathml`` > ``math`` with the TeX annotation) and the visible, ``aria-hidden``
    ``.katex-html``.
    """
    found: list[str] = []
    for node in doc.iter("span", "div"):
        if "math" not in node.classes:
            continue
        katex = [n for n in node.iter("span") if "katex" in n.classes]
        mathml = [n for n in node.iter("math")]
        annotations = [
            n for n in node.iter("annotation") if n.attrs.get("encoding") == "application/x-tex"
        ]
        visible = [
            n
            for n in node.iter("span")
            if "katex-html" in n.classes and n.attrs.get("aria-hidden") == "true"
        ]
        if len(katex) != 1 or len(mathml) != 1 or len(annotations) != 1 or len(visible) != 1:
            found.append(f"untypeset formula: {node.text()[:80]!r}")
        elif not (mathml[0].text().strip() and visible[0].text().strip()):
            found.append(f"empty formula: {annotations[0].text()[:80]!r}")
        elif node.tag == "div" and node.attrs.get("tabindex") != "0":
            # a display formula may scroll sideways: the keyboard must be able to reach it
            found.append(f"display formula not focusable: {annotations[0].text()[:80]!r}")
    for node in doc.iter():
        if node.classes & {"katex-error"} or node.tag in ("mjx-container", "mjx-merror"):
            cls = node.attrs.get("class", "")
            found.append(f"<{node.tag} class='{cls}'>: {node.text()[:80]!r}")
        if node.tag == "script" and _MATH_SCRIPT.search(node.attrs.get("src", "")):
            found.append(f"maths script {node.attrs['src']}")
    text = _visible_text(doc)
    for match in _RAW_TEX.finditer(text):
        found.append(f"raw TeX: {text[max(0, match.start() - 30) : match.end() + 30]!r}")
    return found


def test_math_detector_catches_synthetic_problems() -> None:
    bad = parse(
        r"""<html><head><script src="_static/mathjax/tex-chtml.js"></script></head><body>
        <p>inline <span class="math notranslate">\(w\)</span></p>
        <div class="math">\[ x^2 \]</div>
        <p>$$ y $$</p>
        <span class="math"><span class="katex"><span class="katex-error" title="ParseError">\foo
        </span></span></span></body></html>"""
    )
    problems = math_problems(bad)
    # three untypeset formulas, the error span, the script, four delimiters (\( \[ $$ $$)
    assert len(problems) == 9, problems
    good = parse(
        r"""<html><body><p>price $5, code <code>\(x\)</code></p>
        <span class="math notranslate"><span class="katex"><span class="katex-mathml"><math>
        <semantics><mrow><mi>w</mi></mrow><annotation encoding="application/x-tex">\(w\)
        </annotation></semantics></math></span><span class="katex-html" aria-hidden="true">
        <span class="mord mathnormal">w</span></span></span></span><pre>$$ in code $$</pre>
        </body></html>"""
    )
    assert math_problems(good) == []


def test_maths_typeset_at_build_time(site: Path) -> None:
    found, counts = [], {}
    for path in html_files(site):
        rel = path.relative_to(site).as_posix()
        doc = load(path)
        found += [f"{rel}: {p}" for p in math_problems(doc)]
        counts[rel] = sum(1 for n in doc.iter("span", "div") if "math" in n.classes)
    assert not found, "formulas not typeset at build time:\n" + "\n".join(found[:30])
    for name in LECTURES:
        assert counts[f"lectures/{name}.html"] > 0, f"{name}.html has no formula"
    assert counts["api.html"] > 0, "the API page has no formula (docstrings)"


def test_math_stylesheet_only_where_needed(site: Path) -> None:
    """Pages with maths link the one KaTeX stylesheet, pages without maths link nothing of it."""
    wrong = []
    for path in html_files(site):
        doc = load(path)
        has_math = any("katex" in n.classes for n in doc.iter("span"))
        links = [
            n.attrs.get("href", "")
            for n in doc.iter("link")
            if "katex" in n.attrs.get("href", "").lower()
        ]
        expected = 1 if has_math else 0
        if len(links) != expected or not all(
            (path.parent / h.split("?")[0]).resolve() == site / "_static" / "katex" / "katex.css"
            for h in links
        ):
            wrong.append(f"{path.relative_to(site)}: maths={has_math}, links={links}")
    assert not wrong, "\n".join(wrong)
    assert not (site / "_static" / "mathjax").exists(), "a MathJax copy is still in the site"


def test_math_fonts_are_subsets_with_their_licence(site: Path) -> None:
    """The stylesheet embeds its fonts; each is cut down from the vendored KaTeX font, renamed
    (the OFL reserves the KaTeX_* names for unmodified fonts) and keeps copyright and licence."""
    pytest.importorskip("brotli", reason="fontTools reads WOFF2 with brotli (docs group)")
    import base64
    import io

    from fontTools.ttLib import TTFont

    folder = site / "_static" / "katex"
    css = (folder / "katex.css").read_text("utf-8")
    assert (folder / "OFL.txt").is_file()
    assert (folder / "LICENSE").is_file()
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text("utf-8")
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls, "the stylesheet embeds no font"
    not_embedded = [u[:40] for u in urls if not u.startswith("data:font/woff2;base64,")]
    assert not not_embedded, f"fonts or images the stylesheet fetches: {not_embedded}"
    assert not re.search(r"font-family:\s*KaTeX_", css), "a reserved KaTeX_* family is served"
    vendored = DOCS / "_ext" / "katex" / "fonts"
    for block in re.findall(r"@font-face\{([^}]*)\}", css):
        family = re.search(r"font-family:(CourseMath_\w+)", block)
        assert family, block[:80]
        data = re.search(r"base64,([A-Za-z0-9+/=]+)", block)
        assert data
        font = TTFont(io.BytesIO(base64.b64decode(data[1])))
        name = font["name"]
        assert name.getDebugName(1) == family[1]
        assert "KaTeX_" not in (name.getDebugName(4) or "") + (name.getDebugName(6) or "")
        assert "Design Science" in (name.getDebugName(0) or "")
        assert "Open Font License" in (name.getDebugName(13) or "")
        original = (name.getDebugName(6) or "").replace("CourseMath_", "KaTeX_")
        full = TTFont(str(vendored / f"{original}.woff2"))
        assert set(font.getBestCmap()) < set(full.getBestCmap()), f"{family[1]} is not a subset"


# -- Downloadable notebooks ---------------------------------------------------------------------


@pytest.mark.parametrize("name", LECTURES)
def test_notebook_download_exists(site: Path, name: str) -> None:
    path = site / "_notebooks" / "lectures" / f"{name}.ipynb"
    assert path.is_file(), f"{path.relative_to(site)} not written"
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb.get("nbformat") == 4
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    assert code, f"{name}.ipynb has no code cell"
    page = load(site / "lectures" / f"{name}.html")
    hrefs = [a.attrs.get("href", "") for a in page.iter("a") if "download" in a.attrs]
    assert f"../_notebooks/lectures/{name}.ipynb" in hrefs, f"{name}.html links {hrefs}"


@pytest.mark.parametrize("name", LECTURES)
def test_notebook_is_the_same_whatever_the_build_history(site: Path, name: str) -> None:
    """No outputs (myst-nb keeps them only after a fresh execution), no build machine's Python,
    cell ids from the page and the cell's index (nbformat's are random)."""
    nb = json.loads((site / "_notebooks" / "lectures" / f"{name}.ipynb").read_text("utf-8"))
    assert [c["id"] for c in nb["cells"]] == [
        f"lectures-{name}-{i}" for i in range(len(nb["cells"]))
    ]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "language_info" not in nb["metadata"]
    assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5)  # the version with cell ids


# -- The wheel of lecturelib on the site --------------------------------------------------------


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def site_wheel(site: Path) -> Path:
    wheels = sorted((site / "_wheels").glob("*.whl"))
    assert len(wheels) == 1, f"expected one wheel in _wheels/, found {[w.name for w in wheels]}"
    return wheels[0]


def test_wheel_is_lecturelib_of_these_sources(site: Path) -> None:
    """Named and versioned from pyproject, holding exactly the package's source files."""
    wheel = site_wheel(site)
    version = project_version()
    assert wheel.name == f"lecturelib-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(f"lecturelib-{version}.dist-info/METADATA").decode()
        packaged = {n: zf.read(n) for n in zf.namelist() if n.startswith("lecturelib/")}
    assert f"\nVersion: {version}\n" in metadata
    for requirement in ("numpy", "matplotlib", "noto-cjk-sans-otc", "tensorboardX"):
        assert re.search(rf"^Requires-Dist: {requirement}\b", metadata, re.M | re.I), requirement
    src = ROOT / "src" / "lecturelib"
    sources = {
        f"lecturelib/{p.relative_to(src).as_posix()}": p.read_bytes()
        for p in sorted(src.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert packaged.keys() == sources.keys()
    assert [n for n in sources if packaged[n] != sources[n]] == []


def test_home_page_links_the_wheel_and_says_how_to_install_it(site: Path) -> None:
    name = site_wheel(site).name
    doc = main_content(load(site / "index.html"))
    hrefs = [a.attrs.get("href", "") for a in doc.iter("a")]
    assert f"_wheels/{name}" in hrefs, hrefs
    assert f"pip install {name}" in " ".join(doc.text().split())


@pytest.mark.parametrize("name", LECTURES)
def test_notebook_download_says_how_to_install_lecturelib(site: Path, name: str) -> None:
    """The page offers the wheel beside its notebook; the notebook's first cell and its metadata
    give the one-line install command."""
    wheel = site_wheel(site).name
    line = f"pip install {wheel}"
    page = load(site / "lectures" / f"{name}.html")
    links = {a.attrs.get("href", ""): a for a in page.iter("a") if "download" in a.attrs}
    assert f"../_wheels/{wheel}" in links, sorted(links)
    assert line in links[f"../_wheels/{wheel}"].attrs.get("aria-label", "")
    assert line in links[f"../_notebooks/lectures/{name}.ipynb"].attrs.get("title", "")
    nb = json.loads((site / "_notebooks" / "lectures" / f"{name}.ipynb").read_text("utf-8"))
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    assert f"`{line}`" in "".join(first["source"])
    assert line in nb["metadata"]["lecturelib_note"]


# -- Accessible markup, in Chinese, without JavaScript ------------------------------------------

#: English labels of furo and myst-nb that must not reach a page (attributes or text).
ENGLISH_LABELS = (
    "Skip to content",
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Toggle hidden content",
    "<title>Contents</title>",
    "<title>Menu</title>",
    "<title>Expand</title>",
    "<title>Light mode</title>",
    "<title>Dark mode</title>",
    "<title>Auto light/dark",
)


@pytest.mark.parametrize("page", PAGES)
def test_markup_is_accessible_and_chinese_as_written(site: Path, page: str) -> None:
    """What the build writes, before any script runs: Chinese labels, headings with a level,
    hidden-code toggles named by their visible text, code blocks reachable by keyboard."""
    html = (site / page).read_text(encoding="utf-8")
    left = [s for s in ENGLISH_LABELS if s in html]
    assert not left, f"{page}: English labels in the HTML: {left}"
    doc = load(site / page)
    no_level = [n for n in doc.iter() if n.attrs.get("role") == "heading"]
    no_level = [n.text().strip() for n in no_level if not n.attrs.get("aria-level")]
    assert not no_level, f"{page}: role=heading without aria-level: {no_level}"
    for summary in doc.iter("summary"):
        assert "aria-label" not in summary.attrs, f"{page}: {summary.attrs}"
    toggles = [
        [p.text().strip() for p in s.iter("p")]
        for d in doc.iter("details")
        if "hide" in d.classes
        for s in d.iter("summary")
    ]
    known = {"显示代码", "隐藏代码", "显示输出", "隐藏输出", "显示代码和输出", "隐藏代码和输出"}
    assert all(len(t) == 2 and set(t) <= known for t in toggles), f"{page}: {toggles}"
    pres = list(main_content(doc).iter("pre"))
    assert all(p.attrs.get("tabindex") == "0" for p in pres), f"{page}: a <pre> not focusable"
    wrappers = [n for n in doc.iter("div") if n.classes & {"table-wrapper", "math-wrapper"}]
    assert all(w.attrs.get("tabindex") == "0" for w in wrappers), f"{page}: a wrapper not focusable"


def test_hidden_code_toggles_exist_on_the_lectures(site: Path) -> None:
    """The toggle check above has something to check."""
    text = (site / "lectures" / "02-linear-model.html").read_text(encoding="utf-8")
    assert "显示代码" in text
    assert "隐藏代码" in text


# -- Numbers: per lecture (图 N.k on page N) ------------------------------------------------------

_NUMBERED = re.compile(r"^(图|表|代码) (\d+)\.(\d+)$")


def lecture_number(name: str) -> int:
    return LECTURES.index(name) + 1


def h1_of(doc: Node) -> Node:
    (h1,) = list(main_content(doc).iter("h1"))
    return h1


def section_number(node: Node) -> str | None:
    spans = [s for s in node.iter("span") if "section-number" in s.classes]
    return spans[0].text() if spans else None


@pytest.mark.parametrize("name", LECTURES)
def test_lecture_title_is_numbered_by_sphinx(site: Path, name: str) -> None:
    """The number comes from the numbered toctree, not from the page's source."""
    n = lecture_number(name)
    doc = lecture(site, name)
    assert section_number(h1_of(doc)) == f"{n}. "
    source = (ROOT / "docs" / "lectures" / f"{name}.md").read_text(encoding="utf-8")
    heading = re.search(r"^# .*$", source.split("\n---\n", 1)[-1], re.M)  # after front matter
    assert heading, f"{name}.md has no title"
    heading = heading[0]
    assert not re.match(r"^# \d", heading), f"{name}.md numbers its own title: {heading!r}"
    title = re.sub(r"<[^>]+>", "", h1_of(doc).text()).removesuffix("¶")
    (browser_title,) = [t.text() for t in doc.iter("title") if t.parent and t.parent.tag == "head"]
    assert browser_title.startswith(f"{title} - "), (browser_title, title)
    sidebar = [
        a.text().strip()
        for li in doc.iter("li")
        if "toctree-l1" in li.classes
        for a in li.iter("a")
        if a.attrs.get("href") in (f"{name}.html", "#")
    ]
    assert sidebar == [title], sidebar


@pytest.mark.parametrize("page", ["index.html", "glossary.html", "api.html", "api-figures.html"])
def test_pages_outside_the_lectures_have_no_numbers(site: Path, page: str) -> None:
    doc = load(site / page)
    assert section_number(h1_of(doc)) is None
    captions = [c.text() for c in main_content(doc).iter("span") if "caption-number" in c.classes]
    assert not [c for c in captions if re.search(r"\d+\.\d+", c)], captions


def test_previous_and_next_links_carry_the_lecture_numbers(site: Path) -> None:
    titles = {}
    for path in ["index.html", "glossary.html"] + [f"lectures/{n}.html" for n in LECTURES]:
        for div in load(site / path).iter("div"):
            if "title" in div.classes and div.parent and "page-info" in div.parent.classes:
                titles[div.text().strip()] = path
    for name in LECTURES:
        n = lecture_number(name)
        title = re.sub(r"<[^>]+>", "", h1_of(lecture(site, name)).text()).removesuffix("¶")
        assert title.startswith(f"{n}. ")
        assert title in titles, f"no previous/next link reads {title!r}: {sorted(titles)}"


@pytest.mark.parametrize("name", LECTURES)
def test_numbered_captions_run_per_lecture(site: Path, name: str) -> None:
    """Captions on page N read 图 N.1, 图 N.2, … in order (and tables, code likewise)."""
    n = lecture_number(name)
    doc = main_content(lecture(site, name))
    seen: dict[str, list[int]] = {}
    for span in doc.iter("span"):
        if "caption-number" not in span.classes:
            continue
        match = _NUMBERED.match(span.text().strip())
        assert match, f"{name}: caption number {span.text()!r} is not 'kind N.k'"
        kind, chapter, k = match[1], int(match[2]), int(match[3])
        assert chapter == n, f"{name}: {span.text()!r} on page {n}"
        seen.setdefault(kind, []).append(k)
    assert seen.get("图"), f"{name} has no numbered figure"
    for kind, ks in seen.items():
        assert ks == list(range(1, len(ks) + 1)), f"{name}: {kind} numbers {ks}"


def numbered_targets(site: Path) -> dict[tuple[str, str], str]:
    """``(page, id) -> "图 N.k"`` for every numbered figure, table and code block of the site."""
    found = {}
    for path in html_files(site):
        rel = path.relative_to(site).as_posix()
        for node in main_content(load(path)).iter("figure", "table", "div"):
            if node.tag == "div" and "literal-block-wrapper" not in node.classes:
                continue
            numbers = [s for s in node.iter("span") if "caption-number" in s.classes]
            if numbers and node.attrs.get("id"):
                found[(rel, node.attrs["id"])] = numbers[0].text().strip()
    return found


def test_numrefs_read_the_number_of_their_figure(site: Path) -> None:
    """Every {numref} reads 图 M.k, the number its target's caption shows, M being the page of the
    target: on page N a reference to a figure of page N reads 图 N.k, one to another page names
    that page by its number."""
    targets = numbered_targets(site)
    assert targets, "no numbered figure on the site"
    checked, wrong = 0, []
    for path in html_files(site):
        rel = path.relative_to(site).as_posix()
        for a in load(path).iter("a"):
            spans = [s for s in a.iter("span") if "std-numref" in s.classes]
            if not spans:
                continue
            text = spans[0].text().strip()
            href = a.attrs.get("href", "")
            page, _, ident = href.partition("#")
            target_page = (
                (path.parent / page).resolve().relative_to(site).as_posix() if page else rel
            )
            shown = targets.get((target_page, ident))
            match = _NUMBERED.match(text)
            lecture_of_target = Path(target_page).stem
            if (
                shown != text
                or match is None
                or lecture_of_target not in LECTURES
                or int(match[2]) != lecture_number(lecture_of_target)
            ):
                wrong.append(f"{rel}: {text!r} -> {href} (caption there: {shown!r})")
            checked += 1
    assert checked >= 20, f"only {checked} numbered references found"
    assert not wrong, "\n".join(wrong)
