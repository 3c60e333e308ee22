"""Bars, milestones, summaries, baselines and the marks beside them (constraint, deadline,
criticality), each with its tooltip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from itpm.web.gantt.model import Row
from itpm.web.gantt.svg import (
    BAR_H,
    BAR_Y,
    BASELINE_H,
    BASELINE_Y,
    DIAMOND,
    MARK_BOTTOM,
    MARK_TOP,
    MID,
    MONTHS,
    PROGRESS_H,
    PROGRESS_Y,
    SERIF,
    START_CONSTRAINTS,
    SUMMARY_H,
    SUMMARY_TIP,
    SUMMARY_Y,
    date_label,
    esc,
    px,
)
from itpm.web.timescale import (
    ONE_DAY,
    Axis,
)


@dataclass(frozen=True)
class BarPlace:
    """Where a row's bar sits: its left and right edges and the y of its middle."""

    left: float
    right: float
    middle: float
    top: float
    milestone: bool
    critical: bool


def _span(axis: Axis, start: dt.date, finish: dt.date) -> tuple[float, float]:
    left, right = axis.x(start), axis.x(finish + ONE_DAY)
    return left, max(right, left + 2)


def task_bar(row: Row, axis: Axis, y: int) -> tuple[str, BarPlace] | None:
    if row.start is None or row.finish is None:
        return None
    kinds = ["gantt-task"]
    if row.critical:
        kinds.append("critical")
    title = f"<title>{esc(_tooltip(row))}</title>"
    if row.milestone:
        cx = axis.x(row.finish + ONE_DAY)
        place = BarPlace(cx - DIAMOND, cx + DIAMOND, y + MID, y + MID - DIAMOND, True, row.critical)
        shape = (
            f'<path class="gantt-milestone" d="M{px(cx)} {y + MID - DIAMOND}l{DIAMOND} {DIAMOND}'
            f'l-{DIAMOND} {DIAMOND}l-{DIAMOND} -{DIAMOND}z"/>'
            f'<text class="gantt-label" x="{px(cx + DIAMOND + 5)}" y="{y + MID + 4}">'
            f"{esc(_short_date(row.finish))}</text>"
        )
        kinds.append("milestone")
    elif row.summary:
        left, right = _span(axis, row.start, row.finish)
        place = BarPlace(left, right, y + MID, y + SUMMARY_Y, False, row.critical)
        shape = _summary_shape(left, right, y)
        kinds.append("summary")
    else:
        left, right = _span(axis, row.start, row.finish)
        place = BarPlace(left, right, y + MID, y + BAR_Y, False, row.critical)
        done = (right - left) * max(0, min(row.percent, 100)) / 100
        shape = (
            f'<rect class="gantt-bar" x="{px(left)}" y="{y + BAR_Y}" width="{px(right - left)}"'
            f' height="{BAR_H}" rx="2"/>'
        )
        if done > 0:
            shape += (
                f'<rect class="gantt-progress" x="{px(left)}" y="{y + PROGRESS_Y}" width="{px(done)}"'
                f' height="{PROGRESS_H}" rx="1"/>'
            )
        if 0 < row.percent < 100:
            shape += f'<text class="gantt-label" x="{px(right + 5)}" y="{y + MID + 4}">{row.percent}%</text>'
    markup = f'<g class="{" ".join(kinds)}" data-task="{row.id}">{title}{shape}</g>'
    return markup, place


def _summary_shape(left: float, right: float, y: int) -> str:
    """A bar with a tip hanging from each end, the way planners have drawn summaries for decades."""
    top, bottom = y + SUMMARY_Y, y + SUMMARY_Y + SUMMARY_H
    if right - left < 12:
        width = px(right - left)
        return f'<rect class="gantt-summary" x="{px(left)}" y="{top}" width="{width}" height="{SUMMARY_H}"/>'
    tip = y + SUMMARY_TIP + SUMMARY_Y - 2
    return (
        f'<path class="gantt-summary" d="M{px(left)} {top}H{px(right)}V{tip}L{px(right - 5)} {bottom}'
        f'H{px(left + 5)}L{px(left)} {tip}z"/>'
    )


