"""The role × action table of docs/permissions.md, cell by cell, with the five personas."""

from __future__ import annotations

import pytest

from itpm.core.errors import Forbidden, NotFound
from itpm.portfolio import services
from itpm.portfolio.rules import PROJECT_ACTIONS, can
from tests.conftest import PERSONAS, World

# The table as docs/permissions.md writes it: Y = allowed on a project where the persona has
# that role. Written out in full on purpose, not derived from PROJECT_ACTIONS.
# fmt: off
TABLE = {
    #                       admin pm  member viewer supplier
    "view_project":         "Y    Y    Y      Y      Y",
    "change_project":       "Y    Y    -      -      -",
    "delete_project":       "Y    -    -      -      -",
    "view_members":         "Y    Y    Y      Y      -",
    "manage_members":       "Y    Y    -      -      -",
    "view_budget":          "Y    Y    -      Y      -",
    "view_business_case":   "Y    Y    Y      Y      -",
    "view_all_tasks":       "Y    Y    Y      Y      -",
    "change_plan":          "Y    Y    -      -      -",
    "report_progress":      "Y    Y    Y      -      Y",
    "view_cost_rates":      "Y    Y    -      -      -",
    "log_time":             "Y    Y    Y      -      Y",
    "approve_time":         "Y    Y    -      -      -",
}
# fmt: on


def expected(action: str, persona: str) -> bool:
    return TABLE[action].split()[PERSONAS.index(persona)] == "Y"


def test_table_covers_every_action() -> None:
    assert set(TABLE) == set(PROJECT_ACTIONS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(TABLE))
def test_cell_on_own_project(world: World, action: str, persona: str) -> None:
    assert can(world.persona(persona), action, world.project) is expected(action, persona)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
@pytest.mark.parametrize("action", sorted(TABLE))
def test_nothing_on_a_project_without_membership(world: World, action: str, persona: str) -> None:
    assert can(world.persona(persona), action, world.other) is False


def test_project_admin_role_is_not_global(world: World) -> None:
    from itpm.portfolio.models import Membership, Role

    Membership.objects.filter(user=world.pm, project=world.project).update(role=Role.ADMIN)
    world.pm = type(world.pm).objects.get(pk=world.pm.pk)  # fresh object: no cached roles
    assert can(world.pm, "delete_project", world.project)
    assert not can(world.pm, "view_project", world.other)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_invisible_project_is_not_found_not_forbidden(world: World, persona: str) -> None:
    user = world.persona(persona)
    with pytest.raises(NotFound):
        services.access_project(user, world.other.pk)
    with pytest.raises(NotFound):
        services.access_project_by_code(user, "CANARY")
    with pytest.raises(NotFound):
        services.access_project(user, 99999)


def test_visible_but_refused_is_forbidden(world: World) -> None:
    with pytest.raises(Forbidden):
        services.access_project(world.viewer, world.project.pk, "change_project")


def test_visible_projects_per_persona(world: World) -> None:
    assert set(services.visible_projects(world.admin)) == {world.project, world.other}
    for persona in ("pm", "member", "viewer", "supplier"):
        assert list(services.visible_projects(world.persona(persona))) == [world.project]
    assert list(services.visible_projects(world.outsider)) == [world.other]


def test_inactive_user_can_do_nothing(world: World) -> None:
    world.pm.is_active = False
    assert not can(world.pm, "view_project", world.project)
    assert not services.visible_projects(world.pm).exists()


def test_portfolios_and_programs_follow_project_visibility(world: World) -> None:
    assert list(services.visible_programs(world.member)) == [world.program]
    assert list(services.visible_programs(world.outsider)) == []
    assert list(services.visible_portfolios(world.outsider)) == [world.portfolio]
    with pytest.raises(NotFound):
        services.access_program(world.outsider, world.program.pk)


def test_team_directory_is_refused_to_suppliers(world: World) -> None:
    with pytest.raises(Forbidden):
        services.project_team(world.supplier, world.project)
    team = services.project_team(world.viewer, world.project)
    assert {m.user.username for m in team} == {"pm", "member", "viewer", "supplier"}
