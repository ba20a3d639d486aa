"""Keep pages light: drop static assets that no page of this site uses.

sphinx-design adds ``design-tabs.js`` to every page for its tab sets; the course uses only its
dropdowns (pure HTML ``<details>`` + CSS), so the script is one request per page for nothing.
If a page ever uses tabs (``tab-set``), keep the script there.

sphinx-design's and myst-nb's stylesheets (about 100 kB together) style only their own markup
(``sd-*`` classes; notebook cells, glued outputs, ANSI colours of outputs): a page without that
markup (the API reference, the glossary) is served without them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

UNUSED_SCRIPTS = ("design-tabs.js",)
#: stylesheet file name (start) -> class names (regex) of the markup it styles
STYLED_BY = {
    "sphinx-design": r"sd-[\w-]+",
    "mystnb.": r"cell|cell_input|cell_output|output|pasted-[\w-]+|tag_[\w-]+|linenos|-Color[\w-]*",
}


def _drop_unused(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = str(context.get("body", ""))
    scripts = context.get("script_files")
    if scripts and "sd-tab-set" not in body:
        context["script_files"] = [
            s for s in scripts if not str(getattr(s, "filename", s)).endswith(UNUSED_SCRIPTS)
        ]
    styles = context.get("css_files")
    classes = " ".join(re.findall(r'class="([^"]*)"', body))
    unused = tuple(
        name
        for name, pattern in STYLED_BY.items()
        if not re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", classes)
    )
    if styles and unused:
        context["css_files"] = [
            s for s in styles if not Path(str(getattr(s, "filename", s))).name.startswith(unused)
        ]


def setup(app: Sphinx) -> dict[str, Any]:
    # late (900): after the handlers that add page-specific assets (katex_math's stylesheet)
    app.connect("html-page-context", _drop_unused, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
