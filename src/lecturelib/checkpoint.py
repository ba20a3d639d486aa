r"""Checkpoints: save the full state of a training run, verified, and resume it exactly.

A checkpoint is one UTF-8 JSON file:

.. code-block:: text

   {"format": "lecturelib-checkpoint", "version": 1,
    "payload_sha256": "<sha256 of the canonical payload>",
    "payload": {
      "algorithm": "sgd",
      "hyperparameters": {"lr": 0.01, "batch_size": 1, "shuffle": false, "seed": null,
                          "w0": 1.0, "b0": null},
      "data": {"n": 3, "x_sha256": "...", "y_sha256": "..."},
      "progress": {"epoch": 40, "epochs": 100, "diverged": false},
      "history": {"w": [1.0, ...], "b": null, "cost": [4.666666666666667, ...]},
      "rng_state": {"bit_generator": "PCG64", "state": {...}, ...}}}

* Floats are written with ``repr`` (what :mod:`json` does), which reads back to the very same
  ``float``; a non-finite value (a diverged run) is written as the string ``"nan"``, ``"inf"`` or
  ``"-inf"``, so the file stays strict JSON.
* ``payload_sha256`` is the SHA-256 of the payload serialised canonically
  (``json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)``), so a
  truncated, hand-edited or bit-flipped file is refused with :class:`CheckpointError` instead of
  silently starting afresh.
* The data are identified by the SHA-256 of the bytes of ``x`` and of ``y`` (as float64), so a
  run is never resumed on other data.
* :func:`save_checkpoint` is atomic: it writes a temporary file in the same directory, flushes
  and ``os.fsync``-s it, then ``os.replace``-s the old file. A crash at any moment leaves either
  the previous checkpoint or the new one, never half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import FloatArray

__all__ = [
    "FORMAT",
    "VERSION",
    "CheckpointError",
    "TrainingState",
    "data_fingerprint",
    "load_checkpoint",
    "save_checkpoint",
]

FORMAT = "lecturelib-checkpoint"
VERSION = 1

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted: not JSON, truncated, wrong checksum or schema."""


