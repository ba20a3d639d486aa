r"""The lecture's linear model, its loss, its cost and the cost's gradient.

The model of lecture 2 is :math:`\hat y = x\,w` (the homework adds a bias:
:math:`\hat y = x\,w + b`).
For one sample the *loss* is :math:`(\hat y - y)^2`; over the whole training set the *cost* is the
mean squared error (MSE)

.. math::

   \operatorname{cost}(w, b) = \frac{1}{N}\sum_{n=1}^{N} \left(x_n w + b - y_n\right)^2 .

``cost`` and ``gradient`` accept ``w`` and ``b`` of any shapes that broadcast, so a whole grid of
parameters is evaluated in one call. They never build a ``grid × N`` array: the cost is a
quadratic in ``(w, b)`` whose coefficients are moments of the data, written here in a centred form
in which every term is non-negative (no cancellation, accurate near the optimum too).

Data go through :func:`numpy.asarray`, so ``x[n]`` is paired with ``y[n]`` by position: two
pandas Series are paired by position, not by their index labels (align them first, e.g.
``y.reindex(x.index)``). Masked arrays and ``timedelta64`` values are refused, not misread.

Extreme values. Every finite input gives the finite answer whenever that answer is a float64
(up to rounding), without a ``RuntimeWarning``: the moments are computed on the data scaled by
powers of two (:math:`x = 2^{k_x} u`, :math:`y = 2^{k_y} v` with :math:`|u|, |v| < 1`, an exact
scaling), and a result that would overflow in an intermediate step is recomputed in scaled form.
Only when the true value exceeds the float64 range (about :math:`1.8\times10^{308}`) is there no
answer, and the function raises :class:`ValueError` naming the arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from ._validate import FloatArray, as_data, as_float_array

__all__ = ["cost", "forward", "gradient", "loss"]

#: Data whose scale exponents :math:`k_x, k_y` lie within ``±_MODERATE`` take the direct
#: formulas (no intermediate can overflow or lose precision to underflow there).
_MODERATE = 400
_FLOAT_MAX = float(np.finfo(np.float64).max)


def _params(w: Any, b: Any) -> tuple[FloatArray, FloatArray]:
    return as_float_array("w", w), as_float_array("b", b)


def _out(value: FloatArray) -> Any:
    """Return a Python float for a 0-d result, the array otherwise."""
    return float(value) if value.ndim == 0 else value


def _ldexp(mantissa: float, exponent: int) -> float:
    r""":math:`m\,2^k` as a float, ``±inf`` when it overflows (``math.ldexp`` would raise)."""
    try:
        return math.ldexp(mantissa, exponent)
    except OverflowError:
        return math.copysign(math.inf, mantissa)


def _first_bad(value: FloatArray) -> int:
    return int(np.flatnonzero(~np.isfinite(value.ravel()))[0])


def _overflow(what: str, formula: str, names: str, values: list[FloatArray], at: int) -> ValueError:
    """The error for a result beyond the float64 range, showing the arguments at element ``at``."""
    shown = ", ".join(
        f"{name}={float(np.ravel(v)[at]):.6g}"
        for name, v in zip(names.split(","), values, strict=True)
    )
    return ValueError(
        f"{what} overflows float64: {formula} exceeds {_FLOAT_MAX:.4g} at {shown}; "
        "no float64 can hold it: rescale the data x, y (or use smaller parameters)"
    )


def forward(x: Any, w: Any, b: Any = 0.0) -> Any:
    r"""The prediction :math:`\hat y = x\,w + b` (the lecture's ``forward``).

    ``x``, ``w`` and ``b`` broadcast against each other; a scalar result is a ``float``. If
    :math:`x\,w + b` itself exceeds the float64 range, :class:`ValueError`.
    """
    xa = as_float_array("x", x)
    wa, ba = _params(w, b)
    with np.errstate(all="ignore"):
        value = np.asarray(xa * wa + ba, dtype=np.float64)
        if not np.all(np.isfinite(value)):
            # x·w overflowed: compute (x·w + b)/4 and scale back (exact powers of two)
            xs, ws, bs = np.broadcast_arrays(xa, wa, ba)
            bad = ~np.isfinite(value)
            value = np.array(value)
            value[bad] = 4.0 * (xs[bad] * np.ldexp(ws[bad], -2) + np.ldexp(bs[bad], -2))
            if not np.all(np.isfinite(value)):
                raise _overflow("forward", "x*w + b", "x,w,b", [xs, ws, bs], _first_bad(value))
    return _out(value)


def loss(x: Any, y: Any, w: Any, b: Any = 0.0) -> Any:
    r"""The loss of each sample, :math:`(\hat y - y)^2 = (x\,w + b - y)^2` (the lecture's ``loss``).

    ``x`` and ``y`` are 1-D arrays of equal length; the result has one loss per sample (for scalar
    ``w`` and ``b``), or the broadcast shape of ``x``, ``w`` and ``b``. If a loss exceeds the
    float64 range, :class:`ValueError`.
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, b)
    with np.errstate(all="ignore"):
        r = np.asarray(xa * wa + ba - ya, dtype=np.float64)
        if not np.all(np.isfinite(r)):
            # an intermediate overflowed: compute the residual divided by 8, then scale back
            xs, ys, ws, bs = np.broadcast_arrays(xa, ya, wa, ba)
            bad = ~np.isfinite(r)
            r = np.array(r)
            r[bad] = 8.0 * (
                xs[bad] * np.ldexp(ws[bad], -3) + np.ldexp(bs[bad], -3) - np.ldexp(ys[bad], -3)
            )
        value = np.asarray(r * r, dtype=np.float64)
        if not np.all(np.isfinite(value)):
            xs, ys, ws, bs = np.broadcast_arrays(xa, ya, wa, ba)
            at = _first_bad(value)
            raise _overflow("loss", "(x*w + b - y)**2", "x,y,w,b", [xs, ys, ws, bs], at)
    return _out(value)


@dataclass(frozen=True)
class _Moments:
    r"""Centred moments of a data set: everything the MSE of a line depends on.

    Stored for the scaled data :math:`u = x/2^{k_x}`, :math:`v = y/2^{k_y}` (:math:`|u|, |v| < 1`),
    so no moment overflows or underflows whatever the magnitude of the data; the moments in data
    units (``x_mean`` … ``residual``) are derived from them and may be ``inf`` or lose precision
    to underflow when the data are extreme (then ``moderate`` is ``False``).
    """

    kx: int
    ky: int
    u_mean: float
    v_mean: float
    u_sd: float  # sqrt((1/N) Σ (u − ū)²)
    u_slope: float  # least-squares slope of v on u through the centred data (0 when u_sd == 0)
    v_residual: float  # (1/N) Σ (v − v̄ − u_slope·(u − ū))² ≥ 0
    x_mean: float
    y_mean: float
    x_var: float  # (1/N) Σ (x − x̄)²
    slope: float  # least-squares slope through the centred data
    residual: float  # (1/N) Σ (y − ȳ − slope·(x − x̄))² ≥ 0
    x_sq: float  # (1/N) Σ x²
    origin_slope: float  # w₀ = Σ x y / Σ x², the best line through the origin (0 when x ≡ 0)
    origin_residual: float  # cost(w₀, 0) = (1/N) Σ (y − w₀ x)² ≥ 0
    moderate: bool

    @classmethod
    def of(cls, x: FloatArray, y: FloatArray) -> _Moments:
        kx = math.frexp(float(np.max(np.abs(x))))[1]
        ky = math.frexp(float(np.max(np.abs(y))))[1]
        with np.errstate(under="ignore"):
            u, v = np.ldexp(x, -kx), np.ldexp(y, -ky)
            um, vm = float(np.mean(u)), float(np.mean(v))
            uc, vc = u - um, v - vm
            u_var = float(np.mean(uc * uc))
            u_slope = float(np.mean(uc * vc)) / u_var if u_var > 0 else 0.0
            r = vc - u_slope * uc
            v_residual = float(np.mean(r * r))
            u_sq = float(np.mean(u * u))
            u_origin = float(np.mean(u * v)) / u_sq if u_sq > 0 else 0.0
            r = v - u_origin * u
            v_origin = float(np.mean(r * r))
        return cls(
            kx=kx,
            ky=ky,
            u_mean=um,
            v_mean=vm,
            u_sd=math.sqrt(u_var),
            u_slope=u_slope,
            v_residual=v_residual,
            x_mean=_ldexp(um, kx),
            y_mean=_ldexp(vm, ky),
            x_var=_ldexp(u_var, 2 * kx),
            slope=_ldexp(u_slope, ky - kx),
            residual=_ldexp(v_residual, 2 * ky),
            x_sq=_ldexp(u_sq, 2 * kx),
            origin_slope=_ldexp(u_origin, ky - kx),
            origin_residual=_ldexp(v_origin, 2 * ky),
            moderate=max(abs(kx), abs(ky)) <= _MODERATE,
        )

    def _scaled(self, w: FloatArray, b: FloatArray) -> tuple[Any, Any, Any, Any]:
        r"""The cost's three terms divided by :math:`2^k`, with :math:`k` chosen per element.

        Returns ``(k, d, t, e)`` with :math:`d = \sigma_x (w - w^\ast)/2^k`,
        :math:`t = (\bar x w + b - \bar y)/2^k` and :math:`e = \sqrt\rho/2^k`, so that
        :math:`\operatorname{cost} = 2^{2k}(d^2 + e^2 + t^2)`. First everything is divided by the
        largest scale of a non-zero input term (:math:`|w|\,2^{k_x}`, :math:`|b|`,
        :math:`2^{k_y}`: no overflow), then by the largest result term (no underflow when
        squared). Powers of two are exact."""
        never = np.iinfo(np.int32).min // 2  # the exponent of a term that is exactly zero
        x_term = self.u_mean != 0 or self.u_sd != 0  # x is not all zeros
        y_term = self.v_mean != 0 or self.v_residual != 0
        k = np.maximum(
            np.where((w != 0) & x_term, np.frexp(w)[1] + self.kx, never),
            np.where(b != 0, np.frexp(b)[1], never),
        )
        k = np.maximum(k, self.ky if y_term else never)
        k = np.where(k == never, 0, k)
        ws = np.ldexp(w, self.kx - k) if x_term else np.zeros_like(w)
        ys = np.ldexp(1.0, self.ky - k)
        d = self.u_sd * (ws - self.u_slope * ys)
        t = self.u_mean * ws + np.ldexp(b, -k) - self.v_mean * ys
        e = math.sqrt(self.v_residual) * ys
        j = np.frexp(np.maximum(np.maximum(np.abs(d), np.abs(t)), e))[1]
        return k + j, np.ldexp(d, -j), np.ldexp(t, -j), np.ldexp(e, -j)

    def cost(self, w: FloatArray, b: FloatArray) -> FloatArray:
        """The MSE at every ``(w, b)``: finite wherever the true value is a float64, ``inf``
        where it is larger (no warning)."""
        w, b = np.broadcast_arrays(w, b)
        with np.errstate(all="ignore"):
            if self.moderate:
                t = self.x_mean * w + b - self.y_mean
                d = w - self.slope
                # (σ² d) d, not σ² d²: d² may underflow where σ² d² does not
                value = np.array(self.x_var * d * d + self.residual + t * t, dtype=np.float64)
                if math.isfinite(np.sum(value)):  # a sum of non-negative terms: all finite
                    return value
                bad = ~np.isfinite(value)
                w, b = w[bad], b[bad]
            k, d, t, e = self._scaled(w, b)
            scaled = np.ldexp(d * d + e * e + t * t, 2 * k)
            if not self.moderate:
                return np.asarray(scaled, dtype=np.float64)
            value[bad] = scaled
            return value

    def gradient(self, w: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
        r""":math:`(\partial\operatorname{cost}/\partial w, \partial\operatorname{cost}/\partial b)`
        at every ``(w, b)``, finite wherever the true values are (``inf``/NaN elsewhere)."""
        w, b = np.broadcast_arrays(w, b)
        with np.errstate(all="ignore"):
            if self.moderate:
                t = self.x_mean * w + b - self.y_mean
                d_w = np.array(2.0 * (self.x_var * (w - self.slope) + self.x_mean * t), np.float64)
                d_b = np.array(2.0 * t, dtype=np.float64)
                bad = ~(np.isfinite(d_w) & np.isfinite(d_b))
                if not bad.any():
                    return d_w, d_b
                w, b = w[bad], b[bad]
            k, d, t, _ = self._scaled(w, b)
            s_w = np.ldexp(2.0 * (self.u_sd * d + self.u_mean * t), self.kx + k)
            s_b = np.ldexp(2.0 * t, k)
            if not self.moderate:
                return np.asarray(s_w, dtype=np.float64), np.asarray(s_b, dtype=np.float64)
            d_w[bad], d_b[bad] = s_w, s_b
            return d_w, d_b

    def cost_at(self, w: float, b: float) -> float:
        """:meth:`cost` at one point, as a float (``inf`` beyond the float64 range)."""
        return float(self.cost(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)))

    def gradient_at(self, w: float, b: float) -> tuple[float, float]:
        """:meth:`gradient` at one point, as floats."""
        d_w, d_b = self.gradient(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64))
        return float(d_w), float(d_b)


