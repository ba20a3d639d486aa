r"""The training loop behind :func:`~lecturelib.training.gradient_descent` and
:func:`~lecturelib.training.sgd`: the epochs, their costs, and the hooks between them.

The data's moments are computed once per call. Each epoch's updates are made by the step of the
run's batch size (:mod:`lecturelib._steps`: gradient descent, per-sample SGD bit for bit the
lecture's loop, mini-batch SGD); the full-data cost after every epoch comes from the data's
moments in :math:`O(1)` (see :mod:`lecturelib.model`). Every update is recorded
(``History.w``). The loop only pauses at the epochs that need a log line, a checkpoint or a
callback, so unused features cost nothing.

Training reports on the ``"lecturelib"`` logger, to which this module adds a
:class:`logging.NullHandler`; whether the logger is enabled for INFO is checked when training
starts, and if it is not, no line is formatted.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable

import numpy as np

from ._config import RunConfig
from ._resume import resume
from ._steps import Step, step_for
from ._validate import FloatArray
from .checkpoint import TrainingState, _jsonable, _Writer, data_fingerprint
from .history import History
from .model import _FLOAT_MAX, _Moments

__all__ = ["DIVERGENCE_FACTOR", "train"]

_LOG = logging.getLogger("lecturelib")
if not any(isinstance(h, logging.NullHandler) for h in _LOG.handlers):
    _LOG.addHandler(logging.NullHandler())

#: Training stops as diverged once the cost exceeds this factor times ``max(initial cost, 1)``.
DIVERGENCE_FACTOR = 1e12


#: Updates kept in Python lists before they are moved into the history's arrays (bounds memory).
_PENDING = 1 << 18


class _Trace:
    """A growable float64 buffer: amortised O(1) appends, read-only views without copying."""

    def __init__(self, values: FloatArray) -> None:
        self._data = np.empty(max(16, 2 * values.size), dtype=np.float64)
        self._data[: values.size] = values
        self._size = int(values.size)

    def extend(self, values: list[float]) -> None:
        need = self._size + len(values)
        if need > self._data.size:
            grown = np.empty(max(need, 2 * self._data.size), dtype=np.float64)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size : need] = np.fromiter(values, np.float64, len(values))
        self._size = need

    def view(self) -> FloatArray:
        out = self._data[: self._size]
        out.flags.writeable = False
        return out

    def array(self) -> FloatArray:
        out = self._data[: self._size].copy()
        out.flags.writeable = False
        return out


def _cost_beyond(x: FloatArray, y: FloatArray, w: float, b: float) -> float:
    """The full-data MSE once a parameter is no longer finite (NaN or inf, no warning)."""
    with np.errstate(all="ignore"):
        r = x * w + b - y
        return float(np.mean(r * r))


class _Loop:
    """One training run: its state, its record, and its epochs.

    :meth:`run_epochs` runs whole epochs with the run's step and computes the full-data cost of
    every epoch from the data's moments in :math:`O(1)`. Every update is recorded in Python lists
    until the next epoch that needs a hook (a log line, a checkpoint, a callback) or divergence;
    only then are the lists moved into the history's arrays (:meth:`flush`).
    """

    def __init__(self, cfg: RunConfig, moments: _Moments, rng: np.random.Generator) -> None:
        self.cfg, self.m, self.rng = cfg, moments, rng
        self.lr, self.bias = cfg.lr, cfg.b0 is not None
        self.w, self.b = cfg.w0, cfg.b0 or 0.0
        self.epoch, self.diverged = 0, False
        self.ws: list[float] = []
        self.bs: list[float] = []
        self.cs: list[float] = []
        self.w_trace = self.b_trace = self.cost_trace = _Trace(np.empty(0))
        self.bound = _FLOAT_MAX

    def start(self, state: TrainingState | None) -> None:
        cfg = self.cfg
        if state is None:
            c0 = self.m.cost_at(self.w, self.b)
            if not math.isfinite(c0):
                raise ValueError(
                    "the initial cost mean((x*w0 + b0 - y)**2) overflows float64 (it exceeds "
                    f"{_FLOAT_MAX:.4g}) for w0={cfg.w0!r}, b0={cfg.b0!r}: x and y (or w0, b0) "
                    "are too large; rescale the data"
                )
            self.w_trace, self.cost_trace = _Trace(np.array([self.w])), _Trace(np.array([c0]))
            self.b_trace = _Trace(np.array([self.b]))
        else:
            self.epoch, self.diverged = state.epoch, state.diverged
            self.w_trace, self.cost_trace = _Trace(state.w), _Trace(state.cost)
            self.b_trace = _Trace(np.zeros(state.w.size) if state.b is None else state.b)
            self.w = float(state.w[-1])
            self.b = 0.0 if state.b is None else float(state.b[-1])
        c0 = float(self.cost_trace.view()[0])
        self.bound = min(DIVERGENCE_FACTOR * max(c0, 1.0), _FLOAT_MAX)

    # -- recording -------------------------------------------------------------------------------
    def flush(self) -> None:
        """Move the updates recorded in the lists into the history's arrays."""
        self.w_trace.extend(self.ws)
        if self.bias:
            self.b_trace.extend(self.bs)
        self.cost_trace.extend(self.cs)
        self.ws.clear()
        self.bs.clear()
        self.cs.clear()

    def history(self, final: bool = False) -> History:
        take = _Trace.array if final else _Trace.view
        cfg = self.cfg
        return History(
            w=take(self.w_trace),
            b=take(self.b_trace) if self.bias else None,
            cost=take(self.cost_trace),
            diverged=self.diverged,
            updates_per_epoch=cfg.updates_per_epoch,
            **cfg.recorded,
        )

    def settle(self, w: float, b: float) -> tuple[float, float, float]:
        """The end of an epoch whose cost was not finite or beyond the bound: cut the record at
        the first non-finite parameter (non-finite values stay non-finite), recompute the cost in
        scaled form, and decide whether training diverged. Returns ``(w, b, cost)``."""
        if not (math.isfinite(w) and math.isfinite(b)):
            finite = np.isfinite(np.array(self.ws))
            if self.bias:
                finite &= np.isfinite(np.array(self.bs))
            first = int(np.argmin(finite))
            del self.ws[first + 1 :]
            del self.bs[first + 1 :]
            w = self.ws[first]
            b = self.bs[first] if self.bias else 0.0
            self.diverged = True
            return w, b, _cost_beyond(self.cfg.x, self.cfg.y, w, b)
        c = self.m.cost_at(w, b)
        self.diverged = not c <= self.bound
        return w, b, c

    # -- epochs: run epochs self.epoch + 1 … stop (fewer if training diverges) --------------------
    # A step makes one epoch's updates with Python floats and records them. The cost after an
    # epoch comes from the data's moments in O(1): without bias
    # cost(w) = mean(x²)·(w − w₀)² + cost(w₀), w₀ = mean(x y)/mean(x²); with a bias the centred
    # form of model.cost. A cost that is not finite or beyond the bound goes to settle(), which
    # decides in scaled form; with extreme data (not moderate) every epoch does (bound = -inf).

    def step(self) -> Step:
        """This run's epoch of updates (see :mod:`lecturelib._steps`), recorded by this loop."""
        cfg = self.cfg
        return step_for(
            cfg.x,
            cfg.y,
            self.m,
            lr=self.lr,
            bias=self.bias,
            batch_size=cfg.batch_size,
            shuffle=cfg.shuffle,
            rng=self.rng,
            record_w=self.ws.append,
            record_b=self.bs.append,
        )

    def run_epochs(self, stop: int, step: Step) -> None:
        """Run epochs ``self.epoch + 1 … stop`` with ``step``, recording the cost of each."""
        bound = self.bound if self.m.moderate else -math.inf
        cost, record_cost = self._epoch_cost(), self.cs.append
        w, b, epoch = self.w, self.b, self.epoch
        for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007  # kept below
            w, b = step(w, b)
            c = cost(w, b)
            if not c <= bound:
                w, b, c = self.settle(w, b)
                if self.diverged:
                    record_cost(c)
                    break
            record_cost(c)
        self.w, self.b, self.epoch = w, b, epoch

    def _epoch_cost(self) -> Callable[[float, float], float]:
        """The full-data cost at ``(w, b)`` from the data's moments, in O(1)."""
        m = self.m
        if self.bias:
            x_var, slope, x_mean, y_mean, rho = m.x_var, m.slope, m.x_mean, m.y_mean, m.residual

            def cost(w: float, b: float) -> float:
                t = x_mean * w + b - y_mean
                d = w - slope
                return x_var * d * d + rho + t * t

        else:
            x_sq, w_opt, c_opt = m.x_sq, m.origin_slope, m.origin_residual

            def cost(w: float, b: float) -> float:
                d = w - w_opt
                return x_sq * d * d + c_opt

        return cost


