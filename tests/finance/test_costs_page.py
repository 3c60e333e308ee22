"""The Costs page: purchases with totals per status and the fixed costs of tasks; who reads,
who changes, and the services' refusals shown beside the field they name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.api.test_crud import client_for
from tests.conftest import World
from tests.web.test_pages import field_block

HX = {"HX-Request": "true"}


def _purchase(**fields: str) -> dict[str, str]:
    data = {
        "description": "Laptops",
        "supplier": "Dell",
        "status": "committed",
        "date": "2026-02-02",
        "amount": "4800",
        "currency": "EUR",
        "category": "hardware",
        "cost_type": "capex",
        "reference": "PO-17",
        "task": "",
    }
    data.update(fields)
    return {f"purchase-{k}": v for k, v in data.items()}


def _fixed(task: Any, **fields: str) -> dict[str, str]:
    data = {
        "name": "Training fee",
        "amount": "900",
        "currency": "EUR",
        "category": "services",
        "cost_type": "opex",
        "accrual": "start",
        "task": str(task.pk),
    }
    data.update(fields)
    return {f"fixed-{k}": v for k, v in data.items()}


@pytest.mark.parametrize(
    ("persona", "status", "edits"),
    [
        ("admin", 200, True),
        ("pm", 200, True),
        ("viewer", 200, False),
        ("member", 403, False),
        ("supplier", 403, False),
    ],
)
def test_costs_page_follows_the_budget_rule(tiny: World, persona: str, status: int, edits: bool) -> None:
    response = client_for(tiny, persona).get("/projects/ERP/costs/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Servers" in page and "Integration licence" in page
        assert ("Add a purchase" in page) is edits and ("Remove</button>" in page) is edits


def test_totals_per_status(tiny: World) -> None:
    page = client_for(tiny, "viewer").get("/projects/ERP/costs/").content.decode()
    received = page[page.index('id="total-received"') :]
    committed = page[page.index('id="total-committed"') :]
    assert "€2,000" in received[: received.index("</tr>")]
    assert "€500" in committed[: committed.index("</tr>")]
    total = page[page.index('id="purchases-total"') :]
    assert total.startswith('id="purchases-total">€2,500')
    assert page[page.index('id="fixed-total"') :].startswith('id="fixed-total">€1,000')
    assert "Spent (received, invoiced or paid): €2,000." in page


def test_a_hidden_project_is_a_plain_404_and_posts_are_refused(tiny: World) -> None:
    outsider = client_for(tiny, "outsider")
    assert outsider.get("/projects/ERP/costs/").status_code == 404
    assert client_for(tiny, "pm").get("/projects/CANARY/costs/").status_code == 404
    assert client_for(tiny, "viewer").post("/projects/ERP/costs/purchases/", _purchase()).status_code == 403
    assert client_for(tiny, "supplier").post("/projects/ERP/costs/purchases/", _purchase()).status_code == 403
    servers = tiny.project.purchases.get(description="Servers")
    viewer = client_for(tiny, "viewer")
    assert viewer.get(f"/projects/ERP/costs/purchases/{servers.pk}/").status_code == 403
    assert viewer.post(f"/projects/ERP/costs/purchases/{servers.pk}/delete/").status_code == 403
    assert tiny.project.purchases.filter(pk=servers.pk).exists()


def test_pm_adds_a_purchase_and_the_totals_change(tiny: World) -> None:
    from itpm.finance.models import Purchase

    response = client_for(tiny, "pm").post("/projects/ERP/costs/purchases/", _purchase(), headers=HX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('\n<div id="costs-body"') or 'id="costs-body"' in page[:200]
    assert "Purchase “Laptops” added." in page
    assert page[page.index('id="purchases-total"') :].startswith('id="purchases-total">€7,300')
    stored = Purchase.objects.get(description="Laptops")
    assert stored.amount == Decimal(4800) and stored.status == "committed" and stored.task is None


def test_bad_purchases_show_the_error_beside_the_field(tiny: World) -> None:
    from itpm.finance.models import Purchase

    pm = client_for(tiny, "pm")
    cases = {
        "amount": ("-1", "greater than or equal to 0"),
        "currency": ("euro", "three-letter code"),
        "date": ("31/02/2026", "Enter a valid date"),
        "status": ("lost", "Select a valid choice"),
    }
    for field, (value, message) in cases.items():
        response = pm.post("/projects/ERP/costs/purchases/", _purchase(**{field: value}), headers=HX)
        assert response.status_code == 422, field
        assert message in field_block(response.content.decode(), f"purchase-{field}"), field
    # the service's own refusal: a task of another project is named beside the task field
    response = pm.post("/projects/ERP/costs/purchases/", _purchase(task=str(tiny.canary_task.pk)), headers=HX)
    assert response.status_code == 422
    assert f"no task {tiny.canary_task.pk} you can see" in field_block(
        response.content.decode(), "purchase-task"
    )
    assert not Purchase.objects.filter(description="Laptops").exists()


def test_service_refusal_lands_on_its_field(tiny: World) -> None:
    """A summary task cannot carry costs: the service says so, and the page puts it at the task."""
    from itpm.planning.models import Task

    Task.objects.filter(pk=tiny.design.pk).update(is_summary=True)
    pm = client_for(tiny, "pm")
    response = pm.post("/projects/ERP/costs/fixed-costs/", _fixed(tiny.design), headers=HX)
    assert response.status_code == 422
    assert "is a summary; put costs on its subtasks" in field_block(response.content.decode(), "fixed-task")


def test_edit_and_remove_a_purchase(tiny: World) -> None:
    from itpm.finance.models import Purchase

    pm = client_for(tiny, "pm")
    servers = Purchase.objects.get(description="Servers")
    form = pm.get(f"/projects/ERP/costs/purchases/{servers.pk}/", headers=HX).content.decode()
    assert "Change the purchase" in form and 'value="Servers"' in form
    changed = _purchase(description="Servers", status="paid", amount="2100", date="2026-01-14")
    response = pm.post(f"/projects/ERP/costs/purchases/{servers.pk}/", changed, headers=HX)
    assert response.status_code == 200 and "“Servers” saved." in response.content.decode()
    servers.refresh_from_db()
    assert servers.status == "paid" and servers.amount == Decimal(2100)
    refused = pm.post(f"/projects/ERP/costs/purchases/{servers.pk}/", {**changed, "purchase-amount": "x"})
    assert refused.status_code == 422
    assert pm.post(f"/projects/ERP/costs/purchases/{servers.pk}/delete/").status_code == 302
    assert not Purchase.objects.filter(pk=servers.pk).exists()


def test_add_edit_and_remove_a_fixed_cost(tiny: World) -> None:
    from itpm.finance.models import FixedCost

    pm = client_for(tiny, "pm")
    response = pm.post("/projects/ERP/costs/fixed-costs/", _fixed(tiny.design), headers=HX)
    assert response.status_code == 200
    fee = FixedCost.objects.get(name="Training fee")
    assert fee.task_id == tiny.design.pk
    page = response.content.decode()
    assert page[page.index('id="fixed-total"') :].startswith('id="fixed-total">€1,900')
    response = pm.post(f"/projects/ERP/costs/fixed-costs/{fee.pk}/", _fixed(tiny.build, amount="950"))
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.amount == Decimal(950) and fee.task_id == tiny.build.pk
    missing = pm.post(f"/projects/ERP/costs/fixed-costs/{fee.pk}/", _fixed(tiny.build, name=""), headers=HX)
    assert missing.status_code == 422 and "required" in field_block(missing.content.decode(), "fixed-name")
    pm.post(f"/projects/ERP/costs/fixed-costs/{fee.pk}/delete/", headers=HX)
    assert not FixedCost.objects.filter(pk=fee.pk).exists()


def test_an_item_of_another_project_is_not_found_through_this_one(tiny: World) -> None:
    from itpm.finance.models import Purchase

    canary = Purchase.objects.create(
        project=tiny.other, description="Canary buy", date=dt.date(2026, 1, 5), amount=Decimal(1)
    )
    admin = client_for(tiny, "admin")  # sees both projects: the address still must match
    assert admin.get(f"/projects/ERP/costs/purchases/{canary.pk}/").status_code == 404
    assert admin.post(f"/projects/ERP/costs/purchases/{canary.pk}/delete/").status_code == 404
    assert Purchase.objects.filter(pk=canary.pk).exists()


def test_a_purchase_in_another_currency_counts_at_its_rate(tiny: World) -> None:
    from itpm.finance.models import ExchangeRate

    ExchangeRate.objects.create(
        base_currency="USD", quote_currency="EUR", rate=Decimal("0.5"), effective_from=dt.date(2026, 1, 1)
    )
    pm: Client = client_for(tiny, "pm")
    page = pm.post("/projects/ERP/costs/purchases/", _purchase(currency="USD", amount="1000"), headers=HX)
    html = page.content.decode()
    assert html[html.index('id="purchases-total"') :].startswith('id="purchases-total">€3,000')
    unknown = pm.post("/projects/ERP/costs/purchases/", _purchase(currency="CHF"), headers=HX)
    assert "No exchange rate for CHF→EUR" in unknown.content.decode()


def test_the_edit_form_selects_the_items_task(tiny: World) -> None:
    from itpm.finance.models import FixedCost

    licence = FixedCost.objects.get(name="Integration licence")
    form = client_for(tiny, "pm").get(f"/projects/ERP/costs/fixed-costs/{licence.pk}/").content.decode()
    assert f'<option value="{tiny.build.pk}" selected>2 Build</option>' in form
    assert f'<option value="{tiny.design.pk}">1 Design</option>' in form


def test_the_page_asks_the_database_the_same_number_of_times_for_any_number_of_costs(tiny: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itpm.finance.models import FixedCost, Purchase

    pm = client_for(tiny, "pm")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pm.get("/projects/ERP/costs/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for n in range(10):
        Purchase.objects.create(
            project=tiny.project,
            task=tiny.build,
            description=f"Part {n}",
            date=dt.date(2026, 1, 20),
            amount=1,
        )
        FixedCost.objects.create(task=tiny.design, name=f"Fee {n}", amount=1)
    assert queries() == before
