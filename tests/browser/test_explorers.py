"""The explorers in headless Chromium: moved by script, mouse-free keyboard and a checkbox, their
numbers checked against lecturelib runs made here, drawn without errors, offline, and shown as
a static figure when JavaScript is off.

Each explorer is one ``[data-explorer]`` element (see lecturelib/figures/_explorer.py): native
``input`` controls whose ``value`` is the parameter, ``output`` elements whose ``data-value`` is
the Python ``repr`` of the number, SVG charts drawn by ``_static/explorers.js``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from page_watch import Watch

import lecturelib as ll

pytestmark = pytest.mark.browser

X, Y = np.array(ll.X_DATA), np.array(ll.Y_DATA)
PAGE = {
    "cost-w": "02-linear-model",
    "cost-wb": "02-linear-model",
    "gd-lr": "03-gradient-descent",
    "ewma": "03-gradient-descent",
    "sgd-batch": "04-sgd",
}
TIMEOUT_MS = 20_000


# -- what lecturelib says, computed here ----------------------------------------------------------


def _ewma_series() -> np.ndarray:
    """Lecture 3's noisy series (img-19), made as the page makes it."""
    x_big, y_big = ll.make_linear_data(256, seed=0)
    run = ll.sgd(x_big, y_big, lr=0.01, epochs=2, batch_size=1)
    used = np.arange(run.updates) % x_big.size
    return np.asarray(ll.loss(x_big[used], y_big[used], run.w[:-1]))


def _verdict(lr: float, w0: float) -> str:
    """From the closed form w_k − 2 = (w0 − 2) q^k, q = 1 − 2·lr·mean(x²)."""
    q = 1 - 2 * lr * float(np.mean(X**2))
    if w0 == 2.0:
        return "不动"
    return "发散" if abs(q) > 1 else "振荡" if q < 0 else "收敛"


def expected(name: str, v: dict[str, str], settings: dict[str, str]) -> dict[str, Any]:
    """The readouts of explorer ``name`` at control values ``v`` (the inputs' own strings)."""
    if name == "cost-w":
        return {"cost": ll.cost(X, Y, float(v["w"]))}
    if name == "cost-wb":
        return {"cost": ll.cost(X, Y, float(v["w"]), float(v["b"]))}
    if name == "gd-lr":
        lr, w0 = float(v["lr"]), float(v["w0"])
        run = ll.gradient_descent(X, Y, w0=w0, lr=lr, epochs=int(settings["epochs"]))
        return {
            "w_final": float(run.w[-1]),
            "cost_final": float(run.cost[-1]),
            "epochs_run": run.cost.size - 1,
            "verdict": _verdict(lr, w0),
        }
    if name == "ewma":
        return {"spread": float(np.std(np.diff(ll.ewma(_ewma_series(), float(v["beta"])))))}
    if name == "sgd-batch":
        x, y = ll.make_linear_data(int(settings["n"]), w=2.0, noise=1.0, seed=0)
        run = ll.sgd(
            x,
            y,
            lr=float(settings["lr"]),
            epochs=int(settings["epochs"]),
            batch_size=int(v["batch_size"]),
            shuffle=v["shuffle"] == "true",
            seed=int(settings["seed"]),
        )
        cost_star = ll.cost(x, y, float(np.sum(x * y) / np.sum(x * x)))  # at the least-squares w*
        return {
            "updates_per_epoch": math.ceil(x.size / int(v["batch_size"])),
            "updates": run.w.size - 1,
            "cost_final": float(run.cost[-1]),
            "excess_final": float(run.cost[-1] - cost_star),
        }
    raise KeyError(name)


#: Positions to move to, per explorer (each is set by script, then checked).
MOVES: dict[str, list[dict[str, str]]] = {
    "cost-w": [{"w": "0.55"}, {"w": "2"}, {"w": "4"}],
    "cost-wb": [
        {"w": "1.3", "b": "-0.7"},
        {"w": "0.7", "b": "-1.3"},
        {"w": "2", "b": "0"},
        {"w": "0", "b": "2"},
    ],
    "gd-lr": [
        {"lr": "0.214"},
        {"lr": "0.217", "w0": "3"},
        {"lr": "0.25", "w0": "0"},
        {"lr": "0.109", "w0": "4"},
        {"lr": "0.1", "w0": "2"},
    ],
    "ewma": [{"beta": "0.01"}, {"beta": "0.5"}, {"beta": "0.33"}],
    "sgd-batch": [{"batch_size": "1"}, {"batch_size": "256"}, {"batch_size": "100"}],
}


