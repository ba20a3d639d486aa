r"""The mechanism of the site's *explorers*: a figure the reader moves with sliders, offline.

An :class:`Explorer` is a small set of controls (:class:`Slider`, :class:`Checkbox`), the
numbers it shows (:class:`Readout`) and one or more charts (:class:`Panel` of :class:`Series`).
Every position of every control is computed beforehand, in Python, by lecturelib's own
functions: a *state* is one combination of control positions, and each readout and each moving
series holds one value (or one curve) per state. The browser only looks the current state up
and draws it; there is no second implementation of the maths in JavaScript.

How the states are numbered: with controls :math:`c_1, \dots, c_m` of :math:`n_1, \dots, n_m`
positions, the state of positions :math:`(i_1, \dots, i_m)` is

.. math::

   s = \sum_{j=1}^{m} i_j \prod_{l > j} n_l ,

row-major, as :func:`numpy.ndindex` walks them (the last control moves fastest).

**In a notebook** an explorer displays as its default state, a PNG rendered by
:func:`lecturelib.style.figure_png` (``image/png``), and it carries the interactive version
under its own MIME type :data:`MIME_TYPE`, which Jupyter, GitHub and every other viewer skip. The
course site (``docs/_ext/explorers.py``) renders that MIME type as the interactive HTML, with the
PNG as the fallback for readers without JavaScript, and draws it with ``_static/explorers.js``.

**The markup** (what tests, screen readers and the site's script rely on): one element
``<div class="explorer" data-explorer="<id>">`` with the explorer's fixed settings as
``data-*`` attributes; each control a native ``<input type="range" name=...>`` (or checkbox)
with a visible ``<label>`` and its current value beside it, whose ``value`` is the parameter
itself; each readout an ``<output name=... data-value=...>`` whose ``data-value`` is the Python
``repr`` of the value and whose text is formatted for people; each chart an ``<svg role="img">``
whose ``aria-label`` states the current state. The tables travel in a
``<script type="application/json">`` inside the element.

**The tables.** Numbers that are shown (readouts) keep full precision (float64, base64). Curves
that are only drawn are quantised to the drawing: each coordinate is an unsigned integer
(16 or 8 bits) on the axis range extended by half its span on both sides (a tenth for 8 bits);
the largest code means "no point" (a gap in the line). A curve whose length varies from state to
state is stored per state as interleaved :math:`(x, y)` pairs and thinned to the drawing's
resolution first: a ``"line"`` keeps the points the Douglas–Peucker algorithm needs to stay
within :data:`LINE_TOLERANCE` of the full line, a ``"points"`` or ``"linepoints"`` series drops a
point closer than :data:`POINT_TOLERANCE` to the last one kept (both in pixels of a
:data:`PLOT_SIZE` plot; the first and last points are always kept).
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .._validate import FloatArray
from ..style import COLORS, PDF_FIGURES_ENV, figure_pdf, figure_png, new_figure

__all__ = [
    "LINE_TOLERANCE",
    "MIME_TYPE",
    "PLOT_SIZE",
    "POINT_TOLERANCE",
    "Axis",
    "Checkbox",
    "Explorer",
    "Panel",
    "Readout",
    "Series",
    "Slider",
    "decode",
    "human",
    "linear_ticks",
    "power_ticks",
]

#: The MIME type of an explorer's interactive HTML (the course site renders it; others skip it).
MIME_TYPE: Final = "application/vnd.lecturelib.explorer+html"

#: Nominal size (width, height) in pixels of a panel's plot area, for thinning curves.
PLOT_SIZE: Final = (300.0, 170.0)

#: Largest distance (pixels) of a thinned line from the full one.
LINE_TOLERANCE: Final = 0.35

#: Smallest distance (pixels) between two markers kept in a thinned series of points.
POINT_TOLERANCE: Final = 1.5

#: The colour name of data drawn in the page's text colour (black on white, white on dark).
INK: Final = "ink"

_EXTEND = {16: 0.5, 8: 0.1}  # how far beyond the axis the codes of each width reach
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# -- controls and readouts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Slider:
    r"""A range input: ``count`` positions :math:`v_k = \operatorname{round}(lo + k\,step, 12)`.

    The input's ``min``, ``max`` and ``step`` are exactly these positions, so the browser can
    only stop where a state was computed. ``marks`` are labelled ticks drawn under the slider
    (for instance a threshold); they need not be positions.
    """

    name: str
    label: str
    lo: float
    step: float
    count: int
    default: float
    marks: tuple[tuple[float, str], ...] = ()

    def __post_init__(self) -> None:
        _check_name("Slider name", self.name)
        if not isinstance(self.count, int) or self.count < 2:
            raise ValueError(f"Slider {self.name!r}: count must be an integer >= 2")
        if not (math.isfinite(self.step) and self.step > 0 and math.isfinite(self.lo)):
            raise ValueError(f"Slider {self.name!r}: lo must be finite and step > 0")
        self.index(self.default)  # the default must be a position
        for value, _ in self.marks:
            if not self.values[0] <= value <= self.values[-1]:
                raise ValueError(f"Slider {self.name!r}: mark {value} is outside the slider")

    @property
    def values(self) -> tuple[float, ...]:
        """The positions, from ``lo`` upwards."""
        return tuple(round(self.lo + k * self.step, 12) for k in range(self.count))

    def index(self, value: float) -> int:
        """The position of ``value`` (``ValueError`` when it is not one)."""
        k = round((value - self.lo) / self.step)
        if not (0 <= k < self.count and self.values[k] == round(value, 12)):
            raise ValueError(f"Slider {self.name!r}: {value!r} is not one of its positions")
        return k

    def text(self, value: float) -> str:
        """``value`` as the browser writes the input's value: ``0.01``, ``3``."""
        return _value_text(value)


