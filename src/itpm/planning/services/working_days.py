"""A project's working days as plain data, for counting variances and spreading cost over days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from itpm.portfolio.models import Project

HOURS_PER_DAY = Decimal("7.5")


@dataclass(frozen=True)
class WorkingDays:
    """Which calendar days a project works on: its calendar's week and exceptions, as plain data.

    Counting uses numpy's business-day arithmetic, so a variance over a 10,000-task plan costs no
    loop over days."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # 0 = Monday
    days_off: frozenset[dt.date] = frozenset()
    extra_days: frozenset[dt.date] = frozenset()  # exceptions that make a day working

    def is_working(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() in self.weekdays and day not in self.days_off

    def count(self, first: dt.date, end: dt.date) -> int:
        """Working days in [first, end); 0 when end is not after first."""
        if end <= first:
            return 0
        weekmask = "".join("1" if day in self.weekdays else "0" for day in range(7))
        if weekmask == "0000000":
            plain = 0
        else:
            holidays = np.array(sorted(self.days_off), dtype="datetime64[D]")
            plain = int(np.busday_count(first, end, weekmask=weekmask, holidays=holidays))
        extra = sum(1 for day in self.extra_days if first <= day < end and day.weekday() not in self.weekdays)
        return plain + extra

    def between(self, earlier: dt.date | None, later: dt.date | None) -> int | None:
        """Signed working days from `earlier` to `later`: positive when `later` is later."""
        if earlier is None or later is None:
            return None
        return self.count(earlier, later) if later >= earlier else -self.count(later, earlier)

    def span(self, start: dt.date | None, finish: dt.date | None) -> Decimal:
        """Working days from the start of `start` to the end of `finish`."""
        if start is None or finish is None:
            return Decimal(0)
        return Decimal(self.count(start, finish + dt.timedelta(days=1)))


def project_working_days(project: Project) -> WorkingDays:
    """The project calendar as WorkingDays (Monday to Friday when the project has none): one query."""
    calendar = project.calendar
    if calendar is None:
        return WorkingDays()
    off: set[dt.date] = set()
    extra: set[dt.date] = set()
    for exception in calendar.exceptions.all():
        length = (exception.finish - exception.start).days + 1
        days = (exception.start + dt.timedelta(days=n) for n in range(length))
        (extra if exception.working else off).update(days)
    weekdays = frozenset(int(digit) - 1 for digit in calendar.working_week)
    return WorkingDays(weekdays=weekdays, days_off=frozenset(off), extra_days=frozenset(extra))
