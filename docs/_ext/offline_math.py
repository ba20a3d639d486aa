"""Serve MathJax from this site: no formula depends on a CDN.

The MathJax 3 files come from the ``sphinx-mathjax-offline`` package (a docs dependency). Only
what the pages use is copied into ``_static/mathjax``: the TeX-input/CommonHTML-output component
and its web fonts.
"""

from __future__ import annotations

import shutil
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

COMPONENT = "tex-chtml.js"
FONTS = Path("output") / "chtml" / "fonts" / "woff-v2"


def mathjax_dir() -> Path:
    """The folder of MathJax files shipped by the ``sphinx-mathjax-offline`` distribution."""
    dist = distribution("sphinx-mathjax-offline")
    path = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    if not (path / COMPONENT).is_file():
        raise FileNotFoundError(f"MathJax component {COMPONENT} not found under {path}")
    return path


def _configure(app: Sphinx, config: Config) -> None:
    config.mathjax_path = f"mathjax/{COMPONENT}"
    # \( \) and \[ \] only: dollar signs in prose or code are never taken for math
    config.mathjax3_config = {
        "tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
        "options": {"enableMenu": False},
    }


def _copy(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _copy_mathjax(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src = mathjax_dir()
    dst = Path(app.outdir) / "_static" / "mathjax"
    _copy(src / COMPONENT, dst / COMPONENT)
    for font in sorted((src / FONTS).glob("*.woff")):
        _copy(font, dst / FONTS / font.name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
