"""What the built site must contain, shared by the site tests and the browser tests."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITE = ROOT / "docs" / "_build" / "html"


def docs_extension(name: str) -> ModuleType:
    """A module of ``docs/_ext`` (not a package), imported as Sphinx imports it: by name, with
    ``docs/_ext`` on ``sys.path`` for the time of the import."""
    folder = str(ROOT / "docs" / "_ext")
    sys.path.insert(0, folder)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(folder)


#: Tool folders (matplotlib, Jupyter, TMPDIR …) that docs/conf.py points into the repository's
#: ``.cache/`` unless already set: a build of another copy must not inherit ours.
TOOL_VARS = tuple(docs_extension("tool_dirs").TOOL_DIRS)

LECTURES = ("01-overview", "02-linear-model", "03-gradient-descent", "04-sgd")
PAGES = (
    "index.html",
    *(f"lectures/{name}.html" for name in LECTURES),
    "glossary.html",
    "api.html",
    "api-figures.html",
    "search.html",
)


def site_root() -> Path:
    """The folder of the built HTML site (``LECTURELIB_SITE`` or ``docs/_build/html``)."""
    env = os.environ.get("LECTURELIB_SITE", "").strip()
    return Path(env).resolve() if env else DEFAULT_SITE
