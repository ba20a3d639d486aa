"""Formulas typeset at build time: finished KaTeX HTML + MathML in the page, no maths script.

Every ``math`` and ``math_block`` node of an HTML build is rendered by KaTeX 0.16.22 running in
``pykatex`` (KaTeX compiled into a Python extension with QuickJS: no Node, no browser) when the
page is read. The markup is stored in the node, so the doctree cache keeps it and a rebuild
renders only the pages it re-reads. A page shows ``<span class="katex">`` with two children:
``.katex-mathml`` (a ``<math>`` element for screen readers, with the TeX in an ``<annotation>``)
and ``.katex-html`` (``aria-hidden``, the visible formula drawn with CSS and KaTeX's fonts).

* **Bad input fails the build.** A formula KaTeX cannot parse, or that is not valid LaTeX
  (``strict`` mode, e.g. Chinese outside ``\\text{}``), is a warning naming the page, the line and
  the formula; under ``-W`` the build fails. No red error text ever reaches a page.
* **One stylesheet, fonts cut to what is used.** The characters each KaTeX font draws are
  collected per page while reading (:mod:`katex_fonts`); before writing, the build writes
  ``_static/katex/katex.css``: KaTeX's rules plus WOFF2 subsets of just those glyphs as ``data:``
  URIs (renamed ``CourseMath_*`` as the fonts' OFL requires of modified versions). It is
  rewritten only when the set of glyphs changes, and linked only from pages that have maths.
* Only HTML builders are touched: LaTeX and other builders get the math nodes unchanged.

The KaTeX stylesheet and fonts are vendored in ``katex/`` beside this file (MIT and SIL OFL 1.1,
licence files there and copied next to the built stylesheet).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import katex_fonts
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

RENDERER = "katex_static"
#: pykatex release -> the KaTeX it bundles; the vendored katex.min.css must be that version
PYKATEX_KATEX = {"0.1.1": "0.16.22"}
KATEX_VERSION = "0.16.22"
CSS = "katex/katex.css"  # under the output's _static
ATTR = "katex_html"  # node attribute holding the rendered markup
FORMAT = 1  # bump when the stored markup changes shape (invalidates cached doctrees)

#: The site's own additions to KaTeX's stylesheet.
EXTRA_CSS = """/* course: a display formula wider than the column scrolls inside its block, which
   takes the keyboard focus (tabindex) so it can be scrolled without a mouse; the page never widens.
   The hidden MathML copy (position:absolute) stays inside its formula, hence inside a
   scrolling table. */
