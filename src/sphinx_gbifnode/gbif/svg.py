"""Charts as small, accessible inline SVG: bars, columns and lines drawn from counts.

Pure drawing, no Sphinx and no Babel: the caller gives already formatted labels and a
function that formats axis ticks for the page language. The output is meant to live
inside an HTML page:

* sized by ``viewBox`` only, so it scales with the column and prints;
* ``role="img"`` named by its ``<title>`` (``aria-labelledby``) and described by its
  ``<desc>`` (``aria-describedby``); each mark has its own ``<title>`` for a tooltip;
* colours through CSS classes (``gbif-chart-*``, see ``gbifnode.css``), so the theme's
  variables decide them; the one series needs no legend, every bar carries a direct
  label, and the "Other" bar is hatched, so colour is never the only cue;
* every text from outside (labels, title) is escaped; coordinates are rounded to one
  decimal, which keeps a 30-year line chart around 4 KB.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

KINDS = ("bar", "column", "line")
WIDTH = 640
#: Height of the plot of a line or column chart (a bar chart grows with its rows).
HEIGHT = 300
FONT = 13
BAR_ROW = 28
BAR_THICKNESS = 18
#: The hatched "Other" bar: 45° stripes, ``patternUnits`` in user space.
HATCH_SIZE = 6

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    """One value of the chart: ``label`` and ``value_text`` are formatted for the page
    language; ``other`` marks the summed rest ("Other", "Not given"), drawn hatched;
    ``year`` is set on the points of a time series, whose axis shows round years."""

    label: str
    value: int
    value_text: str
    other: bool = False
    year: int | None = None


@dataclass(frozen=True)
class Chart:
    """What to draw. ``ident`` is unique on the page: it prefixes the ids of the
    ``<title>``, ``<desc>`` and hatch pattern. ``tick_text`` formats axis numbers;
    ``dots`` marks each value of a line with a dot and its tooltip."""

    kind: str
    points: Sequence[Point]
    title: str
    desc: str
    ident: str
    tick_text: Callable[[int], str]
    dots: bool = True


# --- text -----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text for an XML text node or attribute: characters XML forbids are dropped and
    ``<``, ``>``, ``&`` and quotes escaped, so no API name can open a tag in the SVG."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


@cache
def _em(char: str) -> float:
    """Width of one character in ems, estimated (there is no font at build time): wide
    East Asian characters take a full em, others a little over half of one."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in "il.,:;'|!()[] ":
        return 0.32
    if char.isupper() or char in "mwMW%":
        return 0.7
    return 0.56


def text_width(text: str, size: float = FONT) -> float:
    """Width of *text* in a sans-serif font of *size*, estimated."""
    return sum(map(_em, text)) * size


def fit(text: str, width: float, size: float = FONT) -> str:
    """*text*, shortened with an ellipsis to fit *width* (the full text is in the table)."""
    if text_width(text, size) <= width:
        return text
    room = width - text_width("…", size)
    used = 0.0
    for index, char in enumerate(text):
        used += _em(char) * size
        if used > room:
            return text[:index].rstrip() + "…"
    return text


def _num(value: float) -> str:
    """A coordinate: one decimal at most, no trailing ``.0``."""
    return f"{value:.1f}".removesuffix(".0")


# --- scales ---------------------------------------------------------------------------


