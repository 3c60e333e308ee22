"""Baselines: setting one freezes each task's dates, duration and planned cost; variance reads
the stored schedule against it in working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from itpm.core.errors import Invalid
from itpm.core.lookup import one_visible
from itpm.planning.models import (
    Baseline,
    BaselineTask,
    Task,
)
from itpm.planning.services.stored_schedule import date_span, wbs_order
from itpm.planning.services.working_days import HOURS_PER_DAY, WorkingDays, project_working_days
from itpm.portfolio.models import Project
from itpm.portfolio.services import require, visible_projects

BASELINE_NAME_LENGTH = Baseline._meta.get_field("name").max_length or 100


def project_baselines(user: Any, project: Project) -> QuerySet[Baseline]:
    """A project's baselines, newest first; reading them is reading the whole plan."""
    require(user, "view_all_tasks", project)
    return project.baselines.select_related("created_by").order_by("-created_at", "-id")


def access_baseline(user: Any, baseline_id: int, action: str = "view_all_tasks") -> Baseline:
    """404 unless the baseline's project is visible; 403 if the caller may not do the action there."""
    baseline = one_visible(
        Baseline.objects.filter(project__in=visible_projects(user)).select_related(
            "project", "project__calendar", "created_by"
        ),
        baseline_id,
        "baseline",
    )
    require(user, action, baseline.project)
    return baseline


def check_set_baseline(user: Any, project: Project, name: str, created_by: Any = None) -> Baseline:
    require(user, "change_plan", project)
    name = name.strip()
    if not name:
        raise Invalid("name: a baseline needs a name", field="name")
    if len(name) > BASELINE_NAME_LENGTH:
        raise Invalid(f"name: at most {BASELINE_NAME_LENGTH} characters", field="name")
    if project.baselines.filter(name=name).exists():
        raise Invalid(f"name: baseline {name!r} already exists", field="name")
    return do_set_baseline(project, name, created_by)


def check_delete_baseline(user: Any, baseline: Baseline) -> None:
    require(user, "change_plan", baseline.project)
    baseline.delete()


@transaction.atomic
def do_set_baseline(project: Project, name: str, created_by: Any = None) -> Baseline:
    baseline = Baseline.objects.create(project=project, name=name, created_by=created_by)
    tasks = list(project.tasks.prefetch_related("assignments__resource").order_by("order", "id"))
    cost = planned_costs(tasks, project.calendar.hours_per_day if project.calendar else HOURS_PER_DAY)
    BaselineTask.objects.bulk_create(
        BaselineTask(
            baseline=baseline,
            task=task,
            wbs_code=task.wbs_code,
            name=task.name,
            start=task.start,
            finish=task.finish,
            duration_days=task.duration_days,
            cost=cost[task.pk],
        )
        for task in tasks
    )
    return baseline


def planned_costs(tasks: list[Task], hours_per_day: Decimal) -> dict[int, Decimal]:
    """Planned labour cost per task; a summary costs the sum of its children."""
    cost = {task.pk: _leaf_cost(task, hours_per_day) for task in tasks}
    for task in sorted(tasks, key=lambda t: -t.wbs_code.count(".")):  # deepest first
        if task.parent_id is not None and task.parent_id in cost:
            cost[task.parent_id] += cost[task.pk]
    return {pk: value.quantize(Decimal("0.01")) for pk, value in cost.items()}


def _leaf_cost(task: Task, hours_per_day: Decimal) -> Decimal:
    """Effort × rate, the effort shared between assignees in proportion to their units; without
    an effort, each assignee works the task's duration at its units."""
    if task.is_summary:
        return Decimal(0)
    assignments = list(task.assignments.all())
    units = sum((a.units for a in assignments), Decimal(0))
    if not units:
        return Decimal(0)
    hours = task.effort_hours if task.effort_hours is not None else task.duration_days * hours_per_day * units
    return sum((hours * a.units / units * a.resource.cost_rate for a in assignments), Decimal(0))


@dataclass(frozen=True)
class TaskRef:
    task_id: int | None
    wbs_code: str
    name: str
    start: dt.date | None
    finish: dt.date | None


@dataclass(frozen=True)
class TaskVariance:
    """One task now against its baseline copy; variances in working days, positive = later/longer."""

    task_id: int
    wbs_code: str
    name: str
    is_summary: bool
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    baseline_duration_days: Decimal
    duration_days: Decimal
    start_variance_days: int | None
    finish_variance_days: int | None
    duration_variance_days: Decimal


@dataclass(frozen=True)
class BaselineVariance:
    baseline: Baseline
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    start_variance_days: int | None
    finish_variance_days: int | None
    tasks: list[TaskVariance]
    added: list[TaskRef]  # tasks created since the baseline was set
    removed: list[TaskRef]  # tasks in the baseline that have since been deleted


def baseline_variance(user: Any, baseline: Baseline) -> BaselineVariance:
    """Compare the stored schedule with a baseline; reads stored dates, never reschedules."""
    require(user, "view_all_tasks", baseline.project)
    days = project_working_days(baseline.project)
    frozen = list(baseline.tasks.order_by("id"))
    current = wbs_order(list(baseline.project.tasks.all()))
    by_task = {row.task_id: row for row in frozen if row.task_id is not None}
    variances = [_task_variance(task, by_task[task.pk], days) for task in current if task.pk in by_task]
    added = [TaskRef(t.pk, t.wbs_code, t.name, t.start, t.finish) for t in current if t.pk not in by_task]
    removed = [TaskRef(None, r.wbs_code, r.name, r.start, r.finish) for r in frozen if r.task_id is None]
    span_then = date_span((r.start for r in frozen), (r.finish for r in frozen))
    span_now = date_span((t.start for t in current), (t.finish for t in current))
    return BaselineVariance(
        baseline=baseline,
        baseline_start=span_then[0],
        baseline_finish=span_then[1],
        start=span_now[0],
        finish=span_now[1],
        start_variance_days=days.between(span_then[0], span_now[0]),
        finish_variance_days=days.between(span_then[1], span_now[1]),
        tasks=variances,
        added=added,
        removed=removed,
    )


def _task_variance(task: Task, then: BaselineTask, days: WorkingDays) -> TaskVariance:
    # A summary's stored duration is not its length: compare the working days its dates span.
    if task.is_summary:
        duration, baseline_duration = days.span(task.start, task.finish), days.span(then.start, then.finish)
    else:
        duration, baseline_duration = task.duration_days, then.duration_days
    return TaskVariance(
        task_id=task.pk,
        wbs_code=task.wbs_code,
        name=task.name,
        is_summary=task.is_summary,
        baseline_start=then.start,
        baseline_finish=then.finish,
        start=task.start,
        finish=task.finish,
        baseline_duration_days=baseline_duration,
        duration_days=duration,
        start_variance_days=days.between(then.start, task.start),
        finish_variance_days=days.between(then.finish, task.finish),
        duration_variance_days=duration - baseline_duration,
    )
