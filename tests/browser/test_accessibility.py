"""axe-core on every page, in light and dark mode and on a phone: no WCAG 2.1 A/AA violation, and
no serious or critical best-practice one.

axe-core comes bundled with the PyPI package ``axe-playwright-python`` (nothing is fetched). The
rules are those tagged ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa`` and ``best-practice``,
axe's ``experimental`` rules included (``label-content-name-mismatch`` is one). furo's theme is
chosen the way a reader's choice is stored: ``localStorage.theme`` = ``"light"`` / ``"dark"``,
which furo copies to ``body[data-theme]`` (checked). Both themes on a desktop screen, and the
light one on a phone, where code, tables and formulas scroll sideways (and must be reachable by
keyboard). Every collapsed block (hidden code, solutions) is opened first, so its content is
checked too; the toggles are checked either way. The search page is checked with the results of
a search shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from site_contract import PAGES

pytestmark = pytest.mark.browser

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
RUN_ONLY = {"type": "tag", "values": [*WCAG_TAGS, "best-practice", "experimental"]}
BLOCKING_BEST_PRACTICE = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: variant -> (stored theme, viewport)
VARIANTS = {"light": ("light", DESKTOP), "dark": ("dark", DESKTOP), "phone": ("light", PHONE)}
SEARCH_QUERY = "梯度下降"


@pytest.fixture(scope="module")
def axe() -> Any:
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python"
    )
    return axe_module.Axe()


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations this site allows none of: every WCAG 2.1 A/AA rule, and best-practice rules
    of serious or critical impact."""
    found = []
    for v in violations:
        wcag = any(tag in WCAG_TAGS for tag in v["tags"])
        if wcag or v.get("impact") in BLOCKING_BEST_PRACTICE:
            found.append(v)
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
    return "\n".join(lines)


def test_blocking_keeps_wcag_and_serious_best_practice() -> None:
    """The filter itself, on synthetic axe results."""
    found = blocking(
        [
            {"id": "a", "tags": ["wcag2a", "wcag412"], "impact": "minor"},
            {"id": "b", "tags": ["best-practice"], "impact": "serious"},
            {"id": "c", "tags": ["best-practice"], "impact": "moderate"},
            {"id": "d", "tags": ["cat.semantics", "experimental", "wcag21aa"], "impact": None},
            {"id": "e", "tags": ["best-practice", "experimental"], "impact": "critical"},
        ]
    )
    assert [v["id"] for v in found] == ["a", "b", "d", "e"]


@pytest.fixture
def themed_page(browser: Any, server: str) -> Iterator[Any]:
    """Factory ``(theme, viewport) -> page`` with furo's stored theme set before any script runs."""
    contexts: list[Any] = []

    def make(theme: str, viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(20_000)
        context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith((server, "data:", "blob:", "about:"))
                else route.abort("internetdisconnected")
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _open(page: Any, server: str, path: str) -> None:
    url = f"{server}/{path}"
    if path == "search.html":
        url += f"?q={quote(SEARCH_QUERY)}"
    response = page.goto(url, wait_until="load")
    assert response is not None, url
    assert response.ok, f"{url}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    if path == "search.html":
        page.wait_for_selector("#search-results li.pagefind-ui__result a")
    # formulas are HTML written at build time: their fonts are the last thing that changes a page
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    # opened blocks fade in (myst-nb 0.3 s, sphinx-design 0.5 s): measure colours once they are in
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished)).then(() => 1)")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation(
    themed_page: Any, server: str, axe: Any, path: str, variant: str
) -> None:
    theme, viewport = VARIANTS[variant]
    page = themed_page(theme, viewport)
    _open(page, server, path)
    assert page.evaluate("() => document.body.dataset.theme") == theme, "furo ignored the theme"
    results = axe.run(page, options={"runOnly": RUN_ONLY, "resultTypes": ["violations"]})
    found = blocking(results.response["violations"])
    version = results.response.get("testEngine", {}).get("version", "?")
    assert not found, f"axe-core {version} on {path} ({variant}):\n{describe(found)}"
