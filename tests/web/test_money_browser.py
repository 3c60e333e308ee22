"""The Costs and Forecast pages in a real chromium: a project manager adds a purchase through the
HTMX form (first refused, the error beside the field) and sees the status total change; and edits
a task's three-point estimate in place. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.e2e.test_browser import ARTIFACTS, browser_page, pytestmark
from tests.e2e.test_timesheets_browser import log_in
from tests.finance.conftest import tiny

# The browser fixtures and marks are the other browser tests' own: chromium through Playwright.
__all__ = ["browser_page", "pytestmark", "tiny"]


def test_pm_adds_a_purchase_and_sees_the_total_change(
    transactional_db: None, live_server: Any, tiny: World, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "pm")
    page.goto(f"{live_server.url}/projects/ERP/")
    page.click("nav.tabs >> text=Costs")
    assert page.inner_text("#total-committed td.num >> nth=1") == "€500"
    page.fill("#id_purchase-description", "Laptops")
    page.fill("#id_purchase-date", "2026-02-02")
    page.select_option("#id_purchase-status", "committed")
    page.fill("#id_purchase-amount", "-10")
    page.click("#purchase-form button[type=submit]")
    page.wait_for_selector("#field-purchase-amount .field-errors")
    assert "greater than or equal to 0" in page.inner_text("#field-purchase-amount")
    assert page.input_value("#id_purchase-description") == "Laptops"  # kept for a retry
    assert all("status of 422" in problem for problem in problems), "\n".join(problems)
    problems.clear()
    page.fill("#id_purchase-amount", "4800")
    page.click("#purchase-form button[type=submit]")
    page.wait_for_selector("text=Purchase “Laptops” added.")
    assert page.inner_text("#total-committed td.num >> nth=1") == "€5,300"
    assert page.inner_text("#purchases-total") == "€7,300"
    page.screenshot(path=str(ARTIFACTS / "finance-costs.png"), full_page=True)
    assert problems == [], "\n".join(problems)


def test_pm_edits_an_estimate_in_place(
    transactional_db: None, live_server: Any, world: World, browser_page: tuple[Any, list[str]]
) -> None:
    from itpm.governance.models import TaskEstimate

    page, problems = browser_page
    log_in(page, live_server.url, "pm")
    page.goto(f"{live_server.url}/projects/ERP/forecast/")
    page.click("nav.forecast-nav >> text=Task estimates")
    build = world.build.pk
    page.fill(f"#id_t{build}-optimistic_days", "25")
    page.fill(f"#id_t{build}-most_likely_days", "20")
    page.fill(f"#id_t{build}-pessimistic_days", "40")
    page.click(f"#estimate-form-{build} button")
    page.wait_for_selector(f"#t{build}-most_likely_days-errors")
    assert "20 is below the optimistic 25" in page.inner_text(f"#t{build}-most_likely_days-errors")
    assert all("status of 422" in problem for problem in problems), "\n".join(problems)
    problems.clear()
    page.fill(f"#id_t{build}-optimistic_days", "15")
    page.click(f"#estimate-form-{build} button")
    page.wait_for_selector(f"#estimate-{build} .saved-note")
    assert page.inner_text(f"#estimate-{build} td.num >> nth=-2") == "22.5"  # the PERT mean
    assert TaskEstimate.objects.get(task=world.build).optimistic_days == 15
    page.screenshot(path=str(ARTIFACTS / "forecast-estimates.png"), full_page=True)
    assert problems == [], "\n".join(problems)
