"""Tests of lecturelib.training (and the loop behind it: lecturelib._loop, lecturelib._steps)
against the lecture's own plain-Python loops."""

from __future__ import annotations

import logging
import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from lecturelib.history import History
from lecturelib.training import gradient_descent, sgd

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]
ATOL = 1e-12


# --- independent references: the lecture's loops, written out in plain Python -------------------


def lecture_gd(
    w: float = 1.0, lr: float = 0.01, epochs: int = 100
) -> tuple[list[float], list[float]]:
    def cost(w: float) -> float:
        return sum((x * w - y) ** 2 for x, y in zip(XS, YS, strict=True)) / len(XS)

    ws, costs = [w], [cost(w)]
    for _ in range(epochs):
        grad = sum(2 * x * (x * w - y) for x, y in zip(XS, YS, strict=True)) / len(XS)
        w -= lr * grad
        ws.append(w)
        costs.append(cost(w))
    return ws, costs


def lecture_sgd(
    w: float = 1.0, lr: float = 0.01, epochs: int = 100
) -> tuple[list[float], list[float]]:
    ws, grads = [w], []
    for _ in range(epochs):
        for x, y in zip(XS, YS, strict=True):
            grad = 2 * x * (x * w - y)
            grads.append(grad)
            w -= lr * grad
            ws.append(w)
    return ws, grads


def lecture_minibatch(w: float = 1.0, lr: float = 0.01, epochs: int = 100) -> list[float]:
    batches = [([1.0, 2.0], [2.0, 4.0]), ([3.0], [6.0])]
    ws = [w]
    for _ in range(epochs):
        for bx, by in batches:
            grad = sum(2 * x * (x * w - y) for x, y in zip(bx, by, strict=True)) / len(bx)
            w -= lr * grad
            ws.append(w)
    return ws


# --- exactness ----------------------------------------------------------------------------------


def test_gd_matches_the_lecture_loop() -> None:
    ws, costs = lecture_gd()
    h = gradient_descent(XS, YS, w0=1.0, lr=0.01, epochs=100)
    np.testing.assert_allclose(h.w, ws, rtol=0, atol=ATOL)
    np.testing.assert_allclose(h.cost, costs, rtol=0, atol=ATOL)
    assert h.updates_per_epoch == 1
    assert h.batch_size == 3


def test_gd_matches_its_closed_form() -> None:
    w0, lr = 1.0, 0.01
    k = np.arange(101)
    closed = 2 + (w0 - 2) * (1 - 2 * lr * 14 / 3) ** k
    h = gradient_descent(XS, YS, w0=w0, lr=lr, epochs=100)
    np.testing.assert_allclose(h.w, closed, rtol=0, atol=ATOL)
    np.testing.assert_allclose(h.cost, 14 / 3 * (closed - 2) ** 2, rtol=0, atol=ATOL)


def test_sgd_in_order_matches_the_lecture_loop() -> None:
    ws, _ = lecture_sgd()
    h = sgd(XS, YS, w0=1.0, lr=0.01, epochs=100)
    assert h.updates == 300
    np.testing.assert_allclose(h.w, ws, rtol=0, atol=ATOL)
    np.testing.assert_allclose(h.w_by_epoch, ws[::3], rtol=0, atol=ATOL)


def test_sgd_first_epoch_gradients_are_the_lectures() -> None:
    h = sgd(XS, YS, epochs=1)
    grads = -np.diff(h.w) / 0.01
    np.testing.assert_allclose(grads, [-2.0, -7.84, -16.2288], rtol=0, atol=1e-9)
    _, lecture_grads = lecture_sgd(epochs=1)
    np.testing.assert_allclose(lecture_grads, [-2.0, -7.84, -16.2288], rtol=0, atol=1e-12)


def test_sgd_converges_to_two() -> None:
    assert sgd(XS, YS).final_w == pytest.approx(2.0, abs=1e-9)


def test_minibatch_of_two_matches_the_reference_loop() -> None:
    h = sgd(XS, YS, batch_size=2, epochs=100)
    assert h.updates_per_epoch == 2
    np.testing.assert_allclose(h.w, lecture_minibatch(), rtol=0, atol=ATOL)


def test_sgd_with_full_batch_equals_gd() -> None:
    for b0 in (None, 0.5):
        assert sgd(XS, YS, batch_size=3, b0=b0) == gradient_descent(XS, YS, b0=b0)


def test_gd_with_bias_converges_to_least_squares() -> None:
    rng = np.random.default_rng(20240601)
    x = rng.uniform(-2.0, 2.0, size=40)
    y = 1.5 * x - 0.7 + rng.normal(scale=0.3, size=40)
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    h = gradient_descent(x, y, w0=0.0, b0=0.0, lr=0.1, epochs=500)
    assert h.final_w == pytest.approx(w_ls, abs=1e-10)
    assert h.final_b == pytest.approx(b_ls, abs=1e-10)
    assert h.b is not None
    assert h.b.shape == h.w.shape


