"""The Forecast and Risk pages in a real chromium, under the CSP: a manager adds a risk with the
HTMX form (errors beside the field, then saved), runs a simulation, and the Forecast page draws
the distribution with its P-lines and the deadline, the chance of meeting it, the tornado and
the reference-class panel. Screenshots go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import PASSWORD, World
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, browser_page

__all__ = ["browser_page"]  # the fixture, shared with the other browser tests

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
def forecast_page(browser_page: tuple[Any, list[str]]) -> Iterator[tuple[Any, list[str]]]:
    """The browser page; afterwards, close the connections the live server's ORM calls opened,
    so that PostgreSQL can drop the test database."""
    yield browser_page
    from django.db import connections

    connections.close_all()


def _history(world: World) -> None:
    from itpm.governance.models import ForecastProfile, ProjectOutcome, TaskEstimate

    ForecastProfile.objects.create(project=world.project, project_type="erp")
    TaskEstimate.objects.create(
        task=world.build, optimistic_days=15, most_likely_days=20, pessimistic_days=45
    )
    for number, (days, cost) in enumerate(((330, 1.1), (350, 1.3), (400, 1.0), (500, 1.6), (900, 3.0))):
        ProjectOutcome.objects.create(
            name=f"ERP {number}",
            project_type="erp",
            planned_duration_days=340,
            actual_duration_days=days,
            planned_cost=Decimal(1_000_000),
            actual_cost=Decimal(1_000_000 * cost),
            closed_on=dt.date(2024, 6, 30),
        )


def test_manager_adds_a_risk_runs_a_simulation_and_reads_the_forecast(
    transactional_db: None, live_server: Any, world: World, forecast_page: tuple[Any, list[str]]
) -> None:
    page, problems = forecast_page
    ARTIFACTS.mkdir(exist_ok=True)
    _history(world)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/projects/ERP/risks/")
    form = page.locator("#risk-form form")
    form.locator("input[name=title]").fill("Integrator short of SAP payroll skills")
    form.locator("input[name=probability]").fill("1.5")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#field-probability .field-errors")
    assert "less than or equal to 1" in page.inner_text("#field-probability")
    form = page.locator("#risk-form form")
    form.locator("input[name=probability]").fill("0.6")
    form.locator("input[name=schedule_optimistic_days]").fill("5")
    form.locator("input[name=schedule_likely_days]").fill("10")
    form.locator("input[name=schedule_pessimistic_days]").fill("30")
    form.locator("select[name=tasks]").select_option(str(world.build.pk))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Risk “Integrator short of SAP payroll skills” added.")
    assert "Integrator short of SAP payroll skills" in page.inner_text("#risk-register table")
    page.screenshot(path=str(ARTIFACTS / "risks.png"), full_page=True)

    page.goto(f"{base}/projects/ERP/forecast/")
    assert "No Monte Carlo run yet" in page.inner_text("main")
    run = page.locator("#run-form form")
    run.locator("input[name=iterations]").fill("2000")
    run.locator("input[name=seed]").fill("7")
    run.locator("input[name=deadline]").fill("2026-03-13")
    page.set_default_navigation_timeout(180_000)  # a first run in a process may compile the kernels
    with page.expect_navigation():
        run.locator("button[type=submit]").click()
    page.wait_for_selector("#finish-card svg.mc-chart")

    chart = page.locator("#finish-card svg.mc-chart")
    labels = chart.locator("text").all_text_contents()
    for mark in ("P10", "P50", "P80", "P90", "Deadline"):
        assert mark in labels
    assert chart.locator("rect.mc-bar").count() > 3 and chart.locator("polyline.mc-cdf").count() == 1
    assert "P80 finish" in page.inner_text("#kpi-p80")
    assert any(month in page.inner_text("#kpi-p80") for month in ("Feb 2026", "Mar 2026", "Apr 2026"))
    chance = page.inner_text("#kpi-deadline")
    assert "Chance of meeting the deadline" in chance and "%" in chance and "13 Mar 2026" in chance
    assert "Risk: Integrator short of SAP" in page.inner_text("#tornado-card")
    assert "5 closed ERP projects" in page.inner_text("#reference-panel")
    assert page.locator("#reference-p80").count() == 1
    page.screenshot(path=str(ARTIFACTS / "forecast.png"), full_page=True)
    refused = [p for p in problems if "status of 422" in p]  # the probability of 1.5, refused above
    assert len(refused) == 1 and [p for p in problems if p not in refused] == []
