"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_contract import site_root


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site's folder; skips the test when the site has not been built.

    Under ``nox -s tests`` it always exists (the session builds it first).
    """
    root = site_root()
    if not (root / "index.html").is_file():
        pytest.skip(
            f"site not built: run nox -s docs (no index.html in {root}; see LECTURELIB_SITE)"
        )
    return root
