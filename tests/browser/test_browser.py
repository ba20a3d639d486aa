"""The built site in headless Chromium: offline, searchable in Chinese, formulas typeset,
readable on a phone and in dark mode, notebooks downloadable.

Every page is loaded from a local static server; requests to any other host are recorded *and*
aborted, so a page that needs the network fails instead of silently fetching a CDN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from site_contract import LECTURES, PAGES

pytestmark = pytest.mark.browser


#: Query -> the lecture that must be among its search results.
SEARCHES: dict[str, str] = {
    "梯度下降": "03-gradient-descent",
    "随机梯度下降": "04-sgd",
    "均方误差": "02-linear-model",
    "鞍点": "03-gradient-descent",
    "学习率": "03-gradient-descent",
    "小批量": "04-sgd",
    "维度诅咒": "01-overview",
    "反向传播": "01-overview",
    "穷举": "02-linear-model",
    "线性模型": "02-linear-model",
    "指数加权": "03-gradient-descent",
    "断点": "02-linear-model",
    "表示学习": "01-overview",
    "链式法则": "01-overview",
    "SGD": "04-sgd",
    "MSE": "02-linear-model",
}

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VARIANTS: dict[str, dict[str, Any]] = {
    "light": {"viewport": DESKTOP, "color_scheme": "light"},
    "dark": {"viewport": DESKTOP, "color_scheme": "dark"},
    "phone": {"viewport": PHONE, "color_scheme": "light"},
}
TIMEOUT_MS = 20_000


# -- Watching a page: requests to other hosts and errors ----------------------------------------


def is_local(url: str, base: str) -> bool:
    return url == base or url.startswith((base + "/", "data:", "blob:", "about:"))


@dataclass
class Watch:
    """What a page did: requests to other hosts (aborted) and errors of any kind."""

    base: str
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Watch:
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("response", self._response)
        page.route("**/*", self._route)
        return self

    def _request(self, request: Any) -> None:
        if not is_local(request.url, self.base):
            self.external.append(request.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _route(self, route: Any) -> None:
        if is_local(route.request.url, self.base):
            route.continue_()
        else:
            route.abort("internetdisconnected")  # the network is cut off


@pytest.fixture
def new_page(browser: Any, server: str) -> Iterator[Any]:
    """Factory: ``new_page(**context_options) -> (page, watch)``; contexts closed at the end."""
    contexts: list[Any] = []

    def make(**options: Any) -> tuple[Any, Watch]:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        return page, Watch(server).attach(page)

    yield make
    for context in contexts:
        context.close()


def open_page(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None, url
    assert response.ok, f"{url}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    wait_for_math(page)


def wait_for_math(page: Any) -> None:
    """Wait until MathJax has typeset the page (pages without math have no MathJax)."""
    if page.locator(".math").count() == 0:
        return
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise.then(() => true)")


def test_watch_catches_external_script(new_page: Any, server: str) -> None:
    """The detector itself: a synthetic page with a CDN script, image and a console error."""
    page, watch = new_page()
    html = (
        "<!doctype html><html><head>"
        '<script src="https://cdn.example.com/lib.js"></script></head>'
        '<body><img src="//images.example.org/a.png"><script>console.error("boom")</script>'
        "</body></html>"
    )
    page.route(
        f"{server}/__synthetic__.html", lambda r: r.fulfill(body=html, content_type="text/html")
    )
    page.goto(f"{server}/__synthetic__.html", wait_until="load")
    page.wait_for_timeout(200)
    assert any("cdn.example.com/lib.js" in u for u in watch.external), watch.external
    assert any("images.example.org/a.png" in u for u in watch.external), watch.external
    assert any("boom" in e for e in watch.errors), watch.errors


# -- (a) offline and error-free -----------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_page_is_offline_and_error_free(new_page: Any, server: str, path: str) -> None:
    page, watch = new_page()
    open_page(page, f"{server}/{path}")
    # open every collapsed block (solutions, hidden code): nothing inside may need the network
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_load_state("networkidle")
    assert not watch.external, f"{path} requests other hosts: {watch.external}"
    assert not watch.errors, f"{path}: " + "\n".join(watch.errors)


# -- (b) search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_finds_lecture(new_page: Any, server: str, query: str) -> None:
    page, watch = new_page()
    page.goto(f"{server}/search.html?q={quote(query)}", wait_until="load")
    # Sphinx fills p.search-summary only when the search has finished
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s !== null && s.textContent.trim().length > 0; }"
    )
    hrefs: list[str] = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    pages = [urlsplit(h).path for h in hrefs]
    expected = f"lectures/{SEARCHES[query]}.html"
    assert expected in pages, f"search {query!r}: {expected} not among {pages}"
    assert not watch.errors, watch.errors
    assert not watch.external, watch.external


# -- (c) formulas -------------------------------------------------------------------------------

_MATH_STATE = r"""() => {
  const maths = [...document.querySelectorAll('.math')];
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, mjx-container, textarea')) continue;
    const m = n.textContent.match(/\\\(|\\\)|\\\[|\\\]|\$\$/);
    if (m) raw.push(n.textContent.trim().slice(0, 80));
  }
  return {
    maths: maths.length,
    rendered: maths.filter(e => e.querySelector('mjx-container')).length,
    containers: document.querySelectorAll('mjx-container').length,
    errors: [...document.querySelectorAll('mjx-merror')]
      .map(e => e.getAttribute('data-mjx-error') || e.textContent),
    raw: raw,
  };
}"""


@pytest.mark.parametrize("path", PAGES)
def test_math_typeset_offline(new_page: Any, server: str, path: str) -> None:
    page, watch = new_page()
    open_page(page, f"{server}/{path}")
    state = page.evaluate(_MATH_STATE)
    if path.startswith("lectures/"):
        assert state["maths"] > 0, f"{path} has no formula"
    assert state["rendered"] == state["maths"], f"{path}: {state}"
    assert state["containers"] == state["maths"], f"{path}: {state}"
    assert not state["errors"], f"{path}: TeX errors {state['errors']}"
    assert not state["raw"], f"{path}: raw TeX in text {state['raw']}"
    assert not watch.external, watch.external
    assert not watch.errors, watch.errors


# -- (d) dark mode, phone width, screenshots ----------------------------------------------------

# Furo clips its columns, so content wider than the phone is cut off rather than making the body
# scroll: besides the body's scrollWidth, list visible elements of the article that reach past
# the viewport without a horizontally scrolling ancestor that itself fits.
_WIDTHS = """() => {
  const vw = window.innerWidth;
  const clipped = [];
  const seen = new Set();
  for (const e of document.querySelectorAll('article *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
    if (e.closest('mjx-assistive-mml, .visually-hidden')) continue;  // screen-reader copies
    seen.add(e);
    if (seen.has(e.parentElement)) continue;  // report the outermost element only
    let scrolls = false;
    for (let a = e.parentElement; a && a.tagName !== 'ARTICLE'; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && a.getBoundingClientRect().right <= vw + 1) {
        scrolls = true;
        break;
      }
    }
    if (!scrolls) {
      const name = e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
      clipped.push(`${name} (right=${Math.round(r.right)}): ${e.textContent.trim().slice(0, 60)}`);
    }
  }
  return {
    scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    inner: vw,
    clipped: clipped.slice(0, 8),
  };
}"""

_BACKGROUND = """() => {
  const c = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
}"""


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("path", PAGES)
def test_layout_and_screenshot(
    new_page: Any, server: str, screenshots: Path, path: str, variant: str
) -> None:
    page, watch = new_page(**VARIANTS[variant])
    open_page(page, f"{server}/{path}")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    shot = screenshots / f"{Path(path).stem}-{variant}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000

    luminance = page.evaluate(_BACKGROUND)
    if variant == "dark":
        assert luminance < 0.3, (
            f"{path}: dark mode not applied (background luminance {luminance:.2f})"
        )
    else:
        assert luminance > 0.7, f"{path}: light background expected (luminance {luminance:.2f})"

    widths = page.evaluate(_WIDTHS)
    assert widths["inner"] == VARIANTS[variant]["viewport"]["width"]
    assert widths["scroll"] <= widths["inner"], f"{path} ({variant}) scrolls sideways: {widths}"
    assert not widths["clipped"], f"{path} ({variant}) content cut off: {widths['clipped']}"
    # opened solutions and hidden code must fit too
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    wait_for_math(page)
    widths = page.evaluate(_WIDTHS)
    assert widths["scroll"] <= widths["inner"], f"{path} ({variant}, details open): {widths}"
    assert not widths["clipped"], f"{path} ({variant}, details open) cut off: {widths['clipped']}"
    assert not watch.external, watch.external
    assert not watch.errors, watch.errors


# -- (e) notebook download ----------------------------------------------------------------------


@pytest.mark.parametrize("name", LECTURES)
def test_notebook_download_link(new_page: Any, server: str, name: str) -> None:
    page, _ = new_page()
    open_page(page, f"{server}/lectures/{name}.html")
    link = page.locator("a[download][href$='.ipynb']")
    assert link.count() >= 1, f"{name}.html has no notebook download link"
    assert link.first.is_visible(), f"{name}.html: the download link is hidden on a desktop"
    url = urljoin(page.url, link.first.get_attribute("href") or "")
    assert urlsplit(url).path.endswith(f"/_notebooks/lectures/{name}.ipynb"), url
    response = page.context.request.get(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    nb = json.loads(response.text())
    assert nb["nbformat"] == 4
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert sources, f"{name}.ipynb has no code cell"
    assert any(re.search(r"\bimport lecturelib\b", s) for s in sources), (
        "notebook does not use lecturelib"
    )


ENGLISH_UI = (
    "Skip to content",
    "Toggle Light / Dark / Auto color theme",
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle hidden content",
    "Back to top",
    "On this page",
    "Copyright",
    "Made with",
    "Next",
    "Previous",
    "Light mode",
    "Dark mode",
)


@pytest.mark.parametrize("name", LECTURES)
def test_theme_ui_is_in_chinese(new_page: Any, server: str, name: str) -> None:
    """furo's and myst-nb's English labels (visible text and aria-labels) are shown in Chinese."""
    page, _ = new_page()
    open_page(page, f"{server}/lectures/{name}.html")
    labels = page.evaluate(
        "() => Array.from(document.querySelectorAll('[aria-label]'))"
        ".map(e => e.getAttribute('aria-label'))"
    )
    chrome = page.evaluate(
        "() => ['.skip-to-content', '.back-to-top', '.toc-title', 'footer', 'svg title']"
        ".flatMap(s => Array.from(document.querySelectorAll(s))).map(e => e.textContent).join(' ')"
    )
    left = [s for s in ENGLISH_UI if s in labels or s in chrome]
    assert not left, f"English UI strings left on {name}: {left}"
    assert "跳到正文" in chrome
