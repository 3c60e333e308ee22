"""The team page: members by role for those who may see them; managers add, change and remove."""

from __future__ import annotations

import pytest

from itpm.portfolio.models import Membership
from tests.conftest import World
from tests.web.test_pages import client_for, field_block, html


@pytest.mark.parametrize("persona", ["pm", "member", "viewer"])
def test_members_listed_for_those_who_may_see_them(world: World, persona: str) -> None:
    page = html(client_for(world.persona(persona)).get("/projects/ERP/team/"))
    for username in ("pm", "member", "viewer", "supplier"):
        assert f">{username}<" in page
    assert ("Add a member" in page) is (persona == "pm")


def test_supplier_and_outsider_are_refused(world: World) -> None:
    assert client_for(world.supplier).get("/projects/ERP/team/").status_code == 403
    hidden = client_for(world.outsider).get("/projects/ERP/team/")
    missing = client_for(world.outsider).get("/projects/NOPE/team/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_pm_adds_a_member_and_the_admin_role_is_not_offered(world: World) -> None:
    client = client_for(world.pm)
    page = html(client.get("/projects/ERP/team/"))
    assert 'value="admin"' not in field_block(page, "role")
    response = client.post("/projects/ERP/team/", {"user_id": world.outsider.pk, "role": "stakeholder"})
    assert response.status_code == 302
    assert Membership.objects.get(project=world.project, user=world.outsider).role == "stakeholder"


def test_bad_additions_show_the_error_beside_the_field(world: World) -> None:
    client = client_for(world.pm)
    response = client.post("/projects/ERP/team/", {"user_id": world.outsider.pk, "role": "admin"})
    assert response.status_code == 422
    assert "Select a valid choice" in field_block(html(response), "role")
    response = client.post("/projects/ERP/team/", {"user_id": "", "role": "team-member"})
    assert response.status_code == 422
    assert "required" in field_block(html(response), "user_id")
    assert not Membership.objects.filter(user=world.outsider, project=world.project).exists()


def test_change_and_remove(world: World) -> None:
    client = client_for(world.pm)
    viewer = Membership.objects.get(project=world.project, user=world.viewer)
    client.post(f"/projects/ERP/team/{viewer.pk}/", {"action": "change", "role": "team-member"})
    assert Membership.objects.get(pk=viewer.pk).role == "team-member"
    client.post(f"/projects/ERP/team/{viewer.pk}/", {"action": "remove"})
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    own = Membership.objects.get(project=world.project, user=world.pm)
    page = html(client.post(f"/projects/ERP/team/{own.pk}/", {"action": "remove"}, follow=True))
    assert "may not remove yourself" in page
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("persona", ["member", "viewer"])
def test_non_managers_cannot_post(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    assert (
        client.post("/projects/ERP/team/", {"user_id": world.outsider.pk, "role": "team-member"}).status_code
        == 403
    )
    pm = Membership.objects.get(project=world.project, user=world.pm)
    client.post(f"/projects/ERP/team/{pm.pk}/", {"action": "remove"})
    assert Membership.objects.filter(pk=pm.pk).exists()


def test_membership_of_another_project_is_not_found_through_this_one(world: World) -> None:
    canary = Membership.objects.get(project=world.other)
    response = client_for(world.pm).post(f"/projects/ERP/team/{canary.pk}/", {"action": "remove"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=canary.pk).exists()
