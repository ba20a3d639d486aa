"""The PDF edition: the course as a Chinese book (``nox -s pdf``), and its link on the site.

Sphinx's LaTeX builder writes ``_build/latex/course.tex``; :func:`compile_pdf` (the command
line of this file) runs xelatex through latexmk and copies the book to ``_build/pdf/course.pdf``.
This extension shapes the book while Sphinx assembles it (``doctree-resolved`` of the LaTeX
root document):

* **front matter, then one chapter per lecture.** ``index.md`` keeps its sections on the site;
  in the book its text becomes the unnumbered 前言 (its sections unnumbered, not in the
  contents), and every document of its toctrees follows at the top level, so lecture page N is
  第 N 章 and its figures are 图 N.k, as on the site. A title's hand-written "N. " prefix is
  dropped (the chapter number says it).
* **appendices.** The documents named in ``pdf_appendices`` (glossary, API reference, the site's
  figures) come after ``\\appendix``: 附录 A, 附录 B, 附录 C.
* **exercises keep their solutions.** A sphinx-design dropdown (a 解答 that the site folds)
  becomes a framed box with its title, always open.
* **every reference resolves.** A container with a ``:name:`` (a table or formula standing in
  for a lost image, cited with ``{ref}``) gets its label, which Sphinx's LaTeX writer omits.

On the site (HTML builders) the ``course-pdf`` directive shows its content, a sentence that
links the book, only when the book has been built (``_build/pdf/course.pdf`` beside the HTML
output): the build copies it to ``_downloads/course.pdf`` and the page links that copy, so the
link is never dead. A page with the directive is read again whenever the book appears, changes or
disappears.

:func:`compile_pdf` fails (exit status 1) on a LaTeX error, naming the page (docname) where the
error is, and on a character that no font of the book has (``\\tracinglostchars=3`` makes it an
error with its line), on an undefined reference, and on a missing PDF.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape as tex_escape

logger = logging.getLogger(__name__)

TEX_NAME = "course.tex"
PDF_NAME = "course.pdf"
DOWNLOAD = f"_downloads/{PDF_NAME}"  # where the HTML build puts its copy of the book
FRONT_TITLE = "前言"
_NUMBER_PREFIX = re.compile(r"^\s*\d+\s*[.．、]\s*")


def built_pdf(outdir: str | Path) -> Path:
    """The book a build beside ``outdir`` finds: ``<outdir>/../pdf/course.pdf``."""
    return Path(outdir).parent / "pdf" / PDF_NAME


# -- the cover ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edition:
    """What the cover says about this printing."""

    date: str  # e.g. 2026 年 1 月 5 日: the date of the commit (the build date outside git)
    version: str
    commit: str  # short hash, "+" when the working tree has uncommitted changes; "" outside git


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def edition(root: Path, version: str) -> Edition:
    """Date, version and commit of the sources in ``root`` (no git: today and no commit)."""
    commit = _git(root, "rev-parse", "--short=10", "HEAD") or ""
    if commit and _git(root, "status", "--porcelain", "--untracked-files=no"):
        commit += "+"
    day = _git(root, "log", "-1", "--format=%cs") if commit else None
    when = date.fromisoformat(day) if day else date.today()
    return Edition(f"{when.year} 年 {when.month} 月 {when.day} 日", version, commit)


def cover(title: str, subtitle: str, lines: list[str], ed: Edition) -> str:
    """LaTeX for the cover page (``latex_elements["maketitle"]``); ``lines`` are LaTeX."""
    facts = [*lines, f"版本 {tex_escape(ed.version)}　·　{ed.date}"]
    if ed.commit:
        facts.append(rf"源代码提交 \texttt{{{tex_escape(ed.commit)}}}")
    body = r"\\[0.6em]".join(facts)
    return rf"""\begin{{titlepage}}
  \hypersetup{{pageanchor=false}}
  \centering
  \vspace*{{0.22\textheight}}
  {{\fontsize{{26pt}}{{36pt}}\selectfont\bfseries {tex_escape(title)}\par}}
  \vspace{{1.2em}}
  {{\Large {tex_escape(subtitle)}\par}}
  \vspace{{0.5em}}
  \rule{{0.55\textwidth}}{{0.6pt}}\par
  \vfill
  {{\large {body}\par}}
  \vspace*{{0.08\textheight}}
