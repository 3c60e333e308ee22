"""The Forecast page, server side: what each role sees, running a simulation from the page, and
bad input shown beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from itpm.governance.forecasting import check_run_simulation
from itpm.governance.models import ProjectOutcome, SimulationRun, TaskEstimate
from tests.conftest import World
from tests.web.test_pages import client_for, field_block, html

PAGE = "/projects/ERP/forecast/"


@pytest.fixture
def run(world: World) -> SimulationRun:
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=15, most_likely_days=20, pessimistic_days=40
    )
    return check_run_simulation(
        world.pm, world.project, {"iterations": 1000, "seed": 3, "deadline": "2026-02-20"}
    )


def test_the_page_shows_the_stored_run_with_its_charts(world: World, run: SimulationRun) -> None:
    page = html(client_for(world.pm).get(PAGE))
    finish = run.results["finish"]
    p80 = dt.date.fromisoformat(finish["p80"])
    assert f"{p80.day} {p80:%b %Y}" in page  # the P80 finish as a date
    assert f"{round(run.results['probability_deadline'] * 100)} %" in page
    assert page.count('class="mc-chart"') == 1  # finish only: no cost figures without finance costs
    for mark in ("P10", "P50", "P80", "P90", "Deadline"):
        assert f">{mark}</text>" in page
    assert 'class="mc-tornado"' in page and "2 Build" in page
    assert "Criticality index" in page and "Run a simulation" in page
    assert "seed 3" in page


def test_an_empty_page_invites_a_manager_to_run(world: World) -> None:
    page = html(client_for(world.pm).get(PAGE))
    assert "No Monte Carlo run yet" in page and "Run a simulation" in page
    assert "Run a simulation" not in html(client_for(world.viewer).get(PAGE))


def test_roles_without_the_budget_see_no_money(world: World, run: SimulationRun) -> None:
    ProjectOutcome.objects.create(
        name="Old ERP", project_type="other", planned_duration_days=100, actual_duration_days=130,
        planned_cost=Decimal(100), actual_cost=Decimal(180), closed_on=dt.date(2024, 1, 1),
    )  # fmt: skip
    member = html(client_for(world.member).get(PAGE))
    assert "Chance of staying within budget" not in member and "€" not in member
    assert "What similar projects did" in member
    viewer = html(client_for(world.viewer).get(PAGE))
    assert "Chance of staying within budget" in viewer and "Run a simulation" not in viewer


def test_supplier_is_refused_and_outsider_gets_the_missing_page(world: World) -> None:
    assert client_for(world.supplier).get(PAGE).status_code == 403
    hidden = client_for(world.outsider).get(PAGE)
    assert hidden.status_code == 404
    assert hidden.content == client_for(world.outsider).get("/projects/NOPE/forecast/").content


def test_a_manager_runs_a_simulation_from_the_page(world: World) -> None:
    response = client_for(world.pm).post(
        PAGE + "run/", {"iterations": "500", "seed": "9", "deadline": "2026-03-31", "budget": ""}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    stored = SimulationRun.objects.get(project=world.project)
    assert stored.seed == 9 and stored.iterations == 500 and stored.parameters["deadline"] == "2026-03-31"


def test_bad_run_input_shows_beside_the_field_and_runs_nothing(world: World) -> None:
    response = client_for(world.pm).post(PAGE + "run/", {"iterations": "5", "seed": "-2"})
    assert response.status_code == 422
    page = html(response)
    assert "greater than or equal to 100" in field_block(page, "iterations")
    assert "greater than or equal to 0" in field_block(page, "seed")
    assert not SimulationRun.objects.exists()
    assert client_for(world.viewer).post(PAGE + "run/", {"iterations": "500"}).status_code == 403


def test_a_manager_sets_the_reference_class_from_the_page(world: World) -> None:
    from itpm.governance.models import ForecastProfile

    client = client_for(world.pm)
    response = client.post(
        PAGE + "profile/", {"project_type": "erp", "uncertainty": "novel", "correlation": "0.5"}
    )
    assert response.status_code == 302
    profile = ForecastProfile.objects.get(project=world.project)
    assert (profile.project_type, profile.uncertainty, profile.correlation) == (
        "erp",
        "novel",
        Decimal("0.5"),
    )
    bad = client.post(
        PAGE + "profile/", {"project_type": "moonshot", "uncertainty": "novel", "correlation": "1.5"}
    )
    assert bad.status_code == 422 and "valid choice" in field_block(html(bad), "project_type")
    assert "less than or equal to 0.95" in field_block(html(bad), "correlation")
    refused = client_for(world.viewer).post(
        PAGE + "profile/", {"project_type": "crm", "uncertainty": "novel"}
    )
    assert refused.status_code == 403
    assert ForecastProfile.objects.get(project=world.project).project_type == "erp"


def test_the_gantt_marks_each_task_by_its_criticality_in_the_last_run(
    world: World, run: SimulationRun
) -> None:
    from itpm.planning.scheduling.run import do_schedule_project

    do_schedule_project(world.project)  # the chart draws scheduled tasks
    page = html(client_for(world.pm).get("/projects/ERP/gantt/"))
    assert (
        page.count('class="gantt-ci gantt-ci-high"') == 3
    )  # one chain: Design, Build, Go-live always critical
    assert "Critical in 100% of the simulated runs" in page
    assert "critical in 100% of simulated runs" in page  # in the bar's tooltip too
    supplier = html(client_for(world.supplier).get("/projects/ERP/gantt/"))
    assert "gantt-ci" not in supplier  # a supplier sees its own tasks, not the project's risk picture


def test_the_gantt_has_no_marks_before_any_run(world: World) -> None:
    assert "gantt-ci" not in html(client_for(world.pm).get("/projects/ERP/gantt/"))


def test_a_closed_project_shows_what_it_took(world: World) -> None:
    from itpm.governance.services import do_record_outcome

    do_record_outcome(world.project, closed_on=dt.date(2026, 12, 18))
    page = html(client_for(world.viewer).get(PAGE))
    assert "What the project took" in page and "348 days" in page  # 5 Jan to 18 Dec, both counted
    assert "Cost, actual" in page
    assert "Cost, actual" not in html(client_for(world.member).get(PAGE))


def test_the_project_overview_links_to_the_forecast_with_its_headline(
    world: World, run: SimulationRun
) -> None:
    p80 = dt.date.fromisoformat(run.results["finish"]["p80"])
    page = html(client_for(world.viewer).get("/projects/ERP/"))
    assert 'id="forecast-card"' in page and f"{p80.day} {p80:%b %Y}" in page
    assert 'href="/projects/ERP/forecast/"' in page
    assert "Chance within budget" not in page  # no finance costs in this world: no budget test
    assert 'id="forecast-card"' not in html(client_for(world.supplier).get("/projects/ERP/"))
