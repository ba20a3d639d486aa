"""Checkpoints: atomic, verified, and resuming to exactly the uninterrupted run."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lecturelib.checkpoint import CheckpointError, history_path, load_checkpoint
from lecturelib.history import History
from lecturelib.training import gradient_descent, sgd

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


def _rewrite_state(path: Path, edit: Any) -> None:
    """Edit the state's JSON and store a valid checksum for it (the documented canonical form)."""
    document = json.loads(path.read_text())
    edit(document)
    canonical = json.dumps(
        document["payload"], sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    document["payload_sha256"] = hashlib.sha256(canonical.encode("ascii")).hexdigest()
    path.write_text(json.dumps(document))


def test_edited_state_fails_its_checksum(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=10, checkpoint=path)
    document = json.loads(path.read_text())
    document["payload"]["progress"]["epoch"] = 9
    path.write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match="checksum"):
        sgd(XS, YS, epochs=10, checkpoint=path)


def test_bit_flip_in_the_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=10, checkpoint=path)
    history = history_path(path)
    data = bytearray(history.read_bytes())
    data[len(data) // 2] ^= 0x10
    history.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match=r"history .* failed its checksum"):
        load_checkpoint(path)


def test_truncated_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=10, checkpoint=path)
    history = history_path(path)
    history.write_bytes(history.read_bytes()[:-5])
    with pytest.raises(CheckpointError, match="truncated"):
        load_checkpoint(path)


def test_missing_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=3, checkpoint=path)
    history_path(path).unlink()
    with pytest.raises(CheckpointError, match="lost its history file"):
        sgd(XS, YS, epochs=3, checkpoint=path)


def test_a_torn_last_record_is_ignored_and_cut_off(tmp_path: Path) -> None:
    """A kill in the middle of an append leaves bytes the state does not count: reading ignores
    them and the next save overwrites them."""
    path = tmp_path / "ckpt.json"
    kw: dict[str, Any] = {"b0": 0.0, "batch_size": 3, "shuffle": True, "seed": 8}
    sgd(X10, Y10, epochs=20, checkpoint=path, **kw)
    history = history_path(path)
    size = history.stat().st_size
    with history.open("ab") as handle:
        handle.write(b"\x07" * 100)  # a record cut short
    assert load_checkpoint(path).epoch == 20
    assert sgd(X10, Y10, epochs=40, checkpoint=path, **kw) == sgd(X10, Y10, epochs=40, **kw)
    assert load_checkpoint(path).epoch == 40
    assert history.stat().st_size > size
    again = sgd(X10, Y10, epochs=40, checkpoint=path, **kw)
    assert again == sgd(X10, Y10, epochs=40, **kw)


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
    assert raw["version"] == 2
    assert raw["payload"]["history"]["file"] == "ckpt.json.history"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.json", "ckpt.json.history"]


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.json", "ckpt.json.history"]
    assert sgd(XS, YS, epochs=10, checkpoint=path) == sgd(XS, YS, epochs=10)


def test_failed_write_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted half-way through writing the new state (its history record already
    appended): the previous checkpoint stands, the temporary file is gone, resuming is exact."""
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=5, checkpoint=path)
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWritten:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda *a, **kw: HalfWritten(real_fdopen(*a, **kw)))
    with pytest.raises(KeyboardInterrupt):
        sgd(XS, YS, epochs=10, checkpoint=path)
    monkeypatch.undo()
    assert load_checkpoint(path).epoch == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.json", "ckpt.json.history"]
    assert sgd(XS, YS, epochs=10, checkpoint=path) == sgd(XS, YS, epochs=10)


def test_the_checkpoint_is_synced_once_when_training_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fsync per epoch (it would cost more than an epoch); one pass at the end, also when a
    callback interrupts training."""
    calls: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real_fsync(fd))
    sgd(XS, YS, epochs=50, checkpoint=tmp_path / "a.json")
    assert len(calls) == 3  # the history, the state, the directory
    calls.clear()
    with pytest.raises(Interrupted):
        sgd(XS, YS, epochs=50, checkpoint=tmp_path / "b.json", callbacks=[StopAt(20)])
    assert len(calls) == 3
    assert load_checkpoint(tmp_path / "b.json").epoch == 20


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
    """SIGKILL a real training process at a random moment (it saves after every epoch): the
    checkpoint is whole and exactly the uninterrupted run up to its epoch; resuming it removes
    any temporary file the kill left and continues exactly."""
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
    resumed = sgd(x, y, lr=0.001, epochs=state.epoch + 3, shuffle=True, seed=7, checkpoint=path)
    assert resumed == sgd(x, y, lr=0.001, epochs=state.epoch + 3, shuffle=True, seed=7)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json", "run.json.history"]


# --- linear cost ----------------------------------------------------------------------------------


def _bytes_written() -> int:
    with open("/proc/self/io") as io:  # characters this process passed to write(2)
        return next(int(line.split()[1]) for line in io if line.startswith("wchar:"))


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux /proc/self/io")
def test_bytes_written_grow_linearly_with_epochs(tmp_path: Path) -> None:
    """Checkpointing every epoch appends each epoch once: 4x the epochs, about 4x the bytes (the
    version-1 format rewrote the whole history at every save: about 15x)."""
    rng = np.random.default_rng(1)
    x = rng.uniform(0.0, 4.0, 1000)
    y = 2.0 * x + rng.normal(0.0, 0.3, x.size)
    written = {}
    for epochs in (10, 40):
        path = tmp_path / f"run{epochs}.json"
        before = _bytes_written()
        sgd(x, y, lr=0.001, epochs=epochs, checkpoint=path)
        written[epochs] = _bytes_written() - before
        assert path.stat().st_size < 2000  # the state stays small
    ratio = written[40] / written[10]
    assert 3.5 < ratio < 4.5, written
    assert written[10] < 10 * (8 * 1000 + 2000)  # per epoch: 1000 weights and a small state


