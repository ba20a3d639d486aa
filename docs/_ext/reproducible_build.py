"""An incremental build writes the same site as a clean build (``tests/site/test_reproducible.py``).

Four things made them differ:

* **Asset checksums.** Sphinx links a stylesheet or script as ``…/x.css?v=<crc32 of the file>``
  when the file is already in the output folder as the page is written, else without ``?v=``.
  Sphinx copies its own static files before writing pages, but myst-nb copies its stylesheet
  only when the build has finished: a clean build linked it without a checksum, every later
  build with one. Here it is written as soon as the documents are read (``env-updated``), before
  any page.
* **Checksums of edited static files.** Editing ``_static/course.css`` changes its ``?v=``, but
  Sphinx rewrites only the pages whose sources changed: the others kept the old checksum. The
  digest of the ``html_static_path`` files is a configuration value that invalidates every page
  (``static_files_digest``, rebuild ``"html"``), so every page is written again with the new one.
  viewcode's pages (``_modules/``) are rewritten only when their module changed, whatever else
  did: when Sphinx rewrites every page (configuration, template or static files changed, or the
  sidebar did: a page added, removed or retitled), they are deleted first, so viewcode writes them
  again too.
* **Stale files.** Sphinx only adds to the output folder. When a figure changes, its new PNG
  (named by a hash of its content) joins the old one in ``_images/``; when a module of lecturelib
  is renamed or removed, its highlighted source stays in ``_modules/``. When an HTML build has
  finished (before the search index is written) this extension removes from ``_images/`` every
  file no document uses, and from ``_modules/`` every page of a module viewcode no longer
  documents.
* **Printed text cut by timing.** The kernel sends what a cell prints in chunks cut by time (a
  ``print`` may arrive as ``"…到达"`` then ``"\n起点…"``). myst-nb's ``nb_merge_streams`` joins
  the chunks after stripping each one's trailing whitespace, so the same output rendered with or
  without a blank line depending on the machine's load. :func:`merge_streams` joins them exactly
  (as nbclient's own ``coalesce_streams`` does) and replaces myst-nb's function.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

_CARRIAGE_RETURN = re.compile(r".*\r(?=[^\n])")
_BACKSPACE = re.compile("[^\n]\x08")  # a character and the backspace that erases it


def merge_streams(outputs: list[Any]) -> list[Any]:
    """One output per stream (stdout, stderr) at the place of its first chunk, its text the exact
    concatenation of the chunks (``\r`` and ``\b`` applied, trailing whitespace cut to one
    newline), stdout before an adjacent stderr: myst-nb's ``coalesce_streams`` made independent
    of where the chunks were cut."""
    merged: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
        elif output["name"] in streams:
            streams[output["name"]]["text"] += output["text"]
        else:
            streams[output["name"]] = output
            merged.append(output)
    for output in streams.values():
        text = output["text"]
        while True:
            shorter = _BACKSPACE.sub("", text)
            if len(shorter) == len(text):
                break
            text = shorter
        output["text"] = _CARRIAGE_RETURN.sub("", text).rstrip() + "\n"
    for i, output in enumerate(merged[:-1]):
        after = merged[i + 1]
        if output.get("name") == "stderr" and after.get("name") == "stdout":
            merged[i], merged[i + 1] = after, output
    return merged


def stale_files(outdir: Path, images: set[str], modules: set[str]) -> list[Path]:
    """Files of ``_images`` not named in ``images`` and pages of ``_modules`` (paths relative to
    it, e.g. ``lecturelib/model.html``) not in ``modules``."""
    found = []
    image_dir = outdir / "_images"
    if image_dir.is_dir():
        found += [p for p in sorted(image_dir.iterdir()) if p.is_file() and p.name not in images]
    module_dir = outdir / "_modules"
    if module_dir.is_dir():
        for page in sorted(module_dir.rglob("*.html")):
            if page.relative_to(module_dir).as_posix() not in modules:
                found.append(page)
    return found


def _prune(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    env = app.env
    images = {unique for _, unique in env.images.values()}
    viewcode = getattr(env, "_viewcode_modules", {})
    modules = {"index.html"} | {
        f"{name.replace('.', '/')}.html" for name, entry in viewcode.items() if entry
    }
    outdir = Path(app.outdir)
    for path in stale_files(outdir, images, modules):
        logger.info("removing %s (no longer part of the site)", path.relative_to(outdir))
        path.unlink()


def _assets_first(app: Sphinx, env: Any) -> list[str]:
    """Write the static files that other extensions write only at the end, before any page."""
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return []
    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    if "myst_nb" in app.extensions:
        from myst_nb.sphinx_ext import add_global_html_resources

        add_global_html_resources(app, None)
    return []


def static_digest(confdir: Path, static_paths: list[str]) -> str:
    """SHA-256 over the relative paths and bytes of every file of ``html_static_path``."""
    digest = hashlib.sha256()
    for entry in static_paths:
        root = confdir / entry
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(confdir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _digest_static(app: Sphinx, config: Config) -> None:
    config.static_files_digest = static_digest(Path(app.confdir), list(config.html_static_path))


def _module_pages_follow_the_pages(app: Sphinx) -> None:
    """Delete ``_modules/`` when every page will be written again (viewcode would not)."""
    builder = app.builder
    modules = Path(app.outdir) / "_modules"
    if not isinstance(builder, StandaloneHTMLBuilder) or not modules.is_dir():
        return
    info = Path(app.outdir) / ".buildinfo"
    try:
        from sphinx.builders.html._build_info import BuildInfo

        changed = BuildInfo.load(info) != builder.build_info
        changed |= builder.templates.newest_template_mtime() > info.stat().st_mtime
    except (ImportError, OSError, ValueError):  # no or unreadable build info: history unknown
        changed = True
    if changed:
        shutil.rmtree(modules)


def navigation_digest(env: Any) -> str:
    """SHA-256 of what every page's sidebar shows: the documents, their titles, the toctrees and
    the lecture numbers."""
    digest = hashlib.sha256()
    for doc in sorted(env.found_docs):
        title = env.titles[doc].astext() if doc in env.titles else ""
        numbers = sorted(env.toc_secnumbers.get(doc, {}).items())
        digest.update(repr((doc, title, env.toctree_includes.get(doc, []), numbers)).encode())
    return digest.hexdigest()


def _pages_follow_the_navigation(app: Sphinx, env: Any) -> list[str]:
    """Every page again when the sidebar changed (a page added, removed or retitled).

    Sphinx writes the pages whose sources changed; the others keep the old sidebar (furo shows
    the whole table of contents on every page), and viewcode's pages too. The first build of a
    folder has no digest: it writes every page anyway.
    """
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return []
    stamp = Path(app.doctreedir) / "navigation.sha256"
    now = navigation_digest(env)
    before = stamp.read_text("utf-8") if stamp.is_file() else None
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now, "utf-8")
    if before == now:
        return []
    modules = Path(app.outdir) / "_modules"
    if modules.is_dir():
        shutil.rmtree(modules)
    return sorted(env.found_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("static_files_digest", "", "html", types=[str])
    app.connect("config-inited", _digest_static)
    app.connect("builder-inited", _module_pages_follow_the_pages)
    import myst_nb.core.render

    myst_nb.core.render.coalesce_streams = merge_streams  # type: ignore[assignment]
    app.connect("env-updated", _assets_first)
    # after the toctree collector has numbered the lectures (env-get-updated, priority 500)
    app.connect("env-get-updated", _pages_follow_the_navigation, priority=900)
    app.connect("build-finished", _prune, priority=400)  # before pagefind_search indexes
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
