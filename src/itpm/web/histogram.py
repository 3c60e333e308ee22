"""The resource heat map as SVG: a row per person (or role, or team), a column per week, each
cell coloured by load (demand over capacity) and marked when the resource was over-allocated on
any day of that week, even if the week as a whole is under 100 %.

Pure, like web/gantt/: plain rows in, escaped markup out; colours come from CSS classes
(the CSP allows no style attributes). Two SVGs, the names and the grid, so the names stay in
place while the weeks scroll sideways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ROW = 34
COLUMN = 46
TIER = 22
HEADER = 2 * TIER
LABEL_W = 300
CHAR = 6.9
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


@dataclass(frozen=True)
class HeatCell:
    demand: float  # unit-days asked for in the week
    capacity: float  # unit-days available in the week
    over: bool  # over capacity on at least one day of the week
    over_people: int = 0  # for a group: people over that week


@dataclass(frozen=True)
class HeatRow:
    label: str
    detail: str
    cells: Sequence[HeatCell]
    href: str = ""  # where the row's name leads: its over-allocations
    cell_hrefs: Sequence[str] = ()  # where each over-allocated week leads ("" for none)


@dataclass(frozen=True)
class HeatMap:
    weeks: Sequence[dt.date]  # the Monday of each column
    rows: Sequence[HeatRow]
    today: dt.date | None = None
    title: str = "Resource load by week"


@dataclass(frozen=True)
class HeatSvg:
    corner: str
    header: str
    labels: str
    grid: str
    label_width: int
    grid_width: int


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(css_class: str, width: float, height: float, body: str, label: str = "") -> str:
    aria = f' role="img" aria-label="{_e(label)}"' if label else ""
    return (
        f'<svg {SVG_NS} class="{css_class}" width="{width:g}" height="{height:g}"'
        f' viewBox="0 0 {width:g} {height:g}"{aria}>{body}</svg>'
    )


def percent(cell: HeatCell) -> int | None:
    """Load in per cent; None for a week with neither capacity nor demand."""
    if cell.capacity <= 1e-6:
        return None if cell.demand <= 1e-6 else 999
    return round(100 * cell.demand / cell.capacity)


def band(cell: HeatCell) -> str:
    """The colour class: off (no capacity), idle, low, mid, full, over (the week above 100 %),
    and peak (under 100 % for the week, but over on some day)."""
    load = percent(cell)
    if load is None:
        return "off"
    if load > 100:
        return "over"
    if cell.over:
        return "peak"
    if load == 0:
        return "idle"
    return "low" if load < 50 else "mid" if load < 85 else "full"


def _days(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _tooltip(row: HeatRow, week: dt.date, cell: HeatCell) -> str:
    load = percent(cell)
    text = f"{row.label} · week of {week.day} {MONTHS[week.month - 1]} {week.year}: "
    if load is None:
        return text + "not working (holiday, leave or no working days)"
    text += f"{_days(cell.demand)} of {_days(cell.capacity)} days planned ({load if load < 999 else '—'} %)"
    if cell.over:
        text += "; over-allocated on at least one day"
        if cell.over_people:
            text += f" ({cell.over_people} over)"
    return text


def _cell(row: HeatRow, column: int, week: dt.date, cell: HeatCell, y: int) -> str:
    x = column * COLUMN
    kind = band(cell)
    load = percent(cell)
    parts = [
        f'<rect class="heat-{kind}" x="{x + 1}" y="{y + 1}" width="{COLUMN - 2}" height="{ROW - 2}" rx="2"/>'
    ]
    if load is not None and load > 0:
        shown = f"{load}" if load < 999 else "!"
        parts.append(
            f'<text class="heat-value" x="{x + COLUMN / 2:g}" y="{y + 21}"'
            f' text-anchor="middle">{shown}</text>'
        )
    if cell.over:
        parts.append(f'<path class="heat-flag" d="M{x + COLUMN - 11} {y + 1}H{x + COLUMN - 1}V{y + 11}z"/>')
    title = f"<title>{_e(_tooltip(row, week, cell))}</title>"
    over = ' data-over="1"' if cell.over else ""
    body = f'<g class="heat-cell"{over}>{title}{"".join(parts)}</g>'
    href = row.cell_hrefs[column] if column < len(row.cell_hrefs) else ""
    if href and cell.over:
        label = f"{row.label}: over-allocations in the week of {week.day} {MONTHS[week.month - 1]}"
        body = f'<a href="{_e(href)}" aria-label="{_e(label)}">{body}</a>'
    return body


def _header(weeks: Sequence[dt.date], width: int) -> str:
    parts = [f'<rect class="heat-head-bg" width="{width}" height="{HEADER}"/>']
    for column, week in enumerate(weeks):
        x = column * COLUMN
        if column == 0 or week.month != weeks[column - 1].month:
            label = f"{MONTHS[week.month - 1]} {week.year}"
            parts.append(f'<text class="heat-month" x="{x + 4}" y="{TIER - 7}">{label}</text>')
            parts.append(f'<path class="heat-month-line" d="M{x + 0.5} 0V{HEADER}"/>')
        parts.append(
            f'<text class="heat-week" x="{x + COLUMN / 2:g}" y="{HEADER - 7}"'
            f' text-anchor="middle">{week.day}</text>'
        )
    return "".join(parts)


def _truncate(text: str, width: float) -> str:
    limit = int(width / CHAR)
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _label(row: HeatRow, y: int) -> str:
    name = f'<text class="heat-name" x="10" y="{y + 15}">{_e(_truncate(row.label, LABEL_W - 20))}</text>'
    detail = f'<text class="heat-detail" x="10" y="{y + 28}">{_e(_truncate(row.detail, LABEL_W - 20))}</text>'
    body = f"<title>{_e(row.label)} · {_e(row.detail)}</title>{name}{detail}"
    if row.href:
        body = f'<a href="{_e(row.href)}" aria-label="{_e(row.label)}: over-allocations">{body}</a>'
    return f'<g class="heat-label">{body}</g>'


def _today_line(chart: HeatMap, height: int) -> str:
    if chart.today is None or not chart.weeks:
        return ""
    offset = (chart.today - chart.weeks[0]).days
    if not 0 <= offset < 7 * len(chart.weeks):
        return ""
    x = offset / 7 * COLUMN
    return f'<path class="heat-today" d="M{x:.1f} 0V{height}"><title>Today</title></path>'


def build(chart: HeatMap) -> HeatSvg:
    width = max(len(chart.weeks), 1) * COLUMN
    height = max(len(chart.rows), 1) * ROW
    lines = "".join(f"M0 {n * ROW - 0.5}H{width}" for n in range(1, len(chart.rows) + 1))
    grid = [f'<path class="heat-rowline" d="{lines}"/>'] if lines else []
    labels = [f'<rect class="heat-label-bg" width="{LABEL_W}" height="{height}"/>']
    for index, row in enumerate(chart.rows):
        y = index * ROW
        labels.append(_label(row, y))
        grid.extend(
            _cell(row, n, week, cell, y)
            for n, (week, cell) in enumerate(zip(chart.weeks, row.cells, strict=False))
        )
    grid.append(_today_line(chart, height))
    corner = (
        f'<rect class="heat-head-bg" width="{LABEL_W}" height="{HEADER}"/>'
        f'<text class="heat-col-title" x="10" y="{HEADER - 7}">Resource</text>'
    )
    return HeatSvg(
        corner=_svg("heat-corner", LABEL_W, HEADER, corner),
        header=_svg("heat-header", width, HEADER, _header(chart.weeks, width)),
        labels=_svg("heat-labels", LABEL_W, height, "".join(labels), "Resources"),
        grid=_svg("heat-grid", width, height, "".join(grid), chart.title),
        label_width=LABEL_W,
        grid_width=width,
    )
