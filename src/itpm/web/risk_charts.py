"""Monte Carlo charts as SVG: the distribution (histogram with its cumulative curve, P-lines and a
deadline or budget line) and the tornado of what drives the result.

Pure, like web/gantt/: numbers and labels in, escaped markup out; colours come from CSS classes
in web/governance.css (the CSP allows no style attributes). Values on the x axis are plain
numbers (a date is its ordinal day); `label` turns one into the text under the axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 34, 40
TICKS = 6


@dataclass(frozen=True)
class Mark:
    """A vertical line across the chart: a percentile, the deadline or the budget."""

    value: float
    label: str
    kind: str  # "pline" or "target"


@dataclass(frozen=True)
class Driver:
    """One bar of the tornado: a task or a risk and its rank correlation with the result."""

    label: str
    value: float  # -1 … 1
    kind: str  # "task" or "risk"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _svg(css_class: str, width: float, height: float, body: str, label: str) -> str:
    return (
        f'<svg {SVG_NS} class="{css_class}" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{_e(label)}">{body}</svg>'
    )


def _text(css_class: str, x: float, y: float, content: str, anchor: str = "middle") -> str:
    return f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{_e(content)}</text>'


@dataclass(frozen=True)
class _Scale:
    low: float
    high: float
    left: float
    right: float

    def x(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.left + (value - self.low) / span * (self.right - self.left)


def distribution_svg(
    edges: Sequence[float],
    counts: Sequence[int],
    cumulative: Sequence[tuple[float, float]],
    marks: Sequence[Mark],
    label: Callable[[float], str],
    title: str,
) -> str:
    """Histogram bars (left axis: share of runs), the cumulative curve (right axis: 0–100 %) and
    the marks. `edges` has one more entry than `counts`; `cumulative` is (value, probability)."""
    if not counts or len(edges) != len(counts) + 1:
        return _svg("mc-chart", WIDTH, 60, _text("mc-empty", WIDTH / 2, 34, "No simulation yet."), title)
    values = [*edges, *(m.value for m in marks)]
    scale = _Scale(min(values), max(values), LEFT, WIDTH - RIGHT)
    body = [
        _frame(),
        _bars(scale, edges, counts),
        _curve(scale, cumulative),
        _x_axis(scale, label),
        _y_axes(max(counts) / (sum(counts) or 1)),
        *(_mark(scale, mark, place) for place, mark in enumerate(marks)),
    ]
    return _svg("mc-chart", WIDTH, HEIGHT, "".join(body), title)


def _plot_y(share: float) -> float:
    return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM)


def _frame() -> str:
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    return f'<rect class="mc-plot" x="{LEFT}" y="{TOP}" width="{width}" height="{height}"/>'


def _bars(scale: _Scale, edges: Sequence[float], counts: Sequence[int]) -> str:
    tallest = max(counts) or 1
    parts = []
    for left, right, count in zip(edges, edges[1:], counts, strict=False):
        x0, x1 = scale.x(left), scale.x(right)
        y = _plot_y(count / tallest)
        width = max(x1 - x0 - 1, 1)
        parts.append(
            f'<rect class="mc-bar" x="{_n(x0)}" y="{_n(y)}" width="{_n(width)}"'
            f' height="{_n(HEIGHT - BOTTOM - y)}"/>'
        )
    return f'<g class="mc-bars">{"".join(parts)}</g>'


def _curve(scale: _Scale, cumulative: Sequence[tuple[float, float]]) -> str:
    if not cumulative:
        return ""
    points = " ".join(f"{_n(scale.x(value))},{_n(_plot_y(share))}" for value, share in cumulative)
    return f'<polyline class="mc-cdf" points="{points}"/>'


def _x_axis(scale: _Scale, label: Callable[[float], str]) -> str:
    parts = []
    for step in range(TICKS + 1):
        value = scale.low + (scale.high - scale.low) * step / TICKS
        x = scale.x(value)
        base = HEIGHT - BOTTOM
        parts.append(f'<line class="mc-tick" x1="{_n(x)}" y1="{base}" x2="{_n(x)}" y2="{base + 4}"/>')
        parts.append(_text("mc-axis", x, HEIGHT - BOTTOM + 17, label(value)))
    return "".join(parts)


def _y_axes(tallest_share: float) -> str:
    """Left: the share of runs in the tallest bar; right: the cumulative probability."""
    parts = []
    for step in range(5):
        share = step / 4
        y = _plot_y(share)
        parts.append(
            f'<line class="mc-gridline" x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}"/>'
        )
        parts.append(_text("mc-axis", WIDTH - RIGHT + 6, y + 4, f"{share:.0%}", "start"))
        parts.append(_text("mc-axis", LEFT - 6, y + 4, f"{tallest_share * share:.0%}", "end"))
    return "".join(parts)


def _mark(scale: _Scale, mark: Mark, place: int) -> str:
    x = scale.x(mark.value)
    line = f'x1="{_n(x)}" y1="{TOP}" x2="{_n(x)}" y2="{HEIGHT - BOTTOM}"'
    if mark.kind == "target":  # inside the plot, beside its line, clear of the P-labels above
        anchor, shift = ("end", -4) if x > WIDTH / 2 else ("start", 4)
        label = _text("mc-target-label", x + shift, TOP + 14, mark.label, anchor)
        return f'<line class="mc-target" {line}/>{label}'
    y = TOP - 6 - (place % 2) * 12  # alternate heights so neighbouring labels do not overlap
    return f'<line class="mc-pline" {line}/>' + _text("mc-pline-label", x, y, mark.label)


TORNADO_ROW, TORNADO_LABEL = 24, 300


def tornado_svg(drivers: Sequence[Driver], title: str) -> str:
    """Horizontal bars from a centre line: right for drivers that lengthen the result when they
    grow, left for those that shorten it; longest first."""
    if not drivers:
        return _svg("mc-tornado", WIDTH, 60, _text("mc-empty", WIDTH / 2, 34, "No drivers to show."), title)
    height = TOP + len(drivers) * TORNADO_ROW + 10
    centre = TORNADO_LABEL + (WIDTH - TORNADO_LABEL - RIGHT) / 2
    half = (WIDTH - TORNADO_LABEL - RIGHT) / 2
    parts = [
        f'<line class="mc-centre" x1="{_n(centre)}" y1="{TOP - 8}" x2="{_n(centre)}" y2="{height - 6}"/>'
    ]
    parts.append(_text("mc-axis", centre - half, TOP - 14, "−1", "start"))
    parts.append(_text("mc-axis", centre, TOP - 14, "0"))
    parts.append(_text("mc-axis", centre + half, TOP - 14, "+1", "end"))
    for row, driver in enumerate(drivers):
        parts.append(_tornado_row(driver, TOP + row * TORNADO_ROW, centre, half))
    return _svg("mc-tornado", WIDTH, height, "".join(parts), title)


def _tornado_row(driver: Driver, y: float, centre: float, half: float) -> str:
    length = max(-1.0, min(1.0, driver.value)) * half
    left = min(centre, centre + length)
    name = driver.label if len(driver.label) <= 36 else driver.label[:35] + "…"
    kind = "Risk: " if driver.kind == "risk" else ""
    value_x = centre + length + (6 if length >= 0 else -6)
    return (
        _text("mc-driver", TORNADO_LABEL - 10, y + 15, f"{kind}{name}", "end")
        + f'<rect class="mc-driver-{_e(driver.kind)}" x="{_n(left)}" y="{_n(y + 4)}" '
        f'width="{_n(max(abs(length), 1))}" height="{TORNADO_ROW - 8}"><title>{_e(driver.label)}: '
        f"{driver.value:+.2f}</title></rect>"
        + _text("mc-axis", value_x, y + 15, f"{driver.value:+.2f}", "start" if length >= 0 else "end")
    )
