"""Earned value and earned schedule of a project: the S-curve series, the indicators and the
per-phase and per-task table. The arithmetic is the engine's (itpm.engine.evm); this module
gathers the money (costs.py), lays it on status periods and names the result.

PV is the performance measurement baseline: the chosen planning baseline's dates (tasks added
since then keep their current dates), priced with today's assignments and rates; without a
baseline, the current schedule. EV and AC run to the status date (the project's, else today).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings

from itpm.core.errors import Invalid
from itpm.engine import evm
from itpm.finance.costs import Inputs, ProjectMoney, TaskMoney, project_money
from itpm.finance.inputs import collector_paused
from itpm.finance.periods import PERIODS, Cumulative, date_at, elapsed_periods, period_bounds
from itpm.finance.services import access_money_project, measurement_baseline
from itpm.portfolio.models import Project
from itpm.timesheets.services import approved_time

ZERO = Decimal(0)


@dataclass(frozen=True)
class Point:
    """Cumulative money at the end of a status period (or on the status date)."""

    day: dt.date
    pv: Decimal
    current: Decimal  # planned cost by the current schedule, when it differs from the baseline
    ev: Decimal | None  # None after the status date
    ac: Decimal | None


@dataclass(frozen=True)
class Row:
    """One line of the table: a phase (level 0) or one of its tasks (level 1)."""

    level: int
    wbs_code: str
    name: str
    percent_complete: int | None
    measures: evm.Measures

    @cached_property
    def indicators(self) -> evm.EarnedValue:
        """Worked out when read: a large plan's page shows its phases, not its 10,000 tasks."""
        return self.measures.earned_value()


@dataclass(frozen=True)
class EarnedValueReport:
    project: Project
    currency: str
    period: str
    status_date: dt.date
    baseline_name: str | None
    points: list[Point]
    indicators: evm.EarnedValue
    schedule: evm.EarnedSchedule | None
    planned_finish: dt.date | None  # when the baseline earns its last value
    forecast_finish: dt.date | None  # IEAC(t) as a date
    earned_date: dt.date | None  # ES as a date: when the baseline planned today's EV
    committed: Decimal
    bottom_up_etc: Decimal  # committed + the planned cost of the work not yet done
    rows: list[Row]
    missing_rates: list[str]


def earned_value_report(
    user: Any, project_id: int, period: str = "week", today: dt.date | None = None
) -> EarnedValueReport:
    project = access_money_project(user, project_id)
    if period not in PERIODS:
        raise Invalid(f"period: one of {', '.join(PERIODS)}, not {period!r}", field="period")
    return project_earned_value(project, period, today)


@collector_paused
def project_earned_value(
    project: Project, period: str = "week", today: dt.date | None = None
) -> EarnedValueReport:
    """The report for a project the caller has already been allowed to see."""
    inputs = Inputs.load(project, approved_time(project.pk))
    status_date = project.status_date or finished_on(inputs) or today or dt.date.today()
    baseline = measurement_baseline(project)
    current = project_money(project, status_date=status_date, inputs=inputs)
    plan = current
    if baseline is not None:
        rows = baseline.tasks.filter(task__isnull=False).values_list("task_id", "start", "finish")
        dates = {task_id: (start, finish) for task_id, start, finish in rows}
        plan = project_money(project, dates, status_date=status_date, inputs=inputs, same_as=current)
    return _report(project, period, plan, current, baseline.name if baseline else None)


def finished_on(inputs: Inputs) -> dt.date | None:
    """When every task is done, the day the last one finished: a finished project is measured
    then, not today (else its actual time would keep growing after it closed)."""
    tasks = inputs.tasks
    if not tasks or any(t.percent_complete < 100 for t in tasks):
        return None
    finishes = [t.actual_finish or t.finish for t in tasks]
    return max((day for day in finishes if day is not None), default=None)


def _report(
    project: Project, period: str, plan: ProjectMoney, current: ProjectMoney, baseline: str | None
) -> EarnedValueReport:
    pv, now = Cumulative(plan.planned()), Cumulative(current.planned())
    # EV is the measurement baseline's budget × progress, so it comes from the plan's pricing;
    # actual cost does not depend on planned dates. The current schedule only draws its curve.
    ev, ac = Cumulative(plan.earned()), Cumulative(plan.actual())
    status = plan.status_date
    bounds = _bounds(period, status, pv, now, ev, ac)
    points = _points(bounds, status, pv, now, ev, ac)
    indicators = evm.earned_value(pv.at(status), ev.at(status), ac.at(status), pv.at(bounds[-1]))
    clock = _schedule_bounds(period, pv, status)
    schedule = _schedule(clock, pv, ev.at(status), status) if clock else None
    return EarnedValueReport(
        project=project,
        currency=project.currency,
        period=period,
        status_date=status,
        baseline_name=baseline,
        points=points,
        indicators=indicators,
        schedule=schedule,
        planned_finish=pv.last_day(),
        forecast_finish=date_at(clock, schedule.ieac_t) if schedule and schedule.ieac_t else None,
        earned_date=date_at(clock, schedule.es) if schedule else None,
        committed=sum(current.committed_by_category.values(), ZERO),
        bottom_up_etc=_bottom_up_etc(current),
        rows=_rows(plan),
        missing_rates=sorted(f"{a}→{b}" for a, b in plan.missing_rates | current.missing_rates),
    )


