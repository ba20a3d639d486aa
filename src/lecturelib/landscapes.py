r"""Toy cost functions for lecture 3's figures, and plain gradient descent on them.

* :func:`nonconvex`: a wide bowl with a narrow, deeper well, so it has a *local* minimum
  (:math:`w \approx 1`) and a lower *global* minimum (:math:`w \approx -0.41`). Gradient descent
  ends in whichever valley it starts in, and a coarse 5-point grid on :data:`NONCONVEX_DOMAIN`
  lands on the wrong one.
* :func:`saddle`: :math:`w_1^2 - w_2^2 + \tfrac14 w_2^4`, a saddle point (鞍点) at the origin,
  where the gradient is zero but which is not a minimum; its minima are :math:`(0, \pm\sqrt2)`.
* :func:`descend`: gradient descent
  :math:`w \leftarrow w - \eta\,(\nabla f(w) + \sigma\varepsilon)`, with optional seeded Gaussian
  gradient noise standing in for the noise of SGD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ._validate import Float64Overflow, FloatArray, as_float_array, as_int, as_real, as_seed

__all__ = [
    "NONCONVEX_DOMAIN",
    "SADDLE_MINIMA",
    "DescentPath",
    "descend",
    "nonconvex",
    "nonconvex_grad",
    "saddle",
    "saddle_grad",
]

NONCONVEX_DOMAIN: tuple[float, float] = (-2.0, 2.0)
"""The interval on which :func:`nonconvex` is meant to be drawn and searched."""

SADDLE_MINIMA: tuple[tuple[float, float], tuple[float, float]] = (
    (0.0, -float(np.sqrt(2.0))),
    (0.0, float(np.sqrt(2.0))),
)
"""The two minima of :func:`saddle`, where its value is :math:`-1`."""

_DEPTH, _CENTRE, _WIDTH = 1.5, -0.5, 0.3  # the narrow well of `nonconvex`


def _out(value: FloatArray) -> Any:
    return float(value) if value.ndim == 0 else value


def _finite(value: Any, what: str, **args: FloatArray) -> Any:
    """``value`` as a float or array if it is finite, else :class:`Float64Overflow` naming args."""
    out = np.asarray(value, dtype=np.float64)
    if np.all(np.isfinite(out)):
        return _out(out)
    at = np.unravel_index(int(np.flatnonzero(~np.isfinite(out))[0]), out.shape)
    points = np.broadcast_arrays(*args.values())
    where = ", ".join(f"{k}={float(p[at]):.4g}" for k, p in zip(args, points, strict=True))
    raise Float64Overflow(f"{' or '.join(args)} too large: {what} overflows float64 at {where}")


def nonconvex(w: Any) -> Any:
    r"""A non-convex 1-D cost with one local and one lower global minimum.

    .. math::

       f(w) = \tfrac12 (w - 1)^2 - 1.5\,\exp\!\left(-\frac{(w + 0.5)^2}{2 \cdot 0.3^2}\right).

    The bowl gives a local minimum at :math:`w \approx 1` (:math:`f \approx 0`); the narrow
    Gaussian well gives the global minimum at :math:`w \approx -0.41` (:math:`f \approx -0.44`).
    Vectorised: ``w`` may be any array; a scalar gives a ``float``.
    """
    wa = as_float_array("w", w)
    with np.errstate(over="ignore"):  # far out the well is exp(-inf) = 0; f itself is checked
        well = _DEPTH * np.exp(-((wa - _CENTRE) ** 2) / (2.0 * _WIDTH**2))
        return _finite(0.5 * (wa - 1.0) ** 2 - well, "nonconvex(w)", w=wa)


def nonconvex_grad(w: Any) -> Any:
    r"""The derivative of :func:`nonconvex`.

    .. math::

       f'(w) = (w - 1) + 1.5\,\frac{w + 0.5}{0.3^2}\,
       \exp\!\left(-\frac{(w + 0.5)^2}{2 \cdot 0.3^2}\right).
    """
    wa = as_float_array("w", w)
    d = wa - _CENTRE
    with np.errstate(over="ignore"):  # far out the well is exp(-inf) = 0: (well * d) stays 0
        well = _DEPTH * np.exp(-(d**2) / (2.0 * _WIDTH**2))
        return _finite((wa - 1.0) + well * d / _WIDTH**2, "nonconvex_grad(w)", w=wa)


def saddle(w1: Any, w2: Any) -> Any:
    r"""A cost with a saddle point at the origin, bounded below.

    .. math::

       f(w_1, w_2) = w_1^2 - w_2^2 + \tfrac14 w_2^4 .

    At :math:`(0, 0)` the gradient is zero and the Hessian is :math:`\operatorname{diag}(2, -2)`:
    a minimum along :math:`w_1`, a maximum along :math:`w_2`. The quartic term makes
    :math:`f \ge -1`, with minima :math:`f = -1` at :math:`(0, \pm\sqrt 2)` (:data:`SADDLE_MINIMA`).
    ``w1`` and ``w2`` broadcast (pass a ``numpy.meshgrid`` for a surface).
    """
    a = as_float_array("w1", w1)
    b = as_float_array("w2", w2)
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(a**2 - b**2 + 0.25 * b**4, "saddle(w1, w2)", w1=a, w2=b)


def saddle_grad(w1: Any, w2: Any) -> tuple[Any, Any]:
    r"""The gradient of :func:`saddle`.

    .. math::

       \nabla f(w_1, w_2) = \left(2 w_1,\; -2 w_2 + w_2^3\right).
    """
    a = as_float_array("w1", w1)
    b = as_float_array("w2", w2)
    with np.errstate(over="ignore", invalid="ignore"):
        d1, d2 = np.broadcast_arrays(2.0 * a, -2.0 * b + b**3)
        what = "saddle_grad(w1, w2)"
        return _finite(np.array(d1), what, w1=a, w2=b), _finite(np.array(d2), what, w1=a, w2=b)


@dataclass(frozen=True, repr=False)
class DescentPath:
    """The iterates of :func:`descend`.

    ``points`` has shape ``(steps + 1, dim)``: the start, then the point after every step (fewer
    rows if the iterates overflowed, in which case ``diverged`` is true). ``values`` holds
    ``f`` at each point when :func:`descend` was given ``f``, else ``None``.
    """

    points: FloatArray
    values: FloatArray | None
    lr: float
    noise: float
    diverged: bool

    @property
    def final(self) -> FloatArray:
        """The last point reached."""
        last: FloatArray = self.points[-1]
        return last

    @property
    def steps(self) -> int:
        """The number of steps taken."""
        return int(self.points.shape[0]) - 1

    def __repr__(self) -> str:
        end = ", ".join(f"{v:.4g}" for v in self.final)
        return (
            f"DescentPath(steps={self.steps}, dim={self.points.shape[1]}, final=({end}), "
            f"lr={self.lr}, noise={self.noise}, diverged={self.diverged})"
        )


def descend(
    grad_fn: Callable[..., Any],
    start: Any,
    *,
    lr: float,
    steps: int,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    f: Callable[..., Any] | None = None,
) -> DescentPath:
    r"""Run gradient descent from ``start``, optionally with Gaussian gradient noise.

    .. math::

       w_{t+1} = w_t - \eta\,\bigl(\nabla f(w_t) + \sigma\,\varepsilon_t\bigr), \qquad
       \varepsilon_t \sim \mathcal N(0, I).

    With :math:`\sigma = 0` this is plain gradient descent, which stops wherever the gradient
    vanishes, saddle points included; :math:`\sigma > 0` imitates the noisy gradients of SGD,
    which push the iterate off a saddle.

    Parameters
    ----------
    grad_fn
        Called as ``grad_fn(*w)`` with the coordinates of the point as floats, e.g.
        :func:`nonconvex_grad` (one coordinate) or :func:`saddle_grad` (two); returns the
        gradient, a number or a sequence with one entry per coordinate.
    start
        The starting point: a number (1-D problem) or a 1-D sequence.
    lr
        The learning rate :math:`\eta > 0`.
    steps
        The number of updates, at least 0.
    noise
        The standard deviation :math:`\sigma \ge 0` of the gradient noise.
    seed
        Seed of the noise: an ``int >= 0``, a :class:`numpy.random.Generator` or ``None``.
    f
        Optional function, called like ``grad_fn``, whose value is recorded at every point.

    Returns
    -------
    DescentPath
        The iterates. Iteration stops early (``diverged=True``) when a point, or the gradient or
        ``f`` there, is not finite or overflows (an :class:`OverflowError`, which lecturelib's
        functions raise as a :class:`ValueError` subclass when float64 cannot hold a result).
        At the start these are errors: a :class:`ValueError` naming ``grad_fn`` or ``f``.
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, not {type(grad_fn).__name__}")
    if f is not None and not callable(f):
        raise TypeError(f"f must be callable or None, not {type(f).__name__}")
    w0 = as_float_array("start", start)
    if w0.ndim > 1 or w0.size == 0:
        raise ValueError(
            f"start must be a number or a non-empty 1-D sequence, got shape {w0.shape}"
        )
    w = w0.reshape(-1).copy()
    eta = as_real("lr", lr, positive=True)
    n_steps = as_int("steps", steps)
    sigma = as_real("noise", noise)
    if sigma < 0:
        raise ValueError(f"noise must be >= 0, got {sigma}")
    rng, _ = as_seed("seed", seed)

    def gradient(point: FloatArray, first: bool) -> FloatArray | None:
        """``grad_fn`` at ``point``; None (divergence) if it overflows after the start."""
        try:
            raw = grad_fn(*point.tolist())
        except OverflowError:  # Python's float overflow, or lecturelib's Float64Overflow
            if first:
                raise
            return None
        g = as_float_array("grad_fn(w)", raw, finite=False).reshape(-1)
        if g.shape != point.shape:
            raise ValueError(
                f"grad_fn must return {point.size} gradient component(s), got shape {g.shape}"
            )
        if np.all(np.isfinite(g)):
            return g
        if first:
            raise ValueError(f"grad_fn must be finite at start, got {g.tolist()}")
        return None

    def value(fn: Callable[..., Any], point: FloatArray, first: bool) -> float | None:
        """``f`` at ``point``; None (divergence) if it overflows after the start."""
        try:
            raw = fn(*point.tolist())
        except OverflowError:
            if first:
                raise
            return None
        v = as_float_array("f(w)", raw, finite=False)
        if v.ndim != 0:
            raise TypeError(f"f must return a number, got an array of shape {v.shape}")
        if np.isfinite(v):
            return float(v)
        if first:
            raise ValueError(f"f must be finite at start, got {float(v)}")
        return None

    points = [w.copy()]
    values: list[float] | None = None
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        if f is not None:
            values = [cast(float, value(f, w, first=True))]
        for step in range(n_steps):
            g = gradient(w, first=step == 0)
            if g is None:
                diverged = True
                break
            if sigma > 0:
                g = g + sigma * rng.standard_normal(w.size)
            w = w - eta * g
            if not np.all(np.isfinite(w)):
                diverged = True
                break
            if f is not None and values is not None:
                v = value(f, w, first=False)
                if v is None:
                    diverged = True
                    break
                values.append(v)
            points.append(w.copy())
    return DescentPath(
        points=np.array(points),
        values=None if values is None else np.array(values, dtype=np.float64),
        lr=eta,
        noise=sigma,
        diverged=diverged,
    )
