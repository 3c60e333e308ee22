"""The resource heat map and the levelling preview in a real chromium: they draw under the CSP,
the filters swap the chart through HTMX, and applying levelling moves the tasks on the Gantt.
Screenshots go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, browser_page
from tests.e2e.test_gantt_browser import gantt_page, log_in
from tests.resources.conftest import Clash, clash

__all__ = ["browser_page", "clash", "gantt_page"]  # fixtures shared with the other tests

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def test_heat_map_shows_the_clash_and_filters_by_team(
    transactional_db: None, live_server: Any, clash: Clash, gantt_page: tuple[Any, list[str]]
) -> None:
    page, problems = gantt_page
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    log_in(page, base)
    page.get_by_role("link", name="Resources", exact=True).click()
    page.wait_for_url(f"{base}/resources/")
    page.goto(f"{base}/resources/?from=2026-01-05&weeks=8")
    over = page.locator(".heat-grid g.heat-cell[data-over='1']")
    assert over.count() == 1
    assert "250 %" in (over.first.locator("title").text_content() or "")
    box = page.locator(".heat-grid").bounding_box()
    assert box is not None and box["width"] >= 8 * 40  # eight weeks drawn
    page.screenshot(path=str(ARTIFACTS / "resources-heat-map.png"), full_page=True)

    page.select_option("select[name=team]", "Acme Integrators")
    page.wait_for_url("**team=Acme%20Integrators**")
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect(page.locator(".heat-labels text.heat-name")).to_have_text(["Sam Supplier"])

    page.goto(f"{base}/resources/over-allocations/?from=2026-01-05&weeks=8")
    assert page.locator("table.over-table tbody tr").count() == 1
    assert "Mia Member" in page.locator("table.over-table").inner_text()
    page.screenshot(path=str(ARTIFACTS / "resources-over-allocations.png"), full_page=True)
    assert problems == []


def test_levelling_preview_then_apply(
    transactional_db: None, live_server: Any, clash: Clash, gantt_page: tuple[Any, list[str]]
) -> None:
    page, problems = gantt_page
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/projects/ERP/")
    page.get_by_role("link", name="Levelling", exact=True).click()
    page.wait_for_url(f"{base}/projects/ERP/levelling/")
    assert page.locator("[data-over-before]").inner_text() == "1"
    assert page.locator("[data-over-after]").inner_text() == "0"
    assert page.locator("#moves tbody tr").count() == 2
    assert "Mia Member" in page.locator("#moves").inner_text()
    moved = f".gantt-chart g.gantt-task[data-task='{clash.spec.pk}']"
    page.locator(moved).wait_for()
    page.screenshot(path=str(ARTIFACTS / "levelling-preview.png"), full_page=True)

    page.get_by_role("button", name="Apply levelling").click()
    page.wait_for_url(f"{base}/projects/ERP/levelling/")
    assert "Levelled ERP: 2 tasks delayed" in page.locator(".messages").inner_text()
    assert page.locator("#moves").count() == 0  # nothing left to move
    assert page.get_by_role("button", name="Apply levelling").is_disabled()
    page.screenshot(path=str(ARTIFACTS / "levelling-applied.png"), full_page=True)

    page.goto(f"{base}/projects/ERP/tasks/")
    assert "19 Jan 2026" in page.content() and "26 Jan 2026" in page.content()
    assert problems == []
