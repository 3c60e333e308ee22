"""The resource pages: heat map, over-allocation list, levelling, what-if and team size."""

from __future__ import annotations

import pytest

from itpm.planning.models import Task
from tests.resources.conftest import Clash
from tests.web.test_pages import client_for, html

WINDOW = "from=2026-01-05&weeks=4"


def test_heat_map_marks_the_over_allocated_week(clash: Clash) -> None:
    response = client_for(clash.world.pm).get(f"/resources/?{WINDOW}")
    page = html(response)
    assert response.status_code == 200
    assert "Mia Member" in page and "Sam Supplier" in page
    assert "1 of 2</strong> resources over-allocated" in page
    assert 'class="heat-over"' in page and "12.5 of 5 days planned (250 %)" in page
    assert 'aria-current="page">Resources</a>' in page  # the main nav
    week = "/resources/over-allocations/?from=2026-01-05&amp;weeks=1&amp;group=person"
    assert f'<a href="{week}' in page and f"resource={clash.world.member_resource.pk}" in page


def test_heat_map_fragment_for_htmx_and_grouping(clash: Clash) -> None:
    client = client_for(clash.world.pm)
    fragment = html(client.get(f"/resources/?{WINDOW}&group=team", headers={"HX-Request": "true"}))
    assert fragment.startswith('<div id="heat"') and "<html" not in fragment
    assert "Acme Integrators" in fragment and "Internal" in fragment


def test_bad_address_shows_the_problem_and_the_default_view(clash: Clash) -> None:
    response = client_for(clash.world.pm).get("/resources/?weeks=500")
    assert response.status_code == 422
    assert "weeks: give 1 to 104 weeks" in html(response) and "Mia Member" in html(response)


def test_over_allocation_list(clash: Clash) -> None:
    page = html(client_for(clash.world.admin).get(f"/resources/over-allocations/?{WINDOW}"))
    assert "1 over-allocation of 1 resource in 2 projects" in page
    assert "Canary task zq9x" in page and "Spec" in page
    mine = html(client_for(clash.world.pm).get(f"/resources/over-allocations/?{WINDOW}"))
    assert "Canary" not in mine and "in 1 project," in mine


def test_levelling_page_explains_and_the_manager_applies(clash: Clash) -> None:
    client = client_for(clash.world.pm)
    page = html(client.get("/projects/ERP/levelling/"))
    assert "Apply levelling" in page and "What moves, and why" in page
    assert "Waits <strong>10 working days</strong>" in page and "is busy on Design" in page
    response = client.post("/projects/ERP/levelling/apply/", {"scope": "project"})
    assert response.status_code == 302
    assert Task.objects.filter(levelling_delay__gt=0).count() == 2
    after = html(client.get(response["Location"]))
    assert "Levelled ERP: 2 tasks delayed" in after and "Clear levelling (2 delayed tasks)" in after
    client.post("/projects/ERP/levelling/clear/")
    assert not Task.objects.filter(levelling_delay__gt=0).exists()


@pytest.mark.parametrize("persona", ["member", "viewer"])
def test_others_see_the_preview_but_cannot_apply(clash: Clash, persona: str) -> None:
    client = client_for(clash.world.persona(persona))
    page = html(client.get("/projects/ERP/levelling/"))
    assert "Only the project's managers can apply levelling" in page
    assert client.post("/projects/ERP/levelling/apply/").status_code == 403
    assert client.post("/projects/ERP/levelling/clear/").status_code == 403
    assert not Task.objects.filter(levelling_delay__gt=0).exists()


def test_levelling_page_of_a_hidden_project_is_404(clash: Clash) -> None:
    client = client_for(clash.world.outsider)
    hidden, missing = client.get("/projects/ERP/levelling/"), client.get("/projects/NOPE/levelling/")
    assert hidden.status_code == missing.status_code == 404
    assert client_for(clash.world.supplier).get("/projects/ERP/levelling/").status_code == 403


def test_what_if_and_team_size_pages(clash: Clash) -> None:
    client = client_for(clash.world.pm)
    page = html(client.get("/resources/what-if/?kind=shift&project=ERP&days=10"))
    assert "If ERP starts 10 working days later" in page and "+14 days" in page
    bad = client.get("/resources/what-if/?kind=shift&project=ERP&days=lots")
    assert bad.status_code == 422 and "days: give a whole number" in html(bad)
    sized = html(client.get("/resources/team-size/?project=ERP&target=2026-02-13"))
    assert "meets 13 Feb 2026" in sized and 'data-role="Developer"' in sized
    custom = client.get(
        "/resources/team-size/?project=ERP&target=2026-02-13&team-Developer=0&team-External+contractor=1"
    )
    assert custom.status_code == 422 and "Developer needs at least 1" in html(custom)
