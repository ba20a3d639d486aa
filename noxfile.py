"""Maintainer commands: ``nox -s lint tests docs`` (and ``pdf``, ``serve``, ``bench``).

Every session installs what it needs from pyproject's dependency groups. Tool state that would
otherwise land in the home directory (matplotlib, IPython, Jupyter) is kept in ``.cache/``
inside the repository, so a build writes nothing outside ignored folders of the repository.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "docs" / "_ext"))
from tool_dirs import keep_state_in

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests", "docs"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS = ROOT / "docs"
HTML = DOCS / "_build" / "html"
LATEX = DOCS / "_build" / "latex"  # beside html: the two builds share the execution cache
PDF = DOCS / "_build" / "pdf" / "course.pdf"
PDF_PACKAGES = ROOT / ".ci" / "pdf-packages.txt"  # the Debian packages the PDF needs


def _tool_env() -> dict[str, str]:
    """Environment that keeps every tool's config/cache directory inside ``.cache/``."""
    env: dict[str, str] = {}
    keep_state_in(ROOT, env, override=True)
    env["PYTHONHASHSEED"] = "0"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


# visdom 0.2.4 is an sdist whose setup.py imports pkg_resources (deprecated in setuptools 81,
# removed in 82): it is built in the venv, next to these, not in an isolated build environment
SDISTS = ("visdom",)
SDIST_BUILD_REQS = ("setuptools<81", "wheel")


def _install(session: nox.Session, *groups: str) -> None:
    """Install the package and the named dependency groups, skipped when nothing changed."""
    reqs: list[str] = []
    for g in groups:
        reqs += nox.project.dependency_groups(PYPROJECT, g)
    sdists = [r for r in reqs if r.startswith(SDISTS)]
    recipe = [*reqs, "--no-build-isolation", *SDIST_BUILD_REQS]
    stamp_src = (ROOT / "pyproject.toml").read_bytes() + "\n".join(recipe).encode()
    stamp = hashlib.sha256(stamp_src).hexdigest()
    marker = Path(session.virtualenv.location) / ".lecturelib-installed"
    if marker.exists() and marker.read_text() == stamp:
        return  # the venv already has exactly this: skip pip (saves seconds on every rebuild)
    session.install(*[r for r in reqs if r not in sdists])
    if sdists:
        session.install(*SDIST_BUILD_REQS)
        session.install("--no-build-isolation", *sdists)
    session.install("-e", ".")
    marker.write_text(stamp)  # written only once every install above has succeeded


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and mypy (strict) on lecturelib."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", env=_tool_env())


def sphinx_build(session: nox.Session, builder: str, out: Path, *extra: str) -> None:
    """sphinx-build as every build of this project runs it: nitpicky, any warning an error."""
    session.run(
        "sphinx-build",
        *("-b", builder, "-n", "-W", "--keep-going", "-j", "auto"),
        str(DOCS),
        str(out),
        *extra,
        env=_tool_env(),
    )


def build_docs(session: nox.Session, *extra: str) -> None:
    sphinx_build(session, "html", HTML, *extra)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html (pages executed by myst-nb, cached).

    Extra arguments pass through to sphinx-build, e.g. ``nox -s docs -- -b linkcheck``.
    """
    _install(session, "docs")
    build_docs(session, *session.posargs)


def have_tex() -> bool:
    return shutil.which("xelatex") is not None and shutil.which("latexmk") is not None


def build_pdf(session: nox.Session) -> None:
    """Sphinx's LaTeX builder, then xelatex through latexmk: the book at ``PDF``."""
    sphinx_build(session, "latex", LATEX)
    session.run("python", str(DOCS / "_ext" / "pdf_edition.py"), str(LATEX), str(PDF))


@nox.session
def pdf(session: nox.Session) -> None:
    """The course as a Chinese book: docs/_build/pdf/course.pdf (xelatex, latexmk, ctex).

    The next ``nox -s docs`` links it from the home page. The Debian packages it needs are
    listed in .ci/pdf-packages.txt.
    """
    _install(session, "docs")
    if not have_tex():
        packages = " ".join(PDF_PACKAGES.read_text().split())
        session.error(f"xelatex and latexmk are missing: apt-get install {packages}")
    build_pdf(session)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, site, PDF and browser tests included (builds site and PDF first).

    The PDF is built first (when xelatex is installed) so that the site links it.
    """
    _install(session, "docs", "test")
    if have_tex():
        build_pdf(session)
    else:
        session.warn("xelatex/latexmk not installed: no PDF, the PDF tests will be skipped")
    build_docs(session)
    # one worker per core (-n auto; `nox -s tests -- -n 0` runs in one process); the slowest
    # tests are listed at the end
    session.run("pytest", "-n", "auto", "--durations=12", *session.posargs, env=_tool_env())


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000 with sphinx-autobuild."""
    _install(session, "docs", "serve")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        str(ROOT / "src" / "lecturelib"),
        str(DOCS),
        str(HTML),
        *session.posargs,
        env=_tool_env(),
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Build and page budgets and the lecturelib grid-cost benchmark; writes bench.json."""
    _install(session, "docs", "test", "bench")
    build_docs(session)  # the page weights are measured on the built site
    session.run("python", "benchmarks/run.py", *session.posargs, env=_tool_env())
