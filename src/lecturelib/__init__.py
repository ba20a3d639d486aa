"""lecturelib: the numerics and figures of 《PyTorch 深度学习实践》 lectures 1–3.

Everything public is importable from the package itself::

    import lecturelib as ll

    ll.cost(ll.X_DATA, ll.Y_DATA, w=1.0)          # MSE of ŷ = x·w
    ll.gradient_descent(ll.X_DATA, ll.Y_DATA)     # History of w and cost per epoch

One module per idea: :mod:`~lecturelib.model` (forward, loss, cost, gradient),
:mod:`~lecturelib.data`, :mod:`~lecturelib.search` (exhaustive search),
:mod:`~lecturelib.training` (GD, SGD, mini-batch) with :mod:`~lecturelib.checkpoint` and
:mod:`~lecturelib.callbacks`, :mod:`~lecturelib.smoothing`, :mod:`~lecturelib.stability`,
:mod:`~lecturelib.landscapes`, :mod:`~lecturelib.autograd`, and the figures in
:mod:`~lecturelib.style`, :mod:`~lecturelib.plots` and :mod:`~lecturelib.diagrams`.

``import lecturelib`` does not import matplotlib: the names of the figure modules (and of
:mod:`~lecturelib.callbacks`) are imported the first time they are used.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .autograd import Value, finite_difference, linear_loss_graph
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .data import X_DATA, Y_DATA, Y_DATA_NOTES, Split, make_linear_data, train_dev_test_split
from .landscapes import (
    NONCONVEX_DOMAIN,
    SADDLE_MINIMA,
    DescentPath,
    descend,
    nonconvex,
    nonconvex_grad,
    saddle,
    saddle_grad,
)
from .model import cost, forward, gradient, loss
from .search import (
    CoarseToFine,
    Level,
    SearchResult,
    SearchResult2D,
    coarse_to_fine,
    exhaustive_search,
    exhaustive_search_2d,
    grid_size,
)
from .smoothing import ewma
from .stability import gd_lr_threshold, sgd_epoch_factor, sgd_lr_threshold
from .training import History, gradient_descent, sgd

# The names below need matplotlib (and through matplotlib.figure, mpl_toolkits.mplot3d), which
# takes longer to import than everything else together. They are imported on first use by the
# module __getattr__ (PEP 562): ``import lecturelib`` stays fast and ``ll.plot_cost_history``
# works as before. This table is the one place that says which module each lazy name lives in.
# (``__version__`` is lazy too: importlib.metadata alone costs a third of the import.)
_LAZY: dict[str, str] = {
    **dict.fromkeys(("Callback", "LiveCostPlot", "TensorBoardLogger", "VisdomLogger"), "callbacks"),
    **dict.fromkeys(("COLORS", "cjk_font_path", "figure_png", "use_style"), "style"),
    **dict.fromkeys(
        (
            "diagram_algorithms",
            "diagram_computational_graph",
            "diagram_learning_systems",
            "diagram_ml_pipeline",
            "diagram_sgd_dependency",
            "diagram_visual_hierarchy",
        ),
        "diagrams",
    ),
    **dict.fromkeys(
        (
            "PYTORCH_NOTES",
            "PYTORCH_RELEASES",
            "plot_coarse_to_fine",
            "plot_convergence_by_updates",
            "plot_cost_contour",
            "plot_cost_curve",
            "plot_cost_history",
            "plot_cost_surface",
            "plot_curse_of_dimensionality",
            "plot_data_and_guesses",
            "plot_descent_1d",
            "plot_distribution_shift",
            "plot_grid_growth",
            "plot_grid_points",
            "plot_pytorch_timeline",
            "plot_saddle",
            "plot_smoothing",
            "plot_split",
        ),
        "plots",
    ),
}

if TYPE_CHECKING:  # what type checkers and IDEs see; keep in step with _LAZY
    from .callbacks import Callback, LiveCostPlot, TensorBoardLogger, VisdomLogger
    from .diagrams import (
        diagram_algorithms,
        diagram_computational_graph,
        diagram_learning_systems,
        diagram_ml_pipeline,
        diagram_sgd_dependency,
        diagram_visual_hierarchy,
    )
    from .plots import (
        PYTORCH_NOTES,
        PYTORCH_RELEASES,
        plot_coarse_to_fine,
        plot_convergence_by_updates,
        plot_cost_contour,
        plot_cost_curve,
        plot_cost_history,
        plot_cost_surface,
        plot_curse_of_dimensionality,
        plot_data_and_guesses,
        plot_descent_1d,
        plot_distribution_shift,
        plot_grid_growth,
        plot_grid_points,
        plot_pytorch_timeline,
        plot_saddle,
        plot_smoothing,
        plot_split,
    )
    from .style import COLORS, cjk_font_path, figure_png, use_style

    __version__: str
else:  # hidden from type checkers, so that a misspelt name is still an error for them

    def __getattr__(name: str) -> Any:
        """Import a lazy name's module on first access (PEP 562) and cache the name."""
        if name == "__version__":
            from importlib.metadata import PackageNotFoundError, version

            try:
                value: Any = version("lecturelib")
            except PackageNotFoundError:  # pragma: no cover - a source tree without install
                value = "0.0.0"
        elif name in _LAZY:
            value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, "__version__"})


__all__ = [
    "COLORS",
    "NONCONVEX_DOMAIN",
    "PYTORCH_NOTES",
    "PYTORCH_RELEASES",
    "SADDLE_MINIMA",
    "X_DATA",
    "Y_DATA",
    "Y_DATA_NOTES",
    "Callback",
    "CheckpointError",
    "CoarseToFine",
    "DescentPath",
    "History",
    "Level",
    "LiveCostPlot",
    "SearchResult",
    "SearchResult2D",
    "Split",
    "TensorBoardLogger",
    "Value",
    "VisdomLogger",
    "__version__",
    "cjk_font_path",
    "coarse_to_fine",
    "cost",
    "descend",
    "diagram_algorithms",
    "diagram_computational_graph",
    "diagram_learning_systems",
    "diagram_ml_pipeline",
    "diagram_sgd_dependency",
    "diagram_visual_hierarchy",
    "ewma",
    "exhaustive_search",
    "exhaustive_search_2d",
    "figure_png",
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
    "nonconvex",
    "nonconvex_grad",
    "plot_coarse_to_fine",
    "plot_convergence_by_updates",
    "plot_cost_contour",
    "plot_cost_curve",
    "plot_cost_history",
    "plot_cost_surface",
    "plot_curse_of_dimensionality",
    "plot_data_and_guesses",
    "plot_descent_1d",
    "plot_distribution_shift",
    "plot_grid_growth",
    "plot_grid_points",
    "plot_pytorch_timeline",
    "plot_saddle",
    "plot_smoothing",
    "plot_split",
    "saddle",
    "saddle_grad",
    "save_checkpoint",
    "sgd",
    "sgd_epoch_factor",
    "sgd_lr_threshold",
    "train_dev_test_split",
    "use_style",
]
