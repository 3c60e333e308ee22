"""The Gantt chart as SVG, built from plain rows: the WBS tree, bars, milestones, progress, baselines,
dependency arrows, the two-tier time scale, shaded non-working days and the today/status-date lines.

Pure: no Django, no database; dates in, markup out. Every text and attribute value is escaped here,
so the result goes into a page as it is. Colours come from CSS classes (the CSP allows no style
attributes). The chart is four SVGs that the page lays out in a grid, so the tree stays in place
while the time line scrolls sideways and both headers stay in place while the rows scroll;
`GanttSvg.standalone()` joins them into one picture for documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from itpm.web.timescale import (
    ONE_DAY,
    Axis,
    WorkingTime,
    bottom_label,
    periods,
    shaded_runs,
    top_label,
)

ROW = 28  # row height; every y below is relative to the row's top
TIER = 24  # height of one header tier
HEADER = 2 * TIER
BAR_Y, BAR_H = 6, 12
MID = BAR_Y + BAR_H // 2
PROGRESS_Y, PROGRESS_H = 9, 6
SUMMARY_Y, SUMMARY_H, SUMMARY_TIP = 7, 6, 12
BASELINE_Y, BASELINE_H = 20, 4
DIAMOND = 7  # half the milestone's width
MARK_TOP, MARK_BOTTOM, SERIF = 2, ROW - 4, 4  # the constraint bracket
START_CONSTRAINTS = frozenset({"SNET", "SNLT", "MSO"})  # the others hold the finish
GAP = 8  # how far a link arrow runs out of a bar before it turns
INDENT = 16
NAME_X = 64
NAME_W = 320
COLUMNS = (  # title, x of the text, anchor
    ("WBS", 12, "start"),
    ("Task name", NAME_X + 14, "start"),
    ("Duration", NAME_X + NAME_W + 58, "end"),
    ("Start", NAME_X + NAME_W + 74, "start"),
    ("Finish", NAME_X + NAME_W + 172, "start"),
)
TREE_W = NAME_X + NAME_W + 276
NAME_CHAR = 6.7  # average advance of a 12px sans-serif character (DejaVu, the widest); bold more
BOLD_CHAR = 7.4
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


@dataclass(frozen=True)
class Action:
    """A link in the chart: an address that works without JavaScript, and the HTMX request to use."""

    href: str
    label: str
    hx_get: str | None = None
    hx_target: str | None = None
    hx_swap: str | None = None
    push_url: bool = False


@dataclass(frozen=True)
class DateMark:
    """A dated constraint on a task: drawn as a bracket at its date, opening toward where the task
    may go (right for "no earlier than", left for "no later than", both ways for "must")."""

    kind: str  # SNET, SNLT, FNET, FNLT, MSO, MFO
    day: dt.date
    label: str  # for the tooltip: "Start no earlier than 2 Mar 2026"


@dataclass(frozen=True)
class Row:
    id: int
    wbs: str
    name: str
    start: dt.date | None
    finish: dt.date | None
    depth: int = 0
    duration: str = ""
    summary: bool = False
    milestone: bool = False
    critical: bool = False
    collapsed: bool = False
    percent: int = 0
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    edit: Action | None = None
    toggle: Action | None = None
    why: str = ""  # what sets the task's dates, in words
    constraint: DateMark | None = None
    deadline: dt.date | None = None
    criticality: float | None = None  # share of Monte Carlo runs on the critical path, if simulated

    @property
    def missed_deadline(self) -> bool:
        return self.deadline is not None and self.finish is not None and self.finish > self.deadline

    @property
    def scheduled(self) -> bool:
        return self.start is not None and self.finish is not None


@dataclass(frozen=True)
class Link:
    predecessor: int
    successor: int
    type: str = "FS"
    lag_days: str = ""  # as people write it: "+2d", "-1d"; empty for none


@dataclass(frozen=True)
class Chart:
    rows: Sequence[Row]
    links: Sequence[Link]
    axis: Axis
    working_time: WorkingTime = field(default_factory=WorkingTime)
    today: dt.date | None = None
    status_date: dt.date | None = None
    title: str = "Gantt chart"


@dataclass(frozen=True)
class GanttSvg:
    corner: str  # the tree's column titles
    timescale: str  # the two-tier time scale
    tree: str  # WBS code, name, duration, start and finish of each row
    chart: str  # bars, arrows and lines
    tree_width: int
    chart_width: int
    header_height: int
    body_height: int

    def standalone(self) -> str:
        """One SVG of the whole chart, for a PDF or a slide."""
        width, height = self.tree_width + self.chart_width, self.header_height + self.body_height
        place = (
            (0, 0, self.corner),
            (self.tree_width, 0, self.timescale),
            (0, self.header_height, self.tree),
            (self.tree_width, self.header_height, self.chart),
        )
        inner = "".join(part.replace("<svg ", f'<svg x="{x}" y="{y}" ', 1) for x, y, part in place)
        return f'<svg {SVG_NS} class="gantt-standalone" width="{width}" height="{height}">{inner}</svg>'


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    """A coordinate: whole pixels print without decimals, the rest with one."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def date_label(day: dt.date | None) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def _svg(css_class: str, width: float, height: float, body: str, label: str = "") -> str:
    aria = f' role="img" aria-label="{_e(label)}"' if label else ""
    return (
        f'<svg {SVG_NS} class="{css_class}" width="{_n(width)}" height="{_n(height)}"'
        f' viewBox="0 0 {_n(width)} {_n(height)}"{aria}>{body}</svg>'
    )


