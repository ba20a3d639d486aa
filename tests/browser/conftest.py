"""Fixtures of the browser tests: the built site served on 127.0.0.1 and headless Chromium.

The browser is chosen by ``tests/chromium.py`` (``LECTURELIB_CHROMIUM``, else Playwright's own
Chromium, else Debian's ``/usr/bin/chromium``) and driven by Playwright's sync API. Without
Playwright, a Chromium or a built site the tests are skipped with the reason.
Chinese glyphs in screenshots come from the Noto Sans CJK font of the ``noto-cjk-sans-otc``
package, made visible to Chromium through a ``fonts.conf`` written into a temporary folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from chromium import ChromiumNotFound, launch


@pytest.fixture(scope="session")
def screenshots(site: Path) -> Path:
    """``docs/_build/screenshots`` (next to the ``html`` folder of the site under test)."""
    folder = site.parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<free port>``) of a static server of the built site."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def fonts_conf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fontconfig file: the system configuration plus the Noto Sans CJK folder."""
    folder = tmp_path_factory.mktemp("fontconfig")
    dirs = ""
    try:
        import noto_cjk_sans_otc

        dirs = f"  <dir>{Path(str(noto_cjk_sans_otc.FONT_PATH)).parent}</dir>\n"
    except ImportError:  # pragma: no cover - lecturelib depends on it
        pass
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{dirs}"
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="session")
def browser(fonts_conf: Path) -> Iterator[Any]:
    """Headless Chromium (see ``tests/chromium.py``), launched once for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the python package playwright (pyproject test group)")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf)}
    with sync_playwright() as pw:
        try:
            chromium = launch(pw, env=env)
        except ChromiumNotFound as exc:
            pytest.skip(str(exc))
        try:
            yield chromium
        finally:
            chromium.close()
