"""Offer every executed page as a Jupyter notebook that runs on its own.

myst-nb writes each executed page to ``_build/jupyter_execute/<page>.ipynb``. After the build we
copy those notebooks to ``<html>/_notebooks/<page>.ipynb``, replacing the one import that only
exists on the site (``from myst_nb import glue``) by a fallback, so the notebook runs anywhere
lecturelib is installed. The template ``components/view-this-page.html`` links to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

FOLDER = "_notebooks"
GLUE_IMPORT = "from myst_nb import glue"
GLUE_FALLBACK = """try:
    from myst_nb import glue
except ImportError:  # 在课程网站之外运行时，glue 只是把数值显示出来

    def glue(name, variable, display=True):
        if display:
            print(f"{name} = {variable!r}")
"""


def _executed(app: Sphinx) -> Path:
    return Path(app.outdir).parent / "jupyter_execute"


def standalone(notebook: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``notebook`` whose code runs without myst-nb installed."""
    nb = json.loads(json.dumps(notebook))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if GLUE_IMPORT in src:
            src = src.replace(GLUE_IMPORT, GLUE_FALLBACK.rstrip("\n"))
            cell["source"] = src
    nb.setdefault("metadata", {})["lecturelib_note"] = (
        "Downloaded from the course site; run with lecturelib installed."
    )
    return nb


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if (_executed(app) / f"{pagename}.ipynb").is_file():  # exactly the pages _write copies
        depth = pagename.count("/")
        context["notebook_download"] = "../" * depth + f"{FOLDER}/{pagename}.ipynb"


def _write(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src_root = _executed(app)
    for docname in sorted(app.env.found_docs):
        src = src_root / f"{docname}.ipynb"
        if not src.is_file():
            continue
        dst = Path(app.outdir) / FOLDER / f"{docname}.ipynb"
        dst.parent.mkdir(parents=True, exist_ok=True)
        nb = standalone(json.loads(src.read_text(encoding="utf-8")))
        dst.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