def _text(css_class: str, x: float, y: float, content: str, anchor: str = "") -> str:
    align = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}"{align}>{_e(content)}</text>'


def _marker(marker_id: str, css_class: str) -> str:
    """An arrowhead whose tip sits on the end of the path."""
    return (
        f'<marker id="{marker_id}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7"'
        f' markerUnits="userSpaceOnUse" orient="auto"><path class="{css_class}" d="M0 0L8 4L0 8z"/></marker>'
    )


def _anchor(action: Action, css_class: str, body: str) -> str:
    attrs = [f'href="{_e(action.href)}"', f'class="{css_class}"', f'aria-label="{_e(action.label)}"']
    for name, value in (
        ("hx-get", action.hx_get),
        ("hx-target", action.hx_target),
        ("hx-swap", action.hx_swap),
    ):
        if value:
            attrs.append(f'{name}="{_e(value)}"')
    if action.push_url:
        attrs.append('hx-push-url="true"')
    return f"<a {' '.join(attrs)}>{body}</a>"


def build(chart: Chart) -> GanttSvg:
    height = max(len(chart.rows), 1) * ROW
    width = chart.axis.width
    return GanttSvg(
        corner=_svg("gantt-corner", TREE_W, HEADER, _corner()),
        timescale=_svg("gantt-timescale", width, HEADER, _timescale(chart)),
        tree=_svg("gantt-tree", TREE_W, height, _tree(chart.rows, height), "Work breakdown"),
        chart=_svg("gantt-chart", width, height, _chart_body(chart, width, height), chart.title),
        tree_width=TREE_W,
        chart_width=round(width),
        header_height=HEADER,
        body_height=height,
    )


# ---- the tree -------------------------------------------------------------------------------------


def _corner() -> str:
    parts = [f'<rect class="gantt-head-bg" width="{TREE_W}" height="{HEADER}"/>']
    for title, x, anchor in COLUMNS:
        parts.append(
            f'<text class="gantt-col-title" x="{x}" y="{HEADER - 17}" text-anchor="{anchor}">{title}</text>'
        )
    parts.append(f'<path class="gantt-head-line" d="M0 {HEADER - 0.5}H{TREE_W}"/>')
    return "".join(parts)


def _truncate(text: str, width: float, bold: bool) -> str:
    limit = int(width / (BOLD_CHAR if bold else NAME_CHAR))
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _tree(rows: Sequence[Row], height: int) -> str:
    parts = [
        f'<rect class="gantt-tree-bg" width="{TREE_W}" height="{height}"/>',
        f'<clipPath id="gantt-name-clip"><rect x="{NAME_X}" y="0" width="{NAME_W}" height="{height}"/>'
        "</clipPath>",
        _row_lines(len(rows), TREE_W),
    ]
    parts.extend(_tree_row(row, index * ROW) for index, row in enumerate(rows))
    return "".join(parts)


def _row_lines(count: int, width: float) -> str:
    lines = "".join(f"M0 {index * ROW - 0.5}H{_n(width)}" for index in range(1, count + 1))
    return f'<path class="gantt-rowline" d="{lines}"/>' if lines else ""


