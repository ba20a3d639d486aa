r"""Checkpoints: save the full state of a training run, verified, and resume it exactly.

A checkpoint at ``path`` (say ``run.json``) is two files side by side:

``run.json``, the *state*: a small UTF-8 JSON file, rewritten atomically at every save.

.. code-block:: text

   {"format": "lecturelib-checkpoint", "version": 2,
    "payload_sha256": "<sha256 of the canonical payload>",
    "payload": {
      "algorithm": "sgd",
      "hyperparameters": {"lr": 0.01, "batch_size": 1, "shuffle": false, "seed": null,
                          "seed_state": null, "w0": 1.0, "b0": null},
      "data": {"n": 3, "x_sha256": "...", "y_sha256": "..."},
      "progress": {"epoch": 40, "epochs": 100, "diverged": false},
      "history": {"file": "run.json.history", "bytes": 3496, "sha256": "...",
                  "w": 121, "cost": 41},
      "rng_state": {"bit_generator": "PCG64", "state": {...}, ...}}}

``run.json.history``, the *history*: an append-only binary file of float64 values
(little-endian). It starts with a 16-byte header (``b"LLCKHIST"``, the format version and
whether the model has a bias, as two ``uint32``); every save appends one record: two ``uint64``
counts :math:`(n_w, n_c)`, then the :math:`n_w` new weights, the :math:`n_w` new biases (with a
bias only) and the :math:`n_c` new costs. So a save writes only what is new since the last one:
the bytes written grow linearly with the epochs, and the state file stays the same small size.

* The state says how many bytes of the history are valid (``history.bytes``) and their SHA-256
  (``history.sha256``); ``payload_sha256`` is the SHA-256 of the payload serialised canonically
  (``json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)``). A truncated,
  hand-edited or bit-flipped state or history is refused with :class:`CheckpointError`, and so is
  a state with a field this version does not know (the error names it).
* A save appends the record to the history, *then* replaces the state atomically (a temporary
  file, then ``os.replace``). A process killed at any moment (``SIGKILL``, Ctrl-C, an exception)
  leaves the previous checkpoint or the new one: bytes of the history beyond ``history.bytes`` (a
  record torn by a kill, or one whose state was never written) are ignored when reading and cut
  off by the next save, and a temporary file left by a kill is removed by the next save.
* Durability: saves during training are not ``fsync``-ed (an ``fsync`` costs as much as a whole
  epoch of the lecture's data sets and more on a busy disk); when training ends, normally or by an
  exception, the history, the state and the directory are ``fsync``-ed once, and
  :func:`save_checkpoint` always does so. If the operating system itself crashes (or the power
  fails) in the middle of training, the last checkpoint may be lost or refused with
  :class:`CheckpointError`, never silently wrong: the checksums see to that.
* The data are identified by the SHA-256 of the bytes of ``x`` and of ``y`` (as float64), so a
  run is never resumed on other data. Floats are stored exactly (binary float64, ``repr`` in
  JSON), so a resumed run is bit for bit the uninterrupted one.
* Files are created with the mode the umask gives (``0o666 & ~umask``), like any other file.
* Version-1 checkpoints (one JSON file holding the whole history, rewritten at every save) are
  refused with a :class:`CheckpointError` naming the version: delete the file to start afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ._validate import FloatArray

__all__ = [
    "FORMAT",
    "VERSION",
    "CheckpointError",
    "TrainingState",
    "data_fingerprint",
    "history_path",
    "load_checkpoint",
    "save_checkpoint",
]

FORMAT = "lecturelib-checkpoint"
VERSION = 2

_MAGIC = b"LLCKHIST"
_HEADER = struct.Struct("<II")  # format version, has bias
_RECORD = struct.Struct("<QQ")  # new w (and b) values, new cost values
_F64 = np.dtype("<f8")

#: The fields of a version-2 state, section by section (``rng_state`` is numpy's own dict).
_SCHEMA: dict[str, tuple[str, ...]] = {
    "": ("format", "version", "payload_sha256", "payload"),
    "payload": ("algorithm", "hyperparameters", "data", "progress", "history", "rng_state"),
    "hyperparameters": ("lr", "batch_size", "shuffle", "seed", "seed_state", "w0", "b0"),
    "data": ("n", "x_sha256", "y_sha256"),
    "progress": ("epoch", "epochs", "diverged"),
    "history": ("file", "bytes", "sha256", "w", "cost"),
}


class CheckpointError(ValueError):
    """A checkpoint that cannot be trusted: not JSON, truncated, wrong checksum or schema."""


@dataclass(frozen=True, eq=False)
class TrainingState:
    r"""Everything needed to continue a training run exactly where it stopped.

    Attributes
    ----------
    algorithm
        ``"gradient_descent"`` or ``"sgd"``.
    lr, batch_size, shuffle, seed, w0, b0
        The hyper-parameters of the run (``b0`` is ``None`` for the model :math:`\hat y = x\,w`;
        ``seed`` is ``None`` for fresh entropy or a ``numpy.random.Generator``).
    n, x_sha256, y_sha256
        The fingerprint of the data (see :func:`data_fingerprint`).
    epoch
        Epochs completed.
    epochs
        Epochs requested by the call that wrote the file.
    w, b, cost
        The history so far (``b`` is ``None`` without bias).
    diverged
        Whether training stopped because it diverged.
    rng_state
        ``numpy.random.Generator.bit_generator.state`` after ``epoch`` epochs (the shuffle
        stream).
    seed_state
        When the run was given a ``numpy.random.Generator`` as its seed: that generator's
        ``bit_generator.state`` when training started (a resumed run must be given a generator in
        the same state); otherwise ``None``.
    """

    algorithm: str
    lr: float
    batch_size: int
    shuffle: bool
    seed: int | None
    w0: float
    b0: float | None
    n: int
    x_sha256: str
    y_sha256: str
    epoch: int
    epochs: int
    w: FloatArray
    b: FloatArray | None
    cost: FloatArray
    diverged: bool
    rng_state: dict[str, Any]
    seed_state: dict[str, Any] | None = None


def data_fingerprint(x: FloatArray, y: FloatArray) -> tuple[str, str]:
    r"""The SHA-256 hex digests of the float64 bytes of ``x`` and of ``y``.

    Two data sets have the same fingerprint exactly when they hold the same values in the same
    order (:math:`\operatorname{sha256}(x) = \operatorname{sha256}(x')` up to collisions).
    """

    def digest(a: FloatArray) -> str:
        return hashlib.sha256(np.ascontiguousarray(a, dtype=np.float64).tobytes()).hexdigest()

    return digest(x), digest(y)


def history_path(path: str | os.PathLike[str]) -> Path:
    """The history file of the checkpoint at ``path``: ``path`` with ``.history`` appended."""
    target = Path(path)
    return target.with_name(target.name + ".history")


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _canonical(payload: dict[str, Any]) -> bytes:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode("ascii")


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _create(path: Path) -> int:
    """Create ``path`` exclusively (mode ``0o666`` less the umask); replace a stale leftover."""
    try:
        return os.open(path, _CREATE, 0o666)
    except FileExistsError:  # left behind by a killed save
        os.unlink(path)
        return os.open(path, _CREATE, 0o666)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by a file holding ``data``: a temporary file, then ``os.replace``."""
    tmp = _temporary(path)
    fd = _create(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fsync_path(path: Path) -> None:
    """``fsync`` a file or a directory by name (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - directories on Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files of this checkpoint left by a killed save: ``.run.json.tmp`` and
    any ``.run.json.<anything>.tmp`` (version 1 named them ``.run.json.<random>.tmp``)."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _floats(values: FloatArray) -> bytes:
    return np.ascontiguousarray(values, dtype=_F64).tobytes()


@dataclass
class _Stored:
    """What a verified checkpoint says about its history file (for appending to it)."""

    bytes: int
    sha256: Any  # hashlib object holding the digest of the valid prefix
    n_w: int
    n_cost: int
    bias: bool


class _Writer:
    """Writes the checkpoint of one training run: the history by appending, the state atomically.

    ``stored`` is the verified checkpoint being continued (``None``: a new one). Use
    :meth:`check_writable` before training, :meth:`save` after epochs, :meth:`close` at the end.
    """

    def __init__(self, path: Path, stored: _Stored | None = None) -> None:
        self.path = path
        self.history = history_path(path)
        self._stored = stored
        self._file: BinaryIO | None = None
        self._saved = False

    def _fail(self, exc: OSError, where: Path) -> OSError:
        reason = exc.strerror or str(exc)
        return type(exc)(
            exc.errno,
            f"checkpoint {str(self.path)!r}: cannot write {str(where)!r} ({reason}); "
            "pass a checkpoint path in a writable directory",
        )

    def check_writable(self) -> None:
        """Open the history for writing and try the state's temporary file, so that a read-only
        directory or file is refused before training starts (naming the path)."""
        self._open()

    def _open(self) -> BinaryIO:
        if self._file is not None:
            return self._file
        _remove_stale_temporaries(self.path)
        tmp = _temporary(self.path)
        try:
            os.close(_create(tmp))
            os.unlink(tmp)
        except OSError as exc:
            raise self._fail(exc, self.path.parent) from None
        try:
            # closed by close(); "wb" starts a new history, "r+b" continues a verified one
            self._file = open(self.history, "wb" if self._stored is None else "r+b")  # noqa: SIM115
        except OSError as exc:
            raise self._fail(exc, self.history) from None
        return self._file

    def save(self, state: TrainingState) -> None:
        """Append what ``state`` holds beyond the last save, then write the state atomically."""
        handle = self._open()
        bias = state.b is not None
        stored = self._stored
        if stored is None:
            header = _MAGIC + _HEADER.pack(VERSION, int(bias))
            handle.write(header)
            stored = self._stored = _Stored(len(header), hashlib.sha256(header), 0, 0, bias)
        elif handle.tell() != stored.bytes:  # the first save after resuming
            handle.seek(stored.bytes)
            handle.truncate()  # cut off a torn or unacknowledged record of a killed run
        if stored.bias != bias or state.w.size < stored.n_w or state.cost.size < stored.n_cost:
            raise ValueError(
                f"checkpoint {str(self.path)!r}: the state does not continue the saved history"
            )
        new_w = state.w[stored.n_w :]
        new_cost = state.cost[stored.n_cost :]
        parts = [_RECORD.pack(new_w.size, new_cost.size), _floats(new_w)]
        if state.b is not None:
            parts.append(_floats(state.b[stored.n_w :]))
        parts.append(_floats(new_cost))
        record = b"".join(parts)
        handle.write(record)
        handle.flush()
        self._saved = True
        stored.sha256.update(record)
        stored.bytes += len(record)
        stored.n_w, stored.n_cost = state.w.size, state.cost.size
        payload = _payload(state, self.history.name, stored)
        document = {
            "format": FORMAT,
            "version": VERSION,
            "payload_sha256": hashlib.sha256(_canonical(payload)).hexdigest(),
            "payload": payload,
        }
        text = json.dumps(document, sort_keys=True, allow_nan=False)
        _write_atomically(self.path, text.encode("ascii"))

    def close(self, sync: bool = True) -> None:
        """Close the history; with ``sync``, first ``fsync`` the history, the state and the
        directory (if anything was saved) so that the checkpoint survives an OS crash."""
        handle, self._file = self._file, None
        if handle is None:
            return
        try:
            if sync and self._saved:
                handle.flush()
                os.fsync(handle.fileno())
                _fsync_path(self.path)
                _fsync_path(self.path.parent)
        finally:
            handle.close()


def _payload(state: TrainingState, history_name: str, stored: _Stored) -> dict[str, Any]:
    return {
        "algorithm": state.algorithm,
        "hyperparameters": {
            "lr": float(state.lr),
            "batch_size": int(state.batch_size),
            "shuffle": bool(state.shuffle),
            "seed": None if state.seed is None else int(state.seed),
            "seed_state": None if state.seed_state is None else _jsonable(state.seed_state),
            "w0": float(state.w0),
            "b0": None if state.b0 is None else float(state.b0),
        },
        "data": {"n": int(state.n), "x_sha256": state.x_sha256, "y_sha256": state.y_sha256},
        "progress": {
            "epoch": int(state.epoch),
            "epochs": int(state.epochs),
            "diverged": bool(state.diverged),
        },
        "history": {
            "file": history_name,
            "bytes": stored.bytes,
            "sha256": stored.sha256.hexdigest(),
            "w": stored.n_w,
            "cost": stored.n_cost,
        },
        "rng_state": _jsonable(state.rng_state),
    }


def _jsonable(value: Any) -> Any:
    """A bit generator's state as plain JSON values (numpy arrays and integers to lists, ints)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def save_checkpoint(path: str | os.PathLike[str], state: TrainingState) -> None:
    r"""Write ``state`` as a new checkpoint at ``path`` (the state file) and its history file.

    An existing checkpoint at ``path`` is removed first (its state, then its history is
    overwritten); the history is written whole, then the state atomically, and both are
    ``fsync``-ed (see the module documentation for the format). A crash in the middle leaves the
    old checkpoint, none, or the new one, never a mixture. Training does not use this function:
    it appends to the history at every save instead of rewriting it.
    """
    target = Path(path)
    if target.exists():  # the old state must not outlive its history
        target.unlink()
    writer = _Writer(target)
    try:
        writer.save(state)
    except BaseException:
        writer.close(sync=False)
        raise
    writer.close()


def _require(condition: bool, path: Path, what: str) -> None:
    if not condition:
        raise CheckpointError(
            f"checkpoint {str(path)!r} is not a valid lecturelib checkpoint: {what}"
        )


def _check_fields(path: Path, name: str, section: Any) -> dict[str, Any]:
    label = name or "the top level"
    _require(isinstance(section, dict), path, f"{label} is not a JSON object")
    known = _SCHEMA[name]
    for key in section:
        if key not in known:
            where = f"{name}.{key}" if name else key
            raise CheckpointError(
                f"checkpoint {str(path)!r} has the unknown field {where!r} (this lecturelib "
                f"reads format version {VERSION}; was the file written by another version or "
                "edited?)"
            )
    for key in known:
        _require(key in section, path, f"missing field {(name + '.' if name else '') + key!r}")
    return dict(section)


def _field(path: Path, sec: dict[str, Any], name: str, kinds: tuple[type, ...]) -> Any:
    value = sec[name]
    if value is None and type(None) in kinds:
        return None
    ok = isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))
    _require(ok, path, f"field {name!r} has the wrong type ({type(value).__name__})")
    return value


