"""Calendars in the native file: the `calendars` object, a task's `calendar`, and their faults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itpm.engine import schedule, schedule_arrays
from itpm.engine.formats import FormatError, engine_arrays, engine_input, parse_project
from itpm.engine.formats.report import dated_report

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "cutover-calendars.itpm.json"


def document() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text())


def test_the_documented_example_reads_its_calendars() -> None:
    project = parse_project(EXAMPLE.read_text(), EXAMPLE.name)
    assert list(project.calendars) == ["four-day week", "weekend crew", "Ana on leave"]
    assert project.calendars["weekend crew"].working_week == (6, 7)
    assert [task.calendar for task in project.tasks] == [
        None,
        "four-day week",
        "weekend crew",
        "Ana on leave",
        None,
    ]


def test_the_documented_example_schedules_each_task_on_its_calendar() -> None:
    # Design Mon 5 - Fri 9 Jan. Build, Monday to Thursday, 6 days: 12-15 and 19-20 (the
    # project's holiday on the 19th is not the four-day week's). The weekend crew migrates on
    # Sat 24 and Sun 25. Ana's test waits a day's lag (Mon 12) and her leave (13, 14): 15, 16, 19.
    project = parse_project(EXAMPLE.read_text(), EXAMPLE.name)
    laid_out = engine_arrays(project)
    plan = schedule_arrays(laid_out.arrays, timetable=laid_out.timetable)
    report = dated_report(project, plan, laid_out.calendar)
    dates = dict(
        zip([t.id for t in project.tasks], zip(report.starts, report.finishes, strict=True), strict=True)
    )
    assert dates == {
        "design": ("2026-01-05", "2026-01-09"),
        "build": ("2026-01-12", "2026-01-20"),
        "migrate": ("2026-01-24", "2026-01-25"),
        "test": ("2026-01-15", "2026-01-19"),
        "live": ("2026-01-25", "2026-01-25"),
    }
    # Only the weekend's work is critical: build may slip to Thu 22 without moving it.
    assert plan.critical_path == ["migrate", "live"]
    assert plan.results["build"].total_float == 200  # two of build's working days, in units
    given = engine_input(project)
    objects = schedule(given.tasks, given.links, timetable=given.timetable)
    assert objects.results == plan.results


def test_a_file_without_calendars_has_no_timetable() -> None:
    text = document()
    del text["calendars"]
    for task in text["tasks"]:
        task.pop("calendar", None)
    laid_out = engine_arrays(parse_project(json.dumps(text), "plan.json"))
    assert laid_out.timetable is None and laid_out.arrays.task_calendar is None


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: d["tasks"][1].update(calendar="five-day week"),
            "tasks[1].calendar",
            "no calendar is named",
        ),
        (lambda d: d["tasks"][1].update(calendar=""), "tasks[1].calendar", "non-empty"),
        (lambda d: d.update(calendars=[]), "calendars", "must be an object"),
        (lambda d: d["calendars"].update({" ": {}}), "calendars", "not blank"),
        (
            lambda d: d["calendars"]["weekend crew"].update(working_week=[0]),
            "calendars.weekend crew.working_week[0]",
            "weekday",
        ),
        (
            lambda d: d["calendars"]["weekend crew"].update(working_week=[]),
            "calendars.weekend crew.working_week",
            "at least one",
        ),
        (
            lambda d: d["calendars"]["weekend crew"].update(shifts=[]),
            "calendars.weekend crew.shifts",
            "unknown key",
        ),
        (lambda d: d["calendars"].update({"x": 3}), "calendars.x", "object"),
    ],
)
def test_a_bad_calendar_is_named_by_its_path(change: Any, where: str, message: str) -> None:
    text = document()
    change(text)
    with pytest.raises(FormatError) as caught:
        parse_project(json.dumps(text), "plan.json")
    assert caught.value.path == where, str(caught.value)
    assert message in str(caught.value)
