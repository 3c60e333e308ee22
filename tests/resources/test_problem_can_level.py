"""A task that may not be levelled ("Can level" off in MS Project): levelling keeps it where it is
and moves the others around it; set through the task API and the Gantt editor.

In the clash (tests/resources/conftest.py) Mia has Design (10 days, critical), Review (5 days,
half time) and Spec (5 days) all from Monday 5 January. Levelled freely, Review and Spec wait for
Design. With Spec not levelled it keeps 5-9 January, so Design (and Build and Go-live behind it)
waits a week for Mia.
"""

from __future__ import annotations

import datetime as dt

from itpm.planning.models import Task
from itpm.resources.levelling import check_apply_levelling, preview_levelling
from itpm.resources.problem import load_problem
from tests.api.test_crud import client_for as api_client_for
from tests.api.test_crud import send
from tests.resources.conftest import MONDAY, Clash
from tests.web.test_gantt import client_for, editor_body, field_html, post_editor

GO_LIVE = dt.date(2026, 2, 13)


def test_a_task_that_may_not_be_levelled_is_fixed_and_others_move(clash: Clash) -> None:
    world = clash.world
    Task.objects.filter(pk=clash.spec.pk).update(can_level=False)
    loaded = load_problem(world.project, [world.project], {world.project.pk})
    fixed = {a.name for a in loaded.problem.activities if a.fixed}
    assert fixed == {"Spec"}
    preview = preview_levelling(world.pm, world.project)
    moves = {move.name: move for move in preview.moves}
    assert "Spec" not in moves
    assert (moves["Design"].delay_days, moves["Design"].reasons[0].competitors[0].name) == (5, "Spec")
    assert preview.finish.after == GO_LIVE + dt.timedelta(days=7)
    check_apply_levelling(world.pm, world.project)
    spec = Task.objects.get(pk=clash.spec.pk)
    assert (spec.start, spec.levelling_delay) == (MONDAY, 0)


def test_levelled_freely_spec_waits_instead(clash: Clash) -> None:
    moves = {move.name: move for move in preview_levelling(clash.world.pm, clash.world.project).moves}
    assert "Spec" in moves and "Design" not in moves


def test_can_level_through_the_task_api(clash: Clash) -> None:
    client = api_client_for(clash.world, "pm")
    path = f"/api/v1/tasks/{clash.spec.pk}"
    assert send(client, "get", path).json()["can_level"] is True
    response = send(client, "patch", path, {"can_level": False})
    assert response.status_code == 200, response.content
    assert response.json()["can_level"] is False
    for body in ({"can_level": None}, {"can_level": "sometimes"}):
        refused = send(client, "patch", path, body)
        assert refused.status_code == 422 and "can_level" in refused.content.decode(), refused.content
    assert Task.objects.get(pk=clash.spec.pk).can_level is False
    member = send(api_client_for(clash.world, "member"), "patch", path, {"can_level": True})
    assert member.status_code == 403
    assert Task.objects.get(pk=clash.spec.pk).can_level is False


def test_the_gantt_editor_ticks_and_unticks_it(clash: Clash) -> None:
    world, spec = clash.world, clash.spec
    client = client_for(world.pm)
    opened = client.get(f"/projects/{world.project.code}/gantt/tasks/{spec.pk}/", HTTP_HX_REQUEST="true")
    box = field_html(opened.content.decode(), "can_level")
    assert 'type="checkbox"' in box and "checked" in box
    unticked = editor_body(spec, can_level_shown="True")  # a box left unticked is not sent
    assert post_editor(client, world, spec, unticked).status_code == 200
    assert Task.objects.get(pk=spec.pk).can_level is False
    ticked = editor_body(spec, can_level_shown="True", can_level="on")
    assert post_editor(client, world, spec, ticked).status_code == 200
    assert Task.objects.get(pk=spec.pk).can_level is True
    without_the_box = editor_body(spec, name="Spec v2")  # a form without the box leaves it alone
    assert post_editor(client, world, spec, without_the_box).status_code == 200
    assert Task.objects.get(pk=spec.pk).can_level is True