def _tree_row(row: Row, y: int) -> str:
    classes = ["gantt-row"]
    if row.summary:
        classes.append("summary")
    if row.critical:
        classes.append("critical")
    indent = NAME_X + row.depth * INDENT
    name_x = indent + 14
    name = _truncate(row.name, NAME_X + NAME_W - name_x - 6, row.summary)
    text = (
        f'<text class="gantt-name" x="{name_x}" y="{y + 18}">{_e(name)}<title>{_e(row.name)}</title></text>'
    )
    if row.edit is not None:
        text = _anchor(row.edit, "gantt-edit", text)
    cells = [
        _text("gantt-wbs", 12, y + 18, row.wbs),
        f'<g clip-path="url(#gantt-name-clip)">{text}</g>',
        _text("gantt-cell", COLUMNS[2][1], y + 18, row.duration, "end"),
        _text("gantt-cell", COLUMNS[3][1], y + 18, date_label(row.start)),
        _text("gantt-cell", COLUMNS[4][1], y + 18, date_label(row.finish)),
    ]
    if row.summary and row.toggle is not None:
        cells.append(_toggle(row, indent, y))
    return f'<g class="{" ".join(classes)}" data-task="{row.id}">{"".join(cells)}</g>'


def _toggle(row: Row, x: int, y: int) -> str:
    """A triangle: pointing down when the summary is open, right when it is collapsed."""
    assert row.toggle is not None
    cx, cy = x + 5, y + MID + 1
    points = (
        f"{cx - 3},{cy - 5} {cx + 3},{cy} {cx - 3},{cy + 5}"
        if row.collapsed
        else f"{cx - 5},{cy - 3} {cx + 5},{cy - 3} {cx},{cy + 3}"
    )
    shape = (
        f'<rect class="gantt-hit" x="{cx - 8}" y="{y + 4}" width="16" height="{ROW - 8}" rx="3"/>'
        f'<polygon class="gantt-caret" points="{points}"/>'
    )
    state = "collapsed" if row.collapsed else "expanded"
    return _anchor(row.toggle, f"gantt-toggle {state}", shape)


# ---- the time scale -------------------------------------------------------------------------------


def _timescale(chart: Chart) -> str:
    axis = chart.axis
    width = axis.width
    parts = [f'<rect class="gantt-head-bg" width="{_n(width)}" height="{HEADER}"/>']
    lines = []
    for tier, unit in ((0, axis.zoom.top), (1, axis.zoom.bottom)):
        for start, end in periods(axis.first, axis.end, unit):
            x0, x1 = max(axis.x(start), 0.0), min(axis.x(end), width)
            y = tier * TIER
            lines.append(f"M{_n(x1) if x1 < width else _n(width)} {y}V{y + TIER}")
            if tier == 0:
                label = top_label(start, unit, x1 - x0)
                if label:
                    parts.append(
                        f'<text class="gantt-tier top" x="{_n(x0 + 6)}" y="{y + 16}">{_e(label)}</text>'
                    )
            else:
                label = bottom_label(start, unit, x1 - x0)
                if label:
                    parts.append(
                        f'<text class="gantt-tier" x="{_n((x0 + x1) / 2)}" y="{y + 16}"'
                        f' text-anchor="middle">{_e(label)}</text>'
                    )
    lines.append(f"M0 {TIER - 0.5}H{_n(width)}M0 {HEADER - 0.5}H{_n(width)}")
    parts.append(f'<path class="gantt-head-line" d="{"".join(lines)}"/>')
    if chart.today is not None and axis.contains(chart.today):
        x = axis.x(chart.today) + axis.zoom.px_per_day / 2
        parts.append(
            f'<polygon class="gantt-today-flag" points="{_n(x - 5)},{HEADER - 6} {_n(x + 5)},{HEADER - 6}'
            f' {_n(x)},{HEADER}"><title>Today, {_e(date_label(chart.today))}</title></polygon>'
        )
    return "".join(parts)


# ---- the chart body -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where a row's bar sits: its left and right edges and the y of its middle."""

    left: float
    right: float
    middle: float
    top: float
    milestone: bool
    critical: bool


