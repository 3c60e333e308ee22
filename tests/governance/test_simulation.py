"""Simulating a project from the database: the engine sees the plan the Gantt shows, dates come
back right, a seed reproduces a run, progress counts from the status date, and the API checks
who may run and read, and what input it takes."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from itpm.governance.forecasting import check_run_simulation
from itpm.governance.models import Risk, SimulationRun, TaskEstimate
from itpm.planning.models import Task
from tests.conftest import World

# The world's plan: Design (10 working days) → Build (20) → Go-live, from Monday 5 January 2026,
# on a Monday-to-Friday calendar: Design 5–16 Jan, Build 19 Jan – 13 Feb.
PLANNED_FINISH = dt.date(2026, 2, 13)


def _certain(world: World) -> None:
    """Estimates with no spread: every run is the plan."""
    TaskEstimate.objects.create(
        task=world.design, optimistic_days=10, most_likely_days=10, pessimistic_days=10
    )
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=20, most_likely_days=20, pessimistic_days=20
    )


def _uncertain(world: World) -> None:
    TaskEstimate.objects.create(task=world.design, category="design")
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=15, most_likely_days=20, pessimistic_days=40
    )
    risk = Risk.objects.create(
        project=world.project,
        title="Vendor late",
        probability=Decimal("0.4"),
        schedule_optimistic_days=2,
        schedule_likely_days=5,
        schedule_pessimistic_days=15,
        cost_likely=10_000,
        cost_pessimistic=30_000,
    )
    risk.tasks.set([world.build])


def _run(world: World, **data: Any) -> SimulationRun:
    return check_run_simulation(world.pm, world.project, {"iterations": 1000, "seed": 11, **data})


def test_a_certain_plan_finishes_on_its_scheduled_date_in_every_run(world: World) -> None:
    _certain(world)
    results = _run(world, deadline=PLANNED_FINISH).results
    finish = results["finish"]
    assert finish["p10"] == finish["p50"] == finish["p90"] == PLANNED_FINISH.isoformat()
    assert results["deterministic_finish"] == PLANNED_FINISH.isoformat()
    assert results["probability_deadline"] == 1.0
    assert _run(world, deadline=PLANNED_FINISH - dt.timedelta(days=1)).results["probability_deadline"] == 0.0


def test_a_certain_risk_delays_the_task_it_affects(world: World) -> None:
    _certain(world)
    risk = Risk.objects.create(
        project=world.project,
        title="Licence server late",
        probability=Decimal(1),
        schedule_optimistic_days=5,
        schedule_likely_days=5,
        schedule_pessimistic_days=5,
    )
    risk.tasks.set([world.build])
    results = _run(world).results
    assert results["finish"]["p50"] == "2026-02-20"  # five working days after 13 February
    assert results["risks"][0]["occurred"] == 1.0
    closed = Risk.objects.filter(pk=risk.pk)
    closed.update(status="closed")  # a closed risk no longer happens
    assert _run(world).results["finish"]["p50"] == PLANNED_FINISH.isoformat()


def test_the_same_seed_reproduces_a_run_and_another_seed_does_not(world: World) -> None:
    _uncertain(world)
    first, again, other = _run(world, seed=42), _run(world, seed=42), _run(world, seed=43)
    assert first.results == again.results
    assert first.results["finish"]["cumulative"] != other.results["finish"]["cumulative"]
    assert SimulationRun.objects.filter(project=world.project).count() == 3
    assert first.seed == 42 and first.iterations == 1000 and first.created_by == world.pm
    assert first.parameters["deadline"] == "2026-12-18"  # the planned finish when none is given
    assert Decimal(first.parameters["budget"]) == Decimal(1_200_000)


def test_results_describe_the_spread_of_an_uncertain_plan(world: World) -> None:
    _uncertain(world)
    results = _run(world, iterations=4000).results
    finish = results["finish"]
    assert finish["p10"] <= finish["p50"] <= finish["p80"] <= finish["p90"]
    assert finish["p10"] > "2026-02-06"  # the optimistic plan: 9 + 15 working days
    assert sum(results["finish"]["histogram"]["counts"]) == 4000
    assert results["probability_deterministic"] < 0.5  # the pessimistic tail makes the plan a long shot
    chain = {item["task_id"]: item["index"] for item in results["criticality"]}
    assert chain[world.design.pk] == chain[world.build.pk] == 1.0  # a single chain: always critical
    kinds = {driver["kind"] for driver in results["tornado"]}
    assert kinds == {"task", "risk"}
    assert results["tornado"][0]["name"] == "2 Build"  # the widest estimate drives the finish most
    # No planned cost per task in finance: the cost holds the risk's cost only, and no budget test.
    assert Decimal(results["cost"]["p90"]) <= 30_000 and results["probability_budget"] is None
    assert any("No planned cost per task" in note for note in results["notes"])
    assert results["convergence"]["p80_standard_error_days"] > 0


def test_finance_costs_grow_with_the_sampled_duration(world: World) -> None:
    from itpm.finance.models import FixedCost
    from itpm.planning.scheduling.run import do_schedule_project

    _certain(world)
    FixedCost.objects.create(task=world.build, name="Integrator", amount=Decimal(50_000), currency="EUR")
    do_schedule_project(world.project)  # finance phases costs over the scheduled dates
    # 50,000 fixed, plus labour at the resources' rates, 7.5 h a day: Design 10 d × €80, Build 20 d × €120.
    planned = Decimal(50_000 + 10 * 7.5 * 80 + 20 * 7.5 * 120)
    results = _run(world, budget=str(planned)).results
    assert Decimal(results["cost"]["p10"]) == Decimal(results["cost"]["p90"]) == planned
    assert results["probability_budget"] == 1.0
    assert _run(world, budget=str(planned - Decimal("0.01"))).results["probability_budget"] == 0.0
    TaskEstimate.objects.filter(task=world.build).update(pessimistic_days=30)
    spread = _run(world, budget=str(planned)).results
    assert Decimal(spread["cost"]["p90"]) > planned  # labour is paid by the day: longer costs more
    assert spread["probability_budget"] < 0.05


def test_work_done_counts_at_its_actual_cost(world: World) -> None:
    """Design is finished and took 100 approved hours at Mia's €80 instead of the planned 75: the
    €2,000 overrun to date is in the cost at completion, on top of Build's planned cost."""
    from itpm.planning.scheduling.run import do_schedule_project
    from itpm.timesheets.models import SheetStatus, TimeEntry, Timesheet

    _certain(world)
    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 16), percent_complete=100
    )
    world.project.status_date = dt.date(2026, 1, 16)
    world.project.save()
    do_schedule_project(world.project)
    for monday in (dt.date(2026, 1, 5), dt.date(2026, 1, 12)):
        sheet = Timesheet.objects.create(
            resource=world.member_resource,
            project=world.project,
            week_start=monday,
            status=SheetStatus.APPROVED,
        )
        for day in range(5):
            TimeEntry.objects.create(
                timesheet=sheet, task=world.design, day=monday + dt.timedelta(days=day), hours=10
            )
    build_planned = Decimal(20 * 7.5 * 120)
    run = _run(world)
    assert Decimal(run.results["cost"]["p50"]) == Decimal(100 * 80) + build_planned
    assert "actual cost" in run.parameters["cost_source"]


