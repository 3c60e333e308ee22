"""Levelling in the app: preview with reasons, apply through levelling delays, clear; permissions.

In the clash (tests/resources/conftest.py) Mia is asked for Design (10 days, 1 unit), Review
(5 days, 0.5) and Spec (5 days, 1) from the same Monday. Design leads to Build and Go-live, the
critical path (30 days), so the only way to keep the finish is to hold Review and Spec until
Design is done and run them one after the other: delays of 10 and 15 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from itpm.core.errors import Forbidden, Invalid
from itpm.planning.models import Task
from itpm.resources.levelling import check_apply_levelling, check_clear_levelling, preview_levelling
from tests.resources.conftest import MONDAY, Clash

AFTER_DESIGN = dt.date(2026, 1, 19)
A_WEEK_LATER = dt.date(2026, 1, 26)
GO_LIVE = dt.date(2026, 2, 13)


def test_preview_holds_the_two_short_tasks_until_design_is_done(clash: Clash) -> None:
    world = clash.world
    preview = preview_levelling(world.pm, world.project)
    assert (preview.finish.before, preview.finish.after) == (GO_LIVE, GO_LIVE)
    assert [(run.resource, run.start, run.finish, run.demand) for run in preview.over_before] == [
        ("Mia Member", MONDAY, dt.date(2026, 1, 9), 2.5)
    ]
    assert preview.over_after == ()
    moves = {move.name: move for move in preview.moves}
    assert set(moves) == {"Review", "Spec"}
    first, second = sorted(moves.values(), key=lambda m: m.start_after)
    assert (first.start_before, first.start_after, first.delay_days, first.shift_days) == (
        MONDAY,
        AFTER_DESIGN,
        10,
        10,
    )
    assert (second.start_after, second.delay_days) == (A_WEEK_LATER, 15)
    [reason] = first.reasons
    assert (reason.resource, reason.capacity) == ("Mia Member", 1.0)
    assert [c.name for c in reason.competitors] == ["Design"]
    assert sorted(c.name for c in second.reasons[0].competitors) == sorted(["Design", first.name])
    assert dict(preview.delays) == {first.task_id: 10, second.task_id: 15}


def test_preview_stores_nothing(clash: Clash) -> None:
    preview_levelling(clash.world.pm, clash.world.project)
    assert not Task.objects.filter(levelling_delay__gt=0).exists()
    clash.spec.refresh_from_db()
    assert clash.spec.start == MONDAY


def test_apply_stores_delays_and_reschedules_then_clear_undoes_it(clash: Clash) -> None:
    world = clash.world
    applied = check_apply_levelling(world.pm, world.project)
    stored = dict(Task.objects.filter(levelling_delay__gt=0).values_list("pk", "levelling_delay"))
    assert stored == dict(applied.delays)
    starts = dict(Task.objects.filter(pk__in=[clash.review.pk, clash.spec.pk]).values_list("name", "start"))
    assert sorted(starts.values()) == [AFTER_DESIGN, A_WEEK_LATER]
    assert Task.objects.get(pk=world.golive.pk).finish == GO_LIVE
    again = preview_levelling(world.pm, world.project)
    assert (again.moves, again.over_before, again.changes) == ((), (), False)

    assert check_clear_levelling(world.pm, world.project) == 2
    assert not Task.objects.filter(levelling_delay__gt=0).exists()
    assert Task.objects.get(pk=clash.spec.pk).start == MONDAY


def test_a_started_task_is_not_moved(clash: Clash) -> None:
    review = clash.review
    review.actual_start, review.percent_complete = MONDAY, 20
    review.save()
    preview = preview_levelling(clash.world.pm, clash.world.project)
    moves = {move.name: move for move in preview.moves}
    assert "Review" not in moves
    # Review has started: it keeps Mia half busy all its first week, so Design waits for it.
    assert (moves["Design"].delay_days, moves["Design"].reasons[0].competitors[0].name) == (5, "Review")
    assert moves["Spec"].start_after == A_WEEK_LATER
    assert preview.finish.after == GO_LIVE + dt.timedelta(days=7)


def test_a_date_constrained_task_is_not_moved(clash: Clash) -> None:
    spec = clash.spec
    spec.constraint_type, spec.constraint_date = "SNET", MONDAY
    spec.save()
    preview = preview_levelling(clash.world.pm, clash.world.project)
    moves = {move.name: move for move in preview.moves}
    # Spec keeps its Monday, so Design (and the critical path behind it) waits a week for Mia.
    assert "Spec" not in moves
    assert (moves["Design"].delay_days, moves["Design"].reasons[0].competitors[0].name) == (5, "Spec")
    assert moves["Build"].follows == "Design" and moves["Build"].delay_days == 0
    assert preview.finish.after == GO_LIVE + dt.timedelta(days=7)


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "admin"])
def test_who_may_preview(clash: Clash, persona: str) -> None:
    preview = preview_levelling(clash.world.persona(persona), clash.world.project)
    assert len(preview.moves) == 2


def test_supplier_may_not_preview_and_only_managers_apply_or_clear(clash: Clash) -> None:
    world = clash.world
    with pytest.raises(Forbidden):
        preview_levelling(world.supplier, world.project)
    for persona in ("member", "viewer", "supplier"):
        with pytest.raises(Forbidden):
            check_apply_levelling(world.persona(persona), world.project)
        with pytest.raises(Forbidden):
            check_clear_levelling(world.persona(persona), world.project)
    assert not Task.objects.filter(levelling_delay__gt=0).exists()


def test_shared_scope_levels_around_a_project_the_manager_cannot_replan(clash: Clash) -> None:
    """The admin sees CANARY's booking of Mia (12-14 January). Levelling ERP around it for the
    ERP manager, who cannot see CANARY, leaves it out; for the admin it moves CANARY as well."""
    world = clash.world
    for_pm = preview_levelling(world.pm, world.project, "shared")
    assert [f.code for f in for_pm.finishes] == ["ERP"]
    for_admin = preview_levelling(world.admin, world.project, "shared")
    assert [f.code for f in for_admin.finishes] == ["ERP", "CANARY"]
    assert for_admin.over_after == ()
    assert {m.project_code for m in for_admin.moves} >= {"ERP"}


def test_bad_scope_is_refused(clash: Clash) -> None:
    with pytest.raises(Invalid) as error:
        preview_levelling(clash.world.pm, clash.world.project, "everything")
    assert error.value.field == "scope"


def test_projects_seen_only_in_part_are_not_levelled_with(clash: Clash) -> None:
    """The outsider manages CANARY and is a supplier on ERP (seeing only its own ERP tasks):
    levelling CANARY with the projects sharing Mia must not read ERP's plan."""
    from itpm.portfolio.models import Membership
    from itpm.resources.whatif import Scenario, what_if

    world = clash.world
    Membership.objects.create(project=world.project, user=world.outsider, role="supplier")
    preview = preview_levelling(world.outsider, world.other, "shared")
    assert [f.code for f in preview.finishes] == ["CANARY"]
    assert all(move.project_code == "CANARY" for move in preview.moves)
    result = what_if(world.outsider, Scenario("add", resource_id=world.member_resource.pk))
    assert [f.code for f in result.finishes] == ["CANARY"]
