r"""The record of one training run: :class:`History`.

:func:`~lecturelib.training.gradient_descent` and :func:`~lecturelib.training.sgd` return it, a
callback receives it after every epoch (see :mod:`lecturelib.callbacks`), and a checkpoint stores
it (see :mod:`lecturelib.checkpoint`). It holds every weight (and bias) the run went through and
the full-data cost after every epoch; its ``repr`` tells in one line what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import FloatArray

__all__ = ["History"]


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