@dataclass(frozen=True)
class Checkbox:
    """A checkbox: two positions, ``False`` (0) and ``True`` (1), described by ``texts``."""

    name: str
    label: str
    default: bool
    texts: tuple[str, str] = ("否", "是")

    def __post_init__(self) -> None:
        _check_name("Checkbox name", self.name)

    @property
    def values(self) -> tuple[bool, ...]:
        return (False, True)

    @property
    def count(self) -> int:
        return 2

    def index(self, value: bool) -> int:
        return int(bool(value))

    def text(self, value: bool) -> str:
        """The words for ``value`` in the explorer's summary."""
        return self.texts[int(bool(value))]


Control = Slider | Checkbox


@dataclass(frozen=True)
class Readout:
    """A number (or a verdict) shown beside the chart: one value per state.

    ``kind`` is ``"float"`` (shown with ``digits`` significant digits, see :func:`human`),
    ``"int"``, or ``"text"``: then every value is a key of ``texts``, whose value is the
    sentence shown; ``data-value`` holds the key.
    """

    name: str
    label: str
    values: tuple[float, ...] | tuple[int, ...] | tuple[str, ...]
    kind: Literal["float", "int", "text"] = "float"
    digits: int = 4
    texts: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_name("Readout name", self.name)
        if self.kind == "text" and not set(map(str, self.values)) <= set(self.texts):
            raise ValueError(f"Readout {self.name!r}: every value must be a key of texts")
        if self.kind == "float" and not all(math.isfinite(float(v)) for v in self.values):
            raise ValueError(f"Readout {self.name!r}: values must be finite")

    def data_value(self, state: int) -> str:
        """``data-value`` of the output in ``state``: ``repr`` of the float, or the key."""
        value = self.values[state]
        if self.kind == "float":
            return repr(float(value))
        return str(int(value)) if self.kind == "int" else str(value)

    def text(self, state: int) -> str:
        """The output's text in ``state``, for people."""
        value = self.values[state]
        if self.kind == "float":
            return human(float(value), self.digits)
        return str(int(value)) if self.kind == "int" else self.texts[str(value)]


