"""The Forecast page's estimates table: who reads and who edits, saving a row in place, errors
under the value they name, and the next simulation reading what was saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itpm.governance.forecasting import check_run_simulation
from itpm.governance.models import TaskEstimate
from tests.conftest import World
from tests.web.test_pages import client_for, html

PAGE = "/projects/ERP/forecast/estimates/"
HX = {"HX-Request": "true"}


def _row(task: Any, **values: str) -> dict[str, str]:
    data = {"category": "", "optimistic_days": "", "most_likely_days": "", "pessimistic_days": ""}
    data["distribution"] = "pert"
    data.update(values)
    return {f"t{task.pk}-{name}": value for name, value in data.items()}


def _save(world: World, persona: str, task: Any, **values: str) -> Any:
    client = client_for(world.persona(persona))
    return client.post(f"{PAGE}{task.pk}/", _row(task, **values), headers=HX)


@pytest.mark.parametrize(
    ("persona", "status", "edits"),
    [("admin", 200, True), ("pm", 200, True), ("member", 200, False), ("viewer", 200, False)],
)
def test_who_reads_and_who_edits(world: World, persona: str, status: int, edits: bool) -> None:
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=15, most_likely_days=20, pessimistic_days=40
    )
    response = client_for(world.persona(persona)).get(PAGE)
    assert response.status_code == status
    page = html(response)
    assert "2</span> Build" in page and "Design" in page and "Go-live" not in page  # no milestone
    assert "1 of 2 tasks estimated" in page
    assert (f'name="t{world.build.pk}-most_likely_days"' in page) is edits
    if not edits:
        assert ">20<" in page and ">40<" in page and "PERT-beta" in page and ">22.5<" in page


def test_supplier_refused_outsider_missing_and_no_writes(world: World) -> None:
    assert client_for(world.supplier).get(PAGE).status_code == 403
    assert client_for(world.outsider).get(PAGE).status_code == 404
    for persona in ("member", "viewer", "supplier"):
        response = _save(
            world, persona, world.build, optimistic_days="1", most_likely_days="2", pessimistic_days="3"
        )
        assert response.status_code == 403, persona
    assert not TaskEstimate.objects.exists()


def test_pm_saves_a_row_in_place(world: World) -> None:
    response = _save(
        world, "pm", world.build, optimistic_days="15", most_likely_days="20", pessimistic_days="40"
    )
    assert response.status_code == 200
    row = html(response)
    assert row.lstrip().startswith(f'<tr id="estimate-{world.build.pk}"') and "Saved" in row
    assert 'value="20"' in row and ">22.5<" in row  # (15 + 4 × 20 + 40) / 6
    saved = TaskEstimate.objects.get(task=world.build)
    assert (saved.optimistic_days, saved.most_likely_days, saved.pessimistic_days) == (15, 20, 40)
    _save(world, "pm", world.build, category="testing", optimistic_days="10", most_likely_days="20",
          pessimistic_days="40", distribution="triangular")  # fmt: skip
    saved.refresh_from_db()
    assert saved.distribution == "triangular" and saved.category == "testing"


def test_optimistic_above_most_likely_is_named_at_most_likely(world: World) -> None:
    response = _save(
        world, "pm", world.build, optimistic_days="9", most_likely_days="5", pessimistic_days="12"
    )
    assert response.status_code == 422
    row = html(response)
    errors = row[row.index(f'id="t{world.build.pk}-most_likely_days-errors"') :]
    assert "5 is below the optimistic 9" in errors[: errors.index("</ul>")]
    assert 'value="9"' in row  # what was typed stays for a retry
    assert not TaskEstimate.objects.exists()


BAD_ROWS = [
    ({"optimistic_days": "5", "most_likely_days": "8"}, "pessimistic_days", "give all three values"),
    (
        {"optimistic_days": "-1", "most_likely_days": "2", "pessimistic_days": "3"},
        "optimistic_days",
        "or equal to 0",
    ),
    ({"optimistic_days": "x"}, "optimistic_days", "Enter a number"),
    (
        {"optimistic_days": "1", "most_likely_days": "5", "pessimistic_days": "4"},
        "pessimistic_days",
        "below the most",
    ),
    ({"category": "astrology"}, "category", "Select a valid choice"),
]


@pytest.mark.parametrize(("values", "field", "message"), BAD_ROWS)
def test_bad_rows_name_their_field(world: World, values: dict[str, str], field: str, message: str) -> None:
    response = _save(world, "pm", world.build, **values)
    assert response.status_code == 422
    row = html(response)
    errors = row[row.index(f'id="t{world.build.pk}-{field}-errors"') :]
    assert message in errors[: errors.index("</ul>")]


def test_a_row_saved_empty_removes_the_estimate(world: World) -> None:
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=15, most_likely_days=20, pessimistic_days=40
    )
    assert _save(world, "pm", world.build).status_code == 200
    assert not TaskEstimate.objects.exists()
    assert _save(world, "pm", world.build, category="testing").status_code == 200
    assert TaskEstimate.objects.get(task=world.build).category == "testing"


def test_a_task_of_another_project_or_a_milestone_is_not_a_row(world: World) -> None:
    admin = client_for(world.admin)
    other = admin.post(f"{PAGE}{world.canary_task.pk}/", _row(world.canary_task, category="testing"))
    assert other.status_code == 404
    assert _save(world, "admin", world.golive, category="testing").status_code == 404
    assert not TaskEstimate.objects.exists()


def test_without_javascript_the_whole_page_comes_back(world: World) -> None:
    client = client_for(world.pm)
    bad = client.post(f"{PAGE}{world.build.pk}/", _row(world.build, optimistic_days="x"))
    assert bad.status_code == 422 and "Task estimates" in html(bad) and "Enter a number" in html(bad)
    good = client.post(f"{PAGE}{world.build.pk}/", _row(world.build, category="testing"), follow=True)
    assert "Estimate of 2 Build saved." in html(good)


def test_the_next_run_uses_the_saved_estimate(world: World) -> None:
    """Build is planned at 20 days; estimated at 60 to 80 days, every run finishes later."""
    before = check_run_simulation(world.pm, world.project, {"iterations": 500, "seed": 7})
    _save(world, "pm", world.build, optimistic_days="60", most_likely_days="70", pessimistic_days="80")
    after = check_run_simulation(world.pm, world.project, {"iterations": 500, "seed": 7})
    assert after.results["finish"]["p10"] > before.results["finish"]["p90"]
    assert Decimal(70) == TaskEstimate.objects.get(task=world.build).most_likely_days


def test_the_forecast_page_links_to_the_table(world: World) -> None:
    page = html(client_for(world.viewer).get("/projects/ERP/forecast/"))
    assert f'href="{PAGE}"' in page and "Task estimates" in page


def test_a_task_without_durations_shows_the_range_the_run_takes(world: World) -> None:
    """Design (10 days) takes the project's default, standard: −10 % / +30 %; Build (20 days),
    of kind testing, the testing range 0.9 to 1.7 (engine DEFAULT_CATEGORY_RANGES)."""
    TaskEstimate.objects.create(task=world.build, category="testing")
    page = html(client_for(world.viewer).get(PAGE))
    design = page[page.index(f'id="estimate-{world.design.pk}"') :]
    design = design[: design.index("</tr>")]
    assert ">9<" in design and ">10<" in design and ">13<" in design and "default range" in design
    build = page[page.index(f'id="estimate-{world.build.pk}"') :]
    build = build[: build.index("</tr>")]
    assert ">18<" in build and ">20<" in build and ">34<" in build and "Testing range" in build
    editor = html(client_for(world.pm).get(PAGE))
    assert 'placeholder="18"' in editor and 'placeholder="34"' in editor and 'placeholder="13"' in editor


def test_the_table_comes_in_pages(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from itpm.governance import estimates

    monkeypatch.setattr(estimates, "ROWS_PER_PAGE", 1)
    TaskEstimate.objects.create(task=world.build, category="testing")
    client = client_for(world.pm)
    first, second = html(client.get(PAGE)), html(client.get(f"{PAGE}?page=2"))
    design, build = "1</span> Design", "2</span> Build"
    assert design in first and build not in first and "page 1 of 2" in first
    assert build in second and design not in second and "1 of 2 tasks estimated" in second
    assert build in html(client.get(f"{PAGE}?page=99")) and design in html(client.get(f"{PAGE}?page=x"))
    saved = client.post(f"{PAGE}{world.build.pk}/", {**_row(world.build, category="design"), "page": "2"})
    assert saved.status_code == 302 and saved["Location"].endswith("?page=2")