\end{{titlepage}}
\hypersetup{{pageanchor=true}}
\setcounter{{page}}{{1}}
"""


def figure_dpi(default: float = 144.0) -> float:
    """The resolution of lecturelib's figure PNGs (``lecturelib.style.SAVEFIG_DPI``)."""
    try:
        from lecturelib import style
    except ImportError:  # pragma: no cover - the docs group installs lecturelib
        return default
    return float(getattr(style, "SAVEFIG_DPI", default))


# -- the book's structure -----------------------------------------------------------------------
def _label(docname: str, ident: str) -> str:
    """``\\label`` for ``ident`` as Sphinx's LaTeX writer names it (``docname:ident``)."""
    from sphinx.util.texescape import tex_replace_map

    text = f"{docname}:{ident}".translate(tex_replace_map)
    text = text.encode("ascii", "backslashreplace").decode("ascii").replace("\\", "_")
    return rf"\phantomsection\label{{\detokenize{{{text}}}}}"


def _docname_of(node: nodes.Node, root: str) -> str:
    """The page a node of the assembled book comes from.

    Sphinx inlines a page by moving its children under a ``start_of_file`` without updating
    their parents, but it marks each of its sections with ``docname``.
    """
    parent: nodes.Node | None = node
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return str(parent["docname"])
        if isinstance(parent, nodes.section) and parent.get("docname"):
            return str(parent["docname"])
        parent = parent.parent
    return root


def _raw(tex: str) -> nodes.raw:
    return nodes.raw("", tex + "\n", format="latex")


def _unnumbered(section: nodes.section, level: int) -> list[nodes.Node]:
    """A section of the front matter as an unnumbered heading (outside the contents) + body."""
    title = section.next_node(nodes.title)
    rubric = nodes.rubric("", "", *(title.children if title else []), classes=["pdf-front"])
    rubric["heading-level"] = level
    out: list[nodes.Node] = [rubric]
    for child in section.children:
        if child is title:
            continue
        if isinstance(child, nodes.section):
            out.extend(_unnumbered(child, level + 1))
        else:
            out.append(child)
    return out


def _drop_number_prefix(section: nodes.section) -> None:
    title = section.next_node(nodes.title)
    if title is None or not title.children or not isinstance(title[0], nodes.Text):
        return
    text = str(title[0])
    stripped = _NUMBER_PREFIX.sub("", text, count=1)
    if stripped != text and stripped:
        title[0] = nodes.Text(stripped)


def _solution_boxes(tree: nodes.document) -> None:
    """sphinx-design dropdowns become admonitions: a framed box with the title, always open."""
    for node in list(tree.findall(nodes.container)):
        if node.get("design_component") != "dropdown":
            continue
        box = nodes.admonition("", classes=["pdf-dropdown"])
        children = list(node.children)
        if children and isinstance(children[0], nodes.rubric):
            box += nodes.title("", "", *children.pop(0).children)
        box.extend(children)
        box["ids"] = list(node.get("ids", []))
        node.replace_self(box)


def _container_labels(tree: nodes.document, root: str) -> None:
    for node in list(tree.findall(nodes.container)):
        ids = node.get("ids", [])
        if ids and node.get("design_component") is None:
            docname = _docname_of(node, root)
            node.insert(0, _raw("".join(_label(docname, i) for i in ids)))


def shape_book(tree: nodes.document, root: str, appendices: list[str]) -> None:
    """Front matter from the root document, its toctrees' documents as chapters, appendices."""
    top = next(iter(tree.findall(nodes.section)), None)
    if top is None:
        return
    title = top.next_node(nodes.title)
    front: list[nodes.Node] = []
    chapters: list[addnodes.start_of_file] = []
    for child in list(top.children):
        if child is title:
            continue
        top.remove(child)
        files = [
            n
            for n in child.findall(addnodes.start_of_file)
            if isinstance(n.parent, nodes.Element) and _docname_of(n.parent, root) == root
        ]
        for f in files:
            f.parent.remove(f)
            chapters.append(f)
        if isinstance(child, nodes.section):
            front.extend(_unnumbered(child, 2))
        elif not (isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]):
            front.append(child)
    if front:
        top += _raw(
            rf"\chapter*{{{FRONT_TITLE}}}\addcontentsline{{toc}}{{chapter}}{{{FRONT_TITLE}}}"
            rf"\markboth{{{FRONT_TITLE}}}{{{FRONT_TITLE}}}"
        )
        top.extend(front)
    in_appendix = False
    for f in chapters:
        if f["docname"] in appendices and not in_appendix:
            top += _raw(r"\appendix")
            in_appendix = True
        first = f.next_node(nodes.section)
        if first is not None:
            _drop_number_prefix(first)
        top += f


