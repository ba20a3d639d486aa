"""Watching a page in the browser tests: requests to other hosts and errors of any kind.

Every request that does not go to the local server (or a ``data:``/``blob:``/``about:`` URL) is
recorded *and* aborted, so a page that needs the network fails instead of silently fetching a
CDN. Errors are page errors (uncaught exceptions), console errors and HTTP responses ≥ 400;
Chromium's own request for ``/favicon.ico`` (the site has none) is not the page's and is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def is_local(url: str, base: str) -> bool:
    return url == base or url.startswith((base + "/", "data:", "blob:", "about:"))


def _favicon(url: str) -> bool:
    return url.split("?", 1)[0].endswith("/favicon.ico")


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
        if message.type == "error" and not _favicon(message.location.get("url", "")):
            self.errors.append(f"console error: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not _favicon(response.url):
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _route(self, route: Any) -> None:
        if is_local(route.request.url, self.base):
            route.continue_()
        else:
            route.abort("internetdisconnected")  # the network is cut off
