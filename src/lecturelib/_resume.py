"""Resuming a training run: check its checkpoint against the call, then restore the state.

A checkpoint is resumed only by a call with the same algorithm, hyper-parameters, seed (or
generator state) and data (their SHA-256): anything else is a :class:`ValueError` that lists what
differs. A checkpoint whose history does not fit its epochs, or whose random state is invalid, is
a :class:`~lecturelib.checkpoint.CheckpointError`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import numpy as np

from ._config import RunConfig
from .checkpoint import CheckpointError, TrainingState, _jsonable, _read, _Stored, data_fingerprint

__all__ = ["resume"]

_LOG = logging.getLogger("lecturelib")


def _state_digest(state: dict[str, Any] | None) -> str:
    """SHA-256 of a random generator's state, serialised canonically."""
    text = json.dumps(_jsonable(state), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _seed_label(seed: int | None, seed_state: dict[str, Any] | None) -> str:
    if seed_state is None:
        return repr(seed)
    name = seed_state.get("bit_generator", "?")
    return f"Generator({name}) in the state with sha256 {_state_digest(seed_state)[:12]}…"


def resume(
    cfg: RunConfig, rng: np.random.Generator, seed_state: dict[str, Any] | None
) -> tuple[TrainingState, _Stored] | None:
    """Load and check the checkpoint of ``cfg`` (``None`` when there is no file yet)."""
    path = cfg.checkpoint
    if path is None or not path.exists():
        return None
    state, stored = _read(path)
    x_sha, y_sha = data_fingerprint(cfg.x, cfg.y)
    same_seed = state.seed == cfg.seed and (
        (state.seed_state is None and seed_state is None)
        or _state_digest(state.seed_state) == _state_digest(seed_state)
    )
    pairs: list[tuple[str, Any, Any, bool]] = [
        ("algorithm", state.algorithm, cfg.algorithm, state.algorithm == cfg.algorithm),
        ("lr", state.lr, cfg.lr, state.lr == cfg.lr),
        ("batch_size", state.batch_size, cfg.batch_size, state.batch_size == cfg.batch_size),
        ("shuffle", state.shuffle, cfg.shuffle, state.shuffle == cfg.shuffle),
        ("w0", state.w0, cfg.w0, state.w0 == cfg.w0),
        ("b0", state.b0, cfg.b0, state.b0 == cfg.b0),
        ("len(x)", state.n, cfg.x.size, state.n == cfg.x.size),
    ]
    written = [f"{name}={old!r}" for name, old, _, same in pairs if not same]
    called = [f"{name}={new!r}" for name, _, new, same in pairs if not same]
    if not same_seed:
        written.insert(4, f"seed={_seed_label(state.seed, state.seed_state)}")
        called.insert(4, f"seed={_seed_label(cfg.seed, seed_state)}")
    for name, old, new in (("x", state.x_sha256, x_sha), ("y", state.y_sha256, y_sha)):
        if old != new and state.n == cfg.x.size:
            written.append(f"{name} with sha256 {old[:12]}…")
            called.append(f"{name} with sha256 {new[:12]}…")
    if written:
        raise ValueError(
            f"checkpoint {str(path)!r} was written with {', '.join(written)}, called with "
            f"{', '.join(called)}; delete the file or pass another checkpoint path to start afresh"
        )
    if cfg.epochs < state.epoch:
        raise ValueError(
            f"checkpoint {str(path)!r} has already run {state.epoch} epochs, called with "
            f"epochs={cfg.epochs}; pass epochs >= {state.epoch} or delete the file"
        )
    upe = cfg.updates_per_epoch
    full = state.w.size == 1 + state.epoch * upe
    partial = state.diverged and 1 + (state.epoch - 1) * upe < state.w.size <= 1 + state.epoch * upe
    if not (full or partial) or (state.b is None) != (cfg.b0 is None):
        raise CheckpointError(
            f"checkpoint {str(path)!r} holds {state.w.size - 1} updates for {state.epoch} epochs "
            f"of {upe} updates"
        )
    try:
        rng.bit_generator.state = state.rng_state
    except (TypeError, ValueError, KeyError) as exc:
        raise CheckpointError(f"checkpoint {str(path)!r} has an invalid rng_state: {exc}") from None
    _LOG.info("resuming from checkpoint %s at epoch %d/%d", path, state.epoch, cfg.epochs)
    return state, stored
