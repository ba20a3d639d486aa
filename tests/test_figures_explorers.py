"""Tests of lecturelib.figures.explorers and its mechanism (lecturelib.figures._explorer).

The tables an explorer sends to the browser are decoded here the way ``_static/explorers.js``
decodes them (an independent decoder, not lecturelib's), and compared point by point with
runs of lecturelib's own functions made here, or with closed forms.
"""

from __future__ import annotations

import base64
import json
import math
import re
from functools import cache
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest
from site_contract import docs_extension

import lecturelib as ll
from lecturelib.figures import _explorer as mech
from lecturelib.figures import explorers as E

X, Y = np.array(ll.X_DATA), np.array(ll.Y_DATA)


# -- the page data and the explorers, built once --------------------------------------------------


def ewma_series() -> np.ndarray:
    """The noisy series of lecture 3's img-19, made as the page makes it."""
    x_big, y_big = ll.make_linear_data(256, seed=0)
    run = ll.sgd(x_big, y_big, lr=0.01, epochs=2, batch_size=1)
    used = np.arange(run.updates) % x_big.size
    return np.asarray(ll.loss(x_big[used], y_big[used], run.w[:-1]))


def sgd_data() -> tuple[np.ndarray, np.ndarray]:
    """Lecture 4's 256 samples."""
    return ll.make_linear_data(256, w=2.0, noise=1.0, seed=0)


@cache
def built(name: str) -> mech.Explorer:
    makers = {
        "cost-w": E.explorer_cost_w,
        "cost-wb": E.explorer_cost_wb,
        "gd-lr": E.explorer_gd_lr,
        "ewma": lambda: E.explorer_ewma(ewma_series()),
        "sgd-batch": lambda: E.explorer_sgd_batch(*sgd_data()),
    }
    return makers[name]()


@cache
def table(name: str) -> dict[str, Any]:
    """The JSON inside the explorer's HTML, as the browser reads it."""
    html = built(name).html()
    found = re.search(r'<script type="application/json" class="explorer-data">(.*?)</script>', html)
    assert found is not None
    return dict(json.loads(found.group(1).replace("<\\/", "</")))


NAMES = ("cost-w", "cost-wb", "gd-lr", "ewma", "sgd-batch")


# -- a decoder written like the script's ----------------------------------------------------------


def js_decode(info: dict[str, Any], b64: str) -> np.ndarray:
    raw = base64.b64decode(b64)
    wide = info["b"] == 16
    codes = (
        [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw), 2)]
        if wide
        else list(raw)
    )
    top = 2 ** info["b"] - 2
    return np.array(
        [math.nan if q > top else info["lo"] + q * (info["hi"] - info["lo"]) / top for q in codes]
    )


def js_floats(b64: str) -> list[float]:
    raw = base64.b64decode(b64)
    return [float(np.frombuffer(raw[i : i + 8], "<f8")[0]) for i in range(0, len(raw), 8)]


def readout(name: str, key: str) -> list[Any]:
    r = next(r for r in table(name)["readouts"] if r["name"] == key)
    if r["kind"] == "float":
        return js_floats(r["d"])
    if r["kind"] == "int":
        return list(r["values"])
    return [r["keys"][i] for i in r["values"]]


def series(name: str, panel: int, index: int) -> dict[str, Any]:
    return dict(table(name)["panels"][panel]["series"][index])


def block(s: dict[str, Any], key: str, state: int, states: int) -> np.ndarray:
    """One state's values of a block coordinate (fixed or one slice per state)."""
    values = js_decode(s[key], s[key]["d"])
    if not s[key]["per_state"]:
        return values
    k = values.size // states
    return values[state * k : (state + 1) * k]


def xy(s: dict[str, Any], state: int) -> np.ndarray:
    """One state's thinned points ``(k, 2)`` (NaN rows are gaps)."""
    codes = js_decode({"b": 16, "lo": 0.0, "hi": 65534.0}, s["xy"]["d"][state]).reshape(-1, 2)
    out = np.empty_like(codes)
    for j, key in enumerate("xy"):
        info = s["xy"][key]
        out[:, j] = info["lo"] + codes[:, j] * (info["hi"] - info["lo"]) / 65534
    return out


def step(info: dict[str, Any]) -> float:
    """Half the quantisation step of a table (plus float slack)."""
    return (info["hi"] - info["lo"]) / (2 ** info["b"] - 2) / 2 * 1.000001


