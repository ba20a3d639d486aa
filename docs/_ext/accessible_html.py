"""Accessible, Chinese theme markup, written at build time (no script fixes it in the browser).

furo, Sphinx and myst-nb write a few pieces of markup that axe-core (WCAG 2.1 A/AA) flags or that
are in English outside any template block or message catalogue. This extension writes them right
when the HTML is generated, so readers without JavaScript get the same page:

* **Headings of toctree captions** (Sphinx writes ``<p class="caption" role="heading">``, which
  lacks the required ``aria-level``): the caption gets ``aria-level``, one below the sections that
  contain it (2 in the sidebar, 3 for the home page's toctrees inside its ``##`` section).
* **Hidden-code toggles** (myst-nb writes ``<summary aria-label="Toggle hidden content">`` around
  a visible "show"/"hide" text, which then is not the toggle's name): no ``aria-label``; the
  visible text itself names what it shows or hides, in Chinese (``显示代码`` / ``隐藏代码``,
  ``显示输出`` …, from ``nb_code_prompt_show`` / ``nb_code_prompt_hide`` with ``{type}``).
* **Code, output, tables and display formulas** that scroll sideways must be reachable by
  keyboard: every ``<pre>`` and every table or formula wrapper gets ``tabindex="0"`` (whether a
  block scrolls depends on the reader's screen, so all do; ``course.css`` makes the wrapper the
  element that scrolls).
* furo's two ``<aside>`` landmarks (navigation, table of contents) get names that tell them apart.
* **English labels** that furo hard-codes in its templates (``aria-label`` of the sidebar and
  theme toggles, ``<title>`` of its SVG icons) are replaced by Chinese ones in the rendered page,
  through a template bridge (Sphinx's ``template_bridge`` setting) that post-processes what the
  templates render. furo's translatable strings (``{% trans %}``) are in ``locales/``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util.docutils import SphinxTranslator
from sphinx.writers.html5 import HTML5Translator

#: furo's hard-coded English labels (attribute values and SVG icon titles) -> Chinese.
LABELS = {
    "Toggle site navigation sidebar": "打开或关闭导航栏",
    "Toggle table of contents sidebar": "打开或关闭本页目录",
    "Toggle Light / Dark / Auto color theme": "切换浅色 / 深色 / 自动配色",
}
ICON_TITLES = {
    "Contents": "目录",
    "Menu": "菜单",
    "Expand": "展开",
    "Light mode": "浅色模式",
    "Dark mode": "深色模式",
    "Auto light/dark, in light mode": "自动（当前为浅色）",
    "Auto light/dark, in dark mode": "自动（当前为深色）",
}
#: furo's two ``<aside>`` landmarks, told apart by a name.
LANDMARKS = {
    '<aside class="sidebar-drawer">': '<aside class="sidebar-drawer" aria-label="导航">',
    '<aside class="toc-drawer">': '<aside class="toc-drawer" aria-label="本页目录">',
    '<aside class="toc-drawer no-toc">': '<aside class="toc-drawer no-toc" aria-label="本页目录">',
}
_REPLACEMENTS = [
    *LANDMARKS.items(),
    *((f'aria-label="{en}"', f'aria-label="{zh}"') for en, zh in LABELS.items()),
    *((f"<title>{en}</title>", f"<title>{zh}</title>") for en, zh in ICON_TITLES.items()),
]
#: Blocks that may scroll sideways: code and output (``<pre>``), tables and display formulas
#: (their wrappers).
_PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")
_WRAPPER = re.compile(r'<div class="(table-wrapper|math-wrapper)(?=[\s"])')

#: What a myst-nb toggle hides (the word it puts for ``{type}``) -> Chinese, longest first.
HIDDEN_PARTS = (
    ("content", "代码和输出"),
    ("outputs", "输出"),
    ("output", "输出"),
    ("source", "代码"),
)


def fix_markup(html: str) -> str:
    """The rendered page with furo's English labels in Chinese and focusable ``<pre>`` blocks."""
    for old, new in _REPLACEMENTS:
        html = html.replace(old, new)
    html = _PRE.sub('<pre tabindex="0"', html)
    return _WRAPPER.sub(r'<div tabindex="0" class="\1', html)


class ChineseTemplates(BuiltinTemplateLoader):
    """Sphinx's template loader; every page it renders goes through :func:`fix_markup`."""

    def render(self, template: str, context: dict[str, Any]) -> str:  # type: ignore[override]
        return fix_markup(super().render(template, context))

    def render_string(self, source: str, context: dict[str, Any]) -> str:
        return fix_markup(super().render_string(source, context))


class Translator(HTML5Translator):
    """Sphinx's HTML5 translator; toctree captions get the ``aria-level`` their role needs."""

    def visit_title(self, node: nodes.title) -> None:
        start = len(self.body)
        super().visit_title(node)
        parent = node.parent
        if not (isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree")):
            return
        sections = 0
        ancestor = parent.parent
        while ancestor is not None:
            sections += isinstance(ancestor, nodes.section)
            ancestor = ancestor.parent
        level = f' aria-level="{max(2, sections + 1)}"'
        for i in range(start, len(self.body)):
            tag = self.body[i]
            if tag.startswith("<p") and 'role="heading"' in tag and "aria-level" not in tag:
                self.body[i] = tag.replace('role="heading"', 'role="heading"' + level, 1)
                break


def prompt(text: str) -> str:
    """A myst-nb prompt with its ``{type}`` word in Chinese (``显示source`` -> ``显示代码``)."""
    for english, chinese in HIDDEN_PARTS:
        if text.endswith(english):
            return text.removesuffix(english) + chinese
    return text


def visit_hidden(self: SphinxTranslator, node: nodes.Element) -> None:
    """myst-nb's toggle of hidden code or output, named by its visible text (no ``aria-label``)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(
        f'<p class="collapsed admonition-title">{escape(prompt(node["prompt_show"]))}</p>\n'
    )
    self.body.append(
        f'<p class="expanded admonition-title">{escape(prompt(node["prompt_hide"]))}</p>\n'
    )
    self.body.append("</summary>\n")


def depart_hidden(self: SphinxTranslator, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _use_bridge(app: Sphinx, config: Config) -> None:
    ours = f"{__name__}.ChineseTemplates"
    if config.template_bridge not in (None, ours):
        raise ConfigError(f"{__name__} needs template_bridge (set to {config.template_bridge!r})")
    config.template_bridge = ours


def setup(app: Sphinx) -> dict[str, Any]:
    from myst_nb.sphinx_ import HideCodeCellNode

    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden, depart_hidden))
    for builder in ("html", "dirhtml"):
        app.set_translator(builder, Translator, override=True)
    app.connect("config-inited", _use_bridge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
