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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from ._validate import FloatArray, as_data, as_float_array

__all__ = ["cost", "forward", "gradient", "loss"]


def _params(w: Any, b: Any) -> tuple[FloatArray, FloatArray]:
    return as_float_array("w", w), as_float_array("b", b)


def _out(value: FloatArray) -> Any:
    """Return a Python float for a 0-d result, the array otherwise."""
    return float(value) if value.ndim == 0 else value


def forward(x: Any, w: Any, b: Any = 0.0) -> Any:
    r"""The prediction :math:`\hat y = x\,w + b` (the lecture's ``forward``).

    ``x``, ``w`` and ``b`` broadcast against each other; a scalar result is a ``float``.
    """
    xa = as_float_array("x", x)
    wa, ba = _params(w, b)
    return _out(np.asarray(xa * wa + ba, dtype=np.float64))


def loss(x: Any, y: Any, w: Any, b: Any = 0.0) -> Any:
    r"""The loss of each sample, :math:`(\hat y - y)^2 = (x\,w + b - y)^2` (the lecture's ``loss``).

    ``x`` and ``y`` are 1-D arrays of equal length; the result has one loss per sample (for scalar
    ``w`` and ``b``), or the broadcast shape of ``x``, ``w`` and ``b``.
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, b)
    r = xa * wa + ba - ya
    return _out(np.asarray(r * r, dtype=np.float64))


@dataclass(frozen=True)
class _Moments:
    """Centred moments of a data set: everything the MSE of a line depends on."""

    x_mean: float
    y_mean: float
    x_var: float  # (1/N) Σ (x − x̄)²
    slope: float  # least-squares slope through the centred data (0 when x_var == 0)
    residual: float  # (1/N) Σ (y − ȳ − slope·(x − x̄))² ≥ 0

    @classmethod
    def of(cls, x: FloatArray, y: FloatArray) -> _Moments:
        xm, ym = float(np.mean(x)), float(np.mean(y))
        xc, yc = x - xm, y - ym
        x_var = float(np.mean(xc * xc))
        slope = float(np.mean(xc * yc)) / x_var if x_var > 0 else 0.0
        r = yc - slope * xc
        return cls(xm, ym, x_var, slope, float(np.mean(r * r)))


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
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, b)
    m = _Moments.of(xa, ya)
    mean_residual = m.x_mean * wa + ba - m.y_mean
    value = m.x_var * (wa - m.slope) ** 2 + m.residual + mean_residual**2
    return _out(np.asarray(value, dtype=np.float64))


@overload
def gradient(x: Any, y: Any, w: Any, b: None = None) -> Any: ...
@overload
def gradient(x: Any, y: Any, w: Any, b: Any) -> tuple[Any, Any]: ...
def gradient(x: Any, y: Any, w: Any, b: Any = None) -> Any:
    r"""The gradient of :func:`cost`.

    .. math::

       \frac{\partial\,\operatorname{cost}}{\partial w}
       = \frac{1}{N}\sum_{n=1}^{N} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       \frac{\partial\,\operatorname{cost}}{\partial b}
       = \frac{1}{N}\sum_{n=1}^{N} 2\,(x_n w + b - y_n).

    With ``b=None`` (the lecture's model :math:`\hat y = x\,w`) it returns
    :math:`\partial\operatorname{cost}/\partial w` only; with a bias it returns the pair
    ``(d_w, d_b)``. ``w`` and ``b`` broadcast as in :func:`cost`.
    """
    xa, ya = as_data(x, y)
    wa, ba = _params(w, 0.0 if b is None else b)
    m = _Moments.of(xa, ya)
    mean_residual = m.x_mean * wa + ba - m.y_mean
    d_w = 2.0 * (m.x_var * (wa - m.slope) + m.x_mean * mean_residual)
    if b is None:
        return _out(np.asarray(d_w, dtype=np.float64))
    d_b = 2.0 * mean_residual
    d_w, d_b = np.broadcast_arrays(d_w, d_b)
    return _out(np.array(d_w, dtype=np.float64)), _out(np.array(d_b, dtype=np.float64))
