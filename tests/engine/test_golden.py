"""The golden corpus: each file in golden/ is a small project and the result it must give.

A file is one JSON object:

    {
      "description": "what it shows, in words",
      "tasks": [{"id": "A", "duration": 3, ...}],       # keyword arguments of engine.Task
      "links": [{"predecessor": "A", "successor": "B", "type": "FS", "lag": 0}],  # of Link
      "options": {"status_unit": 10},                    # keyword arguments of schedule()
      "timetable": {"start": "2026-01-05", "project": {...}, "calendars": {"name": {...}}},
      "expect": {...}
    }

`timetable` (optional) gives the calendars tasks work on (Task.calendar): each as keyword
arguments of engine.Calendar, weekdays 0 (Monday) to 6, holidays as ISO dates; units are then
units of the timetable's axis, from `start`.

`expect` holds either {"error": "E001", "tasks": [...]} (the EngineError code and, if given,
the tasks it names), or any of: "dates" {id: [early start, early finish]}, "late" {id: [late
start, late finish]}, "floats" {id: total float}, "finish", "start", "critical_path" [ids],
"conflicts" [[code, [tasks]], ...] (the whole list, in order).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from itpm.engine import Calendar, EngineError, Link, Schedule, Task, schedule
from itpm.engine.timetable import Timetable

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))


def run(case: dict[str, Any]) -> Schedule:
    tasks = [Task(**fields) for fields in case["tasks"]]
    links = [Link(**fields) for fields in case.get("links", [])]
    options = dict(case.get("options", {}))
    if "timetable" in case:
        options["timetable"] = timetable(case["timetable"])
    return schedule(tasks, links, **options)


def timetable(given: dict[str, Any]) -> Timetable:
    def calendar(fields: dict[str, Any]) -> Calendar:
        holidays = frozenset(dt.date.fromisoformat(day) for day in fields.get("holidays", []))
        weekdays = frozenset(fields.get("working_weekdays", range(5)))
        return Calendar(weekdays, holidays, fields.get("units_per_day", 1))

    named = {name: calendar(fields) for name, fields in given.get("calendars", {}).items()}
    return Timetable(calendar(given.get("project", {})), named, dt.date.fromisoformat(given["start"]))


def test_the_corpus_covers_every_code() -> None:
    expected = [json.loads(path.read_text())["expect"] for path in FILES]
    errors = {e["error"] for e in expected if "error" in e}
    conflicts = {code for e in expected for code, _ in e.get("conflicts", [])}
    assert len(FILES) >= 20
    assert {"E001", "E002", "E003", "E004", "E013", "E014"} <= errors
    assert {"C101", "C102", "C103"} <= conflicts


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_golden_file(path: Path) -> None:
    case = json.loads(path.read_text())
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(EngineError) as raised:
            run(case)
        assert raised.value.code == expect["error"], raised.value
        if "tasks" in expect:
            assert list(raised.value.tasks) == expect["tasks"]
        return
    plan = run(case)
    results = plan.results
    for task, (start, finish) in expect.get("dates", {}).items():
        assert (results[task].early_start, results[task].early_finish) == (start, finish), task
    for task, (start, finish) in expect.get("late", {}).items():
        assert (results[task].late_start, results[task].late_finish) == (start, finish), task
    for task, total in expect.get("floats", {}).items():
        assert results[task].total_float == total, task
    for field in ("finish", "start", "critical_path"):
        if field in expect:
            assert getattr(plan, field) == expect[field], field
    if "conflicts" in expect:
        assert [[c.code, list(c.tasks)] for c in plan.conflicts] == expect["conflicts"]
