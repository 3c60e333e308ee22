"""The money pages in a real browser: the S-curve and the indicator tiles render as SVG and
HTML with no CSP complaint, and a budget line is added through the HTMX form, first refused
with the error beside the field, then stored."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD, World
from tests.e2e.test_browser import ARTIFACTS, browser_page
from tests.finance.conftest import tiny

__all__ = ["browser_page", "tiny"]  # fixtures shared with the other tests


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_s_curve_and_indicators(
    transactional_db: None, live_server: Any, tiny: World, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/projects/ERP/")
    page.click("nav.tabs >> text=Earned value")
    page.wait_for_selector("#s-curve svg")
    for line in ("pv", "ev", "ac", "forecast"):
        points = page.locator(f"#s-curve polyline.{line}").get_attribute("points")
        assert points and len(points.split()) >= 2, line
    # The EV line is drawn below the PV line at the status date: behind schedule (SPI 0.86).
    assert page.locator(".tile.rag-red").get_by_text("SPI", exact=True).count() == 1
    assert page.locator(".tile.rag-green").get_by_text("CPI", exact=True).count() == 1
    box = page.locator("#s-curve svg").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 200
    page.screenshot(path=str(ARTIFACTS / "finance-earned-value.png"), full_page=True)
    page.click("text=Months")
    page.wait_for_selector('.segmented a[aria-current="page"]:has-text("Months")')
    assert problems == [], "\n".join(problems)


def test_add_a_budget_line_with_htmx(
    transactional_db: None, live_server: Any, tiny: World, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/projects/ERP/budget/")
    page.select_option("#id_new-category", "software")
    page.fill("#id_new-amount", "-10")
    page.fill("#id_new-description", "Integration licences")
    page.click("#new-line-form button[type=submit]")
    page.wait_for_selector("#field-new-amount .field-errors")
    assert "greater than or equal to 0" in page.inner_text("#field-new-amount .field-errors")
    assert page.input_value("#id_new-description") == "Integration licences"  # kept for a retry
    # chromium logs the refused save (422) as a failed load; it is the only message allowed
    assert all("status of 422" in problem for problem in problems), "\n".join(problems)
    problems.clear()
    page.fill("#id_new-amount", "12500")
    page.click("#new-line-form button[type=submit]")
    page.wait_for_selector("#category-table td:has-text('€12,500')")
    page.screenshot(path=str(ARTIFACTS / "finance-budget.png"), full_page=True)
    assert problems == [], "\n".join(problems)