@dataclass(frozen=True, eq=False)
class TrainingState:
    r"""Everything needed to continue a training run exactly where it stopped.

    Attributes
    ----------
    algorithm
        ``"gradient_descent"`` or ``"sgd"``.
    lr, batch_size, shuffle, seed, w0, b0
        The hyper-parameters of the run (``b0`` is ``None`` for the model :math:`\hat y = x\,w`).
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


def data_fingerprint(x: FloatArray, y: FloatArray) -> tuple[str, str]:
    r"""The SHA-256 hex digests of the float64 bytes of ``x`` and of ``y``.

    Two data sets have the same fingerprint exactly when they hold the same values in the same
    order (:math:`\operatorname{sha256}(x) = \operatorname{sha256}(x')` up to collisions).
    """

    def digest(a: FloatArray) -> str:
        return hashlib.sha256(np.ascontiguousarray(a, dtype=np.float64).tobytes()).hexdigest()

    return digest(x), digest(y)


def _encode_floats(values: FloatArray) -> list[float | str]:
    return [v if math.isfinite(v) else repr(v) for v in map(float, values)]


def _canonical(payload: dict[str, Any]) -> bytes:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode("ascii")


def _payload(state: TrainingState) -> dict[str, Any]:
    return {
        "algorithm": state.algorithm,
        "hyperparameters": {
            "lr": float(state.lr),
            "batch_size": int(state.batch_size),
            "shuffle": bool(state.shuffle),
            "seed": None if state.seed is None else int(state.seed),
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
            "w": _encode_floats(state.w),
            "b": None if state.b is None else _encode_floats(state.b),
            "cost": _encode_floats(state.cost),
        },
        "rng_state": state.rng_state,
    }


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def save_checkpoint(path: str | os.PathLike[str], state: TrainingState) -> None:
    r"""Write ``state`` to ``path`` atomically (temporary file, flush, ``fsync``, ``os.replace``).

    The file holds the payload and its checksum
    :math:`\operatorname{sha256}(\text{canonical JSON of the payload})`; see the module
    documentation for the format. If anything fails before the final ``os.replace`` the previous
    file at ``path`` is untouched and the temporary file is removed.
    """
    target = Path(path)
    payload = _payload(state)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "payload_sha256": hashlib.sha256(_canonical(payload)).hexdigest(),
        "payload": payload,
    }
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, sort_keys=True, allow_nan=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(directory)


def _require(condition: bool, path: Path, what: str) -> None:
    if not condition:
        raise CheckpointError(
            f"checkpoint {str(path)!r} is not a valid lecturelib checkpoint: {what}"
        )


def _decode_floats(path: Path, name: str, values: Any) -> FloatArray:
    _require(isinstance(values, list), path, f"history.{name} is not a list")
    out: list[float] = []
    for v in values:
        if isinstance(v, str) and v in _NON_FINITE:
            out.append(_NON_FINITE[v])
        else:
            _require(
                isinstance(v, int | float) and not isinstance(v, bool),
                path,
                f"history.{name} holds {v!r}",
            )
            out.append(float(v))
    arr = np.array(out, dtype=np.float64)
    arr.flags.writeable = False
    return arr


def _state(path: Path, payload: dict[str, Any]) -> TrainingState:
    def section(name: str) -> dict[str, Any]:
        value = payload.get(name)
        if not isinstance(value, dict):
            raise CheckpointError(f"checkpoint {str(path)!r} has no section {name!r}")
        return value

    def field(
        sec: dict[str, Any], name: str, kinds: tuple[type, ...], optional: bool = False
    ) -> Any:
        _require(name in sec, path, f"missing field {name!r}")
        value = sec[name]
        if value is None and optional:
            return None
        ok = isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))
        _require(ok, path, f"field {name!r} has the wrong type ({type(value).__name__})")
        return value

    hyper, data, progress = section("hyperparameters"), section("data"), section("progress")
    history, rng_state = section("history"), section("rng_state")
    algorithm = payload.get("algorithm")
    _require(algorithm in ("gradient_descent", "sgd"), path, f"unknown algorithm {algorithm!r}")
    number = (int, float)
    b_raw = field(history, "b", (list,), optional=True)
    state = TrainingState(
        algorithm=str(algorithm),
        lr=float(field(hyper, "lr", number)),
        batch_size=field(hyper, "batch_size", (int,)),
        shuffle=field(hyper, "shuffle", (bool,)),
        seed=field(hyper, "seed", (int,), optional=True),
        w0=float(field(hyper, "w0", number)),
        b0=None if field(hyper, "b0", number, optional=True) is None else float(hyper["b0"]),
        n=field(data, "n", (int,)),
        x_sha256=field(data, "x_sha256", (str,)),
        y_sha256=field(data, "y_sha256", (str,)),
        epoch=field(progress, "epoch", (int,)),
        epochs=field(progress, "epochs", (int,)),
        diverged=field(progress, "diverged", (bool,)),
        w=_decode_floats(path, "w", field(history, "w", (list,))),
        b=None if b_raw is None else _decode_floats(path, "b", b_raw),
        cost=_decode_floats(path, "cost", field(history, "cost", (list,))),
        rng_state=rng_state,
    )
    _require(state.epoch >= 0 and state.cost.size == state.epoch + 1, path, "cost length")
    _require(state.w.size >= 1, path, "empty history.w")
    _require(state.b is None or state.b.size == state.w.size, path, "b and w lengths differ")
    _require((state.b is None) == (state.b0 is None), path, "b and b0 disagree")
    return state


def load_checkpoint(path: str | os.PathLike[str]) -> TrainingState:
    r"""Read and verify a checkpoint written by :func:`save_checkpoint`.

    The payload's checksum :math:`\operatorname{sha256}(\text{canonical JSON})` must match the
    stored one, and the format name, version and fields must be as written.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    CheckpointError
        If the file is not JSON (for instance truncated), is not a lecturelib checkpoint, has an
        unsupported version, or its checksum does not match (corrupted or edited).
    """
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
        raise CheckpointError(
            f"checkpoint {str(source)!r} has format version {version!r}; "
            f"this lecturelib reads version {VERSION}"
        )
    payload = document.get("payload")
    checksum = document.get("payload_sha256")
    _require(isinstance(payload, dict), source, "missing payload")
    _require(isinstance(checksum, str), source, "missing payload_sha256")
    try:
        actual = hashlib.sha256(_canonical(payload)).hexdigest()
    except ValueError:  # NaN or inf literals: never written by save_checkpoint
        actual = ""
    if actual != checksum:
        raise CheckpointError(
            f"checkpoint {str(source)!r} failed its checksum (stored sha256 {checksum[:12]}…, "
            f"content sha256 {actual[:12]}…): the file is corrupt or was edited"
        )
    return _state(source, payload)
