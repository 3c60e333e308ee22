"""Finance: the earned-value report, the budget and their pages on a large project.

Builds a throw-away SQLite data folder with one project of N leaf tasks (default 2,000; try
--tasks 10000) laid end to end in ten parallel streams, each task 1-10 working days with one or
two of 40 resources, a cost-rate change per resource half-way through, a fixed cost on every
tenth task, 100 purchases, a baseline, the first third of the tasks done or under way, and their
approved timesheet hours. Then measures in-process, median of runs:

- the earned-value report (weekly and monthly periods), the budget summary;
- the Earned value and Budget pages through Django's test client.

There is no peer to race here: the figures are for docs/benchmarks.md.

    .venv/bin/python bench/finance.py [--tasks 2000] [--runs 5] [--slip WEEKS] [--profile]

--slip moves every task WEEKS later than the baseline (the plan and the schedule then disagree
on every task, so the report prices both); --profile prints where one Earned value page's time
goes instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
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
from bench.timesheets import set_up_django  # noqa: E402 - the same throw-away SQLite folder

START = dt.date(2026, 1, 5)  # a Monday
STREAMS, RESOURCES = 10, 40
PASSWORD = "bench-finance-2026"  # noqa: S105 - a throw-away data folder's only login


def working_days(first: dt.date, count: int) -> list[dt.date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build(task_count: int, slip: int = 0) -> tuple[Any, Any]:
    from django.contrib.auth.models import User

    from itpm.planning.models import Calendar
    from itpm.portfolio.models import Membership, Portfolio, Project, Role
    from itpm.resources.models import Resource

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    pm = User.objects.create_user("pm", "pm@example.test", PASSWORD)
    project = Project.objects.create(
        portfolio=Portfolio.objects.create(name="Bench"), code="BENCH", name="Finance bench",
        planned_start=START, planned_finish=START + dt.timedelta(days=3000),
        calendar=Calendar.objects.create(name="Standard", hours_per_day=Decimal(8)), manager=pm,
        status="in-progress",
    )  # fmt: skip
    Membership.objects.create(project=project, user=pm, role=Role.PROJECT_MANAGER)
    resources = Resource.objects.bulk_create(
        Resource(name=f"Person {n}", cost_rate=Decimal(60 + n)) for n in range(RESOURCES)
    )
    tasks = _tasks(project, task_count, rng)
    _money(project, tasks, resources, rng)
    if slip:
        _slip(tasks, slip)
    return pm, project


def _slip(tasks: list[Any], weeks: int) -> None:
    """Every task `weeks` later than its baseline (after the baseline is set): the plan and the
    current schedule then disagree on every task, the costliest case for the report."""
    from itpm.planning.models import Task

    for task in tasks:
        task.start += dt.timedelta(weeks=weeks)
        task.finish += dt.timedelta(weeks=weeks)
    Task.objects.bulk_update(tasks, ["start", "finish"], batch_size=2000)


def _tasks(project: Any, task_count: int, rng: random.Random) -> list[Any]:
    from itpm.planning.models import Task

    rows, cursor = [], [START] * STREAMS
    for n in range(task_count):
        stream = n % STREAMS
        days = working_days(cursor[stream], rng.randint(1, 10))
        cursor[stream] = days[-1] + dt.timedelta(days=1)
        rows.append(
            Task(
                project=project, name=f"Task {n + 1}", wbs_code=str(n + 1), order=n + 1,
                duration_days=Decimal(len(days)), start=days[0], finish=days[-1],
            )
        )  # fmt: skip
    return Task.objects.bulk_create(rows)


def _money(project: Any, tasks: list[Any], resources: list[Any], rng: random.Random) -> None:
    from itpm.finance.models import CostRate, FixedCost, Purchase
    from itpm.planning.models import Task
    from itpm.planning.services.baselines import do_set_baseline
    from itpm.resources.models import Assignment

    Assignment.objects.bulk_create(
        Assignment(task=task, resource=resource, units=Decimal(1))
        for task in tasks
        for resource in rng.sample(resources, rng.randint(1, 2))
    )
    middle = tasks[len(tasks) // 2].start
    CostRate.objects.bulk_create(
        CostRate(resource=r, standard_rate=r.cost_rate + 5, effective_from=middle) for r in resources
    )
    FixedCost.objects.bulk_create(FixedCost(task=t, name="Fee", amount=Decimal(1500)) for t in tasks[::10])
    finish = max(t.finish for t in tasks)
    Purchase.objects.bulk_create(
        Purchase(project=project, description=f"Item {n}", date=START + (finish - START) * n // 100,
                 amount=Decimal(rng.randint(1, 50) * 1000), status="paid" if n < 30 else "planned")
        for n in range(100)
    )  # fmt: skip
    do_set_baseline(project, "Approved plan")
    status = tasks[len(tasks) // 3].finish
    project.status_date = status
    project.save()
    done = [t for t in tasks if t.start <= status]
    for task in done:
        task.percent_complete = 100 if task.finish <= status else 50
        task.actual_start = task.start
        task.actual_finish = task.finish if task.finish <= status else None
    Task.objects.bulk_update(done, ["percent_complete", "actual_start", "actual_finish"])
    _timesheets(project, done, status)


def _timesheets(project: Any, done: list[Any], status: dt.date) -> None:
    """Approved hours: eight a working day per assignment, up to the status date."""
    from itpm.resources.models import Assignment
    from itpm.timesheets.models import TimeEntry, Timesheet

    sheets: dict[tuple[int, dt.date], Any] = {}
    entries = []
    for assignment in Assignment.objects.filter(task__in=done).select_related("task"):
        task = assignment.task
        for day in working_days(task.start, int(task.duration_days)):
            if day > status:
                break
            week = day - dt.timedelta(days=day.weekday())
            key = (assignment.resource_id, week)
            if key not in sheets:
                sheets[key] = Timesheet.objects.create(
                    resource_id=assignment.resource_id, project=project, week_start=week, status="approved"
                )
            entries.append(TimeEntry(timesheet=sheets[key], task=task, day=day, hours=Decimal(8)))
    TimeEntry.objects.bulk_create(entries, batch_size=5000)


def median_ms(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    """After one untimed run (templates compiled, caches warm), the median of `runs`: wall time
    and this process's CPU time (other work on the machine inflates the first, not the second)."""
    action()
    walls, cpus = [], []
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - began) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def run(task_count: int, runs: int, slip: int = 0) -> None:
    from django.test import Client

    from itpm.finance.budget import budget_summary
    from itpm.finance.earned import earned_value_report

    began = time.perf_counter()
    pm, project = build(task_count, slip)
    built = time.perf_counter() - began
    client = Client()
    client.force_login(pm)
    report = earned_value_report(pm, project.pk)
    measures = [
        ("earned-value report, weekly", lambda: earned_value_report(pm, project.pk, "week")),
        ("earned-value report, monthly", lambda: earned_value_report(pm, project.pk, "month")),
        ("budget summary", lambda: budget_summary(pm, project.pk)),
        ("Earned value page (GET)", lambda: client.get("/projects/BENCH/earned-value/")),
        ("Budget page (GET)", lambda: client.get("/projects/BENCH/budget/")),
    ]
    rows = []
    for name, action in measures:
        wall, cpu = median_ms(action, runs)
        rows.append((name, f"{wall:,.0f}", f"{cpu:,.0f}"))
    slipped = f", every task {slip} weeks behind its baseline" if slip else ""
    print(
        f"{task_count:,} tasks{slipped}, {len(report.points)} weekly points, built in {built:.1f} s;",
        machine(),
    )
    print(
        f"BAC {report.indicators.bac:,.2f}, CPI {report.indicators.cpi:.3f}, SPI {report.indicators.spi:.3f}"
    )
    print_table(f"Finance on {task_count:,} tasks (median of {runs} runs)", ("what", "ms", "CPU ms"), rows)


def profile(task_count: int, runs: int, slip: int = 0) -> None:
    """Where an Earned value page's time goes, by cumulative time (bench/finance.py --profile)."""
    import cProfile
    import pstats

    from django.test import Client

    pm, _ = build(task_count, slip)
    client = Client()
    client.force_login(pm)
    client.get("/projects/BENCH/earned-value/")
    profiler = cProfile.Profile()
    profiler.runcall(client.get, "/projects/BENCH/earned-value/")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slip", type=int, default=0, help="weeks every task runs behind its baseline")
    parser.add_argument("--profile", action="store_true", help="cProfile one earned-value page instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itpm-bench-fin-") as folder:
        set_up_django(Path(folder))
        (profile if args.profile else run)(args.tasks, args.runs, args.slip)


if __name__ == "__main__":
    main()
