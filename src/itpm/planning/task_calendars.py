"""Which calendar each task works on, for do_schedule_project.

As in MS Project: a task with a calendar of its own works on it; a task without one, assigned
to resources that have calendars, works when all of its resources work (the intersection of
their calendars, a resource without one counting as the project's); any other task works on
the project calendar. Two resources that share no working weekday give a calendar nobody can
work on: the task then keeps the project calendar and the outcome says so.

Three queries whatever the project's size: the calendars the tasks name, the calendars of the
resources assigned to them, and those calendars' exceptions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from itpm import engine
from itpm.engine.timetable import Timetable, intersect_calendars, union_calendar
from itpm.planning.models import Calendar as CalendarRow
from itpm.planning.models import Task

ONE_DAY = dt.timedelta(days=1)


def engine_calendar(row: CalendarRow | None, units_per_day: int) -> engine.Calendar:
    """A stored calendar as the engine's: its working week and non-working exceptions."""
    if row is None:
        return engine.Calendar(units_per_day=units_per_day)
    weekdays = frozenset(int(d) - 1 for d in row.working_week)
    holidays: set[dt.date] = set()
    for exception in row.exceptions.all():
        if exception.working:
            continue
        day = exception.start
        while day <= exception.finish:
            holidays.add(day)
            day += ONE_DAY
    return engine.Calendar(
        working_weekdays=weekdays, holidays=frozenset(holidays), units_per_day=units_per_day
    )


@dataclass
class TaskCalendars:
    """The project calendar, and per task the name of the calendar it works on (None: the
    project's); `calendars` maps each name to the engine's calendar."""

    project: engine.Calendar
    names: list[str | None]
    calendars: dict[str, engine.Calendar] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # task pk, what went wrong

    @property
    def axis(self) -> engine.Calendar:
        """The calendar the engine's units count: the union of every calendar in use."""
        return union_calendar([self.project, *self.calendars.values()]) if self.calendars else self.project

    def timetable(self, origin: dt.date, horizon_days: int) -> Timetable | None:
        """None when every task works on the project calendar: the engine's common case."""
        if not self.calendars:
            return None
        return Timetable(self.project, self.calendars, origin, horizon_days)

    def task_calendar(self, timetable: Timetable | None) -> npt.NDArray[np.int64] | None:
        if timetable is None:
            return None
        number = {name: n for n, name in enumerate(timetable.names)}
        return np.array([-1 if name is None else number[name] for name in self.names], dtype=np.int64)


def task_calendars(
    project_calendar: CalendarRow | None, rows: list[Task], units_per_day: int
) -> TaskCalendars:
    project = engine_calendar(project_calendar, units_per_day)
    by_task = _resource_calendars(rows)
    wanted = {row.calendar_id for row in rows if row.calendar_id}
    wanted.update(c for calendars in by_task.values() for c in calendars if c is not None)
    stored = {row.pk: engine_calendar(row, units_per_day) for row in _calendar_rows(wanted)}
    result = TaskCalendars(project, [])
    project_id = project_calendar.pk if project_calendar else None
    for row in rows:
        result.names.append(_resolve(row, by_task.get(row.pk, []), stored, project_id, result))
    return result


def _calendar_rows(ids: Iterable[int]) -> list[CalendarRow]:
    ids = list(ids)
    return list(CalendarRow.objects.filter(pk__in=ids).prefetch_related("exceptions")) if ids else []


def _resource_calendars(rows: list[Task]) -> dict[int, list[int | None]]:
    """Per task without a calendar of its own, its resources' calendars (None: no calendar)."""
    pks = [row.pk for row in rows if not row.calendar_id]
    found: dict[int, list[int | None]] = defaultdict(list)
    if not pks:
        return found
    pairs = Task.objects.filter(pk__in=pks, assignments__isnull=False).values_list(
        "pk", "assignments__resource__calendar_id"
    )
    for task, calendar in pairs.order_by("pk", "assignments__id"):
        found[task].append(calendar)
    return found


def _resolve(
    row: Task,
    resources: list[int | None],
    stored: dict[int, engine.Calendar],
    project_id: int | None,
    result: TaskCalendars,
) -> str | None:
    """The name of the calendar `row` works on, added to `result.calendars`; None: the project's."""
    if row.calendar_id:
        if row.calendar_id == project_id:
            return None
        return _named(result, f"calendar {row.calendar_id}", stored[row.calendar_id])
    ids = sorted({0 if c is None or c == project_id else c for c in resources})  # 0: the project's
    if ids in ([], [0]):
        return None
    calendars = [stored[c] if c else result.project for c in ids]
    try:
        common = intersect_calendars(calendars)
    except engine.EngineError:
        result.problems.append(
            (row.pk, "its resources share no working day; scheduled on the project calendar")
        )
        return None
    return _named(result, "resources " + "+".join(map(str, ids)), common)


def _named(result: TaskCalendars, name: str, calendar: engine.Calendar) -> str | None:
    if calendar == result.project:
        return None
    result.calendars.setdefault(name, calendar)
    return name
