"""Which days of a window a calendar works: a boolean mask per calendar, built with numpy.

Capacity counts a resource's working days (its own calendar: weekends, public holidays and
leave are exceptions on it); demand counts the days the task works (its project's calendar).
Both are masks over the same window of calendar days, so a load is array arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from itpm.planning.models import Calendar, CalendarException

Mask = npt.NDArray[np.bool_]
MONDAY_TO_FRIDAY = "12345"


class Window:
    """The calendar days first .. end - 1, and a cached working-day mask for each calendar."""

    def __init__(self, first: dt.date, end: dt.date, calendar_ids: Iterable[int | None]) -> None:
        self.first, self.end = first, end
        self.days = np.arange(np.datetime64(first, "D"), np.datetime64(end, "D"))
        ids = {cid for cid in calendar_ids if cid is not None}
        weeks = dict(Calendar.objects.filter(pk__in=ids).values_list("pk", "working_week"))
        exceptions = CalendarException.objects.filter(calendar_id__in=ids, finish__gte=first, start__lt=end)
        self._masks: dict[int | None, Mask] = {None: self._week_mask(MONDAY_TO_FRIDAY)}
        for cid, week in weeks.items():
            self._masks[cid] = self._week_mask(week)
        for exception in exceptions:
            self._apply(self._masks[exception.calendar_id], exception)

    def __len__(self) -> int:
        return len(self.days)

    def mask(self, calendar_id: int | None) -> Mask:
        """The calendar's working days; Monday to Friday for no calendar (or one not loaded)."""
        return self._masks.get(calendar_id, self._masks[None])

    def days_off(self, calendar_id: int, working_week: str) -> Mask:
        """Days the calendar's working week works but an exception (leave, a holiday) takes off."""
        return self._week_mask(working_week) & ~self.mask(calendar_id)

    def index(self, day: dt.date) -> int:
        return (day - self.first).days

    def day(self, index: int) -> dt.date:
        return self.first + dt.timedelta(days=index)

    def _week_mask(self, working_week: str) -> Mask:
        weekdays = (self.days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
        working = np.array([str(d + 1) in working_week for d in range(7)], dtype=bool)
        return working[weekdays]

    def _apply(self, mask: Mask, exception: CalendarException) -> None:
        lo = max(self.index(exception.start), 0)
        hi = min(self.index(exception.finish) + 1, len(self.days))
        mask[lo:hi] = exception.working
