"""Levelling plans around each person's calendar: leave, days off, a part-time week.

Hand-checked plan, on the shared `world`: ERP starts Monday 5 January 2026 (Monday to Friday).
Mia does Design (10 days, leads to Build and Go-live: the critical path) and Spec (5 days, no
links); both could start on 5 January. Mia is on leave the week of 19 January. Without the leave
levelling would run Spec right after Design, 19-23 January; with it, Spec waits until Monday 26
January, and its reason names Design and the leave. Spec's own delay is 10 of Mia's working days
(5-9 and 12-16 January; her leave does not count, as the scheduler counts a delay on her calendar).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from itpm.planning.models import Calendar, CalendarException, Task
from itpm.planning.scheduling.run import do_schedule_project
from itpm.resources.levelling import check_apply_levelling, preview_levelling
from itpm.resources.models import Assignment
from itpm.resources.problem import load_problem, with_extra_capacity
from itpm.resources.problem_calendars import away_runs, days_at_work, leave
from tests.conftest import World

MONDAY = dt.date(2026, 1, 5)
LEAVE = (dt.date(2026, 1, 19), dt.date(2026, 1, 23))
AFTER_LEAVE = dt.date(2026, 1, 26)
GO_LIVE = dt.date(2026, 2, 13)


def _spec(world: World) -> Task:
    spec = Task.objects.create(project=world.project, name="Spec", wbs_code="5", order=5, duration_days=5)
    Assignment.objects.create(task=spec, resource=world.member_resource, units=Decimal(1))
    return spec


def _give_calendar(world: World, working_week: str = "12345", leave: Any = LEAVE) -> Calendar:
    calendar = Calendar.objects.create(name="Mia's", working_week=working_week)
    if leave:
        CalendarException.objects.create(calendar=calendar, name="Leave", start=leave[0], finish=leave[1])
    world.member_resource.calendar = calendar
    world.member_resource.save()
    return calendar


@pytest.fixture
def on_leave(world: World) -> Task:
    spec = _spec(world)
    _give_calendar(world)
    do_schedule_project(world.project)
    spec.refresh_from_db()
    return spec


def test_without_leave_spec_runs_right_after_design(world: World) -> None:
    _spec(world)
    do_schedule_project(world.project)
    [move] = preview_levelling(world.pm, world.project).moves
    assert (move.name, move.start_after, move.delay_days) == ("Spec", LEAVE[0], 10)


def test_the_leave_is_a_capacity_run_of_the_engine_resource(world: World, on_leave: Task) -> None:
    loaded = load_problem(world.project, [world.project], {world.project.pk})
    mia = next(r for r in loaded.problem.resources if r.name == "Mia Member")
    sam = next(r for r in loaded.problem.resources if r.name == "Sam Supplier")
    assert mia.calendar == ((10, 15, 0.0),)  # working days 11 to 15 of the plan: 19-23 January
    assert sam.calendar == ()  # no calendar of his own: he works the project's days
    plus = with_extra_capacity(loaded, mia.id, 1.0)
    more = next(r for r in plus.problem.resources if r.id == mia.id)
    assert (more.capacity, more.calendar) == (2.0, ((10, 15, 1.0),))  # the newcomer is not on leave


def test_spec_waits_until_after_the_leave_and_says_why(world: World, on_leave: Task) -> None:
    assert on_leave.start == MONDAY
    preview = preview_levelling(world.pm, world.project)
    [move] = preview.moves
    assert (move.name, move.start_before, move.start_after) == ("Spec", MONDAY, AFTER_LEAVE)
    assert (move.finish_after, move.delay_days) == (dt.date(2026, 1, 30), 10)
    [reason] = move.reasons
    assert [c.name for c in reason.competitors] == ["Design"]
    assert reason.away == (LEAVE,)
    assert reason.away_text == "19 Jan 2026 to 23 Jan 2026"
    assert preview.over_after == ()
    assert (preview.finish.before, preview.finish.after) == (GO_LIVE, GO_LIVE)


def test_apply_stores_the_delay_in_mias_working_days_and_the_plan_skips_her_leave(
    world: World, on_leave: Task
) -> None:
    check_apply_levelling(world.pm, world.project)
    on_leave.refresh_from_db()
    assert (on_leave.levelling_delay, on_leave.start, on_leave.finish) == (
        10,
        AFTER_LEAVE,
        dt.date(2026, 1, 30),
    )
    again = preview_levelling(world.pm, world.project)
    assert (again.moves, again.over_before, again.changes) == ((), (), False)


def test_a_task_that_would_span_the_leave_waits_it_out_and_the_reason_says_leave(world: World) -> None:
    """Mia's leave is 12-16 January; Design (10 days) cannot run 5-16 January without her. The
    scheduler lets it span the leave (5-23 January); levelling does not split it: it starts after."""
    _give_calendar(world, leave=(dt.date(2026, 1, 12), dt.date(2026, 1, 16)))
    do_schedule_project(world.project)
    preview = preview_levelling(world.pm, world.project)
    moves = {m.name: m for m in preview.moves}
    design = moves["Design"]
    assert (design.start_after, design.delay_days) == (dt.date(2026, 1, 19), 5)
    [reason] = design.reasons
    assert (reason.competitors, reason.away) == ((), ((dt.date(2026, 1, 12), dt.date(2026, 1, 16)),))
    assert moves["Build"].follows == "Design"


def test_a_shorter_working_week_is_not_leave_nor_is_a_single_holiday(world: World) -> None:
    """Mia works Monday to Wednesday, and Wednesday 14 January is a day off. Thursdays and Fridays
    are not runs (a task longer than her week could never start: part-time is her units); the
    Wednesday is a day off shorter than leave: the scheduler stretches Design over it, so levelling
    does not hold Design for it, but it counts as a day off in a delay."""
    _give_calendar(world, working_week="123", leave=(dt.date(2026, 1, 14), dt.date(2026, 1, 14)))
    do_schedule_project(world.project)
    loaded = load_problem(world.project, [world.project], {world.project.pk})
    mia = next(r for r in loaded.problem.resources if r.name == "Mia Member")
    assert (mia.calendar, loaded.days_off[mia.id]) == ((), ((7, 8, 0.0),))
    preview = preview_levelling(world.pm, world.project)
    moves = {move.name: move for move in preview.moves}
    assert "Design" not in moves and preview.over_after == ()
    # The scheduler runs Design on Mia's three days a week (to 27 January); levelling counts its
    # ten days on the project's five (docs/resources.md says so), hence Build a week earlier.
    assert (moves["Build"].shift_days, moves["Build"].follows) == (-7, "Design")


def test_runs_and_working_days_by_hand() -> None:
    at_work = np.array([True, False, False, True, True, False], dtype=bool)
    assert away_runs(at_work, 0.0) == ((1, 3, 0.0), (5, 6, 0.0))
    assert away_runs(np.ones(3, dtype=bool), 0.0) == ()
    runs = ((1, 3, 0.0), (5, 6, 0.0))
    assert days_at_work([runs], 0, 6) == 3
    assert days_at_work([runs, ((0, 1, 0.0),)], 0, 6) == 2
    assert days_at_work([((0, 6, 0.5),)], 0, 6) == 6  # half there is not away
    assert days_at_work([runs], 4, 4) == 0
    assert leave(((0, 2, 0.0), (5, 8, 0.0), (9, 20, 0.0))) == ((5, 8, 0.0), (9, 20, 0.0))
