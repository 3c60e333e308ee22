"""The plain path (plain_path.py, plain_kernels.py) gives exactly what the numpy path gives.

A plain network (no summaries, constraints, progress or task calendars, scheduled forward) is
scheduled by one compiled kernel from the columns to the results. Random plain networks of all
link types, lags and percentage lags, milestones, unlinked parts, a project start and a status
date are scheduled with the kernels forced on and off: every column, the critical path, the
order, lookups by id and the conflicts must agree, and the kernel must really have scheduled
them. Input the engine refuses must raise the same error, with the same message, either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm.engine import (
    LINK_TYPES,
    Calendar,
    EngineError,
    Link,
    NetworkArrays,
    Schedule,
    Task,
    fast_path,
    plain_path,
    schedule,
    schedule_arrays,
)
from itpm.engine.timetable import Timetable
from tests.engine.test_fast_path import COLUMNS

# The fixture records what the kernel made; each example clears the record first.
quick = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def kernels_on() -> Iterator[list[Schedule]]:
    """The kernels for networks of any size, and a record of each schedule the plain kernel made."""
    saved = fast_path.FAST_FROM, fast_path.LOAD_FROM, plain_path._schedule
    made: list[Schedule] = []

    def recorded(*args: Any) -> Schedule | None:
        result = saved[2](*args)
        if result is not None:
            made.append(result)
        return result

    fast_path.FAST_FROM = fast_path.LOAD_FROM = 0
    plain_path._schedule = recorded  # type: ignore[assignment]
    yield made
    fast_path.FAST_FROM, fast_path.LOAD_FROM, plain_path._schedule = saved  # type: ignore[assignment]


@st.composite
def plain_networks(draw: st.DrawFn, acyclic: bool = True) -> dict[str, Any]:
    """Up to 30 tasks and 80 links, with a project start and perhaps a status date."""
    count = draw(st.integers(1, 30))
    link = st.tuples(
        st.integers(0, count - 1),
        st.integers(0, count - 1),
        st.integers(0, 3),
        st.integers(-4, 8),
        st.one_of(st.just(np.nan), st.integers(-60, 150).map(float), st.just(50.0)),
    )
    links: list[tuple[Any, ...]] = [row for row in draw(st.lists(link, max_size=80)) if row[0] != row[1]]
    if acyclic:
        links = [(min(p, s), max(p, s), *rest) for p, s, *rest in links]
    columns = list(zip(*links, strict=True)) if links else [()] * 5
    drawn: dict[str, Any] = {
        "durations": np.array(draw(st.lists(st.integers(0, 9), min_size=count, max_size=count))),
        "predecessor": np.array(columns[0], dtype=np.int64),
        "successor": np.array(columns[1], dtype=np.int64),
        "link_type": np.array(columns[2], dtype=np.int64),
        "lag": np.array(columns[3], dtype=np.int64),
        "project_start_unit": draw(st.integers(-3, 5)),
    }
    if draw(st.booleans()):
        drawn["lag_percent"] = np.array(columns[4], dtype=np.float64)
    if draw(st.booleans()):
        drawn["ids"] = [f"task {n}" for n in draw(st.permutations(range(count)))]
    if draw(st.booleans()):
        drawn["status_unit"] = draw(st.integers(-2, 25))
    if draw(st.booleans()):
        drawn["parent"] = np.full(count, -1)  # a parent column, but no summary
    return drawn


def outcome(drawn: dict[str, Any], fast: bool) -> Schedule | tuple[str, ...]:
    """The schedule, or the error: its code, tasks and message (or a ValueError's message)."""
    saved = fast_path.FAST_FROM
    if not fast:
        fast_path.FAST_FROM = 1 << 62
    try:
        return schedule_arrays(**drawn)
    except EngineError as error:
        return error.code, *error.tasks, str(error)
    except ValueError as error:
        return "ValueError", str(error)
    finally:
        fast_path.FAST_FROM = saved


def assert_same(fast: Schedule, reference: Schedule) -> None:
    for name in COLUMNS:
        ours, theirs = getattr(fast.columns, name), getattr(reference.columns, name)
        np.testing.assert_array_equal(ours, theirs, name)
        assert ours.dtype == theirs.dtype, name
    assert fast.columns.ids == reference.columns.ids
    assert fast.critical_path == reference.critical_path
    assert (fast.start, fast.finish) == (reference.start, reference.finish)
    assert list(fast.order) == list(reference.order)
    assert fast.conflicts == reference.conflicts
    for task in list(reference.columns.ids)[:3]:
        assert fast.results[task] == reference.results[task]


@quick
@given(plain_networks())
def test_the_plain_kernel_schedules_as_numpy_does(kernels_on: list[Schedule], drawn: dict[str, Any]) -> None:
    kernels_on.clear()
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert isinstance(fast, Schedule) and isinstance(reference, Schedule)
    assert kernels_on == [fast], "the plain kernel did not make this schedule"
    assert_same(fast, reference)


@quick
@given(plain_networks(acyclic=False))
def test_a_cycle_leaves_the_plain_kernel_for_the_same_error(
    kernels_on: list[Schedule], drawn: dict[str, Any]
) -> None:
    kernels_on.clear()
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    if isinstance(reference, Schedule):
        assert isinstance(fast, Schedule)
        assert_same(fast, reference)
    else:
        assert fast == reference


def test_a_network_in_a_network_arrays_takes_the_plain_kernel(kernels_on: list[Schedule]) -> None:
    arrays = NetworkArrays.of([3, 2, 4], [0, 1, 0], [1, 2, 2], [0, 2, 1], [1, 0, -1], ids=["A", "B", "C"])
    fast = schedule_arrays(arrays, project_start_unit=2)
    assert kernels_on == [fast]
    reference = outcome({"durations": arrays, "project_start_unit": 2}, fast=False)
    assert isinstance(reference, Schedule)
    assert_same(fast, reference)
    assert fast.finish == 8  # A 2-5, FS+1 B 6-8, B FF C: C finishes with B, at 8


BAD_INPUT = [
    {"durations": [2, -1], "predecessor": [0], "successor": [1]},
    {"durations": [2, 1], "predecessor": [0], "successor": [2]},
    {"durations": [2, 1], "predecessor": [-1], "successor": [1]},
    {"durations": [2, 1], "predecessor": [1], "successor": [1]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1], "link_type": [4]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1], "lag_percent": [np.inf]},
    {"durations": [2, 1, 3], "predecessor": [0], "successor": [1], "ids": ["A", "B", "A"]},
    {"durations": [2, 1, 3], "predecessor": [0, 1, 2], "successor": [1, 2, 1]},
    {"durations": [[2, 1]], "predecessor": [0], "successor": [1]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1, 0]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1], "ids": ["A"]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1], "parent": [-1]},
    {"durations": [2, 1], "predecessor": [0], "successor": [1], "parent": [-1.0, -1.0]},
]
CODES = ["E003", "E002", "E002", "E005", "E007", "E012", "E004", "E001", *["ValueError"] * 5]


