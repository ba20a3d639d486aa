"""Put a wheel of lecturelib, built from the same sources as the pages, on the site.

When the configuration is read, the wheel is built with hatchling (the project's build backend)
into ``_build/wheel/``, unless a wheel of exactly these sources is there already (a hash of
``pyproject.toml``, ``README.md`` and ``src/lecturelib``). hatchling writes reproducible wheels:
every file carries the time ``SOURCE_DATE_EPOCH`` (its own fixed default when unset) and a
normalised mode, so two builds of the same sources give the same bytes. When the HTML build has
finished, the wheel is copied to ``_wheels/<name>.whl`` in the site.

Pages and templates use it through:

* the config value ``lecturelib_wheel`` (the file name, e.g. ``lecturelib-0.1.0-py3-none-any.whl``;
  the version comes from the package metadata of the built wheel, never typed);
* the role ``{wheel}`file``` (a link to the wheel, its file name as text) and ``{wheel}`pip```
  (the one-line install command, as code);
* the template variables ``lecturelib_wheel_url`` (relative to the page) and
  ``lecturelib_wheel_install`` (the install command), e.g. in ``components/view-this-page.html``;
* :func:`install_line`, e.g. for the first cell of every downloadable notebook.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
#: What hatchling reads to build the wheel (see ``[tool.hatch.build.targets.wheel]``).
SOURCES = ("pyproject.toml", "README.md", "src/lecturelib")
#: Folder of the wheel in the site.
FOLDER = "_wheels"
_STAMP = "sources.sha256"

_BUILD = "import sys\nfrom hatchling.build import build_wheel\nprint(build_wheel(sys.argv[1]))\n"


def install_line(name: str) -> str:
    """The one-line install command for the wheel file ``name``."""
    return f"pip install {name}"


def sources_digest(root: Path = ROOT) -> str:
    """SHA-256 over the paths and bytes of every file the wheel is built from."""
    digest = hashlib.sha256()
    for entry in SOURCES:
        path = root / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file() or "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def build_wheel(root: Path, folder: Path) -> Path:
    """Build the wheel of the project at ``root`` into ``folder`` (emptied first); its path."""
    digest = sources_digest(root)
    stamp = folder / _STAMP
    wheels = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if len(wheels) == 1 and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return wheels[0]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        proc = subprocess.run(
            [sys.executable, "-c", _BUILD, tmp],
            cwd=root,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        built = Path(tmp) / proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else None
        if proc.returncode != 0 or built is None or not built.is_file():
            raise ExtensionError(
                f"building the lecturelib wheel with hatchling (docs dependency group) failed "
                f"({proc.returncode}):\n{proc.stdout}{proc.stderr}"
            )
        wheel = folder / built.name
        shutil.move(built, wheel)
    stamp.write_text(digest, encoding="utf-8")
    logger.info("lecturelib wheel built: %s", wheel.name)
    return wheel


def _wheel_folder(app: Sphinx) -> Path:
    return Path(app.outdir).parent / "wheel"


def _build(app: Sphinx, config: Config) -> None:
    config.lecturelib_wheel = build_wheel(ROOT, _wheel_folder(app)).name


def _url(app: Sphinx, docname: str) -> str:
    return "../" * docname.count("/") + f"{FOLDER}/{app.config.lecturelib_wheel}"


class WheelRole(SphinxRole):
    """``{wheel}`file```: a link to the wheel; ``{wheel}`pip```: the install command."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.config.lecturelib_wheel
        if self.text == "file":
            uri = _url(self.env.app, self.env.docname)
            ref = nodes.reference(name, name, refuri=uri, internal=False)
            ref["classes"].append("lecturelib-wheel")
            return [ref], []
        if self.text == "pip":
            line = install_line(name)
            return [nodes.literal(line, line)], []
        msg = self.inliner.reporter.error(
            f"{{wheel}} takes `file` or `pip`, not {self.text!r}", line=self.lineno
        )
        return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["lecturelib_wheel_url"] = _url(app, pagename)
    context["lecturelib_wheel_install"] = install_line(app.config.lecturelib_wheel)


def _copy(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    wheel = _wheel_folder(app) / app.config.lecturelib_wheel
    dst = Path(app.outdir) / FOLDER
    if dst.is_dir():
        for old in dst.iterdir():  # a wheel of an older version does not stay on the site
            if old.name != wheel.name:
                old.unlink()
    dst.mkdir(parents=True, exist_ok=True)
    if not (dst / wheel.name).is_file() or (dst / wheel.name).read_bytes() != wheel.read_bytes():
        shutil.copyfile(wheel, dst / wheel.name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("lecturelib_wheel", "", "env", types=[str])
    app.connect("config-inited", _build, priority=200)
    app.add_role("wheel", WheelRole())
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