def _read_history(
    path: Path, info: dict[str, Any], bias: bool
) -> tuple[_Stored, FloatArray, FloatArray | None, FloatArray]:
    source = history_path(path)
    number = _field(path, info, "bytes", (int,))
    digest = _field(path, info, "sha256", (str,))
    n_w, n_cost = _field(path, info, "w", (int,)), _field(path, info, "cost", (int,))
    _require(info["file"] == source.name, path, f"history.file is not {source.name!r}")
    try:
        with open(source, "rb") as handle:
            data = handle.read(number)
    except FileNotFoundError:
        raise CheckpointError(
            f"checkpoint {str(path)!r} has lost its history file {str(source)!r}"
        ) from None
    if len(data) < number:
        raise CheckpointError(
            f"checkpoint history {str(source)!r} holds {len(data)} bytes, the state says "
            f"{number}: the file was truncated"
        )
    sha = hashlib.sha256(data)
    if sha.hexdigest() != digest:
        raise CheckpointError(
            f"checkpoint history {str(source)!r} failed its checksum (stored sha256 "
            f"{digest[:12]}…, content sha256 {sha.hexdigest()[:12]}…): the file is corrupt or "
            "was edited"
        )
    head = len(_MAGIC) + _HEADER.size
    _require(data[: len(_MAGIC)] == _MAGIC, path, "the history file has no LLCKHIST header")
    version, has_bias = _HEADER.unpack_from(data, len(_MAGIC))
    _require(version == VERSION and has_bias == int(bias), path, "history header disagrees")
    ws, bs, costs = [], [], []
    offset = head
    while offset < number:
        _require(offset + _RECORD.size <= number, path, "a history record is cut short")
        k, c = _RECORD.unpack_from(data, offset)
        offset += _RECORD.size
        size = 8 * ((2 if bias else 1) * k + c)
        _require(offset + size <= number, path, "a history record is cut short")
        ws.append(np.frombuffer(data, _F64, k, offset))
        if bias:
            bs.append(np.frombuffer(data, _F64, k, offset + 8 * k))
        costs.append(np.frombuffer(data, _F64, c, offset + 8 * k * (2 if bias else 1)))
        offset += size

    def join(parts: list[FloatArray]) -> FloatArray:
        out = np.concatenate(parts).astype(np.float64) if parts else np.empty(0)
        out.flags.writeable = False
        return out

    w, cost = join(ws), join(costs)
    _require(w.size == n_w and cost.size == n_cost, path, "history lengths disagree")
    return _Stored(number, sha, n_w, n_cost, bias), w, join(bs) if bias else None, cost


