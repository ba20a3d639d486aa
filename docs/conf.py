"""Sphinx configuration: the only one of the site.

Pages are MyST Markdown notebooks executed by myst-nb at build time; every number and figure comes
from :mod:`lecturelib`. The build is strict (``-nW --keep-going`` from ``noxfile.py``): a warning,
a cell error or anything a cell writes to stderr fails it.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

from tool_dirs import keep_state_in

# Kernels started by myst-nb inherit this: lecturelib's live plots draw once, statically.
os.environ["LECTURELIB_LIVE_PLOTS"] = "0"

# A build writes nothing outside the repository's ignored folders: matplotlib, IPython, Jupyter
# and the kernels' temporary files keep their state in .cache/ unless the caller chose otherwise.
keep_state_in(ROOT, os.environ)

# -- Project ------------------------------------------------------------------------------------
project = "PyTorch 深度学习实践 · 课程笔记"
author = "lecturelib 贡献者"
copyright = "2026, lecturelib 贡献者 · 课程内容来自刘二大人《PyTorch 深度学习实践》"
release = _version("lecturelib")
version = ".".join(release.split(".")[:2])
language = "zh_CN"

# -- Extensions ---------------------------------------------------------------------------------
extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "sphinx_design",
    # local extensions, in docs/_ext
    "execution_cache",  # re-execute pages whenever lecturelib's sources change
    "offline_math",  # MathJax served from this site, never from a CDN
    "pagefind_search",  # Pagefind (Chinese segmented) instead of Sphinx's search
    "lecturelib_wheel",  # a wheel of lecturelib, built from these sources, on the site
    "notebook_download",  # every page as a runnable .ipynb
    "lean_assets",  # no script a page does not use
    "reproducible_build",  # an incremental build writes what a clean build writes
    "lecture_numbers",  # {doc} links to a lecture carry its number, as the sidebar does
    "accessible_html",  # theme markup fixed for axe (WCAG 2.1 AA) and in Chinese, at build time
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
locale_dirs = ["locales"]
gettext_compact = False
nitpicky = True
numfig = True
numfig_secnum_depth = 1  # per lecture: 图 N.k on page N (the lectures' toctree is :numbered: 1)
numfig_format = {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s", "section": "%s 节"}
nitpick_ignore_regex = [
    # the site links to no other documentation (no intersphinx: nothing is fetched at build time)
    (r"py:.*", r"(numpy|np|matplotlib|mpl_toolkits|logging|json|pathlib|os|visdom)\b.*"),
    (r"py:.*", r"(typing|collections)\b.*"),
    (r"py:.*", r"(NDArray|ArrayLike|Axes|Axes3D|Figure|SubFigure|Path|PathLike|Generator)\b.*"),
    (r"py:.*", r"(FloatArray|IntArray|Seed|Callable|Iterable|Sequence|Mapping|Any)\b.*"),
]

# -- MyST and myst-nb ---------------------------------------------------------------------------
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "substitution"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_timeout = 120
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_output_stderr = "severe"
nb_merge_streams = True
nb_code_prompt_show = "显示{type}"  # accessible_html: {type} -> 代码 / 输出 / 代码和输出
nb_code_prompt_hide = "隐藏{type}"
nb_execution_excludepatterns: list[str] = []
nb_render_markdown_format = "myst"  # Markdown outputs (computed tables) may use MyST syntax
nb_ipywidgets_js: dict[str, dict[str, str]] = {}  # never load widget JS from a CDN
# nb_execution_cache_path is set by the execution_cache extension (keyed on lecturelib's sources).

# -- Autodoc ------------------------------------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

# -- HTML ---------------------------------------------------------------------------------------
html_theme = "furo"
html_title = "PyTorch 深度学习实践 · 课程笔记"
html_short_title = "PyTorch 深度学习实践"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "top_of_page_buttons": ["view"],  # our view-this-page.html: download the page as .ipynb
    "navigation_with_keys": True,
}
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"
