"""One page of a project's Gantt, and the task its inline editor opens, as the caller may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from itpm.core.errors import Forbidden, NotFound
from itpm.planning.services.baselines import project_baselines
from itpm.planning.services.gantt_reads import (
    LinkRow,
    OutlineEntry,
    assigned_task_ids,
    baseline_dates,
    baseline_span,
    driving_links,
    find_baseline,
    links_between,
    task_outline,
    task_predecessor_links,
    tasks_with_ids,
)
from itpm.planning.services.visibility import access_task
from itpm.planning.services.working_days import WorkingDays, project_working_days
from itpm.portfolio.models import Project
from itpm.portfolio.overview.project_page import schedule_issues
from itpm.portfolio.rules import can
from itpm.portfolio.services import (
    access_project_by_code,
)

# ---- the Gantt -----------------------------------------------------------------------------------

GANTT_ROWS_PER_PAGE = 200


@dataclass(frozen=True)
class GanttRequest:
    """What the page asks for: parsed from the address, so every view of the chart has a URL."""

    page: int = 1
    collapsed: frozenset[int] = frozenset()
    baseline_id: int | None = None


@dataclass(frozen=True)
class DrivingLink:
    """The link that sets a task's dates ("why does this start then?"), as the caller may see it."""

    predecessor: str  # "1.2 Solution design"; "" when the caller does not see the whole plan
    type: str  # FS, SS, FF, SF
    lag_days: Decimal | None  # None when the caller may not see the link itself
    on_summary: bool = False  # drawn into one of the task's summaries, which holds all under it


@dataclass(frozen=True)
class GanttLine:
    task: Any
    depth: int
    collapsed: bool
    editable: bool  # the caller may open the editor on this task
    baseline: tuple[dt.date | None, dt.date | None] | None
    driving: DrivingLink | None = None  # set when a link drives the task


@dataclass(frozen=True)
class GanttPlan:
    project: Project
    lines: list[GanttLine]  # the rows of this page, in outline order
    links: list[tuple[int, int, str, Decimal]]  # among this page's rows
    first: dt.date | None  # the span of every visible task (and the baseline), the same on each page
    last: dt.date | None
    working_days: WorkingDays
    today: dt.date
    status_date: dt.date | None
    baselines: list[Any]  # the ones the caller may pick from
    baseline: Any | None
    page: int
    pages: int
    first_row: int  # 1-based number of this page's first row
    total_rows: int
    collapsed: frozenset[int]  # the summaries that are collapsed (only those that exist)
    may_change_plan: bool
    partial_view: bool
    schedule_issues: list[dict[str, Any]] = field(default_factory=list)


def _shown(outline: list[OutlineEntry], collapsed: frozenset[int]) -> list[tuple[OutlineEntry, int]]:
    """The outline without the descendants of collapsed summaries, each entry with its depth."""
    depth: dict[int, int] = {}
    hidden: set[int] = set()
    shown = []
    for entry in outline:
        parent = entry.parent_id
        depth[entry.pk] = depth[parent] + 1 if parent in depth else 0
        if parent in hidden or (parent in depth and parent in collapsed):
            hidden.add(entry.pk)
            continue
        shown.append((entry, depth[entry.pk]))
    return shown


def _time_span(outline: list[OutlineEntry], extra: Iterable[dt.date | None]) -> tuple[Any, Any]:
    days = [day for entry in outline for day in (entry.start, entry.finish) if day is not None]
    days.extend(day for day in extra if day is not None)
    return (min(days), max(days)) if days else (None, None)


def _ancestors(pk: int, parents: dict[int, int | None]) -> list[int]:
    """The summaries above a task, nearest first."""
    chain: list[int] = []
    parent = parents.get(pk)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return chain


def driving_link(task: Any, links: Iterable[LinkRow], into: list[int], sees_plan: bool) -> DrivingLink | None:
    """The link from the task's driving predecessor into the task or, failing that, into the
    nearest of its summaries (`into`: the task, then its summaries, nearest first); of several,
    the one of the type the scheduler named."""
    if task.driver != "link" or task.driving_predecessor_id is None:
        return None
    label = str(task.driving_predecessor) if sees_plan and task.driving_predecessor else ""
    found: dict[int, list[tuple[str, Decimal]]] = {}
    for pred, succ, kind, lag in links:
        if pred == task.driving_predecessor_id:
            found.setdefault(succ, []).append((kind, lag))
    for place, successor in enumerate(into):
        if successor in found:
            kinds = found[successor]
            kind, lag = next((k for k in kinds if k[0] == task.driving_type), kinds[0])
            return DrivingLink(label, kind, lag if sees_plan else None, on_summary=place > 0)
    return DrivingLink(label, task.driving_type, None)


@dataclass(frozen=True)
class _Window:
    """The rows of the asked page, among the rows the collapsed summaries leave shown."""

    shown: list[tuple[OutlineEntry, int]]
    collapsed: frozenset[int]
    page: int
    pages: int

    @property
    def rows(self) -> list[tuple[OutlineEntry, int]]:
        return self.shown[(self.page - 1) * GANTT_ROWS_PER_PAGE : self.page * GANTT_ROWS_PER_PAGE]

    @property
    def ids(self) -> list[int]:
        return [entry.pk for entry, _ in self.rows]