def test_progress_counts_from_the_status_date(world: World) -> None:
    _certain(world)
    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 16), percent_complete=100
    )
    world.project.status_date = dt.date(2026, 1, 30)  # two weeks later, Build not started yet
    world.project.save()
    results = _run(world).results
    assert results["finish"]["p50"] == "2026-02-27"  # Build's 20 days from Monday 2 February
    assert results["deterministic_finish"] == "2026-02-27"


def test_a_plan_that_cannot_be_scheduled_is_refused_and_nothing_is_stored(world: World) -> None:
    from itpm.core.errors import Conflict
    from itpm.planning.models import Dependency

    Dependency.objects.create(project=world.project, predecessor=world.golive, successor=world.design)
    with pytest.raises(Conflict, match="cannot be simulated"):
        _run(world)
    assert not SimulationRun.objects.exists()


# ---- the API ---------------------------------------------------------------------------------------


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.persona(persona))
    return client


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_managers_run_and_the_team_reads_the_latest_run(world: World) -> None:
    _uncertain(world)
    path = f"/api/v1/projects/{world.project.pk}/simulations"
    assert _client(world, "viewer").get(f"{path}/latest").status_code == 404  # none yet
    created = _post(_client(world, "pm"), path, {"iterations": 500, "seed": 5, "deadline": "2026-03-31"})
    assert created.status_code == 201, created.content
    run = created.json()
    assert run["seed"] == 5 and run["results"]["deadline"] == "2026-03-31"
    for persona in ("member", "viewer"):
        assert _post(_client(world, persona), path, {"iterations": 500}).status_code == 403
    latest = _client(world, "member").get(f"{path}/latest").json()
    assert latest["id"] == run["id"]
    assert latest["results"]["cost"] is None and latest["results"]["budget"] is None  # no budget for the team
    assert _client(world, "viewer").get(f"{path}/latest").json()["results"]["cost"] is not None
    assert _client(world, "supplier").get(f"{path}/latest").status_code == 403
    assert _client(world, "outsider").get(f"{path}/latest").status_code == 404
    assert (
        _client(world, "pm").get(f"/api/v1/projects/{world.other.pk}/simulations/{run['id']}").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"iterations": 10_000_000}, "iterations"),
        ({"iterations": 10}, "iterations"),
        ({"iterations": "many"}, "iterations"),
        ({"seed": -1}, "seed"),
        ({"deadline": "soon"}, "deadline"),
        ({"budget": "-5"}, "budget"),
        ({"chunks": 3}, "chunks"),
    ],
)
def test_bad_simulation_input_names_the_field_and_stores_nothing(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = _post(_client(world, "pm"), f"/api/v1/projects/{world.project.pk}/simulations", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not SimulationRun.objects.exists()


@pytest.mark.parametrize(
    ("status_date", "finish"),
    [
        (dt.date(2026, 1, 30), "2026-02-27"),  # the five-day lag ran out before the status date
        (dt.date(2026, 1, 20), "2026-02-20"),  # two lag days gone: Build starts Monday 26 January
    ],
)
def test_a_lag_after_finished_work_counts_only_what_is_left_of_it(
    world: World, status_date: dt.date, finish: str
) -> None:
    from itpm.planning.models import Dependency

    _certain(world)
    Dependency.objects.filter(predecessor=world.design, successor=world.build).update(lag_days=5)
    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 16), percent_complete=100
    )
    world.project.status_date = status_date
    world.project.save()
    assert _run(world).results["finish"]["p50"] == finish