def train(cfg: RunConfig) -> History:
    """The one training loop behind :func:`~lecturelib.training.gradient_descent` and
    :func:`~lecturelib.training.sgd`: resume, run from hook to hook, save, call back."""
    rng = cfg.rng
    seed_state = _jsonable(rng.bit_generator.state) if cfg.streamed else None
    resumed = resume(cfg, rng, seed_state)
    loop = _Loop(cfg, _Moments.of(cfg.x, cfg.y), rng)
    loop.start(None if resumed is None else resumed[0])
    writer = None
    if cfg.checkpoint is not None:
        writer = _Writer(cfg.checkpoint, None if resumed is None else resumed[1])
    saved_epoch = -1 if resumed is None else loop.epoch
    x_sha, y_sha = data_fingerprint(cfg.x, cfg.y) if writer is not None else ("", "")

    def save() -> None:
        h = loop.history()
        writer_state = TrainingState(
            algorithm=cfg.algorithm,
            w0=cfg.w0,
            b0=cfg.b0,
            n=cfg.x.size,
            x_sha256=x_sha,
            y_sha256=y_sha,
            epoch=loop.epoch,
            w=h.w,
            b=h.b,
            cost=h.cost,
            diverged=loop.diverged,
            rng_state=dict(rng.bit_generator.state),
            seed_state=seed_state,
            **cfg.recorded,
        )
        if writer is not None:
            writer.save(writer_state)

    try:
        if writer is not None and (resumed is None or loop.epoch < cfg.epochs):
            writer.check_writable()  # a read-only directory fails here, before any epoch
        _run(cfg, loop, save if writer is not None else None, saved_epoch)
    except BaseException:
        if writer is not None:
            with contextlib.suppress(OSError):  # keep what was saved; report the first error
                writer.close()
        raise
    if writer is not None:
        writer.close()  # fsync-s the checkpoint once, now that training is over
    result = loop.history(final=True)
    for cb in cfg.callbacks:
        if callable(end := getattr(cb, "on_train_end", None)):
            end(result)
    return result


