"""A project as read from itpm's native file: dated, on a calendar, in engine units of time.

Durations, lags and remaining work are already whole engine units (a hundredth of a working day,
as in the app); dates stay dates, since converting them needs the project's calendar.
`engine_input` lays the project out for `itpm.engine.schedule`: a date that starts something
(a start constraint, an actual start) becomes the first unit of that day; a date that ends
something (a finish constraint, a deadline, an actual finish, the status date, the project
finish) becomes the end of that day, which is the first unit of the next working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from itpm.engine.calendar import WorkCalendar
from itpm.engine.model import CONSTRAINT_TYPES, UNDATED_CONSTRAINTS, Calendar, Link, Task

__all__ = ["CONSTRAINT_TYPES", "UNDATED_CONSTRAINTS"]  # the file format takes the engine's

UNITS_PER_DAY = 100  # the app's resolution too: two decimals of a working day convert exactly
FINISH_CONSTRAINTS = frozenset({"FNET", "FNLT", "MFO"})  # their date is a finish; the others' a start
_NO_PLAN_OR_PROGRESS = (None,) * 6  # constraint .. remaining of a ProjectTask


@dataclass(frozen=True)
class Holiday:
    """Non-working days from `start` to `finish`, both included."""

    start: dt.date
    finish: dt.date
    name: str = ""

    def days(self) -> list[dt.date]:
        count = (self.finish - self.start).days + 1
        return [self.start + dt.timedelta(days=offset) for offset in range(count)]


@dataclass(frozen=True)
class ProjectCalendar:
    """Working weekdays (ISO: 1 is Monday, 7 Sunday), hours in a working day, holidays."""

    working_week: tuple[int, ...] = (1, 2, 3, 4, 5)
    hours_per_day: Decimal = Decimal(8)
    holidays: tuple[Holiday, ...] = ()

    def engine_calendar(self) -> Calendar:
        holidays = frozenset(day for holiday in self.holidays for day in holiday.days())
        weekdays = frozenset(day - 1 for day in self.working_week)
        return Calendar(working_weekdays=weekdays, holidays=holidays, units_per_day=UNITS_PER_DAY)


@dataclass(frozen=True)
class Constraint:
    """MS Project's constraint types: as soon/late as possible, start/finish no earlier/later
    than, must start/finish on. `date` is None for ASAP and ALAP."""

    type: str
    date: dt.date | None = None


class ProjectTask(NamedTuple):
    """A task as the file gives it. A named tuple, not a dataclass: large files make many."""

    id: str
    name: str = ""
    duration: int = 0  # engine units
    milestone: bool = False
    parent: str | None = None
    constraint: Constraint | None = None
    deadline: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    percent_complete: Decimal | None = None
    remaining: int | None = None  # engine units

    def engine_task(self, days: DayUnits) -> Task:
        if self[5:] == _NO_PLAN_OR_PROGRESS:  # most tasks: skip six look-ups
            return Task(self.id, self.duration, name=self.name, milestone=self.milestone, parent=self.parent)
        constraint, constraint_date = self.constraint or Constraint("ASAP"), None
        if constraint.date is not None:
            constraint_date = days.of(constraint.date, finish=constraint.type in FINISH_CONSTRAINTS)
        return Task(
            self.id,
            self.duration,
            name=self.name,
            milestone=self.milestone,
            parent=self.parent,
            constraint=constraint.type,
            constraint_date=constraint_date,
            deadline=days.end(self.deadline),
            actual_start=days.start(self.actual_start),
            actual_finish=days.end(self.actual_finish),
            remaining=self.remaining,
            percent_complete=float(self.percent_complete or 0),
        )


class ProjectLink(NamedTuple):
    predecessor: str
    successor: str
    type: str = "FS"
    lag: int = 0  # engine units; negative is a lead
    lag_percent: Decimal | None = None  # of the predecessor's duration, instead of `lag`

    def engine_link(self) -> Link:
        percent = None if self.lag_percent is None else float(self.lag_percent)
        return Link(self.predecessor, self.successor, self.type, self.lag, lag_percent=percent)


@dataclass(frozen=True)
class ProjectFile:
    """A project file's content. `finish` asks for backward scheduling from that date."""

    name: str
    start: dt.date
    calendar: ProjectCalendar
    tasks: tuple[ProjectTask, ...]
    links: tuple[ProjectLink, ...]
    finish: dt.date | None = None
    status_date: dt.date | None = None


@dataclass(frozen=True)
class DayUnits:
    """Dates as engine units on a laid-out calendar: a day's first unit, or the end of the day."""

    calendar: WorkCalendar

    def start(self, day: dt.date | None) -> int | None:
        return None if day is None else self.calendar.to_unit(day)

    def end(self, day: dt.date | None) -> int | None:
        return None if day is None else self.calendar.to_unit(day + dt.timedelta(days=1))

    def of(self, day: dt.date, finish: bool) -> int:
        return self.calendar.to_unit(day + dt.timedelta(days=1) if finish else day)


@dataclass(frozen=True)
class EngineInput:
    """The engine's view of a project: tasks, links, the options of `schedule`, and the
    calendar that maps units back to dates."""

    tasks: list[Task]
    links: list[Link]
    calendar: WorkCalendar
    status_unit: int | None = None
    project_finish_unit: int | None = None


def engine_input(project: ProjectFile, horizon_days: int = 730) -> EngineInput:
    """Tasks and links as engine dataclasses, and the project calendar laid out from the start."""
    calendar = WorkCalendar.build(project.calendar.engine_calendar(), project.start, horizon_days)
    days = DayUnits(calendar)
    tasks = [task.engine_task(days) for task in project.tasks]
    links = [
        Link(before, after, kind, lag) if percent is None else link.engine_link()
        for link in project.links
        for before, after, kind, lag, percent in (link,)
    ]
    return EngineInput(tasks, links, calendar, days.end(project.status_date), days.end(project.finish))