# -- charts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """An axis from ``lo`` to ``hi`` with labelled ticks ``(position, text)``.

    A logarithmic axis is an axis of :math:`\\log_{10}` values whose ticks say ``10ⁿ`` (see
    :func:`power_ticks`): the series give ``log10`` of their values.
    """

    label: str
    lo: float
    hi: float
    ticks: tuple[tuple[float, str], ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise ValueError(f"Axis {self.label!r}: need finite lo < hi, got {self.lo}, {self.hi}")


def linear_ticks(lo: float, hi: float, step: float, digits: int = 0) -> tuple[tuple[float, str]]:
    """Ticks every ``step`` from the first multiple of ``step`` at or above ``lo`` to ``hi``."""
    first = math.ceil(lo / step - 1e-9)
    out = []
    for k in range(first, math.floor(hi / step + 1e-9) + 1):
        value = round(k * step, 12)
        text = f"{value:.{digits}f}".replace("-", "−")
        out.append((value, "0" if float(text.replace("−", "-")) == 0 else text))
    return tuple(out)  # type: ignore[return-value]


def power_ticks(lo: int, hi: int, every: int = 1) -> tuple[tuple[float, str], ...]:
    """Ticks ``10ⁿ`` of a log axis (in log10 units) for the multiples of ``every`` in [lo, hi]."""
    return tuple(
        (float(n), "1" if n == 0 else "10" + str(n).translate(_SUPERSCRIPT))
        for n in range(lo, hi + 1)
        if n % every == 0
    )


Data = FloatArray | tuple[FloatArray, ...]


@dataclass(frozen=True)
class Series:
    """One drawn series: fixed (an array) or moving (one array per state) in ``x`` and ``y``.

    ``kind``: ``"line"``; ``"points"`` (markers of radius ``size``); ``"linepoints"`` (a thin
    line through markers); ``"stems"`` (a vertical segment from ``(x, base)`` to ``(x, y)`` at
    every point: residuals, with ``base`` a fixed array like ``x``).
    ``color`` is a name of :data:`lecturelib.style.COLORS`, or ``"ink"`` for the page's text
    colour. NaN in either coordinate leaves a gap. ``bits`` (16 or 8) is the precision of a
    moving series of the same length in every state; ``thin=True`` stores a moving series as
    thinned points per state instead (its length may then vary; not for ``"stems"``).
    ``alpha`` is the opacity (a busy background series, say).
    """

    kind: Literal["line", "points", "linepoints", "stems"]
    color: str
    x: Data
    y: Data
    label: str = ""
    width: float = 2.0
    dash: bool = False
    size: float = 3.0
    bits: int = 16
    thin: bool = False
    base: FloatArray | None = None
    alpha: float = 1.0

    def __post_init__(self) -> None:
        if self.color != INK and self.color not in COLORS:
            raise ValueError(f"Series {self.label!r}: unknown colour {self.color!r}")
        if self.bits not in _EXTEND:
            raise ValueError(f"Series {self.label!r}: bits must be 16 or 8")
        if (self.kind == "stems") != (self.base is not None) or (
            self.thin and self.base is not None
        ):
            raise ValueError(
                f"Series {self.label!r}: stems (only) need a base, and are not thinned"
            )

    @property
    def moving(self) -> bool:
        return isinstance(self.x, tuple) or isinstance(self.y, tuple)

    def at(self, state: int) -> tuple[FloatArray, FloatArray]:
        """The ``(x, y)`` arrays in ``state``."""
        x = self.x[state] if isinstance(self.x, tuple) else self.x
        y = self.y[state] if isinstance(self.y, tuple) else self.y
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    @property
    def hex_color(self) -> str:
        return COLORS["data"] if self.color == INK else COLORS[self.color]


@dataclass(frozen=True)
class Panel:
    """One chart: a title, two axes, the series drawn on it (first to last) and small texts
    ``notes`` at data coordinates ``(x, y, text)``."""

    title: str
    x: Axis
    y: Axis
    series: tuple[Series, ...]
    notes: tuple[tuple[float, float, str], ...] = ()


# -- numbers for people --------------------------------------------------------------------------


def human(value: float, digits: int = 4) -> str:
    r"""``value`` with ``digits`` significant digits, for people (the site's script does the same).

    Plain decimals for :math:`10^{-3} \le |v| < 10^{5}` (``0.01``, ``4.667``, ``1234``), else
    ``1.23 × 10⁻³⁰``; a minus sign is ``−``; zero is ``0``. Trailing zeros are kept: the number
    of digits shown is the precision. A tie rounds away from zero, as JavaScript's ``toFixed``.
    """
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    if float(_fixed(abs(value) / 10.0**exponent, digits - 1)) >= 10:  # 9.9996 -> 10.00
        exponent += 1
    sign = "−" if value < 0 else ""
    if -3 <= exponent < 5:
        return sign + _fixed(abs(value), max(digits - 1 - exponent, 0))
    scaled = abs(value) / 10.0**exponent
    return f"{sign}{_fixed(scaled, digits - 1)} × 10" + str(exponent).translate(_SUPERSCRIPT)


def _fixed(value: float, decimals: int) -> str:
    """``value.toFixed(decimals)`` of JavaScript: the exact binary value, ties away from zero."""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:f}"


# -- the tables ----------------------------------------------------------------------------------


def _check_name(what: str, name: str) -> None:
    if not (isinstance(name, str) and name.replace("_", "a").isalnum() and name.isascii()):
        raise ValueError(f"{what} must be an ASCII identifier, got {name!r}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _code_range(axis: Axis, bits: int) -> tuple[float, float]:
    span = axis.hi - axis.lo
    return axis.lo - _EXTEND[bits] * span, axis.hi + _EXTEND[bits] * span


def _quantize(values: FloatArray, axis: Axis, bits: int) -> tuple[dict[str, Any], bytes]:
    """Codes of ``values`` on ``axis`` (see the module docstring) and their description."""
    lo, hi = _code_range(axis, bits)
    top = 2**bits - 2  # the largest code of a value; top + 1 means "no point"
    flat = np.asarray(values, dtype=np.float64).ravel()
    t = (flat - lo) / (hi - lo)
    finite = np.isfinite(t)
    if bits == 8:  # 8-bit curves are clamped to the extended range (they leave the plot)
        t = np.where(finite, np.clip(t, 0.0, 1.0), t)
    inside = finite & (t >= 0.0) & (t <= 1.0)
    codes = np.full(flat.shape, top + 1, dtype=np.int64)
    codes[inside] = np.rint(t[inside] * top).astype(np.int64)
    raw = codes.astype("<u2" if bits == 16 else "u1").tobytes()
    return {"b": bits, "lo": lo, "hi": hi}, raw


def decode(table: Mapping[str, Any], data: str) -> FloatArray:
    """The values of a quantised table (``{"b", "lo", "hi"}``) of base64 ``data``; NaN for gaps.

    This is what the site's script does; the tests use it to compare the tables with lecturelib.
    """
    raw = base64.b64decode(data)
    bits = int(table["b"])
    codes = np.frombuffer(raw, dtype="<u2" if bits == 16 else "u1").astype(np.float64)
    top = 2**bits - 2
    lo, hi = float(table["lo"]), float(table["hi"])
    out: FloatArray = lo + codes * (hi - lo) / top
    out[codes > top] = np.nan
    return out


def _pixels(x: FloatArray, y: FloatArray, panel: Panel) -> FloatArray:
    w, h = PLOT_SIZE
    px = (x - panel.x.lo) / (panel.x.hi - panel.x.lo) * w
    py = (y - panel.y.lo) / (panel.y.hi - panel.y.lo) * h
    return np.column_stack([px, py])


def _douglas_peucker(points: FloatArray, tolerance: float) -> list[int]:
    """Indices of the points of a polyline kept by Douglas–Peucker within ``tolerance``."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = points[i], points[j]
        d = b - a
        rel = points[i + 1 : j] - a
        norm = math.hypot(float(d[0]), float(d[1]))
        if norm > 0:
            dist = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0]) / norm
        else:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            keep.add(i + 1 + k)
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return sorted(keep)


