"""The Gantt in a real chromium: it draws under the CSP, the inline editor reschedules, and the
critical path moves on the redrawn chart. Screenshots go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, World
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, browser_page

__all__ = ["browser_page"]  # the fixture, shared with the other browser test

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
def gantt_page(browser_page: tuple[Any, list[str]]) -> Iterator[tuple[Any, list[str]]]:
    """The browser page; afterwards, close the database connection that the ORM calls made inside
    Playwright's event loop opened, so that PostgreSQL can drop the test database."""
    yield browser_page
    from django.db import connections

    connections.close_all()


def add_training(world: World) -> Any:
    """Training runs beside Build, from Design to Go-live: 5 days long, with 15 days of float."""
    from itpm.planning.models import Dependency, Task
    from itpm.planning.scheduling.run import do_schedule_project

    training = Task.objects.create(
        project=world.project, name="Training", duration_days=Decimal(5), order=4, wbs_code="4"
    )
    Dependency.objects.create(project=world.project, predecessor=world.design, successor=training)
    Dependency.objects.create(project=world.project, predecessor=training, successor=world.golive)
    do_schedule_project(world.project)
    return training


def classes_of(page: Any, selector: str) -> set[str]:
    return set((page.locator(selector).first.get_attribute("class") or "").split())


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_pm_edits_a_duration_and_the_critical_path_moves(
    transactional_db: None, live_server: Any, world: World, gantt_page: tuple[Any, list[str]]
) -> None:
    page, problems = gantt_page
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    training = add_training(world)
    log_in(page, base)

    page.goto(f"{base}/projects/ERP/")
    page.get_by_role("link", name="Gantt", exact=True).click()
    page.wait_for_url(f"{base}/projects/ERP/gantt/")
    bar = f".gantt-chart g.gantt-task[data-task='{training.pk}']"
    build = f".gantt-chart g.gantt-task[data-task='{world.build.pk}']"
    page.locator(bar).wait_for()
    assert "critical" not in classes_of(page, bar)
    assert "critical" in classes_of(page, build)
    assert page.locator(".gantt-chart path[data-link]").count() == 4
    page.get_by_role("link", name="Days").click()
    page.wait_for_url("**/gantt/?zoom=days")
    page.locator(bar).wait_for()
    save(page, "gantt-days.png")

    page.locator(".gantt-tree a[aria-label='Edit 4 Training']").click()
    duration = page.locator("#gantt-editor input[name=duration_days]")
    duration.wait_for()
    assert page.url.endswith("/gantt/?zoom=days")  # the editor opened in place
    save(page, "gantt-editor.png")
    duration.fill("30")
    page.locator("#gantt-editor button[type=submit]", has_text="Save").click()
    page.get_by_text("Saved; the schedule was recalculated.").wait_for()

    assert "critical" in classes_of(page, bar)
    assert "critical" not in classes_of(page, build)
    assert (
        page.locator(f".gantt-chart path[data-link='{training.pk}-{world.golive.pk}']").get_attribute(
            "marker-end"
        )
        == "url(#gantt-arrow-critical)"
    )
    training.refresh_from_db()
    assert training.duration_days == 30 and training.is_critical
    save(page, "gantt-after-edit.png")

    assert problems == [], "\n".join(problems)
    page.locator("#gantt-editor input[name=duration_days]").fill("-2")
    page.locator("#gantt-editor button[type=submit]", has_text="Save").click()
    page.locator("#field-duration_days .field-errors").wait_for()
    assert "greater than or equal to 0" in page.locator("#field-duration_days").inner_text()
    training.refresh_from_db()
    assert training.duration_days == 30
    # chromium logs the refused save (422) as a failed load; it is the only message allowed
    assert all("status of 422" in problem for problem in problems), "\n".join(problems)
    problems.clear()
    page.keyboard.press("Escape")
    assert page.locator("#gantt-editor input").count() == 0

    page.get_by_role("link", name="Weeks").click()
    page.wait_for_url("**/gantt/")
    assert problems == [], "\n".join(problems)


def test_pm_types_a_start_date_and_the_bar_moves(
    transactional_db: None, live_server: Any, world: World, gantt_page: tuple[Any, list[str]]
) -> None:
    """Typing a start in the editor sets "start no earlier than": the bar moves a week right, a
    constraint bracket appears at its start, and the editor says why the task starts then."""
    page, problems = gantt_page
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    training = add_training(world)
    log_in(page, base)
    page.goto(f"{base}/projects/ERP/gantt/?zoom=days")
    bar = page.locator(f".gantt-chart g.gantt-task[data-task='{training.pk}'] rect.gantt-bar")
    bar.wait_for()
    before = bar.bounding_box()
    page.locator(".gantt-tree a[aria-label='Edit 4 Training']").click()
    start = page.locator("#gantt-editor input[name=start]")
    start.wait_for()
    assert start.input_value() == "2026-01-19"
    assert "Starts after 1 Design finishes (FS)" in page.locator("#gantt-editor .editor-why").inner_text()
    start.fill("2026-01-26")
    page.locator("#gantt-editor button[type=submit]", has_text="Save").click()
    page.get_by_text("Saved; the schedule was recalculated.").wait_for()

    after = bar.bounding_box()
    assert before is not None and after is not None
    assert round(after["x"] - before["x"]) == 7 * 28  # a week later, at 28 px a day
    assert page.locator(f".gantt-chart path.gantt-constraint[data-task='{training.pk}']").count() == 1
    why = page.locator("#gantt-editor .editor-why").inner_text()
    assert "Held by its constraint: start no earlier than 26 Jan 2026" in why
    assert page.locator("#gantt-editor select[name=constraint_type]").input_value() == "SNET"
    training.refresh_from_db()
    assert (training.constraint_type, str(training.start)) == ("SNET", "2026-01-26")
    save(page, "gantt-start-typed.png")
    assert problems == [], "\n".join(problems)  # no CSP violation, no script error


def test_collapsing_a_summary_redraws_without_its_children(
    transactional_db: None, live_server: Any, world: World, gantt_page: tuple[Any, list[str]]
) -> None:
    from itpm.planning.services.tasks import check_create_task

    page, problems = gantt_page
    check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Interfaces", "parent_id": world.build.pk}
    )
    log_in(page, f"{live_server.url}")
    page.goto(f"{live_server.url}/projects/ERP/gantt/")
    interfaces = page.locator(".gantt-tree .gantt-name", has_text="Interfaces")
    interfaces.wait_for()
    page.locator(".gantt-tree a[aria-label='Collapse 2 Build']").click()
    page.wait_for_url(f"**/gantt/?collapsed={world.build.pk}")
    page.locator(".gantt-tree a[aria-label='Expand 2 Build']").wait_for()
    assert interfaces.count() == 0
    save(page, "gantt-collapsed.png")
    page.get_by_role("link", name="Expand all").click()
    page.locator(".gantt-tree a[aria-label='Collapse 2 Build']").wait_for()
    assert interfaces.count() == 1
    assert problems == [], "\n".join(problems)


def save(page: Any, name: str) -> None:
    page.screenshot(path=str(Path(ARTIFACTS) / name), full_page=True)