def _read(path: str | os.PathLike[str]) -> tuple[TrainingState, _Stored]:
    source = Path(path)
    raw = source.read_bytes()
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(
            f"checkpoint {str(source)!r} is not valid JSON (truncated or corrupt?): {exc}"
        ) from None
    _require(isinstance(document, dict), source, "the top level is not a JSON object")
    _require(document.get("format") == FORMAT, source, f"format is not {FORMAT!r}")
    version = document.get("version")
    if version != VERSION:
        old = " (one JSON file rewritten at every save)" if version == 1 else ""
        raise CheckpointError(
            f"checkpoint {str(source)!r} has format version {version!r}{old}; this lecturelib "
            f"reads version {VERSION} only: delete the file to start the run afresh"
        )
    _check_fields(source, "", document)
    payload = _check_fields(source, "payload", document["payload"])
    checksum = document["payload_sha256"]
    _require(isinstance(checksum, str), source, "payload_sha256 is not a string")
    try:
        actual = hashlib.sha256(_canonical(payload)).hexdigest()
    except ValueError:  # NaN or inf literals: never written by save_checkpoint
        actual = ""
    if actual != checksum:
        raise CheckpointError(
            f"checkpoint {str(source)!r} failed its checksum (stored sha256 {checksum[:12]}…, "
            f"content sha256 {actual[:12]}…): the file is corrupt or was edited"
        )
    hyper = _check_fields(source, "hyperparameters", payload["hyperparameters"])
    data = _check_fields(source, "data", payload["data"])
    progress = _check_fields(source, "progress", payload["progress"])
    history = _check_fields(source, "history", payload["history"])
    rng_state = payload["rng_state"]
    _require(isinstance(rng_state, dict), source, "rng_state is not a JSON object")
    algorithm = payload["algorithm"]
    _require(algorithm in ("gradient_descent", "sgd"), source, f"unknown algorithm {algorithm!r}")
    number, opt = (int, float), (type(None),)
    b0 = _field(source, hyper, "b0", (*number, *opt))
    stored, w, b, cost = _read_history(source, history, b0 is not None)
    state = TrainingState(
        algorithm=str(algorithm),
        lr=float(_field(source, hyper, "lr", number)),
        batch_size=_field(source, hyper, "batch_size", (int,)),
        shuffle=_field(source, hyper, "shuffle", (bool,)),
        seed=_field(source, hyper, "seed", (int, *opt)),
        w0=float(_field(source, hyper, "w0", number)),
        b0=None if b0 is None else float(b0),
        n=_field(source, data, "n", (int,)),
        x_sha256=_field(source, data, "x_sha256", (str,)),
        y_sha256=_field(source, data, "y_sha256", (str,)),
        epoch=_field(source, progress, "epoch", (int,)),
        epochs=_field(source, progress, "epochs", (int,)),
        diverged=_field(source, progress, "diverged", (bool,)),
        w=w,
        b=b,
        cost=cost,
        rng_state=rng_state,
        seed_state=_field(source, hyper, "seed_state", (dict, *opt)),
    )
    _require(state.epoch >= 0 and state.cost.size == state.epoch + 1, source, "cost length")
    _require(state.w.size >= 1, source, "empty history.w")
    return state, stored


def load_checkpoint(path: str | os.PathLike[str]) -> TrainingState:
    r"""Read and verify the checkpoint whose state file is ``path`` (and its history file).

    The payload's checksum :math:`\operatorname{sha256}(\text{canonical JSON})` and the history's
    :math:`\operatorname{sha256}` must match the stored ones, and the format name, version and
    fields must be exactly those of version 2. Bytes of the history beyond the valid length
    recorded in the state (a record torn by a kill) are ignored.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    CheckpointError
        If the state is not JSON (for instance truncated), is not a lecturelib checkpoint, has
        another version or an unknown field, its history file is missing or shorter than
        recorded, or a checksum does not match (corrupted or edited).
    """
    return _read(path)[0]