@pytest.mark.parametrize(("drawn", "code"), list(zip(BAD_INPUT, CODES, strict=True)))
def test_refused_input_raises_the_same_error_either_way(
    kernels_on: list[Schedule], drawn: dict[str, Any], code: str
) -> None:
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert fast == reference
    assert not isinstance(fast, Schedule) and fast[0] == code
    assert kernels_on == []


def test_values_too_large_for_the_kernel_go_the_general_way(kernels_on: list[Schedule]) -> None:
    """A lag of 2**26 units or more does not fit the kernel's 32-bit columns: same results,
    from the general path."""
    drawn = {"durations": [2, 3], "predecessor": [0], "successor": [1], "lag": [1 << 30]}
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert isinstance(fast, Schedule) and isinstance(reference, Schedule)
    assert kernels_on == []
    assert_same(fast, reference)
    assert fast.finish == 2 + (1 << 30) + 3


def test_a_hand_checked_plain_schedule(kernels_on: list[Schedule]) -> None:
    """A FS+1 B, A SS C, C FF-2 D, B FS D, from 1 with the status date at 3.

    A starts at 3 (status date): 3-7; B 8-10; C 3-9 (SS from A); D (3 units) finishes no
    earlier than C's finish less 2 (7) nor starts before B's finish (10): 10-13. Late: D 10-13;
    B must finish by 10: 8-10; C by D's finish + 2 (15), but the project ends at 13: 7-13;
    A by B's start - 1 (7) and by C's late start (SS: start <= 7): 3-7."""
    drawn: dict[str, Any] = {
        "durations": [4, 2, 6, 3],
        "predecessor": [0, 0, 2, 1],
        "successor": [1, 2, 3, 3],
        "link_type": [0, 1, 2, 0],
        "lag": [1, 0, -2, 0],
        "ids": ["A", "B", "C", "D"],
        "project_start_unit": 1,
        "status_unit": 3,
    }
    fast = schedule_arrays(**drawn)
    assert kernels_on == [fast]
    columns = fast.columns
    assert columns.early_start.tolist() == [3, 8, 3, 10]
    assert columns.early_finish.tolist() == [7, 10, 9, 13]
    assert columns.late_start.tolist() == [3, 8, 7, 10]
    assert columns.total_float.tolist() == [0, 0, 4, 0]
    assert columns.free_float.tolist() == [0, 0, 4, 0]
    assert fast.critical_path == ["A", "B", "D"]
    assert [fast.results[t].driver for t in "ABCD"] == ["status date", "link", "link", "link"]
    assert fast.results["D"].driving_predecessor == "B"
    assert fast.finish == 13


TEXTS = st.text(alphabet=st.sampled_from("ab\0é€ \U0001f600"), max_size=4)


@quick
@given(st.lists(TEXTS, min_size=1, max_size=40))
def test_the_compiled_duplicate_check_agrees_with_a_set(kernels_on: list[Schedule], ids: list[str]) -> None:
    assert fast_path.distinct(ids, 10**6) == (len(set(ids)) == len(ids))


