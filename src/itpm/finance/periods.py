"""Status periods: the ends of the weeks (Sundays) or months between two dates, and cumulative sums."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from decimal import Decimal

PERIODS = ("week", "month")


def period_end(day: dt.date, period: str) -> dt.date:
    """The last day of the week (Sunday) or month that holds the day."""
    if period == "week":
        return day + dt.timedelta(days=6 - day.weekday())
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_bounds(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    """The end of the period before the one holding `first`, then every period end up to the one
    holding `last`: bounds[k] is when period k ends (period 0 ends as the first one starts)."""
    opening = period_end(first, period)
    bounds = [period_end(_start_of(opening, period) - dt.timedelta(days=1), period), opening]
    while bounds[-1] < last:
        bounds.append(period_end(bounds[-1] + dt.timedelta(days=1), period))
    return bounds


def _start_of(end: dt.date, period: str) -> dt.date:
    return end - dt.timedelta(days=6) if period == "week" else end.replace(day=1)


class Cumulative:
    """Cumulative totals of amounts by day, asked for at any date."""

    def __init__(self, daily: dict[dt.date, Decimal]) -> None:
        self._days = sorted(daily)
        self._totals: list[Decimal] = []
        running = Decimal(0)
        for day in self._days:
            running += daily[day]
            self._totals.append(running)

    def at(self, day: dt.date) -> Decimal:
        """Everything on or before the day."""
        at = bisect.bisect_right(self._days, day)
        return self._totals[at - 1] if at else Decimal(0)

    def first_day(self) -> dt.date | None:
        """The first day with money on it (a zero amount does not start a curve)."""
        return next((day for day, total in zip(self._days, self._totals, strict=True) if total), None)

    def last_day(self) -> dt.date | None:
        return self._days[-1] if self._days else None


def elapsed_periods(bounds: list[dt.date], day: dt.date) -> Decimal:
    """How many periods have passed by the end of the day, with the fraction of the current one."""
    for number in range(1, len(bounds)):
        if day <= bounds[number]:
            done = Decimal((day - bounds[number - 1]).days)
            return Decimal(number - 1) + done / Decimal((bounds[number] - bounds[number - 1]).days)
    return Decimal(len(bounds) - 1)


def date_at(bounds: list[dt.date], periods: Decimal) -> dt.date:
    """The date `periods` periods after the start: the inverse of elapsed_periods. Beyond the
    last bound, periods are as long as the last one."""
    whole = int(periods)
    if whole + 1 >= len(bounds):
        step = (bounds[-1] - bounds[-2]).days
        return bounds[-1] + dt.timedelta(days=round(float(periods - (len(bounds) - 1)) * step))
    length = (bounds[whole + 1] - bounds[whole]).days
    return bounds[whole] + dt.timedelta(days=round(float(periods - whole) * length))