def cost(x: Any, y: Any, w: Any, b: Any = 0.0) -> Any:
    r"""The cost (mean squared error) of the model :math:`\hat y = x\,w + b`.

    .. math::

       \operatorname{cost}(w, b) = \frac{1}{N}\sum_{n=1}^{N} (x_n w + b - y_n)^2
       = \sigma_x^2\,(w - w^\ast)^2 + \rho + (\bar x\, w + b - \bar y)^2 ,

    where :math:`\sigma_x^2` is the variance of ``x``, :math:`w^\ast` the least-squares slope of the
    centred data and :math:`\rho` its mean squared residual. The right-hand side is exact and costs
    :math:`O(N)` once plus :math:`O(1)` per parameter pair.

    Parameters
    ----------
    x, y
        The training set: 1-D, finite, of equal length :math:`N \ge 1`.
    w, b
        Weight and bias, scalars or arrays of any shapes that broadcast (for a cost surface pass a
        ``numpy.meshgrid``). ``b`` defaults to 0, the lecture's model without bias.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for scalar ``w`` and ``b``, otherwise an array of their broadcast shape.

    Raises
    ------
    ValueError
        For bad data or parameters, and when the cost itself exceeds the float64 range (about
        :math:`1.8\times10^{308}`); any smaller cost is returned, however large or small the
        data (for example ``cost([1e200, 2e200], [1, 2], 0.0)`` is 2.5).
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, b)
    value = _Moments.of(xa, ya).cost(wa, ba)
    if not np.all(np.isfinite(value)):
        ws, bs = np.broadcast_arrays(wa, ba)
        raise _overflow("cost", "mean((x*w + b - y)**2)", "w,b", [ws, bs], _first_bad(value))
    return _out(value)


@overload
def gradient(x: Any, y: Any, w: Any, b: None = None) -> Any: ...
@overload
def gradient(x: Any, y: Any, w: Any, b: Any) -> tuple[Any, Any]: ...
def gradient(x: Any, y: Any, w: Any, b: Any = None) -> Any:
    r"""The gradient of :func:`~lecturelib.model.cost`.

    .. math::

       \frac{\partial\,\operatorname{cost}}{\partial w}
       = \frac{1}{N}\sum_{n=1}^{N} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       \frac{\partial\,\operatorname{cost}}{\partial b}
       = \frac{1}{N}\sum_{n=1}^{N} 2\,(x_n w + b - y_n).

    With ``b=None`` (the lecture's model :math:`\hat y = x\,w`) it returns
    :math:`\partial\operatorname{cost}/\partial w` only; with a bias it returns the pair
    ``(d_w, d_b)``. ``w`` and ``b`` broadcast as in :func:`cost`. A derivative beyond the float64
    range raises :class:`ValueError`, as in :func:`cost`.
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, 0.0 if b is None else b)
    d_w, d_b = _Moments.of(xa, ya).gradient(wa, ba)
    bad = ~np.isfinite(d_w) if b is None else ~(np.isfinite(d_w) & np.isfinite(d_b))
    if bad.any():
        ws, bs = np.broadcast_arrays(wa, ba)
        at = int(np.flatnonzero(bad.ravel())[0])
        raise _overflow("gradient", "mean(2*x*(x*w + b - y))", "w,b", [ws, bs], at)
    if b is None:
        return _out(d_w)
    return _out(d_w), _out(d_b)
