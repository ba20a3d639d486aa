r"""The course's data and small synthetic data sets.

Lecture 2 fits :math:`\hat y = x\,w` to three points: a student who studies :math:`x` hours scores
:math:`y` points. The course's code uses ``y = [2, 4, 6]`` (exactly :math:`y = 2x`); our notes use
slightly noisy scores ``[2.02, 3.98, 6.01]``. For larger examples :func:`make_linear_data` draws
noisy points from a line, and :func:`train_dev_test_split` splits sample indices into a training,
a development (validation) and a test set, the split lecture 1 talks about.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._validate import Float64Overflow, FloatArray, as_float_array, as_int, as_real, as_seed

__all__ = [
    "X_DATA",
    "Y_DATA",
    "Y_DATA_NOTES",
    "Split",
    "make_linear_data",
    "train_dev_test_split",
]

X_DATA: tuple[float, float, float] = (1.0, 2.0, 3.0)
"""Hours studied, ``x_data`` of the course's code."""

Y_DATA: tuple[float, float, float] = (2.0, 4.0, 6.0)
"""Scores, ``y_data`` of the course's code (:math:`y = 2x` exactly)."""

Y_DATA_NOTES: tuple[float, float, float] = (2.02, 3.98, 6.01)
"""Scores used in our notes, that is :math:`2x` plus a little noise."""

IntArray = NDArray[np.int64]
Seed = int | np.random.Generator | None


@dataclass(frozen=True, repr=False)
class Split:
    """Index arrays of a train/dev/test split; together they are a permutation of ``range(n)``."""

    train: IntArray
    dev: IntArray
    test: IntArray

    def __repr__(self) -> str:
        return f"Split(train={self.train.size}, dev={self.dev.size}, test={self.test.size})"


def _fits_in_memory(n: int, bytes_each: int, what: str) -> None:
    """Refuse an ``n`` whose arrays numpy could not even describe (more bytes than an intp)."""
    if n > np.iinfo(np.intp).max // bytes_each:
        raise ValueError(
            f"n={n} {what} are more than an array can hold ({bytes_each * n:.3g} bytes)"
        )


def _fraction(name: str, value: Any) -> float:
    out = as_real(name, value)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {out}")
    return out


def make_linear_data(
    n: int,
    *,
    w: float = 2.0,
    b: float = 0.0,
    noise: float = 1.0,
    x_range: tuple[float, float] = (0.0, 4.0),
    seed: Seed = None,
) -> tuple[FloatArray, FloatArray]:
    r"""Draw ``n`` noisy points from the line :math:`y = w\,x + b`.

    .. math::

       x_n \sim \mathcal U(x_{\min}, x_{\max}), \qquad
       y_n = w\,x_n + b + \sigma\,\varepsilon_n, \quad \varepsilon_n \sim \mathcal N(0, 1).

    Parameters
    ----------
    n
        Number of samples, at least 1.
    w, b
        The true weight and bias.
    noise
        The standard deviation :math:`\sigma \ge 0` of the Gaussian noise added to ``y``.
    x_range
        ``(x_min, x_max)`` with ``x_min < x_max``.
    seed
        An ``int >= 0`` for reproducible data, a :class:`numpy.random.Generator` (which the
        draws advance), or ``None`` for fresh randomness.

    Returns
    -------
    tuple of numpy.ndarray
        ``(x, y)``, two float arrays of length ``n``.
    """
    n_ = as_int("n", n, minimum=1)
    w_ = as_real("w", w)
    b_ = as_real("b", b)
    sigma = as_real("noise", noise)
    if sigma < 0:
        raise ValueError(f"noise must be >= 0, got {sigma}")
    bounds = as_float_array("x_range", x_range)
    if bounds.shape != (2,):
        raise ValueError(f"x_range must be a pair (x_min, x_max), got shape {bounds.shape}")
    lo, hi = float(bounds[0]), float(bounds[1])
    if not lo < hi:
        raise ValueError(f"x_range must satisfy x_min < x_max, got ({lo}, {hi})")
    _fits_in_memory(n_, 16, "samples")
    rng, _ = as_seed("seed", seed)
    try:
        if math.isfinite(hi - lo):
            x = rng.uniform(lo, hi, size=n_)
        else:  # the same draws, without forming hi - lo
            u = rng.uniform(0.0, 1.0, size=n_)
            x = lo * (1.0 - u) + hi * u
        eps = rng.standard_normal(n_)
    except MemoryError as exc:
        raise MemoryError(f"n={n_} samples do not fit in memory ({16 * n_:.3g} bytes)") from exc
    with np.errstate(over="ignore", invalid="ignore"):
        y = w_ * x + b_ + sigma * eps
        if not np.all(np.isfinite(y)):  # w·x or σε may overflow while their sum does not
            y = 4.0 * (0.25 * w_ * x + 0.25 * b_ + 0.25 * sigma * eps)
    if not np.all(np.isfinite(y)):
        k = int(np.flatnonzero(~np.isfinite(y))[0])
        raise Float64Overflow(
            f"w, b, noise or x_range too large: y = w·x + b + noise·ε overflows float64 "
            f"at x={x[k]:.4g}"
        )
    return x, y


def train_dev_test_split(
    n: int, *, dev: float = 0.2, test: float = 0.0, seed: Seed = None
) -> Split:
    r"""Shuffle the indices ``0 … n-1`` and cut them into train, dev and test sets.

    The sizes are :math:`n_\text{dev} = \operatorname{round}(\text{dev}\cdot n)`,
    :math:`n_\text{test} = \operatorname{round}(\text{test}\cdot n)` and
    :math:`n_\text{train} = n - n_\text{dev} - n_\text{test} \ge 1`.

    Parameters
    ----------
    n
        Number of samples, at least 1.
    dev, test
        Fractions in :math:`[0, 1)` of the samples held out for development and for testing.
    seed
        An ``int >= 0``, a :class:`numpy.random.Generator` or ``None``, as in
        :func:`make_linear_data`.

    Returns
    -------
    Split
        Three disjoint ``int64`` index arrays whose union is ``range(n)``.
    """
    n_ = as_int("n", n, minimum=1)
    dev_ = _fraction("dev", dev)
    test_ = _fraction("test", test)
    n_dev, n_test = round(dev_ * n_), round(test_ * n_)
    if n_dev + n_test >= n_:
        raise ValueError(
            f"dev and test leave no training samples: dev={dev_}, test={test_} of n={n_}"
        )
    _fits_in_memory(n_, 8, "indices")
    rng, _ = as_seed("seed", seed)
    try:
        order = rng.permutation(n_).astype(np.int64)
    except MemoryError as exc:
        raise MemoryError(f"n={n_} indices do not fit in memory ({8 * n_:.3g} bytes)") from exc
    return Split(
        train=order[n_dev + n_test :],
        dev=order[:n_dev],
        test=order[n_dev : n_dev + n_test],
    )