def _bottom_up_etc(current: ProjectMoney) -> Decimal:
    """What is still to spend by the plan: open orders, purchases not yet ordered, and each
    task's planned cost not yet accrued (labour × (1 − % complete), fixed costs to come)."""
    tasks = sum((sum(t.remaining_by_category.values(), ZERO) for t in current.tasks.values()), ZERO)
    purchases = sum(current.purchases_to_order_by_category.values(), ZERO)
    return tasks + purchases + sum(current.committed_by_category.values(), ZERO)


def _bounds(period: str, status: dt.date, *curves: Cumulative) -> list[dt.date]:
    firsts = [day for curve in curves if (day := curve.first_day()) is not None]
    lasts = [day for curve in curves if (day := curve.last_day()) is not None]
    return period_bounds(min([*firsts, status]), max([*lasts, status]), period)


def _points(
    bounds: list[dt.date], status: dt.date, pv: Cumulative, now: Cumulative, ev: Cumulative, ac: Cumulative
) -> list[Point]:
    days = sorted({*bounds, status})
    return [
        Point(
            day=day,
            pv=pv.at(day),
            current=now.at(day),
            ev=ev.at(day) if day <= status else None,
            ac=ac.at(day) if day <= status else None,
        )
        for day in days
    ]


def _schedule_bounds(period: str, pv: Cumulative, status: dt.date) -> list[dt.date]:
    """Earned schedule counts periods from the baseline's start: empty before it starts."""
    first, last = pv.first_day(), pv.last_day()
    if first is None or last is None or status < first:
        return []
    return period_bounds(first, max(last, status), period)


def _schedule(
    bounds: list[dt.date], pv: Cumulative, earned: Decimal, status: dt.date
) -> evm.EarnedSchedule | None:
    """Earned schedule in status periods; None before the baseline plans any value."""
    cumulative = [pv.at(end) for end in bounds[1:]]
    elapsed = elapsed_periods(bounds, status)
    if not cumulative or cumulative[-1] == 0 or elapsed == 0:
        return None
    return evm.earned_schedule(cumulative, earned, elapsed)


def _task_measures(item: TaskMoney, status: dt.date) -> evm.Measures:
    def to_date(daily: dict[dt.date, Decimal]) -> Decimal:
        return sum((amount for day, amount in daily.items() if day <= status), ZERO)

    bac = item.bac
    # Planned money lies between the task's planned start and finish: a task done or not begun
    # by the status date needs no day-by-day look.
    if item.finish is not None and item.finish <= status:
        pv = bac
    elif item.start is not None and item.start > status:
        pv = ZERO
    else:
        pv = to_date(item.planned)
    return evm.Measures(pv=pv, ev=to_date(item.earned), ac=to_date(item.actual), bac=bac)


def _rows(plan: ProjectMoney) -> list[Row]:
    """Phases (in their order) with their tasks under them; tasks without a phase last."""
    groups: dict[Any, list[Row]] = {}
    for item in plan.tasks.values():
        task = item.task
        measures = _task_measures(item, plan.status_date)
        row = Row(1, task.wbs_code, task.name, task.percent_complete, measures)
        groups.setdefault(task.phase, []).append(row)
    rows: list[Row] = []
    for phase in sorted(groups, key=lambda p: (p is None, p.order if p else 0, p.pk if p else 0)):
        total = _phase_total([row.measures for row in groups[phase]])
        name = phase.name if phase is not None else "Tasks outside a phase"
        rows.append(Row(0, "", name, None, total))
        rows.extend(groups[phase])
    return rows


def _phase_total(measures: list[evm.Measures]) -> evm.Measures:
    """evm.roll_up's sums (tasks carry no bottom-up ETC), added field by field: one Measures, not
    one per task added."""

    def total(name: str) -> Decimal:
        return sum((getattr(m, name) for m in measures), ZERO)

    return evm.Measures(pv=total("pv"), ev=total("ev"), ac=total("ac"), bac=total("bac"))


def rag(index: Decimal | None, inverse: bool = False) -> str:
    """Green, amber or red for a performance index by ITPM_EVM_THRESHOLDS; "none" when undefined.
    With `inverse` (TCPI, where more is worse) the thresholds mirror around 1."""
    if index is None:
        return "none"
    green, amber = (Decimal(settings.ITPM_EVM_THRESHOLDS[k]) for k in ("green", "amber"))
    value = 2 - index if inverse else index
    return "green" if value >= green else "amber" if value >= amber else "red"
