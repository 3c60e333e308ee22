"""Engine time for a project: working days as integer units, and dates to units and back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from itpm import engine
from itpm.planning import task_calendars
from itpm.planning.models import Calendar as CalendarRow

# Engine time is integer: one unit is a hundredth of a working day, so durations and lags stored
# with two decimals convert exactly.
UNITS_PER_DAY = 100
HORIZON_DAYS = 366 * 3
ONE_DAY = dt.timedelta(days=1)


def engine_calendar(row: CalendarRow | None) -> engine.Calendar:
    return task_calendars.engine_calendar(row, UNITS_PER_DAY)


def working_units(days: Decimal) -> int:
    """Working days as units, rounded away from zero to the next unit."""
    units = int((abs(days) * UNITS_PER_DAY).to_integral_value(rounding=ROUND_CEILING))
    return units if days >= 0 else -units


@dataclass
class Dating:
    """Dates to units and back on the project calendar, from an origin on or before every date
    the project stores; units before the origin (negative float) extend the calendar back."""

    calendar: engine.Calendar
    origin: dt.date
    project_start: dt.date
    work: engine.WorkCalendar

    @classmethod
    def from_origin(cls, calendar: engine.Calendar, origin: dt.date, project_start: dt.date) -> Dating:
        work = engine.WorkCalendar.build(calendar, origin, HORIZON_DAYS)
        return cls(calendar, origin, project_start, work)

    def start_unit(self, day: dt.date) -> int:
        return self.work.to_unit(day)

    def finish_unit(self, day: dt.date) -> int:
        """The end of `day`: a task that finished on it is done by then."""
        return self.work.to_unit(day + ONE_DAY)

    def moment_unit(self, day: dt.date) -> int:
        """A zero-length task's date, read back the way write_back._span_dates shows it: after the project's
        first day, the end of the day (where a milestone that follows a task sits)."""
        return self.start_unit(day) if day <= self.project_start else self.finish_unit(day)

    def reaching(self, earliest_unit: int) -> tuple[engine.WorkCalendar, int]:
        """A calendar that reaches back to `earliest_unit`, and the units to add for it."""
        if earliest_unit >= 0:
            return self.work, 0
        days = -earliest_unit // UNITS_PER_DAY + 14
        while True:
            days *= 2
            work = engine.WorkCalendar.build(
                self.calendar, self.origin - dt.timedelta(days=days), HORIZON_DAYS
            )
            shift = work.to_unit(self.origin)
            if shift + earliest_unit >= 0:
                return work, shift
