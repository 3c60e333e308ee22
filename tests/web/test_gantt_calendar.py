"""The Gantt editor's calendar field: a task's own working time, picked from the project's calendars."""

from __future__ import annotations

import datetime as dt

from itpm.planning.models import Calendar, Task
from tests.conftest import World
from tests.web.test_gantt import client_for, editor_body, field_html, post_editor, schedule


def test_picking_a_four_day_week_moves_the_bar(world: World) -> None:
    schedule(world)
    four = Calendar.objects.create(name="Four days", project=world.project, working_week="1234")
    Calendar.objects.create(name="Theirs", project=world.other)  # another project's: not offered
    client = client_for(world.pm)
    opened = client.get(
        f"/projects/{world.project.code}/gantt/tasks/{world.build.pk}/", HTTP_HX_REQUEST="true"
    )
    field = field_html(opened.content.decode(), "calendar_id")
    assert "Four days" in field and "Standard" in field and "Theirs" not in field
    world.build.refresh_from_db()
    response = post_editor(client, world, world.build, editor_body(world.build, calendar_id=str(four.pk)))
    assert response.status_code == 200, response.content
    build = Task.objects.get(pk=world.build.pk)
    # 20 days Monday to Thursday from Mon 19 Jan: five weeks, to Thu 19 Feb.
    assert (build.calendar_id, build.start, build.finish) == (
        four.pk,
        dt.date(2026, 1, 19),
        dt.date(2026, 2, 19),
    )
    cleared = post_editor(client, world, build, editor_body(build, calendar_id=""))
    assert cleared.status_code == 200
    build.refresh_from_db()
    assert (build.calendar_id, build.finish) == (None, dt.date(2026, 2, 13))


def test_a_calendar_of_another_project_is_refused_and_nothing_saved(world: World) -> None:
    schedule(world)
    theirs = Calendar.objects.create(name="Theirs", project=world.other)
    world.build.refresh_from_db()
    response = post_editor(
        client_for(world.pm), world, world.build, editor_body(world.build, calendar_id=str(theirs.pk))
    )
    assert response.status_code == 422
    assert "Select a valid choice" in field_html(response.content.decode(), "calendar_id")
    assert Task.objects.get(pk=world.build.pk).calendar_id is None


def test_a_summary_has_no_calendar_field(world: World) -> None:
    schedule(world)
    Task.objects.filter(pk=world.design.pk).update(parent=world.build)
    Task.objects.filter(pk=world.build.pk).update(is_summary=True)
    page = client_for(world.pm).get(
        f"/projects/{world.project.code}/gantt/tasks/{world.build.pk}/", HTTP_HX_REQUEST="true"
    )
    assert page.status_code == 200 and 'name="calendar_id"' not in page.content.decode()
