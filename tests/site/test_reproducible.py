"""Byte-identical builds: a clean copy of the sources, built in another folder, gives the same site.

What it assumes and does (one extra build, about as long as ``nox -s docs`` from scratch):

* the site under test (``docs/_build/html``, or ``LECTURELIB_SITE``) was built from the sources
  of this checkout as they are now: ``nox -s tests`` builds it just before the tests. It may be
  an incremental build (``prune_outputs`` removes what a clean build would not write);
* the sources are the files git knows (tracked, plus new files that are not ignored), copied
  into a fresh folder at a different absolute path and depth, as a second clone would be; without
  git, every file outside the ignored build and cache folders;
* the copy is built with the same Python environment (the one running the tests), with
  ``python -m sphinx -b html -n -W --keep-going -j auto`` as ``nox -s docs`` does, its kernels
  importing the copy's ``src/lecturelib``, its tool folders (matplotlib, Jupyter, TMPDIR) left to
  ``docs/conf.py`` (inside the copy), and another ``PYTHONHASHSEED`` than the session's;
* every file of the two sites is compared byte for byte, the search index, the notebooks, the
  images and the wheel included; only ``.doctrees/`` and ``.buildinfo`` (Sphinx's own build
  state) are left out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_contract import ROOT, TOOL_VARS, docs_extension

pytestmark = [pytest.mark.site, pytest.mark.slow]

BUILD_TIMEOUT = 900
#: Sphinx's build state, not part of the site.
IGNORED = (".doctrees", ".buildinfo", ".buildinfo.bak")
#: Folders of a checkout that hold build output, caches and virtual environments.
NOT_SOURCES = {".git", ".nox", ".cache", "_build", "__pycache__", ".pytest_cache", ".venv"}
NOT_SOURCES |= {".mypy_cache", ".ruff_cache", ".ipynb_checkpoints", "build", "dist"}


def source_files(root: Path) -> list[str]:
    """Relative paths of the files a clone of ``root`` would have."""
    if (root / ".git").exists():
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        names = [n for n in proc.stdout.decode().split("\0") if n]
        return sorted(n for n in names if (root / n).is_file())  # not files deleted since
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not NOT_SOURCES & set(p.relative_to(root).parts)
    )


def site_files(site: Path) -> dict[str, Path]:
    files = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site)
        if path.is_file() and rel.parts[0] not in IGNORED:
            files[rel.as_posix()] = path
    return files


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the sites ``a`` and ``b`` (empty when they are byte-identical)."""
    fa, fb = site_files(a), site_files(b)
    found = [f"only in {a}: {n}" for n in sorted(fa.keys() - fb.keys())]
    found += [f"only in {b}: {n}" for n in sorted(fb.keys() - fa.keys())]
    for name in sorted(fa.keys() & fb.keys()):
        x, y = fa[name].read_bytes(), fb[name].read_bytes()
        if x != y:
            at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), None)
            at = min(len(x), len(y)) if at is None else at
            found.append(
                f"differs: {name} at byte {at}: {x[max(0, at - 40) : at + 40]!r} "
                f"vs {y[max(0, at - 40) : at + 40]!r}"
            )
    return found


def test_differences_sees_content_and_missing_files(tmp_path: Path) -> None:
    """The comparison itself, on two tiny trees."""
    a, b = tmp_path / "a", tmp_path / "b"
    for root, text in ((a, "x = 1"), (b, "x = 2")):
        (root / ".doctrees").mkdir(parents=True)
        (root / ".doctrees" / "env.pickle").write_text(text)
        (root / ".buildinfo").write_text(text)
        (root / "same.html").write_text("same")
        (root / "page.html").write_text(text)
    (a / "_images").mkdir()
    (a / "_images" / "old.png").write_bytes(b"png")
    found = differences(a, b)
    assert len(found) == 2, found
    assert found[0].endswith("_images/old.png")
    assert found[1].startswith("differs: page.html at byte 4")


def test_printed_text_renders_the_same_however_the_kernel_cut_it() -> None:
    """``reproducible_build.merge_streams``: one text whatever the chunks; myst-nb's own merge
    (the function it replaces) gives a blank line when a ``print`` is cut before its newline."""
    from myst_nb.core.utils import coalesce_streams
    from nbformat import NotebookNode

    merge_streams = docs_extension("reproducible_build").merge_streams

    def outputs(*chunks: str) -> list[NotebookNode]:
        return [NotebookNode(output_type="stream", name="stdout", text=c) for c in chunks]

    whole = outputs("起点 a：到达\n", "起点 b：到达\n")
    cut = outputs("起点 a：到达", "\n起点 b：", "到达\n")
    assert coalesce_streams(outputs("起点 a：到达", "\n起点 b：到达\n"))[0]["text"] == (
        "起点 a：到达\n\n起点 b：到达\n"
    )  # the upstream behaviour this replaces
    expected = "起点 a：到达\n起点 b：到达\n"
    assert merge_streams(whole)[0]["text"] == expected
    assert merge_streams(cut)[0]["text"] == expected
    image = NotebookNode(output_type="display_data", data={}, metadata={})
    err = NotebookNode(output_type="stream", name="stderr", text="警告\n")
    merged = merge_streams([err, *outputs("a\n"), image, *outputs("b", "\n")])
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "a\nb\n"),  # stdout first, later chunks joined at its place
        ("stream", "stderr", "警告\n"),
        ("display_data", None, None),
    ]


def test_the_sidebar_digest_changes_with_a_page_or_a_title() -> None:
    """``reproducible_build.navigation_digest``: a new page or a new title rewrites every page."""
    from types import SimpleNamespace

    from docutils import nodes

    navigation_digest = docs_extension("reproducible_build").navigation_digest

    def env(titles: dict[str, str]) -> SimpleNamespace:
        return SimpleNamespace(
            found_docs=set(titles),
            titles={doc: nodes.title(text=t) for doc, t in titles.items()},
            toctree_includes={"index": sorted(set(titles) - {"index"})},
            toc_secnumbers={},
        )

    site = {"index": "首页", "api": "API"}
    assert navigation_digest(env(site)) == navigation_digest(env(dict(site)))
    assert navigation_digest(env(site)) != navigation_digest(env({**site, "api": "API 参考"}))
    assert navigation_digest(env(site)) != navigation_digest(env({**site, "figures": "图"}))


def test_a_clean_copy_elsewhere_builds_the_same_site(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "another" / "place" / "lecturelib-course"
    for name in source_files(ROOT):
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    html = copy / "docs" / "_build" / "html"
    book = ROOT / "docs" / "_build" / "pdf" / "course.pdf"
    if book.is_file():  # an input of the site's build (nox -s pdf made it): the copy gets it too
        (copy / "docs" / "_build" / "pdf").mkdir(parents=True)
        shutil.copy2(book, copy / "docs" / "_build" / "pdf" / "course.pdf")
    env = {k: v for k, v in os.environ.items() if k not in TOOL_VARS}
    env["PYTHONPATH"] = str(copy / "src")  # the kernels import the copy's lecturelib
    env["PYTHONHASHSEED"] = "12345"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("MPLBACKEND", None)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-j", "auto"]
    proc = subprocess.run(
        [*cmd, str(copy / "docs"), str(html)],
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, f"the clean copy does not build:\n{proc.stdout[-4000:]}"
    found = differences(site, html)
    assert not found, (
        f"{len(found)} difference(s) between {site} and a clean build of a copy:\n"
        + "\n".join(found[:30])
    )
