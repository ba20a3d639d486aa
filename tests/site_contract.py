"""What the built site must contain, shared by the site tests and the browser tests."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITE = ROOT / "docs" / "_build" / "html"

LECTURES = ("01-overview", "02-linear-model", "03-gradient-descent", "04-sgd")
PAGES = (
    "index.html",
    *(f"lectures/{name}.html" for name in LECTURES),
    "glossary.html",
    "api.html",
    "search.html",
)


def site_root() -> Path:
    """The folder of the built HTML site (``LECTURELIB_SITE`` or ``docs/_build/html``)."""
    env = os.environ.get("LECTURELIB_SITE", "").strip()
    return Path(env).resolve() if env else DEFAULT_SITE
