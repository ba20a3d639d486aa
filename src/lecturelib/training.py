r"""Gradient descent, stochastic gradient descent and mini-batches for the lecture's linear model.

Both :func:`gradient_descent` and :func:`sgd` run one training loop. An *epoch* visits the
training set once, cut into batches :math:`B` of ``batch_size`` samples (in data order, or in a
fresh seeded permutation every epoch when ``shuffle=True``; the last batch may be smaller). Each
batch makes one update with the gradient of the mean squared error over that batch,

.. math::

   w \leftarrow w - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,x_n\,(x_n w + b - y_n),
   \qquad
   b \leftarrow b - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,(x_n w + b - y_n),

both computed from the parameters *before* the update. Gradient descent is the case
:math:`B = \{1, \dots, N\}` (one update per epoch), the lecture's SGD the case :math:`|B| = 1`.
Without ``b0`` the model is the lecture's :math:`\hat y = x\,w` and :math:`b` stays 0.

Data go through :func:`numpy.asarray`, so ``x[n]`` is paired with ``y[n]`` by position: two
pandas Series are paired by position, not by their index labels (align them first, e.g.
``y.reindex(x.index)``). Masked arrays and ``timedelta64`` values are refused, not misread.

Both return a :class:`~lecturelib.history.History`, the run's record. How it runs: the arguments
are checked once (``lecturelib._config``); the loop (``lecturelib._loop``) computes the data's
moments once per call. Per-sample SGD is the lecture's loop over Python floats (the very same
numbers, bit for bit); mini-batch SGD gets every batch's update coefficients from numpy once per
epoch, then updates with Python floats; gradient descent and the full-data cost after every epoch
come from the data's moments in :math:`O(1)` (see :mod:`lecturelib.model`). Every update is
recorded (:attr:`History.w <lecturelib.history.History.w>`). The loop only pauses at the epochs
that need a log line, a checkpoint or a callback, so unused features cost nothing.

Training reports on the ``"lecturelib"`` logger (one INFO line every ``log_every`` epochs, a
WARNING when it diverges); the package adds a :class:`logging.NullHandler`, so nothing is printed
unless you configure logging, e.g. ``logging.basicConfig(level=logging.INFO)``. Whether the
logger is enabled for INFO is checked when training starts; if it is not, no line is formatted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._config import configure
from ._loop import train
from .history import History

if TYPE_CHECKING:
    from .callbacks import Callback

__all__ = ["gradient_descent", "sgd"]


def gradient_descent(
    x: Any,
    y: Any,
    *,
    w0: float = 1.0,
    b0: float | None = None,
    lr: float = 0.01,
    epochs: int = 100,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1,
    callbacks: Iterable[Callback] | None = (),
    log_every: int = 1,
) -> History:
    r"""Gradient descent on the cost of :math:`\hat y = x\,w\;(+\,b)`: one update per epoch.

    .. math::

       w \leftarrow w - \eta\,\frac{1}{N}\sum_{n=1}^{N} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       b \leftarrow b - \eta\,\frac{1}{N}\sum_{n=1}^{N} 2\,(x_n w + b - y_n).

    This is the lecture's ``grad = sum(2*x*(x*w - y)) / len(xs); w -= lr * grad``; it is exactly
    :func:`sgd` with ``batch_size=len(x)``.

    Parameters
    ----------
    x, y
        The training set: 1-D, finite, non-empty, of equal length :math:`N`.
    w0, b0
        Initial weight and bias; ``b0=None`` (default) trains the model without bias.
    lr
        The learning rate :math:`\eta > 0`.
    epochs
        Number of epochs (here: updates), an integer :math:`\ge 0`.
    checkpoint
        A file path for the checkpoint's state; its history goes beside it, to the same name
        with ``.history`` appended (see :mod:`lecturelib.checkpoint`). If the file exists,
        training resumes from it (it must have been written with the same data and
        hyper-parameters, else :class:`ValueError`; an unreadable or tampered checkpoint raises
        :class:`~lecturelib.checkpoint.CheckpointError`). Every ``checkpoint_every`` epochs and
        at the end, the new part of the history is appended and the state replaced atomically,
        so the bytes written grow linearly with the epochs. A directory where the files cannot
        be written raises :class:`OSError` naming it before the first epoch. Asking for as many
        epochs as the checkpoint holds returns its history without training (and without
        writing); asking for more continues.
    checkpoint_every
        Checkpoint period in epochs, :math:`\ge 1`.
    callbacks
        Objects with ``on_epoch_end(epoch, history)`` (and optionally ``on_train_begin(history)``,
        ``on_train_end(history)``), see :mod:`lecturelib.callbacks`; ``None`` or ``()`` for none.
    log_every
        Log one INFO line on the ``"lecturelib"`` logger every ``log_every`` epochs (and at the
        last epoch).

    Returns
    -------
    History
        The weights, biases and costs of the run; ``diverged`` is ``True`` (with a WARNING
        logged) when the learning rate was too large and training stopped early.
    """
    cfg = configure(
        "gradient_descent",
        x,
        y,
        w0=w0,
        b0=b0,
        lr=lr,
        epochs=epochs,
        batch_size=None,
        shuffle=False,
        seed=None,
        checkpoint=checkpoint,
        checkpoint_every=checkpoint_every,
        callbacks=callbacks,
        log_every=log_every,
    )
    return train(cfg)


def sgd(
    x: Any,
    y: Any,
    *,
    w0: float = 1.0,
    b0: float | None = None,
    lr: float = 0.01,
    epochs: int = 100,
    batch_size: int = 1,
    shuffle: bool = False,
    seed: int | np.random.Generator | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1,
    callbacks: Iterable[Callback] | None = (),
    log_every: int = 1,
) -> History:
    r"""(Mini-batch) stochastic gradient descent: one update per batch :math:`B`.

    .. math::

       w \leftarrow w - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,x_n\,(x_n w + b - y_n),
       \qquad
       b \leftarrow b - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,(x_n w + b - y_n).

    With ``batch_size=1`` and no shuffling this is the lecture's per-sample loop
    ``for x, y in zip(xs, ys): w -= lr * 2*x*(x*w - y)``; with ``batch_size=len(x)`` it is
    exactly :func:`gradient_descent`.

    Parameters
    ----------
    x, y, w0, b0, lr, epochs, checkpoint, checkpoint_every, callbacks, log_every
        As in :func:`gradient_descent`.
    batch_size
        Samples per update, :math:`1 \le |B| \le N`; an epoch makes
        :math:`\lceil N/|B| \rceil` updates, the last batch holding what is left.
    shuffle
        ``False``: batches follow the data order. ``True``: every epoch draws a new permutation
        from ``numpy.random.default_rng(seed)``.
    seed
        The shuffling's randomness: an integer :math:`\ge 0` (``numpy.random.default_rng(seed)``),
        a ``numpy.random.Generator`` (used as it is: it advances by one permutation per epoch,
        and ``History.seed`` is ``None``; to resume a checkpoint pass a generator in the
        state it had when the run started, e.g. ``numpy.random.default_rng(7)`` again; a
        ``SeedSequence`` or ``BitGenerator`` is read by ``numpy.random.default_rng`` and
        treated like a generator), or ``None`` for fresh entropy. With ``batch_size=len(x)``
        the order cannot matter and no permutation is drawn.

    Returns
    -------
    History
        As in :func:`gradient_descent`; ``w`` holds the value after every update.
    """
    cfg = configure(
        "sgd",
        x,
        y,
        w0=w0,
        b0=b0,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        checkpoint=checkpoint,
        checkpoint_every=checkpoint_every,
        callbacks=callbacks,
        log_every=log_every,
    )
    return train(cfg)
