"""Working calendars: Ireland, Germany and the UK with their public holidays, and 24x7 operations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import holidays

from itpm.demo.spec import CalendarSpec

Exception_ = tuple[str, dt.date, dt.date]


def demo_years(anchor: dt.date) -> list[int]:
    """The demo spans last year's closed project to next year's finishes, with a year's margin."""
    return list(range(anchor.year - 2, anchor.year + 3))


def public_holidays(country: str, years: Iterable[int], subdiv: str | None = None) -> list[Exception_]:
    table = holidays.country_holidays(country, subdiv=subdiv, years=list(years))
    return [(str(name)[:100], day, day) for day, name in sorted(table.items())]


def christmas_shutdowns(years: Iterable[int]) -> list[Exception_]:
    """Irish offices close between Christmas and New Year; the days are taken from annual leave."""
    return [("Christmas company shutdown", dt.date(year, 12, 27), dt.date(year, 12, 31)) for year in years]


def _office(
    key: str, name: str, country: str, description: str, exceptions: list[Exception_]
) -> CalendarSpec:
    start, finish, hours = (
        (dt.time(8, 0), dt.time(16, 30), Decimal("8.00"))
        if country == "DE"
        else (dt.time(9, 0), dt.time(17, 30), Decimal("7.50"))
    )
    return CalendarSpec(
        key=key,
        name=name,
        country=country,
        working_week="12345",
        day_start=start,
        day_end=finish,
        hours_per_day=hours,
        description=description,
        exceptions=tuple(exceptions),
    )


def build_calendars(anchor: dt.date) -> tuple[CalendarSpec, ...]:
    years = demo_years(anchor)
    ireland = sorted(public_holidays("IE", years) + christmas_shutdowns(years), key=lambda e: e[1])
    return (
        _office(
            "IE",
            "Ireland standard",
            "IE",
            "Monday to Friday, 09:00-17:30; Irish public holidays and the Christmas shutdown.",
            ireland,
        ),
        _office(
            "DE",
            "Germany standard",
            "DE",
            "Monday to Friday, 08:00-16:30; German nationwide "
            "public holidays (regional ones are not included).",
            public_holidays("DE", years),
        ),
        _office(
            "GB",
            "UK standard",
            "GB",
            "Monday to Friday, 09:00-17:30; bank holidays of England and Wales.",
            public_holidays("GB", years, subdiv="ENG"),
        ),
        CalendarSpec(
            key="24x7",
            name="24x7 operations",
            country="",
            working_week="1234567",
            day_start=dt.time(0, 0),
            day_end=dt.time(23, 59),
            hours_per_day=Decimal(24),
            description="Round the clock, every day including public holidays: cut-over weekends, "
            "migration windows and the operations bridge.",
            exceptions=(),
        ),
    )
