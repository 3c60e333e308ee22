"""The governance API: risks, three-point estimates, profiles and the closed-project history,
with each persona, hidden objects, and bad input answered 4xx with the field named."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World


def client_for(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.persona(persona))
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def _risk_body(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "project_id": world.project.pk,
        "title": "Data migration quality",
        "probability": "0.4",
        "schedule_optimistic_days": "2",
        "schedule_likely_days": "5",
        "schedule_pessimistic_days": "15",
        "cost_likely": "20000",
        "cost_pessimistic": "60000",
        "task_ids": [world.build.pk],
        **extra,
    }


def _canary_risk(world: World) -> int:
    from itpm.governance.models import Risk

    return Risk.objects.create(project=world.other, title="Canary risk zq9x", probability=Decimal("0.5")).pk


def test_project_manager_creates_reads_changes_and_deletes_a_risk(world: World) -> None:
    client = client_for(world, "pm")
    created = send(client, "post", "/api/v1/risks", _risk_body(world))
    assert created.status_code == 201, created.content
    risk = created.json()
    assert risk["task_ids"] == [world.build.pk]
    assert Decimal(risk["expected_delay_days"]) == Decimal("0.4") * Decimal("22") / 3
    changed = send(client, "patch", f"/api/v1/risks/{risk['id']}", {"status": "closed", "task_ids": []})
    assert changed.status_code == 200 and changed.json()["status"] == "closed"
    assert changed.json()["task_ids"] == []
    assert send(client, "delete", f"/api/v1/risks/{risk['id']}").status_code == 204
    assert client.get(f"/api/v1/risks/{risk['id']}").status_code == 404


@pytest.mark.parametrize("persona", ["member", "viewer"])
def test_team_and_viewers_read_risks_but_may_not_change_them(world: World, persona: str) -> None:
    risk_id = send(client_for(world, "pm"), "post", "/api/v1/risks", _risk_body(world)).json()["id"]
    client = client_for(world, persona)
    assert client.get(f"/api/v1/risks/{risk_id}").status_code == 200
    assert send(client, "patch", f"/api/v1/risks/{risk_id}", {"title": "x"}).status_code == 403
    assert send(client, "post", "/api/v1/risks", _risk_body(world)).status_code == 403


def test_supplier_and_outsider_do_not_see_the_risks(world: World) -> None:
    risk_id = send(client_for(world, "pm"), "post", "/api/v1/risks", _risk_body(world)).json()["id"]
    for persona in ("supplier", "outsider"):
        response = client_for(world, persona).get(f"/api/v1/risks/{risk_id}")
        assert response.status_code == 404
        assert response.json()["detail"] == "risk not found"


def test_hidden_risk_answers_exactly_like_a_missing_one(world: World) -> None:
    client = client_for(world, "pm")
    hidden, missing = client.get(f"/api/v1/risks/{_canary_risk(world)}"), client.get("/api/v1/risks/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    listed = client.get("/api/v1/risks", {"page_size": 100}).json()["results"]
    assert all(item["project_id"] == world.project.pk for item in listed)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"probability": "1.5"}, "probability"),
        ({"probability": "-0.1"}, "probability"),
        ({"schedule_likely_days": "1"}, "schedule_likely_days"),  # below the optimistic 2
        ({"cost_pessimistic": "100"}, "cost_pessimistic"),  # below the likely 20,000
        ({"task_ids": [999999]}, "task_ids"),
        ({"owner_id": 999999}, "owner_id"),
        ({"category": "weather"}, "category"),
        ({"title": ""}, "title"),
        ({"expected_cost": "5"}, "expected_cost"),  # computed, not writable
    ],
)
def test_bad_risk_input_names_the_field_and_stores_nothing(
    world: World, change: dict[str, Any], field: str
) -> None:
    from itpm.governance.models import Risk

    response = send(client_for(world, "pm"), "post", "/api/v1/risks", _risk_body(world, **change))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert field in response.json()["detail"]
    assert not Risk.objects.exists()


def test_a_risk_cannot_name_a_task_of_another_project(world: World) -> None:
    body = _risk_body(world, task_ids=[world.canary_task.pk])
    response = send(client_for(world, "pm"), "post", "/api/v1/risks", body)
    assert response.status_code == 422 and response.json()["field"] == "task_ids"


def test_a_risk_in_a_hidden_project_is_refused_by_name(world: World) -> None:
    body = _risk_body(world, project_id=world.other.pk, task_ids=[])
    response = send(client_for(world, "pm"), "post", "/api/v1/risks", body)
    assert response.status_code == 422 and response.json()["field"] == "project_id"


def test_estimates_belong_to_visible_tasks_and_keep_their_order(world: World) -> None:
    client = client_for(world, "pm")
    body = {
        "task_id": world.build.pk,
        "optimistic_days": "15",
        "most_likely_days": "20",
        "pessimistic_days": "40",
    }
    created = send(client, "post", "/api/v1/task-estimates", body)
    assert created.status_code == 201, created.content
    assert created.json()["distribution"] == "pert"
    again = send(client, "post", "/api/v1/task-estimates", body)
    assert again.status_code == 422 and again.json()["field"] == "task_id"
    estimate_id = created.json()["id"]
    bad = send(client, "patch", f"/api/v1/task-estimates/{estimate_id}", {"pessimistic_days": "18"})
    assert bad.status_code == 422 and bad.json()["field"] == "pessimistic_days"
    hidden = {**body, "task_id": world.canary_task.pk}
    assert send(client, "post", "/api/v1/task-estimates", hidden).json()["field"] == "task_id"
    assert (
        send(client_for(world, "viewer"), "patch", f"/api/v1/task-estimates/{estimate_id}", {}).status_code
        == 403
    )
    listed = client.get("/api/v1/task-estimates", {"project_id": world.project.pk}).json()
    assert [e["task_id"] for e in listed["results"]] == [world.build.pk]


def test_forecast_profile_is_set_by_the_manager_and_read_by_the_team(world: World) -> None:
    path = f"/api/v1/projects/{world.project.pk}/forecast-profile"
    assert client_for(world, "member").get(path).json()["project_type"] == "other"
    assert send(client_for(world, "member"), "put", path, {"project_type": "erp"}).status_code == 403
    saved = send(client_for(world, "pm"), "put", path, {"project_type": "erp", "uncertainty": "novel"})
    assert saved.status_code == 200 and saved.json()["project_type"] == "erp"
    assert client_for(world, "viewer").get(path).json()["uncertainty"] == "novel"
    bad = send(client_for(world, "pm"), "put", path, {"project_type": "moonshot"})
    assert bad.status_code == 422 and bad.json()["field"] == "project_type"
    too_strong = send(client_for(world, "pm"), "put", path, {"correlation": "0.99"})
    assert too_strong.status_code == 422 and too_strong.json()["field"] == "correlation"
    assert Decimal(client_for(world, "pm").get(path).json()["correlation"]) == Decimal("0.30")
    assert client_for(world, "outsider").get(path).status_code == 404


def _outcome_body(**extra: Any) -> dict[str, Any]:
    return {
        "name": "CRM 2019",
        "project_type": "crm",
        "planned_duration_days": 200,
        "actual_duration_days": 260,
        "planned_cost": "500000",
        "actual_cost": "640000",
        "closed_on": "2020-03-31",
        **extra,
    }


def test_only_administrators_write_the_history_and_project_managers_read_it(world: World) -> None:
    assert (
        send(client_for(world, "pm"), "post", "/api/v1/project-outcomes", _outcome_body()).status_code == 403
    )
    created = send(client_for(world, "admin"), "post", "/api/v1/project-outcomes", _outcome_body())
    assert created.status_code == 201, created.content
    outcome = created.json()
    assert outcome["schedule_overrun"] == pytest.approx(0.3)
    assert outcome["cost_overrun"] == pytest.approx(0.28)
    assert client_for(world, "pm").get(f"/api/v1/project-outcomes/{outcome['id']}").status_code == 200
    for persona in ("member", "viewer", "supplier"):
        assert client_for(world, persona).get(f"/api/v1/project-outcomes/{outcome['id']}").status_code == 404
        assert client_for(world, persona).get("/api/v1/project-outcomes").json()["count"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_duration_days": 0}, "planned_duration_days"),
        ({"planned_cost": "-1"}, "planned_cost"),
        ({"project_type": "space"}, "project_type"),
        ({"closed_on": "yesterday"}, "closed_on"),
        ({"project_id": 999999}, "project_id"),
    ],
)
def test_bad_outcome_input_names_the_field(world: World, change: dict[str, Any], field: str) -> None:
    response = send(client_for(world, "admin"), "post", "/api/v1/project-outcomes", _outcome_body(**change))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field


def test_closing_a_project_records_its_outcome(world: World) -> None:
    from itpm.governance.models import ProjectOutcome
    from itpm.planning.models import Task

    Task.objects.filter(pk=world.design.pk).update(
        actual_start=dt.date(2026, 1, 5), actual_finish=dt.date(2026, 1, 30), percent_complete=100
    )
    Task.objects.filter(pk=world.build.pk).update(
        actual_start=dt.date(2026, 2, 2), actual_finish=dt.date(2027, 1, 15), percent_complete=100
    )
    send(
        client_for(world, "pm"),
        "put",
        f"/api/v1/projects/{world.project.pk}/forecast-profile",
        {"project_type": "erp"},
    )
    response = send(
        client_for(world, "pm"), "patch", f"/api/v1/projects/{world.project.pk}", {"status": "closed"}
    )
    assert response.status_code == 200, response.content
    outcome = ProjectOutcome.objects.get(project=world.project)
    assert outcome.project_type == "erp"
    assert outcome.planned_duration_days == (dt.date(2026, 12, 18) - dt.date(2026, 1, 5)).days + 1
    assert outcome.actual_duration_days == (dt.date(2027, 1, 15) - dt.date(2026, 1, 5)).days + 1
    assert outcome.planned_cost == Decimal("1200000")
    assert outcome.scope_delivered_percent == Decimal(100)  # the milestone weighs nothing


def test_recording_again_updates_the_one_outcome(world: World) -> None:
    from itpm.governance.models import ProjectOutcome

    path = f"/api/v1/projects/{world.project.pk}/outcome"
    assert send(client_for(world, "member"), "post", path).status_code == 403
    first = send(client_for(world, "pm"), "post", path)
    assert first.status_code == 201, first.content
    assert first.json()["scope_delivered_percent"] == "0.0"
    send(client_for(world, "pm"), "post", path)
    assert ProjectOutcome.objects.filter(project=world.project).count() == 1
    assert (
        send(client_for(world, "pm"), "post", f"/api/v1/projects/{world.other.pk}/outcome").status_code == 404
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"optimistic_days": "1", "most_likely_days": "2"}, "pessimistic_days"),
        ({}, "category"),
        ({"category": "astrology"}, "category"),
        ({"category": "testing", "distribution": "normal"}, "distribution"),
    ],
)
def test_an_estimate_needs_three_points_or_a_category(world: World, body: dict[str, Any], field: str) -> None:
    from itpm.governance.models import TaskEstimate

    response = send(
        client_for(world, "pm"), "post", "/api/v1/task-estimates", {"task_id": world.design.pk, **body}
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not TaskEstimate.objects.exists()


def test_a_category_alone_is_an_estimate(world: World) -> None:
    body = {"task_id": world.design.pk, "category": "data migration"}
    response = send(client_for(world, "pm"), "post", "/api/v1/task-estimates", body)
    assert response.status_code == 201, response.content
    assert response.json()["most_likely_days"] is None and response.json()["category"] == "data migration"
