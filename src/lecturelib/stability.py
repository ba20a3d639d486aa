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

Every function here works for any finite ``x``, whatever its scale: the moments are computed
from ``x`` scaled by a power of two, the product :math:`P(\eta)` through its logarithm. A result
that float64 cannot hold (for instance the threshold of ``x = [1e-200]``, about
:math:`10^{400}`) raises a :class:`ValueError` that names the argument.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._validate import FloatArray, as_float_array, as_int, as_vector

__all__ = ["batch_second_moments", "gd_lr_threshold", "sgd_epoch_factor", "sgd_lr_threshold"]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_LOG_MAX = math.log(sys.float_info.max)
_LOG_TINY = math.log(sys.float_info.min)  # the smallest normal float64
_TOL = 2.0**-55  # bisection tolerance on log(eta): a relative error of eta below 3e-17


def _samples(x: Any) -> FloatArray:
    xa = as_vector("x", x)
    if not np.any(xa != 0.0):
        raise ValueError("x must not be all zeros: the cost does not depend on w then")
    return xa


@dataclass(frozen=True)
class _Moments:
    r"""Batch means of :math:`x^2` as :math:`m_k = \mu_k\,4^{e_k}` (never overflows).

    ``mu`` is in :math:`[1/(4|B_k|), 1)` for a batch with a non-zero sample, 0 for a batch of
    zeros; ``e`` is the binary exponent of the batch's largest :math:`|x_n|`.
    """

    mu: FloatArray
    e: NDArray[np.int64]

    @classmethod
    def of(cls, xa: FloatArray, size: int) -> _Moments:
        n_batches = -(-xa.size // size)
        padded = np.zeros(n_batches * size)
        padded[: xa.size] = xa
        rows = padded.reshape(n_batches, size)  # the last batch padded with zeros
        counts = np.full(n_batches, float(size))
        counts[-1] = xa.size - (n_batches - 1) * size
        e = np.frexp(np.max(np.abs(rows), axis=1))[1].astype(np.int64)
        scaled = np.ldexp(rows, -e[:, np.newaxis])  # |scaled| < 1, exact unless negligible
        mu = np.sum(scaled * scaled, axis=1) / counts
        return cls(mu=mu, e=e)

    def log(self) -> FloatArray:
        r""":math:`\log m_k` (``-inf`` for a batch of zeros), accurate at any scale."""
        with np.errstate(divide="ignore"):
            out: FloatArray = np.log(self.mu) + 2.0 * _LN2 * self.e
        return out


def _log10(log_value: float) -> str:
    return f"10^{log_value / _LN10:.1f}"


def _representable(mantissa: float, exponent: int, what: str) -> float:
    """``mantissa * 2**exponent`` if float64 holds it as a normal number, else a ValueError."""
    try:
        value = math.ldexp(mantissa, exponent)
    except OverflowError:
        value = math.inf
    if value == math.inf or value < sys.float_info.min:
        log_value = math.log(mantissa) + _LN2 * exponent
        if value == math.inf:
            raise ValueError(
                f"x is too small: {what} is about {_log10(log_value)}, more than float64 holds "
                f"(about 1.8e308); rescale x"
            )
        raise ValueError(
            f"x is too large: {what} is about {_log10(log_value)}, below the smallest normal "
            f"float64 (about 2.2e-308); rescale x"
        )
    return value


def gd_lr_threshold(x: Any) -> float:
    r"""The learning rate above which full-batch gradient descent on :math:`\hat y = x\,w` diverges.

    .. math::

       \eta_\text{GD} = \frac{1}{\overline{x^2}} = \frac{N}{\sum_{n=1}^N x_n^2} .

    At exactly :math:`\eta_\text{GD}` the iterate oscillates around :math:`w^\ast` with constant
    amplitude; below it converges, above it diverges.
    """
    xa = _samples(x)
    return _inverse_moment(_Moments.of(xa, xa.size), 0, "the threshold 1/mean(x²)")


def _inverse_moment(moments: _Moments, k: int, what: str) -> float:
    """:math:`1/m_k`, checked to be a normal float64."""
    return _representable(1.0 / float(moments.mu[k]), -2 * int(moments.e[k]), what)


def batch_second_moments(x: Any, batch_size: int = 1) -> FloatArray:
    r"""The mean of :math:`x^2` over each consecutive mini-batch, in order.

    .. math::

       m_k = \frac{1}{|B_k|}\sum_{n \in B_k} x_n^2, \qquad
       B_k = \{kB, \dots, \min((k+1)B, N) - 1\}

    (the last batch may be smaller). Computed without overflow in :math:`x_n^2`; a mean beyond
    float64 (:math:`x_n \gtrsim 10^{154}`) raises a :class:`ValueError`.
    """
    xa = _samples(x)
    size = as_int("batch_size", batch_size, minimum=1, maximum=xa.size)
    moments = _Moments.of(xa, size)
    with np.errstate(over="ignore", under="ignore"):
        out: FloatArray = np.ldexp(moments.mu, 2 * moments.e)
    if not np.all(np.isfinite(out)):
        k = int(np.flatnonzero(~np.isfinite(out))[0])
        raise ValueError(
            f"x is too large: the mean of x² over batch {k} is about "
            f"{_log10(float(moments.log()[k]))}, more than float64 holds; rescale x"
        )
    return out


def _log_abs_factor(d: FloatArray) -> FloatArray:
    r""":math:`\log|1 - e^{d}| = \max(d, 0) + \log(1 - e^{-|d|})`, for any finite d (-inf at 0)."""
    with np.errstate(divide="ignore"):
        out: FloatArray = np.maximum(d, 0.0) + np.log(-np.expm1(-np.abs(d)))
    return out


def _log_one_plus(d: FloatArray) -> FloatArray:
    r""":math:`\log(1 + e^{d})` element-wise, without overflow."""
    out: FloatArray = np.maximum(d, 0.0) + np.log1p(np.exp(-np.abs(d)))
    return out


def sgd_epoch_factor(x: Any, lr: Any, batch_size: int = 1) -> Any:
    r"""The factor by which one in-order epoch of mini-batch SGD multiplies :math:`w - w^\ast`.

    .. math::

       P(\eta) = \prod_{k} \bigl(1 - 2\eta\, m_k\bigr)

    with :math:`m_k` from :func:`batch_second_moments`. Exact when the data fit a line through
    the origin (:math:`y = w^\ast x`); in general it is the slope of the epoch map, which decides
    stability. ``lr`` may be an array (a ``float`` for a scalar). When :math:`2\eta m_k` or the
    product would overflow, :math:`P` is computed through :math:`\log|P|`; a :math:`|P|` beyond
    float64 raises a :class:`ValueError` naming ``lr``.
    """
    xa = _samples(x)
    size = as_int("batch_size", batch_size, minimum=1, maximum=xa.size)
    eta = as_float_array("lr", lr)
    moments = _Moments.of(xa, size)
    log_m = moments.log()
    if np.all((log_m < _LOG_MAX - 1.0) & ((moments.mu == 0.0) | (log_m > _LOG_TINY + 1.0))):
        m = np.ldexp(moments.mu, 2 * moments.e)  # every m_k is a normal float64 (or 0)
        try:
            with np.errstate(over="raise", invalid="raise"):
                value = np.prod(1.0 - 2.0 * np.multiply.outer(eta, m), axis=-1)
            return float(value) if value.ndim == 0 else value
        except FloatingPointError:
            pass  # some 2ηm_k or the product overflows: take the logarithmic route
    return _epoch_factor_by_logs(eta, log_m[moments.mu > 0])


def _epoch_factor_by_logs(eta: FloatArray, log_m: FloatArray) -> Any:
    flat = eta.reshape(-1)
    out = np.ones(flat.size)
    for i, lr in enumerate(flat.tolist()):
        if lr == 0.0:
            continue
        log_t = math.log(abs(lr)) + _LN2 + log_m  # log of |2 η m_k|
        if lr > 0:
            log_abs = float(np.sum(_log_abs_factor(log_t)))
            sign = -1.0 if int(np.count_nonzero(log_t > 0.0)) % 2 else 1.0
        else:
            log_abs, sign = float(np.sum(_log_one_plus(log_t))), 1.0
        if log_abs >= _LOG_MAX:
            raise ValueError(
                f"lr is too large: the epoch factor at lr={lr:g} is about ±{_log10(log_abs)}, "
                f"more than float64 holds"
            )
        out[i] = sign * math.exp(log_abs) if log_abs > -math.inf else 0.0
    value = out.reshape(eta.shape)
    return float(value) if value.ndim == 0 else value


class _LogProduct:
    r""":math:`F(\ell) = \log|P(e^\ell)| = \sum_i c_i \log|1 - e^{\ell - \rho_i}|`.

    ``rho`` are the distinct roots :math:`\rho_i = \log\frac{1}{2 m_i}` in increasing order,
    ``count`` their multiplicities. Between two roots every term is concave, so F is: it lies
    below each of its tangents, which bounds its maximum and makes Newton's method approach a
    zero on the rising side from the left without overshooting.
    """

    def __init__(self, rho: FloatArray, count: FloatArray) -> None:
        self.rho = rho
        self.count = count

    def value(self, ell: float) -> float:
        return float(np.dot(self.count, _log_abs_factor(ell - self.rho)))

    def value_slope(self, ell: float) -> tuple[float, float]:
        r""":math:`F(\ell)` and :math:`F'(\ell) = \sum_i c_i\,t_i/(t_i - 1)`,
        :math:`t_i = e^{\ell-\rho_i}`; :math:`\ell` must not be a root."""
        d = ell - self.rho
        e = np.expm1(-np.abs(d))  # in (-1, 0): -(1 - e^{-|d|})
        value = np.maximum(d, 0.0) + np.log(-e)
        slope = np.where(d > 0.0, -1.0 / e, 1.0 + 1.0 / e)
        return float(np.dot(self.count, value)), float(np.dot(self.count, slope))

    def upper_bound(self, a: float, b: float) -> float:
        r"""An upper bound of :math:`F` on :math:`[a, b]`: each term is largest at an end."""
        ends = np.maximum(_log_abs_factor(a - self.rho), _log_abs_factor(b - self.rho))
        return float(np.dot(self.count, ends))

    def first_zero(self, lo: float, hi: float) -> float:
        r"""The first point of ``[lo, hi]`` where :math:`F \ge 0`, given :math:`F(lo) < 0 \le
        F(hi)` with one sign change and F concave there (``lo`` may be a root).

        Newton steps from the left (they cannot overshoot a zero of a concave function), capped
        at the middle of the bracket; once they stall, a doubling step from ``lo`` brackets the
        zero closely and bisection ends it. Returns the right end of a bracket of width
        ``_TOL`` (relative), or of two adjacent floats.
        """
        at_root = True  # F(lo) = -inf until a trial point replaces lo
        for _ in range(100):
            trial = lo + 0.5 * (hi - lo)
            if not at_root:
                v, s = self.value_slope(lo)
                trial = min(lo - v / s, trial) if s > 0.0 else trial
            if not lo < trial < hi:
                break
            if self.value(trial) >= 0.0:
                hi = trial
            else:
                lo, at_root = trial, False
        step = _TOL * max(1.0, abs(lo))
        while lo + step < hi:  # the zero is just right of lo: bracket it
            if self.value(lo + step) >= 0.0:
                hi = lo + step
                break
            lo, step = lo + step, 2.0 * step
        while hi - lo > _TOL * max(1.0, abs(hi)):
            mid = lo + 0.5 * (hi - lo)
            if not lo < mid < hi:
                break
            if self.value(mid) >= 0.0:
                hi = mid
            else:
                lo = mid
        return hi

    def zero_in_gap(self, a: float, b: float) -> float | None:
        r"""The first zero of F between the consecutive roots a < b, or None if F < 0 there.

        F rises from :math:`-\infty` to one maximum and falls again. Bisect the sign of the
        decreasing :math:`F'` towards the maximum; stop as soon as a point has :math:`F \ge 0`
        (then find the zero on its left) or the tangents at the points on both sides of the
        maximum prove :math:`F < 0` on the whole gap.
        """
        lo, hi = a, b
        left: tuple[float, float, float] | None = None  # (point, F, F') with F' > 0
        right: tuple[float, float, float] | None = None  # F' <= 0
        while True:
            mid = lo + 0.5 * (hi - lo)
            if not lo < mid < hi:
                return None  # the maximum is between adjacent floats, where F < 0
            v, s = self.value_slope(mid)
            if v >= 0.0:
                return self.first_zero(a, mid)
            if s > 0.0:
                left, lo = (mid, v, s), mid
            else:
                right, hi = (mid, v, s), mid
            if left is not None and right is not None:  # both tangents: their crossing
                (p, vp, sp), (q, vq, sq) = left, right
                x = (vq - vp + sp * p - sq * q) / (sp - sq)
                bound = vp + sp * (min(max(x, p), q) - p)
            elif left is not None:  # F rises to the left of p: F <= F(p) + F'(p)(ℓ - p)
                bound = left[1] + left[2] * (b - left[0])
            else:
                bound = right[1] - right[2] * (right[0] - a) if right is not None else 0.0
            if bound < 0.0:
                return None

    def first_crossing(self) -> float:
        r"""The smallest :math:`\ell` with :math:`F(\ell) \ge 0`.

        Below the first root every factor lies in :math:`(0, 1)`, so :math:`F < 0`. The gaps
        between consecutive roots are searched left to right, groups of gaps being skipped
        whenever :meth:`upper_bound` proves :math:`F < 0` on them. Beyond the last root F
        increases (a concave function tending to :math:`+\infty`) and is positive one unit
        further on, where every factor is below :math:`-1`.
        """
        rho = self.rho
        stack = [(0, rho.size - 2)] if rho.size >= 2 else []
        while stack:
            i, j = stack.pop()  # the gaps between rho[i] … rho[j + 1]
            if self.upper_bound(float(rho[i]), float(rho[j + 1])) < 0.0:
                continue
            if i == j:
                found = self.zero_in_gap(float(rho[i]), float(rho[i + 1]))
                if found is not None:
                    return found
                continue
            k = (i + j) // 2
            stack.append((k + 1, j))
            stack.append((i, k))  # searched first
        last = float(rho[-1])
        return self.first_zero(last, last + 1.0)


def sgd_lr_threshold(x: Any, batch_size: int = 1) -> float:
    r"""The largest learning rate at which in-order mini-batch SGD on :math:`\hat y = xw` converges.

    It is the first :math:`\eta > 0` where one epoch stops contracting,

    .. math::

       \eta_\text{SGD} = \min\bigl\{\eta > 0 : |P(\eta)| = 1\bigr\}, \qquad
       P(\eta) = \prod_{k} \bigl(1 - 2\eta\, m_k\bigr),

    (see :func:`sgd_epoch_factor`). :math:`P` is a polynomial with the real roots
    :math:`r_k = 1/(2 m_k)`. Below the smallest root :math:`|P| < 1`. Between two consecutive
    roots :math:`\log|P|` is a sum of concave functions, so it has one maximum there and crosses
    0 at most twice; beyond the largest root it only increases. The search visits the gaps
    between roots in order (skipping any gap where a bound proves :math:`|P| < 1`), finds each
    maximum and, in the first gap where it reaches 1, bisects the rising side to machine
    precision. It cannot step over a crossing, whatever the spread of the batch moments.
    With ``batch_size = len(x)`` it equals :func:`gd_lr_threshold`.
    """
    xa = _samples(x)
    size = as_int("batch_size", batch_size, minimum=1, maximum=xa.size)
    moments = _Moments.of(xa, size)
    keep = moments.mu > 0.0  # batches of zeros do not change w
    e = int(np.max(moments.e[keep]))
    # roots in units of 4^-e, where the largest batch moment is between 1/(4B) and 1
    log_m = np.log(moments.mu[keep]) + 2.0 * _LN2 * (moments.e[keep] - e)
    rho, count = np.unique(-_LN2 - log_m, return_counts=True)
    if rho.size == 1:  # one factor (1 - 2ηm)^c: |P| = 1 exactly at η = 1/m
        return _inverse_moment(moments, int(np.argmax(keep)), "the learning-rate threshold")
    ell = _LogProduct(rho, count.astype(np.float64)).first_crossing()
    k = math.floor(ell / _LN2) if abs(ell) >= 700.0 else 0  # keep exp() within range
    return _representable(math.exp(ell - k * _LN2), k - 2 * e, "the learning-rate threshold")
