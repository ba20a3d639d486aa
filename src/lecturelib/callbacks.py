r"""Callbacks: watch a training run of :func:`~lecturelib.training.gradient_descent` or
:func:`~lecturelib.training.sgd` while it runs.

A callback is any object with a method ``on_epoch_end(epoch, history)`` (see :class:`Callback`).
After every epoch the training loop, having updated

.. math::

   w \leftarrow w - \eta\,\frac{1}{|B|}\sum_{n\in B} 2\,x_n\,(x_n w + b - y_n)

for every batch :math:`B`, passes the epoch number (1, 2, …) and the
:class:`~lecturelib.history.History` so far (its arrays are read-only views: copy what you
keep). Two optional methods, ``on_train_begin(history)`` and ``on_train_end(history)``, run
before the first epoch (with the initial or resumed history) and after the last one; a
callback that raises stops training (a checkpoint already written for that epoch is kept).

Three callbacks ship with lecturelib: :class:`LiveCostPlot` (matplotlib, in a notebook),
:class:`TensorBoardLogger` (``pip install lecturelib[tensorboard]``) and :class:`VisdomLogger`,
which plots the cost into a window of a visdom server. visdom 0.2.4 is a source distribution
whose ``setup.py`` needs ``pkg_resources``: install it with
``pip install "setuptools<81" wheel`` then ``pip install --no-build-isolation visdom`` (the
extra ``lecturelib[visdom]`` names it). Start the server with ``python -m visdom.server``; a
``visdom.Visdom(offline=True, log_to_filename=...)`` client needs no server and only writes the
events to a log file, which ``visdom.Visdom().replay_log(filename)`` later sends to a running
server.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D

from ._validate import as_int

if TYPE_CHECKING:
    import visdom

    from .history import History

__all__ = ["Callback", "LiveCostPlot", "TensorBoardLogger", "VisdomLogger"]

LIVE_PLOTS_ENV = "LECTURELIB_LIVE_PLOTS"


@runtime_checkable
class Callback(Protocol):
    r"""What the training loop calls after every epoch.

    ``on_epoch_end(epoch, history)`` is required. A callback may also define
    ``on_train_begin(history)`` and ``on_train_end(history)``; they are looked up with
    ``getattr`` and skipped when absent.
    """

    def on_epoch_end(self, epoch: int, history: History) -> None:
        r"""Called after epoch ``epoch`` (from 1) with the history so far: ``history.cost[-1]``
        is :math:`\frac1N\sum_n (x_n w + b - y_n)^2` at the end of that epoch."""


def _in_live_kernel() -> bool:
    """True inside a running IPython *kernel* (Jupyter, VS Code), not a terminal IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None:  # no kernel has imported IPython: certainly not a notebook
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LiveCostPlot:
    r"""Draw the cost curve :math:`\operatorname{cost}(\text{epoch})` of a training run.

    In a live Jupyter session the figure is shown when training starts and redrawn in place every
    ``update_every`` epochs (``IPython.display.display(..., display_id=True)`` then
    ``handle.update(...)``; the figure is sent as a PNG image, which every front end renders). In
    a script, in a terminal, or when the environment variable ``LECTURELIB_LIVE_PLOTS`` is
    ``"0"`` (the documentation build sets it), nothing is displayed: the final curve is drawn
    once training ends and you show ``figure`` yourself (last expression of a cell,
    ``display(plot.figure)``, or ``plot.figure.savefig(...)``).

    The labels are Chinese, as on every figure of lecturelib: call
    :func:`~lecturelib.style.use_style` first, so that matplotlib draws them with the packaged
    Noto Sans CJK font.

    Parameters
    ----------
    update_every
        Redraw period in epochs (live mode), :math:`\ge 1`.
    live
        ``None``: live exactly in an IPython kernel. ``True``/``False`` force it, except that
        ``LECTURELIB_LIVE_PLOTS=0`` always turns live drawing off.
    ax
        Draw into this Axes. By default a new :class:`matplotlib.figure.Figure` is made *without*
        pyplot, so it is never registered as an open pyplot figure, never shown by
        ``plt.show()`` and is freed with the callback.
    logy
        Logarithmic cost axis (falls back to linear when no cost is positive).

    Raises
    ------
    ImportError
        If it is to draw live and IPython is missing: ``pip install ipython``.

    Attributes
    ----------
    figure, ax
        The figure and Axes drawn into.
    live
        Whether this callback draws live.
    """

    def __init__(
        self,
        update_every: int = 1,
        live: bool | None = None,
        ax: Axes | None = None,
        logy: bool = True,
    ) -> None:
        self.update_every = as_int("update_every", update_every, minimum=1)
        if live is not None and not isinstance(live, bool):
            raise TypeError(f"live must be True, False or None, not {type(live).__name__}")
        if not isinstance(logy, bool):
            raise TypeError(f"logy must be True or False, not {type(logy).__name__}")
        if ax is None:
            self.figure = Figure()
            self.ax: Axes = self.figure.add_subplot()
        elif isinstance(ax, Axes):
            parent = ax.figure
            self.figure = parent.figure if isinstance(parent, SubFigure) else parent
            self.ax = ax
        else:
            raise TypeError(f"ax must be a matplotlib Axes or None, not {type(ax).__name__}")
        self.logy = logy
        off = os.environ.get(LIVE_PLOTS_ENV) == "0"
        self.live = not off and (_in_live_kernel() if live is None else live)
        if self.live:
            try:
                import IPython.display  # noqa: F401  (used by _show; checked now, not mid-run)
            except ImportError as exc:
                raise ImportError(
                    "LiveCostPlot(live=True) needs IPython to show the figure: pip install "
                    "ipython (or use live=False and show plot.figure after training)"
                ) from exc
        self._line: Line2D | None = None
        self._handle: Any = None

    def _draw(self, history: History) -> None:
        cost = history.cost
        epochs = np.arange(cost.size)
        if self._line is None:
            (self._line,) = self.ax.plot(epochs, cost, label="代价")
            self.ax.set_xlabel("轮次 epoch")
            self.ax.set_ylabel("代价 cost（MSE）")
        else:
            self._line.set_data(epochs, cost)
        positive = bool(np.any(np.isfinite(cost) & (cost > 0)))
        self.ax.set_yscale("log" if self.logy and positive else "linear")
        self.ax.set_title(f"第 {history.epochs_run} 轮发散" if history.diverged else "")
        self.ax.relim()
        self.ax.autoscale_view()

    def _show(self) -> None:
        from IPython.display import Image, display

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        image = Image(data=buffer.getvalue(), format="png")  # type: ignore[no-untyped-call]
        if self._handle is None:
            self._handle = display(image, display_id=True)  # type: ignore[no-untyped-call]
        else:
            self._handle.update(image)

    def on_train_begin(self, history: History) -> None:
        """Start a new curve (live: show it)."""
        self._handle = None
        if self.live:
            self._draw(history)
            self._show()

    def on_epoch_end(self, epoch: int, history: History) -> None:
        """Live: redraw every ``update_every`` epochs; otherwise do nothing."""
        if self.live and epoch % self.update_every == 0:
            self._draw(history)
            self._show()

    def on_train_end(self, history: History) -> None:
        """Draw the final curve (live: update the displayed figure in place)."""
        self._draw(history)
        if self.live:
            self._show()