.katex{position:relative}
div.math{overflow-x:auto;overflow-y:hidden}"""


def _check_pykatex() -> None:
    try:
        release = version("pykatex")
    except Exception as exc:  # pragma: no cover - the docs dependency group installs it
        raise ExtensionError("katex_math needs the pykatex package (docs group)") from exc
    if PYKATEX_KATEX.get(release) != KATEX_VERSION:
        raise ExtensionError(
            f"pykatex {release} is not known to bundle KaTeX {KATEX_VERSION}, the version of "
            "docs/_ext/katex/katex.min.css: update both together (see PYKATEX_KATEX)"
        )


@cache
def styles() -> katex_fonts.KatexStyles:
    return katex_fonts.KatexStyles((katex_fonts.VENDOR / "katex.min.css").read_text("utf-8"))


def formula(node: nodes.math | nodes.math_block) -> tuple[str, bool]:
    """The TeX KaTeX gets for a node, and whether it is display maths.

    Display blocks follow Sphinx's MathJax renderer: a part with ``\\\\`` is a ``split``, and
    several parts (separated by blank lines) are stacked in one ``aligned``.
    """
    tex = node.astext()
    if isinstance(node, nodes.math):
        return tex, False
    if node.get("no-wrap", node.get("nowrap", False)):
        return tex, True
    parts = [p for p in tex.split("\n\n") if p.strip()]
    parts = [rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts]
    if len(parts) > 1:
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}", True
    return (parts[0] if parts else tex), True


@cache
def render(tex: str, display: bool) -> str:
    """KaTeX HTML + MathML for one formula; raises ``pykatex.ParseError`` on bad input."""
    import pykatex

    html: str = pykatex.renderToString(
        tex,
        displayMode=display,
        output=pykatex.OUTPUT_HTML_AND_MATHML,
        throwOnError=True,
        strict=pykatex.STRICT_ERROR,
    )
    return html


@cache
def glyphs(tex: str, display: bool) -> dict[str, str]:
    """Per font file, the characters the formula draws with it."""
    usage = katex_fonts.glyphs_of(render(tex, display), styles())
    return {face.file: "".join(sorted(chars)) for face, chars in usage.items()}


def _typeset(node: nodes.math | nodes.math_block) -> tuple[str, dict[str, str]]:
    """The markup for ``node`` and its glyphs; a warning naming page, line and formula if bad."""
    tex, display = formula(node)
    try:
        return render(tex, display), glyphs(tex, display)
    except Exception as exc:  # pykatex.ParseError, or anything else KaTeX throws
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # KaTeX appends the formula with the culprit underlined by combining characters: cut it
        reason = re.sub(r"( at position \d+):.*", r"\1", reason)
        logger.warning(
            "KaTeX cannot typeset the formula ``%s``: %s",
            tex,
            reason,
            location=node,
            type="math",
            subtype="katex",
        )
        return "", {}


def _is_html(app: Sphinx) -> bool:
    return app.builder.format == "html"


def _glyph_store(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """docname -> font file -> characters, kept in the pickled environment."""
    store: dict[str, dict[str, str]] | None = getattr(env, "katex_glyphs", None)
    if store is None:
        store = {}
        env.katex_glyphs = store  # type: ignore[attr-defined]
    return store


#: HTML5 puts <math> in the MathML namespace by itself; XHTML (epub) needs the declaration
_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'


def _read(app: Sphinx, doctree: nodes.document) -> None:
    """Typeset every formula of a page just read and remember the glyphs it uses."""
    if not _is_html(app):
        return
    xhtml = app.builder.name == "epub"
    used: dict[str, set[str]] = {}
    for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        markup, chars = _typeset(node)  # type: ignore[arg-type]
        node[ATTR] = markup if xhtml else markup.replace(_XMLNS, "", 1)
        for file, text in chars.items():
            used.setdefault(file, set()).update(text)
    _glyph_store(app.env)[app.env.docname] = {f: "".join(sorted(t)) for f, t in used.items()}


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _glyph_store(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    theirs = _glyph_store(other)
    ours = _glyph_store(env)
    for docname in docnames:
        if docname in theirs:
            ours[docname] = theirs[docname]


#: font file -> characters in the subsets of the stylesheet written for this build
_SUBSET: dict[str, str] = {}


def _write_stylesheet(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write ``_static/katex/katex.css`` (and the licences) before any page links it.

    When the stylesheet changes, every page with maths is written again, so that each links the
    new file (Sphinx appends a checksum of the file to the link).
    """
    if not _is_html(app):
        return []
    merged: dict[str, set[str]] = {}
    for usage in _glyph_store(env).values():
        for file, text in usage.items():
            merged.setdefault(file, set()).update(text)
    faces = {face.file: face for face in styles().faces}
    wanted = {faces[f]: "".join(sorted(t)) for f, t in sorted(merged.items())}
    _SUBSET.clear()
    _SUBSET.update({face.file: text for face, text in wanted.items()})

    vendor = katex_fonts.VENDOR
    stamp_src = repr((sorted((f.file, t) for f, t in wanted.items()), FORMAT, EXTRA_CSS))
    stamp_src += hashlib.sha256((vendor / "katex.min.css").read_bytes()).hexdigest()
    # the code that cuts the fonts is part of what the file depends on (a fix there rewrites it)
    stamp_src += hashlib.sha256(Path(katex_fonts.__file__).read_bytes()).hexdigest()
    stamp = hashlib.sha256(stamp_src.encode()).hexdigest()[:16]
    out = Path(app.builder.outdir) / "_static" / CSS
    header = (
        f"/* stamp {stamp}: KaTeX {KATEX_VERSION} stylesheet (MIT, see LICENSE) with subsets of "
        "the KaTeX fonts (c) Design Science, Inc. and Khan Academy, SIL OFL 1.1, see OFL.txt; "
        f"renamed {katex_fonts.FAMILY_PREFIX}* because the OFL reserves the KaTeX_* names */"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    for licence in (vendor / "LICENSE", vendor / "fonts" / "OFL.txt"):
        target = out.parent / licence.name
        if not target.is_file() or target.read_bytes() != licence.read_bytes():
            shutil.copyfile(licence, target)
    if out.is_file() and out.read_text("utf-8").startswith(f"/* stamp {stamp}:"):
        return []  # same glyphs as the stylesheet already there
    out.write_text(katex_fonts.stylesheet(styles(), wanted, header, EXTRA_CSS), "utf-8")
    return sorted(doc for doc, usage in _glyph_store(env).items() if usage)


def _markup(node: nodes.math | nodes.math_block) -> str:
    markup = node.get(ATTR)
    if markup is None:  # a formula made after reading (e.g. by a post-transform)
        markup, chars = _typeset(node)
        missing = {f: set(t) - set(_SUBSET.get(f, "")) for f, t in chars.items()}
        if any(missing.values()):
            logger.warning(
                "the formula ``%s`` was made after reading and uses glyphs not in the site's "
                "KaTeX font subset: %s",
                node.astext(),
                {f: "".join(sorted(m)) for f, m in missing.items() if m},
                location=node,
                type="math",
                subtype="katex",
            )
    return str(markup)


def _open(tag: str, node: nodes.Element, extra_attrs: str = "") -> str:
    """``<tag class="math notranslate …" id=…>``, without ids furo's wrapper already carries."""
    classes = " ".join(dict.fromkeys(["math", "notranslate", *node.get("classes", [])]))
    ids = list(node.get("ids", []))
    parent = node.parent
    if ids and isinstance(parent, nodes.Element) and list(parent.get("ids", [])) == ids:
        ids = []  # furo moves display maths into a "math-wrapper" container with the same ids
    attrs = (f' id="{ids[0]}"' if ids else "") + extra_attrs
    extra = "".join(f'<span id="{i}"></span>' for i in ids[1:])
    return f'<{tag} class="{classes}"{attrs}>{extra}'


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(_open("span", node) + _markup(node) + "</span>")
    raise nodes.SkipNode


def visit_math_block(self: HTML5Translator, node: nodes.math_block) -> None:
    # focusable: a formula wider than a phone scrolls, and the keyboard must reach it (WCAG 2.1.1)
    self.body.append(_open("div", node, ' tabindex="0"'))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_markup(node) + "</div>\n")
    raise nodes.SkipNode


def _link_stylesheet(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not _is_html(app) or app.builder.math_renderer_name != RENDERER:  # type: ignore[attr-defined]
        return
    if context.get("has_maths_elements") or 'class="katex"' in str(context.get("body", "")):
        app.builder.add_css_file(CSS, priority=600)  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    _check_pykatex()
    app.add_html_math_renderer(
        RENDERER,
        inline_renderers=(visit_math, None),
        block_renderers=(visit_math_block, None),
    )
    app.connect("doctree-read", _read, priority=200)  # before the toctree copies titles
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _write_stylesheet)
    app.connect("html-page-context", _link_stylesheet)
    katex = hashlib.sha256(f"{KATEX_VERSION}/{FORMAT}".encode()).hexdigest()
    return {
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "version": KATEX_VERSION,
        "env_version": int(katex[:6], 16),
    }
