"""Callbacks: the live cost plot, the TensorBoard logger and the visdom logger."""

from __future__ import annotations

import io
import json
import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lecturelib.callbacks import Callback, LiveCostPlot, TensorBoardLogger, VisdomLogger
from lecturelib.style import use_style
from lecturelib.training import gradient_descent, sgd

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]


@pytest.fixture(autouse=True)
def _style() -> None:
    """As on every page: the style (and the Chinese font) before any figure is drawn."""
    use_style()


class FakeHandle:
    def __init__(self) -> None:
        self.updates = 0

    def update(self, obj: Any) -> None:
        assert obj.format == "png"
        self.updates += 1


@pytest.fixture
def fake_display(monkeypatch: pytest.MonkeyPatch) -> list[FakeHandle]:
    ipython_display = pytest.importorskip("IPython.display")
    handles: list[FakeHandle] = []

    def display(obj: Any, *, display_id: bool = False) -> FakeHandle:
        assert display_id is True
        handles.append(FakeHandle())
        return handles[-1]

    monkeypatch.setattr(ipython_display, "display", display)
    monkeypatch.delenv("LECTURELIB_LIVE_PLOTS", raising=False)
    return handles


def test_live_cost_plot_is_a_callback() -> None:
    assert isinstance(LiveCostPlot(live=False), Callback)


def test_cost_plot_draws_the_final_curve_without_pyplot_figures() -> None:
    before = plt.get_fignums()
    plot = LiveCostPlot(live=False)
    h = sgd(XS, YS, epochs=20, callbacks=[plot])
    assert isinstance(plot.figure, Figure)
    (line,) = plot.ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), h.cost)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(21))
    assert plot.ax.get_yscale() == "log"
    assert plt.get_fignums() == before


def test_cost_plot_outside_a_kernel_is_not_live(fake_display: list[FakeHandle]) -> None:
    plot = LiveCostPlot()
    assert plot.live is False
    gradient_descent(XS, YS, epochs=5, callbacks=[plot])
    assert fake_display == []


