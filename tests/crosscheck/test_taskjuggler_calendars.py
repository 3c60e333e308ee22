"""Tasks on calendars of their own, against TaskJuggler 3.

The same generated networks as test_taskjuggler.py, with a share of the tasks moved onto other
calendars: the project's week less a day or two, and the project's week with leave. TaskJuggler
schedules each such task as the effort of a resource of its own that works that calendar
(formats/taskjuggler.py says why links into them carry no lag there). Each task's first and
last working day must agree with the dates `itpm schedule` prints.

The calendars work no day the project's does not. TaskJuggler dates a task's start at the end
of the project's working time before it (Friday 17:00 for a task that starts on Monday), and a
start-to-start successor on a calendar that works on Saturday would then start on that
Saturday, before its predecessor: itpm starts it on the Monday. tests/engine covers calendars
that work more days than the project's (test_task_calendars.py, test_calendar_properties.py).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bench.common import Shape, random_network

from itpm.engine import schedule_arrays
from itpm.engine.formats import engine_arrays, parse_project
from itpm.engine.formats.project import ProjectCalendar, ProjectFile
from itpm.engine.formats.report import dated_report
from itpm.engine.formats.taskjuggler import DAY_STARTS_AT, read_report, to_tjp

pytestmark = pytest.mark.taskjuggler


def with_calendars(document: dict[str, Any], seed: int, share: float = 0.4) -> dict[str, Any]:
    """`document` with calendars, a share of its tasks with work on them (a milestone has no
    working time to count), and the links into or out of those finish-to-start, without lag
    into them: TaskJuggler counts a gap in the project's working time, and with effort it
    cannot always meet a start-to-start dependency ("could not be met", "dependency loop")."""
    rng = random.Random(seed)
    start = dt.date.fromisoformat(document["project"]["start"])
    project_days = document["project"].get("calendar", {}).get("holidays", [])

    def leave(count: int) -> list[str]:
        return [str(start + dt.timedelta(days=rng.randrange(120))) for _ in range(count)]

    week = document["project"].get("calendar", {}).get("working_week", [1, 2, 3, 4, 5])
    document["calendars"] = {
        "one day less": {"working_week": week[:-1], "holidays": project_days + leave(3)},
        "two days less": {"working_week": week[1:-1], "holidays": list(project_days)},
        "on leave": {"working_week": week, "holidays": project_days + leave(12)},
    }
    names = list(document["calendars"])
    parents = {task.get("parent") for task in document["tasks"]}
    moved = set()
    for task in document["tasks"]:
        if task["id"] not in parents and task.get("duration") and rng.random() < share:
            task["calendar"] = rng.choice(names)
            moved.add(task["id"])
    # tj3 finds a "dependency loop" at a milestone that waits for effort and for a start: such
    # a milestone waits for finishes only.
    milestones = {task["id"] for task in document["tasks"] if not task.get("duration")} - parents
    waiting = {link["to"] for link in document.get("links", []) if link["from"] in moved} & milestones
    for link in document.get("links", []):
        if link["from"] in moved or link["to"] in moved or link["to"] in waiting:
            link["type"] = "FS"
            if link["to"] in moved:
                link.pop("lag", None)
                link.pop("lag_percent", None)
    return document


def dates_of(project: ProjectFile, task_id: str, start: dt.datetime, end: dt.datetime) -> tuple[str, str]:
    """A tj3 span as the first and last working day of the task's own calendar."""
    task = next(t for t in project.tasks if t.id == task_id)
    if task.duration == 0 and task_id not in {t.parent for t in project.tasks}:
        return start.date().isoformat(), start.date().isoformat()
    calendar = project.calendars[task.calendar] if task.calendar else project.calendar
    day_ends = DAY_STARTS_AT + int(project.calendar.hours_per_day)
    first = start.date() if start.hour < day_ends else start.date() + dt.timedelta(days=1)
    last = end.date() if end.hour > DAY_STARTS_AT else end.date() - dt.timedelta(days=1)
    while not _works(calendar, first):
        first += dt.timedelta(days=1)
    while not _works(calendar, last):
        last -= dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


def _works(calendar: ProjectCalendar, day: dt.date) -> bool:
    holidays = {d for holiday in calendar.holidays for d in holiday.days()}
    return day.isoweekday() in calendar.working_week and day not in holidays


def differences(document: dict[str, Any], folder: Path, tj3: str) -> list[str]:
    project = parse_project(json.dumps(document), "generated")
    laid_out = engine_arrays(project)
    assert laid_out.timetable is not None
    plan = schedule_arrays(laid_out.arrays, timetable=laid_out.timetable)
    itpm = {
        row[0]: (str(row[2]), str(row[3])) for row in dated_report(project, plan, laid_out.calendar).rows()
    }
    (folder / "project.tjp").write_text(to_tjp(project, report="schedule", horizon_days=1000))
    run = subprocess.run(
        [tj3, "--silent", "--no-color", "project.tjp"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    theirs = read_report((folder / "schedule.csv").read_text(encoding="utf-8"), project)
    found = []
    for task_id, (start, end) in theirs.items():
        dates = dates_of(project, task_id, start, end)
        if itpm[task_id] != dates:
            found.append(f"{task_id}: itpm {itpm[task_id]}, tj3 {dates} ({start} - {end})")
    return found


@pytest.mark.parametrize("seed", range(4))
def test_tasks_on_their_own_calendars_agree(seed: int, tmp_path: Path, tj3: str) -> None:
    document = with_calendars(random_network(50 + 10 * seed, 60 + seed, Shape(taskjuggler=True)), seed)
    assert any(task.get("calendar") for task in document["tasks"])
    assert differences(document, tmp_path, tj3) == []


def test_with_summaries_and_a_sunday_to_thursday_project_week(tmp_path: Path, tj3: str) -> None:
    shape = Shape(taskjuggler=True, summaries=4, summary_out=("FS",), working_week=(7, 1, 2, 3, 4))
    document = with_calendars(random_network(60, 71, shape), 71)
    assert differences(document, tmp_path, tj3) == []
