"""The Gantt page of a 10,000-task project: server time, and time to first paint in chromium.

Builds a throw-away SQLite data folder with one project of 10,000 tasks (100 summaries of 99
tasks each, about two links a task of mixed types and lags, a calendar with weekends and
holidays, a baseline), schedules it with the engine, then measures:

- server time: the page rendered in-process by Django's test client (median of runs), per view;
- in chromium (Debian's, through Playwright) against `itpm serve`: first paint, first contentful
  paint, DOMContentLoaded and load, from the browser's own performance entries (median of runs).

    .venv/bin/python bench/gantt_page.py [--tasks 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.common import machine, print_table  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench-gantt-2026"  # noqa: S105 - a throw-away data folder's only login
START = dt.date(2026, 1, 5)  # a Monday
GROUP = 99  # tasks under each summary
LINK_TYPES = (("FS", 70), ("SS", 15), ("FF", 10), ("SF", 5))


def set_up_django(data_dir: Path) -> None:
    os.environ["ITPM_DATA_DIR"] = str(data_dir)
    os.environ["ITPM_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpm.config.settings")
    os.environ.pop("DATABASE_URL", None)  # the benchmark's own SQLite folder, always
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_project(task_count: int, seed: int) -> Any:
    """One project, its WBS, links, calendar and baseline, written in bulk; then scheduled."""
    from django.contrib.auth.models import User

    from itpm.planning.models import Calendar, CalendarException
    from itpm.planning.scheduling.run import do_schedule_project
    from itpm.planning.services.baselines import do_set_baseline
    from itpm.portfolio.models import Membership, Portfolio, Project, Role

    pm = User.objects.create_user("pm", "pm@example.test", PASSWORD)
    calendar = Calendar.objects.create(name="Bench calendar", country="IE")
    for day in _holidays():
        CalendarException.objects.create(calendar=calendar, name="Holiday", start=day, finish=day)
    project = Project.objects.create(
        portfolio=Portfolio.objects.create(name="Bench"),
        code="BENCH",
        name=f"{task_count:,}-task programme",
        planned_start=START,
        planned_finish=START + dt.timedelta(days=900),
        calendar=calendar,
        manager=pm,
    )
    Membership.objects.create(project=project, user=pm, role=Role.PROJECT_MANAGER)
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    leaves = _tasks(project, task_count, rng)
    _links(project, leaves, rng)
    began = time.perf_counter()
    do_schedule_project(project)
    scheduled = time.perf_counter() - began
    do_set_baseline(project, "Approved plan", pm)
    tasks, links = project.tasks.count(), project.dependencies.count()
    print(f"built {tasks:,} tasks, {links:,} links; scheduled in {scheduled:.2f} s")
    return project


def _holidays() -> list[dt.date]:
    fixed = [(1, 1), (3, 17), (5, 4), (6, 1), (8, 3), (10, 26), (12, 25), (12, 26)]
    return [dt.date(year, month, day) for year in range(2026, 2031) for month, day in fixed]


def _tasks(project: Any, task_count: int, rng: random.Random) -> list[list[Any]]:
    """Summaries of GROUP tasks each; returns the tasks of each summary, in order."""
    from itpm.planning.models import Task

    groups = max(1, round(task_count / (GROUP + 1)))
    summaries = Task.objects.bulk_create(
        Task(
            project=project,
            name=f"Work package {g + 1}",
            wbs_code=str(g + 1),
            order=g * (GROUP + 1),
            is_summary=True,
            duration_days=0,
        )
        for g in range(groups)
    )
    leaves: list[list[Any]] = []
    for g, summary in enumerate(summaries):
        rows = []
        for n in range(min(GROUP, task_count - groups - g * GROUP)):
            milestone = rng.random() < 0.05
            rows.append(
                Task(
                    project=project,
                    parent=summary,
                    wbs_code=f"{g + 1}.{n + 1}",
                    order=g * (GROUP + 1) + n + 1,
                    name=f"{'Milestone' if milestone else 'Task'} {g + 1}.{n + 1}",
                    is_milestone=milestone,
                    duration_days=Decimal(0 if milestone else rng.randint(1, 10)),
                    percent_complete=rng.choice((0, 0, 0, 25, 50, 100)),
                )
            )
        leaves.append(Task.objects.bulk_create(rows))
    return leaves


def _links(project: Any, leaves: list[list[Any]], rng: random.Random) -> None:
    """A chain through each summary's tasks, and links from the summary before, of mixed types."""
    from itpm.planning.models import Dependency

    kinds, weights = zip(*LINK_TYPES, strict=True)
    links: dict[tuple[int, int], Dependency] = {}
    for g, group in enumerate(leaves):
        for n, task in enumerate(group):
            if n and rng.random() < 0.6:
                links[(group[n - 1].pk, task.pk)] = Dependency(
                    project=project, predecessor=group[n - 1], successor=task
                )
            if g and leaves[g - 1]:
                before = rng.choice(leaves[g - 1])
                lag = Decimal(rng.choice((0, 0, 0, 1, 2, 3)))
                links[(before.pk, task.pk)] = Dependency(
                    project=project,
                    predecessor=before,
                    successor=task,
                    type=rng.choices(kinds, weights)[0],
                    lag_days=lag,
                )
    Dependency.objects.bulk_create(links.values(), batch_size=2000)


