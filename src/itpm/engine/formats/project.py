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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple, overload

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import TOP_LEVEL, NetworkArrays, TaskExtras
from itpm.engine.calendar import WorkCalendar
from itpm.engine.formats.values import UNITS_PER_DAY  # the app's resolution too
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES, UNDATED_CONSTRAINTS, Calendar, Link, Task
from itpm.engine.objects import task_extras
from itpm.engine.timetable import Timetable

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

__all__ = ["CONSTRAINT_TYPES", "UNDATED_CONSTRAINTS", "UNITS_PER_DAY"]  # the file format takes the engine's

FINISH_CONSTRAINTS = frozenset({"FNET", "FNLT", "MFO"})  # their date is a finish; the others' a start
_NO_PLAN_OR_PROGRESS = (None,) * 6  # constraint .. remaining of a ProjectTask
_PLAN_AND_PROGRESS = slice(5, 11)  # where those six fields are


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
    calendar: str | None = None  # a key of ProjectFile.calendars; None: the project calendar

    def engine_task(self, days: DayUnits) -> Task:
        plain = Task(
            self.id,
            self.duration,
            name=self.name,
            milestone=self.milestone,
            parent=self.parent,
            calendar=self.calendar,
        )
        if self[_PLAN_AND_PROGRESS] == _NO_PLAN_OR_PROGRESS:  # most tasks: skip six look-ups
            return plain
        constraint, constraint_date = self.constraint or Constraint("ASAP"), None
        if constraint.date is not None:
            constraint_date = days.of(constraint.date, finish=constraint.type in FINISH_CONSTRAINTS)
        return replace(
            plain,
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


class ProjectLinks(Sequence[ProjectLink]):
    """A file's links as columns, tasks by their place in the file: what the engine reads.

    It reads as a sequence of ProjectLink too, made one at a time, for code that wants that.
    """

    def __init__(
        self,
        task_ids: Sequence[str],
        predecessor: IntArray,
        successor: IntArray,
        link_type: IntArray,
        lag: IntArray,
        percents: Mapping[int, Decimal] | None = None,
    ) -> None:
        self.task_ids = task_ids
        self.predecessor, self.successor = predecessor, successor
        self.link_type, self.lag = link_type, lag  # index into LINK_TYPES; engine units
        self.percents = dict(percents or {})  # link number: lag_percent, for the few that have one

    @classmethod
    def of(cls, task_ids: Sequence[str], links: Sequence[ProjectLink]) -> ProjectLinks:
        number = {task_id: n for n, task_id in enumerate(task_ids)}
        return cls(
            task_ids,
            np.array([number[link.predecessor] for link in links], dtype=np.int64),
            np.array([number[link.successor] for link in links], dtype=np.int64),
            np.array([LINK_TYPES.index(link.type) for link in links], dtype=np.int64),
            np.array([link.lag for link in links], dtype=np.int64),
            {n: link.lag_percent for n, link in enumerate(links) if link.lag_percent is not None},
        )

    def lag_percent(self) -> FloatArray | None:
        """Per link, its percentage, NaN where it has none; None when no link has one."""
        if not self.percents:
            return None
        percent = np.full(len(self), np.nan)
        for number, value in self.percents.items():
            percent[number] = float(value)
        return percent

    def __len__(self) -> int:
        return len(self.predecessor)

    @overload
    def __getitem__(self, number: int) -> ProjectLink: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[ProjectLink]: ...
    def __getitem__(self, number: int | slice) -> ProjectLink | Sequence[ProjectLink]:
        if isinstance(number, slice):
            return [self[n] for n in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        ids = self.task_ids
        return ProjectLink(
            ids[int(self.predecessor[number])],
            ids[int(self.successor[number])],
            LINK_TYPES[int(self.link_type[number])],
            int(self.lag[number]),
            self.percents.get(number),
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ProjectLinks({list(self)!r})"


@dataclass(frozen=True)
class ProjectFile:
    """A project file's content. `finish` asks for backward scheduling from that date."""

    name: str
    start: dt.date
    calendar: ProjectCalendar
    tasks: tuple[ProjectTask, ...]
    links: Sequence[ProjectLink]  # the reader gives ProjectLinks
    finish: dt.date | None = None
    status_date: dt.date | None = None
    calendars: Mapping[str, ProjectCalendar] = field(default_factory=dict)  # tasks may work on

    def timetable(self, horizon_days: int) -> Timetable | None:
        """The calendars tasks work on, on one axis from the start; None if no task names one."""
        if not any(task.calendar for task in self.tasks):
            return None
        named = {name: calendar.engine_calendar() for name, calendar in self.calendars.items()}
        return Timetable(self.calendar.engine_calendar(), named, self.start, horizon_days)


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
    timetable: Timetable | None = None  # with calendars other than the project's


@dataclass(frozen=True)
class EngineArrays:
    """The engine's view of a project as arrays (see NetworkArrays), the options of
    `schedule_arrays`, and the calendar that maps units back to dates."""

    arrays: NetworkArrays
    calendar: WorkCalendar
    status_unit: int | None = None
    project_finish_unit: int | None = None
    timetable: Timetable | None = None  # with calendars other than the project's


def engine_arrays(project: ProjectFile, horizon_days: int = 730) -> EngineArrays:
    """The project as NetworkArrays, and its calendar laid out from the start: the same
    network `engine_input` gives as objects, without making an object per task or link."""
    timetable = project.timetable(horizon_days)
    calendar = _axis(project, timetable, horizon_days)
    days = DayUnits(calendar)
    tasks = project.tasks
    ids = [task.id for task in tasks]
    links = project.links if isinstance(project.links, ProjectLinks) else ProjectLinks.of(ids, project.links)
    parents = [task.parent for task in tasks]
    parent = None
    if any(parents):
        number = {task_id: n for n, task_id in enumerate(ids)}
        parent = np.array([TOP_LEVEL if p is None else number[p] for p in parents], dtype=np.int64)
    arrays = NetworkArrays(
        durations=np.array([task.duration for task in tasks], dtype=np.int64),
        link_predecessor=links.predecessor,
        link_successor=links.successor,
        link_type=links.link_type,
        link_lag=links.lag,
        link_lag_percent=links.lag_percent(),
        parent=parent,
        ids=ids,
        extras=_extras(tasks, days),
        task_calendar=_task_calendars(tasks, timetable),
    )
    status, finish = days.end(project.status_date), days.end(project.finish)
    return EngineArrays(arrays, calendar, status, finish, timetable)


def _axis(project: ProjectFile, timetable: Timetable | None, horizon_days: int) -> WorkCalendar:
    """The calendar engine units count: the project's, or the axis of all calendars in use."""
    if timetable is not None:
        return timetable.axis
    return WorkCalendar.build(project.calendar.engine_calendar(), project.start, horizon_days)


def _task_calendars(tasks: Sequence[ProjectTask], timetable: Timetable | None) -> IntArray | None:
    if timetable is None:
        return None
    number = {name: n for n, name in enumerate(timetable.names)}
    return np.array([-1 if t.calendar is None else number[t.calendar] for t in tasks], dtype=np.int64)


def _extras(tasks: Sequence[ProjectTask], days: DayUnits) -> TaskExtras | None:
    """Rows for the tasks with a constraint, deadline or progress, by the rules of engine_task."""
    rows = [number for number, task in enumerate(tasks) if task[_PLAN_AND_PROGRESS] != _NO_PLAN_OR_PROGRESS]
    return task_extras(rows, [tasks[number].engine_task(days) for number in rows])


def engine_input(project: ProjectFile, horizon_days: int = 730) -> EngineInput:
    """Tasks and links as engine dataclasses, and the project calendar laid out from the start."""
    timetable = project.timetable(horizon_days)
    calendar = _axis(project, timetable, horizon_days)
    days = DayUnits(calendar)
    tasks = [task.engine_task(days) for task in project.tasks]
    links = [
        Link(before, after, kind, lag) if percent is None else link.engine_link()
        for link in project.links
        for before, after, kind, lag, percent in (link,)
    ]
    status, finish = days.end(project.status_date), days.end(project.finish)
    return EngineInput(tasks, links, calendar, status, finish, timetable)
