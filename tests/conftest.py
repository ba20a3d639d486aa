"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def styled() -> Iterator[None]:
    """The site's plotting style for a drawing test; no pyplot figure left behind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lecturelib.style import use_style

    use_style()
    yield
    plt.close("all")


# the contracts of tests/drawing.py: each inherited test runs over its subclass's list
_CONTRACT_LISTS = {
    "case": "CASES",
    "degenerate": "DEGENERATE",
    "refused": "REFUSED",
    "diagram": "DIAGRAMS",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for argument, attribute in _CONTRACT_LISTS.items():
        if argument in metafunc.fixturenames and metafunc.cls is not None:
            items = getattr(metafunc.cls, attribute)
            ids = [getattr(item, "name", None) or item[0] for item in items]
            metafunc.parametrize(argument, items, ids=ids)
