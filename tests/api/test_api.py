"""API behaviour beyond plain CRUD: authentication, tokens, paging limits, CSRF, hidden fields, versions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.test_crud import client_for, send
from tests.conftest import World


def test_openapi_document_and_docs_are_served(world: World) -> None:
    client = Client()
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for name in (
        "portfolios",
        "programs",
        "projects",
        "tasks",
        "dependencies",
        "calendars",
        "resources",
        "assignments",
    ):
        assert f"/api/v1/{name}" in paths and f"/api/v1/{name}/{{item_id}}" in paths
    docs = client_for(world, "pm").get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower() and b"static/ninja/swagger-ui-bundle.js" in docs.content


def test_anonymous_requests_are_refused(world: World) -> None:
    response = Client().get("/api/v1/projects")
    assert response.status_code == 401
    assert "authentication" in response.json()["detail"]


def test_token_lifecycle(world: World) -> None:
    created = send(client_for(world, "pm"), "post", "/api/v1/tokens", {"name": "reporting script"})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("itpm_") and len(raw) > 40
    bearer = Client(headers={"authorization": f"Bearer {raw}"})
    me = bearer.get("/api/v1/me").json()
    assert me["username"] == "pm"
    assert [p["code"] for p in bearer.get("/api/v1/projects").json()["results"]] == ["ERP"]
    listed = client_for(world, "pm").get("/api/v1/tokens").json()
    assert "token" not in listed[0] and "key_hash" not in listed[0]
    assert (
        send(client_for(world, "pm"), "delete", f"/api/v1/tokens/{created.json()['id']}").status_code == 204
    )
    assert bearer.get("/api/v1/me").status_code == 401


def test_wrong_token_and_disabled_user_are_refused(world: World) -> None:
    raw = send(client_for(world, "member"), "post", "/api/v1/tokens", {"name": "x"}).json()["token"]
    assert Client(headers={"authorization": "Bearer itpm_wrong"}).get("/api/v1/me").status_code == 401
    world.member.is_active = False
    world.member.save()
    assert Client(headers={"authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_token_writes_skip_csrf_but_session_writes_need_it(world: World) -> None:
    raw = send(client_for(world, "pm"), "post", "/api/v1/tokens", {"name": "ci"}).json()["token"]
    bearer = Client(enforce_csrf_checks=True, headers={"authorization": f"Bearer {raw}"})
    body = {"project_id": world.project.pk, "name": "Token task"}
    assert send(bearer, "post", "/api/v1/tasks", body).status_code == 201
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.pm)
    refused = send(session, "post", "/api/v1/tasks", {**body, "name": "Session task"})
    assert refused.status_code == 403
    assert not world.project.tasks.filter(name="Session task").exists()


@pytest.mark.parametrize("query", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"page": "x"}])
def test_paging_limits(world: World, query: dict) -> None:
    response = client_for(world, "pm").get("/api/v1/tasks", query)
    assert response.status_code == 422
    assert response.json()["field"] in ("page_size", "page")


def test_paging_walks_every_item_once(world: World) -> None:
    client = client_for(world, "admin")
    seen: list[int] = []
    for page in (1, 2, 3, 4):
        body = client.get("/api/v1/tasks", {"page_size": 1, "page": page}).json()
        seen += [item["id"] for item in body["results"]]
        assert body["pages"] == 4
    assert len(seen) == len(set(seen)) == 4


def test_filters(world: World) -> None:
    client = client_for(world, "pm")
    names = [t["name"] for t in client.get("/api/v1/tasks", {"search": "bui"}).json()["results"]]
    assert names == ["Build"]
    milestones = client.get("/api/v1/tasks", {"is_milestone": "true"}).json()["results"]
    assert [t["name"] for t in milestones] == ["Go-live"]
    assert client.get("/api/v1/projects", {"status": "closed"}).json()["count"] == 0
    assert client.get("/api/v1/projects", {"status": "nonsense"}).status_code == 422


def test_budget_and_cost_rates_hidden_by_role(world: World) -> None:
    assert (
        client_for(world, "viewer").get(f"/api/v1/projects/{world.project.pk}").json()["budget"]
        == "1200000.00"
    )
    assert client_for(world, "member").get(f"/api/v1/projects/{world.project.pk}").json()["budget"] is None
    rate = f"/api/v1/resources/{world.member_resource.pk}"
    assert client_for(world, "pm").get(rate).json()["cost_rate"] == "80.00"
    assert client_for(world, "member").get(rate).json()["cost_rate"] is None
    supplier_view = client_for(world, "supplier").get("/api/v1/resources").json()["results"]
    assert [r["name"] for r in supplier_view] == ["Sam Supplier"]
    assert (
        client_for(world, "supplier").get(f"/api/v1/projects/{world.project.pk}/members").status_code == 403
    )


def test_stale_version_is_a_conflict(world: World) -> None:
    client = client_for(world, "pm")
    path = f"/api/v1/tasks/{world.design.pk}"
    assert send(client, "patch", path, {"name": "Design v2", "lock_version": 0}).status_code == 200
    stale = send(client, "patch", path, {"name": "Design v3", "lock_version": 0})
    assert stale.status_code == 409
    assert client.get(path).json()["name"] == "Design v2"


def test_server_owned_fields_are_refused_by_name(world: World) -> None:
    client = client_for(world, "pm")
    for field, value in (
        ("wbs_code", "9"),
        ("is_critical", True),
        ("start", "2026-01-01"),
        ("project_id", world.other.pk),
    ):
        response = send(client, "patch", f"/api/v1/tasks/{world.design.pk}", {field: value})
        assert response.status_code == 422, field
        assert response.json()["field"] == field


def test_nulls_are_refused_for_required_fields(world: World) -> None:
    response = send(client_for(world, "pm"), "patch", f"/api/v1/projects/{world.project.pk}", {"name": None})
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_malformed_json_is_a_clear_4xx(world: World) -> None:
    client = client_for(world, "pm")
    response = client.post("/api/v1/tasks", data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert json.loads(response.content)["detail"]


def test_member_reports_progress_through_the_api(world: World) -> None:
    path = f"/api/v1/tasks/{world.design.pk}"
    ok = send(client_for(world, "member"), "patch", path, {"percent_complete": 60})
    assert ok.status_code == 200 and ok.json()["percent_complete"] == 60
    refused = send(client_for(world, "member"), "patch", path, {"name": "Mine now"})
    assert refused.status_code == 403


def test_schedule_on_demand(world: World) -> None:
    response = send(client_for(world, "pm"), "post", f"/api/v1/projects/{world.project.pk}/schedule")
    assert response.status_code == 200
    assert response.json()["finish"] == "2026-02-13"
    assert (
        send(client_for(world, "viewer"), "post", f"/api/v1/projects/{world.project.pk}/schedule").status_code
        == 403
    )
    assert (
        send(client_for(world, "viewer"), "post", f"/api/v1/projects/{world.other.pk}/schedule").status_code
        == 404
    )


def test_every_route_requires_authentication(world: World) -> None:
    """No API operation answers an anonymous caller with data (route inventory)."""
    spec = Client().get("/api/v1/openapi.json").json()
    anonymous = Client()
    for path, operations in spec["paths"].items():
        concrete = path.replace("{item_id}", str(world.design.pk)).replace(
            "{project_id}", str(world.project.pk)
        )
        concrete = concrete.replace("{token_id}", "1").replace("{membership_id}", "1")
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} has no security requirement"
            response = send(anonymous, method, concrete, {})
            assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code}"


@pytest.mark.parametrize(
    "path", ["/api/v1/tasks", "/api/v1/resources", "/api/v1/projects", "/api/v1/calendars"]
)
def test_list_query_count_does_not_grow_with_items(
    world: World, path: str, django_assert_max_num_queries
) -> None:
    from itpm.planning.models import Calendar, CalendarException, Task
    from itpm.portfolio.models import Membership, Project
    from itpm.resources.models import Resource, Skill

    client = client_for(world, "pm")
    client.get(path)  # warm up the session and content types

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, {"page_size": 100}).status_code == 200
        return len(captured)

    few = count()
    skill = Skill.objects.create(name="Python")
    for n in range(15):
        Task.objects.create(project=world.project, name=f"More {n}", duration_days=1)
        Resource.objects.create(name=f"Person {n}").skills.add(skill)
        project = Project.objects.create(
            portfolio=world.portfolio,
            code=f"P{n}",
            name=f"P{n}",
            planned_start="2026-01-01",
            planned_finish="2026-02-01",
        )
        Membership.objects.create(project=project, user=world.pm, role="project-manager")
        calendar = Calendar.objects.create(name=f"Cal {n}", project=project)
        CalendarException.objects.create(
            calendar=calendar, name="Holiday", start="2026-01-01", finish="2026-01-01"
        )
    assert count() == few


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "supplier"])
def test_canary_never_leaks_through_any_list(world: World, persona: str) -> None:
    """The CANARY project's name and task carry the marker zq9x; no list may show it."""
    from itpm.planning.models import Calendar

    Calendar.objects.create(name="Canary calendar zq9x", project=world.other)
    client = client_for(world, persona)
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        if "get" in operations and "{" not in path:
            response = client.get(path, {"page_size": 100})
            assert response.status_code in (200, 403), path
            assert b"zq9x" not in response.content, f"{path} leaks the canary to {persona}"