def _chart_body(chart: Chart, width: float, height: int) -> str:
    axis = chart.axis
    parts = [
        f"<defs>{_marker('gantt-arrow', 'gantt-arrowhead')}"
        f"{_marker('gantt-arrow-critical', 'gantt-arrowhead critical')}</defs>",
        f'<rect class="gantt-bg" width="{_n(width)}" height="{height}"/>',
        _shading(axis, chart.working_time, height),
        _grid(axis, height),
        _row_lines(len(chart.rows), width),
    ]
    places: dict[int, _Place] = {}
    bars, marks = [], []
    for index, row in enumerate(chart.rows):
        y = index * ROW
        bars.append(_baseline(row, axis, y))
        drawn = _bar(row, axis, y)
        if drawn is not None:
            markup, place = drawn
            bars.append(markup)
            places[row.id] = place
        marks.append(
            _constraint_mark(row, axis, y) + _deadline_mark(row, axis, y) + _criticality_mark(row, axis, y)
        )
    parts.append(_links(chart.links, places))
    parts.extend(bars)
    parts.append(f'<g class="gantt-marks">{"".join(marks)}</g>')
    parts.append(_date_lines(chart, height))
    return "".join(parts)


def _shading(axis: Axis, working_time: WorkingTime, height: int) -> str:
    return "".join(
        f'<rect class="gantt-nonworking" x="{_n(axis.x(first))}" y="0"'
        f' width="{_n(axis.x(end) - axis.x(first))}" height="{height}"/>'
        for first, end in shaded_runs(axis, working_time)
    )


def _grid(axis: Axis, height: int) -> str:
    minor_unit = "week" if axis.zoom.bottom == "day" else axis.zoom.bottom
    majors = {start for start, _ in periods(axis.first, axis.end, axis.zoom.top)}
    minor: list[str] = []
    major: list[str] = []
    for start, _ in periods(axis.first, axis.end, minor_unit):
        if start > axis.first:
            (major if start in majors else minor).append(f"M{_n(axis.x(start) - 0.5)} 0V{height}")
    return (f'<path class="gantt-grid" d="{"".join(minor)}"/>' if minor else "") + (
        f'<path class="gantt-grid major" d="{"".join(major)}"/>' if major else ""
    )


def _span(axis: Axis, start: dt.date, finish: dt.date) -> tuple[float, float]:
    left, right = axis.x(start), axis.x(finish + ONE_DAY)
    return left, max(right, left + 2)


def _bar(row: Row, axis: Axis, y: int) -> tuple[str, _Place] | None:
    if row.start is None or row.finish is None:
        return None
    kinds = ["gantt-task"]
    if row.critical:
        kinds.append("critical")
    title = f"<title>{_e(_tooltip(row))}</title>"
    if row.milestone:
        cx = axis.x(row.finish + ONE_DAY)
        place = _Place(cx - DIAMOND, cx + DIAMOND, y + MID, y + MID - DIAMOND, True, row.critical)
        shape = (
            f'<path class="gantt-milestone" d="M{_n(cx)} {y + MID - DIAMOND}l{DIAMOND} {DIAMOND}'
            f'l-{DIAMOND} {DIAMOND}l-{DIAMOND} -{DIAMOND}z"/>'
            f'<text class="gantt-label" x="{_n(cx + DIAMOND + 5)}" y="{y + MID + 4}">'
            f"{_e(_short_date(row.finish))}</text>"
        )
        kinds.append("milestone")
    elif row.summary:
        left, right = _span(axis, row.start, row.finish)
        place = _Place(left, right, y + MID, y + SUMMARY_Y, False, row.critical)
        shape = _summary_shape(left, right, y)
        kinds.append("summary")
    else:
        left, right = _span(axis, row.start, row.finish)
        place = _Place(left, right, y + MID, y + BAR_Y, False, row.critical)
        done = (right - left) * max(0, min(row.percent, 100)) / 100
        shape = (
            f'<rect class="gantt-bar" x="{_n(left)}" y="{y + BAR_Y}" width="{_n(right - left)}"'
            f' height="{BAR_H}" rx="2"/>'
        )
        if done > 0:
            shape += (
                f'<rect class="gantt-progress" x="{_n(left)}" y="{y + PROGRESS_Y}" width="{_n(done)}"'
                f' height="{PROGRESS_H}" rx="1"/>'
            )
        if 0 < row.percent < 100:
            shape += f'<text class="gantt-label" x="{_n(right + 5)}" y="{y + MID + 4}">{row.percent}%</text>'
    markup = f'<g class="{" ".join(kinds)}" data-task="{row.id}">{title}{shape}</g>'
    return markup, place


