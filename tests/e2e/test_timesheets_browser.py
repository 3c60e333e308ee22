"""The timesheet grid and the approval queue in a real chromium: a team member adds a task, types
a week (with a mistake the server names), saves and submits it; the project manager approves it.
Screenshots go to test-artifacts/ for a human to look at."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.conftest import PASSWORD, World
from tests.e2e.test_browser import ARTIFACTS, browser_page, pytestmark
from tests.e2e.test_gantt_browser import gantt_page

# The browser fixtures and marks are the other browser tests' own: chromium through Playwright,
# and the ORM connections closed afterwards so that PostgreSQL can drop the test database.
__all__ = ["browser_page", "gantt_page", "pytestmark"]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def cell(page: Any, task: Any, day: int) -> Any:
    return page.locator(f"input[name='h-{task.pk}-{day}']")


def test_member_fills_and_submits_a_week_and_the_pm_approves_it(
    transactional_db: None, live_server: Any, world: World, gantt_page: tuple[Any, list[str]]
) -> None:
    page, problems = gantt_page
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    design = world.design
    design.effort_hours = Decimal(40)
    design.save()

    log_in(page, base, "member")
    page.get_by_role("link", name="Timesheet").click()
    page.wait_for_url("**/timesheet/*/")
    page.goto(f"{base}/timesheet/2026-W10/")
    page.get_by_label("Add a task to the week").select_option(label="ERP 1 Design")
    page.get_by_role("button", name="Add row").click()
    cell(page, design, 0).wait_for()

    cell(page, design, 0).click()
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("7,5")
    page.keyboard.press("Tab")
    page.keyboard.type("30")  # a mistake
    assert page.locator("[data-week-total]").inner_text() == "45.5"  # live totals while typing
    page.keyboard.press("Enter")  # saves
    page.get_by_text("at most 24 hours in a day").wait_for()
    assert cell(page, design, 2).get_attribute("aria-invalid") == "true"
    assert page.locator("[data-week-total]").inner_text() == "45.5"  # the typed values, kept
    page.screenshot(path=str(ARTIFACTS / "timesheet-error.png"), full_page=True)

    cell(page, design, 2).fill("")
    page.keyboard.press("ArrowUp")  # no row above: stays put
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Week 2026-W10 saved.").wait_for()
    assert cell(page, design, 1).input_value() == "7.5"
    page.get_by_role("button", name="Save and submit").click()
    page.get_by_text("Week 2026-W10 submitted for approval.").wait_for()
    assert cell(page, design, 0).is_disabled()
    assert page.locator("[data-week-status]").inner_text() == "Submitted"
    page.screenshot(path=str(ARTIFACTS / "timesheet-submitted.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, "pm")
    page.get_by_role("link", name="Approvals").click()
    page.wait_for_url(f"{base}/approvals/")
    card = page.get_by_role("region", name="Mia Member, 2026-W10")
    assert "15.5 h" in card.inner_text()
    page.screenshot(path=str(ARTIFACTS / "timesheet-approvals.png"), full_page=True)
    card.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: Mia Member, 2026-W10 on ERP").wait_for()
    page.get_by_text("Nothing awaits your approval").wait_for()
    # The refused save answered 422 on purpose; the browser logs any 4xx as a console error.
    assert [p for p in problems if "status of 422" not in p] == []

    from itpm.planning.models import Task
    from itpm.timesheets.models import Timesheet

    assert Timesheet.objects.get().status == "approved"
    assert Task.objects.get(pk=design.pk).percent_complete == 39  # 15.5 of 40 hours = 38.75 %