def _drop_close(points: FloatArray, tolerance: float) -> list[int]:
    """Indices of the markers kept: each at least ``tolerance`` from the last kept; the ends."""
    kept = [0]
    for i in range(1, len(points)):
        if math.dist(points[i], points[kept[-1]]) >= tolerance:
            kept.append(i)
    if kept[-1] != len(points) - 1:
        kept.append(len(points) - 1)
    return kept


def _thin(series: Series, panel: Panel, x: FloatArray, y: FloatArray) -> FloatArray:
    """The points of one state's curve that are drawn, gaps kept (a NaN row between runs)."""
    px = _pixels(x, y, panel)
    lo_x, hi_x = _code_range(panel.x, series.bits)
    lo_y, hi_y = _code_range(panel.y, series.bits)
    ok = np.isfinite(x) & np.isfinite(y) & (x >= lo_x) & (x <= hi_x) & (y >= lo_y) & (y <= hi_y)
    rows: list[FloatArray] = []
    start = None
    for i in range(len(x) + 1):
        if i < len(x) and ok[i]:
            start = i if start is None else start
            continue
        if start is not None:
            run = np.arange(start, i)
            if series.thin and series.kind == "line":
                run = run[_douglas_peucker(px[run], LINE_TOLERANCE)]
            elif series.thin and series.kind in ("points", "linepoints"):
                run = run[_drop_close(px[run], POINT_TOLERANCE)]
            if rows:
                rows.append(np.array([[np.nan, np.nan]]))
            rows.append(np.column_stack([x[run], y[run]]))
            start = None
    return np.concatenate(rows) if rows else np.empty((0, 2))