# -- the page -------------------------------------------------------------------------------------


@pytest.fixture
def open_explorer(browser: Any, server: str) -> Iterator[Callable[..., tuple[Any, Any, Watch]]]:
    """``open_explorer(name, **context) -> (page, element, watch)``."""
    contexts: list[Any] = []

    def make(name: str, **options: Any) -> tuple[Any, Any, Watch]:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(server).attach(page)
        page.goto(f"{server}/lectures/{PAGE[name]}.html", wait_until="load")
        page.wait_for_load_state("networkidle")
        return page, page.locator(f'[data-explorer="{name}"]'), watch

    yield make
    for context in contexts:
        context.close()


def settings_of(element: Any) -> dict[str, str]:
    attrs: dict[str, str] = element.evaluate("el => Object.fromEntries(Object.entries(el.dataset))")
    return attrs


def controls_of(element: Any) -> dict[str, str]:
    values: dict[str, str] = element.evaluate(
        """el => Object.fromEntries([...el.querySelectorAll('input')].map(i =>
             [i.name, i.type === 'checkbox' ? String(i.checked) : i.value]))"""
    )
    return values


def outputs_of(element: Any) -> dict[str, str]:
    values: dict[str, str] = element.evaluate(
        """el => Object.fromEntries([...el.querySelectorAll('output')].map(o =>
             [o.name, o.dataset.value]))"""
    )
    return values


def drawing_of(element: Any) -> str:
    d: str = element.evaluate(
        "el => [...el.querySelectorAll('svg path')].map(p => p.getAttribute('d')).join('|')"
    )
    return d


def set_value(element: Any, name: str, value: str) -> None:
    element.evaluate(
        """(el, [name, value]) => {
             const input = el.querySelector(`input[name="${name}"]`);
             input.value = value;
             input.dispatchEvent(new Event('input', {bubbles: true}));
           }""",
        [name, value],
    )


def assert_matches(name: str, element: Any) -> None:
    """The outputs equal lecturelib's numbers at the controls' current values."""
    shown = outputs_of(element)
    want = expected(name, controls_of(element), settings_of(element))
    assert set(shown) == set(want)
    for key, value in want.items():
        if isinstance(value, float):
            assert float(shown[key]) == pytest.approx(value, rel=1e-9, abs=0.0), key
            assert shown[key] == repr(value), key  # data-value is Python's repr of the float
        else:
            assert shown[key] == str(value), key


# -- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGE))
def test_explorer_is_drawn_offline_without_errors(name: str, open_explorer: Any) -> None:
    page, element, watch = open_explorer(name)
    assert element.count() == 1
    assert element.is_visible()
    assert element.locator("svg path").count() > 0
    assert_matches(name, element)  # the default state
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
    assert sum(src.split("?")[0].endswith("/_static/explorers.js") for src in scripts) == 1
    assert not watch.external
    assert not watch.errors


@pytest.mark.parametrize("name", sorted(PAGE))
def test_moving_a_control_updates_the_numbers_and_the_drawing(
    name: str, open_explorer: Any
) -> None:
    _page, element, watch = open_explorer(name)
    for move in MOVES[name]:
        before = drawing_of(element)
        for key, value in move.items():
            set_value(element, key, value)
        assert {k: controls_of(element)[k] for k in move} == move  # exactly a precomputed position
        assert_matches(name, element)
        assert drawing_of(element) != before, move
        labels = element.evaluate(
            "el => [...el.querySelectorAll('svg')].map(s => s.getAttribute('aria-label'))"
        )
        current = element.locator(".explorer-current").all_inner_texts()
        assert all(value in " ".join(labels) for value in move.values())  # the state is described
        assert all(text in controls_of(element).values() for text in current)
    assert not watch.errors


