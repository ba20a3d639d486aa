"""Fixtures of the tests over the built HTML site.

The site is ``docs/_build/html`` (what ``nox -s docs`` and ``nox -s tests`` build), or the folder
named by the environment variable ``LECTURELIB_SITE``. When it has not been built, every test that
needs it is skipped with the reason; under ``nox -s tests`` it always exists.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SITE = ROOT / "docs" / "_build" / "html"


def site_root() -> Path:
    """The folder of the built HTML site (``LECTURELIB_SITE`` or ``docs/_build/html``)."""
    env = os.environ.get("LECTURELIB_SITE", "").strip()
    return Path(env).resolve() if env else DEFAULT_SITE


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site's folder; skips the test when the site has not been built."""
    root = site_root()
    if not (root / "index.html").is_file():
        pytest.skip(
            f"site not built: run nox -s docs (no index.html in {root}; see LECTURELIB_SITE)"
        )
    return root
