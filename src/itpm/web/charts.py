"""Line charts as SVG, drawn on the server: reusable scales, ticks, axes and lines, and the
earned-value S-curve built from them.

Pure, like web/gantt/: numbers, dates and labels in, escaped markup out. Colours and dashes
come from CSS classes (web/finance.css; the CSP allows no style attributes), so a chart can be
restyled without touching this module. Other pages may use `LinearScale`, `DateScale`,
`nice_ticks`, `value_axis`, `date_axis`, `polyline` and `Frame` for charts of their own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Frame:
    """The drawing area inside a chart of width × height, with margins for the axes."""

    width: int = 760
    height: int = 320
    left: int = 64
    right: int = 24
    top: int = 36
    bottom: int = 36

    @property
    def x0(self) -> float:
        return float(self.left)

    @property
    def x1(self) -> float:
        return float(self.width - self.right)

    @property
    def y0(self) -> float:  # the bottom of the plot: y grows downwards in SVG
        return float(self.height - self.bottom)

    @property
    def y1(self) -> float:
        return float(self.top)


@dataclass(frozen=True)
class LinearScale:
    """Maps values in [low, high] onto pixels [start, end] (end may be smaller, for y)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float | Decimal) -> float:
        span = self.high - self.low or 1.0
        return self.start + (float(value) - self.low) / span * (self.end - self.start)


@dataclass(frozen=True)
class DateScale:
    first: dt.date
    last: dt.date
    start: float
    end: float

    def __call__(self, day: dt.date) -> float:
        span = (self.last - self.first).days or 1
        return self.start + (day - self.first).days / span * (self.end - self.start)


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `high`: steps of 1, 2 or 5 × a power of ten."""
    if high <= 0:
        return [0.0, 1.0]
    rough = high / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [step * n for n in range(math.ceil(high / step - 1e-9) + 1)]


def compact(value: float) -> str:
    """1200000 → 1.2M, 350000 → 350k: tick labels that fit beside an axis."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return f"{value:.0f}"


def month_ticks(first: dt.date, last: dt.date, most: int = 12) -> list[dt.date]:
    """First days of months between the dates, thinned to at most `most` labels."""
    months = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / most))
    return months[::step]


def month_label(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day:%y}" if day.month == 1 else MONTHS[day.month - 1]


def line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{escape(css)}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def text(x: float, y: float, label: str, css: str, anchor: str = "start") -> str:
    return (
        f'<text class="{escape(css)}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
    )


def value_axis(
    frame: Frame, scale: LinearScale, ticks: Sequence[float], label: Callable[[float], str]
) -> str:
    """Horizontal grid lines with their labels on the left."""
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(line(frame.x0, y, frame.x1, y, "grid"))
        parts.append(text(frame.x0 - 8, y + 4, label(tick), "tick", "end"))
    return "".join(parts)


def date_axis(
    frame: Frame, scale: DateScale, ticks: Sequence[dt.date], label: Callable[[dt.date], str]
) -> str:
    """The baseline of the plot with a tick and a label at each date."""
    parts = [line(frame.x0, frame.y0, frame.x1, frame.y0, "axis")]
    for day in ticks:
        x = scale(day)
        parts.append(line(x, frame.y0, x, frame.y0 + 5, "axis"))
        parts.append(text(x, frame.y0 + 20, label(day), "tick", "middle"))
    return "".join(parts)


def polyline(points: Sequence[tuple[float, float]], css: str, title: str = "") -> str:
    if len(points) < 2:
        return ""
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    tip = f"<title>{escape(title)}</title>" if title else ""
    return f'<polyline class="{escape(css)}" points="{coords}">{tip}</polyline>'


def vertical_marker(frame: Frame, x: float, css: str, label: str) -> str:
    return line(x, frame.y1, x, frame.y0, css) + text(x + 4, frame.y0 - 6, label, "marker-label")


def svg(frame: Frame, body: str, title: str, css: str = "chart") -> str:
    return (
        f'<svg {SVG_NS} class="{escape(css)}" viewBox="0 0 {frame.width} {frame.height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


# ---- the earned-value S-curve ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: its points (date, cumulative money), a CSS class and a legend name."""

    name: str
    css: str
    points: Sequence[tuple[dt.date, Decimal]]


@dataclass(frozen=True)
class SCurve:
    series: Sequence[Series]
    status_date: dt.date
    bac: Decimal
    title: str
    money_label: Callable[[float], str] = compact


def s_curve_svg(chart: SCurve, frame: Frame = Frame()) -> str:
    """PV, EV, AC and the forecast as cumulative lines over time, with the budget at completion
    as a horizontal line and the status date as a vertical one."""
    days = [day for line in chart.series for day, _ in line.points] + [chart.status_date]
    values = [float(v) for line in chart.series for _, v in line.points] + [float(chart.bac)]
    first, last = min(days), max(days)
    if last == first:
        last = first + dt.timedelta(days=1)
    ticks = nice_ticks(max(values) if values else 1.0)
    x = DateScale(first, last, frame.x0, frame.x1)
    y = LinearScale(0.0, ticks[-1], frame.y0, frame.y1)
    body = [
        value_axis(frame, y, ticks, chart.money_label),
        date_axis(frame, x, month_ticks(first, last), month_label),
        line(frame.x0, y(chart.bac), frame.x1, y(chart.bac), "bac"),
        text(frame.x1 - 4, y(chart.bac) - 5, "BAC", "marker-label", "end"),
        vertical_marker(frame, x(chart.status_date), "status", f"Status {chart.status_date:%d %b}"),
    ]
    for one in chart.series:
        body.append(polyline([(x(d), y(v)) for d, v in one.points], f"line {one.css}", one.name))
    body.append(_legend(frame, chart.series))
    return svg(frame, "".join(body), chart.title, "chart s-curve")


def _legend(frame: Frame, series: Sequence[Series]) -> str:
    """One row of keys in the top margin, clear of the lines."""
    parts, left, y = [], frame.x0, frame.y1 - 22
    for one in series:
        if len(one.points) < 2:
            continue
        parts.append(line(left, y, left + 18, y, f"line {one.css}"))
        parts.append(text(left + 22, y + 4, one.name, "legend"))
        left += 34 + 6.5 * len(one.name)
    return f'<g class="legend-box">{"".join(parts)}</g>'
