r"""A tiny scalar automatic differentiation engine (after karpathy/micrograd).

Every :class:`Value` remembers the operation that produced it and its parents, forming a
computational graph. :meth:`Value.backward` applies the chain rule from the output back to the
leaves, in reverse topological order:

.. math::

   \frac{\partial L}{\partial u} = \sum_{v \,:\, u \in \operatorname{parents}(v)}
   \frac{\partial L}{\partial v}\,\frac{\partial v}{\partial u} .

:func:`linear_loss_graph` builds the worked example of the linear model,
:math:`L = (x\,w + b - y)^2`, and :func:`finite_difference` is the numerical check.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._validate import Float64Overflow, FloatArray, as_float_array, as_real

__all__ = ["Value", "finite_difference", "linear_loss_graph"]


def _noop() -> None:
    return None


def _finite(value: float, what: str) -> float:
    """``value``, or :class:`Float64Overflow` saying which operation overflowed."""
    if math.isfinite(value):
        return value
    raise Float64Overflow(f"{what} overflows float64")


class Value:
    r"""A scalar in a computational graph, with its gradient.

    Supports ``+``, ``-``, ``*`` (with Values or plain numbers, on either side), unary ``-`` and
    ``**`` with a real exponent. Each operation's local derivative sits next to its forward rule:

    .. math::

       \frac{\partial (a+b)}{\partial a} = 1, \quad
       \frac{\partial (a-b)}{\partial b} = -1, \quad
       \frac{\partial (a b)}{\partial a} = b, \quad
       \frac{\partial a^p}{\partial a} = p\,a^{p-1}.

    Attributes
    ----------
    data : float
        The value.
    grad : float
        :math:`\partial L / \partial (\text{this value})` after ``L.backward()``; 0 before.
    label : str
        A name for diagrams (``"w"``, ``"ŷ"``, …).
    op : str
        The operation that produced it: ``""`` for a leaf, else ``"+"``, ``"-"``, ``"*"``,
        ``"neg"`` or ``"**p"`` (e.g. ``"**2"``).
    parents : tuple of Value
        The operands it was computed from (empty for a leaf).
    """

    __slots__ = ("_backward", "data", "grad", "label", "op", "parents")

    def __init__(
        self,
        data: float,
        label: str = "",
        *,
        op: str = "",
        parents: tuple[Value, ...] = (),
    ) -> None:
        self.data = as_real("data", data)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, not {type(label).__name__}")
        if not isinstance(op, str):
            raise TypeError(f"op must be a str, not {type(op).__name__}")
        if not isinstance(parents, tuple) or not all(isinstance(p, Value) for p in parents):
            raise TypeError("parents must be a tuple of Value")
        self.grad = 0.0
        self.label = label
        self.op = op
        self.parents = parents
        self._backward: Callable[[], None] = _noop

    @staticmethod
    def _wrap(other: Any) -> Value:
        return other if isinstance(other, Value) else Value(as_real("other", other))

    def __add__(self, other: Any) -> Value:
        o = self._wrap(other)
        data = _finite(self.data + o.data, f"{self.data:g} + {o.data:g}")
        out = Value(data, op="+", parents=(self, o))

        def backward() -> None:
            self.grad += out.grad
            o.grad += out.grad

        out._backward = backward
        return out

    def __radd__(self, other: Any) -> Value:
        return self._wrap(other) + self

    def __sub__(self, other: Any) -> Value:
        o = self._wrap(other)
        data = _finite(self.data - o.data, f"{self.data:g} - {o.data:g}")
        out = Value(data, op="-", parents=(self, o))

        def backward() -> None:
            self.grad += out.grad
            o.grad -= out.grad

        out._backward = backward
        return out

    def __rsub__(self, other: Any) -> Value:
        return self._wrap(other) - self

    def __mul__(self, other: Any) -> Value:
        o = self._wrap(other)
        data = _finite(self.data * o.data, f"{self.data:g} * {o.data:g}")
        out = Value(data, op="*", parents=(self, o))

        def backward() -> None:
            self.grad += o.data * out.grad
            o.grad += self.data * out.grad

        out._backward = backward
        return out

    def __rmul__(self, other: Any) -> Value:
        return self._wrap(other) * self

    def __neg__(self) -> Value:
        out = Value(-self.data, op="neg", parents=(self,))

        def backward() -> None:
            self.grad -= out.grad

        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Value:
        p = as_real("exponent", exponent)
        if self.data < 0 and not p.is_integer():
            raise ValueError(f"exponent must be an integer for a negative base, got {p}")
        if self.data == 0 and p < 1:
            raise ValueError(f"exponent must be >= 1 at 0 (derivative undefined), got {p}")
        try:
            raw = self.data**p
        except OverflowError:  # Python raises it for ** of floats
            raw = math.inf
        out = Value(_finite(raw, f"{self.data:g} ** {p:g}"), op=f"**{exponent:g}", parents=(self,))

        def backward() -> None:
            self.grad += p * self.data ** (p - 1.0) * out.grad

        out._backward = backward
        return out

    def nodes(self) -> list[Value]:
        """Every Value this one depends on, itself last, in topological order (leaves first)."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:  # iterative depth-first post-order: no recursion limit on long chains
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
        return order

    def backward(self) -> None:
        r"""Fill in ``grad`` of every node: :math:`\partial(\text{self})/\partial(\text{node})`.

        All gradients in the graph are first reset to zero, so calling it twice gives the same
        result (unlike micrograd, which accumulates). A gradient that float64 cannot hold raises
        a :class:`ValueError` naming the node.
        """
        order = self.nodes()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            try:
                node._backward()
            except OverflowError:  # Python's float ** in the rule of a power
                bad = node.parents
            else:
                bad = tuple(p for p in node.parents if not math.isfinite(p.grad))
            if bad:
                name = repr(bad[0].label) if bad[0].label else f"a node with data {bad[0].data:g}"
                raise Float64Overflow(f"the gradient at {name} overflows float64")

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


