"""A program's earned value: its projects' PV, EV, AC, indices and EAC in the currency of the
program's portfolio, the program's indicators from their sums, on a page and through the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.api.test_crud import client_for
from tests.conftest import World


def _page(world: World, persona: str) -> Any:
    return client_for(world, persona).get(f"/programs/{world.program.pk}/earned-value/")


def _second_project(world: World, currency: str) -> Any:
    from itpm.portfolio.models import Membership, Project

    project = Project.objects.create(
        portfolio=world.portfolio, program=world.program, code="UKNET", name="UK network",
        planned_start=dt.date(2026, 1, 5), planned_finish=dt.date(2026, 6, 30),
        budget=Decimal(1000), currency=currency, status_date=dt.date(2026, 1, 16),
    )  # fmt: skip
    Membership.objects.create(project=project, user=world.pm, role="project-manager")
    return project


@pytest.mark.parametrize("persona", ["admin", "pm", "viewer"])
def test_the_program_page_rolls_up_earned_value(tiny: World, persona: str) -> None:
    response = _page(tiny, persona)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Earned value of Digital core" in page and "ERP" in page
    # The tiny project's figures (tests/finance/conftest.py): EV 9,440, AC 3,000, BAC 16,300.
    assert "€9,440" in page and "€3,000" in page and "€16,300" in page
    assert 'class="tile rag-red"' in page  # SPI 0.86, below 0.90
    assert "CANARY" not in page and "zq9x" not in page  # in the portfolio, not in the program


def test_roles_without_the_budget_see_no_figures(tiny: World) -> None:
    for persona in ("member", "supplier"):
        page = _page(tiny, persona).content.decode()
        assert "No project here whose budget you may see" in page and "left out" in page, persona
        assert "€9,440" not in page and "tile rag" not in page, persona


def test_a_program_you_cannot_see_is_a_plain_404(tiny: World) -> None:
    hidden = _page(tiny, "outsider")  # a member of CANARY only, which has no program
    missing = client_for(tiny, "pm").get("/programs/987654/earned-value/")
    assert hidden.status_code == missing.status_code == 404
    assert client_for(tiny, "outsider").get(f"/api/v1/programs/{tiny.program.pk}/budget").status_code == 404


def test_a_project_in_another_currency_is_converted_or_left_out(tiny: World) -> None:
    from itpm.finance.models import ExchangeRate

    _second_project(tiny, "GBP")
    page = _page(tiny, "pm").content.decode()
    assert "no exchange rate GBP→EUR: not counted" in page
    ExchangeRate.objects.create(
        base_currency="GBP", quote_currency="EUR", rate=Decimal("1.2"), effective_from=dt.date(2025, 12, 1)
    )
    page = _page(tiny, "pm").content.decode()
    assert "not counted" not in page and "€1,200" in page  # its £1,000 budget in euros
    body = client_for(tiny, "pm").get(f"/api/v1/programs/{tiny.program.pk}/budget").json()
    assert body["program_id"] == tiny.program.pk and body["program"] == "Digital core"
    assert [p["code"] for p in body["projects"]] == ["ERP", "UKNET"]
    assert Decimal(body["total_budget"]) == Decimal("1201200.00")  # ERP's 1,200,000 + 1,200
    assert Decimal(body["total"]["ev"]) == Decimal("9440.00")


def test_the_program_indices_come_from_the_sums(tiny: World) -> None:
    body = client_for(tiny, "viewer").get(f"/api/v1/programs/{tiny.program.pk}/budget").json()
    total = body["total"]
    assert Decimal(total["cpi"]) == (Decimal(total["ev"]) / Decimal(total["ac"])).quantize(Decimal("0.0001"))
    assert Decimal(body["total_eac"]) == Decimal(body["projects"][0]["eac"])


def test_the_portfolio_page_links_each_program_to_its_earned_value(tiny: World) -> None:
    page = client_for(tiny, "viewer").get("/").content.decode()
    assert f'href="/programs/{tiny.program.pk}/earned-value/"' in page
