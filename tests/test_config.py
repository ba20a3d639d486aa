"""Tests of lecturelib._config: every argument of a training run is checked, naming it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from lecturelib.history import History
from lecturelib.training import gradient_descent, sgd

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]


# --- validation: one test per case --------------------------------------------------------------


def _bad(
    exc: type[Exception], match: str, fn: Any = sgd, x: Any = XS, y: Any = YS, **kw: Any
) -> None:
    with pytest.raises(exc, match=match):
        fn(x, y, **kw)


def test_rejects_mismatched_lengths() -> None:
    _bad(ValueError, "same length", y=[2.0, 4.0])


def test_rejects_empty_data() -> None:
    _bad(ValueError, "x must not be empty", x=[], y=[])


def test_rejects_nan_in_data() -> None:
    _bad(ValueError, "y must be finite", y=[2.0, math.nan, 6.0])


def test_rejects_inf_in_data() -> None:
    _bad(ValueError, "x must be finite", x=[1.0, math.inf, 3.0])


def test_rejects_2d_data() -> None:
    _bad(ValueError, "x must be 1-D", x=[[1.0, 2.0, 3.0]], y=[[2.0, 4.0, 6.0]])


def test_rejects_string_data() -> None:
    _bad(TypeError, "x must", x="123")


def test_rejects_zero_lr() -> None:
    _bad(ValueError, "lr must be > 0", fn=gradient_descent, lr=0.0)


def test_rejects_negative_lr() -> None:
    _bad(ValueError, "lr must be > 0", lr=-0.1)


def test_rejects_non_finite_lr() -> None:
    _bad(ValueError, "lr must be finite", lr=math.inf)


def test_rejects_string_lr() -> None:
    _bad(TypeError, "lr must be a real number", lr="0.01")


def test_rejects_negative_epochs() -> None:
    _bad(ValueError, "epochs must be >= 0", fn=gradient_descent, epochs=-1)


def test_rejects_float_epochs() -> None:
    _bad(TypeError, "epochs must be an integer", epochs=10.0)


def test_rejects_zero_batch_size() -> None:
    _bad(ValueError, "batch_size must be >= 1", batch_size=0)


def test_rejects_batch_size_above_n() -> None:
    _bad(ValueError, "batch_size must be <= 3", batch_size=4)


def test_rejects_non_finite_w0() -> None:
    _bad(ValueError, "w0 must be finite", w0=math.nan)


def test_rejects_non_finite_b0() -> None:
    _bad(ValueError, "b0 must be finite", fn=gradient_descent, b0=math.inf)


def test_rejects_string_w0() -> None:
    _bad(TypeError, "w0 must be a real number", w0="1")


def test_rejects_non_bool_shuffle() -> None:
    _bad(TypeError, "shuffle must be True or False", shuffle=1)


def test_rejects_negative_seed() -> None:
    _bad(ValueError, "seed must be >= 0", seed=-1)


def test_rejects_string_seed() -> None:
    _bad(TypeError, "seed must be an integer", seed="0")


def test_rejects_zero_checkpoint_every(tmp_path: Any) -> None:
    _bad(ValueError, "checkpoint_every must be >= 1", checkpoint_every=0)


def test_rejects_zero_log_every() -> None:
    _bad(ValueError, "log_every must be >= 1", log_every=0)


def test_rejects_non_path_checkpoint() -> None:
    _bad(TypeError, "checkpoint must be a path", checkpoint=3)


def test_rejects_checkpoint_in_a_missing_directory(tmp_path: Any) -> None:
    _bad(FileNotFoundError, "does not exist", checkpoint=tmp_path / "no" / "ckpt.json")


def test_rejects_callbacks_without_on_epoch_end() -> None:
    _bad(TypeError, r"callbacks\[0\] must have an on_epoch_end", callbacks=[object()])


def test_rejects_a_bare_callback_not_in_a_list() -> None:
    class Cb:
        def on_epoch_end(self, epoch: int, history: History) -> None:
            pass

    _bad(TypeError, "wrap a single callback in a list", callbacks=Cb())


def test_rejects_a_seed_of_another_kind() -> None:
    _bad(TypeError, "seed must be an integer >= 0, a numpy.random.Generator or None", seed=1.5)
