"""The right-hand side: the two-tier time scale, then the chart body (non-working days, grid,
bars, arrows, and the today and status-date lines)."""

from __future__ import annotations

from itpm.web.gantt.bars import (
    BarPlace,
    baseline_mark,
    constraint_mark,
    criticality_mark,
    deadline_mark,
    task_bar,
)
from itpm.web.gantt.links import link_paths
from itpm.web.gantt.model import Chart
from itpm.web.gantt.svg import (
    HEADER,
    ROW,
    TIER,
    arrow_marker,
    date_label,
    esc,
    px,
)
from itpm.web.gantt.tree import row_lines
from itpm.web.timescale import (
    ONE_DAY,
    Axis,
    WorkingTime,
    bottom_label,
    periods,
    shaded_runs,
    top_label,
)


def time_scale(chart: Chart) -> str:
    axis = chart.axis
    width = axis.width
    parts = [f'<rect class="gantt-head-bg" width="{px(width)}" height="{HEADER}"/>']
    lines = []
    for tier, unit in ((0, axis.zoom.top), (1, axis.zoom.bottom)):
        for start, end in periods(axis.first, axis.end, unit):
            x0, x1 = max(axis.x(start), 0.0), min(axis.x(end), width)
            y = tier * TIER
            lines.append(f"M{px(x1) if x1 < width else px(width)} {y}V{y + TIER}")
            if tier == 0:
                label = top_label(start, unit, x1 - x0)
                if label:
                    parts.append(
                        f'<text class="gantt-tier top" x="{px(x0 + 6)}" y="{y + 16}">{esc(label)}</text>'
                    )
            else:
                label = bottom_label(start, unit, x1 - x0)
                if label:
                    parts.append(
                        f'<text class="gantt-tier" x="{px((x0 + x1) / 2)}" y="{y + 16}"'
                        f' text-anchor="middle">{esc(label)}</text>'
                    )
    lines.append(f"M0 {TIER - 0.5}H{px(width)}M0 {HEADER - 0.5}H{px(width)}")
    parts.append(f'<path class="gantt-head-line" d="{"".join(lines)}"/>')
    x = _today_x(chart)
    if x is not None:
        parts.append(
            f'<polygon class="gantt-today-flag" points="{px(x - 5)},{HEADER - 6} {px(x + 5)},{HEADER - 6}'
            f' {px(x)},{HEADER}"><title>Today, {esc(date_label(chart.today))}</title></polygon>'
        )
    return "".join(parts)


def chart_body(chart: Chart, width: float, height: int) -> str:
    axis = chart.axis
    parts = [
        f"<defs>{arrow_marker('gantt-arrow', 'gantt-arrowhead')}"
        f"{arrow_marker('gantt-arrow-critical', 'gantt-arrowhead critical')}</defs>",
        f'<rect class="gantt-bg" width="{px(width)}" height="{height}"/>',
        _shading(axis, chart.working_time, height),
        _grid(axis, height),
        row_lines(len(chart.rows), width),
    ]
    places: dict[int, BarPlace] = {}
    bars, marks = [], []
    for index, row in enumerate(chart.rows):
        y = index * ROW
        bars.append(baseline_mark(row, axis, y))
        drawn = task_bar(row, axis, y)
        if drawn is not None:
            markup, place = drawn
            bars.append(markup)
            places[row.id] = place
        marks.append(
            constraint_mark(row, axis, y) + deadline_mark(row, axis, y) + criticality_mark(row, axis, y)
        )
    parts.append(link_paths(chart.links, places))
    parts.extend(bars)
    parts.append(f'<g class="gantt-marks">{"".join(marks)}</g>')
    parts.append(date_lines(chart, height))
    return "".join(parts)


def _shading(axis: Axis, working_time: WorkingTime, height: int) -> str:
    return "".join(
        f'<rect class="gantt-nonworking" x="{px(axis.x(first))}" y="0"'
        f' width="{px(axis.x(end) - axis.x(first))}" height="{height}"/>'
        for first, end in shaded_runs(axis, working_time)
    )


def _grid(axis: Axis, height: int) -> str:
    minor_unit = "week" if axis.zoom.bottom == "day" else axis.zoom.bottom
    majors = {start for start, _ in periods(axis.first, axis.end, axis.zoom.top)}
    minor: list[str] = []
    major: list[str] = []
    for start, _ in periods(axis.first, axis.end, minor_unit):
        if start > axis.first:
            (major if start in majors else minor).append(f"M{px(axis.x(start) - 0.5)} 0V{height}")
    return (f'<path class="gantt-grid" d="{"".join(minor)}"/>' if minor else "") + (
        f'<path class="gantt-grid major" d="{"".join(major)}"/>' if major else ""
    )


def date_lines(chart: Chart, height: int) -> str:
    axis, parts = chart.axis, []
    if chart.status_date is not None and axis.contains(chart.status_date):
        x = axis.x(chart.status_date + ONE_DAY)
        parts.append(
            f'<path class="gantt-status" d="M{px(x)} 0V{height}">'
            f"<title>Status date, {esc(date_label(chart.status_date))}</title></path>"
        )
    today = _today_x(chart)
    if today is not None:
        parts.append(
            f'<path class="gantt-today" d="M{px(today)} 0V{height}">'
            f"<title>Today, {esc(date_label(chart.today))}</title></path>"
        )
    return "".join(parts)


def _today_x(chart: Chart) -> float | None:
    """The middle of today's column, when today is on the chart."""
    if chart.today is None or not chart.axis.contains(chart.today):
        return None
    return chart.axis.x(chart.today) + chart.axis.zoom.px_per_day / 2