def test_a_duplicate_among_many_ids_is_found(kernels_on: list[Schedule]) -> None:
    ids = [f"T{n}" for n in range(50_000)]
    assert fast_path.distinct(ids, 10**6)
    assert not fast_path.distinct([*ids, "T49999"], 10**6)
    assert not fast_path.distinct(["\ud800", "\ud800"], 10**6)  # not encodable: the set decides
    with pytest.raises(EngineError) as raised:
        schedule_arrays(np.ones(len(ids) + 1, int), [0], [1], ids=[*ids, "T7"])
    assert (raised.value.code, raised.value.tasks) == ("E004", ("T7",))


def objects_of(drawn: dict[str, Any]) -> tuple[list[Task], list[Link]]:
    """The drawn network as Task and Link objects."""
    count = len(drawn["durations"])
    ids = drawn.get("ids") or [str(n) for n in range(count)]
    tasks = [Task(ids[n], int(d)) for n, d in enumerate(drawn["durations"])]
    percents = drawn.get("lag_percent", np.full(len(drawn["predecessor"]), np.nan))
    columns = (drawn["predecessor"], drawn["successor"], drawn["link_type"], drawn["lag"], percents)
    links = [
        Link(ids[p], ids[s], LINK_TYPES[k], int(g), None if np.isnan(q) else float(q))
        for p, s, k, g, q in zip(*columns, strict=True)
    ]
    return tasks, links


@quick
@given(plain_networks())
def test_plain_objects_take_the_kernel_too(kernels_on: list[Schedule], drawn: dict[str, Any]) -> None:
    """schedule(tasks, links) reads the objects into arrays, and a plain network goes on to
    the kernel: the same schedule as the numpy path's from the same objects."""
    kernels_on.clear()
    tasks, links = objects_of(drawn)
    options = {k: drawn[k] for k in ("project_start_unit", "status_unit") if k in drawn}
    fast = schedule(tasks, links, **options)
    assert kernels_on == [fast]
    saved = fast_path.FAST_FROM
    fast_path.FAST_FROM = 1 << 62
    try:
        reference = schedule(tasks, links, **options)
    finally:
        fast_path.FAST_FROM = saved
    assert_same(fast, reference)


MONDAY = dt.date(2026, 1, 5)
WEEK = Calendar(units_per_day=1)
SAME_WEEK = Timetable(WEEK, {"also the week": Calendar(units_per_day=1)}, MONDAY)
SIX_DAYS = Timetable(WEEK, {"six": Calendar(frozenset(range(6)), units_per_day=1)}, MONDAY)


@quick
@given(plain_networks(), st.data())
def test_calendars_that_all_work_the_axis_leave_a_network_plain(
    kernels_on: list[Schedule], drawn: dict[str, Any], data: st.DataObject
) -> None:
    """A timetable whose calendars in use work the same days as its axis: the kernel schedules
    (in axis units), as the numpy path does with no calendars to convert."""
    kernels_on.clear()
    count = len(drawn["durations"])
    calendars = data.draw(st.one_of(st.none(), st.lists(st.integers(-1, 0), min_size=count, max_size=count)))
    drawn = {**drawn, "timetable": SAME_WEEK, "task_calendar": calendars}
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert isinstance(fast, Schedule) and isinstance(reference, Schedule)
    assert kernels_on == [fast]
    assert_same(fast, reference)


def test_a_project_calendar_off_the_axis_goes_the_general_way(kernels_on: list[Schedule]) -> None:
    """A six-day calendar named widens the axis to Saturdays: tasks on the project's five-day
    week are then off the axis, and the calendar sweeps schedule them (Fri 9, then Mon 12)."""
    drawn = {"durations": [5, 1], "predecessor": [0], "successor": [1], "timetable": SIX_DAYS}
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert isinstance(fast, Schedule) and isinstance(reference, Schedule)
    assert kernels_on == []
    assert_same(fast, reference)
    assert SIX_DAYS.axis.to_date(fast.columns.early_start[1]) == dt.date(2026, 1, 12)


@pytest.mark.parametrize("calendar", [[-2, -1], [-1, 1], [-1]])
def test_a_task_calendar_not_given_raises_the_same_error_either_way(
    kernels_on: list[Schedule], calendar: list[int]
) -> None:
    drawn = {"durations": [5, 1], "predecessor": [0], "successor": [1]}
    drawn |= {"timetable": SAME_WEEK, "task_calendar": calendar}
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    assert fast == reference and not isinstance(fast, Schedule)
    assert kernels_on == []


def test_objects_on_a_calendar_like_the_axis_take_the_kernel(kernels_on: list[Schedule]) -> None:
    tasks = [Task("A", 3), Task("B", 2, calendar="also the week"), Task("C", 1)]
    links = [Link("A", "B", "FS", 1), Link("A", "C", "SS")]
    fast = schedule(tasks, links, timetable=SAME_WEEK)
    assert kernels_on == [fast]
    saved = fast_path.FAST_FROM
    fast_path.FAST_FROM = 1 << 62
    try:
        reference = schedule(tasks, links, timetable=SAME_WEEK)
    finally:
        fast_path.FAST_FROM = saved
    assert_same(fast, reference)
    assert (fast.columns.early_start.tolist(), fast.finish) == ([0, 4, 0], 6)
