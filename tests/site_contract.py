"""What the built site must contain, shared by the site tests and the browser tests."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITE = ROOT / "docs" / "_build" / "html"


def _tool_dirs() -> dict[str, str]:
    """``TOOL_DIRS`` of ``docs/_ext/tool_dirs.py`` (not a package: loaded from its file)."""
    spec = importlib.util.spec_from_file_location("tool_dirs", ROOT / "docs/_ext/tool_dirs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.TOOL_DIRS)


#: Tool folders (matplotlib, Jupyter, TMPDIR …) that docs/conf.py points into the repository's
#: ``.cache/`` unless already set: a build of another copy must not inherit ours.
TOOL_VARS = tuple(_tool_dirs())

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
