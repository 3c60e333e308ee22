"""Timesheet API: my week, submit, the approval queue, decisions, reversal; bad input answers 4xx JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from itpm.timesheets.models import TimeEntry, Timesheet
from tests.api.test_crud import client_for, send
from tests.conftest import World

pytestmark = pytest.mark.django_db
WEEK = "2026-W10"


def grid(world: World, *hours: Any) -> dict[str, Any]:
    cells = [
        {"task_id": world.design.pk, "day": f"2026-03-0{2 + i}", "hours": h} for i, h in enumerate(hours)
    ]
    return {"week": WEEK, "cells": cells}


def submitted_sheet(world: World, client: Client) -> int:
    assert send(client, "put", "/api/v1/timesheets/week", grid(world, 8, 7.5)).status_code == 200
    answer = send(client, "post", "/api/v1/timesheets/week/submit", {"week": WEEK})
    assert answer.status_code == 200
    return int(answer.json()[0]["id"])


def test_my_week_round_trip(world: World) -> None:
    member = client_for(world, "member")
    saved = send(member, "put", "/api/v1/timesheets/week", grid(world, 8, "7.5", None))
    assert saved.status_code == 200
    body = send(member, "get", f"/api/v1/timesheets/week?week={WEEK}").json()
    row = next(r for r in body["rows"] if r["task_id"] == world.design.pk)
    assert row["hours"][:3] == ["8.00", "7.50", None] and row["total"] == "15.50"
    assert body["week_start"] == "2026-03-02" and body["status"] == "draft" and body["total"] == "15.50"
    assert body["sheets"][0]["project_code"] == "ERP"


def test_bad_cells_answer_422_naming_each_cell(world: World) -> None:
    member = client_for(world, "member")
    answer = send(member, "put", "/api/v1/timesheets/week", grid(world, 8, 30, -1))
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"cells.1", "cells.2"}
    assert answer.json()["field"] == "cells.1" and "at most 24" in answer.json()["detail"]
    assert not TimeEntry.objects.exists()
    wrong_type = send(member, "put", "/api/v1/timesheets/week", grid(world, "eight"))
    assert wrong_type.status_code == 422 and wrong_type.json()["field"] == "cells.0.hours"
    bad_week = send(member, "get", "/api/v1/timesheets/week?week=2026-W99")
    assert bad_week.status_code == 422 and bad_week.json()["field"] == "week"
    extra = send(member, "put", "/api/v1/timesheets/week", {**grid(world, 1), "status": "approved"})
    assert extra.status_code == 422 and extra.json()["field"] == "status"


def test_someone_without_a_resource_is_refused(world: World) -> None:
    answer = send(client_for(world, "viewer"), "put", "/api/v1/timesheets/week", grid(world, 1))
    assert answer.status_code == 403 and "resource" in answer.json()["detail"]
    assert Client().get(f"/api/v1/timesheets/week?week={WEEK}").status_code == 401


def test_queue_approve_and_reversal(world: World) -> None:
    sheet_id = submitted_sheet(world, client_for(world, "member"))
    pm = client_for(world, "pm")
    queue = send(pm, "get", "/api/v1/timesheets/approvals").json()
    assert [(q["resource"], q["week"], q["total"]) for q in queue] == [("Mia Member", WEEK, "15.50")]
    assert queue[0]["lines"][0]["task"] == "Design"
    approved = send(pm, "post", f"/api/v1/timesheets/{sheet_id}/approve", {"comment": "ok"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "pm"
    again = send(pm, "post", f"/api/v1/timesheets/{sheet_id}/approve", {})
    assert again.status_code == 409
    entry = TimeEntry.objects.filter(timesheet_id=sheet_id).first()
    assert entry is not None
    path = f"/api/v1/time-entries/{entry.pk}/reversal"
    missing = send(pm, "post", path, {"hours": 4})
    assert missing.status_code == 422 and missing.json()["field"] == "comment"
    made = send(pm, "post", path, {"hours": 4, "comment": "typo"})
    assert made.status_code == 201 and [e["kind"] for e in made.json()] == ["reversal", "correction"]
    detail = send(pm, "get", f"/api/v1/timesheets/{sheet_id}").json()
    assert len(detail["entries"]) == 4


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier"])
def test_only_the_pm_decides(world: World, persona: str) -> None:
    sheet_id = submitted_sheet(world, client_for(world, "member"))
    answer = send(client_for(world, persona), "post", f"/api/v1/timesheets/{sheet_id}/approve", {})
    # The member sees its own sheet (403); viewer and supplier may not see it at all (404).
    assert answer.status_code == (403 if persona == "member" else 404)
    assert Timesheet.objects.get(pk=sheet_id).status == "submitted"


def test_outsider_cannot_probe_timesheets(world: World) -> None:
    sheet_id = submitted_sheet(world, client_for(world, "member"))
    outsider = client_for(world, "outsider")
    hidden = send(outsider, "get", f"/api/v1/timesheets/{sheet_id}")
    missing = send(outsider, "get", "/api/v1/timesheets/999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert send(outsider, "get", "/api/v1/timesheets/approvals").json() == []


def test_reject_needs_a_comment(world: World) -> None:
    sheet_id = submitted_sheet(world, client_for(world, "member"))
    pm = client_for(world, "pm")
    bare = send(pm, "post", f"/api/v1/timesheets/{sheet_id}/reject", {})
    assert bare.status_code == 422 and bare.json()["field"] == "comment"
    rejected = send(pm, "post", f"/api/v1/timesheets/{sheet_id}/reject", {"comment": "split by task"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["decision_comment"] == "split by task"


def test_my_week_defaults_to_this_week(world: World) -> None:
    import datetime as dt

    body = send(client_for(world, "member"), "get", "/api/v1/timesheets/week").json()
    year, week, _ = dt.date.today().isocalendar()
    assert body["week"] == f"{year}-W{week:02d}" and len(body["days"]) == 7
