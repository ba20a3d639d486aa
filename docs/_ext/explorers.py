"""Show lecturelib's explorers on the site: interactive with JavaScript, the PNG without it.

A cell that ends with an explorer (``figures.explorer_gd_lr()``, see
``lecturelib/figures/_explorer.py``) has three outputs: the interactive HTML under lecturelib's
own MIME type, a PNG of the default state and text. Jupyter, GitHub, the LaTeX builder and every
other viewer skip the unknown MIME type and show the PNG. On the HTML site:

* the MIME type is rendered as raw HTML, ahead of every other type (myst-nb finds renderers of
  extra MIME types only through Python entry points, i.e. an installed package; this extension
  adds its renderer to myst-nb's list instead, which is the one line of patching here);
* the cell's own PNG is kept beside it inside ``<noscript>``: readers without JavaScript see
  the static figure with the same caption and number, readers with JavaScript never fetch it;
* ``_static/explorers.js`` is added to the pages that have an explorer, and to no other.

The caption and number come from the cell's ``mystnb: figure:`` metadata like any figure.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: lecturelib.figures._explorer.MIME_TYPE (kept in step by tests/test_figures_explorers.py)
MIME_TYPE = "application/vnd.lecturelib.explorer+html"
SCRIPT = "explorers.js"
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class ExplorerMime:
    """A myst-nb mime renderer: the explorer's markup, as raw HTML, first choice on HTML pages."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [
        (builder, MIME_TYPE, 5) for builder in HTML_BUILDERS
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if inline or data.mime_type != MIME_TYPE:
            return None
        return [nodes.raw(text=data.string, format="html", classes=["explorer-output"])]


def _register() -> None:
    from myst_nb.core import render

    found = render.load_mime_renders
    if getattr(found, "with_explorers", False):
        return

    def load_mime_renders() -> list[Any]:
        return [*found(), ExplorerMime]

    load_mime_renders.with_explorers = True  # type: ignore[attr-defined]
    render.load_mime_renders = load_mime_renders


class NoscriptFallback(SphinxPostTransform):
    """Put an explorer's PNG into ``<noscript>`` beside it, before myst-nb picks one output."""

    default_priority = 3  # myst-nb's SelectMimeType runs at 4
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child.get("mime_type"): child for child in bundle.children}
            explorer, png = by_type.get(MIME_TYPE), by_type.get("image/png")
            if explorer is None or png is None:
                continue
            images = list(png.findall(nodes.image))
            if len(images) != 1:
                continue
            image = images[0]
            image.parent.remove(image)
            image["alt"] = _static_description(explorer)
            explorer += nodes.raw("", "<noscript>", format="html")
            explorer += image
            explorer += nodes.raw("", "</noscript>", format="html")


def _static_description(explorer: nodes.Element) -> str:
    """The PNG's alt text: what its charts show, from the charts' own ``aria-label``s."""
    markup = "".join(raw.astext() for raw in explorer.findall(nodes.raw))
    labels = re.findall(r'<svg class="explorer-panel" role="img" aria-label="([^"]*)"', markup)
    return "；".join(html.unescape(label) for label in labels) or "交互图的默认状态"


def _add_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format == "html" and "data-explorer=" in str(context.get("body", "")):
        app.builder.add_js_file(SCRIPT, defer="defer")  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    _register()
    app.add_post_transform(NoscriptFallback)
    app.connect("html-page-context", _add_script)
    return {
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "version": "1",
        "env_version": 1,
    }
