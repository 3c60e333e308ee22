"""The finance API: CRUD of each money resource, the reports, bad input and who may see what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.api.test_crud import client_for, send
from tests.conftest import World

CREATE: dict[str, Any] = {
    "budget-lines": lambda w: {
        "project_id": w.project.pk,
        "category": "hardware",
        "cost_type": "capex",
        "amount": "40000.00",
    },
    "purchases": lambda w: {
        "project_id": w.project.pk,
        "task_id": w.build.pk,
        "description": "Load balancers",
        "category": "hardware",
        "supplier": "F5",
        "date": "2026-02-02",
        "amount": "18500.00",
        "status": "committed",
    },
    "fixed-costs": lambda w: {
        "task_id": w.design.pk,
        "name": "Workshop venue",
        "amount": "1200.00",
        "accrual": "finish",
    },
    "cost-rates": lambda w: {
        "resource_id": w.member_resource.pk,
        "standard_rate": "95.00",
        "overtime_rate": "140.00",
        "effective_from": "2026-04-01",
    },
    "exchange-rates": lambda w: {
        "base_currency": "EUR",
        "quote_currency": "GBP",
        "rate": "0.85",
        "effective_from": "2026-01-01",
    },
}
UPDATE = {
    "budget-lines": {"amount": "45000.50"},
    "purchases": {"status": "received"},
    "fixed-costs": {"accrual": "prorated"},
    "cost-rates": {"standard_rate": "97.50"},
    "exchange-rates": {"rate": "0.86"},
}
CREATOR = {"cost-rates": "admin", "exchange-rates": "admin"}
BAD: dict[str, tuple[dict[str, Any], str]] = {
    "budget-lines": ({"category": "snacks"}, "category"),
    "purchases": ({"amount": "-5"}, "amount"),
    "fixed-costs": ({"currency": "euro"}, "currency"),
    "cost-rates": ({"standard_rate": "12.345"}, "standard_rate"),
    "exchange-rates": ({"rate": "0"}, "rate"),
}


@pytest.mark.parametrize("name", sorted(CREATE))
def test_create_read_update_delete(world: World, name: str) -> None:
    client = client_for(world, CREATOR.get(name, "pm"))
    created = send(client, "post", f"/api/v1/{name}", CREATE[name](world))
    assert created.status_code == 201, created.content
    item = created.json()
    for field, value in CREATE[name](world).items():
        assert str(item[field]) == str(value) or Decimal(item[field]) == Decimal(value), field
    updated = send(client, "patch", f"/api/v1/{name}/{item['id']}", UPDATE[name])
    assert updated.status_code == 200, updated.content
    field, value = next(iter(UPDATE[name].items()))
    assert (
        Decimal(str(updated.json()[field])) == Decimal(value)
        if field in ("amount", "standard_rate", "rate")
        else updated.json()[field] == value
    )
    listed = client.get(f"/api/v1/{name}", {"page_size": 100}).json()
    assert item["id"] in [row["id"] for row in listed["results"]]
    assert send(client, "delete", f"/api/v1/{name}/{item['id']}").status_code == 204
    assert client.get(f"/api/v1/{name}/{item['id']}").status_code == 404


@pytest.mark.parametrize("name", sorted(CREATE))
def test_bad_input_names_the_field_and_stores_nothing(world: World, name: str) -> None:
    client = client_for(world, CREATOR.get(name, "pm"))
    before = client.get(f"/api/v1/{name}").json()["count"]
    body, field = BAD[name]
    response = send(client, "post", f"/api/v1/{name}", {**CREATE[name](world), **body})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and field in response.json()["detail"]
    assert client.get(f"/api/v1/{name}").json()["count"] == before


def test_money_is_entered_in_the_project_currency_unless_named(world: World) -> None:
    world.project.currency = "GBP"
    world.project.save()
    body = CREATE["budget-lines"](world)
    assert send(client_for(world, "pm"), "post", "/api/v1/budget-lines", body).json()["currency"] == "GBP"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"project_id": 987654}, "project_id"),  # missing
        ({"task_id": 987654}, "task_id"),
        ({"unknown": 1}, "unknown"),
        ({"date": "2026-02-30"}, "date"),
        ({"status": "lost"}, "status"),
        ({"category": "contingency"}, "category"),  # a reserve is budget, not a purchase
    ],
)
def test_bad_purchases(world: World, body: dict[str, Any], field: str) -> None:
    response = send(
        client_for(world, "pm"), "post", "/api/v1/purchases", {**CREATE["purchases"](world), **body}
    )
    assert response.status_code == 422 and response.json()["field"] == field, response.content


def test_references_to_hidden_or_foreign_objects_are_refused(world: World) -> None:
    pm = client_for(world, "pm")
    hidden = send(
        pm, "post", "/api/v1/budget-lines", {**CREATE["budget-lines"](world), "project_id": world.other.pk}
    )
    missing = send(
        pm, "post", "/api/v1/budget-lines", {**CREATE["budget-lines"](world), "project_id": 987654}
    )
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"].replace(str(world.other.pk), "N") == missing.json()["detail"].replace(
        "987654", "N"
    )
    foreign = send(
        pm, "post", "/api/v1/fixed-costs", {**CREATE["fixed-costs"](world), "task_id": world.canary_task.pk}
    )
    assert foreign.status_code == 422 and foreign.json()["field"] == "task_id"
    summary_task = world.design
    summary_task.is_summary = True
    summary_task.save()
    summary = send(pm, "post", "/api/v1/fixed-costs", CREATE["fixed-costs"](world))
    assert summary.status_code == 422 and "summary" in summary.json()["detail"]


def test_a_budget_line_cannot_move_to_another_project(world: World) -> None:
    pm = client_for(world, "pm")
    line = send(pm, "post", "/api/v1/budget-lines", CREATE["budget-lines"](world)).json()
    moved = send(pm, "patch", f"/api/v1/budget-lines/{line['id']}", {"project_id": world.other.pk})
    assert moved.status_code == 422 and moved.json()["field"] == "project_id"


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier"])
def test_only_managers_change_money(world: World, persona: str) -> None:
    client = client_for(world, persona)
    for name in ("budget-lines", "purchases", "fixed-costs"):
        response = send(client, "post", f"/api/v1/{name}", CREATE[name](world))
        # The supplier cannot even see the design task, so its fixed cost names a missing task.
        assert response.status_code in (403, 422), (name, response.content)
        if response.status_code == 422:
            assert persona == "supplier" and response.json()["field"] == "task_id"
    assert send(client_for(world, "pm"), "get", "/api/v1/budget-lines").json()["count"] == 0


def test_cost_rates_are_kept_by_administrators_and_hidden_from_members(world: World) -> None:
    admin = client_for(world, "admin")
    created = send(admin, "post", "/api/v1/cost-rates", CREATE["cost-rates"](world)).json()
    assert (
        send(client_for(world, "pm"), "post", "/api/v1/cost-rates", CREATE["cost-rates"](world)).status_code
        == 403
    )
    assert client_for(world, "pm").get(f"/api/v1/cost-rates/{created['id']}").status_code == 200
    for persona in ("member", "viewer", "supplier"):
        client = client_for(world, persona)
        assert client.get("/api/v1/cost-rates").json()["count"] == 0
        assert client.get(f"/api/v1/cost-rates/{created['id']}").status_code == 404


def test_a_rate_for_a_resource_and_a_role_at_once_is_refused(world: World) -> None:
    body = {**CREATE["cost-rates"](world), "role": "Developer"}
    response = send(client_for(world, "admin"), "post", "/api/v1/cost-rates", body)
    assert response.status_code == 422 and response.json()["field"] == "role"


def test_an_exchange_rate_needs_two_currencies(world: World) -> None:
    body = {**CREATE["exchange-rates"](world), "quote_currency": "EUR"}
    response = send(client_for(world, "admin"), "post", "/api/v1/exchange-rates", body)
    assert response.status_code == 422


# ---- reports -------------------------------------------------------------------------------------


def test_earned_value_report(tiny: World) -> None:
    body = client_for(tiny, "viewer").get(f"/api/v1/projects/{tiny.project.pk}/earned-value").json()
    ind = body["indicators"]
    assert (ind["pv"], ind["ev"], ind["ac"], ind["bac"]) == ("11000.00", "9440.00", "3000.00", "16300.00")
    assert ind["spi"] == "0.8582" and ind["rag"]["spi"] == "red" and ind["rag"]["cpi"] == "green"
    assert body["earned_schedule"]["es"] == "1.8000" and body["earned_schedule"]["rag"] == "green"
    assert body["series"][0] == {
        "date": "2026-01-04",
        "pv": "0.00",
        "current": "0.00",
        "ev": "0.00",
        "ac": "0.00",
    }
    assert body["baseline"] is None and body["committed"] == "500.00"
    # Bottom-up: AC 3,000 + committed 500 + build's labour still to do 9,600 × 60 % = 9,260.
    assert body["eac_bottom_up"] == "9260.00"
    month = client_for(tiny, "pm").get(
        f"/api/v1/projects/{tiny.project.pk}/earned-value", {"period": "month"}
    )
    assert month.json()["period"] == "month"


def test_earned_value_against_a_chosen_baseline(tiny: World) -> None:
    from itpm.planning.models import Task
    from itpm.planning.services.baselines import do_set_baseline

    first = do_set_baseline(tiny.project, "Approved plan")
    Task.objects.filter(pk=tiny.build.pk).update(start="2026-01-19", finish="2026-01-30")  # slipped a week
    do_set_baseline(tiny.project, "Re-plan")
    pm = client_for(tiny, "pm")
    latest = pm.get(f"/api/v1/projects/{tiny.project.pk}/earned-value").json()
    assert latest["baseline"] == "Re-plan" and latest["indicators"]["pv"] == "5200.00"  # design + servers
    chosen = send(
        pm, "put", f"/api/v1/projects/{tiny.project.pk}/measurement-baseline", {"baseline_id": first.pk}
    )
    assert chosen.status_code == 200 and chosen.json()["baseline_id"] == first.pk
    measured = pm.get(f"/api/v1/projects/{tiny.project.pk}/earned-value").json()
    assert measured["baseline"] == "Approved plan" and measured["indicators"]["pv"] == "11000.00"
    bad = send(pm, "put", f"/api/v1/projects/{tiny.project.pk}/measurement-baseline", {"baseline_id": 987654})
    assert bad.status_code == 422 and bad.json()["field"] == "baseline_id"
    viewer = send(
        client_for(tiny, "viewer"),
        "put",
        f"/api/v1/projects/{tiny.project.pk}/measurement-baseline",
        {"baseline_id": None},
    )
    assert viewer.status_code == 403


def test_budget_summary(tiny: World) -> None:
    from itpm.finance.models import BudgetLine

    for category, kind, amount in (
        ("labour", "capex", 9000),
        ("labour", "opex", 3000),
        ("hardware", "capex", 2500),
        ("contingency", "opex", 1000),
    ):
        BudgetLine.objects.create(
            project=tiny.project, category=category, cost_type=kind, amount=amount, currency="EUR"
        )
    body = client_for(tiny, "pm").get(f"/api/v1/projects/{tiny.project.pk}/budget").json()
    lines = {line["category"]: line for line in body["categories"]}
    # Labour: planned 12,800; nothing actual yet (no approved time); to do = 9,600 × 60 %.
    assert lines["labour"]["planned"] == "12800.00" and lines["labour"]["forecast"] == "5760.00"
    # Hardware: the servers were received (2,000); nothing else to buy.
    assert lines["hardware"]["actual"] == "2000.00" and lines["hardware"]["variance"] == "500.00"
    # Services: the licence is actual (1,000) and the support contract committed (500).
    assert (lines["services"]["actual"], lines["services"]["committed"], lines["services"]["forecast"]) == (
        "1000.00",
        "500.00",
        "1500.00",
    )
    assert lines["contingency"]["budget"] == "1000.00" and lines["contingency"]["forecast"] == "0.00"
    assert body["total"]["budget"] == "15500.00"
    split = {s["cost_type"]: s for s in body["cost_types"]}
    assert split["CAPEX"]["budget"] == "11500.00" and split["CAPEX"]["actual"] == "2000.00"
    assert split["OPEX"]["actual"] == "1000.00"


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("pm", 200), ("viewer", 200), ("member", 403), ("supplier", 403)]
)
def test_who_sees_the_money_of_a_project(world: World, persona: str, status: int) -> None:
    client = client_for(world, persona)
    for report in ("budget", "earned-value"):
        assert client.get(f"/api/v1/projects/{world.project.pk}/{report}").status_code == status


@pytest.mark.parametrize("report", ["budget", "earned-value"])
def test_a_hidden_project_answers_like_a_missing_one(world: World, report: str) -> None:
    client = client_for(world, "pm")
    hidden = client.get(f"/api/v1/projects/{world.other.pk}/{report}")
    missing = client.get(f"/api/v1/projects/987654/{report}")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content


def test_bad_period_names_the_field(world: World) -> None:
    response = client_for(world, "pm").get(
        f"/api/v1/projects/{world.project.pk}/earned-value", {"period": "fortnight"}
    )
    assert response.status_code == 422 and response.json()["field"] == "period"


def test_portfolio_roll_up_converts_to_the_portfolio_currency(tiny: World) -> None:
    from itpm.finance.models import ExchangeRate

    tiny.project.currency = "GBP"
    tiny.project.save()
    ExchangeRate.objects.create(
        base_currency="GBP", quote_currency="EUR", rate=Decimal("1.2"), effective_from="2025-12-01"
    )
    body = client_for(tiny, "admin").get(f"/api/v1/portfolios/{tiny.portfolio.pk}/budget").json()
    erp = next(p for p in body["projects"] if p["code"] == "ERP")
    # The tiny project's amounts were entered in EUR: converted to GBP (÷ 1.2) and back (× 1.2).
    assert erp["converted"] and Decimal(erp["bac"]) == Decimal("16300.00")
    assert body["currency"] == "EUR" and Decimal(body["total"]["ev"]) >= Decimal("9440.00")


def test_portfolio_roll_up_shows_only_projects_whose_money_you_may_see(world: World) -> None:
    member = client_for(world, "member").get(f"/api/v1/portfolios/{world.portfolio.pk}/budget").json()
    assert member["projects"] == [] and member["hidden_projects"] == 1
    pm = client_for(world, "pm").get(f"/api/v1/portfolios/{world.portfolio.pk}/budget").json()
    assert [p["code"] for p in pm["projects"]] == ["ERP"] and pm["hidden_projects"] == 0
    assert client_for(world, "pm").get("/api/v1/portfolios/987654/budget").status_code == 404


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "supplier"])
def test_the_canary_project_money_never_leaks(world: World, persona: str) -> None:
    from itpm.finance.models import BudgetLine, FixedCost, Purchase

    BudgetLine.objects.create(project=world.other, category="labour", amount=1, description="zq9x line")
    Purchase.objects.create(project=world.other, description="zq9x purchase", date="2026-02-01", amount=1)
    FixedCost.objects.create(task=world.canary_task, name="zq9x fee", amount=1)
    client = client_for(world, persona)
    for path in ("budget-lines", "purchases", "fixed-costs", "cost-rates", "exchange-rates"):
        response = client.get(f"/api/v1/{path}", {"page_size": 100})
        assert response.status_code == 200 and b"zq9x" not in response.content, path
    roll_up = client.get(f"/api/v1/portfolios/{world.portfolio.pk}/budget")
    assert b"zq9x" not in roll_up.content and b"CANARY" not in roll_up.content


def test_money_is_rounded_to_the_cent_half_up_only_at_the_end(world: World) -> None:
    from itpm.finance.models import CostRate
    from itpm.planning.models import Task

    # 3 days × 7.5 h × 33.33 = 749.925: half up gives 749.93 (half-even would give 749.92).
    CostRate.objects.create(
        resource=world.member_resource, standard_rate=Decimal("33.33"), effective_from="2025-01-01"
    )
    Task.objects.filter(pk=world.design.pk).update(start="2026-01-05", finish="2026-01-07", duration_days=3)
    world.build.assignments.all().delete()
    body = client_for(world, "pm").get(f"/api/v1/projects/{world.project.pk}/earned-value").json()
    assert body["indicators"]["bac"] == "749.93"
    # Each day costs 249.975; rounding per day first would have made 749.94 (3 × 249.98).
    assert [p["pv"] for p in body["series"] if p["date"] == "2026-01-11"] == ["749.93"]
