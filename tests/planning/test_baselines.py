"""Baselines, variance against them, and the read-only schedule and critical path: services and API.

The world's plan (Monday 5 Jan 2026, Monday-to-Friday calendar): Design 10 d (5-16 Jan) → Build
20 d (19 Jan - 13 Feb) → Go-live milestone (13 Feb). Variances are counted in working days by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from itpm.core.errors import Forbidden, Invalid, NotFound
from itpm.planning.models import Baseline, BaselineTask, CalendarException, Dependency, Task
from itpm.planning.scheduling.run import do_schedule_project
from itpm.planning.services.baselines import access_baseline, baseline_variance, check_set_baseline
from itpm.planning.services.tasks import check_create_task, check_delete_task, check_update_task
from itpm.planning.services.working_days import WorkingDays
from tests.api.test_crud import client_for, send
from tests.conftest import World

D = dt.date


@pytest.fixture
def scheduled(world: World) -> World:
    do_schedule_project(world.project)
    return world


def baseline_url(world: World) -> str:
    return f"/api/v1/projects/{world.project.pk}/baselines"


def set_baseline(world: World, name: str = "Approved plan") -> Baseline:
    return check_set_baseline(world.pm, world.project, name, created_by=world.pm)


# ---- setting, listing, reading and deleting -----------------------------------------------------------


def test_pm_sets_a_baseline_that_copies_every_task(scheduled: World) -> None:
    response = send(client_for(scheduled, "pm"), "post", baseline_url(scheduled), {"name": "Approved plan"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Approved plan"
    assert body["created_by"] == "pm"
    copied = {row["name"]: row for row in body["tasks"]}
    assert set(copied) == {"Design", "Build", "Go-live"}
    assert copied["Build"]["start"] == "2026-01-19"
    assert copied["Build"]["finish"] == "2026-02-13"
    assert Decimal(copied["Build"]["duration_days"]) == 20


@pytest.mark.parametrize("persona", ["admin", "pm", "member", "viewer"])
def test_whoever_sees_the_whole_plan_reads_baselines(scheduled: World, persona: str) -> None:
    baseline = set_baseline(scheduled)
    client = client_for(scheduled, persona)
    listed = client.get(baseline_url(scheduled))
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()] == ["Approved plan"]
    one = client.get(f"/api/v1/baselines/{baseline.pk}")
    assert one.status_code == 200 and len(one.json()["tasks"]) == 3
    assert client.get(f"/api/v1/baselines/{baseline.pk}/variance").status_code == 200


def test_supplier_is_refused_and_outsider_is_not_told(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    supplier = client_for(scheduled, "supplier")
    outsider = client_for(scheduled, "outsider")
    project, missing = scheduled.project.pk, 999_999
    for shown, absent in (
        (f"/api/v1/projects/{project}/baselines", f"/api/v1/projects/{missing}/baselines"),
        (f"/api/v1/baselines/{baseline.pk}", f"/api/v1/baselines/{missing}"),
        (f"/api/v1/baselines/{baseline.pk}/variance", f"/api/v1/baselines/{missing}/variance"),
        (f"/api/v1/projects/{project}/schedule", f"/api/v1/projects/{missing}/schedule"),
        (f"/api/v1/projects/{project}/critical-path", f"/api/v1/projects/{missing}/critical-path"),
    ):
        assert supplier.get(shown).status_code == 403, shown
        hidden = outsider.get(shown)
        assert hidden.status_code == 404, shown
        assert hidden.content == outsider.get(absent).content  # no way to tell hidden from missing
    assert send(supplier, "post", baseline_url(scheduled), {"name": "Mine"}).status_code == 403
    assert send(outsider, "post", baseline_url(scheduled), {"name": "Mine"}).status_code == 404
    assert send(outsider, "delete", f"/api/v1/baselines/{baseline.pk}").status_code == 404
    assert Baseline.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier"])
def test_only_plan_changers_set_and_delete(scheduled: World, persona: str) -> None:
    baseline = set_baseline(scheduled)
    client = client_for(scheduled, persona)
    assert send(client, "post", baseline_url(scheduled), {"name": "Other"}).status_code == 403
    assert send(client, "delete", f"/api/v1/baselines/{baseline.pk}").status_code == 403
    assert list(Baseline.objects.values_list("name", flat=True)) == ["Approved plan"]


def test_pm_deletes_a_baseline_and_its_copies(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    response = send(client_for(scheduled, "pm"), "delete", f"/api/v1/baselines/{baseline.pk}")
    assert response.status_code == 204
    assert not Baseline.objects.exists()
    assert not BaselineTask.objects.exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("   ", "needs a name"),
        ("", "at least 1"),
        ("x" * 101, "at most 100"),
        ("Approved plan", "already exists"),
    ],
)
def test_bad_baseline_name_is_refused_and_nothing_stored(scheduled: World, name: str, problem: str) -> None:
    set_baseline(scheduled)
    response = send(client_for(scheduled, "pm"), "post", baseline_url(scheduled), {"name": name})
    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert problem in response.json()["detail"]
    assert Baseline.objects.count() == 1
    assert BaselineTask.objects.count() == 3


def test_service_refuses_a_long_name_from_any_channel(scheduled: World) -> None:
    with pytest.raises(Invalid) as caught:
        set_baseline(scheduled, "y" * 101)
    assert caught.value.field == "name"
    assert not Baseline.objects.exists()


def test_access_baseline_404_then_403(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    with pytest.raises(NotFound):
        access_baseline(scheduled.outsider, baseline.pk)
    with pytest.raises(Forbidden):
        access_baseline(scheduled.supplier, baseline.pk)
    with pytest.raises(Forbidden):
        access_baseline(scheduled.viewer, baseline.pk, "change_plan")
    assert access_baseline(scheduled.viewer, baseline.pk) == baseline


# ---- variance -----------------------------------------------------------------------------------------


def variance_of(world: World, baseline: Baseline) -> dict[str, Any]:
    response = client_for(world, "viewer").get(f"/api/v1/baselines/{baseline.pk}/variance")
    assert response.status_code == 200
    return response.json()


def test_longer_design_shows_as_variance_in_working_days(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    check_update_task(scheduled.pm, scheduled.design, {"duration_days": Decimal(15)})
    # Design now 5-23 Jan (+5 working days at the finish); Build 26 Jan - 20 Feb; Go-live 20 Feb.
    body = variance_of(scheduled, baseline)
    rows = {row["name"]: row for row in body["tasks"]}
    design, build, golive = rows["Design"], rows["Build"], rows["Go-live"]
    assert (design["start_variance_days"], design["finish_variance_days"]) == (0, 5)
    assert Decimal(design["duration_variance_days"]) == 5
    assert (design["baseline_finish"], design["finish"]) == ("2026-01-16", "2026-01-23")
    assert (build["start_variance_days"], build["finish_variance_days"]) == (5, 5)
    assert Decimal(build["duration_variance_days"]) == 0
    assert (golive["start_variance_days"], golive["finish_variance_days"]) == (5, 5)
    assert (body["baseline_finish"], body["finish"], body["finish_variance_days"]) == (
        "2026-02-13",
        "2026-02-20",
        5,
    )
    assert body["start_variance_days"] == 0
    assert body["added"] == [] and body["removed"] == []


def test_shorter_work_is_negative_and_holidays_do_not_count(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    check_update_task(scheduled.pm, scheduled.build, {"duration_days": Decimal(12)})
    variance = baseline_variance(scheduled.viewer, baseline)
    build = next(row for row in variance.tasks if row.name == "Build")
    assert build.finish == D(2026, 2, 3)  # 12 working days from Monday 19 Jan
    assert build.finish_variance_days == -8
    assert build.duration_variance_days == Decimal(-8)
    assert variance.finish_variance_days == -8
    # A holiday between the two finishes is not a working day, so it is not part of the variance.
    CalendarException.objects.create(
        calendar=scheduled.calendar, name="Closure", start=D(2026, 2, 5), finish=D(2026, 2, 6)
    )
    assert baseline_variance(scheduled.viewer, baseline).finish_variance_days == -6


def test_added_and_removed_tasks_are_listed(scheduled: World) -> None:
    baseline = set_baseline(scheduled)
    check_create_task(scheduled.pm, {"project_id": scheduled.project.pk, "name": "Hypercare"})
    check_delete_task(scheduled.pm, Task.objects.get(pk=scheduled.golive.pk))
    body = variance_of(scheduled, baseline)
    assert [row["name"] for row in body["added"]] == ["Hypercare"]
    assert [(row["task_id"], row["name"]) for row in body["removed"]] == [(None, "Go-live")]
    assert {row["name"] for row in body["tasks"]} == {"Design", "Build"}


def test_summary_duration_variance_uses_its_span(scheduled: World) -> None:
    child = check_create_task(
        scheduled.pm,
        {"project_id": scheduled.project.pk, "name": "Fit-gap", "parent_id": scheduled.design.pk},
    )
    check_update_task(scheduled.pm, child, {"duration_days": Decimal(4)})
    baseline = set_baseline(scheduled)
    check_update_task(scheduled.pm, Task.objects.get(pk=child.pk), {"duration_days": Decimal(6)})
    design = next(row for row in baseline_variance(scheduled.pm, baseline).tasks if row.name == "Design")
    assert design.is_summary
    assert (design.baseline_duration_days, design.duration_days, design.duration_variance_days) == (4, 6, 2)


def test_working_days_count_weekends_holidays_and_extra_days() -> None:
    days = WorkingDays(days_off=frozenset({D(2026, 1, 7)}), extra_days=frozenset({D(2026, 1, 10)}))
    assert days.count(D(2026, 1, 5), D(2026, 1, 12)) == 5  # Mon-Sun: 5 weekdays - 1 holiday + Saturday
    assert days.between(D(2026, 1, 12), D(2026, 1, 5)) == -5
    assert days.between(D(2026, 1, 5), None) is None
    assert days.span(D(2026, 1, 5), D(2026, 1, 9)) == 4
    assert not days.is_working(D(2026, 1, 7)) and days.is_working(D(2026, 1, 10))


# ---- the stored schedule and the critical path --------------------------------------------------------


def add_parallel_task(world: World, days: int = 5) -> Task:
    """Training runs beside Build, from Design to Go-live: 15 days of float at 5 days long."""
    training = Task.objects.create(project=world.project, name="Training", duration_days=days, order=4)
    Dependency.objects.create(project=world.project, predecessor=world.design, successor=training)
    Dependency.objects.create(project=world.project, predecessor=training, successor=world.golive)
    do_schedule_project(world.project)
    return training


def test_schedule_api_reads_stored_dates_in_outline_order(scheduled: World) -> None:
    add_parallel_task(scheduled)
    response = client_for(scheduled, "member").get(f"/api/v1/projects/{scheduled.project.pk}/schedule")
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["finish"]) == ("2026-01-05", "2026-02-13")
    assert [row["name"] for row in body["tasks"]] == ["Design", "Build", "Go-live", "Training"]
    training = body["tasks"][3]
    assert (training["start"], training["finish"], training["is_critical"]) == (
        "2026-01-19",
        "2026-01-23",
        False,
    )
    assert Decimal(training["total_float_days"]) == 15


def test_critical_path_runs_in_link_order(scheduled: World) -> None:
    training = add_parallel_task(scheduled)
    path = f"/api/v1/projects/{scheduled.project.pk}/critical-path"
    body = client_for(scheduled, "viewer").get(path).json()
    assert body["task_ids"] == [scheduled.design.pk, scheduled.build.pk, scheduled.golive.pk]
    assert [row["name"] for row in body["tasks"]] == ["Design", "Build", "Go-live"]
    check_update_task(scheduled.pm, training, {"duration_days": Decimal(30)})
    body = client_for(scheduled, "viewer").get(path).json()
    assert [row["name"] for row in body["tasks"]] == ["Design", "Training", "Go-live"]


def test_reading_never_reschedules(scheduled: World) -> None:
    Task.objects.filter(pk=scheduled.build.pk).update(duration_days=40)  # behind the services' back
    body = client_for(scheduled, "pm").get(f"/api/v1/projects/{scheduled.project.pk}/schedule").json()
    assert body["finish"] == "2026-02-13"


def test_openapi_lists_the_new_routes(world: World) -> None:
    paths = client_for(world, "pm").get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/projects/{project_id}/baselines",
        "/api/v1/baselines/{baseline_id}",
        "/api/v1/baselines/{baseline_id}/variance",
        "/api/v1/projects/{project_id}/critical-path",
    ):
        assert path in paths
    assert {"get", "post"} <= set(paths["/api/v1/projects/{project_id}/schedule"])
