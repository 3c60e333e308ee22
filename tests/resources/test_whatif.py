"""Cross-project what-if and team size from scope, on the clash of tests/resources/conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from itpm.core.errors import Forbidden, Invalid, NotFound
from itpm.planning.models import Task
from itpm.resources.models import Assignment
from itpm.resources.teamsize import size_team
from itpm.resources.whatif import Scenario, what_if
from tests.resources.conftest import Clash

GO_LIVE = dt.date(2026, 2, 13)


def test_moving_a_project_two_weeks_moves_its_levelled_finish_two_weeks(clash: Clash) -> None:
    world = clash.world
    result = what_if(world.pm, Scenario("shift", project_code="ERP", days=10))
    [erp] = result.finishes  # the ERP manager cannot see CANARY
    assert (erp.code, erp.stored, erp.before, erp.after, erp.change_days) == (
        "ERP",
        GO_LIVE,
        GO_LIVE,
        GO_LIVE + dt.timedelta(days=14),
        14,
    )
    assert result.description == "ERP starts 10 working days later"
    assert not Task.objects.filter(levelling_delay__gt=0).exists()  # nothing stored


def test_adding_a_person_shows_every_project_sharing_them(clash: Clash) -> None:
    world = clash.world
    result = what_if(world.admin, Scenario("add", resource_id=world.member_resource.pk, units=1))
    finishes = {f.code: f for f in result.finishes}
    assert set(finishes) == {"ERP", "CANARY"}
    assert finishes["ERP"].after == GO_LIVE
    # A second unit of Mia lets CANARY's three days run from its start, 12-14 January (beside
    # Design), instead of in February: levelling keeps each project's own finish early.
    assert (finishes["CANARY"].before, finishes["CANARY"].after) == (
        dt.date(2026, 2, 4),
        dt.date(2026, 1, 14),
    )
    assert finishes["CANARY"].change_days == -21 and finishes["ERP"].change_days == 0


@pytest.mark.parametrize(
    ("scenario", "field"),
    [
        ({"kind": "hire"}, "kind"),
        ({"kind": "add"}, "resource_id"),
        ({"kind": "add", "resource_id": 1, "units": 0}, "units"),
        ({"kind": "shift", "days": 5}, "project"),
        ({"kind": "shift", "project_code": "ERP", "days": 0}, "days"),
        ({"kind": "shift", "project_code": "ERP", "days": 999}, "days"),
    ],
)
def test_bad_scenarios_name_the_field(scenario: dict, field: str) -> None:
    with pytest.raises(Invalid) as error:
        Scenario(**scenario)
    assert error.value.field == field


def test_what_if_on_hidden_things_is_refused_like_missing_ones(clash: Clash) -> None:
    world = clash.world
    with pytest.raises(Invalid) as error:
        what_if(world.pm, Scenario("shift", project_code="CANARY", days=5))
    assert error.value.field == "project"
    with pytest.raises(NotFound):  # a supplier sees only its own resource
        what_if(world.supplier, Scenario("add", resource_id=world.member_resource.pk))


def _more_work_for_mia(clash: Clash) -> None:
    """Two more 10-day tasks for Mia: 37.5 person-days of development in a 30-day project."""
    for order, name in ((6, "Test"), (7, "Docs")):
        task = Task.objects.create(project=clash.world.project, name=name, order=order, duration_days=10)
        Assignment.objects.create(task=task, resource=clash.world.member_resource, units=Decimal(1))


def test_team_size_for_a_target_and_the_finish_with_a_given_team(clash: Clash) -> None:
    _more_work_for_mia(clash)
    world = clash.world
    sizing = size_team(world.pm, world.project, GO_LIVE, {"Developer": 1, "External contractor": 1})
    roles = {need.role: need for need in sizing.roles}
    assert (roles["Developer"].effort_days, roles["Developer"].team_now, roles["Developer"].suggested) == (
        37.5,
        1.0,
        2,
    )
    assert (roles["External contractor"].effort_days, roles["External contractor"].suggested) == (20.0, 1)
    assert sizing.met and sizing.finish_suggested == GO_LIVE
    assert sizing.earliest_possible == GO_LIVE
    # One developer does 37.5 days of work one task at a time: 40 working days, to 27 February.
    assert sizing.finish_now == sizing.finish_custom == dt.date(2026, 2, 27)
    assert sizing.available_days == 30


def test_a_target_before_the_critical_path_cannot_be_met(clash: Clash) -> None:
    sizing = size_team(clash.world.pm, clash.world.project, dt.date(2026, 2, 6))
    assert not sizing.met and sizing.earliest_possible == GO_LIVE


@pytest.mark.parametrize(
    ("target", "team", "field"),
    [
        (dt.date(2025, 12, 1), None, "target"),
        (None, {"Developer": 1}, "team"),
        (None, {"Developer": 0, "External contractor": 1}, "team"),
        (None, {"Developer": 1, "External contractor": 1, "Astronaut": 2}, "team"),
    ],
)
def test_bad_team_questions_name_the_field(
    clash: Clash, target: dt.date | None, team: dict | None, field: str
) -> None:
    with pytest.raises(Invalid) as error:
        size_team(clash.world.pm, clash.world.project, target, team)
    assert error.value.field == field


def test_team_size_needs_the_whole_plan(clash: Clash) -> None:
    with pytest.raises(Forbidden):
        size_team(clash.world.supplier, clash.world.project, GO_LIVE)
