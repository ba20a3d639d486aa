"""Serve MathJax from this site: no formula depends on a CDN, and only what the pages use loads.

The MathJax 3 files come from the ``sphinx-mathjax-offline`` package (a docs dependency). Instead
of its 1.2 MB ``tex-chtml.js`` (which bundles the accessibility menu and TeX packages the course
never uses), the build writes one file, ``_static/mathjax/course-tex-chtml.js``, that concatenates
the components the pages need, in the order MathJax's own combined bundles use:

``startup`` (loader + startup), ``core``, ``input/tex-base`` with the ``ams`` package,
``output/chtml`` and its TeX font data, then a ``preLoad`` of those names so the loader never
fetches them again. The CommonHTML web fonts (``woff``) are copied beside it.
"""

from __future__ import annotations

import shutil
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

BUNDLE = "course-tex-chtml.js"
#: (component name for the loader, file) in load order
COMPONENTS = (
    ("startup", "startup.js"),
    ("core", "core.js"),
    ("input/tex-base", "input/tex-base.js"),
    ("[tex]/ams", "input/tex/extensions/ams.js"),
    ("output/chtml", "output/chtml.js"),
    ("output/chtml/fonts/tex", "output/chtml/fonts/tex.js"),
)
FONTS = Path("output") / "chtml" / "fonts" / "woff-v2"


def mathjax_dir() -> Path:
    """The folder of MathJax files shipped by the ``sphinx-mathjax-offline`` distribution."""
    dist = distribution("sphinx-mathjax-offline")
    path = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    missing = [f for _, f in COMPONENTS if not (path / f).is_file()]
    if missing:
        raise FileNotFoundError(f"MathJax components {missing} not found under {path}")
    return path


def bundle(src: Path) -> str:
    """The concatenated MathJax components, ending with the ``preLoad`` that marks them loaded."""
    parts = [
        f"/* {name}: {file} (MathJax 3, Apache-2.0) */\n" + (src / file).read_text("utf-8")
        for name, file in COMPONENTS
    ]
    names = ", ".join(f'"{name}"' for name, _ in COMPONENTS)
    parts.append(f"MathJax.loader.preLoad({names});\n")
    return "\n;\n".join(parts)


def _configure(app: Sphinx, config: Config) -> None:
    config.mathjax_path = f"mathjax/{BUNDLE}"
    # \( \) and \[ \] only: dollar signs in prose or code are never taken for math
    config.mathjax3_config = {
        "tex": {
            "packages": ["base", "ams"],
            "inlineMath": [["\\(", "\\)"]],
            "displayMath": [["\\[", "\\]"]],
        },
    }


def _write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy_mathjax(app: Sphinx, exc: BaseException | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src = mathjax_dir()
    dst = Path(app.outdir) / "_static" / "mathjax"
    _write(dst / BUNDLE, bundle(src).encode("utf-8"))
    for font in sorted((src / FONTS).glob("*.woff")):
        target = dst / FONTS / font.name
        if not (target.is_file() and target.stat().st_size == font.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(font, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
