"""What a summary task asks of a task under it on another calendar: counted in the task's own
working time, as its own constraint would be. Hand-checked examples.

One unit to a day from Monday 5 January 2026; the axis is Monday to Friday (the project's week
and the union with a Monday-to-Thursday week). Units: Mon 5 is 0, Fri 9 is 4, Mon 12 is 5, Tue
13 is 6, Wed 14 is 7, Thu 15 is 8, Fri 16 is 9. A finish date is the end of a unit: 6 is the
end of Mon 12.
"""

from __future__ import annotations

import datetime as dt

from itpm.engine import Calendar, Link, Task, schedule
from itpm.engine.results import Schedule
from itpm.engine.timetable import Timetable

MONDAY = dt.date(2026, 1, 5)
WEEK = Calendar(units_per_day=1)
FOUR_DAYS = Calendar(frozenset({0, 1, 2, 3}), units_per_day=1)  # Monday to Thursday
TABLE = Timetable(WEEK, {"four": FOUR_DAYS}, MONDAY)


def dates(result: Schedule, task: str) -> tuple[dt.date, dt.date, dt.date]:
    """Early start, early finish (the last day worked) and late start, as dates."""
    found, axis = result.results[task], TABLE.axis
    early = axis.finish_date(found.early_start, found.early_finish)
    return axis.to_date(found.early_start), early, axis.to_date(found.late_start)


def test_a_summarys_fnlt_holds_a_four_day_task_as_its_own_would() -> None:
    # A works Mon 5 - Fri 9. F (2 days, Monday to Thursday) follows it, but its summary must
    # finish by the end of Mon 12: F's last start that does is Thu 8 (Thu 8, Mon 12). The
    # constraint wins over the link (C101), and F is held at Thu 8, as with its own FNLT. Counted
    # on the axis (6 - 2 = 4, Fri 9, a day F does not work) it slipped to Mon 12 - Tue 13, past
    # the summary's finish.
    tasks = [
        Task("A", 5),
        Task("S", 0, constraint="FNLT", constraint_date=6),
        Task("F", 2, calendar="four", parent="S"),
        Task("X", 10),
    ]
    result = schedule(tasks, [Link("A", "F")], timetable=TABLE)
    thursday, monday = dt.date(2026, 1, 8), dt.date(2026, 1, 12)
    assert dates(result, "F") == (thursday, monday, thursday)
    assert result.results["F"].driver == "constraint"
    assert [c.code for c in result.conflicts] == ["C101"]
    own = [Task("A", 5), Task("F", 2, calendar="four", constraint="FNLT", constraint_date=6), Task("X", 10)]
    assert dates(schedule(own, [Link("A", "F")], timetable=TABLE), "F") == dates(result, "F")


def test_a_summarys_fnlt_on_a_day_off_gives_float_in_the_tasks_week() -> None:
    # The summary must finish by the end of Fri 16, a day F does not work: F's 2 days end on
    # Thu 15 at the latest, so it may start as late as Wed 14; from Mon 5 that is six of its
    # working days of float (Mon 5 .. Thu 8, Mon 12, Tue 13).
    tasks = [
        Task("S", 0, constraint="FNLT", constraint_date=10),
        Task("F", 2, calendar="four", parent="S"),
        Task("X", 10),
    ]
    result = schedule(tasks, [], timetable=TABLE)
    assert dates(result, "F") == (dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 14))
    assert result.results["F"].total_float == 6
    assert result.conflicts == []


def test_a_summarys_snet_stands_beside_a_tasks_own_fnet() -> None:
    # G (1 day, Monday to Thursday) must finish no earlier than the end of Tue 6, and its
    # summary may not start before Wed 14: G starts Wed 14, not Tue 6.
    tasks = [
        Task("S", 0, constraint="SNET", constraint_date=7),
        Task("G", 1, calendar="four", parent="S", constraint="FNET", constraint_date=2),
        Task("X", 10),
    ]
    result = schedule(tasks, [], timetable=TABLE)
    wednesday = dt.date(2026, 1, 14)
    assert dates(result, "G")[:2] == (wednesday, wednesday)
    assert result.results["G"].driver == "constraint"


def test_a_summarys_deadline_stands_beside_a_tasks_own_snlt() -> None:
    # H (2 days, Monday to Thursday, start no later than Fri 16) works Mon 5 - Tue 6; its
    # summary's deadline is the end of Wed 14, so H's late finish is Wed 14 and its late start
    # Tue 13: five of its working days of float (Mon 5 .. Thu 8, Mon 12), not six (to Wed 14,
    # finishing Thu 15, as the project's finish alone would allow).
    tasks = [
        Task("S", 0, deadline=8),
        Task("H", 2, calendar="four", parent="S", constraint="SNLT", constraint_date=9),
        Task("X", 10),
    ]
    result = schedule(tasks, [], timetable=TABLE)
    assert dates(result, "H") == (dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 13))
    assert result.results["H"].total_float == 5