def test_tasks_of_one_kind_of_work_overrun_together(world: World) -> None:
    """Two development tasks in a chain: correlated, their overruns add up more often, so the
    spread of the finish widens (the variance of a sum grows with the covariance)."""
    from itpm.governance.models import ForecastProfile

    TaskEstimate.objects.create(task=world.design, category="development")
    TaskEstimate.objects.create(task=world.build, category="development")
    profile = ForecastProfile.objects.create(project=world.project, correlation=Decimal(0))

    def spread() -> int:
        finish = _run(world, iterations=4000).results["finish"]
        return (dt.date.fromisoformat(finish["p90"]) - dt.date.fromisoformat(finish["p10"])).days

    independent = spread()
    profile.correlation = Decimal("0.9")
    profile.save()
    run = _run(world, iterations=4000)
    assert run.parameters["correlation_groups"] == [2] and run.parameters["correlation"] == 0.9
    assert spread() > independent


# ---- levelling each run ---------------------------------------------------------------------------


def _one_person_for_two_parallel_tasks(world: World) -> None:
    """Design and Build side by side (no link between them), both Mia's work at full time."""
    from itpm.planning.models import Dependency
    from itpm.resources.models import Assignment

    Dependency.objects.filter(predecessor=world.design, successor=world.build).delete()
    Assignment.objects.filter(task=world.build).delete()
    mia = Assignment.objects.get(task=world.design).resource
    Assignment.objects.create(task=world.build, resource=mia)
    _uncertain(world)


