"""The page sources: no Python snippet imports anything without being run at build time.

A ```python block is shown, never executed: if it imports something, nothing checks that it still
works. Such code must be a ``{code-cell}`` (myst-nb runs it on every build) or a
``{literalinclude}`` of a file the test suite runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_contract import ROOT

DOCS = ROOT / "docs"
PYTHON = {"python", "python3", "py", "ipython", "ipython3", "pycon"}
CODE_DIRECTIVES = {"{code-block}", "{code}", "{sourcecode}"}
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
IMPORT = re.compile(r"^\s*(?:>>>\s*)?(?:import\s+\w|from\s+\.*[\w.]*\s+import\s)")


def untested_imports(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, import statement)`` of every shown, not executed, Python block that imports.

    Fenced blocks (backticks or tildes, any length) are read with their info string: a plain
    ``python``-like language or a ``{code-block} python`` directive is shown code; ``{code-cell}``
    is executed and ``{literalinclude}`` shows a file, so both are fine. Other directives
    (``{dropdown}``, ``{container}``, …) are searched inside.
    """
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence, info = opening["fence"], opening["info"]
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        start, body = i, []
        i += 1
        while i < len(lines) and not closing.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        words = info.split()
        kind = words[0].lower() if words else ""
        language = words[1].lower() if kind in CODE_DIRECTIVES and len(words) > 1 else kind
        if language in PYTHON:
            imports = [line.strip() for line in body if IMPORT.match(line)]
            if imports:
                found.append((first_line + start, imports[0]))
        elif kind.startswith("{") and kind not in ("{code-cell}", "{literalinclude}"):
            found += untested_imports("\n".join(body), first_line + start + 1)
    return found


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.relative_to(DOCS).parts)


def test_detector_finds_shown_python_that_imports() -> None:
    page = "\n".join(
        [
            "```python",  # line 1: shown, imports -> flagged
            "import visdom",
            "```",
            "```{code-cell} ipython3",  # executed
            "import numpy as np",
            "```",
            "```{code-block} python",  # line 7: shown -> flagged
            "from pathlib import Path",
            "```",
            "````{dropdown} 解答",  # a directive: searched inside
            "```python",  # line 11
            "    from lecturelib import sgd",
            "```",
            "````",
            "```python",  # shown, no import: fine
            "w = w - 0.01 * grad",
            "```",
            "```bash",
            "pip install visdom",
            "```",
            "```{literalinclude} ../../src/lecturelib/callbacks.py",
            ":pyobject: VisdomLogger",
            "```",
            "~~~pycon",  # line 24
            ">>> import lecturelib",
            "~~~",
        ]
    )
    assert untested_imports(page) == [
        (1, "import visdom"),
        (7, "from pathlib import Path"),
        (11, "from lecturelib import sgd"),
        (24, ">>> import lecturelib"),
    ]


def test_sources_exist() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in pages()}
    assert {"index.md", "api.md", "glossary.md", "lectures/02-linear-model.md"} <= names


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_page_shows_python_that_imports_without_running_it(page: Path) -> None:
    offenders = untested_imports(page.read_text(encoding="utf-8"))
    assert offenders == [], (
        f"{page.relative_to(ROOT)}: shown Python that imports but never runs "
        f"(make it a code-cell, or literalinclude a tested file): {offenders}"
    )