def test_bias_update_uses_the_old_parameters() -> None:
    # one GD step from (w, b) = (1, 0) on the course data, by hand
    h = gradient_descent(XS, YS, w0=1.0, b0=0.0, lr=0.1, epochs=1)
    r = [x * 1.0 + 0.0 - y for x, y in zip(XS, YS, strict=True)]
    d_w = sum(2 * x * ri for x, ri in zip(XS, r, strict=True)) / 3
    d_b = sum(2 * ri for ri in r) / 3
    assert h.final_w == pytest.approx(1.0 - 0.1 * d_w, abs=ATOL)
    assert h.final_b == pytest.approx(0.0 - 0.1 * d_b, abs=ATOL)


def test_shuffle_uses_a_seeded_permutation_per_epoch() -> None:
    x = np.arange(1.0, 6.0)
    y = 2 * x
    h = sgd(x, y, batch_size=2, shuffle=True, seed=3, epochs=2, lr=0.01)
    rng = np.random.default_rng(3)
    w, ws = 1.0, [1.0]
    for _ in range(2):
        order = rng.permutation(5)
        for lo in range(0, 5, 2):
            idx = order[lo : lo + 2]
            w -= 0.01 * float(np.mean(2 * x[idx] * (x[idx] * w - y[idx])))
            ws.append(w)
    np.testing.assert_allclose(h.w, ws, rtol=0, atol=ATOL)
    assert h == sgd(x, y, batch_size=2, shuffle=True, seed=3, epochs=2, lr=0.01)
    assert h != sgd(x, y, batch_size=2, shuffle=True, seed=4, epochs=2, lr=0.01)


def test_zero_epochs_returns_the_initial_state() -> None:
    h = gradient_descent(XS, YS, epochs=0)
    assert h.epochs_run == 0
    assert h.updates == 0
    assert h.final_cost == pytest.approx(14 / 3)


# --- divergence ---------------------------------------------------------------------------------


def test_too_large_lr_diverges_and_stops(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="lecturelib"):
        h = gradient_descent(XS, YS, lr=0.3, epochs=100)
    assert h.diverged
    assert h.epochs_run < 100
    assert h.final_cost > 1e12 * 14 / 3
    assert "diverged=True at epoch" in repr(h)
    assert any(
        r.levelno == logging.WARNING and "diverged" in r.getMessage() for r in caplog.records
    )


@pytest.mark.parametrize("batch_size", [1, 2, 3])
@pytest.mark.parametrize("b0", [None, 0.0])
def test_every_kernel_stops_a_huge_lr_in_the_first_epoch(batch_size: int, b0: float | None) -> None:
    h = sgd(XS, YS, lr=1e200, b0=b0, batch_size=batch_size, epochs=50)
    assert h.diverged
    assert h.epochs_run == 1
    assert h.cost.size == 2
    assert np.all(np.isfinite(h.w[:-1]))


def test_overflowing_lr_stops_at_the_first_non_finite_value_without_warnings() -> None:
    # filterwarnings=error turns any numpy RuntimeWarning into a failure here
    h = sgd(XS, YS, lr=1e200, epochs=100)
    assert h.diverged
    assert h.epochs_run == 1
    assert not math.isfinite(h.final_w)
    assert np.all(np.isfinite(h.w[:-1]))


def test_stable_lr_does_not_diverge() -> None:
    assert not gradient_descent(XS, YS, lr=0.2).diverged


# --- logging ------------------------------------------------------------------------------------


def test_logs_one_line_per_epoch(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="lecturelib"):
        gradient_descent(XS, YS, epochs=3)
    lines = [r.getMessage() for r in caplog.records if r.name == "lecturelib"]
    assert lines[0] == "epoch 1/3: w=1.093333 cost=3.836"  # (14/3)(1.093333 - 2)^2
    assert len(lines) == 3


def test_log_every_thins_the_log_and_keeps_the_last_epoch(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="lecturelib"):
        sgd(XS, YS, b0=0.0, epochs=100, log_every=30)
    lines = [r.getMessage() for r in caplog.records if r.name == "lecturelib"]
    assert [line.split(":")[0] for line in lines] == [
        "epoch 30/100",
        "epoch 60/100",
        "epoch 90/100",
        "epoch 100/100",
    ]
    assert " b=" in lines[0]


def test_package_logger_has_a_null_handler() -> None:
    handlers = logging.getLogger("lecturelib").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