def _summary_shape(left: float, right: float, y: int) -> str:
    """A bar with a tip hanging from each end, the way planners have drawn summaries for decades."""
    top, bottom = y + SUMMARY_Y, y + SUMMARY_Y + SUMMARY_H
    if right - left < 12:
        width = _n(right - left)
        return f'<rect class="gantt-summary" x="{_n(left)}" y="{top}" width="{width}" height="{SUMMARY_H}"/>'
    tip = y + SUMMARY_TIP + SUMMARY_Y - 2
    return (
        f'<path class="gantt-summary" d="M{_n(left)} {top}H{_n(right)}V{tip}L{_n(right - 5)} {bottom}'
        f'H{_n(left + 5)}L{_n(left)} {tip}z"/>'
    )


def _baseline(row: Row, axis: Axis, y: int) -> str:
    if row.baseline_start is None or row.baseline_finish is None:
        return ""
    if row.milestone:
        cx, cy = axis.x(row.baseline_finish + ONE_DAY), y + BASELINE_Y + 2
        return f'<path class="gantt-baseline" data-task="{row.id}" d="M{_n(cx)} {cy - 4}l4 4l-4 4l-4 -4z"/>'
    left, right = _span(axis, row.baseline_start, row.baseline_finish)
    return (
        f'<rect class="gantt-baseline" data-task="{row.id}" x="{_n(left)}" y="{y + BASELINE_Y}"'
        f' width="{_n(right - left)}" height="{BASELINE_H}"/>'
    )


def _constraint_mark(row: Row, axis: Axis, y: int) -> str:
    """A bracket at the constraint's date: at the start of its day for a start constraint, at the
    end for a finish constraint, so a bar held by it sits against the bracket."""
    mark = row.constraint
    if mark is None:
        return ""
    x = axis.x(mark.day) if mark.kind in START_CONSTRAINTS else axis.x(mark.day + ONE_DAY)
    top, bottom = y + MARK_TOP, y + MARK_BOTTOM
    if mark.kind in ("SNET", "FNET"):
        shape = f"M{_n(x + SERIF)} {top}H{_n(x)}V{bottom}H{_n(x + SERIF)}"
    elif mark.kind in ("SNLT", "FNLT"):
        shape = f"M{_n(x - SERIF)} {top}H{_n(x)}V{bottom}H{_n(x - SERIF)}"
    else:
        left, right = _n(x - SERIF), _n(x + SERIF)
        shape = f"M{left} {top}H{right}M{_n(x)} {top}V{bottom}M{left} {bottom}H{right}"
    return (
        f'<path class="gantt-constraint" data-task="{row.id}" data-kind="{_e(mark.kind)}" d="{shape}">'
        f"<title>{_e(mark.label)}</title></path>"
    )


def _deadline_mark(row: Row, axis: Axis, y: int) -> str:
    """A small downward arrow at the end of the deadline's day; red when the task finishes after it."""
    if row.deadline is None:
        return ""
    x = axis.x(row.deadline + ONE_DAY)
    shaft, head, top = 2, 5, y + 1
    points = (
        f"{_n(x - shaft)},{top} {_n(x + shaft)},{top} {_n(x + shaft)},{top + 5} {_n(x + head)},{top + 5}"
        f" {_n(x)},{top + 11} {_n(x - head)},{top + 5} {_n(x - shaft)},{top + 5}"
    )
    title = f"Deadline {date_label(row.deadline)}"
    css = "gantt-deadline"
    if row.missed_deadline:
        css += " missed"
        title += f": it finishes later, on {date_label(row.finish)}"
    return (
        f'<polygon class="{css}" data-task="{row.id}" points="{points}"><title>{_e(title)}</title></polygon>'
    )


CRITICALITY_SHOWN = 0.05  # below this share of runs a task is as good as never critical


def _criticality_mark(row: Row, axis: Axis, y: int) -> str:
    """A dot before the bar, by how often the task was critical in the last Monte Carlo run."""
    if row.criticality is None or row.criticality < CRITICALITY_SHOWN or row.summary or row.start is None:
        return ""
    level = "high" if row.criticality >= 0.8 else "mid" if row.criticality >= 0.3 else "low"
    x = axis.x(row.start) - (DIAMOND + 6 if row.milestone else 6)
    title = f"Critical in {row.criticality:.0%} of the simulated runs"
    return (
        f'<circle class="gantt-ci gantt-ci-{level}" cx="{_n(x)}" cy="{y + MID}" r="3.5">'
        f"<title>{_e(title)}</title></circle>"
    )


