"""Which Chromium the browser tests and the benchmarks drive: one choice, made here.

In order:

1. the file named by the environment variable ``LECTURELIB_CHROMIUM`` (an explicit choice; a
   path that is not a file is an error, never silently replaced by another browser);
2. Playwright's own Chromium, when ``playwright install chromium`` has downloaded it;
3. Debian's ``/usr/bin/chromium`` (``apt-get install chromium``).

Without any of them the callers skip with :data:`MISSING`, which names all three.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ENV = "LECTURELIB_CHROMIUM"
SYSTEM = Path("/usr/bin/chromium")
#: Flags for a headless, quiet Chromium that never phones home.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MISSING = (
    "no Chromium for the browser tests: run `playwright install chromium`, or "
    f"`apt-get install chromium` (for {SYSTEM}), or set {ENV} to a Chromium executable"
)


class ChromiumNotFound(RuntimeError):
    """No browser to drive (the message is :data:`MISSING`)."""


def chromium_path(playwright: Any) -> Path:
    """The Chromium executable to launch with ``playwright`` (a started Playwright instance).

    Raises :class:`ChromiumNotFound` when there is none, and :class:`FileNotFoundError` when
    ``LECTURELIB_CHROMIUM`` names a file that does not exist.
    """
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{ENV}={chosen!r} is not a file")
        return path
    try:
        own = Path(playwright.chromium.executable_path)
    except Exception:  # an unknown platform: Playwright has no build for it
        own = None
    if own is not None and own.is_file():
        return own
    if SYSTEM.is_file():
        return SYSTEM
    raise ChromiumNotFound(MISSING)


def launch(playwright: Any, **options: Any) -> Any:
    """Launch the chosen Chromium headless with :data:`ARGS` (``options`` go to ``launch``)."""
    args = [*ARGS, *options.pop("args", [])]
    return playwright.chromium.launch(
        executable_path=str(chromium_path(playwright)), args=args, headless=True, **options
    )