def close_as_drawn(decoded: np.ndarray, exact: np.ndarray, info: dict[str, Any]) -> None:
    """Decoded codes equal ``exact`` to half a step; 8-bit codes are clamped to their range."""
    want = np.asarray(exact, dtype=float)
    if info["b"] == 8:
        want = np.where(np.isfinite(want), np.clip(want, info["lo"], info["hi"]), want)
    else:
        want = np.where((want < info["lo"]) | (want > info["hi"]), np.nan, want)
    assert decoded.shape == want.shape
    np.testing.assert_array_equal(np.isnan(decoded), np.isnan(want))
    ok = ~np.isnan(want)
    assert np.all(np.abs(decoded[ok] - want[ok]) <= step(info))


def thinned_matches(
    points: np.ndarray, xs: np.ndarray, ys: np.ndarray, s: dict[str, Any], panel: dict[str, Any]
) -> None:
    """Kept points are the run's own points, in order, to half a step; every point of the run
    inside the coded range is drawn within the tolerance of the thinning."""
    px, py = step(s["xy"]["x"]), step(s["xy"]["y"])
    inside = (
        np.isfinite(xs)
        & np.isfinite(ys)
        & (xs >= s["xy"]["x"]["lo"])
        & (xs <= s["xy"]["x"]["hi"])
        & (ys >= s["xy"]["y"]["lo"])
        & (ys <= s["xy"]["y"]["hi"])
    )
    kept = points[~np.isnan(points[:, 0])]
    cursor = 0
    for x, y in kept:  # each kept point is the next matching point of the run
        while cursor < xs.size and not (
            inside[cursor] and abs(xs[cursor] - x) <= px and abs(ys[cursor] - y) <= py
        ):
            cursor += 1
        assert cursor < xs.size, f"decoded point ({x}, {y}) is not a point of the run"
        cursor += 1
    # every drawable point of the run is near the drawing (in pixels of the nominal plot)
    w, h = mech.PLOT_SIZE
    sx = w / (panel["x"]["hi"] - panel["x"]["lo"])
    sy = h / (panel["y"]["hi"] - panel["y"]["lo"])
    drawn = np.column_stack([kept[:, 0] * sx, kept[:, 1] * sy])
    for x, y in zip(xs[inside] * sx, ys[inside] * sy, strict=True):
        if s["kind"] == "line" and len(drawn) > 1:
            a, b = drawn[:-1], drawn[1:]
            d = b - a
            t = np.clip(
                ((x - a[:, 0]) * d[:, 0] + (y - a[:, 1]) * d[:, 1])
                / np.maximum((d**2).sum(axis=1), 1e-300),
                0.0,
                1.0,
            )
            gap = np.hypot(a[:, 0] + t * d[:, 0] - x, a[:, 1] + t * d[:, 1] - y).min()
            assert gap <= mech.LINE_TOLERANCE + 0.01
        else:
            gap = np.hypot(drawn[:, 0] - x, drawn[:, 1] - y).min()
            assert gap <= mech.POINT_TOLERANCE + 0.01


def lecture_cost(x: np.ndarray, y: np.ndarray, w: float, b: float = 0.0) -> float:
    """The lecture's loop: the mean of (x·w + b − y)² over the samples."""
    return sum((xn * w + b - yn) ** 2 for xn, yn in zip(x, y, strict=True)) / len(x)


# -- the tables are lecturelib's results, point by point ------------------------------------------


def test_cost_w_tables_equal_the_lecture_loop() -> None:
    e = built("cost-w")
    ws = [p["w"] for p in e.positions()]
    assert ws == [round(0.05 * k, 12) for k in range(81)]
    assert readout("cost-w", "cost") == pytest.approx(
        [lecture_cost(X, Y, w) for w in ws], rel=1e-12
    )
    stems, line = series("cost-w", 0, 0), series("cost-w", 0, 1)
    for state, w in enumerate(ws):
        close_as_drawn(block(stems, "y", state, e.states), X * w, stems["y"])
        close_as_drawn(block(line, "y", state, e.states), np.array([0.0, 3.5 * w]), line["y"])
    close_as_drawn(block(stems, "base", 0, e.states), Y, stems["base"])
    point = series("cost-w", 1, 1)
    for state, w in enumerate(ws):
        close_as_drawn(
            block(point, "y", state, e.states), np.array([lecture_cost(X, Y, w)]), point["y"]
        )


