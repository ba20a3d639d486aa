r"""One epoch of updates, for each batch size: the kernels of the training loop.

A *step* ``step(w, b) -> (w, b)`` makes one epoch's updates with Python floats, records every new
weight (and bias, with a bias) by calling ``record_w`` (``record_b``), and returns the parameters
after the epoch; :mod:`lecturelib._loop` runs the epochs and computes their costs. The updates are
the lecture's, written out so that each one costs a few float operations:

* gradient descent (``batch_size == len(x)``): one update per epoch, from the data's moments in
  :math:`O(1)` (:mod:`lecturelib.model`);
* per-sample SGD (``batch_size == 1``): the lecture's loop over Python floats, bit for bit;
* mini-batch SGD: numpy computes every batch's update coefficients once per epoch (once in all
  without shuffling), then each update is a few float operations.

With shuffling, every epoch draws one permutation of the samples from ``rng``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._validate import FloatArray
from .model import _Moments

__all__ = ["Step", "step_for"]

#: One epoch's updates: ``(w, b)`` before the epoch to ``(w, b)`` after it.
Step = Callable[[float, float], tuple[float, float]]
#: Records one new parameter value.
Record = Callable[[float], None]

#: Up to this many samples, per-sample SGD iterates a prebuilt list of ``(x, y)`` pairs.
_PAIRS = 4096


def step_for(
    x: FloatArray,
    y: FloatArray,
    m: _Moments,
    *,
    lr: float,
    bias: bool,
    batch_size: int,
    shuffle: bool,
    rng: np.random.Generator,
    record_w: Record,
    record_b: Record,
) -> Step:
    """The step for this batch size, with what it precomputes."""
    if batch_size == x.size:
        return _full_batch_step(m, lr, bias, record_w, record_b)
    if batch_size == 1:
        return _per_sample_step(x, y, lr, bias, _sampler(x, y, shuffle, rng), record_w, record_b)
    with np.errstate(under="ignore"):
        u, v = np.ldexp(x, -m.kx), np.ldexp(y, -m.ky)
    starts = np.arange(0, x.size, batch_size)
    counts = np.diff(np.append(starts, x.size)).astype(np.float64)

    def batches() -> list[tuple[float, ...]]:
        order = rng.permutation(u.size) if shuffle else None
        return _batch_coefficients(u, v, order, starts, counts, m, lr, bias)

    return _mini_batch_step(lr, bias, batches, shuffle, record_w, record_b)


def _full_batch_step(
    m: _Moments, lr: float, bias: bool, record_w: Record, record_b: Record
) -> Step:
    """Gradient descent: each update uses the gradient from the data's moments, O(1)."""
    if not m.moderate:  # extreme data: every step in scaled form

        def scaled_step(w: float, b: float) -> tuple[float, float]:
            g_w, g_b = m.gradient_at(w, b)
            w -= lr * g_w
            if bias:
                b -= lr * g_b
                record_b(b)
            record_w(w)
            return w, b

        return scaled_step
    if not bias:
        x_sq, w_opt = m.x_sq, m.origin_slope

        def step(w: float, b: float) -> tuple[float, float]:
            w -= lr * (2.0 * (x_sq * (w - w_opt)))  # the gradient 2·mean(x (x w − y))
            record_w(w)
            return w, b

        return step
    x_var, slope, x_mean, y_mean = m.x_var, m.slope, m.x_mean, m.y_mean

    def step_with_bias(w: float, b: float) -> tuple[float, float]:
        t = x_mean * w + b - y_mean  # the mean residual
        g_w = 2.0 * (x_var * (w - slope) + x_mean * t)
        w, b = w - lr * g_w, b - lr * (2.0 * t)
        record_w(w)
        record_b(b)
        return w, b

    return step_with_bias


