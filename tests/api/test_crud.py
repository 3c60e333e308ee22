"""The same list/get/create/update/delete and visibility tests for every API resource.

Each resource declares how to make one object in the visible project ERP and how to find one in
the invisible project CANARY; the tests below run against every declaration.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World


@dataclass(frozen=True)
class Resource:
    path: str
    create: Callable[[World], dict[str, Any]]
    update: dict[str, Any]
    hidden: Callable[[World], int]  # id of an object in CANARY (or otherwise invisible to the pm)
    visible: Callable[[World], int]  # id of an existing object the pm can see
    bad: tuple[dict[str, Any], str]  # a bad create body (on top of a good one) and the field it names
    creator: str = "pm"  # a persona allowed to create
    deleter: str = ""  # a persona allowed to delete, when not the creator
    refused: str = "viewer"  # a persona who can see but may not create


def _canary_calendar(w: World) -> int:
    from itpm.planning.models import Calendar

    return Calendar.objects.create(name="Canary calendar", project=w.other).pk


def _canary_dependency(w: World) -> int:
    from itpm.planning.models import Dependency, Task

    second = Task.objects.create(project=w.other, name="Canary second", duration_days=1)
    return Dependency.objects.create(project=w.other, predecessor=w.canary_task, successor=second).pk


def _canary_assignment(w: World) -> int:
    from itpm.resources.models import Assignment

    return Assignment.objects.create(task=w.canary_task, resource=w.member_resource).pk


def _hidden_resource(w: World) -> int:
    from itpm.resources.models import Resource as Row

    return Row.objects.create(name="Hidden contractor").pk


def _new_task(w: World) -> int:
    from itpm.planning.models import Task

    return Task.objects.create(project=w.project, name="Extra", duration_days=2).pk


RESOURCES = {
    "projects": Resource(
        path="/api/v1/projects",
        create=lambda w: {
            "portfolio_id": w.portfolio.pk,
            "code": "NEW-1",
            "name": "New project",
            "planned_start": "2026-03-02",
            "planned_finish": "2026-09-30",
            "budget": "250000.00",
        },
        update={"name": "Renamed project", "rag": "amber"},
        hidden=lambda w: w.other.pk,
        visible=lambda w: w.project.pk,
        bad=({"planned_finish": "2026-01-01"}, "planned_finish"),
        deleter="admin",  # a project manager may not delete a project; a project admin may
    ),
    "tasks": Resource(
        path="/api/v1/tasks",
        create=lambda w: {"project_id": w.project.pk, "name": "Data migration", "duration_days": "5"},
        update={"name": "Data migration, mock load 1", "duration_days": "7.5"},
        hidden=lambda w: w.canary_task.pk,
        visible=lambda w: w.design.pk,
        bad=({"duration_days": "-3"}, "duration_days"),
    ),
    "dependencies": Resource(
        path="/api/v1/dependencies",
        create=lambda w: {
            "predecessor_id": w.design.pk,
            "successor_id": w.golive.pk,
            "type": "SS",
            "lag_days": "-2",
        },
        update={"type": "FF", "lag_days": "1.5"},
        hidden=_canary_dependency,
        visible=lambda w: w.design.successor_links.first().pk,
        bad=({"type": "XX"}, "type"),
    ),
    "calendars": Resource(
        path="/api/v1/calendars",
        create=lambda w: {"name": "ERP cut-over 24x7", "project_id": w.project.pk, "working_week": "1234567"},
        update={"hours_per_day": "8", "name": "ERP cut-over"},
        hidden=_canary_calendar,
        visible=lambda w: w.calendar.pk,
        bad=({"working_week": "12389"}, "working_week"),
    ),
    "assignments": Resource(
        path="/api/v1/assignments",
        create=lambda w: {"task_id": w.golive.pk, "resource_id": w.member_resource.pk, "units": "0.5"},
        update={"units": "0.75"},
        hidden=_canary_assignment,
        visible=lambda w: w.design.assignments.first().pk,
        bad=({"units": "0"}, "units"),
    ),
    "resources": Resource(
        path="/api/v1/resources",
        create=lambda w: {
            "name": "Network engineers",
            "kind": "role",
            "max_units": "3",
            "cost_rate": "95",
            "skills": ["Cisco", "SD-WAN"],
        },
        update={"max_units": "4", "skills": ["Cisco"]},
        hidden=_hidden_resource,  # hidden from the supplier only: the pool is shared
        visible=lambda w: w.member_resource.pk,
        bad=({"kind": "robot"}, "kind"),
        creator="admin",
        refused="pm",
    ),
    "portfolios": Resource(
        path="/api/v1/portfolios",
        create=lambda w: {"name": "Shared services", "currency": "GBP"},
        update={"description": "Back-office IT"},
        hidden=lambda w: _hidden_portfolio(),
        visible=lambda w: w.portfolio.pk,
        bad=({"currency": "EURO"}, "currency"),
        creator="admin",
        refused="pm",
    ),
    "programs": Resource(
        path="/api/v1/programs",
        create=lambda w: {"portfolio_id": w.portfolio.pk, "name": "Workplace"},
        update={"description": "Devices and collaboration"},
        hidden=lambda w: _hidden_program(w),
        visible=lambda w: w.program.pk,
        bad=({"portfolio_id": 999999}, "portfolio_id"),
        creator="admin",
        refused="pm",
    ),
}


def _hidden_portfolio() -> int:
    from itpm.portfolio.models import Portfolio

    return Portfolio.objects.create(name="Someone else's portfolio").pk


def _hidden_program(w: World) -> int:
    from itpm.portfolio.models import Program

    return Program.objects.create(portfolio=w.portfolio, name="Hidden program").pk


def client_for(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.persona(persona))
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


NAMES = sorted(RESOURCES)
WHO_SEES_HIDDEN = {"resources": "supplier"}  # whose view the hidden object must stay out of


@pytest.mark.parametrize("name", NAMES)
def test_list_is_paginated_and_excludes_hidden(world: World, name: str) -> None:
    spec = RESOURCES[name]
    hidden = spec.hidden(world)
    persona = WHO_SEES_HIDDEN.get(name, "pm")
    response = client_for(world, persona).get(spec.path, {"page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    ids = [item["id"] for item in body["results"]]
    assert hidden not in ids
    assert body["count"] == len(ids) and body["page"] == 1
    if persona == "pm":
        assert spec.visible(world) in ids


@pytest.mark.parametrize("name", NAMES)
def test_hidden_answers_exactly_like_missing(world: World, name: str) -> None:
    spec = RESOURCES[name]
    persona = WHO_SEES_HIDDEN.get(name, "pm")
    client = client_for(world, persona)
    hidden_id = spec.hidden(world)
    hidden = client.get(f"{spec.path}/{hidden_id}")
    missing = client.get(f"{spec.path}/987654321")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    for method, body in (("patch", spec.update), ("delete", None)):
        assert send(client, method, f"{spec.path}/{hidden_id}", body).content == missing.content


@pytest.mark.parametrize("name", NAMES)
def test_get_visible(world: World, name: str) -> None:
    spec = RESOURCES[name]
    response = client_for(world, "pm").get(f"{spec.path}/{spec.visible(world)}")
    assert response.status_code == 200
    assert response.json()["id"] == spec.visible(world)


@pytest.mark.parametrize("name", NAMES)
def test_create_update_delete_round_trip(world: World, name: str) -> None:
    spec = RESOURCES[name]
    client = client_for(world, spec.creator)
    created = send(client, "post", spec.path, spec.create(world))
    assert created.status_code == 201, created.content
    item = created.json()
    for field, value in spec.create(world).items():
        if field != "skills":
            assert str(item[field]).rstrip("0").rstrip(".") == str(value).rstrip("0").rstrip("."), field
    updated = send(client, "patch", f"{spec.path}/{item['id']}", spec.update)
    assert updated.status_code == 200, updated.content
    for field, value in spec.update.items():
        got = updated.json()[field]
        assert (
            (got == value)
            if isinstance(value, list)
            else float(got) == float(value)
            if _numeric(value)
            else got == value
        )
    assert client.get(f"{spec.path}/{item['id']}").json() == updated.json()
    deleter = client_for(world, spec.deleter) if spec.deleter else client
    deleted = send(deleter, "delete", f"{spec.path}/{item['id']}")
    assert deleted.status_code == 204
    assert client.get(f"{spec.path}/{item['id']}").status_code == 404


def _numeric(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool)


@pytest.mark.parametrize("name", NAMES)
def test_refused_role_gets_403_and_nothing_changes(world: World, name: str) -> None:
    spec = RESOURCES[name]
    client = client_for(world, spec.refused)
    before = client_for(world, "admin").get(spec.path, {"page_size": 100}).json()["count"]
    response = send(client, "post", spec.path, spec.create(world))
    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    visible = spec.visible(world)
    original = client_for(world, "admin").get(f"{spec.path}/{visible}").json()
    assert send(client, "patch", f"{spec.path}/{visible}", spec.update).status_code == 403
    assert send(client, "delete", f"{spec.path}/{visible}").status_code == 403
    assert client_for(world, "admin").get(f"{spec.path}/{visible}").json() == original
    assert client_for(world, "admin").get(spec.path, {"page_size": 100}).json()["count"] == before


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_names_the_field_and_stores_nothing(world: World, name: str) -> None:
    spec = RESOURCES[name]
    client = client_for(world, spec.creator)
    before = client.get(spec.path, {"page_size": 100}).json()["count"]
    extra, field = spec.bad
    response = send(client, "post", spec.path, {**spec.create(world), **extra})
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    unknown = send(client, "post", spec.path, {**spec.create(world), "lock_version": 7, "id": 5})
    assert unknown.status_code == 422
    assert {"id", "lock_version"} & set(unknown.json()["errors"])
    assert client.get(spec.path, {"page_size": 100}).json()["count"] == before


@pytest.mark.parametrize("name", NAMES)
def test_outsider_sees_none_of_erp(world: World, name: str) -> None:
    spec = RESOURCES[name]
    if name in ("resources", "calendars", "portfolios"):
        pytest.skip("shared across projects: visible to any member of any project")
    response = client_for(world, "outsider").get(f"{spec.path}/{spec.visible(world)}")
    assert response.status_code == 404
