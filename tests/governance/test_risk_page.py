"""The Risk page: the register for those who see the plan; managers add, change and remove risks,
with HTMX swapping only the register and errors shown beside the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itpm.governance.models import Risk
from tests.conftest import World
from tests.web.test_pages import client_for, field_block, html

HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Key user availability",
        "category": "resources",
        "status": "open",
        "probability": "0.35",
        "schedule_optimistic_days": "3",
        "schedule_likely_days": "8",
        "schedule_pessimistic_days": "20",
        "cost_optimistic": "0",
        "cost_likely": "15000",
        "cost_pessimistic": "40000",
        "tasks": [str(world.design.pk), str(world.build.pk)],
        "owner": str(world.pm.pk),
        "description": "",
        **extra,
    }


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "admin"])
def test_the_register_shows_for_those_who_see_the_plan(world: World, persona: str) -> None:
    Risk.objects.create(project=world.project, title="Licence audit zq1", probability=Decimal("0.2"))
    page = html(client_for(world.persona(persona)).get("/projects/ERP/risks/"))
    assert "Licence audit zq1" in page
    assert ("Add a risk" in page) is (persona in ("pm", "admin"))


def test_supplier_is_refused_and_outsider_gets_the_missing_page(world: World) -> None:
    assert client_for(world.supplier).get("/projects/ERP/risks/").status_code == 403
    hidden = client_for(world.outsider).get("/projects/ERP/risks/")
    missing = client_for(world.outsider).get("/projects/NOPE/risks/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_pm_adds_a_risk_with_htmx_and_gets_the_register_back(world: World) -> None:
    response = client_for(world.pm).post("/projects/ERP/risks/", _form(world), **HTMX)
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<div id="risk-register"')
    assert "Key user availability" in fragment and "<html" not in fragment
    risk = Risk.objects.get(project=world.project)
    assert risk.probability == Decimal("0.350")
    assert sorted(risk.tasks.values_list("pk", flat=True)) == sorted([world.design.pk, world.build.pk])


def test_plain_post_redirects_back_to_the_page(world: World) -> None:
    response = client_for(world.pm).post("/projects/ERP/risks/", _form(world))
    assert response.status_code == 302 and response["Location"] == "/projects/ERP/risks/"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"probability": "1.2"}, "probability", "less than or equal to 1"),
        ({"schedule_likely_days": "1"}, "schedule_likely_days", "is below the optimistic"),
        ({"cost_pessimistic": "10"}, "cost_pessimistic", "is below the most likely"),
        ({"title": ""}, "title", "required"),
        ({"tasks": [str(999999)]}, "tasks", "valid choice"),
    ],
)
def test_errors_show_beside_the_field_and_nothing_is_stored(
    world: World, change: dict[str, Any], field: str, words: str
) -> None:
    response = client_for(world.pm).post("/projects/ERP/risks/", _form(world, **change), **HTMX)
    assert response.status_code == 422
    assert words in field_block(html(response), field)
    assert not Risk.objects.exists()


def test_pm_edits_and_removes_a_risk(world: World) -> None:
    client = client_for(world.pm)
    client.post("/projects/ERP/risks/", _form(world))
    risk = Risk.objects.get()
    editor = html(client.get(f"/projects/ERP/risks/{risk.pk}/", **HTMX))
    assert "Change “Key user availability”" in editor and 'value="0.350"' in editor
    saved = client.post(f"/projects/ERP/risks/{risk.pk}/", _form(world, status="closed", tasks=[]), **HTMX)
    assert saved.status_code == 200
    risk.refresh_from_db()
    assert risk.status == "closed" and not risk.tasks.exists()
    client.post(f"/projects/ERP/risks/{risk.pk}/delete/", **HTMX)
    assert not Risk.objects.exists()


def test_viewer_may_not_post_and_cannot_reach_another_projects_risk(world: World) -> None:
    assert client_for(world.viewer).post("/projects/ERP/risks/", _form(world)).status_code == 403
    canary = Risk.objects.create(project=world.other, title="Canary", probability=Decimal("0.1"))
    assert client_for(world.pm).get(f"/projects/ERP/risks/{canary.pk}/").status_code == 404
    assert client_for(world.pm).post(f"/projects/ERP/risks/{canary.pk}/delete/").status_code == 404
    assert Risk.objects.filter(pk=canary.pk).exists()
