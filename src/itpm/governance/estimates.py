"""The estimates table of the Forecast page: each task that takes time, with its three-point
estimate (or kind of work) as the next Monte Carlo run will read it, and saving one row.

Who may do what is the estimates' rule (governance.services): whoever sees the whole plan reads
the table, whoever changes the plan saves a row. A row saved empty (no durations, no kind of
work) removes the task's estimate: the task then takes the project's default range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from itpm.core.errors import NotFound
from itpm.governance.inputs import category_ranges
from itpm.governance.models import Distribution, TaskCategory, TaskEstimate
from itpm.governance.services import (
    check_create_estimate,
    check_delete_estimate,
    check_update_estimate,
    forecast_profile,
)
from itpm.planning.models import Task
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project_by_code, project_role_label, require

CATEGORY_CHOICES = TaskCategory.choices
DISTRIBUTION_CHOICES = Distribution.choices
DEFAULT_DISTRIBUTION = Distribution.PERT.value
THREE_POINTS = TaskEstimate.FIELDS
ROW_FIELDS = ("category", *THREE_POINTS, "distribution")


@dataclass(frozen=True)
class EstimateRow:
    task: Task
    estimate: TaskEstimate | None
    # Without three points of its own: the range a run takes from the kind of work (or the
    # project's default), optimistic / most likely / pessimistic days.
    implied: tuple[str, str, str] | None = None

    @property
    def expected_days(self) -> Decimal | None:
        """The mean the run samples around: PERT (O + 4M + P) / 6, triangular (O + M + P) / 3."""
        e = self.estimate
        if e is None or not e.has_three_points:
            return None
        low, likely, high = e.optimistic_days, e.most_likely_days, e.pessimistic_days
        assert low is not None and likely is not None and high is not None
        if e.distribution == Distribution.PERT:
            return (low + 4 * likely + high) / 6
        return (low + likely + high) / 3


ROWS_PER_PAGE = 100  # a page of the table: editing thousands of rows at once helps no one


@dataclass(frozen=True)
class EstimateTable:
    project: Project
    role_label: str
    may_edit: bool
    rows: list[EstimateRow]  # this page's
    default_range: str  # what a task without an estimate takes, in words
    total: int  # tasks that take time, on every page
    estimated: int  # of those, the ones with an estimate of their own
    page: int = 1
    pages: int = 1


def _leaves(project: Project) -> QuerySet[Task]:
    return project.tasks.filter(is_summary=False, is_milestone=False)


def _rows(project: Project, tasks: list[Task]) -> list[EstimateRow]:
    estimates = {e.task_id: e for e in TaskEstimate.objects.filter(task__in=[t.pk for t in tasks])}
    ranges = _ranges(project)
    return [_row(task, estimates.get(task.pk), ranges) for task in tasks]


def _row(task: Task, estimate: TaskEstimate | None, ranges: Mapping[str, tuple[float, float]]) -> EstimateRow:
    if estimate is not None and estimate.has_three_points:
        return EstimateRow(task, estimate)
    low, high = ranges.get(estimate.category if estimate else "", ranges["default"])
    planned = Decimal(task.duration_days or 0)
    o, m, p = (_days(planned * Decimal(str(factor))) for factor in (low, 1, high))
    return EstimateRow(task, estimate, (o, m, p))


def _days(value: Decimal) -> str:
    """9.5, 10 or 11.5: working days to a tenth, as the table shows them."""
    return format(value.quantize(Decimal("0.1")).normalize(), "f")


def estimate_table(user: Any, code: str, page: int = 1) -> EstimateTable:
    """The table's page `page` (the last one when beyond it), in plan order."""
    project = access_project_by_code(user, code, "view_all_tasks")
    leaves = _leaves(project)
    total = leaves.count()
    pages = max(1, -(-total // ROWS_PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * ROWS_PER_PAGE
    tasks = list(leaves.order_by("order", "id")[start : start + ROWS_PER_PAGE])
    return EstimateTable(
        project=project,
        role_label=project_role_label(user, project),
        may_edit=can(user, "change_plan", project),
        rows=_rows(project, tasks),
        default_range=forecast_profile(project).get_uncertainty_display(),
        total=total,
        estimated=TaskEstimate.objects.filter(task__in=leaves).count(),
        page=page,
        pages=pages,
    )


def estimate_row(user: Any, project: Project, task_id: int) -> EstimateRow:
    """One row of the table: a task of this project that takes time (404 otherwise)."""
    require(user, "view_all_tasks", project)
    task = _leaves(project).filter(pk=task_id).first()
    if task is None:
        raise NotFound("task")
    return _row(task, TaskEstimate.objects.filter(task=task).first(), _ranges(project))


def _ranges(project: Project) -> dict[str, tuple[float, float]]:
    return category_ranges(forecast_profile(project).uncertainty)


def _is_empty(data: Mapping[str, Any]) -> bool:
    return not data.get("category") and all(data.get(name) is None for name in TaskEstimate.FIELDS)


def check_save_row(user: Any, row: EstimateRow, data: Mapping[str, Any]) -> EstimateRow:
    """Create, change or (saved empty) remove the task's estimate; the services validate."""
    fields = {name: data.get(name) for name in ROW_FIELDS}
    fields["category"] = fields["category"] or ""
    fields["distribution"] = fields["distribution"] or Distribution.PERT
    if _is_empty(fields):
        if row.estimate is not None:
            check_delete_estimate(user, row.estimate)
        else:
            require(user, "change_plan", row.task.project)
        saved = None
    elif row.estimate is None:
        saved = check_create_estimate(user, {"task_id": row.task.pk, **fields})
    else:
        saved = check_update_estimate(user, row.estimate, fields)
    return _row(row.task, saved, _ranges(row.task.project))