def _series_table(series: Series, panel: Panel, states: int) -> dict[str, Any]:
    """The JSON of one series: blocks of codes (fixed, or the same length in every state), or
    thinned ``(x, y)`` pairs per state (``thin=True``)."""
    out: dict[str, Any] = {"kind": series.kind, "color": series.color}
    out.update(width=series.width, dash=series.dash, size=series.size, alpha=series.alpha)
    if series.thin:
        blobs = []
        for s in range(states):
            pts = _thin(series, panel, *series.at(s))
            _, rx = _quantize(pts[:, 0], panel.x, 16)
            _, ry = _quantize(pts[:, 1], panel.y, 16)
            codes = np.column_stack([np.frombuffer(rx, "<u2"), np.frombuffer(ry, "<u2")])
            blobs.append(_b64(codes.astype("<u2").tobytes()))
        out["xy"] = {
            "x": _quantize(np.zeros(0), panel.x, 16)[0],
            "y": _quantize(np.zeros(0), panel.y, 16)[0],
            "d": blobs,
        }
        return out
    coordinates: list[tuple[str, Data, Axis]] = [("x", series.x, panel.x), ("y", series.y, panel.y)]
    if series.base is not None:
        coordinates.append(("base", series.base, panel.y))
    for name, data, axis in coordinates:
        if isinstance(data, tuple):
            if len({a.size for a in data}) != 1:
                raise ValueError(
                    f"series {series.label or series.kind!r}: {name} varies in length from "
                    "state to state; draw it with thin=True"
                )
            info, raw = _quantize(np.stack(list(data)), axis, series.bits)
        else:
            info, raw = _quantize(np.asarray(data, dtype=np.float64), axis, 16)
        info.update(d=_b64(raw), per_state=isinstance(data, tuple))
        out[name] = info
    return out


