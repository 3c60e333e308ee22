"""The levelled plan as a Gantt (web/gantt/): bars at the levelled dates, the stored plan drawn
as the baseline under them, so every move shows as a bar that left its grey shadow behind.
Summaries span their children's levelled dates. Each bar's tooltip says why it moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from itpm.planning.services.working_days import project_working_days
from itpm.resources.levelling import Move, Preview
from itpm.web.gantt.chart import build
from itpm.web.gantt.model import Chart, Row
from itpm.web.gantt_page import plain
from itpm.web.timescale import ZOOMS, WorkingTime, axis_for

MIN_WIDTH = 900


def why_moved(move: Move) -> str:
    if move.reasons:
        parts = []
        for reason in move.reasons:
            names = ", ".join(c.name for c in reason.competitors[:3])
            more = f" and {len(reason.competitors) - 3} more" if len(reason.competitors) > 3 else ""
            parts.append(f"{reason.resource} is busy on {names}{more}")
        return f"Waits {move.delay_days} working day{'s' if move.delay_days != 1 else ''}: " + "; ".join(
            parts
        )
    if move.follows:
        return f"Follows {move.follows}, which moved"
    if move.shift_days < 0:
        return "Starts earlier: the resources it waited for are free sooner"
    return "Moves with the levelled plan"


def _depths(tasks: list[Any]) -> dict[int, int]:
    parent = {t.pk: t.parent_id for t in tasks}
    depth: dict[int, int] = {}
    for task in tasks:
        level, up = 0, task.parent_id
        while up in parent and level < 20:
            level, up = level + 1, parent[up]
        depth[task.pk] = level
    return depth


def _summary_spans(
    tasks: list[Any], dates: Mapping[int, tuple[dt.date, dt.date]]
) -> dict[int, tuple[dt.date, dt.date]]:
    """Each summary's levelled span: its descendants' earliest start and latest finish."""
    spans = dict(dates)
    children: dict[int, list[int]] = {}
    for task in tasks:
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task.pk)

    def span(pk: int) -> tuple[dt.date, dt.date] | None:
        if pk in spans:
            return spans[pk]
        inner = [s for child in children.get(pk, []) if (s := span(child)) is not None]
        if not inner:
            return None
        spans[pk] = (min(s[0] for s in inner), max(s[1] for s in inner))
        return spans[pk]

    for task in tasks:
        span(task.pk)
    return spans


def _rows(tasks: list[Any], preview: Preview, only_moved: bool) -> list[Row]:
    moves = {m.task_id: m for m in preview.moves}
    spans = _summary_spans(tasks, preview.starts)
    depth = _depths(tasks)
    rows = []
    for task in tasks:
        move = moves.get(task.pk)
        if only_moved and move is None:
            continue
        start, finish = spans.get(task.pk, (task.start, task.finish))
        rows.append(
            Row(
                id=task.pk,
                wbs=task.wbs_code,
                name=task.name,
                start=start,
                finish=finish,
                depth=0 if only_moved else depth[task.pk],
                duration=f"{plain(task.duration_days)} d",
                summary=task.is_summary,
                milestone=task.is_milestone,
                critical=bool(move and move.shift_days > 0),
                baseline_start=task.start,
                baseline_finish=task.finish,
                why=why_moved(move) if move else "Not moved by levelling",
            )
        )
    return rows


def levelled_gantt(
    project: Any, tasks: list[Any], preview: Preview, only_moved: bool, today: dt.date
) -> dict[str, Any]:
    rows = _rows(tasks, preview, only_moved)
    dated = [d for r in rows for d in (r.start, r.finish, r.baseline_start, r.baseline_finish) if d]
    first, last = (min(dated), max(dated)) if dated else (today, today)
    days = project_working_days(project)
    chart = Chart(
        rows=rows,
        links=[],
        axis=axis_for(first, last, ZOOMS["weeks"], min_width=MIN_WIDTH),
        working_time=WorkingTime(days.weekdays, days.days_off, days.extra_days),
        today=today,
        title=f"Levelled plan of {project.code}",
    )
    svg = build(chart)
    # The builder escapes every text and attribute value it writes.
    parts: dict[str, SafeString] = {
        name: mark_safe(getattr(svg, name))  # noqa: S308
        for name in ("corner", "timescale", "tree", "chart")
    }
    return {"svg": parts, "rows": len(rows)}
