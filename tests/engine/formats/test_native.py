"""The native JSON project reader: a full file, defaults, and each kind of bad value by its path."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itpm.engine import schedule
from itpm.engine.formats import FormatError, engine_input, parse_project, read_project_text
from itpm.engine.formats.project import Constraint, Holiday

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "crm-rollout.itpm.json"

MINIMAL: dict[str, Any] = {
    "format": "itpm-project",
    "version": 1,
    "project": {"start": "2026-01-05"},
    "tasks": [{"id": "A", "duration": 3}, {"id": "B", "duration": 2.5}],
    "links": [{"from": "A", "to": "B"}],
}


def changed(path: str, value: Any, document: dict[str, Any] | None = None) -> str:
    """MINIMAL (or `document`) as JSON with the value at `path` (a.b[0].c) replaced or, for
    the value DELETE, removed."""
    result = copy.deepcopy(document or MINIMAL)
    keys: list[str | int] = []
    for part in path.replace("[", ".").replace("]", "").split("."):
        keys.append(int(part) if part.isdigit() else part)
    target: Any = result
    for key in keys[:-1]:
        target = target[key] if isinstance(key, int) else target.setdefault(key, {})
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return json.dumps(result)


DELETE = object()


def error_for(text: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        parse_project(text, "plan.json")
    return caught.value


def test_a_minimal_file_takes_the_defaults() -> None:
    project = parse_project(json.dumps(MINIMAL), "plan.json")
    assert project.start == dt.date(2026, 1, 5)
    assert project.calendar.working_week == (1, 2, 3, 4, 5)
    assert project.calendar.hours_per_day == 8
    assert [(t.id, t.duration, t.name) for t in project.tasks] == [("A", 300, ""), ("B", 250, "")]
    assert [(k.predecessor, k.successor, k.type, k.lag) for k in project.links] == [("A", "B", "FS", 0)]


def test_the_documented_example_reads_every_field() -> None:
    project = parse_project(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    tasks = {task.id: task for task in project.tasks}
    assert project.name == "CRM rollout"
    assert project.status_date == dt.date(2026, 3, 13)
    assert project.calendar.holidays[1] == Holiday(dt.date(2026, 4, 6), dt.date(2026, 4, 6), "Easter Monday")
    assert tasks["1.2"].parent == "1" and tasks["1.2"].remaining == 400
    assert tasks["1.2"].percent_complete == Decimal(50)
    assert tasks["1.3"].milestone and tasks["1.3"].duration == 0
    assert tasks["2.3"].constraint == Constraint("SNET", dt.date(2026, 4, 7))
    assert tasks["4"].deadline == dt.date(2026, 6, 30)
    assert {link.type for link in project.links} == {"FS", "SS", "FF", "SF"}
    assert any(link.lag_percent == 10 for link in project.links)
    assert any(link.lag == -200 for link in project.links)


def test_the_documented_example_schedules() -> None:
    project = parse_project(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    laid_out = engine_input(project)
    plan = schedule(
        laid_out.tasks,
        laid_out.links,
        status_unit=laid_out.status_unit,
        project_finish_unit=laid_out.project_finish_unit,
    )
    assert plan.conflicts == []
    assert plan.critical_path[-1] == "4"


def test_ids_may_be_whole_numbers_and_durations_decimals_rounded_up_to_a_hundredth() -> None:
    document = changed("tasks", [{"id": 1, "duration": 0.333}, {"id": "2", "duration": 1}])
    project = parse_project(
        changed("links", [{"from": 1, "to": 2, "lag": -0.001}], json.loads(document)), "p"
    )
    assert [task.id for task in project.tasks] == ["1", "2"]
    assert project.tasks[0].duration == 34
    assert project.links[0].lag == -1  # a lead rounds away from zero too


def test_holidays_as_dates_and_ranges_become_calendar_days() -> None:
    holidays = ["2026-01-07", {"start": "2026-01-12", "finish": "2026-01-13", "name": "Retreat"}]
    project = parse_project(changed("project.calendar", {"holidays": holidays, "working_week": [7, 1]}), "p")
    calendar = project.calendar.engine_calendar()
    assert calendar.holidays == {dt.date(2026, 1, 7), dt.date(2026, 1, 12), dt.date(2026, 1, 13)}
    assert calendar.working_weekdays == {6, 0}  # Sunday and Monday, in Python's numbering


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        ("format", "mpp", "format", "must be 'itpm-project'"),
        ("version", 2, "version", "2 is not a version this itpm reads"),
        ("version", True, "version", "not a version"),
        ("project", DELETE, "project", "is required"),
        ("tasks", DELETE, "tasks", "is required"),
        ("tasks", {"id": "A"}, "tasks", "must be a list, not an object"),
        ("colour", "red", "colour", "unknown key"),
        ("project.start", DELETE, "project.start", "is required"),
        ("project.start", "5 Jan 2026", "project.start", "must be a date written YYYY-MM-DD"),
        ("project.start", "2026-02-30", "project.start", "'2026-02-30' is not a date in the calendar"),
        ("project.start", 20260105, "project.start", "must be a date written YYYY-MM-DD, not 20260105"),
        ("project.finish", "2025-12-31", "project.finish", "before the project start"),
        ("project.status_date", "2300-01-01", "project.status_date", "more than 36525 days after"),
        ("project.name", 7, "project.name", "must be a string, not a number"),
        ("project.calendar", [], "project.calendar", "must be an object, not a list"),
        ("project.calendar.working_week", [], "project.calendar.working_week", "at least one working day"),
        ("project.calendar.working_week", [1, 8], "project.calendar.working_week[1]", "from 1 (Monday) to 7"),
        ("project.calendar.working_week", [1, 1], "project.calendar.working_week[1]", "listed twice"),
        ("project.calendar.working_week", ["mon"], "project.calendar.working_week[0]", "weekday"),
        ("project.calendar.hours_per_day", 0, "project.calendar.hours_per_day", "more than 0"),
        ("project.calendar.hours_per_day", 25, "project.calendar.hours_per_day", "must be <= 24"),
        ("project.calendar.holidays", ["2026-13-01"], "project.calendar.holidays[0]", "not a date in"),
        (
            "project.calendar.holidays",
            [{"finish": "2026-01-01"}],
            "project.calendar.holidays[0].start",
            "required",
        ),
        (
            "project.calendar.holidays",
            [{"start": "2026-01-09", "finish": "2026-01-08"}],
            "project.calendar.holidays[0].finish",
            "before the holiday's start",
        ),
        ("tasks[1]", "B", "tasks[1]", "must be an object, not a string"),
        ("tasks[1].id", "A", "tasks[1].id", "'A' is already the id of tasks[0]"),
        ("tasks[1].id", "", "tasks[1].id", "must be a non-empty string or a whole number"),
        ("tasks[1].id", 1.5, "tasks[1].id", "must be a non-empty string or a whole number, not 1.5"),
        ("tasks[1].duration", -1, "tasks[1].duration", "must be >= 0, not -1"),
        ("tasks[1].duration", "3d", "tasks[1].duration", "must be a number, not '3d'"),
        ("tasks[1].duration", True, "tasks[1].duration", "must be a number, not true"),
        ("tasks[1].duration", None, "tasks[1].duration", "must be a number, not null"),
        ("tasks[1].duration", 1e6, "tasks[1].duration", "must be <= 36525"),
        ("tasks[1].duration", DELETE, "tasks[1].duration", "is required"),
        ("tasks[1].durration", 2, "tasks[1].durration", "unknown key"),
        ("tasks[1].milestone", "yes", "tasks[1].milestone", "must be true or false"),
        ("tasks[1].parent", "Z", "tasks[1].parent", "no task has the id 'Z'"),
        ("tasks[1].parent", "B", "tasks[1].parent", "cannot be its own parent"),
        ("tasks[1].deadline", "2026-1-5", "tasks[1].deadline", "YYYY-MM-DD"),
        ("tasks[1].actual_start", "2025-01-01", "tasks[1].actual_start", "before the project start"),
        ("tasks[1].actual_finish", "2026-02-01", "tasks[1].actual_finish", "needs an actual_start"),
        ("tasks[1].percent_complete", 101, "tasks[1].percent_complete", "must be <= 100"),
        ("tasks[1].remaining", -2, "tasks[1].remaining", "must be >= 0"),
        ("tasks[1].constraint", "SNET", "tasks[1].constraint", "must be an object"),
        ("tasks[1].constraint", {"type": "SOON"}, "tasks[1].constraint.type", "must be one of ASAP, ALAP"),
        ("tasks[1].constraint", {"type": "MSO"}, "tasks[1].constraint.date", "needs a date"),
        (
            "tasks[1].constraint",
            {"type": "ASAP", "date": "2026-02-02"},
            "tasks[1].constraint.date",
            "no date",
        ),
        ("links", {"from": "A"}, "links", "must be a list"),
        ("links[0].from", DELETE, "links[0].from", "is required"),
        ("links[0].to", "Q", "links[0].to", "no task has the id 'Q'"),
        ("links[0].to", "A", "links[0]", "links task 'A' to itself"),
        ("links[0].type", "XX", "links[0].type", "must be one of FS, SS, FF, SF, not 'XX'"),
        ("links[0].type", "fs", "links[0].type", "must be one of FS, SS, FF, SF"),
        ("links[0].lag", "2d", "links[0].lag", "must be a number"),
        ("links[0].lag", -40000, "links[0].lag", "must be >= -36525"),
        ("links[0].lag_percent", 50, "links[0]", "lag (working days) or lag_percent, not both"),
        ("links[0].weight", 1, "links[0].weight", "unknown key"),
    ],
)
def test_a_bad_value_is_named_by_its_json_path(path: str, value: Any, where: str, message: str) -> None:
    document = json.loads(json.dumps(MINIMAL))
    document["links"][0]["lag"] = 1  # so that adding lag_percent makes both
    error = error_for(changed(path, value, document))
    assert error.path == where
    assert message in error.message
    assert str(error) == f"plan.json: {where}: {error.message}"


def test_a_duplicate_link_is_named() -> None:
    text = changed("links", [{"from": "A", "to": "B"}, {"from": "A", "to": "B", "type": "SS"}])
    error = error_for(text)
    assert (error.path, error.message) == ("links[1]", "'A' → 'B' is already links[0]")


def test_a_summary_needs_no_duration_but_a_leaf_does() -> None:
    tasks = [{"id": "S"}, {"id": "A", "parent": "S", "duration": 1}, {"id": "L"}]
    unlinked = {**MINIMAL, "links": []}
    error = error_for(changed("tasks", tasks, unlinked))
    assert error.path == "tasks[2].duration" and "only summaries have none" in error.message
    assert len(parse_project(changed("tasks", tasks[:2], unlinked), "p").tasks) == 2


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"format": "itpm-project",\n "version": 1,,\n}', 2, 15),
        ('{"tasks": [\n', 2, 1),
        ("", 1, 1),
    ],
)
def test_a_syntax_error_names_line_and_column(text: str, line: int, column: int) -> None:
    error = error_for(text)
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith(f"plan.json:{line}:{column}: not valid JSON: ")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_numbers(constant: str) -> None:
    text = json.dumps(MINIMAL).replace('"duration": 3', f'"duration": {constant}')
    assert "is not a JSON number" in error_for(text).message


def test_the_top_level_must_be_an_object() -> None:
    assert error_for("[1, 2]").message == "must be an object, not a list"


def test_deep_nesting_is_refused_not_crashed() -> None:
    assert "not valid JSON" in error_for("[" * 100_000 + "]" * 100_000).message


def test_the_format_is_told_by_extension_or_by_content() -> None:
    assert read_project_text(json.dumps(MINIMAL), "plan.txt").start == dt.date(2026, 1, 5)  # type: ignore[union-attr]
    with pytest.raises(FormatError, match="neither an itpm project file"):
        read_project_text("name,duration\nA,3\n", "plan.csv")
    with pytest.raises(FormatError, match="not valid JSON"):
        read_project_text("PRECEDENCE RELATIONS", "plan.json")


def test_the_quick_path_for_plain_tasks_and_links_reads_what_the_full_checks_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tasks = [
        {"id": "S", "name": "Summary"},
        {"id": "A", "name": "Plain", "duration": 3, "parent": "S"},
        {"id": "B", "duration": 0, "milestone": True},
        {"id": "C", "duration": 2.5, "milestone": False},
        {"id": 7, "duration": 1},
    ]
    links = [
        {"from": "A", "to": "B"},
        {"from": "B", "to": "C", "type": "SF", "lag": 2},
        {"from": "A", "to": "C", "type": "FF", "lag": -1},
        {"from": "C", "to": "7", "lag": 0.5},
    ]
    text = json.dumps({**MINIMAL, "tasks": tasks, "links": links})
    quick = parse_project(text, "p")
    from itpm.engine.formats import native, native_links

    monkeypatch.setattr(native._Tasks, "add_plain", lambda self, item: False)
    monkeypatch.setattr(native_links, "PLAIN_LINK_KEYS", frozenset())  # every link the long way
    assert parse_project(text, "p") == quick
    assert [type(task.id) for task in quick.tasks] == [str] * 5


def test_columns_of_plain_tasks_and_links_read_what_task_by_task_reading_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tasks = [
        {"id": "S", "name": "Summary", "duration": 0},
        {"id": "A", "name": "Plain", "duration": 3, "parent": "S"},
        {"id": "B", "duration": 0, "milestone": True},
        {"id": "C", "duration": 2},
    ]
    links = [
        {"from": "A", "to": "B"},
        {"from": "B", "to": "C", "type": "SF", "lag": 2},
        {"from": "A", "to": "C", "type": "FF", "lag": -1},
    ]
    text = json.dumps({**MINIMAL, "tasks": tasks, "links": links})
    by_columns = parse_project(text, "p")
    from itpm.engine.formats import native, native_links

    monkeypatch.setattr(native._Tasks, "add_columns", lambda self, items: False)
    monkeypatch.setattr(native_links.LinkReader, "add_plain", lambda self, items: False)
    one_by_one = parse_project(text, "p")
    assert one_by_one == by_columns
    assert [(k.predecessor, k.successor, k.type, k.lag) for k in by_columns.links] == [
        ("A", "B", "FS", 0),
        ("B", "C", "SF", 200),
        ("A", "C", "FF", -100),
    ]


@pytest.mark.parametrize(
    ("links", "where", "message"),
    [
        ([{"from": "A", "to": "A"}], "links[0]", "links task 'A' to itself"),
        ([{"from": "A", "to": "B"}, {"from": "A", "to": "Z"}], "links[1].to", "no task has the id 'Z'"),
        ([{"from": "A", "to": "B", "type": ["FS"]}], "links[0].type", "must be one of"),
        ([{"from": "A", "to": "B", "lag": 40000}], "links[0].lag", "must be <= 36525"),
        ([{"from": "A", "to": "B"}, {"from": "A", "to": "B", "lag": 1}], "links[1]", "is already links[0]"),
    ],
)
def test_a_bad_link_among_plain_ones_is_named_by_its_place(
    links: list[dict[str, object]], where: str, message: str
) -> None:
    error = error_for(json.dumps({**MINIMAL, "links": links}))
    assert error.path == where
    assert message in error.message
