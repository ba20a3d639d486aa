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
# ... and every figure is also shown as a vector PDF, which the PDF edition prints (the pages keep
# their PNG; myst-nb picks application/pdf for LaTeX only).
os.environ["LECTURELIB_PDF_FIGURES"] = "1"

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
    "sphinx.ext.autosummary",  # the summary table that opens each group of docs/api.md
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "sphinx_design",
    # local extensions, in docs/_ext
    "execution_cache",  # re-execute pages whenever lecturelib's sources change
    "katex_math",  # formulas typeset at build time (KaTeX HTML + MathML), no maths script
    "pagefind_search",  # Pagefind (Chinese segmented) instead of Sphinx's search
    "lecturelib_wheel",  # a wheel of lecturelib, built from these sources, on the site
    "notebook_download",  # every page as a runnable .ipynb
    "lean_assets",  # no script a page does not use
    "explorers",  # lecturelib's interactive figures: HTML + script, PNG in <noscript>
    "reproducible_build",  # an incremental build writes what a clean build writes
    "lecture_numbers",  # {doc} links to a lecture carry its number, as the sidebar does
    "accessible_html",  # theme markup fixed for axe (WCAG 2.1 AA) and in Chinese, at build time
    "viewcode_paths",  # viewcode finds lecturelib's files by path (no import on every build)
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
locale_dirs = ["locales"]
gettext_compact = False
autosummary_generate = False  # tables only, no stub pages: no scan (and import) on every build
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
    # the explorers' mechanism is private (documented in its source and CONTRIBUTING.md)
    (r"py:.*", r"lecturelib\.figures\._explorer\b.*"),
]

# -- Maths ----------------------------------------------------------------------------------------
html_math_renderer = "katex_static"  # katex_math: finished markup in the page, fonts subset

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

# -- PDF edition (nox -s pdf: LaTeX builder, xelatex through latexmk) -----------------------------
# The book: cover, 目录, 前言 (index.md), 第 1–4 章 (the lectures), 附录 A/B (glossary, API).
# docs/_ext/pdf_edition.py shapes the book and compiles it; docs/_templates/latex/coursebook.sty
# sets fonts, chapter heads, contents and running heads. No index and no module index: the
# glossary (附录 A) is the book's index of terms, and a PDF reader searches the text.
from importlib.util import find_spec

import pdf_edition

extensions.append("pdf_edition")


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the PDF edition needs the Python package {name} (docs group)")
    return Path(next(iter(spec.submodule_search_locations)))


_book_title = "PyTorch 深度学习实践 · 课程笔记"
_cjk_dir = _package_dir("noto_cjk_sans_otc")  # Noto Sans CJK (OFL), the figures' font
_latin_dir = _package_dir("matplotlib") / "mpl-data" / "fonts" / "ttf"  # DejaVu, as in figures
_edition = pdf_edition.edition(ROOT, release)

latex_engine = "xelatex"
latex_documents = [("index", pdf_edition.TEX_NAME, _book_title, author, "manual", False)]
latex_toplevel_sectioning = "chapter"
pdf_appendices = ["glossary", "api", "api-figures"]  # after \appendix: 附录 A, B, C
latex_domain_indices = False
latex_show_urls = "footnote"  # a printed link still says where it goes
latex_additional_files = ["_templates/latex/coursebook.sty"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "babel": "",  # babel knows no Chinese; ctex names 目录, 图, 表, 附录
    "fontenc": r"\usepackage[UTF8,scheme=chinese,heading=false,fontset=none,linespread=1.2]{ctex}",
    "fontpkg": (
        rf"\newcommand{{\coursefontdir}}{{{_cjk_dir.as_posix()}/}}"
        "\n"
        rf"\newcommand{{\latinfontdir}}{{{_latin_dir.as_posix()}/}}"
    ),  # pdf_edition adds \coursefiguredpi, lecturelib's PNG resolution (LaTeX builds only)
    "fncychap": "",
    "fvset": r"\fvset{fontsize=\small,formatcom=\courseverbaddon}",  # see coursebook.sty
    "geometry": r"\usepackage[a4paper,hmargin=2.3cm,top=2.6cm,bottom=2.4cm]{geometry}",
    "preamble": "\n".join(
        [
            r"\usepackage{coursebook}",
            rf"\hypersetup{{pdftitle={{{_book_title}}},pdfauthor={{{author}}},"
            r"pdfsubject={刘二大人《PyTorch 深度学习实践》第 1–3 讲},pdflang={zh-CN},"
            r"bookmarksnumbered=true,bookmarksopen=true,bookmarksopenlevel=0}",
        ]
    ),
    "maketitle": pdf_edition.cover(
        _book_title,
        "刘二大人《PyTorch 深度学习实践》第 1–3 讲",
        [
            r"B 站课程 \href{https://www.bilibili.com/video/BV1Y7411d7Ys}{BV1Y7411d7Ys}",
            r"每个数字和每幅图都由 \texttt{lecturelib} 在构建时算出",
        ],
        _edition,
    ),
    "makeindex": "",
    "printindex": "",
    "sphinxsetup": "verbatimforcewraps=true, VerbatimColor={rgb}{0.97,0.97,0.97}",
    "extraclassoptions": "openany,oneside",
}
