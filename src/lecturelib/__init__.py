"""lecturelib: the numerics and figures of 《PyTorch 深度学习实践》 lectures 1–3.

What a learner reuses is importable from the package itself::

    import lecturelib as ll

    ll.cost(ll.X_DATA, ll.Y_DATA, w=1.0)          # MSE of ŷ = x·w
    ll.gradient_descent(ll.X_DATA, ll.Y_DATA)     # History of w and cost per epoch

The names, in the order the lectures meet them (each lives in a module of one idea):

* the model and its cost (:mod:`~lecturelib.model`) and the data (:mod:`~lecturelib.data`);
* exhaustive search (:mod:`~lecturelib.search`);
* training (:mod:`~lecturelib.training`, whose runs are recorded in a
  :class:`~lecturelib.history.History`), checkpoints (:mod:`~lecturelib.checkpoint`) and
  callbacks (:mod:`~lecturelib.callbacks`);
* smoothing (:mod:`~lecturelib.smoothing`) and the learning-rate thresholds
  (:mod:`~lecturelib.stability`);
* the tiny autograd (:mod:`~lecturelib.autograd`);
* the plotting style (:func:`~lecturelib.style.use_style`) and the general plots
  (:mod:`~lecturelib.plots`).

Result types (:class:`~lecturelib.search.SearchResult`, :class:`~lecturelib.data.Split`, …)
stay in their modules. Two modules are imported by name: :mod:`lecturelib.landscapes` (the toy
costs of lecture 3) and :mod:`lecturelib.figures` (the figures made for one page of this site)::

    from lecturelib import figures, landscapes

``import lecturelib`` does not import matplotlib: the plotting names (and the callbacks) are
imported the first time they are used.
"""

import typing as _typing
from importlib import import_module as _import_module

from .autograd import Value, finite_difference, linear_loss_graph
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .data import X_DATA, Y_DATA, Y_DATA_NOTES, make_linear_data, train_dev_test_split
from .history import History
from .model import cost, forward, gradient, loss
from .search import coarse_to_fine, exhaustive_search, exhaustive_search_2d, grid_size
from .smoothing import ewma
from .stability import gd_lr_threshold, sgd_epoch_factor, sgd_lr_threshold
from .training import gradient_descent, sgd

# The names below need matplotlib (and through matplotlib.figure, mpl_toolkits.mplot3d), which
# takes longer to import than everything else together. They are imported on first use by the
# module __getattr__ (PEP 562): ``import lecturelib`` stays fast and ``ll.plot_cost_history``
# works as before. This table is the one place that says which module each lazy name lives in.
# (``__version__`` is lazy too: importlib.metadata alone costs a third of the import.)
_LAZY: dict[str, str] = {
    **dict.fromkeys(("Callback", "LiveCostPlot", "TensorBoardLogger", "VisdomLogger"), "callbacks"),
    "use_style": "style",
    **dict.fromkeys(
        (
            "plot_cost_contour",
            "plot_cost_curve",
            "plot_cost_history",
            "plot_cost_surface",
            "plot_data_and_guesses",
            "plot_smoothing",
        ),
        "plots",
    ),
}

if _typing.TYPE_CHECKING:  # what type checkers and IDEs see; keep in step with _LAZY
    from .callbacks import Callback, LiveCostPlot, TensorBoardLogger, VisdomLogger
    from .plots import (
        plot_cost_contour,
        plot_cost_curve,
        plot_cost_history,
        plot_cost_surface,
        plot_data_and_guesses,
        plot_smoothing,
    )
    from .style import use_style

    #: The installed version of lecturelib (from the package's metadata), e.g. ``"0.2.0"``.
    __version__: str
else:  # hidden from type checkers, so that a misspelt name is still an error for them

    def __getattr__(name: str) -> _typing.Any:
        """Import a lazy name's module on first access (PEP 562) and cache the name."""
        if name == "__version__":
            from importlib.metadata import PackageNotFoundError, version

            try:
                value: _typing.Any = version("lecturelib")
            except PackageNotFoundError:  # pragma: no cover - a source tree without install
                value = "0.0.0"
        elif name in _LAZY:
            value = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """The public names: exactly ``__all__``."""
    return sorted(__all__)


__all__ = [
    "X_DATA",
    "Y_DATA",
    "Y_DATA_NOTES",
    "Callback",
    "CheckpointError",
    "History",
    "LiveCostPlot",
    "TensorBoardLogger",
    "Value",
    "VisdomLogger",
    "__version__",
    "coarse_to_fine",
    "cost",
    "ewma",
    "exhaustive_search",
    "exhaustive_search_2d",
    "finite_difference",
    "forward",
    "gd_lr_threshold",
    "gradient",
    "gradient_descent",
    "grid_size",
    "linear_loss_graph",
    "load_checkpoint",
    "loss",
    "make_linear_data",
    "plot_cost_contour",
    "plot_cost_curve",
    "plot_cost_history",
    "plot_cost_surface",
    "plot_data_and_guesses",
    "plot_smoothing",
    "save_checkpoint",
    "sgd",
    "sgd_epoch_factor",
    "sgd_lr_threshold",
    "train_dev_test_split",
    "use_style",
]