def baseline_mark(row: Row, axis: Axis, y: int) -> str:
    if row.baseline_start is None or row.baseline_finish is None:
        return ""
    if row.milestone:
        cx, cy = axis.x(row.baseline_finish + ONE_DAY), y + BASELINE_Y + 2
        return f'<path class="gantt-baseline" data-task="{row.id}" d="M{px(cx)} {cy - 4}l4 4l-4 4l-4 -4z"/>'
    left, right = _span(axis, row.baseline_start, row.baseline_finish)
    return (
        f'<rect class="gantt-baseline" data-task="{row.id}" x="{px(left)}" y="{y + BASELINE_Y}"'
        f' width="{px(right - left)}" height="{BASELINE_H}"/>'
    )


def constraint_mark(row: Row, axis: Axis, y: int) -> str:
    """A bracket at the constraint's date: at the start of its day for a start constraint, at the
    end for a finish constraint, so a bar held by it sits against the bracket."""
    mark = row.constraint
    if mark is None:
        return ""
    x = axis.x(mark.day) if mark.kind in START_CONSTRAINTS else axis.x(mark.day + ONE_DAY)
    top, bottom = y + MARK_TOP, y + MARK_BOTTOM
    if mark.kind in ("SNET", "FNET"):
        shape = f"M{px(x + SERIF)} {top}H{px(x)}V{bottom}H{px(x + SERIF)}"
    elif mark.kind in ("SNLT", "FNLT"):
        shape = f"M{px(x - SERIF)} {top}H{px(x)}V{bottom}H{px(x - SERIF)}"
    else:
        left, right = px(x - SERIF), px(x + SERIF)
        shape = f"M{left} {top}H{right}M{px(x)} {top}V{bottom}M{left} {bottom}H{right}"
    return (
        f'<path class="gantt-constraint" data-task="{row.id}" data-kind="{esc(mark.kind)}" d="{shape}">'
        f"<title>{esc(mark.label)}</title></path>"
    )


def deadline_mark(row: Row, axis: Axis, y: int) -> str:
    """A small downward arrow at the end of the deadline's day; red when the task finishes after it."""
    if row.deadline is None:
        return ""
    x = axis.x(row.deadline + ONE_DAY)
    shaft, head, top = 2, 5, y + 1
    points = (
        f"{px(x - shaft)},{top} {px(x + shaft)},{top} {px(x + shaft)},{top + 5} {px(x + head)},{top + 5}"
        f" {px(x)},{top + 11} {px(x - head)},{top + 5} {px(x - shaft)},{top + 5}"
    )
    title = f"Deadline {date_label(row.deadline)}"
    css = "gantt-deadline"
    if row.missed_deadline:
        css += " missed"
        title += f": it finishes later, on {date_label(row.finish)}"
    return (
        f'<polygon class="{css}" data-task="{row.id}" points="{points}"><title>{esc(title)}</title></polygon>'
    )


CRITICALITY_SHOWN = 0.05  # below this share of runs a task is as good as never critical


def criticality_mark(row: Row, axis: Axis, y: int) -> str:
    """A dot before the bar, by how often the task was critical in the last Monte Carlo run."""
    if row.criticality is None or row.criticality < CRITICALITY_SHOWN or row.summary or row.start is None:
        return ""
    level = "high" if row.criticality >= 0.8 else "mid" if row.criticality >= 0.3 else "low"
    x = axis.x(row.start) - (DIAMOND + 6 if row.milestone else 6)
    title = f"Critical in {row.criticality:.0%} of the simulated runs"
    return (
        f'<circle class="gantt-ci gantt-ci-{level}" cx="{px(x)}" cy="{y + MID}" r="3.5">'
        f"<title>{esc(title)}</title></circle>"
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