def _sampler(
    x: FloatArray, y: FloatArray, shuffle: bool, rng: np.random.Generator
) -> Callable[[], Iterable[tuple[float, float]]]:
    """The epoch's samples ``(x_n, y_n)`` as Python floats, in a fresh permutation if shuffling
    (one ``rng.permutation(N)`` per epoch)."""
    if shuffle:

        def shuffled() -> Iterable[tuple[float, float]]:
            order = rng.permutation(x.size)
            return zip(x[order].tolist(), y[order].tolist(), strict=True)

        return shuffled
    x_list, y_list = x.tolist(), y.tolist()
    if x.size <= _PAIRS:  # a list of pairs iterates faster than zip(), but costs a pass to build
        pairs = list(zip(x_list, y_list, strict=True))
        return lambda: pairs
    return lambda: zip(x_list, y_list, strict=True)


def _per_sample_step(
    x: FloatArray,
    y: FloatArray,
    lr: float,
    bias: bool,
    samples: Callable[[], Iterable[tuple[float, float]]],
    record_w: Record,
    record_b: Record,
) -> Step:
    """SGD with one sample per update: the lecture's loop over Python floats."""
    if not bias:

        def step(w: float, b: float) -> tuple[float, float]:
            for x, y in samples():
                w -= lr * (2.0 * x * (x * w - y))  # the lecture's update, bit for bit
                record_w(w)
            return w, b

        return step

    def step_with_bias(w: float, b: float) -> tuple[float, float]:
        for x, y in samples():
            r = x * w + b - y
            w, b = w - lr * (2.0 * x * r), b - lr * (2.0 * r)
            record_w(w)
            record_b(b)
        return w, b

    return step_with_bias


def _batch_coefficients(
    u: FloatArray,
    v: FloatArray,
    order: NDArray[np.integer[Any]] | None,
    starts: NDArray[np.integer[Any]],
    counts: FloatArray,
    m: _Moments,
    lr: float,
    bias: bool,
) -> list[tuple[float, ...]]:
    r"""Per batch :math:`B` the update :math:`w \leftarrow w - (a w + p b - q)`,
    :math:`b \leftarrow b - (p w + 2\eta b - s)`, with :math:`a = 2\eta\,\overline{x^2}`,
    :math:`p = 2\eta\,\bar x`, :math:`q = 2\eta\,\overline{x y}`, :math:`s = 2\eta\,\bar y`
    (means over :math:`B`), computed on the scaled data ``u``, ``v`` (in the given ``order``)
    and scaled back exactly. Without a bias only ``(a, q)`` per batch."""
    if order is not None:
        u, v = u[order], v[order]
    lr_m, lr_e = math.frexp(lr)
    with np.errstate(all="ignore"):

        def coefficient(values: FloatArray, exponent: int) -> list[float]:
            means = np.add.reduceat(values, starts) / counts
            out: list[float] = np.ldexp(2.0 * lr_m * means, lr_e + exponent).tolist()
            return out

        a = coefficient(u * u, 2 * m.kx)
        q = coefficient(u * v, m.kx + m.ky)
        if not bias:
            return list(zip(a, q, strict=True))
        p, s = coefficient(u, m.kx), coefficient(v, m.ky)
        return list(zip(a, p, q, s, strict=True))


def _mini_batch_step(
    lr: float,
    bias: bool,
    coefficients: Callable[[], list[tuple[float, ...]]],
    shuffle: bool,
    record_w: Record,
    record_b: Record,
) -> Step:
    """Mini-batch SGD: each update is a few float operations with the batch's coefficients."""
    two_lr = 2.0 * lr
    fixed = None if shuffle else coefficients()  # without shuffling, computed once in all
    if not bias:

        def step(w: float, b: float) -> tuple[float, float]:
            for a, q in coefficients() if fixed is None else fixed:
                w -= a * w - q
                record_w(w)
            return w, b

        return step

    def step_with_bias(w: float, b: float) -> tuple[float, float]:
        for a, p, q, s in coefficients() if fixed is None else fixed:
            w, b = w - (a * w + p * b - q), b - (p * w + two_lr * b - s)
            record_w(w)
            record_b(b)
        return w, b

    return step_with_bias
