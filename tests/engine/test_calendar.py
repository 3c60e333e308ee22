"""Working-time arithmetic, checked by hand against a wall calendar."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from itpm.engine import Calendar, EngineError, WorkCalendar
from itpm.engine.errors import INVALID_CALENDAR

MONDAY = dt.date(2026, 1, 5)
UK_CHRISTMAS_2026 = frozenset(
    {
        dt.date(2026, 12, 25),  # Christmas Day, a Friday
        dt.date(2026, 12, 28),  # Boxing Day falls on Saturday: substitute Monday
        dt.date(2027, 1, 1),  # New Year's Day, a Friday
    }
)


def week(start: dt.date = MONDAY, **calendar: object) -> WorkCalendar:
    return WorkCalendar.build(Calendar(**calendar), start, 60)  # type: ignore[arg-type]


def test_unit_zero_is_the_project_start_when_it_is_a_working_day() -> None:
    assert week().to_date(0) == MONDAY


def test_weekends_are_skipped() -> None:
    calendar = week()
    assert [calendar.to_date(unit) for unit in (4, 5, 9, 10)] == [
        dt.date(2026, 1, 9),  # Friday
        dt.date(2026, 1, 12),  # Monday
        dt.date(2026, 1, 16),
        dt.date(2026, 1, 19),
    ]


def test_a_start_on_saturday_counts_from_monday() -> None:
    calendar = week(dt.date(2026, 1, 3))
    assert calendar.to_date(0) == MONDAY
    assert calendar.to_unit(dt.date(2026, 1, 3)) == 0
    assert calendar.to_unit(dt.date(2026, 1, 4)) == 0


def test_to_unit_rolls_a_weekend_forward_to_monday() -> None:
    calendar = week()
    assert calendar.to_unit(dt.date(2026, 1, 9)) == 4
    assert calendar.to_unit(dt.date(2026, 1, 10)) == 5
    assert calendar.to_unit(dt.date(2026, 1, 11)) == 5
    assert calendar.to_unit(dt.date(2026, 1, 12)) == 5


def test_uk_christmas_2026_bank_holidays() -> None:
    calendar = WorkCalendar.build(Calendar(holidays=UK_CHRISTMAS_2026), dt.date(2026, 12, 21), 30)
    working = [calendar.to_date(unit) for unit in range(8)]
    assert working == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 23),
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 29),  # 25 Dec holiday, weekend, 28 Dec substitute Boxing Day
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 4),  # 1 Jan holiday, weekend
    ]
    assert calendar.to_unit(dt.date(2026, 12, 25)) == 4
    assert calendar.to_unit(dt.date(2026, 12, 28)) == 4
    assert calendar.working_days_between(dt.date(2026, 12, 21), dt.date(2027, 1, 4)) == 7
    assert calendar.finish_date(0, 5) == dt.date(2026, 12, 29)  # five days' work from 21 Dec
    assert not calendar.is_working_day(dt.date(2026, 12, 28))
    assert calendar.is_working_day(dt.date(2026, 12, 29))


def test_a_sunday_to_thursday_week() -> None:
    calendar = week(dt.date(2026, 1, 2), working_weekdays=frozenset({6, 0, 1, 2, 3}))
    assert calendar.to_date(0) == dt.date(2026, 1, 4)  # Friday 2 Jan rolls to Sunday
    assert calendar.to_date(4) == dt.date(2026, 1, 8)  # Thursday
    assert calendar.to_date(5) == dt.date(2026, 1, 11)  # the next Sunday


def test_several_units_per_day() -> None:
    calendar = week(units_per_day=8)
    assert calendar.to_date(7) == MONDAY
    assert calendar.to_date(8) == dt.date(2026, 1, 6)
    assert calendar.to_unit(dt.date(2026, 1, 6)) == 8
    assert calendar.to_unit(dt.date(2026, 1, 10)) == 40  # Saturday: Monday 12 Jan is day 5


def test_finish_date_is_the_last_day_worked() -> None:
    calendar = week(units_per_day=8)
    assert calendar.finish_date(0, 8) == MONDAY  # exactly one day's work
    assert calendar.finish_date(0, 9) == dt.date(2026, 1, 6)
    assert calendar.finish_date(4, 12) == dt.date(2026, 1, 6)  # half a day, then half a day
    assert week().finish_date(0, 5) == dt.date(2026, 1, 9)  # Monday to Friday


def test_a_zero_length_task_finishes_on_its_start_date() -> None:
    assert week().finish_date(5, 5) == dt.date(2026, 1, 12)


def test_working_days_between() -> None:
    calendar = week()
    assert calendar.working_days_between(MONDAY, dt.date(2026, 1, 12)) == 5
    assert calendar.working_days_between(dt.date(2026, 1, 10), dt.date(2026, 1, 12)) == 0
    assert calendar.working_days_between(dt.date(2026, 1, 12), MONDAY) == -5
    assert calendar.working_days_between(MONDAY, MONDAY) == 0


def test_the_horizon_extends_for_units_beyond_it() -> None:
    calendar = WorkCalendar.build(Calendar(), MONDAY, 7)
    assert calendar.to_date(520) == dt.date(2028, 1, 3)  # 104 weeks of five days later
    assert calendar.horizon_days >= 728
    assert calendar.to_unit(dt.date(2028, 1, 3)) == 520


def test_the_horizon_extends_for_dates_beyond_it() -> None:
    calendar = WorkCalendar.build(Calendar(), MONDAY, 7)
    assert calendar.to_unit(dt.date(2027, 1, 4)) == 260
    assert calendar.working_days_between(MONDAY, dt.date(2027, 1, 4)) == 260


def test_bulk_conversion_matches_one_by_one() -> None:
    calendar = WorkCalendar.build(Calendar(holidays=UK_CHRISTMAS_2026), dt.date(2026, 12, 1), 10)
    starts = np.array([0, 3, 17, 40], dtype=np.int64)
    finishes = np.array([0, 8, 20, 41], dtype=np.int64)
    assert calendar.to_dates(starts).tolist() == [calendar.to_date(u) for u in starts.tolist()]
    assert calendar.finish_dates(starts, finishes).tolist() == [
        calendar.finish_date(s, f) for s, f in zip(starts.tolist(), finishes.tolist(), strict=True)
    ]
    assert calendar.to_dates(np.array([], dtype=np.int64)).size == 0


def test_before_the_project_start_is_refused() -> None:
    calendar = week()
    with pytest.raises(ValueError, match="before the project start"):
        calendar.to_unit(dt.date(2026, 1, 2))
    with pytest.raises(ValueError, match="before the project start"):
        calendar.to_date(-1)


@pytest.mark.parametrize(
    "arguments",
    [
        {"working_weekdays": frozenset()},
        {"working_weekdays": frozenset({0, 7})},
        {"units_per_day": 0},
    ],
)
def test_a_calendar_without_working_time_is_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(EngineError) as raised:
        Calendar(**arguments)  # type: ignore[arg-type]
    assert raised.value.code == INVALID_CALENDAR == "E006"


def test_calendar_accepts_plain_sets_and_stays_hashable() -> None:
    calendar = Calendar(working_weekdays={0, 1, 2}, holidays={dt.date(2026, 1, 6)})  # type: ignore[arg-type]
    assert calendar == Calendar(
        working_weekdays=frozenset({0, 1, 2}), holidays=frozenset({dt.date(2026, 1, 6)})
    )
    assert hash(calendar)
    assert WorkCalendar.build(calendar, MONDAY, 14).to_date(1) == dt.date(2026, 1, 7)
