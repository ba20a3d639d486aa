"""The arguments of a training run, checked once: :class:`RunConfig` and :func:`configure`.

Every check names the argument in its message (see :mod:`lecturelib._validate`): a
:class:`TypeError` for a value of the wrong kind, a :class:`ValueError` for one out of range,
a :class:`FileNotFoundError` for a checkpoint in a missing directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import FloatArray, as_bool, as_data, as_int, as_real, as_seed
from .checkpoint import history_path

__all__ = ["RunConfig", "configure"]


@dataclass(frozen=True)
class RunConfig:
    """The checked arguments of one call of :func:`~lecturelib.training.gradient_descent` or
    :func:`~lecturelib.training.sgd`."""

    algorithm: str
    x: FloatArray
    y: FloatArray
    w0: float
    b0: float | None
    lr: float
    epochs: int
    batch_size: int
    shuffle: bool
    seed: int | None  # the integer seed, None for fresh entropy or a generator
    rng: np.random.Generator  # the shuffling's randomness (the caller's own generator if given)
    streamed: bool  # the caller gave a generator: its state at the start goes to the checkpoint
    checkpoint: Path | None
    checkpoint_every: int
    callbacks: tuple[Any, ...]
    log_every: int

    @property
    def recorded(self) -> dict[str, Any]:
        """What both a :class:`~lecturelib.history.History` and a checkpoint record of the call."""
        return {
            "lr": self.lr,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "seed": self.seed,
        }

    @property
    def updates_per_epoch(self) -> int:
        """Updates per epoch: ``ceil(len(x) / batch_size)``."""
        return -(-self.x.size // self.batch_size)


def _as_checkpoint(value: Any) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise TypeError(
            f"checkpoint must be a path (str or os.PathLike), not {type(value).__name__}"
        )
    path = Path(value)
    if str(value) == "" or path.is_dir():
        raise ValueError(f"checkpoint must be a file path, got the directory {str(path)!r}")
    if history_path(path).is_dir():
        raise ValueError(
            f"checkpoint {str(path)!r}: its history file {str(history_path(path))!r} is a directory"
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(f"checkpoint: the directory {str(path.parent)!r} does not exist")
    return path


def _as_callbacks(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        hint = " (wrap a single callback in a list)" if hasattr(value, "on_epoch_end") else ""
        raise TypeError(
            f"callbacks must be a list of callbacks or None, not {type(value).__name__}{hint}"
        )
    out = tuple(value)
    for i, cb in enumerate(out):
        if not callable(getattr(cb, "on_epoch_end", None)):
            raise TypeError(
                f"callbacks[{i}] must have an on_epoch_end(epoch, history) method, "
                f"got {type(cb).__name__}"
            )
    return out


def configure(
    algorithm: str,
    x: Any,
    y: Any,
    *,
    w0: Any,
    b0: Any,
    lr: Any,
    epochs: Any,
    batch_size: Any,
    shuffle: Any,
    seed: Any,
    checkpoint: Any,
    checkpoint_every: Any,
    callbacks: Any,
    log_every: Any,
) -> RunConfig:
    """Check every argument of a training call, naming the argument in the error."""
    xa, ya = as_data(x, y)
    rng, int_seed = as_seed("seed", seed)
    return RunConfig(
        algorithm=algorithm,
        x=xa,
        y=ya,
        w0=as_real("w0", w0),
        b0=None if b0 is None else as_real("b0", b0),
        lr=as_real("lr", lr, positive=True),
        epochs=as_int("epochs", epochs, minimum=0),
        batch_size=xa.size
        if batch_size is None
        else as_int("batch_size", batch_size, minimum=1, maximum=xa.size),
        shuffle=as_bool("shuffle", shuffle),
        seed=int_seed,
        rng=rng,
        streamed=seed is not None and int_seed is None,
        checkpoint=_as_checkpoint(checkpoint),
        checkpoint_every=as_int("checkpoint_every", checkpoint_every, minimum=1),
        callbacks=_as_callbacks(callbacks),
        log_every=as_int("log_every", log_every, minimum=1),
    )
