"""Several calendars on one time axis: tasks that work on a calendar other than the project's.

Engine time stays an integer count of units. With calendars other than the project's, the
units are those of the *axis*: every working day of any calendar in use (the union), laid out
from the project start as a WorkCalendar does. When every task works on the axis itself (one
calendar in use, the common case) nothing here is consulted and scheduling costs what it did.

A calendar `c` is read through two lookups, built once over the axis's working days:

- `count(t)`: how many of c's working units start before axis unit t;
- `to_axis(j)`: the axis unit at which c's working unit j starts.

Every date rule of a task on c (snap a start onto working time, add a duration, shift by a lag,
go back from a late finish) is one or two of these lookups, never a loop over days; for the axis
itself both are the identity and the rules reduce to plain sums. Before the project start every
unit counts as working on every calendar, so a lead that reaches back before it still converts.
The tables grow (doubling) when asked beyond their horizon, as WorkCalendar's do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from itpm.engine.calendar import DEFAULT_HORIZON_DAYS, WorkCalendar
from itpm.engine.errors import INVALID_CALENDAR, EngineError
from itpm.engine.model import WEEKDAYS, Calendar

IntArray = npt.NDArray[np.int64]
AXIS = -1  # the calendar index of a task that works on the axis itself
# Bounds beyond these are the passes' stand-ins for "none" (extras.LOW, HIGH): kept as they are.
_FAR = 1 << 39


def union_calendar(calendars: Sequence[Calendar]) -> Calendar:
    """The working time of any of `calendars`: a day works if one of them works it."""
    weekdays = frozenset().union(*(c.working_weekdays for c in calendars))
    candidates = frozenset().union(*(c.holidays for c in calendars))
    holidays = {day for day in candidates if not any(_works(c, day) for c in calendars)}
    return Calendar(weekdays, frozenset(holidays), calendars[0].units_per_day)


def intersect_calendars(calendars: Sequence[Calendar]) -> Calendar:
    """The working time common to all `calendars`, as for a task worked by several resources;
    E006 if they share no working weekday."""
    weekdays = frozenset(WEEKDAYS).intersection(*(c.working_weekdays for c in calendars))
    holidays = frozenset().union(*(c.holidays for c in calendars))
    return Calendar(weekdays, holidays, calendars[0].units_per_day)


def _works(calendar: Calendar, day: dt.date) -> bool:
    return day.weekday() in calendar.working_weekdays and day not in calendar.holidays


class Timetable:
    """The axis and, per calendar (by index, in the order named), its two lookups."""

    def __init__(
        self,
        project: Calendar,
        calendars: Mapping[str, Calendar],
        start: dt.date,
        horizon_days: int = DEFAULT_HORIZON_DAYS,
    ) -> None:
        every = [project, *calendars.values()]
        if len({c.units_per_day for c in every}) > 1:
            message = "every calendar of a project needs the same units per working day"
            raise EngineError(INVALID_CALENDAR, message)
        self.names = tuple(calendars)
        self.calendars = tuple(calendars.values())
        self.project = project
        self.units_per_day = project.units_per_day
        self.axis = WorkCalendar.build(union_calendar(every), start, horizon_days)
        self._lay_out()

    def resolve(self, given: IntArray) -> IntArray:
        """Per task, the lookups to use: `given` holds indices into the named calendars, or -1
        for the project calendar; a calendar that works exactly the axis's days becomes AXIS."""
        same = [self._is_axis(c) for c in (*self.calendars, self.project)]
        lookup = np.array([AXIS if s else n for n, s in enumerate(same)], dtype=np.int64)
        return lookup[np.where(given < 0, len(self.calendars), given)]

    def _is_axis(self, calendar: Calendar) -> bool:
        axis = self.axis.calendar
        if calendar.working_weekdays != axis.working_weekdays:
            return False
        return not any(
            day.weekday() in calendar.working_weekdays and _works(axis, day) for day in calendar.holidays
        )

    def _day_mask(self, calendar: Calendar) -> npt.NDArray[np.bool_]:
        busdays = np.busdaycalendar(
            weekmask=calendar.weekmask,
            holidays=np.array(sorted(calendar.holidays), dtype="datetime64[D]"),
        )
        return np.asarray(np.is_busday(self.axis.working_dates, busdaycal=busdays))

    def _lay_out(self) -> None:
        """Per calendar (the named ones, then the project's), over the axis's working days: how
        many of its working days come before each, and which axis days it works."""
        self.before: list[list[int]] = []
        self.days: list[list[int]] = []
        self.works: list[list[bool]] = []
        for calendar in (*self.calendars, self.project):
            mask = self._day_mask(calendar)
            self.before.append(np.concatenate(([0], np.cumsum(mask))).tolist())
            self.days.append(np.flatnonzero(mask).tolist())
            self.works.append(mask.tolist())

    def _grow(self) -> None:
        self.axis.grow()
        self._lay_out()

    # ---- the two lookups, for one unit ---------------------------------------------------

    def count(self, calendar: int, unit: int) -> int:
        """Working units of `calendar` that start before axis unit `unit`."""
        if calendar == AXIS or unit < 0 or unit >= _FAR:
            return unit
        day, part = divmod(unit, self.units_per_day)
        while day >= len(self.works[calendar]):
            self._grow()
        return self.before[calendar][day] * self.units_per_day + (part if self.works[calendar][day] else 0)

    def to_axis(self, calendar: int, number: int) -> int:
        """The axis unit at which working unit `number` of `calendar` starts."""
        if calendar == AXIS or number < 0 or number >= _FAR:
            return number
        day, part = divmod(number, self.units_per_day)
        while day >= len(self.days[calendar]):
            self._grow()
        return self.days[calendar][day] * self.units_per_day + part

    # ---- date rules of a task on `calendar` (units of the axis in and out) ----------------

    def snap(self, calendar: int, unit: int) -> int:
        """The first working unit at or after `unit`: where work given then starts."""
        return self.to_axis(calendar, self.count(calendar, unit)) if unit > -_FAR else unit

    def advance(self, calendar: int, start: int, work: int) -> int:
        """The end of `work` units of work from `start` (start itself when there is none)."""
        if work <= 0 or start <= -_FAR or start >= _FAR:
            return start
        return self.to_axis(calendar, self.count(calendar, start) + work - 1) + 1

    def shift(self, calendar: int, unit: int, lag: int) -> int:
        """`unit` moved by a lag of `lag` working units (a lead when negative)."""
        if lag == 0 or unit <= -_FAR or unit >= _FAR:
            return unit
        counted = self.count(calendar, unit)
        return (
            self.to_axis(calendar, counted + lag - 1) + 1
            if lag > 0
            else self.to_axis(calendar, counted + lag)
        )

    def unshift(self, calendar: int, unit: int, lag: int) -> int:
        """The latest date that `shift` by `lag` keeps at or before `unit`: the backward pass's."""
        if lag == 0 or unit <= -_FAR or unit >= _FAR:
            return unit
        if lag > 0:
            return self.to_axis(calendar, self.count(calendar, unit) - lag)
        return self.to_axis(calendar, self.count(calendar, unit + 1) - 1 - lag)

    def start_for_finish(self, calendar: int, finish: int, work: int) -> int:
        """The earliest start of `work` units of work that finishes no earlier than `finish`."""
        if work <= 0 or finish <= -_FAR or finish >= _FAR:
            return finish
        return self.to_axis(calendar, self.count(calendar, finish - 1) - work + 1)

    def finish_for_start(self, calendar: int, start: int, work: int) -> int:
        """The finish of `work` units of work that starts as late as `start` allows."""
        if work <= 0 or start <= -_FAR or start >= _FAR:
            return start
        return self.to_axis(calendar, self.count(calendar, start + 1) + work - 2) + 1

    def last_finish(self, calendar: int, finish: int) -> int:
        """The latest end of a working unit at or before `finish`."""
        if finish <= -_FAR or finish >= _FAR:
            return finish
        return self.to_axis(calendar, self.count(calendar, finish) - 1) + 1

    def retreat(self, calendar: int, finish: int, work: int) -> int:
        """The start of `work` units of work that finishes at `finish` (a working unit's end)."""
        if work <= 0 or finish <= -_FAR or finish >= _FAR:
            return finish
        return self.to_axis(calendar, self.count(calendar, finish) - work)

    def between(self, calendars: IntArray, first: IntArray, last: IntArray) -> IntArray:
        """Per task, the working units of its calendar in [first, last) (negative if last comes
        first): a float measured in the task's own working time."""
        rows = zip(calendars.tolist(), first.tolist(), last.tolist(), strict=True)
        counted = [self.count(c, b) - self.count(c, a) for c, a, b in rows]
        return np.array(counted, dtype=np.int64).reshape(-1)
