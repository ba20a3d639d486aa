"""Key myst-nb's execution cache on lecturelib's sources, so a stale cache never publishes.

myst-nb's cache notices a change of a page, not of the library the page imports. This extension
hashes every file of ``src/lecturelib`` and

* points ``nb_execution_cache_path`` at ``_build/.jupyter_cache/<hash>`` (deleting caches of
  other hashes), so a changed library finds an empty cache and re-executes every page;
* records the hash in the config value ``lecturelib_source_hash`` (rebuild ``"env"``), so Sphinx
  sees a changed configuration and re-reads every page instead of trusting its pickled doctrees.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

SOURCES = Path(__file__).resolve().parents[2] / "src" / "lecturelib"


def source_hash(package: Path = SOURCES) -> str:
    """SHA-256 over the relative paths and bytes of every file of the package (caches excluded)."""
    digest = hashlib.sha256()
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _key_cache(app: Sphinx, config: Config) -> None:
    key = source_hash()[:16]
    config.lecturelib_source_hash = key
    base = Path(app.outdir).parent / ".jupyter_cache"
    cache = base / key
    if base.is_dir():
        for old in base.iterdir():
            if old != cache:
                logger.info("lecturelib changed: dropping execution cache %s", old.name)
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    config.nb_execution_cache_path = str(cache)


def _prepare(app: Sphinx, config: Config) -> None:
    """Do once, in the main process, what parallel page executions would otherwise race for.

    * jupyter-cache creates its SQLite tables when the first notebook is cached; with ``-j auto``
      two workers can do it at once ("table nbproject already exists"). Create them now.
    * matplotlib builds its font list on first import in a fresh ``MPLCONFIGDIR``; when that takes
      more than a few seconds (many system fonts, a busy machine) it logs "Matplotlib is building
      the font cache" to the *kernel's* stderr, which fails the page. Build it here instead: the
      kernels inherit ``MPLCONFIGDIR`` and find the cache written.
    """
    cache = Path(config.nb_execution_cache_path)
    stamp = _prepared_stamp()
    marker = cache / ".prepared"
    if marker.is_file() and marker.read_text("utf-8") == stamp:
        return  # done by an earlier build (saves importing jupyter-cache and matplotlib: 0.4 s)
    from jupyter_cache import get_cache

    cache.mkdir(parents=True, exist_ok=True)
    _ = get_cache(str(cache)).db  # creates the tables if they are missing
    from matplotlib import font_manager

    _ = font_manager.fontManager  # loads (or builds and writes) the font list cache
    marker.write_text(_prepared_stamp(), "utf-8")


def _prepared_stamp() -> str:
    """What :func:`_prepare` did depends on: matplotlib's version and its font list file there."""
    from importlib.metadata import version

    folder = Path(os.environ.get("MPLCONFIGDIR", Path.home() / ".matplotlib"))
    fontlists = sorted(p.name for p in folder.glob("fontlist-*.json"))
    return f"matplotlib {version('matplotlib')} in {folder}: {fontlists}"


def spread(docnames: list[str], executed: set[str], nproc: int) -> list[str]:
    """``docnames`` reordered so that Sphinx's parallel read gives each worker its share of the
    pages that execute a notebook.

    Sphinx cuts the sorted list into contiguous chunks (``sphinx.util.parallel.make_chunks``), one
    worker each: with eight pages and two workers, the four lectures (``lectures/0*``) would all
    land in one chunk and run one after another. Here they are dealt out to the chunks in turn,
    the other pages fill the places left; the chunks keep Sphinx's sizes.
    """
    from sphinx.util.parallel import make_chunks

    sizes = [len(chunk) for chunk in make_chunks(docnames, nproc)]
    if len(sizes) < 2:
        return list(docnames)
    chunks: list[list[str]] = [[] for _ in sizes]
    heavy = [d for d in docnames if d in executed]
    light = [d for d in docnames if d not in executed]
    turn = 0
    for doc in heavy:
        while len(chunks[turn % len(sizes)]) >= sizes[turn % len(sizes)]:
            turn += 1
        chunks[turn % len(sizes)].append(doc)
        turn += 1
    for chunk, size in zip(chunks, sizes, strict=True):
        while len(chunk) < size:
            chunk.append(light.pop(0))
    return [doc for chunk in chunks for doc in chunk]


def _spread_executions(app: Sphinx, env: Any, docnames: list[str]) -> None:
    if app.parallel <= 1 or len(docnames) < 2:
        return
    executed = {d for d in docnames if "{code-cell}" in env.doc2path(d).read_text("utf-8")}
    docnames[:] = spread(docnames, executed, app.parallel)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("lecturelib_source_hash", "", "env", types=[str])
    app.connect("config-inited", _key_cache, priority=100)
    app.connect("config-inited", _prepare, priority=101)
    app.connect("env-before-read-docs", _spread_executions)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
