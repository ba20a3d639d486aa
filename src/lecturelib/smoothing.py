r"""Exponentially weighted moving average: the smoothed cost curve of lecture 3.

The slide smooths a noisy cost curve :math:`C_0, C_1, \dots` with

.. math::

   C'_0 = C_0, \qquad C'_i = \beta\,C_i + (1 - \beta)\,C'_{i-1} .

Note that :math:`\beta` weights the *current* value, the reverse of the momentum-style
convention :math:`v_i = \beta v_{i-1} + (1-\beta) C_i`. Here it is called ``alpha``, as in
``pandas.Series.ewm(alpha=β, adjust=False).mean()``, which computes the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import FloatArray, as_real, as_vector

__all__ = ["ewma"]


def ewma(values: Any, alpha: float) -> FloatArray:
    r"""Smooth ``values`` with an exponentially weighted moving average.

    .. math::

       s_0 = v_0, \qquad s_i = \alpha\,v_i + (1 - \alpha)\,s_{i-1}
       \quad\Longleftrightarrow\quad
       s_i = (1-\alpha)^i v_0 + \sum_{j=1}^{i} \alpha (1-\alpha)^{i-j} v_j .

    Parameters
    ----------
    values
        1-D, finite, non-empty sequence (for instance the cost after each epoch).
    alpha
        The weight :math:`0 < \alpha \le 1` of the current value (the lecture's :math:`\beta`);
        ``alpha = 1`` returns the values unchanged, a small ``alpha`` smooths strongly.

    Returns
    -------
    numpy.ndarray
        The smoothed series, same length as ``values``. One pass, :math:`O(n)`.
    """
    v = as_vector("values", values)
    a = as_real("alpha", alpha, positive=True)
    if a > 1.0:
        raise ValueError(f"alpha must be in (0, 1], got {a}")
    keep = 1.0 - a
    smoothed = v.tolist()  # a plain loop over Python floats: clear, O(n), fast enough
    for i in range(1, len(smoothed)):
        smoothed[i] = a * smoothed[i] + keep * smoothed[i - 1]
    return np.array(smoothed, dtype=np.float64)
