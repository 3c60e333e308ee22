"""The reads behind the Gantt page: the outline, a window of tasks, their links and baselines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Max, Min, Q

from itpm.core.errors import Invalid
from itpm.planning.models import (
    Baseline,
    Dependency,
    Task,
)
from itpm.planning.services.stored_schedule import wbs_order
from itpm.planning.services.visibility import project_tasks, visible_dependencies
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can


class OutlineEntry(NamedTuple):
    """The little the Gantt needs about every visible task to lay out the tree and the time axis."""

    pk: int
    parent_id: int | None
    order: int
    is_summary: bool
    start: dt.date | None
    finish: dt.date | None


def task_outline(user: Any, project: Project) -> list[OutlineEntry]:
    """Every task the caller may see in the project, in outline order: one query of six columns."""
    rows = project_tasks(user, project).values_list(
        "pk", "parent_id", "order", "is_summary", "start", "finish"
    )
    return wbs_order([OutlineEntry(*row) for row in rows])


def tasks_with_ids(user: Any, project: Project, ids: Iterable[int]) -> dict[int, Task]:
    """The tasks, each with the task that drives it (joined: the page names it, in one query)."""
    tasks = project_tasks(user, project).filter(pk__in=list(ids)).select_related("driving_predecessor")
    return {task.pk: task for task in tasks}


LinkRow = tuple[int, int, str, Decimal]  # predecessor, successor, type, lag in working days


def links_between(
    user: Any,
    project: Project,
    ids: Iterable[int],
    also_from: Iterable[int] = (),
    also_into: Iterable[int] = (),
) -> list[LinkRow]:
    """(predecessor, successor, type, lag) of the visible links whose both ends are among `ids`;
    and, in the same query, those from any of `also_from` into any of `also_into` (the Gantt asks
    for the links that drive its rows: from their driving predecessors, wherever those are)."""
    wanted = list(ids)
    among = Q(predecessor_id__in=wanted, successor_id__in=wanted)
    sources, targets = list(also_from), list(also_into)
    if sources and targets:
        among |= Q(predecessor_id__in=sources, successor_id__in=targets)
    links = visible_dependencies(user).filter(among, project=project)
    return list(links.values_list("predecessor_id", "successor_id", "type", "lag_days"))


DateSpan = tuple[dt.date | None, dt.date | None]


def baseline_dates(baseline: Baseline, ids: Iterable[int]) -> dict[int, DateSpan]:
    rows = baseline.tasks.filter(task_id__in=list(ids)).values_list("task_id", "start", "finish")
    return {task_id: (start, finish) for task_id, start, finish in rows}


def baseline_span(baseline: Baseline) -> DateSpan:
    span = baseline.tasks.aggregate(start=Min("start"), finish=Max("finish"))
    return span["start"], span["finish"]


def find_baseline(user: Any, project: Project, baseline_id: int | None) -> Baseline | None:
    """The project's baseline with this id if the caller may read baselines; None otherwise."""
    if baseline_id is None or not can(user, "view_all_tasks", project):
        return None
    return project.baselines.filter(pk=baseline_id).first()


def assigned_task_ids(user: Any, project: Project) -> set[int]:
    """The caller's own tasks in the project (those it may report progress on)."""
    if not user.is_authenticated:
        return set()
    return set(
        Task.objects.filter(project=project, assignments__resource__user=user).values_list("pk", flat=True)
    )


def driving_links(user: Any, task: Task) -> list[LinkRow]:
    """The visible links from the task's driving predecessor into the task or one of its summaries
    (a link into a summary holds every task under it); found by the outline codes, in one query."""
    if task.driving_predecessor_id is None:
        return []
    code = task.wbs_code
    above = [code[:at] for at, char in enumerate(code) if char == "."]
    into = Q(successor_id=task.pk) | Q(successor_id=task.parent_id) | Q(successor__wbs_code__in=above)
    links = visible_dependencies(user).filter(
        into, project_id=task.project_id, predecessor_id=task.driving_predecessor_id
    )
    return list(links.values_list("predecessor_id", "successor_id", "type", "lag_days"))


def task_predecessor_links(user: Any, task: Task) -> list[Dependency]:
    return list(
        visible_dependencies(user).filter(successor=task).select_related("predecessor").order_by("id")
    )


def task_by_wbs_code(user: Any, project: Project, wbs_code: str, field: str) -> Task:
    """A visible task of the project by its outline code, for forms where people type codes."""
    task = project_tasks(user, project).filter(wbs_code=wbs_code.strip()).first()
    if task is None:
        raise Invalid(f"{field}: no task {wbs_code.strip()!r} in {project.code}", field=field)
    return task