@pytest.mark.parametrize("name", sorted(PAGE))
def test_arrow_right_moves_the_focused_slider(name: str, open_explorer: Any) -> None:
    page, element, watch = open_explorer(name)
    slider = element.locator('input[type="range"]').first
    key = slider.get_attribute("name")
    step = float(slider.get_attribute("step"))
    before, drawing = float(slider.input_value()), drawing_of(element)
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert float(controls_of(element)[key]) == pytest.approx(before + step, rel=1e-12)
    assert_matches(name, element)
    assert drawing_of(element) != drawing
    page.keyboard.press("ArrowLeft")
    assert float(controls_of(element)[key]) == pytest.approx(before, rel=1e-12)
    assert_matches(name, element)
    assert not watch.errors


def test_the_shuffle_checkbox_switches_the_run(open_explorer: Any) -> None:
    _page, element, watch = open_explorer("sgd-batch")
    set_value(element, "batch_size", "7")
    shuffled, drawing = outputs_of(element), drawing_of(element)
    element.locator('input[name="shuffle"]').click()
    assert controls_of(element)["shuffle"] == "false"
    assert_matches("sgd-batch", element)
    assert outputs_of(element)["cost_final"] != shuffled["cost_final"]
    assert drawing_of(element) != drawing
    element.locator('input[name="shuffle"]').press("Space")  # keyboard too
    assert outputs_of(element) == shuffled
    assert not watch.errors


def test_the_learning_rate_slider_marks_the_threshold(open_explorer: Any) -> None:
    _page, element, _ = open_explorer("gd-lr")
    marks = element.locator(".explorer-marks span").all_inner_texts()
    assert marks == ["3/28", "3/14"]
    assert float(settings_of(element)["threshold"]) == ll.gd_lr_threshold(X)


@pytest.mark.parametrize("name", sorted(PAGE))
def test_without_javascript_the_static_figure_is_shown(name: str, open_explorer: Any) -> None:
    _page, element, watch = open_explorer(name, java_script_enabled=False)
    assert element.count() == 1
    assert not element.is_visible()  # the controls would do nothing
    figure = element.locator("xpath=ancestor::figure")
    image = figure.locator("img")
    assert image.count() == 1
    assert image.is_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 300")
    assert image.get_attribute("alt")
    assert figure.locator("figcaption").inner_text().startswith("图 ")
    assert not watch.external


def test_with_javascript_the_static_png_is_not_fetched(browser: Any, server: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(f"{server}/lectures/{PAGE['ewma']}.html", wait_until="networkidle")
        noscript = page.evaluate(
            """() => [...document.querySelectorAll('figure noscript')]
                 .map(n => n.textContent.match(/src="([^"]+)"/)[1].split('/').pop())"""
        )
        assert len(noscript) == 2  # img-19 (ewma) and gd-lr
        assert not [u for u in fetched if u.rsplit("/", 1)[-1] in noscript]
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGE))
def test_explorer_fits_a_phone_in_both_colour_schemes(
    name: str, scheme: str, open_explorer: Any
) -> None:
    page, element, watch = open_explorer(
        name, viewport={"width": 390, "height": 844}, color_scheme=scheme, has_touch=True
    )
    box = element.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    widths = element.evaluate(
        "el => [...el.querySelectorAll('svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert max(widths) <= 390
    ink, background = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.explorer-panel text')).fill,
                  getComputedStyle(document.body).backgroundColor]"""
    )
    assert ink != background
    level = page.evaluate(
        "() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)[0]"
    )
    assert (level < 128) == (scheme == "dark")
    slider = element.locator('input[type="range"]').first
    assert slider.bounding_box()["height"] >= 24  # a finger-sized target
    slider.tap()  # touch moves it to where the finger is
    assert_matches(name, element)
    assert not watch.errors


def test_with_reduced_motion_the_update_is_immediate(open_explorer: Any) -> None:
    _page, element, _ = open_explorer("gd-lr", reduced_motion="reduce")
    same_task = element.evaluate(
        """el => { const i = el.querySelector('input[name="lr"]'); i.value = '0.25';
                   i.dispatchEvent(new Event('input', {bubbles: true}));
                   return el.querySelector('output[name="verdict"]').dataset.value; }"""
    )
    assert same_task == "发散"  # drawn in the same task: no transition, no animation frame
    motion = element.evaluate(
        """el => [...el.querySelectorAll('*')].some(n => {
                   const s = getComputedStyle(n);
                   return s.transitionDuration !== '0s' || s.animationName !== 'none'; })"""
    )
    assert not motion
