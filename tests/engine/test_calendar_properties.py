"""Property tests for tasks on several calendars, against a plain day-by-day walk.

The walk applies the same rules as timetable.py, one unit at a time over a list of which axis
units each calendar works, so it checks the lookups: every task starts as soon as its links and
the project start let it, on its own working time, and works exactly its duration there.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import Calendar, Link, Task, schedule
from itpm.engine.timetable import AXIS, Timetable

MONDAY = dt.date(2026, 1, 5)
POOL = {
    "week": Calendar(units_per_day=1),
    "four": Calendar(frozenset({0, 1, 2, 3}), units_per_day=1),
    "six": Calendar(frozenset(range(6)), units_per_day=1),
    "leave": Calendar(
        holidays=frozenset(MONDAY + dt.timedelta(days=n) for n in (1, 2, 9, 15)), units_per_day=1
    ),
    "weekends": Calendar(frozenset({5, 6}), units_per_day=1),
}
TYPES = ("FS", "SS", "FF", "SF")


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[Task], list[Link]]:
    count = draw(st.integers(1, 9))
    names = [draw(st.sampled_from([None, *POOL])) for _ in range(count)]
    tasks = [Task(str(n), draw(st.integers(0, 6)), calendar=names[n]) for n in range(count)]
    links = []
    for successor in range(1, count):
        for predecessor in draw(st.sets(st.integers(0, successor - 1), max_size=2)):
            kind, lag = draw(st.sampled_from(TYPES)), draw(st.integers(0, 3))
            links.append(Link(str(predecessor), str(successor), kind, lag))
    return tasks, links


class Walk:
    """Which axis units a calendar works, one unit at a time (one unit is a day here)."""

    def __init__(self, table: Timetable, calendar: int, horizon: int = 800) -> None:
        self.works = [table.count(calendar, u + 1) - table.count(calendar, u) == 1 for u in range(horizon)]
        if calendar != AXIS:  # the count above is the table's: check it against the dates
            day = table.axis.working_dates
            assert self.works[:400] == [_works(table.calendars, calendar, table, d.item()) for d in day[:400]]

    def next_working(self, unit: int) -> int:
        while unit >= 0 and not self.works[unit]:
            unit += 1
        return unit

    def after(self, unit: int, lag: int) -> int:
        """The end of the lag-th working unit at or after `unit`."""
        for _ in range(lag):
            unit = self.next_working(unit) + 1
        return unit

    def finish(self, start: int, work: int) -> int:
        return self.after(start, work)

    def start_for_finish(self, finish: int, work: int) -> int:
        if work == 0:
            return finish
        unit = self.next_working(finish - 1)
        for _ in range(work - 1):
            unit -= 1
            while unit >= 0 and not self.works[unit]:
                unit -= 1
        return unit


def _works(calendars: tuple[Calendar, ...], index: int, table: Timetable, day: dt.date) -> bool:
    calendar = (*calendars, table.project)[index]
    return day.weekday() in calendar.working_weekdays and day not in calendar.holidays


@settings(max_examples=150, deadline=None)
@given(projects())
def test_each_task_starts_as_soon_as_its_links_allow_on_its_own_working_time(
    project: tuple[list[Task], list[Link]],
) -> None:
    tasks, links = project
    table = Timetable(POOL["week"], POOL, MONDAY)
    calendars = table.resolve(np.array([_index(table, t.calendar) for t in tasks], dtype=np.int64))
    walks = {c: Walk(table, c) for c in set(calendars.tolist())}
    result = schedule(tasks, links, timetable=table)
    dates: dict[str, tuple[int, int]] = {}
    for task, calendar in zip(tasks, calendars.tolist(), strict=True):
        walk = walks[calendar]
        bounds = [0]
        for link in (link for link in links if link.successor == task.id):
            anchor = dates[link.predecessor][1 if link.type[0] == "F" else 0]
            bound = walk.after(anchor, link.lag)
            bounds.append(walk.start_for_finish(bound, task.duration) if link.type[1] == "F" else bound)
        start = max(bounds)
        start = walk.next_working(start) if task.duration else start
        dates[task.id] = (start, walk.finish(start, task.duration))
        found = result.results[task.id]
        assert (found.early_start, found.early_finish) == dates[task.id], task
        assert found.total_float >= 0 and found.free_float >= 0
        assert found.free_float <= found.total_float
    assert all(result.results[t].total_float == 0 for t in result.critical_path)
    for link in links:  # the late dates keep every link too, the lag counted as ever
        before, after = result.results[link.predecessor], result.results[link.successor]
        anchor = before.late_finish if link.type[0] == "F" else before.late_start
        held = after.late_finish if link.type[1] == "F" else after.late_start
        counted = int(calendars[int(link.successor)])
        assert held >= anchor and table.count(counted, held) - table.count(counted, anchor) >= link.lag, link
    assert result.finish == max(finish for _, finish in dates.values())


def _index(table: Timetable, name: str | None) -> int:
    return -1 if name is None else table.names.index(name)