def _window(outline: list[OutlineEntry], asked: GanttRequest) -> _Window:
    summaries = {entry.pk for entry in outline if entry.is_summary}
    collapsed = frozenset(asked.collapsed & summaries)
    shown = _shown(outline, collapsed)
    pages = max(1, -(-len(shown) // GANTT_ROWS_PER_PAGE))
    return _Window(shown, collapsed, min(max(asked.page, 1), pages), pages)


def project_gantt(user: Any, code: str, asked: GanttRequest) -> GanttPlan:
    """One page of the Gantt: a fixed number of queries however many tasks the project holds."""
    project = access_project_by_code(user, code)
    outline = task_outline(user, project)
    window = _window(outline, asked)
    baseline = find_baseline(user, project, asked.baseline_id)
    first, last = _time_span(outline, baseline_span(baseline) if baseline is not None else ())
    lines, links = _gantt_lines(user, project, outline, window, baseline)
    sees_plan = can(user, "view_all_tasks", project)
    return GanttPlan(
        project=project,
        lines=lines,
        links=links,
        first=first,
        last=last,
        working_days=project_working_days(project),
        today=timezone.localdate(),
        status_date=project.status_date,
        baselines=list(project_baselines(user, project)) if sees_plan else [],
        baseline=baseline,
        page=window.page,
        pages=window.pages,
        first_row=(window.page - 1) * GANTT_ROWS_PER_PAGE + 1,
        total_rows=len(window.shown),
        collapsed=window.collapsed,
        may_change_plan=can(user, "change_plan", project),
        partial_view=not sees_plan,
        schedule_issues=schedule_issues(user, project),
    )


def _gantt_lines(
    user: Any, project: Project, outline: list[OutlineEntry], window: _Window, baseline: Any | None
) -> tuple[list[GanttLine], list[LinkRow]]:
    """The page's rows, each with its baseline dates and driving link, and the links among them."""
    ids = window.ids
    tasks = tasks_with_ids(user, project, ids)
    frozen = baseline_dates(baseline, ids) if baseline is not None else {}
    may_change = can(user, "change_plan", project)
    own = set() if may_change else _own_tasks(user, project)
    sees_plan = can(user, "view_all_tasks", project)
    parents = {entry.pk: entry.parent_id for entry in outline}
    into = {pk: [pk, *_ancestors(pk, parents)] for pk in tasks}
    # The links drawn, and those that drive the rows (from anywhere in the plan), in one query.
    links = links_between(
        user,
        project,
        ids,
        also_from={t.driving_predecessor_id for t in tasks.values() if t.driving_predecessor_id},
        also_into={pk for chain in into.values() for pk in chain},
    )
    lines = [
        GanttLine(
            task=tasks[entry.pk],
            depth=depth,
            collapsed=entry.pk in window.collapsed,
            editable=may_change or entry.pk in own,
            baseline=frozen.get(entry.pk) if baseline is not None else None,
            driving=driving_link(tasks[entry.pk], links, into[entry.pk], sees_plan),
        )
        for entry, depth in window.rows
        if entry.pk in tasks
    ]
    shown_ids = set(ids)
    return lines, [link for link in links if link[0] in shown_ids and link[1] in shown_ids]


def _own_tasks(user: Any, project: Project) -> set[int]:
    """Tasks the caller may report progress on (its own), when its role allows reporting."""
    return assigned_task_ids(user, project) if can(user, "report_progress", project) else set()


@dataclass(frozen=True)
class TaskEditor:
    """What the Gantt's inline editor needs about one task, and what the caller may change on it."""

    project: Project
    task: Any
    predecessors: list[Any]  # links into the task
    may_change_plan: bool  # name, duration, dates, constraint and links; otherwise only progress
    driving: DrivingLink | None = None  # set when a link drives the task


def gantt_task_editor(user: Any, code: str, task_id: int) -> TaskEditor:
    """The task of this project, if the caller may edit it: the plan, or progress on its own task."""
    project = access_project_by_code(user, code)
    task = access_task(user, task_id)
    if task.project_id != project.pk:
        raise NotFound("task")
    may_change = can(user, "change_plan", project)
    if not may_change and task.pk not in _own_tasks(user, project):
        raise Forbidden(f"your role on {project.code} does not allow changing this task")
    predecessors = task_predecessor_links(user, task) if may_change else []
    driving = None
    if task.driver == "link":
        into = [task.pk, *([task.parent_id] if task.parent_id else [])]
        candidates = driving_links(user, task)
        into.extend(succ for _, succ, _, _ in candidates if succ not in into)  # further summaries
        driving = driving_link(task, candidates, into, can(user, "view_all_tasks", project))
    return TaskEditor(
        project=project, task=task, predecessors=predecessors, may_change_plan=may_change, driving=driving
    )
