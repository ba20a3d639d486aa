r"""How large may the learning rate be? (训练失败：学习率太大, lecture 3.)

For the model :math:`\hat y = x\,w` the MSE is a parabola in :math:`w` with curvature
:math:`2\,\overline{x^2}`, where :math:`\overline{x^2} = \frac1N\sum_n x_n^2`. One step of gradient
descent multiplies the distance to the optimum :math:`w^\ast` by a constant:

.. math::

   w_{t+1} - w^\ast = \bigl(1 - 2\eta\,\overline{x^2}\bigr)\,(w_t - w^\ast),

so GD converges if and only if :math:`|1 - 2\eta\,\overline{x^2}| < 1`, i.e.
:math:`\eta < 1/\overline{x^2}` (3/14 ≈ 0.214 for the course's :math:`x = [1, 2, 3]`).
Mini-batch SGD in a fixed order multiplies the error by one such factor per batch; over an epoch
the factors multiply, which gives a (slightly smaller) threshold, about 0.204 for per-sample SGD
on the same data. The thresholds do not depend on :math:`y`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import FloatArray, as_float_array, as_int, as_vector

__all__ = ["batch_second_moments", "gd_lr_threshold", "sgd_epoch_factor", "sgd_lr_threshold"]

_SCAN_POINTS = 4097
_BISECTIONS = 200


def _samples(x: Any) -> FloatArray:
    xa = as_vector("x", x)
    if not np.any(xa != 0.0):
        raise ValueError("x must not be all zeros: the cost does not depend on w then")
    return xa


def gd_lr_threshold(x: Any) -> float:
    r"""The learning rate above which full-batch gradient descent on :math:`\hat y = x\,w` diverges.

    .. math::

       \eta_\text{GD} = \frac{1}{\overline{x^2}} = \frac{N}{\sum_{n=1}^N x_n^2} .

    At exactly :math:`\eta_\text{GD}` the iterate oscillates around :math:`w^\ast` with constant
    amplitude; below it converges, above it diverges.
    """
    xa = _samples(x)
    return float(1.0 / np.mean(xa * xa))


def batch_second_moments(x: Any, batch_size: int = 1) -> FloatArray:
    r"""The mean of :math:`x^2` over each consecutive mini-batch, in order.

    .. math::

       m_k = \frac{1}{|B_k|}\sum_{n \in B_k} x_n^2, \qquad
       B_k = \{kB, \dots, \min((k+1)B, N) - 1\}

    (the last batch may be smaller).
    """
    xa = _samples(x)
    size = as_int("batch_size", batch_size, minimum=1, maximum=xa.size)
    sq = xa * xa
    return np.array([np.mean(sq[i : i + size]) for i in range(0, sq.size, size)])


def sgd_epoch_factor(x: Any, lr: Any, batch_size: int = 1) -> Any:
    r"""The factor by which one in-order epoch of mini-batch SGD multiplies :math:`w - w^\ast`.

    .. math::

       P(\eta) = \prod_{k} \bigl(1 - 2\eta\, m_k\bigr)

    with :math:`m_k` from :func:`batch_second_moments`. Exact when the data fit a line through
    the origin (:math:`y = w^\ast x`); in general it is the slope of the epoch map, which decides
    stability. ``lr`` may be an array (a ``float`` for a scalar).
    """
    m = batch_second_moments(x, batch_size)
    eta = as_float_array("lr", lr)
    value = np.prod(1.0 - 2.0 * np.multiply.outer(eta, m), axis=-1)
    return float(value) if value.ndim == 0 else value


def sgd_lr_threshold(x: Any, batch_size: int = 1) -> float:
    r"""The largest learning rate at which in-order mini-batch SGD on :math:`\hat y = xw` converges.

    It is the first :math:`\eta > 0` where one epoch stops contracting,

    .. math::

       \eta_\text{SGD} = \min\bigl\{\eta > 0 : |P(\eta)| = 1\bigr\}, \qquad
       P(\eta) = \prod_{k} \bigl(1 - 2\eta\, m_k\bigr),

    (see :func:`sgd_epoch_factor`). Below :math:`1/(2\max_k m_k)` every factor lies in
    :math:`(0, 1)`; at :math:`1/\min_k m_k` every factor is :math:`\le -1`; the crossing between
    them is located by a scan of :math:`\log|P|` followed by bisection to machine precision.
    With ``batch_size = len(x)`` it equals :func:`gd_lr_threshold`.
    """
    m = batch_second_moments(x, batch_size)
    m = m[m > 0]  # batches of zeros do not change w

    def log_abs_p(eta: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore"):
            out: FloatArray = np.sum(np.log(np.abs(1.0 - 2.0 * np.multiply.outer(eta, m))), axis=-1)
            return out

    lo, hi = 0.5 / float(np.max(m)), 1.0 / float(np.min(m))
    scan = np.linspace(lo, hi, _SCAN_POINTS)
    crossed = np.flatnonzero(log_abs_p(scan) >= 0.0)  # non-empty: |P(hi)| >= 1
    k = int(crossed[0]) if crossed.size else _SCAN_POINTS - 1
    if k == 0:
        return float(scan[0])
    a, b = float(scan[k - 1]), float(scan[k])  # |P(a)| < 1 <= |P(b)|
    for _ in range(_BISECTIONS):
        mid = 0.5 * (a + b)
        if mid in (a, b):
            break
        if float(log_abs_p(np.array(mid))) >= 0.0:
            b = mid
        else:
            a = mid
    return b