def linear_loss_graph(x: float, y: float, w: float, b: float) -> Value:
    r"""The graph of one sample's loss for :math:`\hat y = x\,w + b`, with gradients filled in.

    .. math::

       \hat y = x\,w + b, \qquad r = \hat y - y, \qquad L = r^2, \\
       \frac{\partial L}{\partial w} = 2\,x\,(x w + b - y), \qquad
       \frac{\partial L}{\partial b} = 2\,(x w + b - y).

    The leaves are labelled ``"x"``, ``"w"``, ``"b"``, ``"y"``; the intermediate nodes
    ``"x·w"``, ``"ŷ"``, ``"r"`` and the output ``"loss"``. ``backward()`` has already been called,
    so ``grad`` of each node holds :math:`\partial L/\partial(\text{node})`; find the leaves with
    ``{v.label: v for v in loss.nodes()}``.
    """
    xv = Value(as_real("x", x), "x")
    wv = Value(as_real("w", w), "w")
    bv = Value(as_real("b", b), "b")
    yv = Value(as_real("y", y), "y")
    try:
        xw = xv * wv
        xw.label = "x·w"
        y_hat = xw + bv
        y_hat.label = "ŷ"
        r = y_hat - yv
        r.label = "r"
        out = r**2
        out.label = "loss"
        out.backward()
    except Float64Overflow as exc:
        raise Float64Overflow(f"x, w, b or y too large: {exc}") from exc
    return out


def finite_difference(f: Callable[[Any], Any], at: Any, h: float = 1e-6) -> Any:
    r"""The central finite-difference estimate of the derivative (or gradient) of ``f``.

    .. math::

       \frac{\partial f}{\partial a_i} \approx \frac{f(a + h\,e_i) - f(a - h\,e_i)}{2h}
       \qquad (\text{error } O(h^2)).

    Parameters
    ----------
    f
        A real-valued function of a float (scalar ``at``) or of an array shaped like ``at``.
    at
        The point: a number or an array.
    h
        The step :math:`h > 0`.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for scalar ``at``, otherwise an array of ``at``'s shape.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    a = as_float_array("at", at)
    step = as_real("h", h, positive=True)
    if a.ndim == 0:
        x0 = float(a)
        return _quotient(f, x0 + step, x0 - step, x0, step)
    grad: FloatArray = np.empty_like(a)
    for i in np.ndindex(a.shape):
        plus, minus = a.copy(), a.copy()
        plus[i] += step
        minus[i] -= step
        grad[i] = _quotient(f, plus, minus, float(a[i]), step, i)
    return grad


def _quotient(
    f: Callable[[Any], Any],
    plus: Any,
    minus: Any,
    at: float,
    step: float,
    i: tuple[int, ...] | None = None,
) -> float:
    r""":math:`(f(a^+) - f(a^-)) / (a^+_i - a^-_i)`, dividing by the step actually taken."""
    where = f"at{list(i) if i is not None else ''}={at:g}"
    hi, lo = (plus, minus) if i is None else (plus[i], minus[i])
    width = float(hi - lo)  # exact in floating point: 2h up to the rounding of a ± h
    if not math.isfinite(width):
        raise Float64Overflow(
            f"h={step:g} too large: the step (a + h) - (a - h) at {where} overflows"
        )
    if width == 0.0:
        raise ValueError(f"h={step:g} is too small for {where}: a ± h round to a; use a larger h")
    up, down = as_real("f(at)", f(plus)), as_real("f(at)", f(minus))
    diff = up - down
    out = diff / width if math.isfinite(diff) else (0.5 * up - 0.5 * down) / width * 2.0
    if not math.isfinite(out):
        raise Float64Overflow(f"h={step:g} too small: the difference quotient at {where} overflows")
    return out