def test_cost_wb_tables_equal_the_lecture_loop() -> None:
    e = built("cost-wb")
    pairs = [(p["w"], p["b"]) for p in e.positions()]
    assert len(pairs) == 41 * 41
    assert pairs[1] == (0.0, -1.9)  # b moves fastest
    want = [lecture_cost(X, Y, w, b) for w, b in pairs]
    assert readout("cost-wb", "cost") == pytest.approx(want, rel=1e-12, abs=1e-15)
    stems, point = series("cost-wb", 1, 0), series("cost-wb", 0, 2)
    for state in range(0, e.states, 37):
        w, b = pairs[state]
        close_as_drawn(block(stems, "y", state, e.states), X * w + b, stems["y"])
        close_as_drawn(block(point, "x", state, e.states), np.array([w]), point["x"])
        close_as_drawn(block(point, "y", state, e.states), np.array([b]), point["y"])


def test_cost_wb_contours_are_level_sets_of_the_cost() -> None:
    contour = series("cost-wb", 0, 0)
    w = js_decode(contour["x"], contour["x"]["d"])
    b = js_decode(contour["y"], contour["y"]["d"])
    ok = ~np.isnan(w)
    costs = np.array([lecture_cost(X, Y, wi, bi) for wi, bi in zip(w[ok], b[ok], strict=True)])
    levels = np.array([0.1, 0.3, 1.0, 3.0, 10.0, 30.0])
    nearest = levels[np.argmin(np.abs(np.log(costs[:, None] / levels[None, :])), axis=1)]
    assert np.all(np.abs(costs / nearest - 1) < 0.02)  # on a level, to the grid's resolution
    assert set(nearest) == set(levels)


def q_of(lr: float) -> float:
    """The factor of the lecture's closed form w_k - 2 = (w0 - 2) q^k."""
    return 1 - 2 * lr * float(np.mean(X**2))


def test_gd_lr_tables_equal_gradient_descent() -> None:
    e = built("gd-lr")
    grid = [(p["lr"], p["w0"]) for p in e.positions()]
    assert sorted({lr for lr, _ in grid}) == [round(0.001 + 0.003 * k, 12) for k in range(84)]
    runs = [ll.gradient_descent(X, Y, w0=w0, lr=lr, epochs=100) for lr, w0 in grid]
    assert readout("gd-lr", "w_final") == [float(r.w[-1]) for r in runs]
    assert readout("gd-lr", "cost_final") == [float(r.cost[-1]) for r in runs]
    assert readout("gd-lr", "epochs_run") == [r.cost.size - 1 for r in runs]
    panels = table("gd-lr")["panels"]
    path, per_epoch = panels[0]["series"][1], panels[1]["series"][0]
    for state, run in enumerate(runs):
        thinned_matches(xy(path, state), run.w, run.cost, path, panels[0])
        with np.errstate(divide="ignore"):
            logs = np.log10(run.cost)
        k = np.arange(run.cost.size, dtype=float)
        thinned_matches(xy(per_epoch, state), k, logs, per_epoch, panels[1])


def test_gd_lr_closed_form_agrees_with_its_readouts() -> None:
    """w_100 = 2 + (w0 - 2) q^100 wherever the run did not stop early (an independent check)."""
    e = built("gd-lr")
    finals = readout("gd-lr", "w_final")
    epochs = readout("gd-lr", "epochs_run")
    for p, w, n in zip(e.positions(), finals, epochs, strict=True):
        if n == 100:
            want = 2 + (p["w0"] - 2) * q_of(p["lr"]) ** 100
            assert w == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_verdicts_follow_the_sign_and_size_of_q() -> None:
    e = built("gd-lr")
    verdicts = readout("gd-lr", "verdict")
    for p, verdict in zip(e.positions(), verdicts, strict=True):
        q = q_of(p["lr"])
        want = "不动" if p["w0"] == 2.0 else "发散" if abs(q) > 1 else "振荡" if q < 0 else "收敛"
        assert verdict == want, p


@pytest.mark.parametrize("w0", [0.0, 1.0, 3.0, 4.0, -7.5])
def test_verdicts_describe_the_runs(w0: float) -> None:
    """收敛: one side, shrinking; 振荡: alternating sides, shrinking; 发散: growing."""
    for lr in [round(0.001 + 0.003 * k, 12) for k in range(84)] + [0.3, 0.5]:
        err = ll.gradient_descent(X, Y, w0=w0, lr=lr, epochs=30).w - 2.0
        verdict = E.gd_verdict(X, Y, lr=lr, w0=w0)
        size = np.abs(err[err != 0])
        signs = np.sign(err[err != 0])
        if verdict == "发散":
            assert np.all(np.diff(size) > 0), lr
        else:
            assert np.all(np.diff(size) <= 0), lr
            alternating = np.all(signs[1:] == -signs[:-1])
            assert alternating if verdict == "振荡" else np.all(signs == signs[0]), lr