def _builder_inited(app: Sphinx) -> None:
    """Tell the LaTeX preamble lecturelib's PNG resolution (imported only for LaTeX builds)."""
    if app.builder.name == "latex":
        context: dict[str, Any] = app.builder.context  # type: ignore[attr-defined]
        context["fontpkg"] += f"\n\\newcommand{{\\coursefiguredpi}}{{{figure_dpi():g}}}\n"


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name != "latex" or docname != app.config.root_doc:
        return
    shape_book(doctree, docname, list(app.config.pdf_appendices))
    _solution_boxes(doctree)
    _container_labels(doctree, docname)


# -- the link on the site -----------------------------------------------------------------------
def _stamp(path: Path) -> str:
    """Identity of the built book (empty when there is none)."""
    if not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _is_html(app: Sphinx) -> bool:
    return app.builder.format == "html"


class CoursePdf(SphinxDirective):
    """``{course-pdf}``: its content (a sentence linking ``course.pdf``) only if the book exists.

    Write the link as ``[text](course.pdf)`` inside; it is pointed at the site's copy.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        store: dict[str, str] = self.env.__dict__.setdefault("course_pdf_stamps", {})
        if not _is_html(self.env.app):
            return []
        pdf = built_pdf(self.env.app.outdir)
        store[self.env.docname] = _stamp(pdf)
        if not pdf.is_file():
            return []
        box = nodes.container(classes=["course-pdf", *self.options.get("class", [])])
        self.state.nested_parse(self.content, self.content_offset, box)
        depth = self.env.docname.count("/")
        for ref in box.findall(nodes.reference):
            if ref.get("refuri") == PDF_NAME:
                ref["refuri"] = "../" * depth + DOWNLOAD
        for xref in list(box.findall(addnodes.pending_xref)):  # MyST makes [..](course.pdf) one
            if xref.get("reftarget") == PDF_NAME:
                link = nodes.reference("", "", *xref.children, refuri="../" * depth + DOWNLOAD)
                link["internal"] = True
                xref.replace_self(link)
        return box.children


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages with the link are read again when the book appeared, changed or went away."""
    if not _is_html(app):
        return []
    store: dict[str, str] = env.__dict__.get("course_pdf_stamps", {})
    now = _stamp(built_pdf(app.outdir))
    return [doc for doc, stamp in store.items() if stamp != now and doc in env.found_docs]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.__dict__.get("course_pdf_stamps", {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    ours = env.__dict__.setdefault("course_pdf_stamps", {})
    theirs = other.__dict__.get("course_pdf_stamps", {})
    ours.update({d: s for d, s in theirs.items() if d in docnames})


def _copy_pdf(app: Sphinx, exc: Exception | None) -> None:
    """Put the book the pages link into the HTML output (or take away a copy gone stale)."""
    if exc is not None or not _is_html(app):
        return
    pdf = built_pdf(app.outdir)
    copy = Path(app.outdir) / DOWNLOAD
    stamps = set(app.env.__dict__.get("course_pdf_stamps", {}).values())
    if pdf.is_file() and _stamp(pdf) in stamps:
        copy.parent.mkdir(parents=True, exist_ok=True)
        if not copy.is_file() or copy.read_bytes() != pdf.read_bytes():
            shutil.copyfile(pdf, copy)
    elif copy.is_file():
        copy.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("pdf_appendices", [], "env", types=[list])
    app.add_directive("course-pdf", CoursePdf)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


# -- compiling the book -------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One reason the book cannot be published."""

    kind: str  # "LaTeX error", "missing character", "undefined reference"
    message: str
    page: str | None  # the docname the .tex line belongs to, when known


_DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]*?)::doc\}\}")


