"""Tests of lecturelib.style: the font, the rcParams, no file written."""

from __future__ import annotations

import copy
import logging
import os
import shutil
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from lecturelib import style


def test_cjk_font_path_is_the_packaged_collection() -> None:
    path = style.cjk_font_path()
    assert path.is_file()
    assert path.suffix.lower() == ".ttc"


def test_use_style_registers_noto_sans_cjk_sc_once() -> None:
    style.use_style()
    style.use_style()
    names = [f.name for f in font_manager.fontManager.ttflist]
    assert "Noto Sans CJK SC" in names
    registered = [
        f
        for f in font_manager.fontManager.ttflist
        if f.name == "Noto Sans CJK SC" and Path(f.fname) == style.cjk_font_path()
    ]
    assert len(registered) == 1
    found = font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    assert Path(found) == style.cjk_font_path().resolve()  # findfont returns a real path


def test_use_style_sets_the_documented_rcparams() -> None:
    applied = style.use_style()
    rc = matplotlib.rcParams
    assert rc["font.family"] == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert rc["axes.unicode_minus"] is True
    assert rc["figure.dpi"] == style.FIGURE_DPI == 100
    assert rc["savefig.dpi"] == style.SAVEFIG_DPI == 144
    assert rc["figure.facecolor"] == "white"
    assert rc["savefig.transparent"] is False
    assert rc["axes.spines.top"] is False
    assert rc["axes.spines.right"] is False
    assert rc["savefig.bbox"] == "tight"
    assert applied["figure.figsize"] == (6.4, 4.0)
    cycle = [c["color"] for c in rc["axes.prop_cycle"]]
    assert cycle[:3] == [style.COLORS["gd"], style.COLORS["model"], style.COLORS["minibatch"]]


def test_colors_name_every_concept_used_by_the_plots() -> None:
    for key in ("data", "model", "gd", "sgd", "minibatch", "highlight", "grad", "learned"):
        assert matplotlib.colors.is_color_like(style.COLORS[key])
    with pytest.raises(TypeError):
        style.COLORS["data"] = "red"  # type: ignore[index]
    with pytest.raises(TypeError):
        style.COLORS["new"] = "red"  # type: ignore[index]


