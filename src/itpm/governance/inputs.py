"""A project as the Monte Carlo engine's input: the scheduler's own network, with a three-point
duration per task, the cost of each task and the quantified risks.

The network is loaded by planning's scheduler loader (planning.scheduling), so the simulation
runs what the Gantt shows: the same calendar, tasks, summaries, links and lags. The engine's
simulation is an unlevelled forward pass without constraints or progress, so progress is taken
in here: with a status date, each run starts at the end of that day; finished work takes no
more time, work under way only its remaining share, and work not started all of it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.utils import timezone

from itpm import engine
from itpm.engine.montecarlo import (
    DEFAULT_CATEGORY_RANGES,
    CorrelationGroup,
    RiskEvent,
    TaskCosts,
    ThreePoint,
    Uncertainty,
    task_uncertainty,
)
from itpm.governance.costs import PlannedCosts, planned_task_costs
from itpm.governance.models import ForecastProfile, Risk, RiskStatus, TaskEstimate
from itpm.governance.uncertainty import factors
from itpm.planning.models import Task
from itpm.planning.scheduling.dating import UNITS_PER_DAY, Dating, engine_calendar
from itpm.planning.scheduling.loading import PlanLinks, load_plan, plan_origin
from itpm.portfolio.models import Project


@dataclass(frozen=True)
class SimulationInputs:
    rows: list[Task]
    network: engine.NetworkArrays
    uncertainty: Uncertainty
    correlations: list[CorrelationGroup]
    risks: list[RiskEvent]
    risk_names: dict[str, str]
    costs: TaskCosts
    cost_source: str
    dating: Dating
    floor: int  # no work before this unit: the project start, or the end of the status date
    status_date: dt.date | None

    def date_of(self, unit: float) -> dt.date:
        """The last working day of work that ends at `unit`."""
        end = max(math.ceil(unit - 1e-9), self.floor)
        return self.dating.work.finish_date(self.floor, end)

    def unit_of(self, day: dt.date) -> int:
        """The end of `day`: work finished by then meets a deadline on it."""
        return self.dating.finish_unit(day)


def as_of(project: Project, rows: list[Task]) -> dt.date | None:
    """The day progress is reported to: the status date, else today when work has started."""
    if project.status_date is not None:
        return project.status_date
    started = any(row.actual_start or row.actual_finish or row.percent_complete for row in rows)
    return timezone.localdate() if started else None


def load_inputs(project: Project) -> SimulationInputs:
    rows = list(project.tasks.order_by("order", "id"))
    status_date = as_of(project, rows)
    calendar = engine_calendar(project.calendar)
    dating = Dating.from_origin(calendar, plan_origin(project, rows, status_date), project.planned_start)
    loaded = load_plan(project, dating, rows)
    planned = np.asarray(loaded.durations, dtype=np.float64)
    remaining = _remaining_shares(rows) if status_date else np.ones(len(rows))
    planned_costs = planned_task_costs(project)
    start = dating.start_unit(project.planned_start)
    floor = max(start, dating.finish_unit(status_date)) if status_date else start
    if status_date:
        loaded = replace(loaded, links=_lags_still_to_run(loaded.links, rows, dating, floor))
    profile = ForecastProfile.objects.filter(project=project).first() or ForecastProfile(project=project)
    estimates, categories = _estimates(project, rows)
    return SimulationInputs(
        rows=rows,
        network=loaded.network(),
        uncertainty=_uncertainty(profile, planned, remaining, estimates, categories),
        correlations=_correlations(profile, categories, remaining),
        risks=_risks(project, rows),
        risk_names={str(r.pk): r.title for r in Risk.objects.filter(project=project)},
        costs=_costs(rows, planned, remaining, planned_costs),
        cost_source=planned_costs.source,
        dating=dating,
        floor=floor,
        status_date=status_date,
    )


def _lags_still_to_run(links: PlanLinks, rows: list[Task], dating: Dating, floor: int) -> PlanLinks:
    """Finished work sits at the status date with no duration, so a lag after it counts only
    the part not yet run by then, and a lag into finished work none: it has run."""
    finished_at = [dating.finish_unit(row.actual_finish) if row.actual_finish else None for row in rows]
    lags = []
    for before, after, lag in zip(links.predecessor, links.successor, links.lag, strict=True):
        done = finished_at[before]
        if finished_at[after] is not None:
            lags.append(min(lag, 0))
        elif done is not None and lag > 0:
            lags.append(max(0, done + lag - floor))
        else:
            lags.append(lag)
    return PlanLinks(links.predecessor, links.successor, links.link_type, lags)


def _remaining_shares(rows: list[Task]) -> np.ndarray:
    """The share of each task's planned duration still to do at the status date."""
    shares = np.ones(len(rows))
    for place, row in enumerate(rows):
        if row.actual_finish is not None or row.percent_complete >= 100:
            shares[place] = 0.0
        elif row.remaining_days is not None and row.duration_days > 0:
            shares[place] = min(float(row.remaining_days / row.duration_days), 1.0)
        elif row.actual_start is not None or row.percent_complete:
            shares[place] = 1 - row.percent_complete / 100
    return shares