def test_callbacks_get_every_epoch_and_the_history_so_far() -> None:
    seen: list[tuple[int, int, int]] = []

    class Recorder:
        def on_train_begin(self, history: History) -> None:
            seen.append((0, history.epochs_run, history.updates))

        def on_epoch_end(self, epoch: int, history: History) -> None:
            seen.append((epoch, history.epochs_run, history.updates))

    sgd(XS, YS, batch_size=2, epochs=3, callbacks=[Recorder()])
    assert seen == [(0, 0, 0), (1, 1, 2), (2, 2, 4), (3, 3, 6)]


# --- exactness of every kernel against a plain-Python reference ----------------------------------


def reference_loop(
    x: list[float],
    y: list[float],
    *,
    w0: float,
    b0: float | None,
    lr: float,
    epochs: int,
    batch_size: int,
    seed: int | None,
) -> tuple[list[float], list[float], list[float]]:
    """The module docstring's update in plain Python: w and b after every update, and the cost
    after every epoch by its definition (mean of squared residuals)."""
    n, w, b = len(x), w0, 0.0 if b0 is None else b0
    rng = None if seed is None else np.random.default_rng(seed)

    def cost() -> float:
        return sum((xi * w + b - yi) ** 2 for xi, yi in zip(x, y, strict=True)) / n

    ws, bs, costs = [w], [b], [cost()]
    for _ in range(epochs):
        order = list(range(n)) if rng is None else rng.permutation(n).tolist()
        for lo in range(0, n, batch_size):
            idx = order[lo : lo + batch_size]
            r = [x[i] * w + b - y[i] for i in idx]
            g_w = sum(2 * x[i] * ri for i, ri in zip(idx, r, strict=True)) / len(idx)
            g_b = sum(2 * ri for ri in r) / len(idx)
            w, b = w - lr * g_w, (b - lr * g_b if b0 is not None else b)
            ws.append(w)
            bs.append(b)
        costs.append(cost())
    return ws, bs, costs


@pytest.mark.parametrize("batch_size", [1, 3, 7, 20])
@pytest.mark.parametrize("b0", [None, 0.5])
@pytest.mark.parametrize("seed", [None, 4])
def test_every_kernel_matches_the_plain_python_reference(
    batch_size: int, b0: float | None, seed: int | None
) -> None:
    rng = np.random.default_rng(30)
    x = rng.uniform(-1.0, 3.0, 20)
    y = 1.7 * x - 0.4 + rng.normal(0.0, 0.3, 20)
    kw: dict[str, Any] = {"w0": 0.2, "b0": b0, "lr": 0.05, "epochs": 30}
    h = sgd(x, y, batch_size=batch_size, shuffle=seed is not None, seed=seed, **kw)
    ws, bs, costs = reference_loop(x.tolist(), y.tolist(), batch_size=batch_size, seed=seed, **kw)
    np.testing.assert_allclose(h.w, ws, rtol=0, atol=ATOL)
    np.testing.assert_allclose(h.cost, costs, rtol=1e-12, atol=ATOL)
    if b0 is None:
        assert h.b is None
    else:
        np.testing.assert_allclose(h.b, bs, rtol=0, atol=ATOL)  # type: ignore[arg-type]


def test_sgd_is_bit_for_bit_the_lecture_loop() -> None:
    ws, _ = lecture_sgd(epochs=1000)
    np.testing.assert_array_equal(sgd(XS, YS, epochs=1000).w, ws)


# --- speed: no per-epoch validation, History, log formatting or checkpoint work when unused -------


def test_training_validates_the_data_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import lecturelib._config
    import lecturelib.model

    calls: list[int] = []
    real = lecturelib._config.as_data

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(lecturelib._config, "as_data", counting)
    monkeypatch.setattr(lecturelib.model, "as_data", counting)
    for fn, kw in [(gradient_descent, {}), (sgd, {}), (sgd, {"batch_size": 2, "b0": 0.0})]:
        calls.clear()
        fn(XS, YS, epochs=50, **kw)
        assert len(calls) == 1, fn.__name__


def test_without_callbacks_one_history_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    import lecturelib._loop

    built: list[int] = []

    class CountingHistory(History):
        def __init__(self, *args: Any, **kw: Any) -> None:
            built.append(1)
            super().__init__(*args, **kw)

    monkeypatch.setattr(lecturelib._loop, "History", CountingHistory)
    sgd(XS, YS, epochs=200)
    gradient_descent(XS, YS, epochs=200)
    assert len(built) == 2


def test_a_silent_logger_formats_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("lecturelib")
    monkeypatch.setattr(logger, "level", logging.WARNING)
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(logger, "info", lambda *args, **kw: calls.append(args))
    sgd(XS, YS, epochs=100)
    gradient_descent(XS, YS, epochs=100)
    assert calls == []


