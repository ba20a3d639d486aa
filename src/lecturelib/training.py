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

Training reports on the ``"lecturelib"`` logger (one INFO line per epoch, a WARNING when it
diverges); the package adds a :class:`logging.NullHandler`, so nothing is printed unless you
configure logging, e.g. ``logging.basicConfig(level=logging.INFO)``.

Data go through :func:`numpy.asarray`, so ``x[n]`` is paired with ``y[n]`` by position: two
pandas Series are paired by position, not by their index labels (align them first, e.g.
``y.reindex(x.index)``). Masked arrays and ``timedelta64`` values are refused, not misread.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validate import FloatArray, as_data, as_int, as_real
from .checkpoint import (
    CheckpointError,
    TrainingState,
    data_fingerprint,
    load_checkpoint,
    save_checkpoint,
)
from .model import cost as _model_cost

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
        gradient descent), shuffling and seed.
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
    """A growable float64 buffer: amortised O(1) append, read-only views without copying."""

    def __init__(self, values: FloatArray) -> None:
        self._data = np.empty(max(16, 2 * values.size), dtype=np.float64)
        self._data[: values.size] = values
        self._size = int(values.size)

    def append(self, value: float) -> None:
        if self._size == self._data.size:
            grown = np.empty(2 * self._data.size, dtype=np.float64)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size] = value
        self._size += 1

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
    if not path.parent.is_dir():
        raise FileNotFoundError(f"checkpoint: the directory {str(path.parent)!r} does not exist")
    return path


def _as_callbacks(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        hint = " (wrap a single callback in a list)" if hasattr(value, "on_epoch_end") else ""
        raise TypeError(f"callbacks must be a list of callbacks, not {type(value).__name__}{hint}")
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
        seed=None if seed is None else as_int("seed", seed, minimum=0),
        checkpoint=_as_checkpoint(checkpoint),
        checkpoint_every=as_int("checkpoint_every", checkpoint_every, minimum=1),
        callbacks=_as_callbacks(callbacks),
        log_every=as_int("log_every", log_every, minimum=1),
    )


def _full_cost(x: FloatArray, y: FloatArray, w: float, b: float) -> float:
    """The full-data MSE; NaN/inf (no warning) once the parameters are no longer finite."""
    if math.isfinite(w) and math.isfinite(b):
        with np.errstate(all="ignore"):
            return float(_model_cost(x, y, w, b))
    with np.errstate(all="ignore"):
        r = x * w + b - y
        return float(np.mean(r * r))


def _resume(cfg: _Config, rng: np.random.Generator) -> TrainingState | None:
    """Load and check the checkpoint of ``cfg`` (``None`` when there is no file yet)."""
    path = cfg.checkpoint
    if path is None or not path.exists():
        return None
    state = load_checkpoint(path)
    x_sha, y_sha = data_fingerprint(cfg.x, cfg.y)
    pairs: list[tuple[str, Any, Any]] = [
        ("algorithm", state.algorithm, cfg.algorithm),
        ("lr", state.lr, cfg.lr),
        ("batch_size", state.batch_size, cfg.batch_size),
        ("shuffle", state.shuffle, cfg.shuffle),
        ("seed", state.seed, cfg.seed),
        ("w0", state.w0, cfg.w0),
        ("b0", state.b0, cfg.b0),
        ("len(x)", state.n, cfg.x.size),
    ]
    written = [f"{name}={old!r}" for name, old, new in pairs if old != new]
    called = [f"{name}={new!r}" for name, old, new in pairs if old != new]
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
    if not (full or partial):
        raise CheckpointError(
            f"checkpoint {str(path)!r} holds {state.w.size - 1} updates for {state.epoch} epochs "
            f"of {upe} updates"
        )
    try:
        rng.bit_generator.state = state.rng_state
    except (TypeError, ValueError, KeyError) as exc:
        raise CheckpointError(f"checkpoint {str(path)!r} has an invalid rng_state: {exc}") from None
    _LOG.info("resuming from checkpoint %s at epoch %d/%d", path, state.epoch, cfg.epochs)
    return state


