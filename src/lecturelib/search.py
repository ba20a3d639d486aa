r"""Exhaustive (grid) search (lecture 2) and the divide-and-conquer search (lecture 3).

Lecture 2 evaluates the cost :math:`\operatorname{cost}(w) = \frac1N\sum_n (x_n w - y_n)^2` on a
grid of weights and keeps the best one. With :math:`k` points per axis and :math:`d` weights
that is :math:`k^d` evaluations (:func:`grid_size`), which is why lecture 3 first tries a coarse
grid refined around its best cell (:func:`coarse_to_fine`, 分治) and then gradient descent.

Data go through :func:`numpy.asarray`, so ``x[n]`` is paired with ``y[n]`` by position: two
pandas Series are paired by position, not by their index labels (align them first, e.g.
``y.reindex(x.index)``). Masked arrays and ``timedelta64`` values are refused, not misread.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ._validate import Float64Overflow, FloatArray, as_data, as_int, as_real, as_vector
from .model import cost

_MAX_DIGITS = 4300  # sys.get_int_max_str_digits() by default

__all__ = [
    "CoarseToFine",
    "Level",
    "SearchResult",
    "SearchResult2D",
    "coarse_to_fine",
    "exhaustive_search",
    "exhaustive_search_2d",
    "grid_size",
]


def _span(arr: FloatArray) -> str:
    return f"[{arr[0]:.4g} … {arr[-1]:.4g}] ({arr.size})"


def _grid_cost(xa: FloatArray, ya: FloatArray, names: str, **grid: FloatArray) -> FloatArray:
    """The cost on a grid (``w`` and optionally ``b``), refusing values float64 cannot hold."""
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # checked below
            values = np.asarray(cost(xa, ya, **grid), dtype=np.float64)
    except ValueError as exc:  # cost() refuses a value beyond float64, naming w and b
        raise Float64Overflow(f"{names} too large: {exc}") from None
    if not np.all(np.isfinite(values)):
        at = np.unravel_index(int(np.flatnonzero(~np.isfinite(values))[0]), values.shape)
        points = np.broadcast_arrays(*grid.values())
        where = ", ".join(f"{k}={float(p[at]):.4g}" for k, p in zip(grid, points, strict=True))
        raise Float64Overflow(f"{names} too large: the cost at {where} overflows float64")
    return values


def _linspace(a: float, b: float, k: int) -> FloatArray:
    """``k`` equally spaced points from ``a`` to ``b``, even when ``b - a`` overflows."""
    if np.isfinite(b - a):
        return np.linspace(a, b, k)
    t = np.arange(k) / (k - 1)
    return a * (1.0 - t) + b * t


@dataclass(frozen=True, repr=False)
class SearchResult:
    """The cost at every grid weight and the best grid point (first one on ties)."""

    w: FloatArray
    cost: FloatArray
    best_w: float
    best_cost: float

    def __repr__(self) -> str:
        return (
            f"SearchResult(w={_span(self.w)}, best_w={self.best_w:.6g}, "
            f"best_cost={self.best_cost:.6g})"
        )


@dataclass(frozen=True, repr=False)
class SearchResult2D:
    """The cost surface over a ``(w, b)`` grid; ``cost[i, j]`` is the cost at ``(w[j], b[i])``."""

    w: FloatArray
    b: FloatArray
    cost: FloatArray
    best_w: float
    best_b: float
    best_cost: float

    def __repr__(self) -> str:
        return (
            f"SearchResult2D(w={_span(self.w)}, b={_span(self.b)}, best_w={self.best_w:.6g}, "
            f"best_b={self.best_b:.6g}, best_cost={self.best_cost:.6g})"
        )


def exhaustive_search(x: Any, y: Any, w_grid: Any) -> SearchResult:
    r"""Evaluate the cost of :math:`\hat y = x\,w` at every weight of ``w_grid``.

    .. math::

       \operatorname{cost}(w_k) = \frac{1}{N}\sum_{n=1}^{N} (x_n w_k - y_n)^2, \qquad
       w^\ast_\text{grid} = \operatorname*{arg\,min}_{k} \operatorname{cost}(w_k).

    Parameters
    ----------
    x, y
        The training set: 1-D, finite, of equal length.
    w_grid
        1-D, finite, non-empty array of weights (the lecture uses ``np.arange(0.0, 4.1, 0.1)``).

    Returns
    -------
    SearchResult
        The grid, the cost at each grid point, and the best grid point (the first on ties).
    """
    xa, ya = as_data(x, y)
    w = as_vector("w_grid", w_grid)
    values = _grid_cost(xa, ya, "x, y or w_grid", w=w)
    k = int(np.argmin(values))
    return SearchResult(w=w, cost=values, best_w=float(w[k]), best_cost=float(values[k]))


def exhaustive_search_2d(x: Any, y: Any, w_grid: Any, b_grid: Any) -> SearchResult2D:
    r"""Evaluate the cost of :math:`\hat y = x\,w + b` on the grid ``w_grid`` × ``b_grid``.

    .. math::

       C_{ij} = \operatorname{cost}(w_j, b_i) = \frac{1}{N}\sum_{n=1}^{N} (x_n w_j + b_i - y_n)^2 .

    The array ``C`` has shape ``(len(b_grid), len(w_grid))``, the layout of
    ``np.meshgrid(w_grid, b_grid)``, so ``plot_surface(W, B, C)`` works directly. It is computed
    from the data's moments by broadcasting (no ``grid × N`` array is built).

    Returns
    -------
    SearchResult2D
        The two grids, the cost surface and the best grid point (the first in C order on ties).
    """
    xa, ya = as_data(x, y)
    w = as_vector("w_grid", w_grid)
    b = as_vector("b_grid", b_grid)
    values = _grid_cost(xa, ya, "x, y, w_grid or b_grid", w=w[np.newaxis, :], b=b[:, np.newaxis])
    i, j = np.unravel_index(int(np.argmin(values)), values.shape)
    return SearchResult2D(
        w=w,
        b=b,
        cost=values,
        best_w=float(w[j]),
        best_b=float(b[i]),
        best_cost=float(values[i, j]),
    )


def grid_size(points_per_axis: int, n_weights: int) -> int:
    r"""The number of cost evaluations of a full grid search: :math:`k^d`.

    With :math:`k` = ``points_per_axis`` grid points for each of :math:`d` = ``n_weights``
    weights, exhaustive search evaluates the cost :math:`k^d` times (an exact Python ``int``:
    100 points for 10 weights is already :math:`10^{20}`). Numbers of 4300 digits or more are
    refused with a :class:`ValueError` (Python does not print them, and computing
    :math:`10^6` to the power :math:`10^6` alone takes seconds).
    """
    k = as_int("points_per_axis", points_per_axis, minimum=1)
    d = as_int("n_weights", n_weights, minimum=1)
    if d * math.log10(k) >= _MAX_DIGITS:
        raise ValueError(
            f"n_weights too large: {k}^{d} has about {d * math.log10(k):.3g} digits, more than "
            f"{_MAX_DIGITS} (Python's limit for printing an int)"
        )
    size: int = k**d
    return size


class Level(NamedTuple):
    """One level of :func:`coarse_to_fine`: its grid, the function values there, the best point.

    A named tuple, so ``for grid, values, best in result.levels`` works.
    """

    grid: FloatArray
    values: FloatArray
    best: float

    @property
    def best_value(self) -> float:
        """The smallest function value on this level's grid."""
        return float(np.min(self.values))

    @property
    def cell(self) -> tuple[float, float]:
        """The interval searched by the next level (the best point ± one grid step)."""
        k = int(np.argmin(self.values))
        return float(self.grid[max(k - 1, 0)]), float(self.grid[min(k + 1, self.grid.size - 1)])

    def __repr__(self) -> str:
        return f"Level(grid={_span(self.grid)}, best={self.best:.6g})"


