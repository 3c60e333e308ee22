"""do_schedule_project writes engine results back: dates on the project calendar, float, critical path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itpm.planning.models import CalendarException, Dependency, Task
from itpm.planning.services import do_schedule_project
from tests.conftest import World


def test_dates_follow_the_calendar(world: World) -> None:
    # Project starts Monday 5 Jan 2026; design 10 working days: 5-16 Jan; build 20: 19 Jan - 13 Feb.
    outcome = do_schedule_project(world.project)
    design, build, golive = (Task.objects.get(pk=t.pk) for t in (world.design, world.build, world.golive))
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 16))
    assert (build.start, build.finish) == (dt.date(2026, 1, 19), dt.date(2026, 2, 13))
    assert golive.start == golive.finish == dt.date(2026, 2, 13)  # a milestone sits on its driver's finish
    assert outcome.finish == dt.date(2026, 2, 13)
    assert outcome.critical_path == [world.design.pk, world.build.pk, world.golive.pk]
    assert all(t.is_critical and t.total_float_days == 0 for t in (design, build, golive))


def test_holidays_push_work_out(world: World) -> None:
    CalendarException.objects.create(
        calendar=world.calendar, name="Company days", start=dt.date(2026, 1, 12), finish=dt.date(2026, 1, 13)
    )
    do_schedule_project(world.project)
    assert Task.objects.get(pk=world.design.pk).finish == dt.date(2026, 1, 20)


def test_parallel_task_has_float(world: World) -> None:
    docs = Task.objects.create(
        project=world.project, name="Training material", duration_days=Decimal(5), order=4
    )
    Dependency.objects.create(project=world.project, predecessor=world.design, successor=docs)
    Dependency.objects.create(project=world.project, predecessor=docs, successor=world.golive)
    do_schedule_project(world.project)
    docs.refresh_from_db()
    assert docs.total_float_days == Decimal(15)
    assert not docs.is_critical
    assert docs.late_finish == dt.date(2026, 2, 13)


def test_cycle_is_reported_and_dates_are_kept(world: World) -> None:
    do_schedule_project(world.project)
    Dependency.objects.create(project=world.project, predecessor=world.golive, successor=world.design)
    outcome = do_schedule_project(world.project)
    assert outcome.error is not None and outcome.error.startswith("E001")
    assert Task.objects.get(pk=world.design.pk).start == dt.date(2026, 1, 5)
