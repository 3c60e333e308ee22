"""do_schedule_project writes engine results back: dates on the project calendar, float, critical path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itpm.planning.models import CalendarException, Dependency, Task
from itpm.planning.scheduling.dating import Dating, engine_calendar
from itpm.planning.scheduling.run import do_schedule_project
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


def test_progress_is_rescheduled_from_the_status_date(world: World) -> None:
    # Design took 12 days (5-20 Jan). Build started 21 Jan; a quarter of its 20 days is done
    # (to 27 Jan). As of Friday 6 Feb its 15 days left resume on Monday 9 Feb: done 27 Feb.
    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 20), percent_complete=100
    )
    Task.objects.filter(pk=world.build.pk).update(actual_start=dt.date(2026, 1, 21), percent_complete=25)
    outcome = do_schedule_project(world.project, status_date=dt.date(2026, 2, 6))
    design, build, golive = (Task.objects.get(pk=t.pk) for t in (world.design, world.build, world.golive))
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 20))
    assert (build.start, build.finish) == (dt.date(2026, 1, 21), dt.date(2026, 2, 27))
    assert golive.start == dt.date(2026, 2, 27)
    assert outcome.finish == dt.date(2026, 2, 27)
    assert not design.is_critical and build.is_critical
    assert outcome.conflicts == [] and outcome.problems == []


def test_remaining_days_set_the_work_left(world: World) -> None:
    Task.objects.filter(pk=world.build.pk).update(
        actual_start=dt.date(2026, 1, 19), percent_complete=50, remaining_days=Decimal(2)
    )
    do_schedule_project(world.project, status_date=dt.date(2026, 1, 30))
    build = Task.objects.get(pk=world.build.pk)
    assert build.finish == dt.date(2026, 2, 3)  # two days from Monday 2 Feb


def test_an_actual_start_that_breaks_a_link_is_a_conflict(world: World) -> None:
    Task.objects.filter(pk=world.build.pk).update(actual_start=dt.date(2026, 1, 12))
    outcome = do_schedule_project(world.project)
    assert [(c.code, c.tasks) for c in outcome.conflicts] == [("C103", [world.build.pk, world.design.pk])]
    assert outcome.conflicts[0].message == "Build: its actual dates contradict a link (from Design)"
    assert Task.objects.get(pk=world.build.pk).start == dt.date(2026, 1, 12)


def test_work_started_before_the_project_start_is_dated(world: World) -> None:
    Task.objects.filter(pk=world.design.pk).update(actual_start=dt.date(2025, 12, 29))
    outcome = do_schedule_project(world.project)
    design = Task.objects.get(pk=world.design.pk)
    assert (design.start, design.finish) == (dt.date(2025, 12, 29), dt.date(2026, 1, 9))
    assert Task.objects.get(pk=world.build.pk).start == dt.date(2026, 1, 12)
    assert outcome.error is None


def test_bad_stored_data_is_set_aside_and_reported(world: World) -> None:
    # Bypass the model's validators, as a bad import or a hand-edited database would.
    Task.objects.filter(pk=world.design.pk).update(duration_days=Decimal(-3))
    Task.objects.filter(pk=world.build.pk).update(
        actual_start=dt.date(2026, 2, 10), actual_finish=dt.date(2026, 2, 1)
    )
    Dependency.objects.filter(successor=world.golive).update(type="XX")
    outcome = do_schedule_project(world.project)
    assert outcome.error is None
    assert [(p.code, p.tasks) for p in outcome.problems] == [
        ("E003", [world.design.pk]),
        ("E011", [world.build.pk]),
        ("E007", [world.build.pk, world.golive.pk]),
    ]
    assert "scheduled without its duration" in outcome.problems[0].message
    assert "scheduled without its progress" in outcome.problems[1].message
    design, build = (Task.objects.get(pk=t.pk) for t in (world.design, world.build))
    assert design.start == design.finish == dt.date(2026, 1, 5)
    assert build.start == dt.date(2026, 1, 5)  # design takes no time now; build's bad actuals unused


def test_a_link_to_another_projects_task_is_set_aside(world: World) -> None:
    Dependency.objects.create(project=world.project, predecessor=world.canary_task, successor=world.build)
    outcome = do_schedule_project(world.project)
    assert outcome.error is None
    assert [(p.code, p.tasks) for p in outcome.problems] == [("E002", [world.build.pk])]
    assert Task.objects.get(pk=world.build.pk).start == dt.date(2026, 1, 19)


def test_dates_before_the_first_stored_date_still_convert() -> None:
    dating = Dating.from_origin(engine_calendar(None), dt.date(2026, 1, 5), dt.date(2026, 1, 5))
    work, shift = dating.reaching(-250)  # two and a half working days before 5 Jan
    assert work.to_date(shift - 250) == dt.date(2025, 12, 31)
    assert work.to_date(shift) == dt.date(2026, 1, 5)


def test_a_milestone_done_on_its_predecessors_last_day_is_in_sequence(world: World) -> None:
    # Shown on the day its predecessor finishes, a milestone is read back as the end of that day.
    for task, start, finish in (
        (world.design, dt.date(2026, 1, 5), dt.date(2026, 1, 16)),
        (world.build, dt.date(2026, 1, 19), dt.date(2026, 2, 13)),
        (world.golive, dt.date(2026, 2, 13), dt.date(2026, 2, 13)),
    ):
        Task.objects.filter(pk=task.pk).update(actual_start=start, actual_finish=finish, percent_complete=100)
    outcome = do_schedule_project(world.project, status_date=dt.date(2026, 2, 13))
    assert outcome.conflicts == []
    golive = Task.objects.get(pk=world.golive.pk)
    assert golive.start == golive.finish == dt.date(2026, 2, 13)


def test_constraints_and_deadlines_through_the_api(world: World) -> None:
    from tests.api.test_crud import client_for, send

    client = client_for(world, "pm")
    path = f"/api/v1/tasks/{world.build.pk}"
    response = send(client, "patch", path, {"constraint_type": "SNET", "constraint_date": "2026-02-02"})
    assert response.status_code == 200, response.content
    assert response.json()["start"] == "2026-02-02"
    missing = send(client, "patch", path, {"constraint_type": "MSO", "constraint_date": None})
    assert missing.status_code == 422 and missing.json()["field"] == "constraint_date"
    late = send(client, "patch", f"/api/v1/tasks/{world.golive.pk}", {"deadline": "2026-02-20"})
    assert late.status_code == 200
    assert Decimal(late.json()["total_float_days"]) < 0
    project = client.get(f"/api/v1/projects/{world.project.pk}").json()
    assert [issue["code"] for issue in project["schedule_issues"]] == ["C102"]
    assert "deadline" in project["schedule_issues"][0]["message"]


def test_status_date_on_the_project_reschedules_remaining_work(world: World) -> None:
    from tests.api.test_crud import client_for, send

    client = client_for(world, "pm")
    send(
        client,
        "patch",
        f"/api/v1/tasks/{world.design.pk}",
        {"actual_start": "2026-01-05", "percent_complete": 50},
    )
    response = send(client, "patch", f"/api/v1/projects/{world.project.pk}", {"status_date": "2026-01-23"})
    assert response.status_code == 200, response.content
    design = Task.objects.get(pk=world.design.pk)
    # half of ten days remains and cannot be done before the status date: 26-30 Jan
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 30))
    assert Task.objects.get(pk=world.build.pk).start == dt.date(2026, 2, 2)


def test_unchanged_tasks_are_not_rewritten(world: World, django_assert_max_num_queries) -> None:
    do_schedule_project(world.project)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        do_schedule_project(world.project)
    assert not [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "planning_task"')]


def test_each_task_knows_why_it_starts_then(world: World) -> None:
    Task.objects.filter(pk=world.golive.pk).update(
        constraint_type="SNET", constraint_date=dt.date(2026, 3, 2)
    )
    do_schedule_project(world.project)
    design, build, golive = (Task.objects.get(pk=t.pk) for t in (world.design, world.build, world.golive))
    assert (design.driver, design.driving_predecessor_id) == ("project start", None)
    assert (build.driver, build.driving_predecessor_id, build.driving_type) == ("link", world.design.pk, "FS")
    assert golive.driver == "constraint"
    assert build.free_float_days == Decimal(10)  # Go-live waits for 2 March, so Build may slip ten days


def test_a_levelling_delay_holds_a_task_after_its_links(world: World) -> None:
    # Build could start Monday 19 Jan; held 3 working days it starts Thursday 22 Jan, and its
    # 20 days end Wednesday 18 Feb; design keeps no free float: the delay used it.
    Task.objects.filter(pk=world.build.pk).update(levelling_delay=3)
    outcome = do_schedule_project(world.project)
    design, build = (Task.objects.get(pk=t.pk) for t in (world.design, world.build))
    assert (build.start, build.finish) == (dt.date(2026, 1, 22), dt.date(2026, 2, 18))
    assert outcome.finish == dt.date(2026, 2, 18)
    assert design.free_float_days == 0 and build.driver == "link"


def test_task_calendar_and_delay_through_the_api(world: World) -> None:
    from itpm.planning.models import Calendar
    from tests.api.test_crud import client_for, send

    client = client_for(world, "pm")
    path = f"/api/v1/tasks/{world.build.pk}"
    own = Calendar.objects.create(name="Four days", project=world.project, working_week="1234")
    foreign = Calendar.objects.create(name="Theirs", project=world.other)
    response = send(client, "patch", path, {"calendar_id": own.pk, "levelling_delay": 2})
    assert response.status_code == 200, response.content
    assert (response.json()["calendar_id"], response.json()["levelling_delay"]) == (own.pk, 2)
    shared = send(client, "patch", path, {"calendar_id": world.calendar.pk})
    assert shared.status_code == 200 and shared.json()["calendar_id"] == world.calendar.pk
    for body, field in (
        ({"calendar_id": foreign.pk}, "calendar_id"),
        ({"calendar_id": 999_999}, "calendar_id"),
        ({"levelling_delay": -1}, "levelling_delay"),
        ({"levelling_delay": None}, "levelling_delay"),
    ):
        refused = send(client, "patch", path, body)
        assert refused.status_code == 422, (body, refused.content)
        assert field in refused.content.decode(), (body, refused.content)
    stored = Task.objects.get(pk=world.build.pk)
    assert (stored.calendar_id, stored.levelling_delay) == (world.calendar.pk, 2)
    cleared = send(client, "patch", path, {"calendar_id": None, "levelling_delay": 0})
    assert cleared.status_code == 200 and cleared.json()["calendar_id"] is None


def test_a_task_works_on_its_own_calendar(world: World) -> None:
    # Design Mon 5 - Fri 16 Jan. Build works Monday to Thursday: its 20 days are the five
    # weeks from Mon 19 Jan to Thu 19 Feb; go-live follows on its finish.
    from itpm.planning.models import Calendar

    four = Calendar.objects.create(name="Four days", project=world.project, working_week="1234")
    Task.objects.filter(pk=world.build.pk).update(calendar=four)
    outcome = do_schedule_project(world.project)
    build, golive = (Task.objects.get(pk=t.pk) for t in (world.build, world.golive))
    assert (build.start, build.finish) == (dt.date(2026, 1, 19), dt.date(2026, 2, 19))
    assert golive.start == dt.date(2026, 2, 19) and outcome.finish == dt.date(2026, 2, 19)
    assert outcome.critical_path == [world.design.pk, world.build.pk, world.golive.pk]


def test_a_calendar_with_saturdays_moves_the_rest_on(world: World) -> None:
    # Design works Monday to Saturday: 10 days are Mon 5 - Sat 10 and Mon 12 - Thu 15 Jan.
    # Build, on the project's week, starts Fri 16 and its 20 days end Thu 12 Feb.
    from itpm.planning.models import Calendar

    six = Calendar.objects.create(name="Six days", working_week="123456")
    Task.objects.filter(pk=world.design.pk).update(calendar=six)
    do_schedule_project(world.project)
    design, build = (Task.objects.get(pk=t.pk) for t in (world.design, world.build))
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 15))
    assert (build.start, build.finish) == (dt.date(2026, 1, 16), dt.date(2026, 2, 12))


def test_a_task_works_when_its_resource_does(world: World) -> None:
    # Design's resource is on leave Mon 12 and Tue 13 Jan: its 10 days end Tue 20 Jan, and
    # build starts Wed 21. Build's own resource has no calendar: the project's week.
    from itpm.planning.models import Calendar

    leave = Calendar.objects.create(name="Mia", working_week="12345")
    CalendarException.objects.create(
        calendar=leave, name="Leave", start=dt.date(2026, 1, 12), finish=dt.date(2026, 1, 13)
    )
    world.member_resource.calendar = leave
    world.member_resource.save()
    do_schedule_project(world.project)
    design, build = (Task.objects.get(pk=t.pk) for t in (world.design, world.build))
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 20))
    assert build.start == dt.date(2026, 1, 21)


def test_resources_with_no_common_working_day_are_reported(world: World) -> None:
    from itpm.planning.models import Calendar
    from itpm.resources.models import Assignment

    weekend = Calendar.objects.create(name="Weekends", working_week="67")
    world.supplier_resource.calendar = weekend
    world.supplier_resource.save()
    Assignment.objects.create(task=world.design, resource=world.supplier_resource)
    outcome = do_schedule_project(world.project)
    assert [(p.code, p.tasks) for p in outcome.problems] == [("E006", [world.design.pk])]
    assert "share no working day" in outcome.problems[0].message
    design = Task.objects.get(pk=world.design.pk)  # the project's week, as if no calendar
    assert (design.start, design.finish) == (dt.date(2026, 1, 5), dt.date(2026, 1, 16))
    build = Task.objects.get(pk=world.build.pk)  # its resource works weekends only: Sat 17 Jan on
    assert build.start == dt.date(2026, 1, 17) and build.start.weekday() == 5
