"""Argument checks shared by every public function.

Each check names the offending argument in its message, raises :class:`TypeError` for a value
of the wrong kind and :class:`ValueError` for a value of the right kind that is out of range.
They are plain ``if`` statements, never ``assert`` (which ``python -O`` removes).

Arrays are read with :func:`numpy.asarray`, so only the values count: data given as two pandas
Series are paired by position, not by index label (align them first, e.g. ``y.reindex(x.index)``,
or pass ``.to_numpy()``). Inputs whose numbers would be misread are refused: masked arrays (the
mask would be dropped), ``timedelta64`` and ``datetime64`` values, and objects that
:func:`numpy.asarray` cannot read (a torch tensor that requires grad: pass ``x.detach()``).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = [
    "Float64Overflow",
    "FloatArray",
    "as_bool",
    "as_data",
    "as_float_array",
    "as_int",
    "as_real",
    "as_seed",
    "as_vector",
]


class Float64Overflow(ValueError, OverflowError):
    """A result that exists mathematically but is too large for float64.

    A :class:`ValueError` (the argument is out of range for float64) and an
    :class:`OverflowError` (so a loop can treat it as divergence, as
    :func:`~lecturelib.landscapes.descend` does).
    """


def _is_text(value: Any) -> bool:
    return isinstance(value, str | bytes)


def _times(name: str, dtype: Any) -> TypeError:
    return TypeError(
        f"{name} holds {dtype} values, not numbers; convert them first, e.g. "
        f"{name} / np.timedelta64(1, 's')"
    )


def _read(name: str, value: Any) -> NDArray[Any]:
    """``np.asarray(value)``, refusing what it would misread and turning its errors into ours."""
    if isinstance(value, np.ma.MaskedArray):  # np.asarray would silently drop the mask
        raise TypeError(
            f"{name} is a masked array; pass {name}.compressed() or fill it ({name}.filled(…))"
        )
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for instance
        raise TypeError(f"{name} must be a numeric array: {exc}") from exc
    except MemoryError:
        raise
    except Exception as exc:  # e.g. torch's RuntimeError for a tensor that requires grad
        raise TypeError(
            f"{name} could not be read as numbers (a torch tensor that requires grad? pass "
            f"{name}.detach()): {type(exc).__name__}: {exc}"
        ) from exc
    if arr.dtype.kind in "mM":  # timedelta64 counts as an integer type in numpy
        raise _times(name, arr.dtype)
    return arr


def as_float_array(name: str, value: Any, *, finite: bool = True) -> FloatArray:
    """Convert ``value`` to a float64 array, refusing text, objects and (by default) NaN/inf."""
    if _is_text(value):
        raise TypeError(f"{name} must be numeric, not {type(value).__name__} {value!r}")
    arr = _read(name, value)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr.ravel()))
        raise ValueError(f"{name} must be finite; it holds NaN or inf at flat index {int(bad[0])}")
    return arr


def as_vector(name: str, value: Any, *, min_len: int = 1, finite: bool = True) -> FloatArray:
    """Check a 1-D float array with at least ``min_len`` entries (finite unless told otherwise)."""
    arr = as_float_array(name, value, finite=finite)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.size < min_len:
        raise ValueError(f"{name} must have at least {min_len} values, got {arr.size}")
    return arr


def as_data(
    x: Any, y: Any, *, x_name: str = "x", y_name: str = "y"
) -> tuple[FloatArray, FloatArray]:
    """Check a data set: two 1-D, finite, non-empty float arrays of the same length."""
    xa = as_vector(x_name, x)
    ya = as_vector(y_name, y)
    if xa.shape != ya.shape:
        raise ValueError(
            f"{x_name} and {y_name} must have the same length, got {xa.size} and {ya.size}"
        )
    return xa, ya


def as_real(name: str, value: Any, *, positive: bool = False) -> float:
    """Check a finite real scalar (``positive``: strictly greater than zero)."""
    if _is_text(value) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__} {value!r}")
    if isinstance(value, np.timedelta64 | np.datetime64):  # numbers.Integral to Python
        raise _times(name, value.dtype)
    if not isinstance(value, numbers.Real):
        arr = _read(name, value) if not isinstance(value, list | tuple | dict) else None
        if arr is None or arr.ndim != 0 or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
        value = arr.item()
        if isinstance(value, complex):
            raise TypeError(f"{name} must be a real number, not complex")
    try:
        out = float(value)
    except OverflowError:  # a Python int or Fraction beyond float64
        raise Float64Overflow(f"{name} is too large for float64") from None
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    if positive and out <= 0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def as_int(name: str, value: Any, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Check an integer (not a bool, not a float) within ``[minimum, maximum]``."""
    if isinstance(value, np.timedelta64 | np.datetime64):  # numbers.Integral to Python
        raise _times(name, value.dtype)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__} {value!r}")
    out = int(value)
    if out < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {out}")
    return out


def as_bool(name: str, value: Any) -> bool:
    """Check a flag: ``True`` or ``False`` (a numpy bool too), not ``1`` or ``"yes"``."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__} {value!r}")
    return bool(value)


def as_seed(name: str, seed: Any) -> tuple[np.random.Generator, int | None]:
    """The random generator of ``seed``, and ``seed`` itself when it is an integer.

    ``seed`` is an int >= 0 (``numpy.random.default_rng(seed)``), a
    :class:`numpy.random.Generator` (used as it is, so its state advances), a ``SeedSequence``
    or ``BitGenerator`` (``numpy.random.default_rng`` of it), or ``None`` (fresh entropy). The
    integer returned is ``None`` unless ``seed`` is an integer.
    """
    if seed is None or isinstance(
        seed, np.random.Generator | np.random.BitGenerator | np.random.SeedSequence
    ):
        return np.random.default_rng(seed), None
    if isinstance(seed, np.timedelta64 | np.datetime64):
        raise _times(name, seed.dtype)
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= 0, a numpy.random.Generator or None, not "
            f"{type(seed).__name__} {seed!r}"
        )
    value = as_int(name, seed, minimum=0)
    return np.random.default_rng(value), value
