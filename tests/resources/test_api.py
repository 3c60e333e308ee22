"""The capacity, levelling, what-if and team-size API: answers, personas, and bad input."""

from __future__ import annotations

import pytest

from itpm.planning.models import Task
from tests.api.test_crud import client_for, send
from tests.resources.conftest import Clash

LOAD = "/api/v1/capacity/load?start=2026-01-05&weeks=4"


def test_load_and_over_allocations(clash: Clash) -> None:
    client = client_for(clash.world, "pm")
    load = client.get(LOAD).json()
    assert load["weeks"][0] == "2026-01-05" and load["over_rows"] == 1
    mia = next(row for row in load["rows"] if row["label"] == "Mia Member")
    assert mia["cells"][0] == {
        "week": "2026-01-05", "demand": 12.5, "capacity": 5.0, "percent": 250, "over": True, "over_people": 0,
    }  # fmt: skip
    runs = client.get("/api/v1/capacity/over-allocations?start=2026-01-05&weeks=4").json()
    assert [(r["resource"], r["start"], r["finish"], r["excess_days"]) for r in runs] == [
        ("Mia Member", "2026-01-05", "2026-01-09", 7.5)
    ]
    assert {b["task_name"] for b in runs[0]["bookings"]} == {"Design", "Review", "Spec"}


def test_supplier_sees_only_its_own_load(clash: Clash) -> None:
    rows = client_for(clash.world, "supplier").get(LOAD).json()["rows"]
    assert [row["label"] for row in rows] == ["Sam Supplier"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("weeks=0", "weeks"),
        ("weeks=many", "weeks"),
        ("group=desk", "group"),
        ("start=yesterday", "start"),
        ("project=CANARY", "project"),
        ("page=7", "page"),
    ],
)
def test_bad_load_questions_are_422_naming_the_field(clash: Clash, query: str, field: str) -> None:
    response = client_for(clash.world, "pm").get(f"/api/v1/capacity/load?{query}")
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_preview_apply_and_clear(clash: Clash) -> None:
    world = clash.world
    client = client_for(world, "pm")
    url = f"/api/v1/projects/{world.project.pk}/levelling"
    preview = client.get(url).json()
    assert sorted(m["name"] for m in preview["moves"]) == ["Review", "Spec"]
    assert sorted(preview["delays"].values()) == [10, 15]
    assert preview["finishes"][0]["change_days"] == 0
    assert preview["applies_to"] == ["ERP"]
    applied = send(client, "post", f"{url}/apply", {"scope": "project"})
    assert applied.status_code == 200
    assert Task.objects.filter(levelling_delay__gt=0).count() == 2
    assert client.get(url).json()["moves"] == []
    cleared = send(client, "post", f"{url}/clear")
    assert cleared.json() == {"cleared": 2}
    assert not Task.objects.filter(levelling_delay__gt=0).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("viewer", 403), ("supplier", 403), ("outsider", 404)]
)
def test_only_managers_apply(clash: Clash, persona: str, status: int) -> None:
    url = f"/api/v1/projects/{clash.world.project.pk}/levelling/apply"
    response = send(client_for(clash.world, persona), "post", url, {})
    assert response.status_code == status
    assert not Task.objects.filter(levelling_delay__gt=0).exists()


def test_hidden_project_is_404_like_a_missing_one(clash: Clash) -> None:
    client = client_for(clash.world, "pm")
    hidden = client.get(f"/api/v1/projects/{clash.world.other.pk}/levelling")
    missing = client.get("/api/v1/projects/999999/levelling")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert (
        client_for(clash.world, "supplier")
        .get(f"/api/v1/projects/{clash.world.project.pk}/levelling")
        .status_code
        == 403
    )


def test_bad_levelling_input(clash: Clash) -> None:
    client = client_for(clash.world, "pm")
    url = f"/api/v1/projects/{clash.world.project.pk}/levelling"
    assert client.get(f"{url}?scope=all").json()["field"] == "scope"
    response = send(client, "post", f"{url}/apply", {"scope": "project", "delays": {"1": 5}})
    assert (response.status_code, response.json()["field"]) == (422, "delays")


def test_what_if_and_team_size(clash: Clash) -> None:
    world = clash.world
    client = client_for(world, "pm")
    shifted = send(client, "post", "/api/v1/what-if", {"kind": "shift", "project": "ERP", "days": 10}).json()
    assert [(f["code"], f["change_days"]) for f in shifted["finishes"]] == [("ERP", 14)]
    url = f"/api/v1/projects/{world.project.pk}/team-size"
    sized = send(client, "post", url, {"target": "2026-02-13"}).json()
    assert sized["met"] is True and {r["role"]: r["suggested"] for r in sized["roles"]} == {
        "Developer": 1,
        "External contractor": 1,
    }


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/what-if", {"kind": "hire"}, "kind"),
        ("/api/v1/what-if", {"kind": "add"}, "resource_id"),
        ("/api/v1/what-if", {"kind": "add", "resource_id": 1, "units": -1}, "units"),
        ("/api/v1/what-if", {"kind": "shift", "project": "ERP", "days": 9999}, "days"),
        ("/api/v1/what-if", {"kind": "shift", "project": "NOPE", "days": 3}, "project"),
        ("TEAM", {"target": "soon"}, "target"),
        ("TEAM", {"team": {"Developer": 1}}, "team"),
        ("TEAM", {"team": {"Developer": "many"}}, "team.Developer"),
    ],
)
def test_bad_what_if_and_team_input(clash: Clash, path: str, body: dict, field: str) -> None:
    if path == "TEAM":
        path = f"/api/v1/projects/{clash.world.project.pk}/team-size"
    response = send(client_for(clash.world, "pm"), "post", path, body)
    assert response.status_code == 422
    assert response.json()["field"] == field
