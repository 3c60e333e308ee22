"""Timesheets: the week grid's server time, saving a grid, uploads of 10,000 rows, approval.

Builds a throw-away SQLite data folder with one 200-task project and one team member assigned
to 20 of its tasks, then measures in-process (Django's test client for pages, the services for
the rest), median of runs:

- the week grid page (20 rows) and an HTMX save of its 140 cells;
- a CSV and an XLSX upload of 10,000 rows (100 tasks × 100 days), checked and saved;
- approving a submitted week of 20 tasks (progress written, project rescheduled);
- approved_time of the project over 10,000 approved entries (what finance reads).

There is no peer to race here: the figures are for docs/benchmarks.md.

    .venv/bin/python bench/timesheets.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
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
from bench.gantt_page import set_up_django  # noqa: E402

MONDAY = dt.date(2026, 3, 2)
PASSWORD = "bench-timesheets-2026"  # noqa: S105 - a throw-away data folder's only login


def build() -> tuple[Any, Any, Any, list[Any]]:
    from django.contrib.auth.models import User

    from itpm.planning.models import Calendar, Task
    from itpm.planning.scheduling.run import do_schedule_project
    from itpm.portfolio.models import Membership, Portfolio, Project, Role
    from itpm.resources.models import Assignment, Resource

    pm = User.objects.create_user("pm", "pm@example.test", PASSWORD)
    member = User.objects.create_user("member", "member@example.test", PASSWORD)
    project = Project.objects.create(
        portfolio=Portfolio.objects.create(name="Bench"),
        code="BENCH",
        name="Timesheet bench",
        planned_start=MONDAY,
        planned_finish=MONDAY + dt.timedelta(days=400),
        calendar=Calendar.objects.create(name="Standard"),
        manager=pm,
        status="in-progress",
    )
    Membership.objects.create(project=project, user=pm, role=Role.PROJECT_MANAGER)
    Membership.objects.create(project=project, user=member, role=Role.TEAM_MEMBER)
    tasks = Task.objects.bulk_create(
        Task(
            project=project, name=f"Task {n + 1}", wbs_code=str(n + 1), order=n + 1, duration_days=Decimal(60)
        )
        for n in range(200)
    )
    resource = Resource.objects.create(name="Mia Member", user=member)
    Assignment.objects.bulk_create(Assignment(task=task, resource=resource) for task in tasks[:20])
    do_schedule_project(project)
    return pm, member, project, tasks


def median_ms(action: Callable[[], Any], runs: int, reset: Callable[[], Any] | None = None) -> float:
    times = []
    for _ in range(runs):
        if reset is not None:
            reset()
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def upload_rows(tasks: list[Any]) -> list[list[Any]]:
    """10,000 rows: 100 tasks × 100 consecutive days, 0.2 h each (20 h a day)."""
    days = [MONDAY + dt.timedelta(days=n) for n in range(100)]
    return [[task.pk, day.isoformat(), "0.2"] for day in days for task in tasks[:100]]


def as_csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["task_id", "date", "hours"])
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["task_id", "date", "hours"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itpm-bench-ts-") as folder:
        set_up_django(Path(folder))
        run(args.runs)


def run(runs: int) -> None:
    from django.test import Client

    from itpm.timesheets.approvals import check_approve
    from itpm.timesheets.models import TimeEntry, Timesheet
    from itpm.timesheets.services import Cell, approved_time, check_save_week, check_submit_week
    from itpm.timesheets.upload import check_upload

    pm, member, project, tasks = build()
    week_cells = [Cell(t.pk, MONDAY + dt.timedelta(days=d), "1") for t in tasks[:20] for d in range(7)]
    check_save_week(member, MONDAY, week_cells)
    client = Client()
    client.force_login(member)
    form = {f"h-{t.pk}-{d}": "1.1" for t in tasks[:20] for d in range(7)}
    rows: list[tuple[str, str]] = []
    grid = median_ms(lambda: client.get("/timesheet/2026-W10/"), runs)
    rows.append(("week grid page, 20 rows", f"{grid:.0f} ms"))
    save = median_ms(
        lambda: client.post("/timesheet/2026-W10/save/", form, headers={"HX-Request": "true"}), runs
    )
    rows.append(("HTMX save of the grid, 140 cells", f"{save:.0f} ms"))

    def clear() -> None:
        TimeEntry.objects.all().delete()
        Timesheet.objects.all().delete()

    data = upload_rows(tasks)
    for name, content in (("hours.csv", as_csv(data)), ("hours.xlsx", as_xlsx(data))):
        spent = median_ms(lambda n=name, c=content: check_upload(member, n, c), max(1, runs // 2), clear)
        rows.append((f"upload of 10,000 rows, {name.split('.')[1].upper()}", f"{spent:.0f} ms"))
    clear()
    check_save_week(member, MONDAY, week_cells)
    sheet = check_submit_week(member, MONDAY)[0]
    began = time.perf_counter()
    check_approve(pm, sheet)
    rows.append(
        (
            "approve a week of 20 tasks (progress + reschedule)",
            f"{(time.perf_counter() - began) * 1000:.0f} ms",
        )
    )
    clear()
    check_upload(member, "hours.csv", as_csv(data))
    for sheet in Timesheet.objects.all():
        Timesheet.objects.filter(pk=sheet.pk).update(status="approved")
    spent = median_ms(lambda: approved_time(project.pk), runs)
    rows.append(("approved_time over 10,000 approved entries", f"{spent:.0f} ms"))
    print(machine())
    print_table("Timesheets on SQLite, in-process", ("measure", "median"), rows)


if __name__ == "__main__":
    main()
