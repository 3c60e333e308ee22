"""The rows one money calculation reads, loaded once: the plan and the current schedule of one
project are then priced from the same rows.

Tasks and assignments come as light records (values_list), not model instances: an enterprise
plan has ten thousand tasks, and building as many Django models costs more than pricing them.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, ParamSpec, TypeVar

from itpm.finance.models import FixedCost, Purchase
from itpm.finance.rates import ExchangeTable, RateBook
from itpm.planning.models import Phase
from itpm.planning.services.working_days import WorkingDays, project_working_days
from itpm.portfolio.models import Project
from itpm.resources.models import Assignment

P = ParamSpec("P")
R = TypeVar("R")

TASK_FIELDS = (
    *("id", "phase_id", "wbs_code", "order", "name", "duration_days", "effort_hours"),
    *("percent_complete", "actual_start", "actual_finish", "start", "finish"),
)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """What money needs of one leaf task; `phase` is the Phase row itself (None outside one)."""

    pk: int
    phase_id: int | None
    wbs_code: str
    order: int
    name: str
    duration_days: Decimal
    effort_hours: Decimal | None
    percent_complete: int
    actual_start: dt.date | None
    actual_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    phase: Phase | None


class AssignmentRow(NamedTuple):
    task_id: int
    resource_id: int
    units: Decimal


@dataclass(frozen=True)
class Inputs:
    """Everything a calculation reads from the database."""

    project: Project
    tasks: list[TaskRow]
    assignments: list[AssignmentRow]
    fixed_costs: list[FixedCost]
    purchases: list[Purchase]
    approved: list[Any]
    working: WorkingDays
    rates: RateBook
    fx: ExchangeTable

    @classmethod
    def load(cls, project: Project, approved: list[Any] | None = None) -> Inputs:
        """`approved` is the approved time (itpm.timesheets.services.approved_time rows)."""
        assignments = [
            AssignmentRow(*row)
            for row in Assignment.objects.filter(task__project=project).values_list(
                "task_id", "resource_id", "units"
            )
        ]
        people = {a.resource_id for a in assignments} | {r.resource_id for r in approved or []}
        return cls(
            project=project,
            tasks=load_tasks(project),
            assignments=assignments,
            fixed_costs=list(FixedCost.objects.filter(task__project=project)),
            purchases=list(Purchase.objects.filter(project=project).order_by("date", "id")),
            approved=list(approved or []),
            working=project_working_days(project),
            rates=RateBook.load(people),
            fx=ExchangeTable.load(),
        )


def load_tasks(project: Project) -> list[TaskRow]:
    """The project's leaf tasks in plan order, each with its phase."""
    phases = {phase.pk: phase for phase in Phase.objects.filter(project=project)}
    rows = project.tasks.filter(is_summary=False).order_by("order", "id").values_list(*TASK_FIELDS)
    return [TaskRow(*row, phases.get(row[1])) for row in rows]  # type: ignore[arg-type,call-arg]


def collector_paused(calculation: Callable[P, R]) -> Callable[P, R]:
    """Run a money calculation with Python's cycle collector paused. Pricing a large plan makes
    hundreds of thousands of short-lived objects and no reference cycles (reference counting
    frees them all), while the collector, triggered by the allocations, would walk the whole
    heap again and again: about 40 % of the time on 10,000 tasks. It resumes when the sums are
    done, unless something else had paused it."""

    @functools.wraps(calculation)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return calculation(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused
