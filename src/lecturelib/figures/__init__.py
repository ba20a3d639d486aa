"""The figures made for one page of this site, one module per lecture page.

The general plots a learner reuses (cost curves, cost landscapes, smoothing) are at the top of
the package (:mod:`lecturelib.plots`); the figures here each illustrate one point of one page:
PyTorch's releases, the diagrams of lecture 1, the search grids of lecture 3, … A page imports
them explicitly::

    from lecturelib import figures

    figures.plot_pytorch_timeline()

* :mod:`lecturelib.figures.overview`: the overview page (``01-overview``);
* :mod:`lecturelib.figures.linear_model`: the linear-model page (``02-linear-model``);
* :mod:`lecturelib.figures.gradient_descent`: the gradient-descent page
  (``03-gradient-descent``);
* :mod:`lecturelib.figures.sgd`: the SGD page (``04-sgd``);
* :mod:`lecturelib.figures.explorers`: the figures the reader moves with a slider (pages 02–04),
  made with the mechanism of :mod:`lecturelib.figures._explorer`.

A figure used on two pages lives with the first. Axes, colours and PNGs come from
:mod:`lecturelib.style`, like those of every plot. ``import lecturelib`` does not import this
package (it needs matplotlib).
"""

# The box-and-arrow primitives of the diagrams are in the private module _diagram, the
# explorers' mechanism in _explorer. To add a module (a page's new figures): write
# figures/<name>.py with its own __all__, add it to the next import, then add
# "from .<name> import *" and "__all__ += <name>.__all__" below.
from . import explorers, gradient_descent, linear_model, overview, sgd
from .explorers import *  # noqa: F403
from .gradient_descent import *  # noqa: F403
from .linear_model import *  # noqa: F403
from .overview import *  # noqa: F403
from .sgd import *  # noqa: F403

__all__: list[str] = []
__all__ += overview.__all__
__all__ += linear_model.__all__
__all__ += gradient_descent.__all__
__all__ += sgd.__all__
__all__ += explorers.__all__