# -- the explorer --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explorer:
    """An interactive figure whose every state was computed by lecturelib (see the module).

    Display it in a notebook (its ``_repr_mimebundle_``): the site shows the interactive HTML,
    everything else the PNG of the default state. :meth:`html` and :meth:`figure` give each.
    """

    id: str
    label: str
    controls: tuple[Control, ...]
    readouts: tuple[Readout, ...]
    panels: tuple[Panel, ...]
    summary: str
    settings: Mapping[str, int | float | str] = field(default_factory=dict)
    figsize: tuple[float, float] = (8.0, 3.3)

    def __post_init__(self) -> None:
        if not self.id.replace("-", "a").isalnum() or not self.id.isascii():
            raise ValueError(f"Explorer id must be ASCII letters, digits and '-', got {self.id!r}")
        names = [c.name for c in self.controls] + [r.name for r in self.readouts]
        if len(set(names)) != len(names):
            raise ValueError(f"Explorer {self.id!r}: control and readout names must be unique")
        for r in self.readouts:
            if len(r.values) != self.states:
                raise ValueError(
                    f"Explorer {self.id!r}: readout {r.name!r} has {len(r.values)} values "
                    f"for {self.states} states"
                )
        for p in self.panels:
            for s in p.series:
                for data in (s.x, s.y):
                    if isinstance(data, tuple) and len(data) != self.states:
                        raise ValueError(
                            f"Explorer {self.id!r}: series {s.label!r} has {len(data)} "
                            f"states, not {self.states}"
                        )
        for key in self.settings:
            _check_name("setting", key)

    # -- states ----------------------------------------------------------------------------------
    @property
    def states(self) -> int:
        """The number of states, the product of the controls' numbers of positions."""
        return math.prod(c.count for c in self.controls)

    def state(self, **values: Any) -> int:
        """The state of the controls at ``values`` (the defaults for those not given)."""
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise ValueError(f"Explorer {self.id!r} has no control {sorted(unknown)[0]!r}")
        index = 0
        for c in self.controls:
            value = values.get(c.name, c.default)
            index = index * c.count + c.index(value)
        return index

    @property
    def default(self) -> int:
        """The state of every control's default."""
        return self.state()

    def positions(self) -> list[dict[str, Any]]:
        """The control values of every state, in state order."""
        return [self.positions_of(state) for state in range(self.states)]

    # -- the interactive HTML --------------------------------------------------------------------
    def table(self) -> dict[str, Any]:
        """The JSON the site's script reads: controls, readouts and quantised series."""
        controls = []
        for c in self.controls:
            if isinstance(c, Slider):
                controls.append({"name": c.name, "kind": "range", "lo": c.lo, "step": c.step})
            else:
                controls.append({"name": c.name, "kind": "checkbox", "texts": c.texts})
            controls[-1]["count"] = c.count
        readouts = []
        for r in self.readouts:
            entry: dict[str, Any] = {"name": r.name, "kind": r.kind, "digits": r.digits}
            if r.kind == "float":
                entry["d"] = _b64(np.asarray(r.values, dtype="<f8").tobytes())
            elif r.kind == "int":
                entry["values"] = [int(v) for v in r.values]
            else:
                keys = list(dict.fromkeys(str(v) for v in r.values))
                entry["keys"] = keys
                entry["texts"] = [r.texts[k] for k in keys]
                entry["values"] = [keys.index(str(v)) for v in r.values]
            readouts.append(entry)
        panels = []
        for p in self.panels:
            panels.append(
                {
                    "title": p.title,
                    "x": {"label": p.x.label, "lo": p.x.lo, "hi": p.x.hi, "ticks": p.x.ticks},
                    "y": {"label": p.y.label, "lo": p.y.lo, "hi": p.y.hi, "ticks": p.y.ticks},
                    "series": [_series_table(s, p, self.states) for s in p.series],
                    "notes": p.notes,
                }
            )
        colors = {s.color: s.hex_color for p in self.panels for s in p.series if s.color != INK}
        return {
            "id": self.id,
            "controls": controls,
            "readouts": readouts,
            "panels": panels,
            "summary": self.summary,
            "colors": dict(sorted(colors.items())),
        }

    def _fill(self, template: str, state: int) -> str:
        at = self.positions_of(state)
        values = {c.name: c.text(at[c.name]) for c in self.controls}
        values.update({r.name: r.text(state) for r in self.readouts})
        return template.format(**values)

    def positions_of(self, state: int) -> dict[str, Any]:
        """The control values of one state, in the controls' order."""
        out: dict[str, Any] = {}
        for c in reversed(self.controls):
            state, i = divmod(state, c.count)
            out[c.name] = c.values[i]
        return dict(reversed(out.items()))

    def html(self) -> str:
        """The interactive explorer's markup (hidden until the site's script draws it)."""
        e = html.escape
        pid = f"explorer-{self.id}"
        state = self.default
        attrs = "".join(f' data-{k}="{e(str(v))}"' for k, v in self.settings.items())
        parts = [
            f'<div class="explorer" data-explorer="{e(self.id)}"{attrs} '
            f'data-pagefind-ignore="all" role="group" aria-label="{e(self.label)}" hidden>',
            '<div class="explorer-controls">',
        ]
        for c in self.controls:
            cid = f"{pid}-{c.name}"
            if isinstance(c, Slider):
                hi = c.values[-1]
                parts.append(
                    '<div class="explorer-control">'
                    f'<label for="{cid}">{e(c.label)}</label> '
                    f'<span class="explorer-current" aria-hidden="true">{_value_text(c.default)}'
                    "</span>"
                    f'<input type="range" id="{cid}" name="{c.name}" min="{_value_text(c.lo)}" '
                    f'max="{_value_text(hi)}" step="{_value_text(c.step)}" '
                    f'value="{_value_text(c.default)}">'
                )
                if c.marks:
                    parts.append('<div class="explorer-marks" aria-hidden="true">')
                    for value, text in c.marks:
                        where = (value - c.lo) / (hi - c.lo)
                        parts.append(f'<span style="--at:{where:.4f}">{e(text)}</span>')
                    parts.append("</div>")
                parts.append("</div>")
            else:
                checked = " checked" if c.default else ""
                parts.append(
                    '<div class="explorer-control explorer-checkbox">'
                    f'<input type="checkbox" id="{cid}" name="{c.name}"{checked}> '
                    f'<label for="{cid}">{e(c.label)}</label></div>'
                )
        parts.append("</div>")
        parts.append('<div class="explorer-panels">')
        summary = self._fill(self.summary, state)
        for p in self.panels:
            parts.append(
                f'<svg class="explorer-panel" role="img" aria-label="{e(p.title)}：{e(summary)}">'
                "</svg>"
            )
        parts.append("</div>")
        legend = [s for p in self.panels for s in p.series if s.label]
        if legend:
            parts.append('<ul class="explorer-legend">')
            for s in legend:
                kind = "dash" if s.dash else s.kind
                # the page's text colour (ink) comes from the stylesheet, which an inline
                # --c would override: black keys in dark mode
                colour = "" if s.color == INK else f' style="--c:{s.hex_color}"'
                parts.append(
                    f'<li><span class="explorer-key explorer-key-{kind}"'
                    f"{colour}{_ink_class(s)}></span>{e(s.label)}</li>"
                )
            parts.append("</ul>")
        parts.append('<dl class="explorer-readouts simple">')
        for r in self.readouts:
            rid = f"{pid}-{r.name}"
            wide = ' class="explorer-wide"' if r.kind == "text" else ""
            parts.append(
                f'<div{wide}><dt><label for="{rid}">{e(r.label)}</label></dt><dd>'
                f'<output id="{rid}" name="{r.name}" data-value="{e(r.data_value(state))}">'
                f"{e(r.text(state))}</output></dd></div>"
            )
        parts.append("</dl>")
        data = json.dumps(self.table(), ensure_ascii=False, separators=(",", ":"))
        parts.append(
            '<script type="application/json" class="explorer-data">'
            + data.replace("</", "<\\/")
            + "</script>"
        )
        parts.append("</div>")
        return "\n".join(parts)

    # -- the static figure -----------------------------------------------------------------------
    def figure(self, state: int | None = None) -> Figure:
        """The explorer in one state (the default) as a matplotlib figure, full precision."""
        state = self.default if state is None else state
        if not 0 <= state < self.states:
            raise ValueError(f"state must be in [0, {self.states}), got {state}")
        fig = new_figure(self.figsize)
        axes = fig.subplots(1, len(self.panels), squeeze=False)[0]
        for ax, panel in zip(axes, self.panels, strict=True):
            _draw_panel(ax, panel, state)
        handles = [_handle(s) for p in self.panels for s in p.series if s.label]
        if handles:
            fig.legend(
                handles=handles,
                loc="lower center",
                ncol=min(len(handles), 3),
                bbox_to_anchor=(0.5, 0.0),
                fontsize=9,
            )
        fig.tight_layout(rect=(0.0, 0.1 if handles else 0.0, 1.0, 1.0))
        return fig

    def png(self) -> bytes:
        """The default state as a web PNG (:func:`lecturelib.style.figure_png`)."""
        return figure_png(self.figure())

    # -- display ---------------------------------------------------------------------------------
    def __repr__(self) -> str:
        grid = " × ".join(f"{c.count} {c.name}" for c in self.controls)
        return f"Explorer({self.id!r}: {grid} = {self.states} states, default {self.summary_text})"

    @property
    def summary_text(self) -> str:
        """The summary sentence of the default state."""
        return self._fill(self.summary, self.default)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The interactive HTML (under :data:`MIME_TYPE`), the PNG of the default state, text.

        With ``LECTURELIB_PDF_FIGURES=1`` (:data:`lecturelib.style.PDF_FIGURES_ENV`, set by the
        site's build) also a vector PDF of the default state, which the PDF edition prints.
        """
        fig = self.figure()
        bundle = {
            MIME_TYPE: self.html(),
            "image/png": _b64(figure_png(fig)),
            "text/plain": repr(self),
        }
        if os.environ.get(PDF_FIGURES_ENV) == "1":
            bundle["application/pdf"] = _b64(figure_pdf(fig))
        return bundle


def _value_text(value: Any) -> str:
    """A control value as the browser writes it: ``0.01``, ``3``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _ink_class(series: Series) -> str:
    return ' data-ink="1"' if series.color == INK else ""


def _draw_panel(ax: Axes, panel: Panel, state: int) -> None:
    for s in panel.series:
        x, y = s.at(state)
        style: dict[str, Any] = {"color": s.hex_color, "linewidth": s.width, "alpha": s.alpha}
        if s.dash:
            style["linestyle"] = (0, (4, 3))
        if s.kind == "line":
            ax.plot(x, y, **style)
        elif s.kind == "stems" and s.base is not None:
            for xk, bk, yk in zip(x, s.base, y, strict=True):
                ax.plot([xk, xk], [bk, yk], **style)
        else:
            line = s.kind == "linepoints"
            ax.plot(
                x,
                y,
                marker="o",
                markersize=2 * s.size,
                linestyle="-" if line else "none",
                linewidth=1.0 if line else 0.0,
                color=s.hex_color,
                zorder=3,
            )
    for note_x, note_y, text in panel.notes:
        ax.text(note_x, note_y, text, fontsize=8, color=COLORS["edge"], ha="center", va="bottom")
    ax.set_xlim(panel.x.lo, panel.x.hi)
    ax.set_ylim(panel.y.lo, panel.y.hi)
    for axis, spec in ((ax.xaxis, panel.x), (ax.yaxis, panel.y)):
        axis.set_ticks([t for t, _ in spec.ticks], [label for _, label in spec.ticks])
    ax.set_xlabel(panel.x.label)
    ax.set_ylabel(panel.y.label)
    ax.set_title(panel.title, fontsize=11)


def _handle(series: Series) -> Line2D:
    marker = "o" if series.kind in ("points", "linepoints") else None
    style: Any = "none" if series.kind == "points" else ((0, (4, 3)) if series.dash else "-")
    return Line2D(
        [],
        [],
        color=series.hex_color,
        linewidth=series.width if series.kind != "linepoints" else 1.0,
        linestyle=style,
        marker=marker,
        markersize=2 * series.size,
        label=series.label,
    )


def as_states(arrays: Sequence[Any]) -> tuple[FloatArray, ...]:
    """One float array per state (a helper for the explorers' definitions)."""
    return tuple(np.asarray(a, dtype=np.float64) for a in arrays)
