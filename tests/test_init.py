"""Tests of lecturelib/__init__.py: the top level a learner imports, and its lazy names.

The exact list of names, their docstrings and their place on the API page are pinned by the
site test ``tests/site/test_api.py``; here: what ``import lecturelib`` does and does not do.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types
from typing import Any

import pytest

import lecturelib as ll

_IMPORT_PROBE = """
import json, sys
import lecturelib as ll
heavy = ("matplotlib", "matplotlib.pyplot", "mpl_toolkits.mplot3d", "lecturelib.figures")
after_import = [m for m in heavy if m in sys.modules]
ll.use_style()
ax = ll.plot_cost_history([4.0, 1.0, 0.25])
from lecturelib.style import figure_png
png = figure_png(ax.figure)
print(json.dumps({
    "after_import": after_import,
    "lines": len(ax.lines),
    "png": png[:8].hex(),
    "pyplot_after_plot": "matplotlib.pyplot" in sys.modules,
    "figures_after_plot": "lecturelib.figures" in sys.modules,
}))
"""


def test_import_lecturelib_does_not_import_matplotlib_and_a_plot_still_works() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    assert report["after_import"] == []
    assert report["lines"] == 1
    assert report["png"] == b"\x89PNG\r\n\x1a\n".hex()
    assert report["pyplot_after_plot"] is False
    assert report["figures_after_plot"] is False
    assert done.stderr == ""


def test_every_public_name_resolves_to_its_module_object() -> None:
    lazy: dict[str, str] = ll._LAZY
    assert set(lazy) <= set(ll.__all__)
    for name in ll.__all__:
        value = getattr(ll, name)
        if name in lazy:
            module = importlib.import_module(f"lecturelib.{lazy[name]}")
            assert value is getattr(module, name)
    with pytest.raises(AttributeError, match="has no attribute 'plot_nothing'"):
        ll.plot_nothing  # type: ignore[attr-defined]  # noqa: B018
    namespace: dict[str, Any] = {}
    exec("from lecturelib import *", namespace)
    from lecturelib import plots

    assert namespace["plot_cost_history"] is plots.plot_cost_history
    assert {n for n in namespace if n != "__builtins__"} == set(ll.__all__)


def test_dir_lists_exactly_the_public_names() -> None:
    assert dir(ll) == sorted(ll.__all__)


def test_nothing_else_public_sits_at_the_top() -> None:
    """Apart from ``__all__``, the package's namespace holds only private names and modules."""
    ll.use_style()  # loads every lazy name's module
    extra = {
        name
        for name, value in vars(ll).items()
        if not name.startswith("_") and name not in ll.__all__
    }
    assert all(isinstance(vars(ll)[name], types.ModuleType) for name in extra), extra


@pytest.mark.parametrize(
    "name",
    ["figure_png", "COLORS", "nonconvex", "descend", "plot_pytorch_timeline", "SearchResult"],
)
def test_a_name_moved_off_the_top_is_gone_from_it(name: str) -> None:
    with pytest.raises(AttributeError, match=f"has no attribute '{name}'"):
        getattr(ll, name)