def _train(cfg: _Config) -> History:
    """The one training loop behind :func:`gradient_descent` and :func:`sgd`."""
    x, y, lr, bs = cfg.x, cfg.y, cfg.lr, cfg.batch_size
    n, has_bias = x.size, cfg.b0 is not None
    rng = np.random.default_rng(cfg.seed)
    state = _resume(cfg, rng)
    if state is None:
        w, b, epoch = cfg.w0, cfg.b0 or 0.0, 0
        c0 = _full_cost(x, y, w, b)
        w_trace, cost_trace = _Trace(np.array([w])), _Trace(np.array([c0]))
        b_trace = _Trace(np.array([b])) if has_bias else None
        diverged, saved_epoch = not math.isfinite(c0), -1
    else:
        epoch, diverged, saved_epoch = state.epoch, state.diverged, state.epoch
        w_trace, cost_trace = _Trace(state.w), _Trace(state.cost)
        b_trace = None if state.b is None else _Trace(state.b)
        w, b = float(state.w[-1]), 0.0 if state.b is None else float(state.b[-1])
    bound = DIVERGENCE_FACTOR * max(float(cost_trace.view()[0]), 1.0)
    x_sha, y_sha = data_fingerprint(x, y)

    def history(final: bool = False) -> History:
        take = _Trace.array if final else _Trace.view
        return History(
            w=take(w_trace),
            b=None if b_trace is None else take(b_trace),
            cost=take(cost_trace),
            diverged=diverged,
            lr=lr,
            epochs=cfg.epochs,
            batch_size=bs,
            shuffle=cfg.shuffle,
            seed=cfg.seed,
            updates_per_epoch=cfg.updates_per_epoch,
        )

    def save(path: Path) -> None:
        h = history()
        save_checkpoint(
            path,
            TrainingState(
                algorithm=cfg.algorithm,
                lr=lr,
                batch_size=bs,
                shuffle=cfg.shuffle,
                seed=cfg.seed,
                w0=cfg.w0,
                b0=cfg.b0,
                n=n,
                x_sha256=x_sha,
                y_sha256=y_sha,
                epoch=epoch,
                epochs=cfg.epochs,
                w=h.w,
                b=h.b,
                cost=h.cost,
                diverged=diverged,
                rng_state=dict(rng.bit_generator.state),
            ),
        )

    for cb in cfg.callbacks:
        if callable(begin := getattr(cb, "on_train_begin", None)):
            begin(history())
    while epoch < cfg.epochs and not diverged:
        epoch += 1
        if cfg.shuffle:
            order = rng.permutation(n)
            xs, ys = x[order], y[order]
        else:
            xs, ys = x, y
        with np.errstate(all="ignore"):
            for lo in range(0, n, bs):
                xb, yb = xs[lo : lo + bs], ys[lo : lo + bs]
                r = xb * w + b - yb
                w, b = (
                    w - lr * float(np.mean(2.0 * xb * r)),
                    b - lr * float(np.mean(2.0 * r)) if has_bias else b,
                )
                w_trace.append(w)
                if b_trace is not None:
                    b_trace.append(b)
                if not (math.isfinite(w) and math.isfinite(b)):
                    diverged = True
                    break
        c = _full_cost(x, y, w, b)
        cost_trace.append(c)
        diverged = diverged or not (math.isfinite(c) and c <= bound)
        if epoch % cfg.log_every == 0 or epoch == cfg.epochs or diverged:
            if has_bias:
                _LOG.info("epoch %d/%d: w=%.7g b=%.7g cost=%.4g", epoch, cfg.epochs, w, b, c)
            else:
                _LOG.info("epoch %d/%d: w=%.7g cost=%.4g", epoch, cfg.epochs, w, c)
        if cfg.checkpoint is not None and (
            epoch % cfg.checkpoint_every == 0 or epoch == cfg.epochs or diverged
        ):
            save(cfg.checkpoint)
            saved_epoch = epoch
        so_far = history()
        for cb in cfg.callbacks:
            cb.on_epoch_end(epoch, so_far)
    if cfg.checkpoint is not None and saved_epoch != epoch:
        save(cfg.checkpoint)
    if diverged:
        _LOG.warning(
            "training diverged at epoch %d/%d (lr=%g, cost %.4g); try a smaller learning rate",
            epoch,
            cfg.epochs,
            lr,
            float(cost_trace.view()[-1]),
        )
    result = history(final=True)
    for cb in cfg.callbacks:
        if callable(end := getattr(cb, "on_train_end", None)):
            end(result)
    return result


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
    callbacks: Iterable[Callback] = (),
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
        A file path. If the file exists, training resumes from it (it must have been written
        with the same data and hyper-parameters, else :class:`ValueError`; an unreadable file
        raises :class:`~lecturelib.checkpoint.CheckpointError`). The state is written atomically
        every ``checkpoint_every`` epochs and at the end. Asking for as many epochs as the file
        holds returns its history without training; asking for more continues.
    checkpoint_every
        Checkpoint period in epochs, :math:`\ge 1`.
    callbacks
        Objects with ``on_epoch_end(epoch, history)`` (and optionally ``on_train_begin(history)``,
        ``on_train_end(history)``), see :mod:`lecturelib.callbacks`.
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
    seed: int | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1,
    callbacks: Iterable[Callback] = (),
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
        Seed of the shuffling (an integer :math:`\ge 0`, or ``None`` for fresh entropy).

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
