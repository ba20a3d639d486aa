r"""Gradient descent, stochastic gradient descent and mini-batches for the lecture's linear model.

Both :func:`gradient_descent` and :func:`sgd` run one training loop. An *epoch* visits the
training set once, cut into batches :math:`B` of ``batch_size`` samples (in data order, or in a
fresh seeded permutation every epoch when ``shuffle=True``; the last batch may be smaller). Each
batch makes one update with the gradient of the mean squared error over that batch,

.. math::

   w \leftarrow w - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,x_n\,(x_n w + b - y_n),
   \qquad
   b \leftarrow b - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,(x_n w + b - y_n),

both computed from the parameters *before* the update. Gradient descent is the case
:math:`B = \{1, \dots, N\}` (one update per epoch), the lecture's SGD the case :math:`|B| = 1`.
Without ``b0`` the model is the lecture's :math:`\hat y = x\,w` and :math:`b` stays 0.

Data go through :func:`numpy.asarray`, so ``x[n]`` is paired with ``y[n]`` by position: two
pandas Series are paired by position, not by their index labels (align them first, e.g.
``y.reindex(x.index)``). Masked arrays and ``timedelta64`` values are refused, not misread.

How it runs: the data are checked and their moments computed once per call. Per-sample SGD is
the lecture's loop over Python floats (the very same numbers, bit for bit); mini-batch SGD gets
every batch's update coefficients from numpy once per epoch, then updates with Python floats;
gradient descent and the full-data cost after every epoch come from the data's moments in
:math:`O(1)` (see :mod:`lecturelib.model`). Every update is recorded (:attr:`History.w`). The loop
only pauses at the epochs that need a log line, a checkpoint or a callback, so unused features
cost nothing.

Training reports on the ``"lecturelib"`` logger (one INFO line every ``log_every`` epochs, a
WARNING when it diverges); the package adds a :class:`logging.NullHandler`, so nothing is printed
unless you configure logging, e.g. ``logging.basicConfig(level=logging.INFO)``. Whether the
logger is enabled for INFO is checked when training starts; if it is not, no line is formatted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import numbers
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validate import FloatArray, as_data, as_int, as_real
from .checkpoint import (
    CheckpointError,
    TrainingState,
    _jsonable,
    _read,
    _Stored,
    _Writer,
    data_fingerprint,
    history_path,
)
from .model import _FLOAT_MAX, _Moments

if TYPE_CHECKING:
    from .callbacks import Callback

__all__ = ["History", "gradient_descent", "sgd"]

_LOG = logging.getLogger("lecturelib")
if not any(isinstance(h, logging.NullHandler) for h in _LOG.handlers):
    _LOG.addHandler(logging.NullHandler())

#: Training stops as diverged once the cost exceeds this factor times ``max(initial cost, 1)``.
DIVERGENCE_FACTOR = 1e12


def _fmt(value: float, digits: int = 6) -> str:
    text = f"{value:.{digits}g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def _same(a: FloatArray | None, b: FloatArray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


@dataclass(frozen=True, eq=False, repr=False)
class History:
    r"""The trajectory of one training run.

    Attributes
    ----------
    w
        The weight before training, then after every update: length
        :math:`1 + \text{updates}`.
    b
        The bias, likewise, or ``None`` for the model :math:`\hat y = x\,w`.
    cost
        The full-data cost :math:`\frac1N\sum_n (x_n w + b - y_n)^2` before training and after
        every epoch: length :math:`1 + \text{epochs\_run}`.
    diverged
        ``True`` when training stopped early because the cost or a parameter became non-finite,
        or the cost exceeded ``1e12 * max(cost[0], 1)``. The last epoch of a diverged run may be
        partial (it stops at the first non-finite parameter, which is recorded).
    lr, epochs, batch_size, shuffle, seed
        The call's learning rate :math:`\eta`, epochs requested, batch size (:math:`N` for
        gradient descent), shuffling and integer seed. ``seed`` is ``None`` both for fresh
        entropy and when a ``numpy.random.Generator`` was passed as the seed: a generator is a
        stream, not a number (its state at the start is kept in the checkpoint, if any).
    updates_per_epoch
        :math:`\lceil N / \text{batch\_size} \rceil`.

    Two histories are equal when all fields are, arrays compared element by element (NaN equal
    to NaN). The arrays are read-only.
    """

    w: FloatArray
    b: FloatArray | None
    cost: FloatArray
    diverged: bool
    lr: float
    epochs: int
    batch_size: int
    shuffle: bool
    seed: int | None
    updates_per_epoch: int

    @property
    def final_w(self) -> float:
        """The weight after training."""
        return float(self.w[-1])

    @property
    def final_b(self) -> float | None:
        """The bias after training (``None`` without bias)."""
        return None if self.b is None else float(self.b[-1])

    @property
    def final_cost(self) -> float:
        """The full-data cost after training."""
        return float(self.cost[-1])

    @property
    def epochs_run(self) -> int:
        """Epochs actually run (fewer than ``epochs`` when training diverged)."""
        return int(self.cost.size - 1)

    @property
    def updates(self) -> int:
        """Parameter updates made."""
        return int(self.w.size - 1)

    @property
    def diverged_at(self) -> int | None:
        """The epoch in which training diverged, or ``None``."""
        return self.epochs_run if self.diverged else None

    def _by_epoch(self, values: FloatArray) -> FloatArray:
        out = values[:: self.updates_per_epoch]
        if self.updates % self.updates_per_epoch:  # a partial last epoch (diverged)
            out = np.append(out, values[-1])
        return out

    @property
    def w_by_epoch(self) -> FloatArray:
        """The weight before training and at the end of every epoch (aligned with :attr:`cost`)."""
        return self._by_epoch(self.w)

    @property
    def b_by_epoch(self) -> FloatArray | None:
        """The bias at the end of every epoch (aligned with :attr:`cost`), or ``None``."""
        return None if self.b is None else self._by_epoch(self.b)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return (
            (self.diverged, self.lr, self.epochs, self.batch_size)
            == (other.diverged, other.lr, other.epochs, other.batch_size)
            and (self.shuffle, self.seed, self.updates_per_epoch)
            == (other.shuffle, other.seed, other.updates_per_epoch)
            and _same(self.w, other.w)
            and _same(self.b, other.b)
            and _same(self.cost, other.cost)
        )

    __hash__ = None  # type: ignore[assignment]  # holds mutable arrays

    def __repr__(self) -> str:
        run = self.epochs_run
        parts = [
            f"epochs={run}" if run == self.epochs else f"epochs={run}/{self.epochs}",
            f"updates={self.updates}",
            f"lr={self.lr:g}",
            f"batch_size={self.batch_size}",
        ]
        if self.shuffle:
            parts.append(f"shuffle=True, seed={self.seed}")
        parts.append(f"w={_fmt(self.w[0])}→{_fmt(self.w[-1])}")
        if self.b is not None:
            parts.append(f"b={_fmt(self.b[0])}→{_fmt(self.b[-1])}")
        parts.append(f"cost={self.cost[0]:.4g}→{self.cost[-1]:.4g}")
        parts.append(f"diverged=True at epoch {run}" if self.diverged else "diverged=False")
        return f"History({', '.join(parts)})"


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


@dataclass(frozen=True)
class _Config:
    algorithm: str
    x: FloatArray
    y: FloatArray
    w0: float
    b0: float | None
    lr: float
    epochs: int
    batch_size: int
    shuffle: bool
    seed: int | None
    generator: np.random.Generator | None
    checkpoint: Path | None
    checkpoint_every: int
    callbacks: tuple[Any, ...]
    log_every: int

    @property
    def updates_per_epoch(self) -> int:
        return -(-self.x.size // self.batch_size)


def _as_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__} {value!r}")
    return bool(value)


def _as_seed(value: Any) -> tuple[int | None, np.random.Generator | None]:
    if value is None:
        return None, None
    if isinstance(value, np.random.Generator):
        return None, value
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            "seed must be an integer >= 0, a numpy.random.Generator or None, not "
            f"{type(value).__name__} {value!r}"
        )
    return as_int("seed", value, minimum=0), None


def _as_checkpoint(value: Any) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise TypeError(
            f"checkpoint must be a path (str or os.PathLike), not {type(value).__name__}"
        )
    path = Path(value)
    if str(value) == "" or path.is_dir():
        raise ValueError(f"checkpoint must be a file path, got the directory {str(path)!r}")
    if history_path(path).is_dir():
        raise ValueError(
            f"checkpoint {str(path)!r}: its history file {str(history_path(path))!r} is a directory"
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(f"checkpoint: the directory {str(path.parent)!r} does not exist")
    return path


def _as_callbacks(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        hint = " (wrap a single callback in a list)" if hasattr(value, "on_epoch_end") else ""
        raise TypeError(
            f"callbacks must be a list of callbacks or None, not {type(value).__name__}{hint}"
        )
    out = tuple(value)
    for i, cb in enumerate(out):
        if not callable(getattr(cb, "on_epoch_end", None)):
            raise TypeError(
                f"callbacks[{i}] must have an on_epoch_end(epoch, history) method, "
                f"got {type(cb).__name__}"
            )
    return out


def _configure(
    algorithm: str,
    x: Any,
    y: Any,
    *,
    w0: Any,
    b0: Any,
    lr: Any,
    epochs: Any,
    batch_size: Any,
    shuffle: Any,
    seed: Any,
    checkpoint: Any,
    checkpoint_every: Any,
    callbacks: Any,
    log_every: Any,
) -> _Config:
    xa, ya = as_data(x, y)
    int_seed, generator = _as_seed(seed)
    return _Config(
        algorithm=algorithm,
        x=xa,
        y=ya,
        w0=as_real("w0", w0),
        b0=None if b0 is None else as_real("b0", b0),
        lr=as_real("lr", lr, positive=True),
        epochs=as_int("epochs", epochs, minimum=0),
        batch_size=xa.size
        if batch_size is None
        else as_int("batch_size", batch_size, minimum=1, maximum=xa.size),
        shuffle=_as_bool("shuffle", shuffle),
        seed=int_seed,
        generator=generator,
        checkpoint=_as_checkpoint(checkpoint),
        checkpoint_every=as_int("checkpoint_every", checkpoint_every, minimum=1),
        callbacks=_as_callbacks(callbacks),
        log_every=as_int("log_every", log_every, minimum=1),
    )


def _cost_beyond(x: FloatArray, y: FloatArray, w: float, b: float) -> float:
    """The full-data MSE once a parameter is no longer finite (NaN or inf, no warning)."""
    with np.errstate(all="ignore"):
        r = x * w + b - y
        return float(np.mean(r * r))


def _state_digest(state: dict[str, Any] | None) -> str:
    text = json.dumps(_jsonable(state), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _seed_label(seed: int | None, seed_state: dict[str, Any] | None) -> str:
    if seed_state is None:
        return repr(seed)
    name = seed_state.get("bit_generator", "?")
    return f"Generator({name}) in the state with sha256 {_state_digest(seed_state)[:12]}…"


def _resume(
    cfg: _Config, rng: np.random.Generator, seed_state: dict[str, Any] | None
) -> tuple[TrainingState, _Stored] | None:
    """Load and check the checkpoint of ``cfg`` (``None`` when there is no file yet)."""
    path = cfg.checkpoint
    if path is None or not path.exists():
        return None
    state, stored = _read(path)
    x_sha, y_sha = data_fingerprint(cfg.x, cfg.y)
    same_seed = state.seed == cfg.seed and (
        (state.seed_state is None and seed_state is None)
        or _state_digest(state.seed_state) == _state_digest(seed_state)
    )
    pairs: list[tuple[str, Any, Any, bool]] = [
        ("algorithm", state.algorithm, cfg.algorithm, state.algorithm == cfg.algorithm),
        ("lr", state.lr, cfg.lr, state.lr == cfg.lr),
        ("batch_size", state.batch_size, cfg.batch_size, state.batch_size == cfg.batch_size),
        ("shuffle", state.shuffle, cfg.shuffle, state.shuffle == cfg.shuffle),
        ("w0", state.w0, cfg.w0, state.w0 == cfg.w0),
        ("b0", state.b0, cfg.b0, state.b0 == cfg.b0),
        ("len(x)", state.n, cfg.x.size, state.n == cfg.x.size),
    ]
    written = [f"{name}={old!r}" for name, old, _, same in pairs if not same]
    called = [f"{name}={new!r}" for name, _, new, same in pairs if not same]
    if not same_seed:
        written.insert(4, f"seed={_seed_label(state.seed, state.seed_state)}")
        called.insert(4, f"seed={_seed_label(cfg.seed, seed_state)}")
    for name, old, new in (("x", state.x_sha256, x_sha), ("y", state.y_sha256, y_sha)):
        if old != new and state.n == cfg.x.size:
            written.append(f"{name} with sha256 {old[:12]}…")
            called.append(f"{name} with sha256 {new[:12]}…")
    if written:
        raise ValueError(
            f"checkpoint {str(path)!r} was written with {', '.join(written)}, called with "
            f"{', '.join(called)}; delete the file or pass another checkpoint path to start afresh"
        )
    if cfg.epochs < state.epoch:
        raise ValueError(
            f"checkpoint {str(path)!r} has already run {state.epoch} epochs, called with "
            f"epochs={cfg.epochs}; pass epochs >= {state.epoch} or delete the file"
        )
    upe = cfg.updates_per_epoch
    full = state.w.size == 1 + state.epoch * upe
    partial = state.diverged and 1 + (state.epoch - 1) * upe < state.w.size <= 1 + state.epoch * upe
    if not (full or partial) or (state.b is None) != (cfg.b0 is None):
        raise CheckpointError(
            f"checkpoint {str(path)!r} holds {state.w.size - 1} updates for {state.epoch} epochs "
            f"of {upe} updates"
        )
    try:
        rng.bit_generator.state = state.rng_state
    except (TypeError, ValueError, KeyError) as exc:
        raise CheckpointError(f"checkpoint {str(path)!r} has an invalid rng_state: {exc}") from None
    _LOG.info("resuming from checkpoint %s at epoch %d/%d", path, state.epoch, cfg.epochs)
    return state, stored


#: Updates kept in Python lists before they are moved into the history's arrays (bounds memory).
_PENDING = 1 << 18
#: Up to this many samples, per-sample SGD iterates a prebuilt list of ``(x, y)`` pairs.
_PAIRS = 4096


class _Loop:
    """One training run: its state, the epoch kernels, and the hooks between them.

    The kernels run whole epochs with Python floats (per-sample updates) or with per-batch
    coefficients computed by numpy once per epoch (mini-batches), and the full-data cost of every
    epoch from the data's moments in :math:`O(1)`. They record every update in Python lists and
    stop at the next epoch that needs a hook (a log line, a checkpoint, a callback) or at
    divergence; only then are the lists moved into the history's arrays.
    """

    def __init__(self, cfg: _Config, moments: _Moments, rng: np.random.Generator) -> None:
        self.cfg, self.m, self.rng = cfg, moments, rng
        self.lr, self.bias = cfg.lr, cfg.b0 is not None
        self.w, self.b = cfg.w0, cfg.b0 or 0.0
        self.epoch, self.diverged = 0, False
        self.ws: list[float] = []
        self.bs: list[float] = []
        self.cs: list[float] = []
        self.w_trace = self.b_trace = self.cost_trace = _Trace(np.empty(0))
        self.bound = _FLOAT_MAX
        # set by kernel(): the samples as float pairs (per-sample SGD), the scaled data and the
        # batches' update coefficients (mini-batch SGD), in data order
        self.samples: Iterable[tuple[float, float]] = ()
        self.x_list: list[float] = []
        self.y_list: list[float] = []
        self.u = self.v = self.counts = np.empty(0)
        self.starts = np.empty(0, dtype=np.intp)
        self.batches: list[tuple[float, ...]] = []

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
            lr=cfg.lr,
            epochs=cfg.epochs,
            batch_size=cfg.batch_size,
            shuffle=cfg.shuffle,
            seed=cfg.seed,
            updates_per_epoch=cfg.updates_per_epoch,
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

    # -- kernels: run epochs self.epoch + 1 … stop (fewer if training diverges) -------------------
    # Each kernel runs epochs self.epoch + 1 … stop, fewer if training diverges. The cost after
    # an epoch comes from the data's moments in O(1): without bias
    # cost(w) = mean(x²)·(w − w₀)² + cost(w₀), w₀ = mean(x y)/mean(x²); with a bias the centred
    # form of model.cost. A cost that is not finite or beyond the bound goes to settle(), which
    # decides in scaled form; with extreme data (not moderate) every epoch does (bound = -inf).

    def _bounds(self) -> float:
        return self.bound if self.m.moderate else -math.inf

    def run_full_batch(self, stop: int) -> None:
        """Gradient descent: each update uses the gradient from the data's moments, O(1)."""
        m, lr, bound = self.m, self.lr, self._bounds()
        w, b, epoch = self.w, self.b, self.epoch
        record_w, record_b, record_cost = self.ws.append, self.bs.append, self.cs.append
        if not m.moderate:  # extreme data: every step in scaled form
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007  # kept below
                g_w, g_b = m.gradient_at(w, b)
                w -= lr * g_w
                if self.bias:
                    b -= lr * g_b
                    record_b(b)
                record_w(w)
                w, b, c = self.settle(w, b)
                record_cost(c)
                if self.diverged:
                    break
        elif self.bias:
            x_var, slope, x_mean, y_mean, rho = m.x_var, m.slope, m.x_mean, m.y_mean, m.residual
            t = x_mean * w + b - y_mean  # the mean residual
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                g_w = 2.0 * (x_var * (w - slope) + x_mean * t)
                w, b = w - lr * g_w, b - lr * (2.0 * t)
                record_w(w)
                record_b(b)
                t = x_mean * w + b - y_mean
                d = w - slope
                c = x_var * d * d + rho + t * t
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    t = x_mean * w + b - y_mean
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        else:
            x_sq, w_opt, c_opt = m.x_sq, m.origin_slope, m.origin_residual
            d = w - w_opt
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                w -= lr * (2.0 * (x_sq * d))  # the gradient 2·mean(x (x w − y))
                record_w(w)
                d = w - w_opt
                c = x_sq * d * d + c_opt
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    d = w - w_opt
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        self.w, self.b, self.epoch = w, b, epoch

    def _samples(self) -> Iterable[tuple[float, float]]:
        """The epoch's samples ``(x_n, y_n)`` as Python floats, in a fresh permutation if
        shuffling (one ``rng.permutation(N)`` per epoch)."""
        if not self.cfg.shuffle:
            if isinstance(self.samples, list):
                return self.samples
            return zip(self.x_list, self.y_list, strict=True)
        order = self.rng.permutation(self.cfg.x.size)
        return zip(self.cfg.x[order].tolist(), self.cfg.y[order].tolist(), strict=True)

    def run_per_sample(self, stop: int) -> None:
        """SGD with one sample per update: the lecture's loop over Python floats."""
        m, lr, bound, shuffle = self.m, self.lr, self._bounds(), self.cfg.shuffle
        w, b, epoch = self.w, self.b, self.epoch
        record_w, record_b, record_cost = self.ws.append, self.bs.append, self.cs.append
        samples, fresh = self.samples, shuffle or not isinstance(self.samples, list)
        if self.bias:
            x_var, slope, x_mean, y_mean, rho = m.x_var, m.slope, m.x_mean, m.y_mean, m.residual
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                if fresh:
                    samples = self._samples()
                for x, y in samples:
                    r = x * w + b - y
                    w, b = w - lr * (2.0 * x * r), b - lr * (2.0 * r)
                    record_w(w)
                    record_b(b)
                t = x_mean * w + b - y_mean
                d = w - slope
                c = x_var * d * d + rho + t * t
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        else:
            x_sq, w_opt, c_opt = m.x_sq, m.origin_slope, m.origin_residual
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                if fresh:
                    samples = self._samples()
                for x, y in samples:
                    w -= lr * (2.0 * x * (x * w - y))  # the lecture's update, bit for bit
                    record_w(w)
                d = w - w_opt
                c = x_sq * d * d + c_opt
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        self.w, self.b, self.epoch = w, b, epoch

    def _batch_coefficients(self) -> list[tuple[float, ...]]:
        r"""Per batch :math:`B` the update :math:`w \leftarrow w - (a w + p b - q)`,
        :math:`b \leftarrow b - (p w + 2\eta b - s)`, with :math:`a = 2\eta\,\overline{x^2}`,
        :math:`p = 2\eta\,\bar x`, :math:`q = 2\eta\,\overline{x y}`, :math:`s = 2\eta\,\bar y`
        (means over :math:`B`), computed on the scaled data and scaled back exactly. Without a
        bias only ``(a, q)`` per batch."""
        u, v = self.u, self.v
        if self.cfg.shuffle:
            order = self.rng.permutation(u.size)
            u, v = u[order], v[order]
        m, starts, counts = self.m, self.starts, self.counts
        lr_m, lr_e = math.frexp(self.lr)
        with np.errstate(all="ignore"):

            def coefficient(values: FloatArray, exponent: int) -> list[float]:
                means = np.add.reduceat(values, starts) / counts
                out: list[float] = np.ldexp(2.0 * lr_m * means, lr_e + exponent).tolist()
                return out

            a = coefficient(u * u, 2 * m.kx)
            q = coefficient(u * v, m.kx + m.ky)
            if not self.bias:
                return list(zip(a, q, strict=True))
            p, s = coefficient(u, m.kx), coefficient(v, m.ky)
            return list(zip(a, p, q, s, strict=True))

    def run_mini_batch(self, stop: int) -> None:
        """Mini-batch SGD: numpy computes every batch's coefficients once per epoch (once in all
        without shuffling), then each update is a few float operations."""
        m, bound, shuffle = self.m, self._bounds(), self.cfg.shuffle
        w, b, epoch = self.w, self.b, self.epoch
        record_w, record_b, record_cost = self.ws.append, self.bs.append, self.cs.append
        two_lr = 2.0 * self.lr
        batches = self.batches
        if self.bias:
            x_var, slope, x_mean, y_mean, rho = m.x_var, m.slope, m.x_mean, m.y_mean, m.residual
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                if shuffle:
                    batches = self._batch_coefficients()
                for a, p, q, s in batches:
                    w, b = w - (a * w + p * b - q), b - (p * w + two_lr * b - s)
                    record_w(w)
                    record_b(b)
                t = x_mean * w + b - y_mean
                d = w - slope
                c = x_var * d * d + rho + t * t
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        else:
            x_sq, w_opt, c_opt = m.x_sq, m.origin_slope, m.origin_residual
            for epoch in range(self.epoch + 1, stop + 1):  # noqa: B007
                if shuffle:
                    batches = self._batch_coefficients()
                for a, q in batches:
                    w -= a * w - q
                    record_w(w)
                d = w - w_opt
                c = x_sq * d * d + c_opt
                if not c <= bound:
                    w, b, c = self.settle(w, b)
                    if self.diverged:
                        record_cost(c)
                        break
                record_cost(c)
        self.w, self.b, self.epoch = w, b, epoch

    def kernel(self) -> Callable[[int], None]:
        """The kernel for this run's batch size, with what it precomputes."""
        cfg, n = self.cfg, self.cfg.x.size
        if cfg.batch_size == n:
            return self.run_full_batch
        if cfg.batch_size == 1:
            if not cfg.shuffle:
                self.x_list, self.y_list = cfg.x.tolist(), cfg.y.tolist()
                # a list of pairs iterates faster than zip(), but costs a pass to build
                if n <= _PAIRS:
                    self.samples = list(zip(self.x_list, self.y_list, strict=True))
            return self.run_per_sample
        with np.errstate(under="ignore"):
            self.u, self.v = np.ldexp(cfg.x, -self.m.kx), np.ldexp(cfg.y, -self.m.ky)
        self.starts = np.arange(0, n, cfg.batch_size)
        self.counts = np.diff(np.append(self.starts, n)).astype(np.float64)
        if not cfg.shuffle:
            self.batches = self._batch_coefficients()
        return self.run_mini_batch


