"""From a read file to the engine's input: dates become units at the start or the end of a day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from itpm.engine import Link, Task, schedule, schedule_arrays
from itpm.engine.formats import EngineInput, engine_arrays, engine_input, parse_project

FRIDAY = "2026-01-09"


def laid_out(task: dict[str, object], **project: object) -> tuple[Task, Link, EngineInput]:
    document = {
        "format": "itpm-project",
        "version": 1,
        "project": {"start": "2026-01-05", **project},
        "tasks": [{"id": "A", "duration": 2, **task}, {"id": "B", "duration": 1}],
        "links": [{"from": "A", "to": "B", "lag_percent": 50}],
    }
    result = engine_input(parse_project(json.dumps(document), "p"))
    return result.tasks[0], result.links[0], result


def test_a_plain_task_and_link_pass_through() -> None:
    task, link, result = laid_out({})
    assert (task.id, task.duration, task.constraint, task.constraint_date) == ("A", 200, "ASAP", None)
    assert link.lag_percent == 50.0
    assert result.status_unit is None and result.project_finish_unit is None


def test_start_dates_are_the_first_unit_of_their_day_and_finish_dates_the_end() -> None:
    task, _, _ = laid_out(
        {"constraint": {"type": "SNET", "date": "2026-01-06"}, "actual_start": "2026-01-06"}
    )
    assert (task.constraint, task.constraint_date, task.actual_start) == ("SNET", 100, 100)
    task, _, _ = laid_out({"constraint": {"type": "FNLT", "date": FRIDAY}, "deadline": FRIDAY})
    assert (task.constraint_date, task.deadline) == (500, 500)  # the end of Friday: Monday's first unit


def test_progress_and_the_status_date_and_project_finish() -> None:
    task, _, result = laid_out(
        {
            "actual_start": "2026-01-05",
            "actual_finish": "2026-01-06",
            "percent_complete": 100,
            "remaining": 0,
        },
        status_date=FRIDAY,
        finish="2026-01-16",
    )
    assert (task.actual_start, task.actual_finish, task.percent_complete, task.remaining) == (
        0,
        200,
        100.0,
        0,
    )
    assert result.status_unit == 500
    assert result.project_finish_unit == 1000
    assert result.calendar.to_date(result.status_unit) == dt.date(2026, 1, 12)


def test_the_arrays_of_a_project_schedule_as_its_tasks_and_links_do() -> None:
    example = Path(__file__).resolve().parents[3] / "docs" / "examples" / "crm-rollout.itpm.json"
    project = parse_project(example.read_text(encoding="utf-8"), example.name)
    objects, arrays = engine_input(project), engine_arrays(project)
    options = {"status_unit": objects.status_unit, "project_finish_unit": objects.project_finish_unit}
    assert (arrays.status_unit, arrays.project_finish_unit) == tuple(options.values())
    by_objects = schedule(objects.tasks, objects.links, **options)
    by_arrays = schedule_arrays(arrays.arrays, **options)
    assert dict(by_arrays.results) == dict(by_objects.results)
    assert (by_arrays.finish, by_arrays.critical_path) == (by_objects.finish, by_objects.critical_path)
    assert by_arrays.conflicts == by_objects.conflicts
