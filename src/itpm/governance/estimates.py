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

from itpm.core.errors import NotFound
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
ROW_FIELDS = ("category", *TaskEstimate.FIELDS, "distribution")


@dataclass(frozen=True)
class EstimateRow:
    task: Task
    estimate: TaskEstimate | None

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


@dataclass(frozen=True)
class EstimateTable:
    project: Project
    role_label: str
    may_edit: bool
    rows: list[EstimateRow]
    default_range: str  # what a task without an estimate takes, in words

    @property
    def estimated(self) -> int:
        return sum(1 for row in self.rows if row.estimate is not None)


def _rows(project: Project) -> list[EstimateRow]:
    tasks = project.tasks.filter(is_summary=False, is_milestone=False).order_by("order", "id")
    estimates = {e.task_id: e for e in TaskEstimate.objects.filter(task__project=project)}
    return [EstimateRow(task, estimates.get(task.pk)) for task in tasks]


def estimate_table(user: Any, code: str) -> EstimateTable:
    project = access_project_by_code(user, code, "view_all_tasks")
    return EstimateTable(
        project=project,
        role_label=project_role_label(user, project),
        may_edit=can(user, "change_plan", project),
        rows=_rows(project),
        default_range=forecast_profile(project).get_uncertainty_display(),
    )


def estimate_row(user: Any, project: Project, task_id: int) -> EstimateRow:
    """One row of the table: a task of this project that takes time (404 otherwise)."""
    require(user, "view_all_tasks", project)
    task = project.tasks.filter(pk=task_id, is_summary=False, is_milestone=False).first()
    if task is None:
        raise NotFound("task")
    return EstimateRow(task, TaskEstimate.objects.filter(task=task).first())


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
        return EstimateRow(row.task, None)
    if row.estimate is None:
        return EstimateRow(row.task, check_create_estimate(user, {"task_id": row.task.pk, **fields}))
    return EstimateRow(row.task, check_update_estimate(user, row.estimate, fields))
