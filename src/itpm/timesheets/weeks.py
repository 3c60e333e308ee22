"""ISO weeks: a timesheet week runs Monday to Sunday and is named like 2026-W10."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from itpm.core.errors import Invalid

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=offset) for offset in range(7)]


def week_label(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str, field: str = "week") -> dt.date:
    """'2026-W10' or any date inside the week -> that week's Monday."""
    match = WEEK_PATTERN.match(text.strip())
    try:
        if match:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday_of(dt.date.fromisoformat(text.strip()))
    except ValueError as error:
        raise Invalid(f"{field}: {text!r} is not an ISO week (2026-W10) or a date", field=field) from error


class WeekOfHours:
    """A Monday-to-Sunday week of rows of hours, one figure a day: what a person's week and an
    approver's queue item both show. A subclass has a `monday` and says what its rows are."""

    monday: dt.date

    def hour_rows(self) -> Iterable[Sequence[Decimal]]:
        """Each row's seven figures, Monday first."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def days(self) -> list[dt.date]:
        return week_days(self.monday)

    @property
    def day_totals(self) -> list[Decimal]:
        rows = list(self.hour_rows())
        return [sum((hours[day] for hours in rows), Decimal(0)) for day in range(7)]