def test_env_switch_turns_live_plots_off(
    fake_display: list[FakeHandle], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LECTURELIB_LIVE_PLOTS", "0")
    assert LiveCostPlot(live=True).live is False


def test_live_plot_redraws_one_display_in_place(fake_display: list[FakeHandle]) -> None:
    plot = LiveCostPlot(update_every=5, live=True)
    gradient_descent(XS, YS, epochs=20, callbacks=[plot])
    assert len(fake_display) == 1  # one display, then updates in place
    assert fake_display[0].updates == 20 // 5 + 1  # every 5 epochs, plus the final drawing


def test_cost_plot_draws_into_a_given_axes() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    plot = LiveCostPlot(ax=ax, live=False, logy=False)
    gradient_descent(XS, YS, epochs=3, callbacks=[plot])
    assert plot.figure is fig
    assert plot.ax.get_yscale() == "linear"
    assert len(ax.get_lines()) == 1


def test_cost_plot_marks_divergence() -> None:
    plot = LiveCostPlot(live=False)
    h = gradient_descent(XS, YS, lr=0.3, callbacks=[plot])
    assert h.diverged
    assert plot.ax.get_title() == f"第 {h.epochs_run} 轮发散"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_cost_plot_labels_are_chinese_and_draw_without_missing_glyphs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Axis labels, title and legend label in Chinese (no mathtext mixed in), every glyph found."""
    plot = LiveCostPlot(live=False)
    gradient_descent(XS, YS, lr=0.3, callbacks=[plot])  # diverges: the title is drawn too
    (line,) = plot.ax.get_lines()
    texts = [plot.ax.get_xlabel(), plot.ax.get_ylabel(), plot.ax.get_title(), line.get_label()]
    assert all(_has_cjk(t) for t in texts), texts
    assert not any("$" in t for t in texts), texts  # Chinese never shares a string with mathtext
    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.figure.savefig(io.BytesIO(), format="png")  # renders with Agg
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]


def test_cost_plot_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="update_every must be >= 1"):
        LiveCostPlot(update_every=0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        LiveCostPlot(ax="axes")  # type: ignore[arg-type]


def test_tensorboard_logger_writes_every_epoch(tmp_path: Path) -> None:
    pytest.importorskip("tensorboardX")
    accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    with TensorBoardLogger(tmp_path) as logger:
        h = sgd(XS, YS, b0=0.0, batch_size=2, epochs=25, callbacks=[logger])
    acc = accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert set(acc.Tags()["scalars"]) == {"cost", "w", "b"}
    cost = acc.Scalars("cost")
    assert [e.step for e in cost] == list(range(26))
    # TensorBoard stores scalars as float32
    np.testing.assert_array_equal([e.value for e in cost], h.cost.astype(np.float32))
    w = [e.value for e in acc.Scalars("w")]
    np.testing.assert_array_equal(w, h.w_by_epoch.astype(np.float32))


def test_tensorboard_logger_explains_a_missing_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match=r"pip install lecturelib\[tensorboard\]"):
        TensorBoardLogger(tmp_path)


def course_gd_cost(epochs: int, lr: float = 0.01) -> np.ndarray:
    """Closed form of GD on x = [1, 2, 3], y = 2x from w0 = 1: w_k - 2 = -(1 - 2 lr mean(x^2))^k."""
    x2 = np.mean(np.square(XS))
    w = 2.0 - (1.0 - 2.0 * lr * x2) ** np.arange(epochs + 1)
    return np.asarray(x2 * (w - 2.0) ** 2)


def replay_window(log: Path, win: str) -> tuple[list[float], list[float]]:
    """What a visdom server would show in ``win`` after replaying the log, point by point.

    Every line is ``[endpoint, message]``: an "events" message (re)draws the window with its
    data, an "update" message with ``append`` adds its points to the window's trace.
    """
    xs: list[float] = []
    ys: list[float] = []
    for line in log.read_text().splitlines():
        endpoint, msg = json.loads(line)
        if msg["win"] != win:
            continue
        (trace,) = msg["data"]
        if endpoint == "events":
            xs, ys = list(trace["x"]), list(trace["y"])
        else:
            assert endpoint == "update"
            assert msg["append"] is True
            xs += trace["x"]
            ys += trace["y"]
    return xs, ys


def test_visdom_logger_plots_every_epoch_into_one_window(tmp_path: Path) -> None:
    import visdom  # the real client, in its server-free mode: events go to a log file

    log = tmp_path / "visdom.log"
    viz = visdom.Visdom(offline=True, log_to_filename=str(log))
    logger = VisdomLogger(viz, win="cost")
    assert isinstance(logger, Callback)
    gradient_descent(XS, YS, w0=1.0, lr=0.01, epochs=30, callbacks=[logger])
    events = [json.loads(line) for line in log.read_text().splitlines()]
    # the window is created once (before training), then one point is appended per epoch
    assert [e[0] for e in events] == ["events"] + ["update"] * 30
    assert {e[1]["win"] for e in events} == {"cost"}
    assert events[0][1]["opts"]["title"] == "cost"
    xs, ys = replay_window(log, "cost")
    assert xs == list(range(31))
    np.testing.assert_allclose(ys, course_gd_cost(30), rtol=1e-12, atol=1e-15)


def test_visdom_logger_follows_a_resumed_run(tmp_path: Path) -> None:
    import visdom

    class Stop(Exception):
        pass

    class StopAt:
        def on_epoch_end(self, epoch: int, history: Any) -> None:
            if epoch == 12:
                raise Stop

    log = tmp_path / "visdom.log"
    logger = VisdomLogger(visdom.Visdom(offline=True, log_to_filename=str(log)), win="run")
    ckpt = tmp_path / "run.ckpt.json"
    with pytest.raises(Stop):
        gradient_descent(XS, YS, epochs=20, checkpoint=ckpt, callbacks=[logger, StopAt()])
    gradient_descent(XS, YS, epochs=20, checkpoint=ckpt, callbacks=[logger])
    xs, ys = replay_window(log, "run")
    assert xs == list(range(21))  # redrawn with epochs 0..12 on resuming, no point twice
    np.testing.assert_allclose(ys, course_gd_cost(20), rtol=1e-12, atol=1e-15)


def test_visdom_logger_sends_numpy_arrays_to_the_window_it_names() -> None:
    calls: list[dict[str, Any]] = []

    class FakeVisdom:
        def line(self, **kwargs: Any) -> str:
            calls.append(kwargs)
            return str(kwargs["win"])

    sgd(XS, YS, epochs=3, callbacks=[VisdomLogger(FakeVisdom(), win="w", env="lecture2")])
    assert [c["update"] for c in calls] == [None, "append", "append", "append"]
    assert {c["win"] for c in calls} == {"w"}
    assert {c["env"] for c in calls} == {"lecture2"}
    assert all(isinstance(c["X"], np.ndarray) and c["X"].ndim == 1 for c in calls)
    assert all(isinstance(c["Y"], np.ndarray) and c["Y"].ndim == 1 for c in calls)


def test_visdom_logger_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match=r"viz must be a visdom\.Visdom client, not str"):
        VisdomLogger("localhost")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="win must be a non-empty string"):
        VisdomLogger(object.__new__(type("V", (), {"line": lambda self: None})), win="")
    with pytest.raises(TypeError, match="env must be a string, not int"):
        VisdomLogger(object.__new__(type("V", (), {"line": lambda self: None})), env=3)  # type: ignore[arg-type]


def test_live_plot_without_ipython_fails_at_construction_naming_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LECTURELIB_LIVE_PLOTS", raising=False)
    monkeypatch.setitem(sys.modules, "IPython", None)  # makes `import IPython…` fail
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(ImportError, match=r"needs IPython.*pip install ipython"):
        LiveCostPlot(live=True)
    assert LiveCostPlot(live=False).live is False  # not live: IPython is not needed


def test_histories_kept_by_a_callback_stay_as_they_were() -> None:
    """Each epoch's History is a snapshot: later epochs (and the growth of the arrays behind
    them) do not change what a callback kept."""
    kept: list[Any] = []

    class Keeper:
        def on_epoch_end(self, epoch: int, history: Any) -> None:
            kept.append(history)

    x = np.linspace(0.0, 3.0, 500)
    final = sgd(x, 2.0 * x, b0=0.0, lr=0.001, epochs=12, callbacks=[Keeper()])
    assert [h.epochs_run for h in kept] == list(range(1, 13))
    for k, h in enumerate(kept, start=1):
        np.testing.assert_array_equal(h.w, final.w[: 1 + 500 * k])
        np.testing.assert_array_equal(h.cost, final.cost[: 1 + k])
        assert h.b is not None
        np.testing.assert_array_equal(h.b, final.b[: 1 + 500 * k])  # type: ignore[index]
