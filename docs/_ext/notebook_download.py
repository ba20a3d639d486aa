"""Offer every executed page as a Jupyter notebook that runs on its own.

myst-nb writes each executed page to ``_build/jupyter_execute/<page>.ipynb``. After the build we
copy those notebooks to ``<html>/_notebooks/<page>.ipynb``, replacing the one import that only
exists on the site (``from myst_nb import glue``) by a fallback, so the notebook runs anywhere
lecturelib is installed. The template ``components/view-this-page.html`` links to it.

The notebook starts with a Markdown cell that says, in one line, how to install lecturelib from
the wheel on the site (``lecturelib_wheel``), and its metadata says the same. It is written the
same by every build of the same sources: no outputs (present only after a fresh execution), no
``language_info`` (the build machine's Python), cell ids ``<page>-<index>`` (nbformat's are
random).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lecturelib_wheel import install_line
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


def install_note(wheel: str) -> str:
    """The first cell of a downloaded notebook: what to install, in one line."""
    return (
        "本笔记本来自课程网站，运行前先安装 lecturelib（下载网站首页的 "
        f"`{wheel}`，与本笔记本放在同一文件夹）：`{install_line(wheel)}`"
    )


def cell_id(docname: str, index: int) -> str:
    """A stable nbformat cell id: the page's name and the cell's index (``[A-Za-z0-9_-]``)."""
    page = re.sub(r"[^A-Za-z0-9_-]+", "-", docname).strip("-")[-50:]
    return f"{page}-{index}"


def standalone(notebook: dict[str, Any], docname: str, wheel: str) -> dict[str, Any]:
    """Return a copy of ``notebook`` whose code runs without myst-nb installed.

    It starts with :func:`install_note`; every cell gets the id :func:`cell_id`. It carries no
    outputs: myst-nb's executed copy has them after an execution but not after a cache hit, so
    keeping them would make the file depend on the build's history (the site shows the outputs;
    the reader runs the notebook).
    """
    nb = json.loads(json.dumps(notebook))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"], cell["execution_count"] = [], None
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if GLUE_IMPORT in src:
            src = src.replace(GLUE_IMPORT, GLUE_FALLBACK.rstrip("\n"))
            cell["source"] = src
    note = {"cell_type": "markdown", "metadata": {}, "source": install_note(wheel)}
    nb["cells"] = [note, *nb.get("cells", [])]
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = cell_id(docname, i)
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) < (4, 5):
        nb["nbformat"], nb["nbformat_minor"] = 4, 5  # cell ids need nbformat 4.5
    meta = nb.setdefault("metadata", {})
    meta.pop("source_map", None)  # myst-nb's, off by one with the note cell
    meta.pop("language_info", None)  # the build machine's Python, only after a fresh execution
    nb["metadata"]["lecturelib_note"] = (
        f"Downloaded from the course site; install lecturelib first: {install_line(wheel)}"
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
        notebook = json.loads(src.read_text(encoding="utf-8"))
        nb = standalone(notebook, docname, app.config.lecturelib_wheel)
        dst.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("lecturelib_wheel")
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