def _short_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _tooltip(row: Row) -> str:
    parts = [f"{row.wbs} {row.name}".strip()]
    if row.milestone:
        parts.append(date_label(row.finish))
    else:
        parts.append(f"{date_label(row.start)} – {date_label(row.finish)}")
        if row.duration:
            parts.append(row.duration)
        parts.append(f"{row.percent}% complete")
    if row.critical:
        parts.append("critical")
    if row.criticality is not None:
        parts.append(f"critical in {row.criticality:.0%} of simulated runs")
    text = " · ".join(parts)
    return f"{text}\n{row.why}" if row.why else text


# ---- links ----------------------------------------------------------------------------------------


def _links(links: Iterable[Link], places: dict[int, _Place]) -> str:
    paths = []
    for link in links:
        before, after = places.get(link.predecessor), places.get(link.successor)
        if before is None or after is None:
            continue
        critical = before.critical and after.critical
        css = "gantt-link critical" if critical else "gantt-link"
        marker = "gantt-arrow-critical" if critical else "gantt-arrow"
        label = f"{link.type}{link.lag_days}"
        paths.append(
            f'<path class="{css}" data-link="{link.predecessor}-{link.successor}"'
            f' d="{route(link.type, before, after)}" marker-end="url(#{marker})">'
            f"<title>{_e(label)}</title></path>"
        )
    return f'<g class="gantt-links">{"".join(paths)}</g>'


def route(kind: str, before: _Place, after: _Place) -> str:
    """An orthogonal path from the predecessor's start or finish to the successor's start or finish.

    Finish-to-start into a successor below that starts after the predecessor ends runs right and
    drops onto the successor's top, as MS Project draws it; other cases leave and enter the bars
    sideways, turning between the rows when the ends overlap."""
    if kind == "FS" and after.middle > before.middle:
        drop = _drop(before, after)
        if drop:
            return drop
    leaves_right = kind in ("FS", "FF")
    enters_left = kind in ("FS", "SS")
    xa, ya = (before.right, before.middle) if leaves_right else (before.left, before.middle)
    xb, yb = (after.left, after.middle) if enters_left else (after.right, after.middle)
    out = xa + GAP if leaves_right else xa - GAP
    into = xb - GAP if enters_left else xb + GAP
    low = max(out if leaves_right else -1e9, into if not enters_left else -1e9)
    high = min(out if not leaves_right else 1e9, into if enters_left else 1e9)
    if low <= high:
        turn = min(max(out, low), high)
        return f"M{_n(xa)} {_n(ya)}H{_n(turn)}V{_n(yb)}H{_n(xb)}"
    between = yb - ROW / 2 if yb > ya else yb + ROW / 2
    return f"M{_n(xa)} {_n(ya)}H{_n(out)}V{_n(between)}H{_n(into)}V{_n(yb)}H{_n(xb)}"


def _drop(before: _Place, after: _Place) -> str:
    """Right from the predecessor's finish, then down onto the successor's top; "" if it does not fit.

    From a milestone whose successor starts under the diamond, the line leaves the diamond's
    lower edge straight down."""
    target = (after.left + after.right) / 2 if after.milestone else after.left + 4
    if target >= before.right - 0.5:  # half a pixel: a diamond's centre is computed, not stored
        return f"M{_n(before.right)} {_n(before.middle)}H{_n(target)}V{_n(after.top)}"
    centre = (before.left + before.right) / 2
    if before.milestone and target >= centre - 0.5:
        edge = before.middle + DIAMOND - (target - centre)
        return f"M{_n(target)} {_n(edge)}V{_n(after.top)}"
    return ""


# ---- today and the status date --------------------------------------------------------------------


def _date_lines(chart: Chart, height: int) -> str:
    axis, parts = chart.axis, []
    if chart.status_date is not None and axis.contains(chart.status_date):
        x = axis.x(chart.status_date + ONE_DAY)
        parts.append(
            f'<path class="gantt-status" d="M{_n(x)} 0V{height}">'
            f"<title>Status date, {_e(date_label(chart.status_date))}</title></path>"
        )
    if chart.today is not None and axis.contains(chart.today):
        x = axis.x(chart.today) + axis.zoom.px_per_day / 2
        parts.append(
            f'<path class="gantt-today" d="M{_n(x)} 0V{height}">'
            f"<title>Today, {_e(date_label(chart.today))}</title></path>"
        )
    return "".join(parts)
