"""viewcode finds lecturelib's source files by path, without importing the modules.

On every build, even one with nothing to do, ``sphinx.ext.viewcode`` asks for the file of each
module it has a page for, to see whether the page is older than the source. It finds the file by
importing the module, and importing ``lecturelib.plots`` or ``lecturelib.figures`` imports
matplotlib: about a second of a three-second warm build. A module of lecturelib is a file of
``src/lecturelib``: this extension answers from the path (``a.b`` -> ``a/b.py`` or
``a/b/__init__.py``) and leaves every other module to viewcode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

PACKAGE = "lecturelib"
SOURCES = Path(__file__).resolve().parents[2] / "src" / PACKAGE


def module_file(modname: str, sources: Path = SOURCES) -> Path | None:
    """The source file of ``modname`` if it is a module of the package in ``sources``."""
    parts = modname.split(".")
    if parts[0] != sources.name:
        return None
    base = sources.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx.ext import viewcode

    by_import = viewcode.get_module_filename

    def get_module_filename(app: Sphinx, modname: str) -> str | None:
        found = module_file(modname)
        return str(found) if found is not None else by_import(app, modname)

    viewcode.get_module_filename = get_module_filename
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