# --- extreme values -------------------------------------------------------------------------------


def test_training_on_huge_data_does_not_diverge_at_epoch_0() -> None:
    """x ≈ 1e155: mean(x²) = 5·2¹⁰²⁹ overflows float64 but the costs do not; with
    η = 2⁻¹⁰³⁴ every GD step multiplies w − 1 by 1 − 2η·mean(x²) = 0.6875 exactly."""
    # the example: cost 0 at w0 = 2 on y = 2x, x ≈ 1e155
    at_rest = gradient_descent([1e155, 2e155], [2e155, 4e155], w0=2.0, epochs=5)
    assert not at_rest.diverged
    assert at_rest.w.tolist() == [2.0] * 6
    assert at_rest.cost.tolist() == [0.0] * 6
    x = [2.0**515, 2.0**516]
    lr, w0, epochs = 2.0**-1034, 1.0 + 2.0**-30, 40
    h = gradient_descent(x, x, w0=w0, lr=lr, epochs=epochs)
    assert not h.diverged
    assert h.epochs_run == epochs
    factor = 1 - 2 * Fraction(lr) * (Fraction(x[0]) ** 2 + Fraction(x[1]) ** 2) / 2
    assert factor == Fraction(11, 16)
    closed = [float(1 + (Fraction(w0) - 1) * factor**k) for k in range(epochs + 1)]
    np.testing.assert_allclose(h.w, closed, rtol=0, atol=1e-15)
    # the cost mean(x²)(w − 1)² at each recorded w, to the accuracy float64 allows: w − 1 itself
    # carries an error of a few ulps of w (as in the direct formula mean((x w − y)²))
    mean_sq = (Fraction(x[0]) ** 2 + Fraction(x[1]) ** 2) / 2
    for w, c in zip(h.w, h.cost, strict=True):
        exact = mean_sq * (Fraction(w) - 1) ** 2
        bound = 8 * Fraction(2) ** -52 * mean_sq * abs(Fraction(w) - 1) * abs(Fraction(w))
        assert abs(Fraction(c) - exact) <= bound
    # per-sample SGD on the same data: the lecture's loop in plain floats, bit for bit
    s = sgd(x, x, w0=w0, lr=lr, epochs=epochs)
    w, ws = w0, [w0]
    for _ in range(epochs):
        for xi, yi in zip(x, x, strict=True):
            w -= lr * (2 * xi * (xi * w - yi))
            ws.append(w)
    assert not s.diverged
    np.testing.assert_array_equal(s.w, ws)
    # mini-batches of 2 on four such samples, against the same update in plain floats
    x4 = [2.0**515, 2.0**516, 3 * 2.0**514, 2.0**514]
    m = sgd(x4, x4, w0=w0, lr=lr, epochs=epochs, batch_size=2)
    w, ws = w0, [w0]
    for _ in range(epochs):
        for lo in (0, 2):
            pairs = list(zip(x4[lo : lo + 2], x4[lo : lo + 2], strict=True))
            w -= lr * sum(2 * xi * (xi * w - yi) for xi, yi in pairs) / 2
            ws.append(w)
    assert not m.diverged
    np.testing.assert_allclose(m.w, ws, rtol=1e-15, atol=0)


def test_an_initial_cost_beyond_float64_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"initial cost .* overflows float64 .*x and y \(or w0"):
        gradient_descent([1e155, 2e155], [0.0, 0.0], w0=1.0)
    with pytest.raises(ValueError, match=r"initial cost .* overflows float64"):
        sgd([1.0, 2.0], [0.0, 0.0], w0=1e200)


# --- API ------------------------------------------------------------------------------------------


def test_seed_accepts_a_generator() -> None:
    x = np.arange(1.0, 8.0)
    y = 2 * x + 0.5
    kw: dict[str, Any] = {"batch_size": 2, "shuffle": True, "epochs": 6, "lr": 0.005}
    generator = np.random.default_rng(12)
    h = sgd(x, y, seed=generator, **kw)
    by_int = sgd(x, y, seed=12, **kw)
    np.testing.assert_array_equal(h.w, by_int.w)
    np.testing.assert_array_equal(h.cost, by_int.cost)
    assert h.seed is None  # documented: a Generator is not a seed
    # the generator was used, not copied: it drew one permutation per epoch
    reference = np.random.default_rng(12)
    for _ in range(6):
        reference.permutation(x.size)
    assert generator.bit_generator.state == reference.bit_generator.state


def test_callbacks_none_means_no_callbacks() -> None:
    assert sgd(XS, YS, epochs=3, callbacks=None) == sgd(XS, YS, epochs=3)
    assert gradient_descent(XS, YS, epochs=3, callbacks=None) == gradient_descent(XS, YS, epochs=3)
