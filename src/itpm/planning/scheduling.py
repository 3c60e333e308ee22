"""do_schedule_project: load a project into the engine, run it once, write the results back in bulk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db import transaction

from itpm import engine
from itpm.planning.models import Calendar as CalendarRow
from itpm.planning.models import Dependency, Task
from itpm.portfolio.models import Project

# Engine time is integer: one unit is a hundredth of a working day, so durations and lags stored
# with two decimals convert exactly.
UNITS_PER_DAY = 100
HORIZON_DAYS = 366 * 3


@dataclass(frozen=True)
class ScheduleOutcome:
    finish: dt.date | None
    critical_path: list[int]
    error: str | None = None


def engine_calendar(row: CalendarRow | None) -> engine.Calendar:
    if row is None:
        return engine.Calendar(units_per_day=UNITS_PER_DAY)
    weekdays = frozenset(int(d) - 1 for d in row.working_week)
    holidays: set[dt.date] = set()
    for exception in row.exceptions.filter(working=False):
        day = exception.start
        while day <= exception.finish:
            holidays.add(day)
            day += dt.timedelta(days=1)
    return engine.Calendar(
        working_weekdays=weekdays, holidays=frozenset(holidays), units_per_day=UNITS_PER_DAY
    )


def _units(days: Decimal) -> int:
    return int((days * UNITS_PER_DAY).to_integral_value(rounding=ROUND_CEILING))


def _load(project: Project) -> tuple[list[Task], list[engine.Task], list[engine.Link]]:
    rows = list(project.tasks.order_by("order", "id"))
    tasks = [
        engine.Task(
            id=str(row.pk),
            name=row.name,
            duration=_units(row.duration_days),
            milestone=row.is_milestone,
            parent=str(row.parent_id) if row.parent_id else None,
        )
        for row in rows
    ]
    links = [
        engine.Link(
            predecessor=str(p), successor=str(s), type=t, lag=_units(lag) if lag >= 0 else -_units(-lag)
        )
        for p, s, t, lag in Dependency.objects.filter(project=project).values_list(
            "predecessor_id", "successor_id", "type", "lag_days"
        )
    ]
    return rows, tasks, links


def _dates(calendar: engine.WorkCalendar, start: int, finish: int) -> tuple[dt.date, dt.date]:
    """Calendar dates of a span; a zero-length span on a day boundary sits at the end of the day
    before, the way MS Project shows a milestone that follows a task on that task's finish date."""
    if start == finish and start > 0 and start % UNITS_PER_DAY == 0:
        day = calendar.to_date(start - 1)
        return day, day
    return calendar.to_date(start), calendar.finish_date(start, finish)


@transaction.atomic
def do_schedule_project(project: Project) -> ScheduleOutcome:
    """Compute dates, floats and the critical path; a cycle leaves stored dates as they were."""
    rows, tasks, links = _load(project)
    calendar = engine.WorkCalendar.build(
        engine_calendar(project.calendar), project.planned_start, HORIZON_DAYS
    )
    try:
        result = engine.schedule(tasks, links)
    except engine.EngineError as error:
        return ScheduleOutcome(finish=None, critical_path=[], error=f"{error.code}: {error.message}")
    for row in rows:
        timing = result.results[str(row.pk)]
        row.start, row.finish = _dates(calendar, timing.early_start, timing.early_finish)
        row.late_start, row.late_finish = _dates(calendar, timing.late_start, timing.late_finish)
        row.total_float_days = Decimal(timing.total_float) / UNITS_PER_DAY
        row.is_critical = timing.critical
    Task.objects.bulk_update(
        rows,
        ["start", "finish", "late_start", "late_finish", "total_float_days", "is_critical"],
        batch_size=500,
    )
    finish = calendar.finish_date(0, result.finish) if rows else None
    return ScheduleOutcome(finish=finish, critical_path=[int(t) for t in result.critical_path])
