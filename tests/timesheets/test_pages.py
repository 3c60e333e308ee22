"""The timesheet and approval pages: what they show, who may use them, and their query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itpm.planning.models import Task
from itpm.resources.models import Assignment
from itpm.timesheets.models import TimeEntry, Timesheet
from tests.api.test_crud import client_for
from tests.conftest import World
from tests.timesheets.helpers import MONDAY, cells, log_and_submit

pytestmark = pytest.mark.django_db


def busy_member(world: World, tasks: int) -> list[Any]:
    """The member assigned to `tasks` more tasks, each with hours in the week."""
    from itpm.timesheets.services import check_save_week

    made = [
        Task.objects.create(project=world.project, name=f"Task {n}", wbs_code=f"9.{n}", order=10 + n)
        for n in range(tasks)
    ]
    for task in made:
        Assignment.objects.create(task=task, resource=world.member_resource)
    check_save_week(
        world.member, MONDAY, [c for t in made for c in cells(t, "0.5", "0.5", "0.5", "0.5", "0.5")]
    )
    return made


def test_grid_page_shows_the_week_and_its_rows(world: World) -> None:
    busy_member(world, 2)
    page = client_for(world, "member").get("/timesheet/2026-W10/")
    html = page.content.decode()
    assert page.status_code == 200 and "2026-W10" in html and "Task 0" in html and "Task 1" in html
    assert 'rel="prev"' in html and "2026-W09" in html and "2026-W11" in html
    assert "Canary" not in html  # not a task the member may log on


def test_grid_page_queries_do_not_grow_with_rows(world: World, django_assert_max_num_queries: Any) -> None:
    busy_member(world, 30)
    client = client_for(world, "member")
    with django_assert_max_num_queries(8):
        assert client.get("/timesheet/2026-W10/").status_code == 200


def test_current_week_redirect_and_bad_week(world: World) -> None:
    client = client_for(world, "member")
    answer = client.get("/timesheet/")
    year, week, _ = dt.date.today().isocalendar()
    assert answer.status_code == 302 and answer.url.endswith(f"/timesheet/{year}-W{week:02d}/")
    assert client.get("/timesheet/2026-W77/").status_code == 404


def test_htmx_save_answers_the_fragment_and_422_with_named_cells(world: World) -> None:
    client = client_for(world, "member")
    name = f"h-{world.design.pk}"
    data = {"task": [world.design.pk], f"{name}-0": "8", f"{name}-1": "nine", "action": "save"}
    refused = client.post("/timesheet/2026-W10/save/", data, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and b"<html" not in refused.content
    assert b"not a number of hours" in refused.content and b'value="nine"' in refused.content
    assert not TimeEntry.objects.exists()
    data[f"{name}-1"] = "7:45"
    saved = client.post("/timesheet/2026-W10/save/", data, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and b"Week 2026-W10 saved." in saved.content
    assert sorted(TimeEntry.objects.values_list("hours", flat=True)) == [7.75, 8]


def test_submit_without_javascript_redirects_back(world: World) -> None:
    client = client_for(world, "member")
    data = {"task": [world.design.pk], f"h-{world.design.pk}-0": "8", "action": "submit"}
    answer = client.post("/timesheet/2026-W10/save/", data)
    assert answer.status_code == 302 and Timesheet.objects.get().status == "submitted"


def test_approvals_page_and_decisions(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    pm = client_for(world, "pm")
    page = pm.get("/approvals/").content.decode()
    assert "Mia Member" in page and "2026-W10" in page and ">Approvals<" in page
    refused = pm.post(f"/approvals/{sheet.pk}/", {"action": "reject", "comment": ""}, follow=True)
    assert "say why" in refused.content.decode()
    pm.post(f"/approvals/{sheet.pk}/", {"action": "reject", "comment": "split per task"})
    sheet.refresh_from_db()
    assert (sheet.status, sheet.decision_comment) == ("rejected", "split per task")
    member_page = client_for(world, "member").get("/timesheet/2026-W10/").content.decode()
    assert "split per task" in member_page and ">Approvals<" not in member_page


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("viewer", 404), ("outsider", 404)])
def test_only_the_pm_decides_on_the_page(world: World, persona: str, status: int) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    answer = client_for(world, persona).post(f"/approvals/{sheet.pk}/", {"action": "approve"})
    assert answer.status_code == status
    assert Timesheet.objects.get(pk=sheet.pk).status == "submitted"


def test_pm_corrects_approved_hours_on_the_timesheet_page(world: World) -> None:
    from itpm.timesheets.approvals import check_approve
    from itpm.timesheets.services import approved_time

    sheet = log_and_submit(world.member, world.design, "8")
    check_approve(world.pm, sheet)
    pm = client_for(world, "pm")
    assert f"/timesheets/{sheet.pk}/" in pm.get("/approvals/").content.decode()  # recently approved
    entry = TimeEntry.objects.get()
    page = pm.get(f"/timesheets/{sheet.pk}/").content.decode()
    assert "Correct" in page and f"/timesheets/entries/{entry.pk}/correct/" in page
    no_reason = pm.post(f"/timesheets/entries/{entry.pk}/correct/", {"hours": "6"}, follow=True)
    assert "say why" in no_reason.content.decode() and TimeEntry.objects.count() == 1
    pm.post(f"/timesheets/entries/{entry.pk}/correct/", {"hours": "6", "comment": "left at 3"})
    assert [a.hours for a in approved_time(world.project.pk)] == [6]
    after = pm.get(f"/timesheets/{sheet.pk}/").content.decode()
    assert "(reversed)" in after and "Reversal" in after and "left at 3" in after
    own = client_for(world, "member").get(f"/timesheets/{sheet.pk}/")
    assert own.status_code == 200 and b"/correct/" not in own.content  # sees it, may not correct
    refused = client_for(world, "member").post(f"/timesheets/entries/{entry.pk}/correct/", {"comment": "x"})
    assert refused.status_code == 403 and TimeEntry.objects.count() == 3
    assert client_for(world, "viewer").get(f"/timesheets/{sheet.pk}/").status_code == 404
