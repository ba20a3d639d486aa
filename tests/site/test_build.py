"""Builds of a minimal copy of the site: the build's guarantees, checked end to end.

Each test copies the site's configuration (``conf.py``, ``_ext``, ``_static``, ``_templates``,
the ``.po`` catalogues), ``pyproject.toml``, ``README.md`` (the wheel on the site is built from
them) and ``src/lecturelib`` into ``tmp_path``, writes one tiny
page, and runs ``python -m sphinx -b html -n -W --keep-going`` in a subprocess whose
``PYTHONPATH`` puts the *copy* of lecturelib first, so the kernel imports the copy. The tool
folders (matplotlib, IPython, Jupyter, XDG, TMPDIR) are left unset, so ``conf.py`` puts them in the
copy's ``.cache/`` inside ``tmp_path``.

* an edit of one line of a lecturelib function changes the built page on the next build, with no
  cache clearing, and a build without edits executes nothing;
* an exception in a cell, a cell writing to stderr, and a matplotlib missing-glyph warning each
  fail the build, and the output names the page;
* a formula KaTeX cannot typeset fails the build, naming the page, the line and the formula,
  and the page never shows it raw; the LaTeX builder still gets every formula as LaTeX.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from site_contract import ROOT, TOOL_VARS, docs_extension

pytestmark = pytest.mark.slow

DOCS = ROOT / "docs"
BUILD_TIMEOUT = 300

FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""

PROBE_MODULE = '''"""A function whose one line the build test edits."""


def value() -> float:
    return 3.0
'''

PROBE_PAGE = (
    FRONT
    + """# 探针

```{code-cell} ipython3
import lecturelib
from lecturelib import _build_probe as probe

print("lecturelib imported from", lecturelib.__file__)
print("probe value", probe.value(), "cost", lecturelib.cost([1, 2, 3], [2, 4, 6], probe.value()))
```