class TensorBoardLogger:
    r"""Write the scalars ``cost``, ``w`` (and ``b``) of every epoch for TensorBoard.

    The step is the epoch; step 0 is the state before training, so the curve starts at
    :math:`\operatorname{cost}(w_0, b_0)`. TensorBoard stores scalars as float32. The writer
    (``tensorboardX.SummaryWriter``) opens at the first event, is flushed every epoch and closed
    when training ends (or by :meth:`close`, or by leaving a ``with`` block); the same logger can
    follow a resumed run.

    Parameters
    ----------
    logdir
        The run's directory, e.g. ``runs/sgd-lr0.01``; view it with ``tensorboard --logdir runs``.

    Raises
    ------
    ImportError
        If tensorboardX is missing: ``pip install lecturelib[tensorboard]``.
    """

    def __init__(self, logdir: str | os.PathLike[str]) -> None:
        if not isinstance(logdir, str | os.PathLike):
            raise TypeError(f"logdir must be a path, not {type(logdir).__name__}")
        try:
            from tensorboardX import SummaryWriter  # type: ignore[import-untyped]
        except ImportError as exc:
            raise ImportError(
                "TensorBoardLogger needs tensorboardX: pip install lecturelib[tensorboard]"
            ) from exc
        self.logdir = Path(logdir)
        self._writer_class: Any = SummaryWriter
        self._writer: Any = None

    def _write(self, step: int, history: History) -> None:
        if self._writer is None:
            self._writer = self._writer_class(logdir=str(self.logdir))
        self._writer.add_scalar("cost", float(history.cost[-1]), step)
        self._writer.add_scalar("w", float(history.w[-1]), step)
        if history.b is not None:
            self._writer.add_scalar("b", float(history.b[-1]), step)
        self._writer.flush()

    def on_train_begin(self, history: History) -> None:
        """Write step 0 (the initial parameters and cost) for a fresh run."""
        if history.epochs_run == 0:
            self._write(0, history)

    def on_epoch_end(self, epoch: int, history: History) -> None:
        """Write the scalars of epoch ``epoch``."""
        self._write(epoch, history)

    def on_train_end(self, history: History) -> None:
        """Close the writer."""
        self.close()

    def close(self) -> None:
        """Flush and close the event file (a later event opens a new one)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> TensorBoardLogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class VisdomLogger:
    r"""Plot the cost of every epoch into one visdom window.

    The curve is :math:`\operatorname{cost}(\text{epoch})`, epoch 0 being the cost before
    training. When training starts the window ``win`` is drawn with the history so far (epoch 0
    for a fresh run, epochs :math:`0 \dots k` for a run resumed from a checkpoint at epoch
    :math:`k`), replacing what the window showed; every epoch then appends one point
    (``update="append"``). ``Visdom.line`` needs numpy arrays (it reads ``Y.ndim``): the logger
    passes them.

    Parameters
    ----------
    viz
        A ``visdom.Visdom`` client: ``visdom.Visdom()`` talks to the server started with
        ``python -m visdom.server`` (http://localhost:8097); ``visdom.Visdom(offline=True,
        log_to_filename="cost.log")`` needs no server and only appends the events to the file,
        which ``visdom.Visdom().replay_log("cost.log")`` sends to a running server later.
    win
        The window's name.
    env
        The visdom environment (``None``: the client's own, ``"main"`` by default).
    title
        The window's title (``None``: ``win``).
    """

    def __init__(
        self,
        viz: visdom.Visdom,
        win: str = "cost",
        *,
        env: str | None = None,
        title: str | None = None,
    ) -> None:
        if not callable(getattr(viz, "line", None)):
            raise TypeError(f"viz must be a visdom.Visdom client, not {type(viz).__name__}")
        for name, value in (("win", win), ("env", env), ("title", title)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a string, not {type(value).__name__}")
        if not win:
            raise ValueError("win must be a non-empty string")
        self.viz = viz
        self.win = win
        self.env = env
        self.title = win if title is None else title
        self._drawn = False

    def _line(self, epochs: Any, costs: Any, update: str | None) -> None:
        self.viz.line(
            X=np.asarray(epochs, dtype=np.float64),
            Y=np.asarray(costs, dtype=np.float64),
            win=self.win,
            env=self.env,
            opts={"title": self.title, "xlabel": "epoch", "ylabel": "cost (MSE)"},
            update=update,
        )

    def on_train_begin(self, history: History) -> None:
        """Draw the window anew with the history so far (epoch 0, or up to a resumed epoch)."""
        self._line(np.arange(history.cost.size), history.cost, None)
        self._drawn = True

    def on_epoch_end(self, epoch: int, history: History) -> None:
        """Append the point ``(epoch, history.cost[-1])`` (the first call draws the window)."""
        self._line([epoch], [history.cost[-1]], "append" if self._drawn else None)
        self._drawn = True
