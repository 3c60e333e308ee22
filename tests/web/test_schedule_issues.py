"""The scheduler's warnings reach the pages, for those who may see the whole plan."""

from __future__ import annotations

import datetime as dt

import pytest

from itpm.planning.models import Task
from itpm.planning.scheduling.run import do_schedule_project
from tests.conftest import World
from tests.web.test_pages import client_for, html


@pytest.fixture
def missed_deadline(world: World) -> World:
    Task.objects.filter(pk=world.golive.pk).update(deadline=dt.date(2026, 2, 6))
    do_schedule_project(world.project)
    return world


@pytest.mark.parametrize("path", ["/projects/ERP/", "/projects/ERP/gantt/"])
@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "supplier"])
def test_missed_deadline_is_shown_to_those_who_see_the_plan(
    missed_deadline: World, path: str, persona: str
) -> None:
    page = html(client_for(missed_deadline.persona(persona)).get(path))
    shown = "Scheduling warnings" in page and "Go-live: it finishes after its deadline" in page
    assert shown is (persona != "supplier")


def test_no_warnings_no_card(world: World) -> None:
    do_schedule_project(world.project)
    assert "Scheduling warnings" not in html(client_for(world.pm).get("/projects/ERP/"))


def test_status_date_in_the_project_form(world: World) -> None:
    client = client_for(world.pm)
    page = html(client.get("/projects/ERP/edit/"))
    assert 'name="status_date"' in page