def test_verdict_at_the_optimum_is_still() -> None:
    assert E.gd_verdict(X, Y, lr=0.25, w0=2.0) == "不动"
    assert E.gd_verdict(X, Y, lr=0.25, w0=2.5) == "发散"


def test_verdict_exactly_at_the_threshold_swings_for_ever() -> None:
    """α = α* = 1 / mean(x²): q = −1, w jumps between w0 and 2·2 − w0 (exercise 3 of page 03)."""
    lr = 1 / float(np.mean(X**2))
    assert E.gd_verdict(X, Y, lr=lr, w0=1.0) == "等幅"
    assert lr == ll.gd_lr_threshold(X)
    w = ll.gradient_descent(X, Y, w0=1.0, lr=lr, epochs=40).w
    np.testing.assert_allclose(np.abs(w - 2.0), 1.0, rtol=1e-9)
    assert np.all(np.sign(w[1:] - 2.0) == -np.sign(w[:-1] - 2.0))
    assert set(E.GD_VERDICTS) == {"收敛", "振荡", "等幅", "发散", "不动"}


def test_ewma_tables_equal_the_lecture_recursion() -> None:
    raw = ewma_series()
    e = built("ewma")
    betas = [p["beta"] for p in e.positions()]
    assert betas == [round(0.01 * k, 12) for k in range(1, 51)]
    smooth_by_hand = []
    for beta in betas:  # C'_0 = C_0, C'_i = beta C_i + (1 - beta) C'_{i-1}
        out = [float(raw[0])]
        for c in raw[1:]:
            out.append(beta * float(c) + (1 - beta) * out[-1])
        smooth_by_hand.append(np.array(out))
    spreads = readout("ewma", "spread")
    assert spreads == pytest.approx([float(np.std(np.diff(s))) for s in smooth_by_hand], rel=1e-9)
    line = series("ewma", 0, 1)
    for state, smooth in enumerate(smooth_by_hand):
        close_as_drawn(block(line, "y", state, e.states), smooth, line["y"])
    rawline = series("ewma", 0, 0)
    close_as_drawn(block(rawline, "y", 0, e.states), raw, rawline["y"])


def test_sgd_batch_tables_equal_sgd() -> None:
    x, y = sgd_data()
    e = built("sgd-batch")
    grid = [(int(p["batch_size"]), p["shuffle"]) for p in e.positions()]
    assert grid[:3] == [(1, False), (1, True), (2, False)]
    assert len(grid) == 512
    w_star = float(np.sum(x * y) / np.sum(x * x))
    cost_star = ll.cost(x, y, w_star)
    costs, updates = readout("sgd-batch", "cost_final"), readout("sgd-batch", "updates")
    excess_final = readout("sgd-batch", "excess_final")
    per_epoch = readout("sgd-batch", "updates_per_epoch")
    by_epoch = series("sgd-batch", 0, 0)
    for state in [0, 1, 62, 63, 200, 511, *range(2, 512, 41)]:
        b, shuffle = grid[state]
        run = ll.sgd(x, y, lr=0.01, epochs=20, batch_size=b, shuffle=shuffle, seed=0)
        assert costs[state] == run.cost[-1]
        assert excess_final[state] == pytest.approx(run.cost[-1] - cost_star, rel=1e-9, abs=1e-15)
        assert updates[state] == 20 * math.ceil(256 / b) == run.w.size - 1
        assert per_epoch[state] == math.ceil(256 / b)
        with np.errstate(divide="ignore", invalid="ignore"):
            close_as_drawn(
                block(by_epoch, "y", state, e.states), np.log10(run.cost - cost_star), by_epoch["y"]
            )


def test_sgd_batch_by_update_is_the_cost_after_that_many_updates() -> None:
    x, y = sgd_data()
    e = built("sgd-batch")
    s = series("sgd-batch", 1, 0)
    # the documented grid: about 60 update counts spaced evenly on the log axis, 1 to 20·256
    counts = np.unique(np.rint(np.logspace(0.0, math.log10(20 * 256), 60)).astype(int))
    close_as_drawn(block(s, "x", 0, e.states), np.log10(counts), s["x"])
    cost_star = ll.cost(x, y, float(np.sum(x * y) / np.sum(x * x)))
    run = ll.sgd(x, y, lr=0.01, epochs=20, batch_size=32, shuffle=True, seed=0)
    state = e.state(batch_size=32.0, shuffle=True)
    want = np.full(counts.size, np.nan)
    done = counts <= run.updates
    want[done] = [np.log10(lecture_cost(x, y, run.w[c]) - cost_star) for c in counts[done]]
    close_as_drawn(block(s, "y", state, e.states), want, s["y"])


