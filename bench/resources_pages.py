"""Resources in the app, on the demo portfolio: page and service times, and how much shorter the
levelled plans are than a single priority-rule pass (what MS Project, Primavera and TaskJuggler do).

Builds a throw-away SQLite data folder, loads the demo portfolio (9 projects, 623 tasks, 56
resources), then measures in-process, median of runs:

- the heat map (16 and 52 weeks), the over-allocation list, the levelling page (Django's test
  client), the levelling preview of one project and of the projects sharing its people, a what-if,
  and team size (the services);
- for each open project levelled on its own, and for all of them levelled together: the finish in
  working days of the levelled plan, from `level()` and from a serial LFT single pass.

    .venv/bin/python bench/resources_pages.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.common import machine, print_table  # noqa: E402
from bench.gantt_page import set_up_django  # noqa: E402


def median_ms(action: Callable[[], Any], runs: int) -> str:
    action()  # warm: the first levelling of a process loads the compiled engine
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    value = statistics.median(times)
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def timings(runs: int) -> list[tuple[str, str]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from itpm.portfolio.models import Project
    from itpm.resources.levelling import preview_levelling
    from itpm.resources.models import Resource
    from itpm.resources.teamsize import size_team
    from itpm.resources.whatif import Scenario, what_if

    admin = User.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    erp, dcx = Project.objects.get(code="ERP-S4"), Project.objects.get(code="DCX-AZURE")
    tester = Resource.objects.get(name="Test analyst")
    target = erp.planned_finish - dt.timedelta(days=7)

    def page(path: str) -> Callable[[], Any]:
        def get() -> None:
            assert client.get(path).status_code == 200, path

        return get

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("heat map page, 16 weeks × 56 people", page("/resources/")),
        ("heat map page, 52 weeks, per role", page("/resources/?weeks=52&group=role")),
        ("over-allocation list, 16 weeks", page("/resources/over-allocations/")),
        ("levelling page, ERP-S4", page("/projects/ERP-S4/levelling/")),
        ("levelling preview, ERP-S4 (134 tasks)", lambda: preview_levelling(admin, erp)),
        ("levelling preview, DCX-AZURE and the projects sharing its people",
         lambda: preview_levelling(admin, dcx, "shared")),
        ("what-if: one more test analyst", lambda: what_if(admin, Scenario("add", resource_id=tester.pk))),
        ("what-if: ERP-S4 starts 20 working days later",
         lambda: what_if(admin, Scenario("shift", project_code="ERP-S4", days=20))),
    ]  # fmt: skip
    rows = [(name, median_ms(action, runs)) for name, action in cases]
    sizing = median_ms(lambda: size_team(admin, erp, target), max(runs // 2, 1))
    return [*rows, ("team size, ERP-S4, a week before its planned finish", sizing)]


def finishes() -> list[tuple[str, ...]]:
    """Levelled length in working days from the grid's origin: itpm's level() against one pass."""
    from itpm import engine
    from itpm.portfolio.models import Project
    from itpm.resources.problem import load_problem

    projects = list(Project.objects.exclude(status__in=("closed", "cancelled")).order_by("code"))
    cases = [(p.code, [p]) for p in projects] + [("all open projects together", projects)]
    rows = []
    for name, group in cases:
        loaded = load_problem(group[0], group, {p.pk for p in group})
        rule = engine.single_pass(loaded.problem, "LFT").makespan
        start = time.perf_counter()
        best = engine.level(loaded.problem, seed=0)
        spent = time.perf_counter() - start
        gain = 100 * (rule - best.makespan) / rule if rule else 0.0
        tasks = str(len(loaded.problem.activities))
        rows.append((name, tasks, str(rule), str(best.makespan), f"{gain:.1f} %", f"{spent * 1000:.0f} ms"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itpm-bench-resources-") as folder:
        set_up_django(Path(folder))
        from itpm.demo import load_demo

        load_demo()
        print(f"Machine: {machine()}")
        print_table(
            "Resource pages on the demo portfolio (median)", ("measure", "time"), timings(options.runs)
        )
        header = ("levelled", "tasks", "LFT single pass", "itpm level()", "shorter by", "level() time")
        print_table("Levelled finish, working days from the earliest start", header, finishes())


if __name__ == "__main__":
    main()