@dataclass(frozen=True)
class CoarseToFine:
    """All levels of a coarse-to-fine search; ``best`` is the last level's best point."""

    levels: tuple[Level, ...]
    best: float
    best_value: float


def coarse_to_fine(
    f: Callable[[float], Any], lo: float, hi: float, *, points: int = 5, levels: int = 3
) -> CoarseToFine:
    r"""Divide-and-conquer (分治) search for the minimum of ``f`` on :math:`[lo, hi]`.

    Level 0 evaluates ``f`` at ``points`` equally spaced points of :math:`[a_0, b_0] = [lo, hi]`.
    Each next level re-grids the best point's cell, the best point plus or minus one step:

    .. math::

       h_\ell = \frac{b_\ell - a_\ell}{k - 1}, \qquad
       w_\ell^\ast = \operatorname*{arg\,min}_{j} f(a_\ell + j h_\ell), \qquad
       [a_{\ell+1}, b_{\ell+1}]
       = [w_\ell^\ast - h_\ell,\ w_\ell^\ast + h_\ell] \cap [a_\ell, b_\ell].

    It costs only ``points * levels`` evaluations, but on a non-convex function it can zoom into
    the wrong valley: once the coarse grid's best cell misses the global minimum, no later level
    can find it.

    Parameters
    ----------
    f
        A function of one float returning a real number.
    lo, hi
        The search interval, ``lo < hi``.
    points
        Grid points per level, at least 3.
    levels
        Number of levels, at least 1.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    a = as_real("lo", lo)
    b = as_real("hi", hi)
    if not a < b:
        raise ValueError(f"lo must be < hi, got lo={a}, hi={b}")
    k = as_int("points", points, minimum=3)
    n_levels = as_int("levels", levels, minimum=1)
    out: list[Level] = []
    for _ in range(n_levels):
        grid = _linspace(a, b, k)
        values = np.array([as_real("f(w)", f(float(g))) for g in grid], dtype=np.float64)
        level = Level(grid=grid, values=values, best=float(grid[int(np.argmin(values))]))
        out.append(level)
        a, b = level.cell
    last = out[-1]
    return CoarseToFine(levels=tuple(out), best=last.best, best_value=last.best_value)
