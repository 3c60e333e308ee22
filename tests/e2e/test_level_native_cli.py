"""`itpm schedule plan.itpm.json --level/--optimize`: native files with resources, as a subprocess.

docs/examples/team-levelling.itpm.json, checked by hand (Monday to Friday, 3 and 6 April off):
Ann does Wireframes then Visual design (2-13 March), is skiing 16-20 March, and the steering
review (Ann and Bob, fixed on 25 March) takes her and Bob that day, so Content plan (Ann half
time, 3 days) runs 26-30 March. Templates (Bob and a developer, 10 days) cannot cover 25 March
(Bob is at the review): 26 March to 10 April, over the two holidays. The developers are two
(three from 23 March): Migration (1) runs 2-9 March beside nothing else that needs two, so Search
(2) waits until 10 March. The launch follows Templates on 10 April.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .test_schedule_cli import assert_one_line_error, itpm, write

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-levelling.itpm.json"
LEVELLED = {
    "1": ("2026-03-02", "2026-03-30", None),
    "1.1": ("2026-03-02", "2026-03-06", 0),
    "1.2": ("2026-03-09", "2026-03-13", 0),
    "1.3": ("2026-03-26", "2026-03-30", 18),
    "2": ("2026-03-02", "2026-04-10", None),
    "2.1": ("2026-03-26", "2026-04-10", 8),
    "2.2": ("2026-03-10", "2026-03-16", 6),
    "2.3": ("2026-03-02", "2026-03-09", 0),
    "3": ("2026-03-25", "2026-03-25", 0),
    "4": ("2026-04-10", "2026-04-10", 8),
}


def small(tasks: list[dict[str, Any]], resources: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    project = {"name": "Small", "start": "2026-01-05"}  # a Monday
    return {
        "format": "itpm-project",
        "version": 1,
        "project": project,
        "resources": resources,
        "tasks": tasks,
        **top,
    }


def levelled(path: Path, *options: str) -> dict[str, Any]:
    result = itpm("schedule", str(path), "--level", "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_the_example_levels_as_checked_by_hand() -> None:
    out = levelled(EXAMPLE)
    assert (out["method"], out["finish"], out["makespan"]) == ("level", "2026-04-10", 28)
    assert {t["id"]: (t["start"], t["finish"], t["delay"]) for t in out["tasks"]} == LEVELLED
    assert out["over_allocations"]["after"] == []
    before = {
        (o["resource"], o["start"], o["finish"], o["demand"]) for o in out["over_allocations"]["before"]
    }
    assert before == {
        ("ann", "2026-03-02", "2026-03-04", 1.5),
        ("bob", "2026-03-25", "2026-03-25", 2.0),
        ("devs", "2026-03-02", "2026-03-06", 3.0),
    }


def test_optimize_proves_the_example_finish() -> None:
    result = itpm("schedule", str(EXAMPLE), "--optimize", "--time-limit", "5", "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["finish"], out["makespan"], out["lower_bound"], out["optimal"]) == (
        "2026-04-10",
        28,
        28,
        True,
    )
    assert next(t for t in out["tasks"] if t["id"] == "3")["start"] == "2026-03-25"
    table = itpm("schedule", str(EXAMPLE), "--optimize", "--time-limit", "5", "--format", "table").stdout
    assert "lower bound: 28 working days (optimal)" in table


def test_without_level_the_resources_are_ignored_and_the_plan_is_the_critical_path() -> None:
    result = itpm("schedule", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["finish"] == "2026-03-27"


def test_table_and_csv_show_summaries_without_a_delay() -> None:
    table = itpm("schedule", str(EXAMPLE), "--level", "--format", "table")
    assert table.returncode == 0, table.stderr
    assert "makespan: 28 working days (level)" in table.stdout and "finish: 2026-04-10" in table.stdout
    assert table.stdout.splitlines()[2].split()[-1] == "-"  # the Design summary
    rows = itpm("schedule", str(EXAMPLE), "--level", "--format", "csv").stdout.splitlines()
    assert rows[0] == "id,name,start,finish,delay"
    assert (
        rows[1] == "1,Design,2026-03-02,2026-03-30,"
        and rows[4] == "1.3,Content plan,2026-03-26,2026-03-30,18"
    )


def test_a_task_does_not_run_into_leave(tmp_path: Path) -> None:
    """Ann: A (3 days) on 5-7 January; she is away 8-9 January; B (2 days) waits until 12-13."""
    tasks = [
        {"id": "a", "duration": 3, "assignments": {"ann": 1}},
        {"id": "b", "duration": 2, "assignments": {"ann": 1}},
    ]
    ann = {"id": "ann", "leave": ["2026-01-08", {"start": "2026-01-09", "name": "Long weekend"}]}
    out = levelled(write(tmp_path, "leave.itpm.json", small(tasks, [ann])))
    dates = {t["id"]: (t["start"], t["finish"], t["delay"]) for t in out["tasks"]}
    assert dates == {"a": ("2026-01-05", "2026-01-07", 0), "b": ("2026-01-12", "2026-01-13", 5)}
    assert out["over_allocations"] == {
        "before": [
            {"resource": "ann", "start": "2026-01-05", "finish": "2026-01-06", "demand": 2.0, "capacity": 1.0}
        ],
        "after": [],
    }


def test_availability_adds_hands_for_a_while(tmp_path: Path) -> None:
    """Two 5-day tasks for a team of 1 run side by side in the week it has 2."""
    tasks = [{"id": n, "duration": 5, "assignments": {"team": 1}} for n in ("a", "b")]
    team = {
        "id": "team",
        "units": 1,
        "availability": [{"start": "2026-01-05", "finish": "2026-01-09", "units": 2}],
    }
    out = levelled(write(tmp_path, "extra.itpm.json", small(tasks, [team])))
    assert {t["start"] for t in out["tasks"]} == {"2026-01-05"} and out["makespan"] == 5


def test_can_level_false_keeps_that_task_and_moves_the_other(tmp_path: Path) -> None:
    base = [
        {"id": "long", "duration": 5, "assignments": {"ann": 1}},
        {"id": "short", "duration": 2, "assignments": {"ann": 1}},
    ]
    for keep, moved, start in (("short", "long", "2026-01-07"), ("long", "short", "2026-01-12")):
        tasks = [dict(t, can_level=False) if t["id"] == keep else t for t in base]
        out = levelled(write(tmp_path, f"{keep}.itpm.json", small(tasks, [{"id": "ann"}])))
        starts = {t["id"]: t["start"] for t in out["tasks"]}
        assert (starts[keep], starts[moved]) == ("2026-01-05", start)


def test_unknown_resource_is_named(tmp_path: Path) -> None:
    tasks = [{"id": "a", "duration": 1}, {"id": "b", "duration": 1, "assignments": {"zed": 1}}]
    path = write(tmp_path, "bad.itpm.json", small(tasks, [{"id": "ann"}]))
    result = itpm("schedule", str(path), "--level")
    assert_one_line_error(
        result, "bad.itpm.json: tasks[1].assignments.zed", "no resource has the id 'zed'", "'ann'"
    )


def test_bad_levelling_input_exits_2_naming_the_place(tmp_path: Path) -> None:
    one = [{"id": "a", "duration": 2, "assignments": {"ann": 1}}]
    cases = [
        (small(one, [{"id": "ann"}, {"id": "ann"}]), "resources[1].id", "already the id of resources[0]"),
        (small(one, [{"id": "ann", "units": -1}]), "resources[0].units", "must be >= 0"),
        (small(one, [{"id": "ann", "colour": "red"}]), "resources[0].colour", "unknown key"),
        (
            small(one, [{"id": "ann", "leave": [{"start": "2026-01-09", "finish": "2026-01-08"}]}]),
            "resources[0].leave[0].finish",
            "is before the holiday's start",
        ),
        (
            small(one, [{"id": "ann", "availability": [{"start": "2026-01-09", "finish": "2026-01-09"}]}]),
            "resources[0].availability[0].units",
            "is required",
        ),
        (small([dict(one[0], can_level="no")], [{"id": "ann"}]), "tasks[0].can_level", "true or false"),
        (
            small([dict(one[0], assignments={"ann": "all"})], [{"id": "ann"}]),
            "tasks[0].assignments.ann",
            "number",
        ),
        (small([dict(one[0], assignments=["ann"])], [{"id": "ann"}]), "tasks[0].assignments", "object"),
        (
            small([{"id": "s", "assignments": {"ann": 1}}, dict(one[0], parent="s")], [{"id": "ann"}]),
            "tasks[0].assignments",
            "summary",
        ),
        (small(one, [{"id": "ann", "units": 0.5}]), "E205", "ann"),
        (small([{"id": "a", "duration": 2}], []), "need resources", "resources"),
    ]
    for number, (document, *fragments) in enumerate(cases):
        path = write(tmp_path, f"bad{number}.itpm.json", document)
        assert_one_line_error(itpm("schedule", str(path), "--level"), f"bad{number}.itpm.json", *fragments)


def test_a_backward_scheduled_file_is_refused(tmp_path: Path) -> None:
    document = small([{"id": "a", "duration": 2, "assignments": {"ann": 1}}], [{"id": "ann"}])
    document["project"]["finish"] = "2026-03-31"
    path = write(tmp_path, "back.itpm.json", document)
    assert_one_line_error(itpm("schedule", str(path), "--level"), "project.finish", "forward")


def test_a_fixed_task_that_must_move_is_a_warning(tmp_path: Path) -> None:
    """Ann's meeting (not levelled) takes 5-7 January and Review (not levelled, after Build) is
    planned for 12 January, so Build (5 days, Ann) cannot fit between them: it would run 13-19
    January, after Review. Review moves to where its links then let it start, 20 January (C201,
    docs/levelling.md), and levelling runs again: Build 8-14 January."""
    tasks = [
        {"id": "meeting", "duration": 3, "assignments": {"ann": 1}, "can_level": False},
        {"id": "build", "duration": 5, "assignments": {"ann": 1}},
        {"id": "review", "duration": 1, "assignments": {"ann": 1}, "can_level": False},
    ]
    document = small(tasks, [{"id": "ann"}], links=[{"from": "build", "to": "review"}])
    result = itpm(
        "schedule", str(write(tmp_path, "moved.itpm.json", document)), "--level", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "C201" in result.stderr and "'review'" in result.stderr
    starts = {t["id"]: t["start"] for t in json.loads(result.stdout)["tasks"]}
    assert starts == {"meeting": "2026-01-05", "build": "2026-01-08", "review": "2026-01-20"}
