"""A real browser through the real login form: pages render, HTMX loads, and the CSP holds.

Drives Debian's chromium through Playwright's sync API against pytest-django's live server.
Screenshots go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# its own thread, and the fixtures create their data before the browser starts.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.itpmCspViolation(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def browser_page() -> Iterator[tuple[Any, list[str]]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.expose_function("itpmCspViolation", lambda text: problems.append(f"CSP: {text}"))
        context.add_init_script(REPORT_CSP)
        page = context.new_page()
        page.on(
            "console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        try:
            yield page, problems
        finally:
            context.close()
            browser.close()
            _close_connections_of_this_context()


def _close_connections_of_this_context() -> None:
    """A test's queries made after Playwright started ran on a connection of their own (Django
    keeps connections per context; Playwright's sync API runs on greenlets): left open, it
    outlived the session and PostgreSQL refused to drop the test database ("being accessed by
    other users")."""
    from django.db import connections

    connections.close_all()


def test_project_manager_walks_through_the_pages(
    transactional_db: None, live_server: Any, world: Any, browser_page: tuple[Any, list[str]]
) -> None:
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    page.goto(f"{base}/login/")
    page.screenshot(path=str(ARTIFACTS / "login.png"))
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    assert page.locator("table").get_by_text("ERP rollout").is_visible()
    assert "Canary project" not in page.content()
    assert "CANARY" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "portfolio.png"), full_page=True)

    page.fill("input[name=q]", "no such project")
    page.get_by_text("No projects match").wait_for()
    assert page.url.endswith("/?q=no%20such%20project")  # empty filters left out of the address
    page.fill("input[name=q]", "erp")
    page.locator("table").get_by_text("ERP rollout").wait_for()

    page.get_by_role("link", name="ERP rollout").click()
    page.wait_for_url(f"{base}/projects/ERP/")
    page.locator("#task-list").get_by_text("Design").wait_for()
    assert page.locator("#task-list").get_by_text("Go-live").is_visible()
    page.screenshot(path=str(ARTIFACTS / "project.png"), full_page=True)

    page.get_by_role("link", name="Projects", exact=True).click()
    page.wait_for_url(f"{base}/projects/")
    page.get_by_role("link", name="Code").click()
    page.wait_for_url("**sort=-code**")
    page.screenshot(path=str(ARTIFACTS / "projects.png"), full_page=True)

    page.get_by_role("link", name="My work").click()
    page.wait_for_url(f"{base}/my-work/")
    page.screenshot(path=str(ARTIFACTS / "my-work.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/login/")
    assert problems == []
