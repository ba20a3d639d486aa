"""Keep pages light: drop static assets that no page of this site uses.

sphinx-design adds ``design-tabs.js`` to every page for its tab sets; the course uses only its
dropdowns (pure HTML ``<details>`` + CSS), so the script is one request per page for nothing.
If a page ever uses tabs (``tab-set``), keep the script there.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

UNUSED_SCRIPTS = ("design-tabs.js",)


def _drop_unused(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = str(context.get("body", ""))
    if "sd-tab-set" in body:
        return
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            s for s in scripts if not str(getattr(s, "filename", s)).endswith(UNUSED_SCRIPTS)
        ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_unused, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