# ---- server time ---------------------------------------------------------------------------------


def median_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def server_times(project: Any, runs: int) -> list[tuple[str, ...]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="pm"))
    baseline = project.baselines.get().pk
    pages = -(-project.tasks.count() // 200)
    views = (
        ("page 1, weeks", "", {}),
        (f"page {pages // 2}, weeks", f"?page={pages // 2}", {}),
        (f"page {pages}, days", f"?page={pages}&zoom=days", {}),
        ("page 1, months, baseline", f"?zoom=months&baseline={baseline}", {}),
        ("page 1, HTMX fragment", "", {"HTTP_HX_REQUEST": "true"}),
    )
    rows = []
    for label, query, headers in views:
        url = f"/projects/BENCH/gantt/{query}"

        def get(url: str = url, headers: dict[str, str] = headers) -> Any:
            response = client.get(url, **headers)
            assert response.status_code == 200, response.status_code
            return response

        get()  # warm
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            size = len(get().content)
        rows.append(
            (label, f"{median_of(runs, get) * 1000:.0f} ms", str(queries.count), f"{size / 1024:,.0f} KiB")
        )
    return rows


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


# ---- chromium --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    itpm = str(Path(sys.executable).with_name("itpm"))
    environment = {**os.environ, "ITPM_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(  # noqa: S603 - our own command
        [itpm, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("itpm serve did not start")


PAINT = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType("paint").map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType("navigation")[0];
  return {fp: paint["first-paint"], fcp: paint["first-contentful-paint"],
          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          response: nav.responseEnd - nav.requestStart, nodes: document.getElementsByTagName("*").length};
}"""


def browser_times(url: str, runs: int) -> list[tuple[str, ...]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/login/")
        page.fill("input[name=username]", "pm")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        for label, query in (("page 1, weeks", ""), ("page 25, days", "?page=25&zoom=days")):
            samples = []
            for _ in range(runs + 1):
                fresh = context.new_page()  # a new page, so each load reports its own paints
                fresh.goto(f"{url}/projects/BENCH/gantt/{query}", wait_until="load")
                fresh.wait_for_timeout(200)
                samples.append(fresh.evaluate(PAINT))
                fresh.close()
            samples = samples[1:]  # the first run fills the browser's caches

            def median(key: str, samples: list[dict[str, float]] = samples) -> str:
                values = [s[key] for s in samples if s.get(key) is not None]
                return f"{statistics.median(values):.0f} ms" if values else "—"

            rows.append(
                (
                    label,
                    median("response"),
                    median("fp"),
                    median("fcp"),
                    median("dcl"),
                    median("load"),
                    f"{samples[-1]['nodes']:,}",
                )
            )
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itpm-bench-gantt-") as folder:
        data_dir = Path(folder)
        set_up_django(data_dir)
        project = build_project(options.tasks, seed=2026)
        print(f"machine: {machine()}")
        print_table(
            f"Gantt page, server time in-process (median of {options.runs})",
            ("view (200 rows a page)", "server", "queries", "size"),
            server_times(project, options.runs),
        )
        if not os.access(CHROMIUM, os.X_OK):
            print(f"\n{CHROMIUM} is missing: no browser figures")
            return
        server, url = serve(data_dir)
        try:
            print_table(
                f"Gantt page in chromium through `itpm serve` (median of {options.runs})",
                (
                    "view",
                    "response",
                    "first paint",
                    "first contentful",
                    "DOMContentLoaded",
                    "load",
                    "DOM nodes",
                ),
                browser_times(url, options.runs),
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