def page_of_line(tex_lines: list[str], line: int) -> str | None:
    """The docname whose text holds line ``line`` (1-based) of the book's ``.tex``."""
    page = None
    for text in tex_lines[: max(line, 0)]:
        for match in _DOC_LABEL.finditer(text):
            page = match.group(1)
    return page


_FILE_LINE = re.compile(r"^(\S+?):(\d+): (.*)$", re.MULTILINE)  # -file-line-error form


def problems(log: str, tex: str) -> list[Problem]:
    """Errors, missing characters and undefined references in a xelatex log of the book."""
    lines = tex.splitlines()
    found: list[Problem] = []
    seen: set[tuple[str, str | None]] = set()

    def add(kind: str, message: str, page: str | None) -> None:
        if (message, page) not in seen:
            seen.add((message, page))
            found.append(Problem(kind, message, page))

    for match in _FILE_LINE.finditer(log):
        file, line, message = match.group(1), int(match.group(2)), match.group(3).strip()
        kind = "missing character" if "Missing character" in message else "LaTeX error"
        if Path(file).name == TEX_NAME:
            add(kind, message, page_of_line(lines, line))
        else:  # in a style file: no page to blame
            add(kind, f"{file}:{line}: {message}", None)
    for match in re.finditer(r"^! (.*)$", log, re.MULTILINE):  # errors without file and line
        if not match.group(1).startswith("==> Fatal error"):
            add("LaTeX error", match.group(1).strip(), None)
    for match in re.finditer(r"^Missing character: (.*)$", log, re.MULTILINE):
        add("missing character", match.group(1).strip(), None)
    if found:  # a run that stopped early leaves later labels undefined: not worth listing
        return found
    for match in re.finditer(
        r"LaTeX Warning: (?:Hyper r|R)eference `([^']*)' on page \S+ undefined on input line "
        r"(\d+)",
        log,
    ):
        add("undefined reference", match.group(1), page_of_line(lines, int(match.group(2))))
    return found


def latexmk_command(tex_name: str = TEX_NAME) -> list[str]:
    return [
        "latexmk",
        "-xelatex",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
        "-silent",
        tex_name,
    ]


def compile_pdf(latex_dir: Path, pdf_out: Path) -> int:
    """Run latexmk on ``latex_dir/course.tex``; copy the book to ``pdf_out``; 0 when all is well."""
    tex_file = latex_dir / TEX_NAME
    if not tex_file.is_file():
        print(f"pdf: {tex_file} is missing: run sphinx-build -b latex first", file=sys.stderr)
        return 1
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        print(
            "pdf: latexmk and xelatex are needed (Debian packages in .ci/pdf-packages.txt)",
            file=sys.stderr,
        )
        return 1
    pdf = latex_dir / PDF_NAME
    env = {**os.environ, "max_print_line": "100000"}  # one log line per message, unwrapped
    if "SOURCE_DATE_EPOCH" not in env:  # the PDF's dates: the commit's, so a rebuild is identical
        stamp = _git(latex_dir, "log", "-1", "--format=%ct")
        if stamp:
            env["SOURCE_DATE_EPOCH"] = stamp
    done = subprocess.run(
        latexmk_command(), cwd=latex_dir, env=env, capture_output=True, text=True, check=False
    )
    log_file = latex_dir / "course.log"
    log = log_file.read_text("utf-8", errors="replace") if log_file.is_file() else done.stdout
    found = problems(log, tex_file.read_text("utf-8"))
    if done.returncode != 0 and not found:
        found = [Problem("LaTeX error", (done.stdout + done.stderr)[-2000:], None)]
    if not found and not pdf.is_file():
        found = [Problem("LaTeX error", f"latexmk wrote no {PDF_NAME}", None)]
    if found:
        for p in found:
            where = f"page {p.page}" if p.page else "the book"
            print(f"pdf: {p.kind} in {where}: {p.message}", file=sys.stderr)
        print(f"pdf: the book was not built; see {log_file}", file=sys.stderr)
        return 1
    pdf_out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, pdf_out)
    size = pdf_out.stat().st_size / 1e6
    print(f"pdf: wrote {pdf_out} ({size:.1f} MB)")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python pdf_edition.py LATEX_DIR PDF_OUT", file=sys.stderr)
        return 2
    return compile_pdf(Path(argv[0]), Path(argv[1]))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
