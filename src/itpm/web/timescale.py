"""The Gantt's time axis: zoom levels, the periods of its two-tier header, non-working days to shade.

Pure: dates in, numbers and labels out; no Django. Day `d` occupies [x(d), x(d + 1)) on the axis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CHAR_WIDTH = 6.0  # average advance of the header's 11px sans-serif text, rounded up


@dataclass(frozen=True)
class Zoom:
    name: str
    px_per_day: float
    top: str  # period of the upper header tier
    bottom: str  # period of the lower header tier and of the grid lines
    shade: str  # "all" non-working days, only "holidays", or "none" (too dense to be useful)
    pad_days: int  # room left before the first bar and after the last


ZOOMS = {
    zoom.name: zoom
    for zoom in (
        Zoom("days", 28.0, "week", "day", "all", 2),
        Zoom("weeks", 7.0, "month", "week", "holidays", 7),
        Zoom("months", 1.6, "quarter", "month", "holidays", 20),
        Zoom("quarters", 0.55, "year", "quarter", "none", 45),
    )
}
DEFAULT_ZOOM = "weeks"


@dataclass(frozen=True)
class WorkingTime:
    """A calendar as plain data: working weekdays (0 = Monday), days off, and extra working days."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    days_off: frozenset[dt.date] = frozenset()
    extra_days: frozenset[dt.date] = frozenset()

    def is_working(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() in self.weekdays and day not in self.days_off

    def is_holiday(self, day: dt.date) -> bool:
        """A day off that would otherwise be worked (not a weekend)."""
        return day in self.days_off and day.weekday() in self.weekdays and day not in self.extra_days


def period_start(day: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if unit == "year":
        return dt.date(day.year, 1, 1)
    raise ValueError(f"unknown period {unit!r}")


def next_period(start: dt.date, unit: str) -> dt.date:
    """The first day of the period after the one starting on `start`."""
    if unit == "day":
        return start + ONE_DAY
    if unit == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def periods(first: dt.date, end: dt.date, unit: str) -> list[tuple[dt.date, dt.date]]:
    """The periods that overlap [first, end), each as (its first day, the day after its last)."""
    result = []
    start = period_start(first, unit)
    while start < end:
        following = next_period(start, unit)
        result.append((start, following))
        start = following
    return result


@dataclass(frozen=True)
class Axis:
    zoom: Zoom
    first: dt.date  # the first day drawn
    end: dt.date  # the day after the last day drawn

    def x(self, day: dt.date) -> float:
        """Left edge of `day` (or the right edge of the day before)."""
        return (day - self.first).days * self.zoom.px_per_day

    @property
    def width(self) -> float:
        return self.x(self.end)

    def contains(self, day: dt.date) -> bool:
        return self.first <= day < self.end


def axis_for(first: dt.date, last: dt.date, zoom: Zoom, min_width: float = 0) -> Axis:
    """An axis over [first, last] with some room either side, cut at whole lower-tier periods, and
    at least `min_width` wide, so that a short plan zoomed out still fills the frame."""
    start = period_start(first - dt.timedelta(days=zoom.pad_days), zoom.bottom)
    end = next_period(period_start(last + dt.timedelta(days=zoom.pad_days), zoom.bottom), zoom.bottom)
    while (end - start).days * zoom.px_per_day < min_width:
        end = next_period(end, zoom.bottom)
    return Axis(zoom=zoom, first=start, end=end)


def _fits(text: str, width: float) -> bool:
    return len(text) * CHAR_WIDTH + 6 <= width


def top_label(start: dt.date, unit: str, width: float) -> str:
    """The longest label for an upper-tier period that fits its width; "" when none does."""
    month, name, quarter = MONTHS[start.month - 1], MONTH_NAMES[start.month - 1], (start.month - 1) // 3 + 1
    if unit == "week":
        week = f"W{start.isocalendar().week:02d}"
        choices = [f"{week} · {start.day} {month} {start.year}", week]
    elif unit == "month":
        choices = [f"{name} {start.year}", f"{month} {start.year % 100:02d}"]
    elif unit == "quarter":
        choices = [f"Q{quarter} {start.year}", f"Q{quarter}"]
    else:
        choices = [str(start.year), f"{start.year % 100:02d}"]
    return next((choice for choice in choices if _fits(choice, width)), "")


def bottom_label(start: dt.date, unit: str, width: float) -> str:
    month, name = MONTHS[start.month - 1], MONTH_NAMES[start.month - 1]
    if unit == "day":
        choices = [str(start.day)]
    elif unit == "week":
        choices = [f"{start.day} {month}", str(start.day)]
    elif unit == "month":
        choices = [name, month, month[0]]
    else:
        choices = [f"Q{(start.month - 1) // 3 + 1}"]
    return next((choice for choice in choices if _fits(choice, width)), "")


def shaded_runs(axis: Axis, calendar: WorkingTime) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive days to shade, each as (first day, the day after the last).

    Zoomed out, weekends would stripe the chart, so only holidays are shaded; a weekend between
    two holidays (a Christmas shutdown) is shaded with them so the closure reads as one block."""
    mode = axis.zoom.shade
    if mode == "none":
        return []
    shade = (lambda d: not calendar.is_working(d)) if mode == "all" else calendar.is_holiday
    runs: list[tuple[dt.date, dt.date]] = []
    day = axis.first
    while day < axis.end:
        if not shade(day):
            day += ONE_DAY
            continue
        run_start = day
        while day < axis.end and shade(day):
            day += ONE_DAY
        if runs and _all_off(runs[-1][1], run_start, calendar):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((run_start, day))
    return runs


def _all_off(first: dt.date, end: dt.date, calendar: WorkingTime) -> bool:
    day = first
    while day < end:
        if calendar.is_working(day):
            return False
        day += ONE_DAY
    return True