def _run(cfg: RunConfig, loop: _Loop, save: Callable[[], None] | None, saved_epoch: int) -> None:
    """Run the epochs from hook to hook: log lines, checkpoints, callbacks, memory bounds."""
    callbacks, epochs, every, log_every = (
        cfg.callbacks,
        cfg.epochs,
        cfg.checkpoint_every,
        cfg.log_every,
    )
    log = _LOG.isEnabledFor(logging.INFO)  # no formatting at all when nobody listens
    for cb in callbacks:
        if callable(begin := getattr(cb, "on_train_begin", None)):
            begin(loop.history())
    if loop.epoch < epochs and not loop.diverged:
        step = loop.step()
        chunk = max(1, _PENDING // cfg.updates_per_epoch)
        while loop.epoch < epochs and not loop.diverged:
            e = loop.epoch
            stop = e + 1 if callbacks else min(epochs, e + chunk)
            if log:
                stop = min(stop, (e // log_every + 1) * log_every)
            if save is not None:
                stop = min(stop, (e // every + 1) * every)
            loop.run_epochs(min(stop, epochs), step)
            loop.flush()
            epoch, diverged = loop.epoch, loop.diverged
            if log and (epoch % log_every == 0 or epoch == epochs or diverged):
                c = loop.cost_trace.view()[-1]
                if loop.bias:
                    _LOG.info(
                        "epoch %d/%d: w=%.7g b=%.7g cost=%.4g", epoch, epochs, loop.w, loop.b, c
                    )
                else:
                    _LOG.info("epoch %d/%d: w=%.7g cost=%.4g", epoch, epochs, loop.w, c)
            if save is not None and (epoch % every == 0 or epoch == epochs or diverged):
                save()
                saved_epoch = epoch
            if callbacks:
                so_far = loop.history()
                for cb in callbacks:
                    cb.on_epoch_end(epoch, so_far)
    if save is not None and saved_epoch != loop.epoch:
        save()
    if loop.diverged:
        _LOG.warning(
            "training diverged at epoch %d/%d (lr=%g, cost %.4g); try a smaller learning rate",
            loop.epoch,
            epochs,
            cfg.lr,
            float(loop.cost_trace.view()[-1]),
        )