def category_ranges(uncertainty: str) -> dict[str, tuple[float, float]]:
    """The engine's table by kind of work (settings may override it: ITPM_CATEGORY_RANGES), and
    for tasks of no kind the project's own uncertainty class."""
    table = {**DEFAULT_CATEGORY_RANGES, **getattr(settings, "ITPM_CATEGORY_RANGES", {})}
    low, high = factors(uncertainty)
    return {**table, "default": (float(low), float(high))}


def _estimates(project: Project, rows: list[Task]) -> tuple[dict[int, ThreePoint], list[str | None]]:
    """Each task's own three points (by place), and each task's kind of work (None if not given)."""
    place = {row.pk: n for n, row in enumerate(rows)}
    estimates: dict[int, ThreePoint] = {}
    categories: list[str | None] = [None] * len(rows)
    for estimate in TaskEstimate.objects.filter(task__project=project, task__is_summary=False):
        task = place[estimate.task_id]
        categories[task] = estimate.category or None
        if estimate.has_three_points:
            values = (estimate.optimistic_days, estimate.most_likely_days, estimate.pessimistic_days)
            units = [float(value or 0) * UNITS_PER_DAY for value in values]
            estimates[task] = ThreePoint(units[0], units[1], units[2], distribution=estimate.distribution)
    return estimates, categories


def _uncertainty(
    profile: ForecastProfile,
    planned: np.ndarray,
    remaining: np.ndarray,
    estimates: dict[int, ThreePoint],
    categories: list[str | None],
) -> Uncertainty:
    ranges = category_ranges(profile.uncertainty)
    whole = task_uncertainty(planned, estimates, categories, ranges=ranges)
    return Uncertainty(whole.low * remaining, whole.mode * remaining, whole.high * remaining, whole.kind)


def _correlations(
    profile: ForecastProfile, categories: list[str | None], remaining: np.ndarray
) -> list[CorrelationGroup]:
    """One group per kind of work: the tasks of that kind still to do move together."""
    rho = float(profile.correlation)
    groups: dict[str, list[int]] = {}
    for task, category in enumerate(categories):
        if category is not None and remaining[task] > 0:
            groups.setdefault(category, []).append(task)
    if rho <= 0:
        return []
    return [CorrelationGroup(tuple(tasks), rho) for tasks in groups.values() if len(tasks) > 1]


def _costs(rows: list[Task], planned: np.ndarray, remaining: np.ndarray, costs: PlannedCosts) -> TaskCosts:
    """Labour grows with the duration still to do, at the planned cost per unit; what is done
    counts at its actual cost when the project books time (else at its planned cost), and fixed
    costs as they are. So an overrun to date carries into the cost at completion."""
    fixed: dict[int, Decimal] = {}
    rate: dict[int, Decimal] = {}
    for place, row in enumerate(rows):
        labour = costs.labour.get(row.pk, Decimal(0))
        spent_share = Decimal(repr(max(1 - float(remaining[place]), 0.0)))
        fixed[place] = costs.fixed.get(row.pk, Decimal(0))
        if labour and planned[place] > 0:
            rate[place] = labour / Decimal(repr(float(planned[place])))
            actual = costs.actual_labour
            fixed[place] += labour * spent_share if actual is None else actual.get(row.pk, Decimal(0))
        else:
            fixed[place] += labour
    if rows:  # purchases of the project as a whole: a cost whatever the durations
        fixed[0] += costs.project_fixed
    return TaskCosts.of(len(rows), fixed=fixed, rate_per_unit=rate)


def _risks(project: Project, rows: list[Task]) -> list[RiskEvent]:
    place = {row.pk: n for n, row in enumerate(rows)}
    events = []
    for risk in Risk.objects.filter(project=project, status=RiskStatus.OPEN).prefetch_related("tasks"):
        tasks = tuple(sorted(place[t.pk] for t in risk.tasks.all() if t.pk in place))
        delay = [float(getattr(risk, name)) * UNITS_PER_DAY for name in Risk.SCHEDULE]
        cost = tuple(getattr(risk, name) for name in Risk.COST)
        events.append(
            RiskEvent(
                id=str(risk.pk),
                probability=float(risk.probability),
                tasks=tasks,
                schedule_impact=ThreePoint(delay[0], delay[1], delay[2]) if tasks and delay[2] > 0 else None,
                cost_impact=cost if cost[2] > 0 else None,
                name=risk.title,
            )
        )
    return events
