"""Reference-class forecasting from the organisation's closed projects (engine.forecast).

For a project of a type, the closed projects of that type are its reference class; their
overruns (actual over planned) of duration and cost are read empirically, by quantiles: IT
projects have fat tails (Flyvbjerg & Budzier 2011), so never mean ± σ. The uplift for a
certainty (P80: four in five similar projects stayed within it) applied to the project's planned
duration and budget gives the date and budget a steering committee can hold with that certainty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from itpm.engine.forecast import PastProject, ReferenceClass, apply_uplift, forecast_finish, reference_class
from itpm.governance.models import ProjectOutcome, ProjectType
from itpm.governance.services import forecast_profile
from itpm.portfolio.models import Project

CERTAINTIES = (50, 80, 90)
QUANTILES = (10, 50, 80, 90)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Certainty:
    label: str
    level: int
    schedule_uplift: Decimal | None  # 0.35 for +35 %
    finish: dt.date | None
    cost_uplift: Decimal | None
    budget: Decimal | None


@dataclass(frozen=True)
class ReferenceForecast:
    project_type: str
    project_type_label: str
    schedule_count: int
    cost_count: int
    schedule_overruns: list[tuple[str, Decimal]]  # (P10, overrun) … ratio less one
    cost_overruns: list[tuple[str, Decimal]]
    certainties: list[Certainty]
    planned_finish: dt.date
    budget: Decimal | None
    note: str

    def at(self, label: str) -> Certainty | None:
        return next((c for c in self.certainties if c.label == label), None)


def past_projects(project_type: str | None = None) -> list[PastProject]:
    rows = ProjectOutcome.objects.all()
    if project_type is not None:
        rows = rows.filter(project_type=project_type)
    return [
        PastProject(
            id=str(row.pk),
            project_type=row.project_type,
            planned_duration=Decimal(row.planned_duration_days),
            actual_duration=Decimal(row.actual_duration_days),
            planned_cost=row.planned_cost if row.planned_cost else None,
            actual_cost=row.actual_cost,
            planned_scope=Decimal(100),
            actual_scope=row.scope_delivered_percent,
        )
        for row in rows
    ]


def reference_forecast(project: Project, with_cost: bool = True) -> ReferenceForecast:
    project_type = forecast_profile(project).project_type
    history = past_projects(project_type)
    duration = reference_class(history, "duration", project_type)
    cost = reference_class(history, "cost", project_type)
    budgets = apply_uplift(project.budget, cost, CERTAINTIES) if with_cost else {}
    certainties = [
        Certainty(
            label=f"P{level}",
            level=level,
            schedule_uplift=duration.uplift(level),
            finish=forecast_finish(project.planned_start, project.planned_finish, duration, level),
            cost_uplift=cost.uplift(level) if with_cost else None,
            budget=_cents(budgets.get(level)),
        )
        for level in CERTAINTIES
    ]
    return ReferenceForecast(
        project_type=project_type,
        project_type_label=ProjectType(project_type).label,
        schedule_count=duration.count,
        cost_count=cost.count if with_cost else 0,
        schedule_overruns=_overruns(duration),
        cost_overruns=_overruns(cost) if with_cost else [],
        certainties=certainties,
        planned_finish=project.planned_finish,
        budget=project.budget if with_cost else None,
        note=duration.note,
    )


def _overruns(reference: ReferenceClass) -> list[tuple[str, Decimal]]:
    if not reference.count:
        return []
    return [(f"P{level}", reference.uplift(level) or Decimal(0)) for level in QUANTILES]


def _cents(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)