```{code-cell} ipython3
import importlib

import matplotlib.pyplot as plt

style = importlib.import_module("lecturelib.style")
getattr(lecturelib, "use_style", style.use_style)()
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1, 2], [0, probe.value(), 2 * probe.value()])
ax.set_title("代价曲线")
ax;
```
"""
)


@dataclass
class Build:
    returncode: int
    output: str


class MiniSite:
    """A copy of the site's configuration and of lecturelib with one page, built in a subprocess."""

    def __init__(self, base: Path, page: str, text: str) -> None:
        self.base = base
        self.docs = base / "docs"
        self.html = self.docs / "_build" / "html"
        self.src = base / "src"
        self.page = page
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_build", ".ipynb_checkpoints")
        self.docs.mkdir(parents=True)
        shutil.copy2(DOCS / "conf.py", self.docs / "conf.py")
        for folder in ("_ext", "_static", "_templates"):
            if (DOCS / folder).is_dir():
                shutil.copytree(DOCS / folder, self.docs / folder, ignore=ignore)
        for po in (DOCS / "locales").rglob("*.po"):
            dst = self.docs / "locales" / po.relative_to(DOCS / "locales")
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(po, dst)
        shutil.copytree(ROOT / "src" / "lecturelib", self.src / "lecturelib", ignore=ignore)
        for name in ("pyproject.toml", "README.md"):  # the site carries a wheel built from them
            shutil.copy2(ROOT / name, base / name)
        (self.docs / "index.md").write_text(
            f"# 测试站点\n\n```{{toctree}}\n{page}\n```\n", encoding="utf-8"
        )
        (self.docs / f"{page}.md").write_text(text, encoding="utf-8")
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        """The caller's environment without its tool folders: docs/conf.py must choose them."""
        env = {k: v for k, v in os.environ.items() if k not in TOOL_VARS}
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.src), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        env["PYTHONHASHSEED"] = "0"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.pop("MPLBACKEND", None)  # the kernel picks its inline backend
        return env

    def build(self, builder: str = "html") -> Build:
        cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-n", "-W", "--keep-going"]
        out = self.html if builder == "html" else self.docs / "_build" / builder
        proc = subprocess.run(
            [*cmd, str(self.docs), str(out)],
            cwd=self.base,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        return Build(proc.returncode, proc.stdout)

    def page_html(self) -> str:
        return (self.html / f"{self.page}.html").read_text(encoding="utf-8")

    def images(self) -> list[bytes]:
        """The bytes of every image the page shows, in order."""
        srcs = re.findall(r'<img[^>]*\bsrc="([^"]+)"', self.page_html())
        return [(self.html / src).read_bytes() for src in srcs]


def executed(build: Build) -> bool:
    return "Executing notebook" in build.output


def assert_built(build: Build) -> None:
    assert build.returncode == 0, f"the minimal site does not build:\n{build.output[-4000:]}"


def test_library_edit_reexecutes_without_cache_clearing(tmp_path: Path) -> None:
    site = MiniSite(tmp_path, "probe", PROBE_PAGE)
    probe = site.src / "lecturelib" / "_build_probe.py"
    probe.write_text(PROBE_MODULE, encoding="utf-8")

    first = site.build()
    assert_built(first)
    assert executed(first), first.output[-3000:]
    html1, images1 = site.page_html(), site.images()
    copy = (site.src / "lecturelib" / "__init__.py").as_posix()
    assert f"lecturelib imported from {copy}" in html1, "the kernel did not import the copy"
    assert "probe value 3.0" in html1
    assert len(images1) == 1, f"expected one figure, got {len(images1)}"

    second = site.build()
    assert_built(second)
    assert not executed(second), "a build without edits executed the page again"
    assert site.page_html() == html1
    assert site.images() == images1

    probe.write_text(PROBE_MODULE.replace("return 3.0", "return 5.0"), encoding="utf-8")
    third = site.build()
    assert_built(third)
    assert executed(third), "an edit of lecturelib did not re-execute the page"
    html3 = site.page_html()
    assert "probe value 5.0" in html3
    assert "probe value 3.0" not in html3, "the page still shows the old library's output"
    images3 = site.images()
    assert len(images3) == 1
    assert images3 != images1, "the figure did not change with the library"


def _page_fails(tmp_path: Path, page: str, body: str) -> tuple[MiniSite, Build]:
    site = MiniSite(tmp_path, page, FRONT + "# 出错的页\n\n" + body)
    build = site.build()
    assert build.returncode != 0, f"the build passed:\n{build.output[-3000:]}"
    assert f"{page}.md" in build.output, (
        f"the output does not name {page}.md:\n{build.output[-3000:]}"
    )
    return site, build


def _stderr_outputs(site: MiniSite) -> str:
    """The stderr stream outputs of the executed page (myst-nb's copy in ``jupyter_execute``)."""
    nb = json.loads(
        (site.html.parent / "jupyter_execute" / f"{site.page}.ipynb").read_text("utf-8")
    )
    texts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out["text"]
                texts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(texts)


def test_cell_exception_fails_build(tmp_path: Path) -> None:
    _, build = _page_fails(tmp_path, "divide", "```{code-cell} ipython3\n1/0\n```\n")
    assert "ZeroDivisionError" in build.output


def test_cell_stderr_fails_build(tmp_path: Path) -> None:
    body = '```{code-cell} ipython3\nimport sys\n\nprint("写到 stderr", file=sys.stderr)\n```\n'
    site, build = _page_fails(tmp_path, "noisy", body)
    assert "stderr was found in the cell outputs" in build.output, build.output[-3000:]
    assert "写到 stderr" in _stderr_outputs(site)


def test_missing_glyph_fails_build(tmp_path: Path) -> None:
    # matplotlib's default font (DejaVu Sans) has no Chinese: without ll.use_style() the title's
    # glyphs are missing and matplotlib warns on stderr while the inline backend draws the figure.
    body = (
        "```{code-cell} ipython3\n"
        "import matplotlib.pyplot as plt\n\n"
        "fig, ax = plt.subplots(figsize=(2, 1.5))\n"
        'ax.set_title("梯度")\n'
        "ax;\n"
        "```\n"
    )
    site, build = _page_fails(tmp_path, "tofu", body)
    assert "stderr was found in the cell outputs" in build.output, build.output[-3000:]
    stderr = _stderr_outputs(site)
    assert re.search(r"Glyph \d+ .*missing from font", stderr), stderr


TEMPFILE_PAGE = (
    FRONT
    + """# 临时文件

```{code-cell} ipython3
import tempfile

import matplotlib.pyplot as plt

import lecturelib as ll

ll.use_style()
with tempfile.TemporaryDirectory() as folder:
    print("temporary folder", folder)
fig, ax = plt.subplots(figsize=(3, 2))
ax.set_title("代价")
ax;
```
"""
)


def test_build_writes_nothing_outside_the_repository(tmp_path: Path) -> None:
    """With no tool folders configured and an empty HOME, the build keeps its state in .cache/."""
    site = MiniSite(tmp_path / "repo", "tmp", TEMPFILE_PAGE)
    home = tmp_path / "home"
    home.mkdir()
    site.env["HOME"] = str(home)
    site.env.pop("JUPYTER_PLATFORM_DIRS", None)

    build = site.build()
    assert_built(build)
    written = [p.relative_to(home) for p in home.rglob("*")]
    assert written == [], f"the build wrote into HOME: {written}"
    cache = site.base / ".cache"
    for sub in ("matplotlib", "ipython", "tmp"):
        assert (cache / sub).is_dir(), f".cache/{sub} missing"
    assert f"temporary folder {cache / 'tmp'}" in site.page_html()


BAD_MATH = r"""这一行的公式没有问题：$w \leftarrow w - \alpha\,\dfrac{\partial L}{\partial w}$。

行内公式少了一个花括号：$\frac{1}{N$。

$$
\frac{\partial L}{\partial w} = \badmacro{x_n}
$$
"""


def test_bad_formula_fails_build_naming_page_and_formula(tmp_path: Path) -> None:
    site, build = _page_fails(tmp_path, "broken", BAD_MATH)
    lines = (site.docs / "broken.md").read_text(encoding="utf-8").splitlines()
    inline_line = next(i for i, line in enumerate(lines, 1) if r"\frac{1}{N" in line)
    display_line = next(i for i, line in enumerate(lines, 1) if line == "$$")
    out = build.output
    inline = (
        f"broken.md:{inline_line}: WARNING: KaTeX cannot typeset the formula ``\\frac{{1}}{{N``"
    )
    assert inline in out, out[-3000:]
    display = (
        f"broken.md:{display_line}: WARNING: KaTeX cannot typeset the formula "
        "``\\frac{\\partial L}{\\partial w} = \\badmacro{x_n}``: Undefined control sequence"
    )
    assert display in out, out[-3000:]
    assert "leftarrow" not in out, "a good formula was reported"
    html = site.page_html()  # --keep-going still writes the page: no raw TeX, no red error text
    assert "badmacro" not in html
    assert r"\frac{1}{N" not in html
    assert "katex-error" not in html
    assert html.count('class="katex"') == 1, "the good formula is not typeset"


LATEX_PAGE = (
    FRONT
    + r"""# 公式

更新规则 $w \leftarrow w - \alpha\,g$。

$$
\frac{\partial\,\text{cost}}{\partial w} = \frac{1}{N}\sum_{n=1}^{N} 2\,x_n(x_n w - y_n)
$$
"""
)


def test_latex_builder_keeps_math_as_latex(tmp_path: Path) -> None:
    """The build-time renderer acts on HTML builders only: LaTeX output gets the TeX itself."""
    site = MiniSite(tmp_path, "formulas", LATEX_PAGE)
    build = site.build("latex")
    assert_built(build)
    tex = "\n".join(
        p.read_text(encoding="utf-8") for p in (site.docs / "_build" / "latex").glob("*.tex")
    )
    assert r"\(w \leftarrow w - \alpha\,g\)" in tex, tex[-2000:]
    assert r"\frac{\partial\,\text{cost}}{\partial w} = \frac{1}{N}\sum_{n=1}^{N}" in tex
    assert "katex" not in tex.lower()


def test_viewcode_finds_lecturelib_files_without_importing_them() -> None:
    """``viewcode_paths.module_file``: the file viewcode would find by importing, by path alone."""
    import importlib.util

    module_file = docs_extension("viewcode_paths").module_file
    for name in ("lecturelib", "lecturelib.model", "lecturelib.figures", "lecturelib.figures.sgd"):
        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert module_file(name) == Path(str(spec.origin)), name
    assert module_file("lecturelib.no_such_module") is None
    assert module_file("numpy") is None


@pytest.mark.parametrize("nproc", [2, 3, 4])
def test_parallel_reading_gives_every_worker_its_share_of_notebooks(nproc: int) -> None:
    """``execution_cache.spread``: Sphinx's chunks (same sizes, same pages) each get as many of
    the pages that execute as the others, give or take one."""
    from sphinx.util.parallel import make_chunks

    spread = docs_extension("execution_cache").spread
    docs = ["api", "api-figures", "glossary", "index", *(f"lectures/0{i}" for i in range(1, 5))]
    executed = {d for d in docs if d.startswith("lectures/")}
    order = spread(docs, executed, nproc)
    assert sorted(order) == sorted(docs)
    chunks = make_chunks(order, nproc)
    assert [len(c) for c in chunks] == [len(c) for c in make_chunks(docs, nproc)]
    per_chunk = [len(executed.intersection(c)) for c in chunks]
    assert max(per_chunk) - min(per_chunk) <= 1, chunks
    if nproc == 2:  # the problem: Sphinx's sorted order puts all four lectures in one chunk
        assert max(len(executed.intersection(c)) for c in make_chunks(docs, nproc)) == 4