def test_levelling_each_run_finishes_later_when_one_person_does_two_parallel_tasks(world: World) -> None:
    _one_person_for_two_parallel_tasks(world)
    plain = _run(world, iterations=500)
    levelled = _run(world, iterations=500, level=True)
    assert plain.parameters["levelled"] is False and levelled.parameters["levelled"] is True
    for p in ("p50", "p80"):  # Mia does one after the other: at least Design's ten days later
        gap = dt.date.fromisoformat(levelled.results["finish"][p]) - dt.date.fromisoformat(
            plain.results["finish"][p]
        )
        assert gap >= dt.timedelta(days=14), (p, gap)
    assert levelled.results["tornado"] == plain.results["tornado"]  # drivers: the unlevelled runs
    assert levelled.results["cost"] == plain.results["cost"]
    assert any("unlevelled runs" in note for note in levelled.results["notes"])
    assert levelled.results["deterministic_finish"] > plain.results["deterministic_finish"]


def test_levelling_a_certain_plan_serialises_the_shared_person(world: World) -> None:
    """Design (10 days) then Build (20) by Mia alone from Monday 5 January: 13 February, as linked."""
    _one_person_for_two_parallel_tasks(world)
    TaskEstimate.objects.all().delete()
    Risk.objects.all().delete()
    _certain(world)
    results = _run(world, level=True, deadline=PLANNED_FINISH).results
    assert results["finish"]["p10"] == results["finish"]["p90"] == PLANNED_FINISH.isoformat()
    assert results["probability_deadline"] == 1.0
    assert _run(world, deadline=PLANNED_FINISH).results["finish"]["p50"] == "2026-01-30"  # 20 days


@pytest.mark.parametrize("level", ["yes", 1, None])
def test_level_must_be_true_or_false(world: World, level: Any) -> None:
    response = _post(
        _client(world, "pm"), f"/api/v1/projects/{world.project.pk}/simulations", {"level": level}
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "level"
    assert not SimulationRun.objects.exists()


def test_the_api_runs_a_levelled_simulation(world: World) -> None:
    _one_person_for_two_parallel_tasks(world)
    path = f"/api/v1/projects/{world.project.pk}/simulations"
    created = _post(_client(world, "pm"), path, {"iterations": 300, "seed": 3, "level": True})
    assert created.status_code == 201, created.content
    assert created.json()["parameters"]["levelled"] is True


def test_a_manager_levels_each_run_from_the_forecast_page(world: World) -> None:
    from tests.web.test_pages import client_for, html

    _one_person_for_two_parallel_tasks(world)
    page = "/projects/ERP/forecast/"
    client = client_for(world.pm)
    assert "Level each run (resource-driven plan)" in html(client.get(page))
    response = client.post(page + "run/", {"iterations": "300", "seed": "4", "level": "on"})
    assert response.status_code == 302, response.content
    assert SimulationRun.objects.get(project=world.project).parameters["levelled"] is True
    shown = html(client.get(page))
    assert "simulated runs, levelled each run (seed 4)" in shown
    assert re.search(r"<input[^>]*name=\"level\"[^>]*checked", shown), "the next run compares like with like"


def test_the_service_refuses_a_level_that_is_not_true_or_false(world: World) -> None:
    from itpm.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        _run(world, level="yes")
    assert refused.value.field == "level"
    assert not SimulationRun.objects.exists()


def test_levelling_counts_finished_work_as_done_from_the_status_date(world: World) -> None:
    """Mia finished Design (5–16 January); from the status date she does Build alone: 13 February."""
    _one_person_for_two_parallel_tasks(world)
    TaskEstimate.objects.all().delete()
    Risk.objects.all().delete()
    _certain(world)
    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 16), percent_complete=100
    )
    world.project.status_date = dt.date(2026, 1, 16)
    world.project.save()
    assert _run(world, level=True).results["finish"]["p50"] == PLANNED_FINISH.isoformat()


def test_levelling_counts_only_what_is_left_of_work_under_way(world: World) -> None:
    """Design half done on Friday 9 January: Mia's five days left and Build's twenty, one after
    the other from Monday 12 January, end on 13 February (all ten days again would be 20 February)."""
    _one_person_for_two_parallel_tasks(world)
    TaskEstimate.objects.all().delete()
    Risk.objects.all().delete()
    _certain(world)
    Task.objects.filter(pk=world.design.pk).update(actual_start=dt.date(2026, 1, 5), percent_complete=50)
    world.project.status_date = dt.date(2026, 1, 9)
    world.project.save()
    assert _run(world).results["finish"]["p50"] == "2026-02-06"  # unlevelled: Build alone, from 12 January
    assert _run(world, level=True).results["finish"]["p50"] == PLANNED_FINISH.isoformat()
