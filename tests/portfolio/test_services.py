"""Project services: creation, updates with versions, and nothing half-written on bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from itpm.core.errors import Conflict, Forbidden, Invalid
from itpm.portfolio import services
from itpm.portfolio.models import Membership, Project
from tests.conftest import World


def _new(world: World, **extra: object) -> dict[str, object]:
    return {
        "portfolio_id": world.portfolio.pk,
        "code": "NET-12",
        "name": "Branch network refresh",
        "planned_start": dt.date(2026, 4, 6),
        "planned_finish": dt.date(2026, 12, 11),
        "budget": Decimal("480000"),
        **extra,
    }


def test_pm_creates_project_and_becomes_its_manager(world: World) -> None:
    project = services.check_create_project(world.pm, _new(world))
    assert project.manager == world.pm
    assert Membership.objects.get(project=project, user=world.pm).role == "project-manager"
    assert services.access_project_by_code(world.pm, "NET-12") == project
    assert project.history.count() == 1


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier", "outsider"])
def test_others_may_not_create_projects(world: World, persona: str) -> None:
    with pytest.raises(Forbidden):
        services.check_create_project(world.persona(persona), _new(world))
    assert not Project.objects.filter(code="NET-12").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"planned_finish": dt.date(2026, 1, 1)}, "planned_finish"),
        ({"code": "new"}, "code"),
        ({"code": "ERP"}, "code"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"methodology": "chaos"}, "methodology"),
        ({"program_id": 99999}, "program_id"),
        ({"manager_id": 99999}, "manager_id"),
        ({"lock_version": 3}, "lock_version"),
    ],
)
def test_bad_project_input_names_the_field_and_saves_nothing(
    world: World, extra: dict, field: str | None
) -> None:
    with pytest.raises(Invalid) as caught:
        services.check_create_project(world.pm, _new(world, **extra))
    assert caught.value.field == field
    assert caught.value.message
    assert not Project.objects.filter(name="Branch network refresh").exists()
    assert not Membership.objects.filter(project__code="NET-12").exists()


def test_update_checks_the_version(world: World) -> None:
    project = services.access_project(world.pm, world.project.pk)
    services.check_update_project(world.pm, project, {"rag": "amber"}, lock_version=0)
    stale = services.access_project(world.pm, world.project.pk)
    with pytest.raises(Conflict):
        services.check_update_project(world.pm, stale, {"rag": "red"}, lock_version=0)
    assert Project.objects.get(pk=world.project.pk).rag == "amber"


def test_invalid_update_leaves_the_project_untouched(world: World) -> None:
    project = services.access_project(world.pm, world.project.pk)
    with pytest.raises(Invalid):
        services.check_update_project(world.pm, project, {"name": "", "rag": "red"})
    fresh = Project.objects.get(pk=world.project.pk)
    assert (fresh.name, fresh.rag, fresh.lock_version) == ("ERP rollout", "green", 0)


def test_portfolio_with_projects_cannot_be_deleted(world: World) -> None:
    with pytest.raises(Conflict):
        services.check_delete_portfolio(world.admin, world.portfolio)
    with pytest.raises(Forbidden):
        services.check_delete_portfolio(world.pm, world.portfolio)