def _train(cfg: _Config) -> History:
    """The one training loop behind :func:`gradient_descent` and :func:`sgd`."""
    rng = cfg.generator if cfg.generator is not None else np.random.default_rng(cfg.seed)
    seed_state = None if cfg.generator is None else _jsonable(rng.bit_generator.state)
    resumed = _resume(cfg, rng, seed_state)
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
            lr=cfg.lr,
            batch_size=cfg.batch_size,
            shuffle=cfg.shuffle,
            seed=cfg.seed,
            w0=cfg.w0,
            b0=cfg.b0,
            n=cfg.x.size,
            x_sha256=x_sha,
            y_sha256=y_sha,
            epoch=loop.epoch,
            epochs=cfg.epochs,
            w=h.w,
            b=h.b,
            cost=h.cost,
            diverged=loop.diverged,
            rng_state=dict(rng.bit_generator.state),
            seed_state=seed_state,
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


def _run(cfg: _Config, loop: _Loop, save: Callable[[], None] | None, saved_epoch: int) -> None:
    """Run the kernel from hook to hook: log lines, checkpoints, callbacks, memory bounds."""
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
        kernel = loop.kernel()
        chunk = max(1, _PENDING // cfg.updates_per_epoch)
        while loop.epoch < epochs and not loop.diverged:
            e = loop.epoch
            stop = e + 1 if callbacks else min(epochs, e + chunk)
            if log:
                stop = min(stop, (e // log_every + 1) * log_every)
            if save is not None:
                stop = min(stop, (e // every + 1) * every)
            kernel(min(stop, epochs))
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


def gradient_descent(
    x: Any,
    y: Any,
    *,
    w0: float = 1.0,
    b0: float | None = None,
    lr: float = 0.01,
    epochs: int = 100,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1,
    callbacks: Iterable[Callback] | None = (),
    log_every: int = 1,
) -> History:
    r"""Gradient descent on the cost of :math:`\hat y = x\,w\;(+\,b)`: one update per epoch.

    .. math::

       w \leftarrow w - \eta\,\frac{1}{N}\sum_{n=1}^{N} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       b \leftarrow b - \eta\,\frac{1}{N}\sum_{n=1}^{N} 2\,(x_n w + b - y_n).

    This is the lecture's ``grad = sum(2*x*(x*w - y)) / len(xs); w -= lr * grad``; it is exactly
    :func:`sgd` with ``batch_size=len(x)``.

    Parameters
    ----------
    x, y
        The training set: 1-D, finite, non-empty, of equal length :math:`N`.
    w0, b0
        Initial weight and bias; ``b0=None`` (default) trains the model without bias.
    lr
        The learning rate :math:`\eta > 0`.
    epochs
        Number of epochs (here: updates), an integer :math:`\ge 0`.
    checkpoint
        A file path for the checkpoint's state; its history goes beside it, to the same name
        with ``.history`` appended (see :mod:`lecturelib.checkpoint`). If the file exists,
        training resumes from it (it must have been written with the same data and
        hyper-parameters, else :class:`ValueError`; an unreadable or tampered checkpoint raises
        :class:`~lecturelib.checkpoint.CheckpointError`). Every ``checkpoint_every`` epochs and
        at the end, the new part of the history is appended and the state replaced atomically,
        so the bytes written grow linearly with the epochs. A directory where the files cannot
        be written raises :class:`OSError` naming it before the first epoch. Asking for as many
        epochs as the checkpoint holds returns its history without training (and without
        writing); asking for more continues.
    checkpoint_every
        Checkpoint period in epochs, :math:`\ge 1`.
    callbacks
        Objects with ``on_epoch_end(epoch, history)`` (and optionally ``on_train_begin(history)``,
        ``on_train_end(history)``), see :mod:`lecturelib.callbacks`; ``None`` or ``()`` for none.
    log_every
        Log one INFO line on the ``"lecturelib"`` logger every ``log_every`` epochs (and at the
        last epoch).

    Returns
    -------
    History
        The weights, biases and costs of the run; ``diverged`` is ``True`` (with a WARNING
        logged) when the learning rate was too large and training stopped early.
    """
    cfg = _configure(
        "gradient_descent",
        x,
        y,
        w0=w0,
        b0=b0,
        lr=lr,
        epochs=epochs,
        batch_size=None,
        shuffle=False,
        seed=None,
        checkpoint=checkpoint,
        checkpoint_every=checkpoint_every,
        callbacks=callbacks,
        log_every=log_every,
    )
    return _train(cfg)


def sgd(
    x: Any,
    y: Any,
    *,
    w0: float = 1.0,
    b0: float | None = None,
    lr: float = 0.01,
    epochs: int = 100,
    batch_size: int = 1,
    shuffle: bool = False,
    seed: int | np.random.Generator | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1,
    callbacks: Iterable[Callback] | None = (),
    log_every: int = 1,
) -> History:
    r"""(Mini-batch) stochastic gradient descent: one update per batch :math:`B`.

    .. math::

       w \leftarrow w - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       b \leftarrow b - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,(x_n w + b - y_n).

    With ``batch_size=1`` and no shuffling this is the lecture's per-sample loop
    ``for x, y in zip(xs, ys): w -= lr * 2*x*(x*w - y)``; with ``batch_size=len(x)`` it is
    exactly :func:`gradient_descent`.

    Parameters
    ----------
    x, y, w0, b0, lr, epochs, checkpoint, checkpoint_every, callbacks, log_every
        As in :func:`gradient_descent`.
    batch_size
        Samples per update, :math:`1 \le |B| \le N`; an epoch makes
        :math:`\lceil N/|B| \rceil` updates, the last batch holding what is left.
    shuffle
        ``False``: batches follow the data order. ``True``: every epoch draws a new permutation
        from ``numpy.random.default_rng(seed)``.
    seed
        The shuffling's randomness: an integer :math:`\ge 0` (``numpy.random.default_rng(seed)``),
        a ``numpy.random.Generator`` (used as it is: it advances by one permutation per epoch,
        and ``History.seed`` is ``None``; to resume a checkpoint pass a generator in the
        state it had when the run started, e.g. ``numpy.random.default_rng(7)`` again), or
        ``None`` for fresh entropy. With ``batch_size=len(x)`` the order cannot matter and no
        permutation is drawn.

    Returns
    -------
    History
        As in :func:`gradient_descent`; ``w`` holds the value after every update.
    """
    cfg = _configure(
        "sgd",
        x,
        y,
        w0=w0,
        b0=b0,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        checkpoint=checkpoint,
        checkpoint_every=checkpoint_every,
        callbacks=callbacks,
        log_every=log_every,
    )
    return _train(cfg)
