"""Project membership through the API: who may add, change and remove members, and in which roles."""

from __future__ import annotations

import pytest

from itpm.portfolio.models import Membership
from tests.api.test_crud import client_for, send
from tests.conftest import World


def members_path(world: World, project=None) -> str:
    return f"/api/v1/projects/{(project or world.project).pk}/members"


def test_pm_adds_changes_and_removes_a_member(world: World) -> None:
    client = client_for(world, "pm")
    added = send(client, "post", members_path(world), {"user_id": world.outsider.pk, "role": "stakeholder"})
    assert added.status_code == 201, added.content
    membership_id = added.json()["id"]
    changed = send(client, "patch", f"{members_path(world)}/{membership_id}", {"role": "team-member"})
    assert changed.status_code == 200 and changed.json()["role"] == "team-member"
    assert client_for(world, "outsider").get(f"/api/v1/projects/{world.project.pk}").status_code == 200
    assert send(client, "delete", f"{members_path(world)}/{membership_id}").status_code == 204
    assert client_for(world, "outsider").get(f"/api/v1/projects/{world.project.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier"])
def test_other_roles_may_not_manage_members(world: World, persona: str) -> None:
    client = client_for(world, persona)
    response = send(
        client, "post", members_path(world), {"user_id": world.outsider.pk, "role": "team-member"}
    )
    assert response.status_code == 403
    own = Membership.objects.get(project=world.project, user=world.persona(persona))
    assert (
        send(client, "patch", f"{members_path(world)}/{own.pk}", {"role": "project-manager"}).status_code
        == 403
    )
    assert Membership.objects.get(pk=own.pk).role == own.role
    assert not Membership.objects.filter(project=world.project, user=world.outsider).exists()


def test_a_manager_cannot_grant_admin_or_change_their_own_role(world: World) -> None:
    client = client_for(world, "pm")
    response = send(client, "post", members_path(world), {"user_id": world.outsider.pk, "role": "admin"})
    assert response.status_code == 403
    own = Membership.objects.get(project=world.project, user=world.pm)
    assert send(client, "patch", f"{members_path(world)}/{own.pk}", {"role": "admin"}).status_code == 403
    assert send(client, "delete", f"{members_path(world)}/{own.pk}").status_code == 403
    assert Membership.objects.get(pk=own.pk).role == "project-manager"


def test_an_administrator_grants_admin(world: World) -> None:
    response = send(
        client_for(world, "admin"),
        "post",
        members_path(world),
        {"user_id": world.outsider.pk, "role": "admin"},
    )
    assert response.status_code == 201


def test_bad_member_input(world: World) -> None:
    client = client_for(world, "pm")
    for body, field in (
        ({"user_id": world.outsider.pk, "role": "owner"}, "role"),
        ({"user_id": 999999, "role": "team-member"}, "user_id"),
        ({"user_id": world.member.pk, "role": "team-member"}, "user_id"),
        ({"role": "team-member"}, "user_id"),
        ({"user_id": world.outsider.pk, "role": "team-member", "project_id": 1}, "project_id"),
    ):
        response = send(client, "post", members_path(world), body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field
    assert Membership.objects.filter(project=world.project).count() == 4


def test_members_of_an_invisible_project_are_not_found(world: World) -> None:
    client = client_for(world, "pm")
    canary = Membership.objects.get(project=world.other)
    missing = client.get("/api/v1/projects/987654/members")
    for response in (
        client.get(members_path(world, world.other)),
        send(client, "post", members_path(world, world.other), {"user_id": world.pm.pk, "role": "admin"}),
        send(client, "delete", f"{members_path(world, world.other)}/{canary.pk}"),
    ):
        assert response.status_code == 404
        assert response.content == missing.content
    # a membership id from another project, through this project's address, is not found either
    assert send(client, "delete", f"{members_path(world)}/{canary.pk}").status_code == 404
    assert Membership.objects.filter(pk=canary.pk).exists()
