"""Tasks on calendars other than the project's: hand-checked examples.

Every example has one unit to a day and starts on Monday 5 January 2026. The axis (engine
units) holds every day that any calendar works; the dates in comments are worked out by hand
on a wall calendar: Mon 5 .. Fri 9, Mon 12 .. Fri 16, Mon 19 .. Fri 23 January.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from itpm.engine import Calendar, EngineError, Link, Task, schedule, schedule_arrays
from itpm.engine.timetable import Timetable, intersect_calendars, union_calendar

MONDAY = dt.date(2026, 1, 5)
WEEK = Calendar(units_per_day=1)
FOUR_DAYS = Calendar(frozenset({0, 1, 2, 3}), units_per_day=1)  # Monday to Thursday
SIX_DAYS = Calendar(frozenset(range(6)), units_per_day=1)  # Monday to Saturday
ON_LEAVE = Calendar(holidays=frozenset({dt.date(2026, 1, 13), dt.date(2026, 1, 14)}), units_per_day=1)


def on_dates(table: Timetable, result: object, task: str) -> tuple[dt.date, dt.date]:
    found = result.results[task]  # type: ignore[attr-defined]
    return table.axis.to_date(found.early_start), table.axis.finish_date(
        found.early_start, found.early_finish
    )


def test_a_task_on_a_four_day_week() -> None:
    # A works Mon 5 - Fri 9. B, 6 days Monday to Thursday: Mon 12 - Thu 15, Mon 19, Tue 20.
    # C, on the project's week, follows on Wed 21.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 5), Task("B", 6, calendar="four"), Task("C", 1)]
    result = schedule(tasks, [Link("A", "B"), Link("B", "C")], timetable=table)
    assert on_dates(table, result, "A") == (dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 12), dt.date(2026, 1, 20))
    assert on_dates(table, result, "C") == (dt.date(2026, 1, 21), dt.date(2026, 1, 21))
    assert result.critical_path == ["A", "B", "C"]


def test_leave_in_a_resource_calendar_pushes_the_work_out() -> None:
    # B's resource is on leave Tue 13 and Wed 14: 3 days from Mon 12 are Mon 12, Thu 15, Fri 16.
    table = Timetable(WEEK, {"leave": ON_LEAVE}, MONDAY)
    result = schedule([Task("A", 5), Task("B", 3, calendar="leave")], [Link("A", "B")], timetable=table)
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 12), dt.date(2026, 1, 16))


def test_a_lag_is_counted_in_the_successors_calendar() -> None:
    # A ends Fri 9; D works Monday to Thursday, 2 days of lag in D's calendar are Mon 12 and
    # Tue 13, so D works Wed 14 and Thu 15. The same lag on the project week would end Tue 13
    # too; on Friday's side the two differ: from Thursday's end, see the next test.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 5), Task("D", 2, calendar="four")]
    result = schedule(tasks, [Link("A", "D", "FS", 2)], timetable=table)
    assert on_dates(table, result, "D") == (dt.date(2026, 1, 14), dt.date(2026, 1, 15))


def test_a_lag_over_a_day_the_successor_does_not_work() -> None:
    # P (project week) ends Thu 8. S works Monday to Thursday, so 1 day of lag in its calendar
    # skips Friday 9 and is Mon 12; S starts Tue 13. P may slip to Fri 9 without moving S:
    # P has a day of total and free float, and S none.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("P", 4), Task("S", 1, calendar="four")]
    result = schedule(tasks, [Link("P", "S", "FS", 1)], timetable=table)
    assert on_dates(table, result, "S") == (dt.date(2026, 1, 13), dt.date(2026, 1, 13))
    p = result.results["P"]
    assert (p.total_float, p.free_float, p.critical) == (1, 1, False)
    assert result.results["S"].total_float == 0


def test_a_calendar_that_works_saturdays_widens_the_axis() -> None:
    # S works Saturdays: after A (Mon 5 - Fri 9) its 2 days are Sat 10 and Mon 12. B is held by
    # leave to Fri 16 and the milestone M waits for both. S could slip to Wed 14 - Fri 16 in
    # its own week: Sat 10, Mon 12, Tue 13, Wed 14 are 4 days of float.
    table = Timetable(WEEK, {"six": SIX_DAYS, "leave": ON_LEAVE}, MONDAY)
    tasks = [Task("A", 5), Task("B", 3, calendar="leave"), Task("S", 2, calendar="six"), Task("M", 0)]
    links = [Link("A", "B"), Link("A", "S"), Link("S", "M"), Link("B", "M")]
    result = schedule(tasks, links, timetable=table)
    assert on_dates(table, result, "S") == (dt.date(2026, 1, 10), dt.date(2026, 1, 12))
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 12), dt.date(2026, 1, 16))
    assert result.results["S"].total_float == 4
    assert result.results["M"].driving_predecessor == "B"


def test_a_finish_to_finish_link_into_a_four_day_task() -> None:
    # A ends Wed 14 (8 days from Mon 5). F, 2 days Monday to Thursday, must finish no earlier:
    # it works Tue 13 and Wed 14.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 8), Task("F", 2, calendar="four")]
    result = schedule(tasks, [Link("A", "F", "FF")], timetable=table)
    assert on_dates(table, result, "F") == (dt.date(2026, 1, 13), dt.date(2026, 1, 14))


def test_an_alap_task_on_a_four_day_week_ends_on_its_last_working_day() -> None:
    # The project ends Fri 16 (A: 10 days). L, 1 day Monday to Thursday, as late as possible:
    # Thu 15, as it does not work on Friday.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 10), Task("L", 1, calendar="four", constraint="ALAP")]
    result = schedule(tasks, [], timetable=table)
    assert on_dates(table, result, "L") == (dt.date(2026, 1, 15), dt.date(2026, 1, 15))


def test_a_levelling_delay_counts_in_the_tasks_calendar() -> None:
    # B could start Mon 12; 2 days of delay in its Monday-to-Thursday week: Tue 13 is its first day
    # after Mon 12 and Tue 13, so Wed 14.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 5), Task("B", 1, calendar="four", levelling_delay=2)]
    result = schedule(tasks, [Link("A", "B")], timetable=table)
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 14), dt.date(2026, 1, 14))


def test_calendars_like_the_projects_change_nothing() -> None:
    table = Timetable(WEEK, {"same": Calendar(units_per_day=1)}, MONDAY)
    tasks = [Task("A", 3), Task("B", 2, calendar="same"), Task("C", 4)]
    links = [Link("A", "B", "SS", 1), Link("B", "C", "FF", 2)]
    with_table = schedule(tasks, links, timetable=table)
    plain = schedule([Task(t.id, t.duration) for t in tasks], links)
    assert with_table.results == plain.results


def test_arrays_and_objects_agree_with_calendars() -> None:
    table = Timetable(WEEK, {"four": FOUR_DAYS, "six": SIX_DAYS}, MONDAY)
    calendars = [-1, 0, 1, 0, -1]
    names = [None, "four", "six", "four", None]
    durations = [3, 4, 2, 5, 1]
    before, after, kinds, lags = [0, 0, 1, 2, 3], [1, 2, 3, 3, 4], [0, 1, 0, 2, 0], [0, 2, 1, 1, 3]
    arrays = schedule_arrays(durations, before, after, kinds, lags, task_calendar=calendars, timetable=table)
    tasks = [Task(str(n), d, calendar=c) for n, (d, c) in enumerate(zip(durations, names, strict=True))]
    types = ["FS", "SS", "FF", "SF"]
    links = [
        Link(str(a), str(b), types[k], lag) for a, b, k, lag in zip(before, after, kinds, lags, strict=True)
    ]
    assert schedule(tasks, links, timetable=table).results == arrays.results


def test_unknown_calendars_are_refused() -> None:
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    with pytest.raises(EngineError) as raised:
        schedule([Task("A", 1, calendar="five")], [], timetable=table)
    assert (raised.value.code, raised.value.tasks) == ("E014", ("A",))
    with pytest.raises(EngineError) as raised:
        schedule([Task("A", 1, calendar="four")], [])  # no timetable: no calendar is given
    assert raised.value.code == "E014"
    with pytest.raises(EngineError) as raised:
        schedule_arrays([1, 1], [0], [1], ids=["a", "b"], task_calendar=[0, 1], timetable=table)
    assert (raised.value.code, raised.value.tasks) == ("E014", ("b",))
    with pytest.raises(EngineError) as raised:
        schedule_arrays([1, 1], [0], [1], ids=["a", "b"], task_calendar=[-2, 0], timetable=table)
    assert (raised.value.code, raised.value.tasks) == ("E014", ("a",))


def test_units_per_day_must_agree() -> None:
    with pytest.raises(EngineError) as raised:
        Timetable(WEEK, {"hours": Calendar(units_per_day=8)}, MONDAY)
    assert raised.value.code == "E006"


def test_union_and_intersection() -> None:
    both = intersect_calendars([FOUR_DAYS, ON_LEAVE])
    assert both.working_weekdays == frozenset({0, 1, 2, 3}) and both.holidays == ON_LEAVE.holidays
    with pytest.raises(EngineError) as raised:
        intersect_calendars([Calendar(frozenset({5})), FOUR_DAYS])
    assert raised.value.code == "E006"
    wide = union_calendar([FOUR_DAYS, ON_LEAVE, SIX_DAYS])
    assert wide.working_weekdays == frozenset(range(6)) and wide.holidays == frozenset()
    only_leave = union_calendar(
        [ON_LEAVE, Calendar(holidays=frozenset({dt.date(2026, 1, 13)}), units_per_day=1)]
    )
    assert only_leave.holidays == frozenset({dt.date(2026, 1, 13)})


def test_the_tables_grow_past_their_horizon() -> None:
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY, horizon_days=10)
    tasks = [Task("A", 400), Task("B", 40, calendar="four")]
    result = schedule(tasks, [Link("A", "B")], timetable=table)
    start, finish = on_dates(table, result, "B")
    four_days = np.busday_count(start, finish + dt.timedelta(days=1), weekmask="1111000")
    assert four_days == 40 and start.weekday() == 0  # A ends on a Friday, 80 weeks on


def test_constraints_count_in_the_tasks_calendar() -> None:
    # The axis is Monday to Friday. B (Monday to Thursday): start no earlier than Fri 9, a day
    # off, so Mon 12 - Tue 13, held there by its constraint. C must start on Fri 9: it starts
    # on its next working day, Mon 12. F must finish no later than Fri 16, a day off: its
    # 2 days end on Thu 15 at the latest, so it may start as late as Wed 14.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [
        Task("B", 2, calendar="four", constraint="SNET", constraint_date=4),
        Task("C", 1, calendar="four", constraint="MSO", constraint_date=4),
        Task("F", 2, calendar="four", constraint="FNLT", constraint_date=10),
        Task("X", 10),
    ]
    result = schedule(tasks, [], timetable=table)
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 12), dt.date(2026, 1, 13))
    assert result.results["B"].driver == "constraint"
    assert on_dates(table, result, "C") == (dt.date(2026, 1, 12), dt.date(2026, 1, 12))
    f = result.results["F"]
    assert table.axis.to_date(f.late_start) == dt.date(2026, 1, 14)
    assert f.total_float == 6  # Mon 5 .. Thu 8, Mon 12, Tue 13: six of its working days
    assert result.conflicts == []


def test_a_deadline_on_a_day_off_is_missed_by_a_finish_after_it() -> None:
    # D (Monday to Thursday) follows A (Mon 5 - Wed 7) on Thu 8 and Mon 12; its deadline is the
    # end of Fri 9 (unit 5): missed, by one of its working days.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    tasks = [Task("A", 3), Task("D", 2, calendar="four", deadline=5)]
    result = schedule(tasks, [Link("A", "D")], timetable=table)
    assert on_dates(table, result, "D") == (dt.date(2026, 1, 8), dt.date(2026, 1, 12))
    assert [c.code for c in result.conflicts] == ["C102"]
    assert result.results["D"].total_float == -1


def test_a_finished_task_keeps_its_actual_dates_on_its_own_calendar() -> None:
    # B, on a Monday-to-Thursday week, in fact ran Mon 12 - Fri 16 (worked on the Friday): its
    # actual dates stand, and C follows on Mon 19, not after B's four-day week would have ended.
    table = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)
    friday = table.axis.to_unit(dt.date(2026, 1, 16)) + 1  # the finish is the end of Fri 16
    monday = table.axis.to_unit(dt.date(2026, 1, 12))
    tasks = [
        Task("A", 5, actual_start=0, actual_finish=monday),
        Task("B", 4, calendar="four", actual_start=monday, actual_finish=friday),
        Task("C", 1),
    ]
    result = schedule(tasks, [Link("A", "B"), Link("B", "C")], timetable=table, status_unit=friday)
    assert on_dates(table, result, "B") == (dt.date(2026, 1, 12), dt.date(2026, 1, 16))
    assert on_dates(table, result, "C") == (dt.date(2026, 1, 19), dt.date(2026, 1, 19))
    assert result.conflicts == []