# --- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_files_follow_the_umask(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "ckpt.json"
    old = os.umask(umask)
    try:
        sgd(XS, YS, epochs=3, checkpoint=path)
    finally:
        os.umask(old)
    for file in (path, history_path(path)):
        assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~umask, file.name


def test_stale_temporaries_are_removed_by_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=3, checkpoint=path)
    # what a kill during a save leaves behind (this version's name, and version 1's mkstemp names)
    for name in (".ckpt.json.tmp", ".ckpt.json.k2j4_9x1.tmp", ".ckpt.json.history.tmp"):
        (tmp_path / name).write_text("{half a file")
    (tmp_path / ".other.json.tmp").write_text("not ours")
    sgd(XS, YS, epochs=5, checkpoint=path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".other.json.tmp", "ckpt.json", "ckpt.json.history"]


def test_unwritable_directory_is_refused_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory where files cannot be created (read-only file system, no permission; faked
    here because root may write anywhere): the error names it and no epoch runs."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_open = os.open

    def refuse(file: Any, flags: int, *args: Any, **kw: Any) -> int:
        if Path(os.fsdecode(file)).parent == locked and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", os.fsdecode(file))
        return real_open(file, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refuse)
    counter = Counter()
    with pytest.raises(PermissionError, match=f"cannot write '{locked}'"):
        sgd(XS, YS, epochs=5, checkpoint=locked / "ckpt.json", callbacks=[counter])
    assert counter.epochs == []
    assert list(locked.iterdir()) == []


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root may write in read-only dirs"
)
def test_read_only_directory_is_refused_before_training(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    counter = Counter()
    try:
        with pytest.raises(PermissionError, match=f"cannot write '{locked}'"):
            sgd(XS, YS, epochs=5, checkpoint=locked / "ckpt.json", callbacks=[counter])
    finally:
        locked.chmod(0o755)
    assert counter.epochs == []


# --- schema ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("hyperparameters", "momentum"),
        ("progress", "best_epoch"),
        ("payload", "notes"),
        ("", "written_by"),
    ],
)
def test_unknown_field_is_refused_naming_it(tmp_path: Path, where: str, field: str) -> None:
    path = tmp_path / "ckpt.json"
    sgd(XS, YS, epochs=3, checkpoint=path)

    def add(document: dict[str, Any]) -> None:
        section = document if where == "" else document["payload"]
        if where not in ("", "payload"):
            section = section[where]
        section[field] = 0.9

    _rewrite_state(path, add)
    name = field if where == "" else f"{where}.{field}"
    with pytest.raises(CheckpointError, match=f"unknown field '{name}'"):
        sgd(XS, YS, epochs=3, checkpoint=path)


def test_version_1_checkpoint_is_refused_naming_the_version(tmp_path: Path) -> None:
    """lecturelib's first format (one JSON file holding the whole history) is not read."""
    payload = {
        "algorithm": "sgd",
        "hyperparameters": {
            "lr": 0.01,
            "batch_size": 1,
            "shuffle": False,
            "seed": None,
            "w0": 1.0,
            "b0": None,
        },
        "data": {"n": 3, "x_sha256": "0" * 64, "y_sha256": "0" * 64},
        "progress": {"epoch": 0, "epochs": 5, "diverged": False},
        "history": {"w": [1.0], "b": None, "cost": [14 / 3]},
        "rng_state": np.random.default_rng(0).bit_generator.state,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    document = {
        "format": "lecturelib-checkpoint",
        "version": 1,
        "payload_sha256": hashlib.sha256(canonical.encode("ascii")).hexdigest(),
        "payload": payload,
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match=r"format version 1 .*delete the file"):
        sgd(XS, YS, epochs=5, checkpoint=path)


# --- a Generator as the seed ----------------------------------------------------------------------


def test_resume_with_a_generator_equals_the_uninterrupted_run(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    kw: dict[str, Any] = {"b0": 0.0, "batch_size": 3, "shuffle": True, "epochs": 60}
    with pytest.raises(Interrupted):
        sgd(X10, Y10, seed=np.random.default_rng(21), checkpoint=path, callbacks=[StopAt(25)], **kw)
    assert load_checkpoint(path).seed_state == np.random.default_rng(21).bit_generator.state
    generator = np.random.default_rng(21)
    resumed = sgd(X10, Y10, seed=generator, checkpoint=path, **kw)
    uninterrupted_generator = np.random.default_rng(21)
    assert resumed == sgd(X10, Y10, seed=uninterrupted_generator, **kw)
    # the generator ends where the uninterrupted run leaves it
    assert generator.bit_generator.state == uninterrupted_generator.bit_generator.state


def test_resume_with_a_generator_in_another_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.json"
    kw: dict[str, Any] = {"batch_size": 3, "shuffle": True, "epochs": 10}
    sgd(X10, Y10, seed=np.random.default_rng(21), checkpoint=path, **kw)
    with pytest.raises(ValueError, match=r"written with seed=Generator\(PCG64\) in the state"):
        sgd(X10, Y10, seed=np.random.default_rng(22), checkpoint=path, **kw)
    with pytest.raises(ValueError, match=r"called with seed=21"):
        sgd(X10, Y10, seed=21, checkpoint=path, **kw)
