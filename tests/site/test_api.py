"""The top level of lecturelib, pinned: the exact names, each documented, each on the API page.

A learner's ``import lecturelib as ll`` offers exactly :data:`TOP_LEVEL`, in the groups of the API
page (model and data → search → training → checkpoints and callbacks → smoothing and stability
→ autograd → plots). Adding or removing a name means changing this list, the API page and the
README together. Every name has a docstring of its own (a data name: the doc comment that autodoc
reads), and the built ``api.html`` documents it under its home module (an element with the id
``lecturelib.<module>.<name>``) and lists it in its group's summary table. The figures of
:mod:`lecturelib.figures` are documented on a page of their own, ``api-figures.html``.
"""

from __future__ import annotations

import ast
import inspect
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from site_contract import ROOT

import lecturelib as ll
from lecturelib import figures

pytestmark = pytest.mark.site

#: The top level, group by group, in the order of the API page.
GROUPS: dict[str, tuple[str, ...]] = {
    "model and data": (
        "forward",
        "loss",
        "cost",
        "gradient",
        "X_DATA",
        "Y_DATA",
        "Y_DATA_NOTES",
        "make_linear_data",
        "train_dev_test_split",
    ),
    "search": ("exhaustive_search", "exhaustive_search_2d", "coarse_to_fine", "grid_size"),
    "training": ("gradient_descent", "sgd", "History"),
    "checkpoints and callbacks": (
        "save_checkpoint",
        "load_checkpoint",
        "CheckpointError",
        "Callback",
        "LiveCostPlot",
        "TensorBoardLogger",
        "VisdomLogger",
    ),
    "smoothing and stability": ("ewma", "gd_lr_threshold", "sgd_lr_threshold", "sgd_epoch_factor"),
    "autograd": ("Value", "finite_difference", "linear_loss_graph"),
    "plots": (
        "use_style",
        "plot_data_and_guesses",
        "plot_cost_curve",
        "plot_cost_surface",
        "plot_cost_contour",
        "plot_cost_history",
        "plot_smoothing",
    ),
}
TOP_LEVEL: tuple[str, ...] = (*(n for names in GROUPS.values() for n in names), "__version__")


def test_the_top_level_is_exactly_the_pinned_list() -> None:
    assert len(TOP_LEVEL) == len(set(TOP_LEVEL)) <= 40
    assert sorted(ll.__all__) == sorted(TOP_LEVEL)


# -- where a name lives, and its documentation -----------------------------------------------------


@cache
def imported_from() -> dict[str, str]:
    """Each top-level name's home module, read from ``lecturelib/__init__.py`` itself."""
    init = ROOT / "src" / "lecturelib" / "__init__.py"
    homes = {"__version__": "lecturelib"}
    for node in ast.walk(ast.parse(init.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            homes.update({alias.name: f"lecturelib.{node.module}" for alias in node.names})
    homes.update({name: f"lecturelib.{module}" for name, module in ll._LAZY.items()})
    return homes


def home_of(name: str) -> str:
    """The module that defines ``name`` (where the API page documents it)."""
    value = getattr(ll, name)
    if inspect.isfunction(value) or inspect.isclass(value):
        module: str = value.__module__
        return module
    return imported_from()[name]


def documentation(module: str, name: str) -> str:
    """The docstring of a function or class; the doc comment autodoc reads for a data name."""
    value: Any = getattr(__import__(module, fromlist=[name]), name)
    if inspect.isfunction(value) or inspect.isclass(value):
        return inspect.cleandoc(value.__doc__ or "")
    from sphinx.pycode import ModuleAnalyzer

    docs = ModuleAnalyzer.for_module(module).find_attr_docs()
    return "\n".join(docs.get(("", name), [])).strip()


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_name_has_a_docstring_of_its_own(name: str) -> None:
    home = home_of(name)
    assert home.startswith("lecturelib"), (name, home)
    doc = documentation(home, name)
    assert len(doc.split()) >= 3, f"{home}.{name} has no docstring"
    assert not doc.startswith(f"{name}("), f"{home}.{name}: only the dataclass signature"


# -- the built page --------------------------------------------------------------------------------


class _ApiPage(HTMLParser):
    """The ids of documented objects, and the names listed by each summary table, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.documented: list[str] = []
        self.tables: list[list[str]] = []  # per table, the link of each row's first cell
        self._depth = 0  # nesting of tables inside a summary table
        self._cell = 0  # cells seen in the current row
        self._linked = False  # the current row's name is read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "dt" and "sig-object" in classes and a.get("id"):
            self.documented.append(str(a["id"]))
        if tag == "table" and (self._depth or "autosummary" in classes):
            if not self._depth:
                self.tables.append([])
            self._depth += 1
        elif self._depth and tag == "tr":
            self._cell, self._linked = 0, False
        elif self._depth and tag == "td":
            self._cell += 1
        elif self._depth and tag == "a" and self._cell == 1 and not self._linked:
            self.tables[-1].append(str(a.get("href") or "").lstrip("#"))
            self._linked = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth:
            self._depth -= 1


def _parsed(path: Path) -> _ApiPage:
    parser = _ApiPage()
    parser.feed(path.read_text("utf-8"))
    return parser


@pytest.fixture(scope="module")
def api_page(site: Path) -> _ApiPage:
    return _parsed(site / "api.html")


@pytest.fixture(scope="module")
def figures_page(site: Path) -> _ApiPage:
    return _parsed(site / "api-figures.html")


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_name_is_documented_on_the_api_page(name: str, api_page: _ApiPage) -> None:
    anchor = f"{home_of(name)}.{name}"
    assert api_page.documented.count(anchor) == 1, f"{anchor} is not documented on api.html"


def test_each_group_opens_with_a_summary_table_of_its_names(api_page: _ApiPage) -> None:
    """One table per group, in the page's order, and no other."""
    tables = [[link.rsplit(".", 1)[-1] for link in table] for table in api_page.tables]
    assert len(tables) == len(GROUPS)
    for (group, names), table in zip(GROUPS.items(), tables, strict=True):
        assert table == list(names), group


def test_the_site_figures_page_opens_with_a_table_of_every_figure(figures_page: _ApiPage) -> None:
    tables = [[link.rsplit(".", 1)[-1] for link in table] for table in figures_page.tables]
    assert len(tables) == 1
    assert sorted(tables[0]) == sorted(n for n in figures.__all__ if not n.isupper())


def test_the_learners_page_documents_no_site_figure(api_page: _ApiPage) -> None:
    assert not [a for a in api_page.documented if a.startswith("lecturelib.figures.")]


@pytest.mark.parametrize("page", ["api_page", "figures_page"])
def test_summary_links_point_at_documented_objects(
    page: str, request: pytest.FixtureRequest
) -> None:
    parsed: _ApiPage = request.getfixturevalue(page)
    documented = set(parsed.documented)
    for table in parsed.tables:
        for link in table:
            assert link in documented, link


@pytest.mark.parametrize("name", figures.__all__)
def test_every_site_figure_is_documented_on_its_page(name: str, figures_page: _ApiPage) -> None:
    value = getattr(figures, name)
    module = getattr(value, "__module__", None)
    if module is None or not inspect.isfunction(value):  # a constant of one page's figure
        module = next(
            f"lecturelib.figures.{m}"
            for m in ("overview", "linear_model", "gradient_descent", "sgd")
            if name in getattr(figures, m).__all__
        )
    assert f"{module}.{name}" in figures_page.documented
    assert module.startswith("lecturelib.figures.")
    assert len(documentation(module, name).split()) >= 3
