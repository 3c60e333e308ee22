"""What a closing project planned and what it took, measured from its stored plan and progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from itpm.governance.costs import actual_cost
from itpm.planning.models import Task
from itpm.portfolio.models import Project

HUNDRED = Decimal(100)


def measured_outcome(project: Project, closed_on: dt.date | None = None) -> dict[str, Any]:
    """Planned duration from the approved dates; actual from the first actual start to the last
    actual finish (the closing day when work has no recorded finish); planned cost is the budget."""
    closed_on = closed_on or timezone.localdate()
    leaves = Task.objects.filter(project=project, is_summary=False)
    span = leaves.aggregate(first=Min("actual_start"), last=Max("actual_finish"))
    started = span["first"] or project.planned_start
    finished = span["last"] or closed_on
    return {
        "name": project.name,
        "planned_duration_days": _days(project.planned_start, project.planned_finish),
        "actual_duration_days": _days(started, max(finished, started)),
        "planned_cost": project.budget,
        "actual_cost": actual_cost(project),
        "currency": project.currency,
        "scope_delivered_percent": _scope_delivered(leaves),
        "closed_on": closed_on,
    }


def _days(first: dt.date, last: dt.date) -> int:
    """Calendar days from the first to the last day, both counted."""
    return (last - first).days + 1


def _scope_delivered(leaves: Any) -> Decimal:
    """Percent complete of the work tasks, weighted by planned duration (100 when nothing to do)."""
    total = done = Decimal(0)
    for duration, percent in leaves.values_list("duration_days", "percent_complete"):
        total += duration
        done += duration * percent
    return (done / total).quantize(Decimal("0.1")) if total else HUNDRED
