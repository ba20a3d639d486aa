"""Tests of lecturelib.history: the record of a run (its repr, equality, read-only arrays)."""

from __future__ import annotations

import pytest

from lecturelib.training import gradient_descent, sgd

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]


# --- History ------------------------------------------------------------------------------------


def test_history_repr_is_short_and_readable() -> None:
    text = repr(gradient_descent(XS, YS))
    assert text.startswith("History(epochs=100, updates=100, lr=0.01")
    assert "w=1.0→1.99994" in text
    assert "cost=4.667→" in text
    assert text.endswith("diverged=False)")
    assert len(text) < 200


def test_history_arrays_are_read_only() -> None:
    h = sgd(XS, YS, epochs=2)
    with pytest.raises(ValueError, match="read-only"):
        h.w[0] = 3.0


def test_history_equality_is_element_by_element() -> None:
    a, b = sgd(XS, YS, epochs=5), sgd(XS, YS, epochs=5)
    assert a == b
    assert a != sgd(XS, YS, epochs=5, lr=0.02)
    assert a != sgd(XS, YS, epochs=6)
    assert a != "History"


def test_history_properties() -> None:
    h = sgd(XS, YS, b0=0.0, batch_size=2, epochs=4)
    assert h.epochs_run == 4
    assert h.updates == 8
    assert h.final_w == h.w[-1]
    assert h.final_b == h.b[-1]  # type: ignore[index]
    assert h.diverged_at is None
    assert h.w_by_epoch.shape == h.cost.shape
    assert h.b_by_epoch is not None
