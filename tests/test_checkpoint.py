"""Checkpoints: atomic, verified, and resuming to exactly the uninterrupted run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lecturelib.checkpoint import CheckpointError, load_checkpoint
from lecturelib.training import History, gradient_descent, sgd

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]
RNG = np.random.default_rng(11)
X10 = RNG.uniform(0.0, 4.0, size=10)
Y10 = 2.0 * X10 + 1.0 + RNG.normal(scale=0.2, size=10)


class Interrupted(Exception):
    pass


class StopAt:
    """Interrupts training once, at the end of a given epoch (like Ctrl-C in a notebook)."""

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, epoch: int, history: History) -> None:
        if epoch == self.epoch:
            raise Interrupted


class Counter:
    def __init__(self) -> None:
        self.epochs: list[int] = []

    def on_epoch_end(self, epoch: int, history: History) -> None:
        self.epochs.append(epoch)


def _interrupted_then_resumed(fn: Any, x: Any, y: Any, path: Path, **kw: Any) -> History:
    with pytest.raises(Interrupted):
        fn(x, y, checkpoint=path, callbacks=[StopAt(40)], **kw)
    assert path.exists()
    return fn(x, y, checkpoint=path, callbacks=[StopAt(40)], **kw)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("fn", "x", "y", "kw"),
    [
        (gradient_descent, XS, YS, {}),
        (gradient_descent, X10, Y10, {"b0": 0.0, "lr": 0.05}),
        (sgd, XS, YS, {}),
        (sgd, X10, Y10, {"b0": 0.0, "batch_size": 3, "shuffle": True, "seed": 5}),
    ],
    ids=["gd", "gd-bias", "sgd-in-order", "shuffled-minibatch"],
)
def test_interrupted_and_resumed_equals_uninterrupted(
    tmp_path: Path, fn: Any, x: Any, y: Any, kw: dict[str, Any]
) -> None:
    resumed = _interrupted_then_resumed(fn, x, y, tmp_path / "ckpt.json", epochs=100, **kw)
    assert resumed == fn(x, y, epochs=100, **kw)


def test_resume_between_sparse_checkpoints_still_equals(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    kw: dict[str, Any] = {"batch_size": 2, "shuffle": True, "seed": 1, "epochs": 100}
    with pytest.raises(Interrupted):
        sgd(X10, Y10, checkpoint=path, checkpoint_every=7, callbacks=[StopAt(40)], **kw)
    assert load_checkpoint(path).epoch == 35
    counter = Counter()
    resumed = sgd(X10, Y10, checkpoint=path, checkpoint_every=7, callbacks=[counter], **kw)
    assert counter.epochs == list(range(36, 101))
    assert resumed == sgd(X10, Y10, **kw)


def test_same_epochs_returns_the_stored_history_without_training(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    first = sgd(XS, YS, epochs=30, checkpoint=path)
    counter = Counter()
    again = sgd(XS, YS, epochs=30, checkpoint=path, callbacks=[counter])
    assert counter.epochs == []
    assert again == first


def test_raising_epochs_continues_training(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    kw: dict[str, Any] = {"batch_size": 3, "shuffle": True, "seed": 9}
    sgd(X10, Y10, epochs=50, checkpoint=path, **kw)
    counter = Counter()
    longer = sgd(X10, Y10, epochs=100, checkpoint=path, callbacks=[counter], **kw)
    assert counter.epochs == list(range(51, 101))
    assert longer == sgd(X10, Y10, epochs=100, **kw)
    assert load_checkpoint(path).epoch == 100


def test_fewer_epochs_than_stored_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=20, checkpoint=path)
    with pytest.raises(ValueError, match="already run 20 epochs, called with epochs=10"):
        sgd(XS, YS, epochs=10, checkpoint=path)


def test_mismatched_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=5, checkpoint=path)
    with pytest.raises(ValueError, match=r"written with y with sha256 .*called with y with sha256"):
        sgd(XS, [2.0, 4.0, 6.5], epochs=5, checkpoint=path)


def test_mismatched_data_length_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=5, checkpoint=path)
    with pytest.raises(ValueError, match=r"len\(x\)=3, called with len\(x\)=4"):
        sgd([*XS, 4.0], [*YS, 8.0], epochs=5, checkpoint=path)


def test_mismatched_lr_is_refused_and_named(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    gradient_descent(XS, YS, epochs=5, checkpoint=path)
    with pytest.raises(ValueError, match=r"written with lr=0\.01, called with lr=0\.02"):
        gradient_descent(XS, YS, epochs=5, lr=0.02, checkpoint=path)


def test_mismatched_algorithm_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    gradient_descent(XS, YS, epochs=5, checkpoint=path)
    with pytest.raises(ValueError, match=r"algorithm='gradient_descent'.*algorithm='sgd'"):
        sgd(XS, YS, epochs=5, batch_size=3, checkpoint=path)


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    path.write_bytes(b"\x00\xffnot json at all")
    with pytest.raises(CheckpointError, match="not valid JSON"):
        sgd(XS, YS, checkpoint=path)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=10, checkpoint=path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        sgd(XS, YS, epochs=10, checkpoint=path)


def test_edited_file_fails_its_checksum(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=10, checkpoint=path)
    document = json.loads(path.read_text())
    document["payload"]["history"]["w"][-1] = 3.0
    path.write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match="checksum"):
        sgd(XS, YS, epochs=10, checkpoint=path)


def test_other_json_is_not_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CheckpointError, match="format"):
        load_checkpoint(path)


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=2, checkpoint=path)
    document = json.loads(path.read_text())
    document["version"] = 99
    path.write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match="version 99"):
        load_checkpoint(path)


def test_checkpoint_error_is_a_value_error() -> None:
    assert issubclass(CheckpointError, ValueError)


def test_checkpoint_holds_the_full_state(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    h = sgd(X10, Y10, b0=0.5, batch_size=4, shuffle=True, seed=2, epochs=6, checkpoint=path)
    state = load_checkpoint(path)
    assert (state.algorithm, state.lr, state.batch_size, state.shuffle, state.seed) == (
        "sgd",
        0.01,
        4,
        True,
        2,
    )
    assert (state.w0, state.b0, state.n, state.epoch, state.diverged) == (1.0, 0.5, 10, 6, False)
    np.testing.assert_array_equal(state.w, h.w)  # exact float round trip
    np.testing.assert_array_equal(state.cost, h.cost)
    rng = np.random.default_rng(2)
    for _ in range(6):
        rng.permutation(10)
    assert state.rng_state == rng.bit_generator.state
    raw = json.loads(path.read_text())
    assert raw["format"] == "lecturelib-checkpoint"
    assert raw["version"] == 1


def test_diverged_run_is_stored_as_strict_json_and_returned_on_resume(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    h = sgd(XS, YS, lr=1e200, checkpoint=path)
    json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert load_checkpoint(path).diverged
    assert sgd(XS, YS, lr=1e200, checkpoint=path) == h


def test_failed_replace_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=5, checkpoint=path)

    def killed(*args: Any) -> None:
        raise OSError("killed during save")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(OSError, match="killed during save"):
        sgd(XS, YS, epochs=10, checkpoint=path)
    monkeypatch.undo()
    assert load_checkpoint(path).epoch == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.json"]


def test_failed_write_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=5, checkpoint=path)
    real_dump = json.dump

    def half_dump(obj: Any, fp: Any, **kw: Any) -> None:
        fp.write(json.dumps(obj, **kw)[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(json, "dump", half_dump)
    with pytest.raises(KeyboardInterrupt):
        sgd(XS, YS, epochs=10, checkpoint=path)
    monkeypatch.setattr(json, "dump", real_dump)
    assert load_checkpoint(path).epoch == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.json"]
    assert sgd(XS, YS, epochs=10, checkpoint=path) == sgd(XS, YS, epochs=10)


KILL_SCRIPT = """
import sys
import numpy as np
from lecturelib.training import sgd