# -- the markup contract --------------------------------------------------------------------------


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "label":
            self._label = a.get("for", "")
            self.labels[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[self._label] += data


@pytest.mark.parametrize("name", NAMES)
def test_markup_contract(name: str) -> None:
    e = built(name)
    page = _Markup()
    page.feed(e.html())
    roots = [a for tag, a in page.elements if "data-explorer" in a]
    assert len(roots) == 1
    assert roots[0]["data-explorer"] == name
    assert "hidden" in roots[0]  # shown by the script; the PNG stands in without it
    inputs = [a for tag, a in page.elements if tag == "input"]
    assert [a["name"] for a in inputs] == [c.name for c in e.controls]
    for a, c in zip(inputs, e.controls, strict=True):
        label = page.labels[a["id"]]
        assert re.search(r"[\u4e00-\u9fff]", label), label  # a visible Chinese label
        if isinstance(c, mech.Slider):
            assert a["type"] == "range"
            lo, hi, st = float(a["min"]), float(a["max"]), float(a["step"])
            positions = [round(lo + k * st, 12) for k in range(round((hi - lo) / st) + 1)]
            assert positions == list(c.values)  # the browser stops only where a state was computed
            assert float(a["value"]) == c.default
        else:
            assert a["type"] == "checkbox"
            assert ("checked" in a) == c.default
    outputs = [a for tag, a in page.elements if tag == "output"]
    assert [a["name"] for a in outputs] == [r.name for r in e.readouts]
    for a, r in zip(outputs, e.readouts, strict=True):
        assert re.search(r"[\u4e00-\u9fff]", page.labels[a["id"]])
        value = r.values[e.default]
        if r.kind == "float":
            assert a["data-value"] == repr(float(value))
    svgs = [a for tag, a in page.elements if tag == "svg"]
    assert len(svgs) == len(e.panels)
    assert all(a["role"] == "img" for a in svgs)
    assert all(a["aria-label"] for a in svgs)


def test_fixed_settings_are_data_attributes() -> None:
    assert 'data-epochs="100"' in built("gd-lr").html()
    assert 'data-n="3"' in built("gd-lr").html()
    assert 'data-n="256"' in built("sgd-batch").html()
    assert 'data-epochs="20"' in built("sgd-batch").html()
    assert 'data-n="512"' in built("ewma").html()


def test_mimebundle_has_the_html_and_the_png_of_the_default_state(
    styled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LECTURELIB_PDF_FIGURES", raising=False)
    e = built("cost-w")
    bundle = e._repr_mimebundle_()
    assert set(bundle) == {mech.MIME_TYPE, "image/png", "text/plain"}
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == e.png()
    assert bundle[mech.MIME_TYPE] == e.html()
    assert "cost-w" in bundle["text/plain"]
    assert "81 states" in bundle["text/plain"]


def test_mimebundle_for_the_pdf_edition_adds_a_vector_copy_of_the_default_state(
    styled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's build sets LECTURELIB_PDF_FIGURES=1: the book prints the explorer as a vector
    figure, the same on every build (no creation date), and the web still gets the same PNG."""
    monkeypatch.setenv("LECTURELIB_PDF_FIGURES", "1")
    e = built("gd-lr")
    bundle = e._repr_mimebundle_()
    assert set(bundle) == {mech.MIME_TYPE, "image/png", "application/pdf", "text/plain"}
    pdf = base64.b64decode(bundle["application/pdf"])
    assert pdf.startswith(b"%PDF-")
    assert b"CreationDate" not in pdf
    assert base64.b64decode(e._repr_mimebundle_()["application/pdf"]) == pdf
    assert base64.b64decode(bundle["image/png"]) == e.png()


def test_the_site_extension_renders_the_same_mime_type() -> None:
    ext = docs_extension("explorers")
    assert ext.MIME_TYPE == mech.MIME_TYPE


def test_output_is_deterministic(styled: None) -> None:
    assert E.explorer_cost_w().html() == E.explorer_cost_w().html()
    assert E.explorer_cost_w().png() == E.explorer_cost_w().png()


@pytest.mark.parametrize("name", NAMES)
def test_static_figure_renders_without_warnings(name: str, styled: None) -> None:
    png = built(name).png()
    assert png.startswith(b"\x89PNG")
    assert 5_000 < len(png) < 150_000


# -- numbers for people ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.0, 4, "0"),
        (4.666666666666667, 4, "4.667"),
        (2.0, 4, "2.000"),
        (0.010, 3, "0.0100"),
        (1234.5, 4, "1235"),
        (-0.5, 2, "−0.50"),
        (1.4409e-8, 4, "1.441 × 10⁻⁸"),
        (4.5e25, 3, "4.50 × 10²⁵"),
        (99999.6, 4, "1.000 × 10⁵"),
        (0.00099996, 3, "0.00100"),
        (0.000999, 3, "9.99 × 10⁻⁴"),
        (0.125, 2, "0.13"),
    ],
)
def test_human(value: float, digits: int, text: str) -> None:
    assert mech.human(value, digits) == text


# -- bad input ------------------------------------------------------------------------------------


def test_slider_default_must_be_a_position() -> None:
    with pytest.raises(ValueError, match=r"'w': 0\.33 is not one of its positions"):
        mech.Slider("w", "权重", 0.0, 0.1, 41, 0.33)


def test_slider_needs_two_positions_and_a_positive_step() -> None:
    with pytest.raises(ValueError, match="count must be an integer >= 2"):
        mech.Slider("w", "权重", 0.0, 0.1, 1, 0.0)
    with pytest.raises(ValueError, match="step > 0"):
        mech.Slider("w", "权重", 0.0, 0.0, 3, 0.0)


def test_names_are_identifiers() -> None:
    with pytest.raises(ValueError, match="Slider name must be an ASCII identifier"):
        mech.Slider("学习率", "学习率", 0.0, 0.1, 3, 0.0)


def test_readouts_need_one_value_per_state() -> None:
    panel = built("cost-w").panels[1]
    slider = mech.Slider("w", "权重 w", 0.0, 0.05, 81, 3.0)
    with pytest.raises(ValueError, match="readout 'cost' has 2 values for 81 states"):
        mech.Explorer(
            "x", "x", (slider,), (mech.Readout("cost", "代价", (1.0, 2.0)),), (panel,), ""
        )


def test_unknown_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown colour 'purple'"):
        mech.Series("line", "purple", np.zeros(2), np.zeros(2))


def test_ewma_refuses_a_beta_off_the_slider_and_constant_values() -> None:
    with pytest.raises(ValueError, match="is not one of its positions"):
        E.explorer_ewma(ewma_series(), beta=0.055)
    with pytest.raises(ValueError, match="values must spread out"):
        E.explorer_ewma([0.0, 0.0, 0.0, 0.0])


def test_sgd_batch_needs_two_samples() -> None:
    with pytest.raises(ValueError, match="at least 2 samples"):
        E.explorer_sgd_batch([1.0], [2.0])


def test_sgd_batch_default_is_a_batch_of_the_data() -> None:
    """Seven samples and the default B = 32: the argument is named, not the slider's internals."""
    x = np.arange(1.0, 8.0)
    with pytest.raises(ValueError, match="batch_size must be <= 7, got 32"):
        E.explorer_sgd_batch(x, 2 * x)
    assert "7 batch_size" in repr(E.explorer_sgd_batch(x, 2 * x, epochs=2, batch_size=7))


def test_gd_verdict_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="lr must be > 0"):
        E.gd_verdict(X, Y, lr=0.0, w0=1.0)
    with pytest.raises(TypeError, match="w0 must be a real number"):
        E.gd_verdict(X, Y, lr=0.1, w0="1")


def test_lecturelib_decode_agrees_with_the_scripts_decoder() -> None:
    s = series("ewma", 0, 1)
    np.testing.assert_array_equal(mech.decode(s["y"], s["y"]["d"]), js_decode(s["y"], s["y"]["d"]))


def test_legend_keys_in_the_text_colour_take_it_from_the_page() -> None:
    """An ink key (the training data) takes its colour from the stylesheet: it follows dark mode."""
    html = built("cost-w").html()
    ink_keys = re.findall(r'<span class="explorer-key[^"]*"[^>]*data-ink="1"[^>]*>', html)
    assert ink_keys
    assert not [k for k in ink_keys if "--c:" in k], ink_keys
    assert re.search(r'<span class="explorer-key[^"]*" style="--c:#[0-9A-Fa-f]{6}"', html)