def nice_step(span: float, target: int = 5) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten, whole) dividing *span* into
    about *target* parts."""
    if span <= 0:
        return 1
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw and step == int(step):
            return int(step)
    return int(10 * power)


def nice_ticks(maximum: int, target: int = 5) -> list[int]:
    """Ticks from 0 to the first round value at or above *maximum*: ``[0, 2000, ...]``."""
    step = nice_step(max(maximum, 1), target)
    top = step * math.ceil(max(maximum, 1) / step)
    return list(range(0, top + 1, step))


def label_stride(count: int, label_width: float, room: float) -> int:
    """Show every n-th category label so that labels never overlap: 1, 2, 5, 10, ..."""
    if count <= 1:
        return 1
    for stride in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        # A gap of two characters at least between neighbouring labels.
        if (count / stride) * (label_width + 16) <= room:
            return stride
    return max(1, count)


# --- drawing --------------------------------------------------------------------------


def draw(chart: Chart) -> str:
    """The ``<svg>`` element of *chart* (one line of markup)."""
    if chart.kind not in KINDS:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    if not chart.points:
        raise ValueError("nothing to draw")
    body, height = (_bars if chart.kind == "bar" else _vertical)(chart)
    ident = escape(chart.ident)
    defs = ""
    if any(p.other for p in chart.points):
        defs = (
            f'<defs><pattern id="{ident}-hatch" width="{HATCH_SIZE}" height="{HATCH_SIZE}" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect class="gbif-chart-hatch-bg" width="{HATCH_SIZE}" height="{HATCH_SIZE}"/>'
            f'<path class="gbif-chart-hatch" d="M0 0V{HATCH_SIZE}"/></pattern></defs>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gbif-chart-svg gbif-chart-svg--'
        f'{chart.kind}" viewBox="0 0 {WIDTH} {_num(height)}" font-size="{FONT}" role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">'
        f'<title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>{defs}{body}</svg>'
    )


def _mark_class(point: Point) -> str:
    return "gbif-chart-other" if point.other else "gbif-chart-mark"


def _mark_fill(chart: Chart, point: Point) -> str:
    """Hatched bars name their pattern in an attribute: CSS cannot reach a per-chart id,
    and the ``gbif-chart-mark`` fill is not set on them, so the attribute holds."""
    return f' fill="url(#{escape(chart.ident)}-hatch)"' if point.other else ""


def _tooltip(point: Point) -> str:
    return f"<title>{escape(point.label)}: {escape(point.value_text)}</title>"


def _bars(chart: Chart) -> tuple[str, float]:
    """Horizontal bars: the label left of each bar, its value right of it."""
    points = chart.points
    labels_width = min(max(text_width(p.label) for p in points) + 10, WIDTH * 0.4)
    values_width = max(text_width(p.value_text) for p in points) + 10
    left = labels_width
    room = WIDTH - left - values_width - 4
    top = 6
    height = top * 2 + BAR_ROW * len(points)
    maximum = max(max(p.value for p in points), 1)
    parts = ['<g class="gbif-chart-labels" text-anchor="end">']
    for index, point in enumerate(points):
        middle = top + BAR_ROW * index + BAR_ROW / 2
        parts.append(f'<text x="{_num(left - 8)}" y="{_num(middle)}" dy=".35em">'
                     f"{escape(fit(point.label, labels_width - 10))}</text>")
    parts.append("</g>")
    for index, point in enumerate(points):
        y = top + BAR_ROW * index + (BAR_ROW - BAR_THICKNESS) / 2
        length = room * point.value / maximum
        # A value above zero always shows, however small next to the largest.
        length = max(length, 1.5) if point.value > 0 else 0
        parts.append(
            f'<g><rect class="{_mark_class(point)}"{_mark_fill(chart, point)} '
            f'x="{_num(left)}" y="{_num(y)}" width="{_num(length)}" '
            f'height="{BAR_THICKNESS}">{_tooltip(point)}</rect>'
            f'<text class="gbif-chart-value" x="{_num(left + length + 6)}" '
            f'y="{_num(y + BAR_THICKNESS / 2)}" dy=".35em">{escape(point.value_text)}</text></g>'
        )
    parts.append(f'<path class="gbif-chart-axis" d="M{_num(left)} {top}V{_num(height - top)}"/>')
    return "".join(parts), height


def _vertical(chart: Chart) -> tuple[str, float]:
    """Columns or a line over an x axis of categories (years, months, names)."""
    points = chart.points
    ticks = nice_ticks(max(p.value for p in points))
    tick_texts = [chart.tick_text(t) for t in ticks]
    left = max(text_width(t, FONT - 1) for t in tick_texts) + 12
    top, bottom = 22, 26
    right = 12 + min(text_width(points[-1].label), 60) / 2
    plot_width = WIDTH - left - right
    plot_height = HEIGHT - top - bottom
    base = top + plot_height
    ceiling = ticks[-1] or 1

    def y_of(value: int) -> float:
        return base - plot_height * value / ceiling

    band = plot_width / len(points)
    if chart.kind == "line":
        step = plot_width / (len(points) - 1) if len(points) > 1 else 0.0
        xs = [left + step * i if len(points) > 1 else left + plot_width / 2
              for i in range(len(points))]
    else:
        xs = [left + band * (i + 0.5) for i in range(len(points))]

    # Grid lines in one path, tick labels in one group: the SVG stays small.
    grid = "".join(f"M{_num(left)} {_num(y_of(t))}H{_num(WIDTH - right)}" for t in ticks[1:])
    parts = [f'<path class="gbif-chart-grid" d="{grid}"/>' if grid else ""]
    parts.append('<g class="gbif-chart-ticks" text-anchor="end">')
    for tick, text in zip(ticks, tick_texts, strict=True):
        parts.append(f'<text x="{_num(left - 6)}" y="{_num(y_of(tick))}" dy=".35em">'
                     f"{escape(text)}</text>")
    parts.append("</g>")

    if all(p.year is not None for p in points):
        stride = label_stride(len(points), max(text_width(p.label) for p in points), plot_width)
    else:
        stride = 1  # every category named, shortened to its column if need be
    shown = _labelled_indexes(points, stride)
    label_room = band * stride - 4
    parts.append('<g class="gbif-chart-labels" text-anchor="middle">')
    for index in shown:
        text = fit(points[index].label, max(label_room, 24))
        parts.append(f'<text x="{_num(xs[index])}" y="{_num(base + 17)}">{escape(text)}</text>')
    parts.append("</g>")

    if chart.kind == "line":
        parts.append(_line(chart, xs, y_of, base))
    else:
        parts.append(_columns(chart, xs, band, y_of, base))
    parts.append(f'<path class="gbif-chart-axis" d="M{_num(left)} {_num(base)}'
                 f'H{_num(WIDTH - right)}"/>')
    return "".join(parts), HEIGHT


def _labelled_indexes(points: Sequence[Point], stride: int) -> list[int]:
    """Which x labels to show: round years (1990, 2000, ...) on a time series, every
    *stride*-th category from the first otherwise."""
    if stride == 1:
        return list(range(len(points)))
    if all(p.year is not None for p in points):
        return [i for i, p in enumerate(points) if p.year is not None and p.year % stride == 0]
    return list(range(0, len(points), stride))


def _value_labels(chart: Chart) -> set[int]:
    """Which marks get their value written beside them: all of them when there are few,
    else the largest and the last (where a time series ends)."""
    points = chart.points
    if chart.kind == "column" and len(points) <= 12:
        return set(range(len(points)))
    largest = max(range(len(points)), key=lambda i: points[i].value)
    return {largest, len(points) - 1}


def _line(
    chart: Chart, xs: list[float], y_of: Callable[[int], float], base: float
) -> str:
    points = chart.points
    coordinates = [(x, y_of(p.value)) for x, p in zip(xs, points, strict=True)]
    line = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in coordinates)
    area = f"{line}L{_num(xs[-1])} {_num(base)}L{_num(xs[0])} {_num(base)}Z"
    parts = [f'<path class="gbif-chart-area" d="{area}"/>',
             f'<path class="gbif-chart-line" d="{line}"/>']
    if chart.dots:
        parts.append('<g class="gbif-chart-points">')
        for (x, y), point in zip(coordinates, points, strict=True):
            parts.append(f'<circle class="{_mark_class(point)}" cx="{_num(x)}" '
                         f'cy="{_num(y)}" r="3">{_tooltip(point)}</circle>')
        parts.append("</g>")
    parts.append(_direct_values(chart, coordinates))
    return "".join(parts)


def _columns(
    chart: Chart, xs: list[float], band: float, y_of: Callable[[int], float], base: float
) -> str:
    width = max(band * 0.7, 1.0)
    parts = []
    tops = []
    for x, point in zip(xs, chart.points, strict=True):
        y = y_of(point.value)
        if point.value > 0:
            y = min(y, base - 1.5)  # a small value stays visible
        tops.append((x, y))
        parts.append(
            f'<rect class="{_mark_class(point)}"{_mark_fill(chart, point)} '
            f'x="{_num(x - width / 2)}" y="{_num(y)}" width="{_num(width)}" '
            f'height="{_num(base - y)}">{_tooltip(point)}</rect>'
        )
    parts.append(_direct_values(chart, tops, room=band))
    return "".join(parts)


def _direct_values(
    chart: Chart, anchors: list[tuple[float, float]], room: float | None = None
) -> str:
    """Values written above their marks, short enough for the room each mark has."""
    parts = ['<g class="gbif-chart-values" text-anchor="middle">']
    for index in sorted(_value_labels(chart)):
        point = chart.points[index]
        text = chart.tick_text(point.value)
        if room is not None and text_width(text, FONT - 1) > room and index != max(
            range(len(chart.points)), key=lambda i: chart.points[i].value
        ):
            continue
        x, y = anchors[index]
        x = min(max(x, text_width(text) / 2), WIDTH - text_width(text) / 2)
        parts.append(f'<text x="{_num(x)}" y="{_num(y - 7)}">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)