def test_use_style_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watched = [tmp_path, Path(matplotlib.get_configdir()), Path(matplotlib.get_cachedir())]
    before = {p: sorted(os.listdir(p)) if p.exists() else None for p in watched}
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    real_open = open

    def spy(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if any(flag in mode for flag in "wax+"):
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", spy)
    style.use_style()
    monkeypatch.undo()
    assert opened == []
    after = {p: sorted(os.listdir(p)) if p.exists() else None for p in watched}
    assert after == before


def test_chinese_and_minus_render_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    style.use_style()
    fig, ax = plt.subplots()
    try:
        ax.plot([-2.0, 1.0], [-1.0, 3.0])
        ax.set_title("梯度下降、随机梯度下降、小批量、鞍点、维度诅咒")
        ax.set_xlabel("轮次 epoch，学习率 α = −0.5，ŷ = x·w，w₁ w₂ 10⁴")
        ax.set_ylabel(r"$\hat y = x\,w$")
        with caplog.at_level(logging.WARNING), warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.canvas.draw()
        assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    finally:
        plt.close(fig)


def test_the_chinese_text_uses_the_cjk_face_and_latin_uses_dejavu() -> None:
    style.use_style()
    from matplotlib.font_manager import FontProperties, fontManager

    fonts = fontManager._find_fonts_by_props(
        FontProperties(family=matplotlib.rcParams["font.family"])
    )
    assert Path(fonts[0]) == (BUNDLED / "DejaVuSans.ttf").resolve()  # matplotlib's own copy
    assert Path(fonts[1]) == style.cjk_font_path().resolve()


# --- fonts are pinned to lecturelib's files, whatever fonts the system has ------------------------

BUNDLED = Path(matplotlib.get_data_path(), "fonts", "ttf")


def _private_manager() -> font_manager.FontManager:
    """A copy of the global font manager with its own font list (the global one is untouched)."""
    manager = copy.copy(font_manager.fontManager)
    manager.ttflist = list(font_manager.fontManager.ttflist)
    return manager


def _resolve(manager: font_manager.FontManager, family: str, weight: str = "normal") -> Path:
    """The file ``manager`` picks for ``family`` (a real path, as matplotlib returns it)."""
    prop = font_manager.FontProperties(family=family, weight=weight)
    return Path(manager.findfont(prop, fallback_to_default=False, rebuild_if_missing=False))


def _add_decoy(manager: font_manager.FontManager, decoy: Path, *, first: bool) -> None:
    """Register ``decoy`` like a system font: first in the list (scanned before) or last."""
    manager.addfont(str(decoy))
    mine = [e for e in manager.ttflist if Path(e.fname) == decoy]
    rest = [e for e in manager.ttflist if Path(e.fname) != decoy]
    manager.ttflist = mine + rest if first else rest + mine
    manager._findfont_cached.cache_clear()


@pytest.mark.parametrize("system_copy", ["first", "last", "absent"])
def test_chinese_resolves_to_the_packaged_collection_whatever_the_system_has(
    tmp_path: Path, system_copy: str
) -> None:
    """A same-named system Noto Sans CJK (Debian's fonts-noto-cjk) is never chosen; nor absent."""
    manager = _private_manager()
    packaged = style.cjk_font_path().resolve()
    # start from a system without any Noto Sans CJK SC (the CI machine) ...
    manager.ttflist = [
        e
        for e in manager.ttflist
        if e.name != style.CJK_FONT_NAME and Path(e.fname) != style.cjk_font_path()
    ]
    if system_copy != "absent":  # ... then install a decoy system copy of the same family
        decoy = tmp_path / "NotoSansCJK-Regular.ttc"
        shutil.copyfile(packaged, decoy)
        _add_decoy(manager, decoy, first=system_copy == "first")
        if system_copy == "first":  # what matplotlib alone picks
            assert _resolve(manager, style.CJK_FONT_NAME) == decoy.resolve()
    style._register_fonts(manager)
    assert _resolve(manager, style.CJK_FONT_NAME) == packaged
    assert _resolve(manager, style.CJK_FONT_NAME, "bold") == packaged  # no system bold either
    assert _resolve(manager, "Noto Sans CJK JP") == packaged
    entries = list(manager.ttflist)
    style._register_fonts(manager)  # idempotent: nothing added or removed the second time
    assert manager.ttflist == entries


def test_latin_resolves_to_matplotlibs_own_dejavu_even_with_a_system_copy_first(
    tmp_path: Path,
) -> None:
    manager = _private_manager()
    decoy = tmp_path / "DejaVuSans.ttf"
    shutil.copyfile(BUNDLED / "DejaVuSans.ttf", decoy)
    _add_decoy(manager, decoy, first=True)
    assert _resolve(manager, "DejaVu Sans") == decoy.resolve()  # what matplotlib alone picks
    style._register_fonts(manager)
    bundled = BUNDLED.resolve()
    assert _resolve(manager, "DejaVu Sans") == bundled / "DejaVuSans.ttf"
    assert _resolve(manager, "DejaVu Sans", "bold") == bundled / "DejaVuSans-Bold.ttf"
    assert _resolve(manager, "DejaVu Sans Mono") == bundled / "DejaVuSansMono.ttf"


def test_pinning_keeps_other_system_families() -> None:
    manager = _private_manager()
    before = {e.name for e in manager.ttflist}
    style._register_fonts(manager)
    assert {e.name for e in manager.ttflist} == before | {
        e.name for e in manager.ttflist if Path(e.fname) == style.cjk_font_path()
    }


def test_use_style_pins_the_global_font_manager() -> None:
    """On this machine (which may have Debian's fonts-noto-cjk and fonts-dejavu) and on CI."""
    style.use_style()
    chosen = {
        Path(e.fname)
        for e in font_manager.fontManager.ttflist
        if e.name in (style.CJK_FONT_NAME, "DejaVu Sans")
    }
    assert chosen <= {style.cjk_font_path(), *BUNDLED.iterdir()}


def test_inline_backend_is_configured_only_inside_a_kernel() -> None:
    # outside IPython nothing is imported or configured
    assert style._ipython_kernel() is None


def _line_figure() -> matplotlib.figure.Figure:
    fig, ax = plt.subplots(figsize=(4.0, 3.0))
    ax.plot([0, 1, 2], [0, 1, 4], label="代价 cost")
    ax.legend()
    return fig


def test_figure_png_is_a_palette_png_at_the_requested_resolution() -> None:
    import io

    from PIL import Image

    style.use_style()
    fig = _line_figure()
    try:
        data = style.figure_png(fig, dpi=100)
        raw = io.BytesIO()
        fig.savefig(raw, format="png", dpi=100, bbox_inches="tight")
    finally:
        plt.close(fig)
    with Image.open(io.BytesIO(data)) as img, Image.open(io.BytesIO(raw.getvalue())) as ref:
        assert img.format == "PNG"
        assert img.mode == "P"
        assert img.size == ref.size  # same pixels, only the encoding differs
        assert len(img.getcolors(maxcolors=256) or []) <= style.PNG_COLORS
    assert len(data) < len(raw.getvalue())


@pytest.mark.parametrize("colors", [1, 257])
def test_figure_png_rejects_a_palette_size_out_of_range(colors: int) -> None:
    fig = _line_figure()
    try:
        with pytest.raises(ValueError, match="colors"):
            style.figure_png(fig, colors=colors)
    finally:
        plt.close(fig)


def test_inline_figures_in_a_kernel_are_palette_pngs() -> None:
    """In a real Jupyter kernel, use_style() makes a cell's figure a palette PNG."""
    import base64
    import io

    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from PIL import Image

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nimport lecturelib as ll\nll.use_style()\n"
            "fig, ax = plt.subplots()\nax.plot([1, 2, 3])\nax.set_title('梯度下降')"
        )
    ]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    pngs = [
        o["data"]["image/png"]
        for o in nb.cells[0].outputs
        if o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(pngs) == 1
    with Image.open(io.BytesIO(base64.b64decode(pngs[0]))) as img:
        assert img.mode == "P"
    assert not [o for o in nb.cells[0].outputs if o.get("name") == "stderr"]


def test_a_cell_ending_with_a_plot_shows_it_once_without_pyplot() -> None:
    """In a real kernel, a cell ending with the returned Axes (or ``ax.figure``) shows one PNG.

    The PNG is exactly ``figure_png`` of the figure, and pyplot has no open figure afterwards.
    """
    import base64
    import hashlib

    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    digest = "import hashlib\nprint(hashlib.sha256(style.figure_png({})).hexdigest())"
    cells = [
        # no use_style() yet: the first plot call registers the display formatters (Latin
        # labels only: without the style there is no Chinese font)
        "import lecturelib as ll\nax = ll.plot_cost_history([4.0, 1.0, 0.25])\n"
        "ax.set_xlabel('epoch')\nax.set_ylabel('cost')\nax",
        "from lecturelib import figures, style\nll.use_style()\n"
        "ax = ll.plot_data_and_guesses(ll.X_DATA, ll.Y_DATA, [1.0, 3.0])\nax",
        digest.format("ax.figure"),
        "ax.set_title('图')\nax.figure",
        digest.format("ax.figure"),
        "figures.diagram_ml_pipeline()",
        "ll.plot_cost_surface([0.0, 1.0], [0.0, 1.0], [[1.0, 2.0], [3.0, 4.0]])",
        "import matplotlib.pyplot as plt\nprint(len(plt.get_fignums()))",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()

    def pngs(k: int) -> list[bytes]:
        return [
            base64.b64decode(o["data"]["image/png"])
            for o in nb.cells[k].outputs
            if "image/png" in o.get("data", {})
        ]

    def printed(k: int) -> str:
        return "".join(o.get("text", "") for o in nb.cells[k].outputs if o.get("name") == "stdout")

    for k in (0, 1, 3, 5, 6):
        assert len(nb.cells[k].outputs) == 1, cells[k]
        assert len(pngs(k)) == 1, cells[k]
    assert hashlib.sha256(pngs(1)[0]).hexdigest() == printed(2).strip()
    assert hashlib.sha256(pngs(3)[0]).hexdigest() == printed(4).strip()
    assert pngs(1) != pngs(3)  # the title changed the figure
    assert printed(7).strip() == "0"
    assert not [o for c in nb.cells for o in c.outputs if o.get("name") == "stderr"]


def test_a_cell_ending_with_an_axes_of_a_pyplot_figure_shows_it_once() -> None:
    """``ll.plot_…(ax=ax)`` with ``ax`` from ``plt.subplots()`` as a cell's last expression.

    pyplot's inline backend shows that figure at the end of the cell; lecturelib's Axes formatter
    must not show it a second time.
    """
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nimport lecturelib as ll\nll.use_style()\n"
            "fig, ax = plt.subplots()\nll.plot_cost_history([4.0, 1.0, 0.25], ax=ax)"
        )
    ]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    pngs = [o for o in nb.cells[0].outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1
