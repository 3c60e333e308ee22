"""itpm's schedule against TaskJuggler 3's, on the same generated networks and calendar.

Each network is written as a .tjp project (itpm.engine.formats.taskjuggler), scheduled by tj3 in
a temporary folder, and tj3's CSV report is read back. Every task's start and end must agree:
as instants of working time (tj3 reports a start at the end of the working time before it, so
Friday 17:00 for a task that works from Monday morning), and as the dates `itpm schedule`
prints, which are derived here from tj3's instants independently of itpm's calendar code.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bench.common import Shape, random_network

from itpm.engine import schedule
from itpm.engine.formats import ProjectFile, engine_input, parse_project
from itpm.engine.formats.report import ScheduleReport, dated_report
from itpm.engine.formats.taskjuggler import read_report, to_tjp, working_units

pytestmark = pytest.mark.taskjuggler

TASKJUGGLER = Shape(taskjuggler=True)  # every link type, lags >= 0, weekends and holidays


@dataclass(frozen=True)
class Compared:
    project: ProjectFile
    itpm: dict[str, tuple[int, int]]  # early start and finish, in engine units
    itpm_dates: dict[str, tuple[str, str]]  # as `itpm schedule` prints them
    taskjuggler: dict[str, tuple[dt.datetime, dt.datetime]]

    def differences(self) -> list[str]:
        found = []
        summaries = {task.parent for task in self.project.tasks}
        for task in self.project.tasks:
            start, end = self.taskjuggler[task.id]
            theirs = (working_units(start, self.project), working_units(end, self.project))
            if theirs != self.itpm[task.id]:
                found.append(f"{task.id}: itpm units {self.itpm[task.id]}, tj3 {start} - {end}")
            milestone = task.duration == 0 and task.id not in summaries
            dates = taskjuggler_dates(self.project, start, end, milestone)
            if self.itpm_dates[task.id] != dates:
                found.append(f"{task.id}: itpm dates {self.itpm_dates[task.id]}, tj3 {dates}")
        return found


def compare(document: dict[str, Any], folder: Path, tj3: str) -> Compared:
    project = parse_project(json.dumps(document), "generated")
    laid_out = engine_input(project)
    plan = schedule(laid_out.tasks, laid_out.links)
    report: ScheduleReport = dated_report(project, plan, laid_out.calendar)
    (folder / "project.tjp").write_text(to_tjp(project, report="schedule", horizon_days=1000))
    result = subprocess.run(
        [tj3, "--silent", "--no-color", "project.tjp"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Compared(
        project=project,
        itpm={i: (r.early_start, r.early_finish) for i, r in plan.results.items()},
        itpm_dates={row[0]: (str(row[2]), str(row[3])) for row in report.rows()},
        taskjuggler=read_report((folder / "schedule.csv").read_text(encoding="utf-8"), project),
    )


def taskjuggler_dates(
    project: ProjectFile, start: dt.datetime, end: dt.datetime, milestone: bool
) -> tuple[str, str]:
    """The first and last working day of a tj3 span; a milestone's day is the day of its instant."""
    if milestone:
        return start.date().isoformat(), start.date().isoformat()
    day_ends = 9 + int(project.calendar.hours_per_day)
    first = start.date() if start.hour < day_ends else start.date() + dt.timedelta(days=1)
    last = end.date() if end.hour > 9 else end.date() - dt.timedelta(days=1)
    while not working(project, first):
        first += dt.timedelta(days=1)
    while not working(project, last):
        last -= dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


def working(project: ProjectFile, day: dt.date) -> bool:
    holidays = {holiday.start for holiday in project.calendar.holidays}
    return day.isoweekday() in project.calendar.working_week and day not in holidays


@pytest.mark.parametrize("seed", range(6))
def test_networks_with_every_link_type_and_lag_agree(seed: int, tmp_path: Path, tj3: str) -> None:
    compared = compare(random_network(40 + 8 * seed, seed, TASKJUGGLER), tmp_path, tj3)
    assert {link.type for link in compared.project.links} == {"FS", "SS", "FF", "SF"}
    assert compared.differences() == []


@pytest.mark.parametrize("seed", [11, 12])
def test_half_day_durations_and_lags_agree(seed: int, tmp_path: Path, tj3: str) -> None:
    shape = Shape(taskjuggler=True, half_days=True)
    assert compare(random_network(60, seed, shape), tmp_path, tj3).differences() == []


def test_a_sunday_to_thursday_week_with_holidays_agrees(tmp_path: Path, tj3: str) -> None:
    shape = Shape(taskjuggler=True, working_week=(7, 1, 2, 3, 4), holidays=12)
    assert compare(random_network(60, 21, shape), tmp_path, tj3).differences() == []


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_summaries_linked_in_and_finish_to_start_out_agree(seed: int, tmp_path: Path, tj3: str) -> None:
    shape = Shape(taskjuggler=True, summaries=4, summary_out=("FS",))
    compared = compare(random_network(60, seed, shape), tmp_path, tj3)
    assert any(task.parent for task in compared.project.tasks)
    assert compared.differences() == []


@pytest.mark.parametrize("seed", [41, 42, 43])
def test_summaries_linked_out_from_their_start_agree(seed: int, tmp_path: Path, tj3: str) -> None:
    shape = Shape(taskjuggler=True, summaries=5, summary_in=("FS", "SS"), summary_out=("SS",))
    compared = compare(random_network(60, seed, shape), tmp_path, tj3)
    assert any(link.type == "SS" and link.predecessor.startswith("S") for link in compared.project.links)
    assert compared.differences() == []


def test_a_milestone_after_a_week_of_work_falls_on_its_friday(tmp_path: Path, tj3: str) -> None:
    document = _project(
        [{"id": "A", "duration": 5}, {"id": "M", "milestone": True}, {"id": "B", "duration": 1}],
        [{"from": "A", "to": "M"}, {"from": "M", "to": "B"}],
    )
    compared = compare(document, tmp_path, tj3)
    assert compared.differences() == []
    assert compared.itpm_dates["M"] == ("2026-01-09", "2026-01-09")  # Friday
    assert compared.itpm_dates["B"] == ("2026-01-12", "2026-01-12")  # the Monday after


def test_start_to_start_out_of_a_summary_counts_from_the_summary_start(tmp_path: Path, tj3: str) -> None:
    document = _project(
        [
            {"id": "A", "duration": 5},
            {"id": "S", "name": "Summary"},
            {"id": "X", "duration": 2, "parent": "S"},
            {"id": "Y", "duration": 2, "parent": "S"},
            {"id": "B", "duration": 1},
        ],
        [{"from": "A", "to": "Y"}, {"from": "S", "to": "B", "type": "SS"}],
    )
    compared = compare(document, tmp_path, tj3)
    assert compared.itpm["B"] == (0, 100)  # with X, at the project start
    assert compared.differences() == []


def _project(tasks: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "itpm-project",
        "version": 1,
        "project": {"name": "by hand", "start": "2026-01-05"},
        "tasks": tasks,
        "links": links,
    }