rng = np.random.default_rng(3)
x = rng.uniform(0.0, 4.0, 2000)
y = 2.0 * x + rng.normal(0.0, 0.3, x.size)
print("started", flush=True)
sgd(x, y, lr=0.001, epochs=100_000, shuffle=True, seed=7, checkpoint=sys.argv[1])
"""


@pytest.mark.parametrize("delay", [0.6, 1.1, 1.7])
def test_a_process_killed_while_saving_leaves_a_valid_checkpoint(
    tmp_path: Path, delay: float
) -> None:
    """SIGKILL a real training process at a random moment (most of its time goes to saving):
    the checkpoint file is whole, and it is exactly the uninterrupted run up to its epoch."""
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "run.json"
    with subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "started"
            deadline = time.monotonic() + 30.0
            while not path.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    state = load_checkpoint(path)  # never half-written: loads and verifies its checksum
    assert state.epoch >= 1
    rng = np.random.default_rng(3)
    x = rng.uniform(0.0, 4.0, 2000)
    y = 2.0 * x + rng.normal(0.0, 0.3, x.size)
    reference = sgd(x, y, lr=0.001, epochs=state.epoch, shuffle=True, seed=7)
    np.testing.assert_array_equal(state.w, reference.w)
    np.testing.assert_array_equal(state.cost, reference.cost)
