"""The money pages: who sees them, what they show, and editing budget lines with errors beside fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from tests.api.test_crud import client_for
from tests.conftest import World

PAGES = ("budget", "costs", "earned-value")


@pytest.mark.parametrize(
    ("persona", "status"), [("pm", 200), ("viewer", 200), ("admin", 200), ("member", 403), ("supplier", 403)]
)
def test_money_pages_follow_the_budget_rule(world: World, persona: str, status: int) -> None:
    client = client_for(world, persona)
    for page in PAGES:
        assert client.get(f"/projects/ERP/{page}/").status_code == status, page
    tabs = client.get("/projects/ERP/").content
    assert (b"/projects/ERP/budget/" in tabs) is (status == 200)
    assert (b"/projects/ERP/costs/" in tabs) is (status == 200)


def test_a_hidden_project_page_is_a_plain_404(world: World) -> None:
    client = client_for(world, "pm")
    for page in PAGES:
        hidden, missing = client.get(f"/projects/CANARY/{page}/"), client.get(f"/projects/NOPE/{page}/")
        assert hidden.status_code == missing.status_code == 404
        assert b"zq9x" not in hidden.content


def test_earned_value_page_shows_the_indicators_and_the_s_curve(tiny: World) -> None:
    page = client_for(tiny, "viewer").get("/projects/ERP/earned-value/").content.decode()
    assert "<svg" in page and 'class="line ev"' in page and 'class="line ac"' in page
    assert "€9,440" in page and "€3,000" in page and "€16,300" in page  # EV, AC, BAC
    assert "0.86" in page and "rag-red" in page  # SPI below 0.90
    assert "Design" in page and "Build" in page
    monthly = client_for(tiny, "viewer").get("/projects/ERP/earned-value/?period=month").content.decode()
    assert 'aria-current="page">Months' in monthly


def test_budget_page_shows_categories_and_purchase_totals(tiny: World) -> None:
    page = client_for(tiny, "pm").get("/projects/ERP/budget/").content.decode()
    received = page[page.index('id="total-received"') :]
    assert "€2,000" in received[: received.index("</tr>")]  # the servers; each one is on Costs
    committed = page[page.index('id="total-committed"') :]
    assert "Committed (ordered)" in committed and "€500" in committed[: committed.index("</tr>")]
    assert page[page.index('id="fixed-total"') :].startswith('id="fixed-total">€1,000')
    assert 'href="/projects/ERP/costs/">Add or change on Costs' in page
    assert "Management reserve" in page and "Add a budget line" in page


def test_viewer_sees_the_budget_but_no_editor(tiny: World) -> None:
    page = client_for(tiny, "viewer").get("/projects/ERP/budget/").content.decode()
    assert "Add a budget line" not in page and "Save</button>" not in page


def _add(client: Client, **fields: str) -> object:
    data = {
        "new-category": "hardware",
        "new-cost_type": "capex",
        "new-description": "Servers",
        "new-amount": "25000",
        "new-currency": "EUR",
    }
    data.update({f"new-{k}": v for k, v in fields.items()})
    return client.post("/projects/ERP/budget/lines/", data, headers={"HX-Request": "true"})


def test_add_a_budget_line_and_see_errors_beside_the_field(world: World) -> None:
    from itpm.finance.models import BudgetLine

    pm = client_for(world, "pm")
    bad = _add(pm, amount="-5")
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'id="new-amount-errors"' in html and "greater than or equal to 0" in html
    assert not BudgetLine.objects.exists()
    assert _add(pm, currency="euro").status_code == 422
    good = _add(pm)
    assert good.status_code == 200 and "€25,000" in good.content.decode()
    assert BudgetLine.objects.get().amount == Decimal(25000)


def test_edit_and_delete_a_budget_line(world: World) -> None:
    from itpm.finance.models import BudgetLine

    line = BudgetLine.objects.create(project=world.project, category="labour", amount=1000, currency="EUR")
    pm = client_for(world, "pm")
    prefix = f"line-{line.pk}"
    data = {
        f"{prefix}-category": "labour",
        f"{prefix}-cost_type": "opex",
        f"{prefix}-description": "Team",
        f"{prefix}-amount": "1500.50",
        f"{prefix}-currency": "EUR",
    }
    saved = pm.post(f"/projects/ERP/budget/lines/{line.pk}/", data)
    assert saved.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("1500.50") and line.description == "Team"
    refused = pm.post(
        f"/projects/ERP/budget/lines/{line.pk}/",
        {**data, f"{prefix}-amount": "lots"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422 and f'id="{prefix}-amount-errors"' in refused.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("1500.50")
    assert pm.post(f"/projects/ERP/budget/lines/{line.pk}/", {"action": "delete"}).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("persona", ["viewer", "member"])
def test_only_managers_edit_lines(world: World, persona: str) -> None:
    from itpm.finance.models import BudgetLine

    line = BudgetLine.objects.create(project=world.project, category="labour", amount=1000, currency="EUR")
    client = client_for(world, persona)
    assert _add(client).status_code == 403
    assert client.post(f"/projects/ERP/budget/lines/{line.pk}/", {"action": "delete"}).status_code == 403
    assert BudgetLine.objects.count() == 1


def test_a_line_of_another_project_is_not_found(world: World) -> None:
    from itpm.finance.models import BudgetLine

    canary = BudgetLine.objects.create(project=world.other, category="labour", amount=1, currency="EUR")
    response = client_for(world, "pm").post(f"/projects/ERP/budget/lines/{canary.pk}/", {"action": "delete"})
    assert response.status_code == 404 and BudgetLine.objects.filter(pk=canary.pk).exists()


def test_choose_the_measurement_baseline_on_the_page(tiny: World) -> None:
    from itpm.planning.services.baselines import do_set_baseline

    first = do_set_baseline(tiny.project, "Approved plan")
    do_set_baseline(tiny.project, "Re-plan")
    pm = client_for(tiny, "pm")
    assert pm.post("/projects/ERP/earned-value/baseline/", {"baseline_id": str(first.pk)}).status_code == 302
    assert "baseline <strong>Approved plan</strong>" in pm.get("/projects/ERP/earned-value/").content.decode()
    assert (
        client_for(tiny, "viewer")
        .post("/projects/ERP/earned-value/baseline/", {"baseline_id": ""})
        .status_code
        == 403
    )


def test_portfolio_budget_page(tiny: World) -> None:
    page = client_for(tiny, "admin").get("/portfolio/budget/").content.decode()
    assert "IT portfolio" in page and "ERP" in page and "CANARY" in page
    member = client_for(tiny, "member").get("/portfolio/budget/").content.decode()
    assert "No project here whose budget you may see" in member and "left out" in member
    assert "zq9x" not in client_for(tiny, "pm").get("/portfolio/budget/").content.decode()


def test_the_pages_ask_the_database_the_same_number_of_times_for_any_plan_size(tiny: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itpm.finance.models import FixedCost, Purchase
    from itpm.planning.models import Task
    from itpm.resources.models import Assignment

    pm = client_for(tiny, "pm")

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pm.get(path).status_code == 200
        return len(captured.captured_queries)

    before = {path: queries(path) for path in ("/projects/ERP/earned-value/", "/projects/ERP/budget/")}
    for n in range(20):
        task = Task.objects.create(
            project=tiny.project, name=f"More {n}", start="2026-01-26", finish="2026-01-30"
        )
        Assignment.objects.create(task=task, resource=tiny.member_resource)
        FixedCost.objects.create(task=task, name="Fee", amount=10)
        Purchase.objects.create(project=tiny.project, description=f"Part {n}", date="2026-01-27", amount=5)
    assert {path: queries(path) for path in before} == before


def test_a_large_plan_folds_the_table_to_its_phases(tiny: World, settings: object) -> None:
    from itpm.planning.models import Phase, Task
    from itpm.web.views import finance

    phase = Phase.objects.create(project=tiny.project, name="Build phase zz")
    Task.objects.filter(project=tiny.project).update(phase=phase)
    finance.TABLE_ROWS, saved = 2, finance.TABLE_ROWS
    try:
        folded = client_for(tiny, "pm").get("/projects/ERP/earned-value/").content.decode()
        full = client_for(tiny, "pm").get("/projects/ERP/earned-value/?tasks=all").content.decode()
    finally:
        finance.TABLE_ROWS = saved
    assert "Build phase zz" in folded and "Show all 4 rows" in folded and "</span>Design</td>" not in folded
    assert "</span>Design</td>" in full and "Show all" not in full


def test_variances_are_written_with_a_true_minus(tiny: World) -> None:
    from itpm.finance.models import BudgetLine

    BudgetLine.objects.create(project=tiny.project, category="hardware", amount=1500, currency="EUR")
    page = client_for(tiny, "pm").get("/projects/ERP/budget/").content.decode()
    assert "−€500" in page  # hardware: budget 1,500 against a forecast of 2,000
    assert "€-" not in page
