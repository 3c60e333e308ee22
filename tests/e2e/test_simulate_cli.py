"""`itpm simulate` run as a subprocess, the way a user or a script runs it."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_schedule_cli import ROOT, assert_one_line_error, itpm, write

EXAMPLE = ROOT / "docs" / "examples" / "erp-upgrade-risk.itpm.json"


def project(
    tasks: list[dict[str, Any]], links: list[dict[str, Any]] | None = None, **top: Any
) -> dict[str, Any]:
    return {
        "format": "itpm-project",
        "version": 1,
        "project": {"name": "Risky", "start": "2026-01-05"},
        "tasks": tasks,
        "links": links or [],
        **top,
    }


ONE_TASK = project([{"id": "A", "name": "Build", "duration": 10, "optimistic": 5, "pessimistic": 30}])


def simulate_json(path: Path, *options: str) -> dict[str, Any]:
    result = itpm("simulate", str(path), "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_example_prints_percentiles_chances_drivers_and_risks() -> None:
    result = itpm("simulate", str(EXAMPLE), "--deadline", "2026-12-04", "--budget", "400000")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "ERP upgrade: 10,000 iterations, seed 1" in text
    for label in ("P10", "P50", "P80", "P90"):
        assert f"\n{label}   2026-" in text
    assert "Deadline 2026-12-04:" in text and "Budget 400,000.00:" in text and "(converged)" in text
    assert "Custom code remediation" in text  # the widest task leads the tornado
    assert "R1" in text and "R2" in text and "R3" in text


def test_json_is_reproducible_by_seed_and_ordered(tmp_path: Path) -> None:
    first = simulate_json(EXAMPLE, "--iterations", "2000", "--seed", "7")
    again = simulate_json(EXAMPLE, "--iterations", "2000", "--seed", "7")
    other = simulate_json(EXAMPLE, "--iterations", "2000", "--seed", "8")
    assert first == again and first["percentiles"] != other["percentiles"]
    days = [first["percentiles"][f"P{p}"]["working_days"] for p in (10, 50, 80, 90)]
    assert days == sorted(days) and first["planned_working_days"] == 48
    costs = [float(first["percentiles"][f"P{p}"]["cost"]) for p in (10, 50, 80, 90)]
    assert costs == sorted(costs)
    assert {risk["risk"] for risk in first["risks"]} == {"R1", "R2", "R3"}
    assert first["tornado"][0]["task"] == "C"


def test_one_triangular_task_has_its_analytical_median(tmp_path: Path) -> None:
    # Triangular(5, 10, 30) days: F(10) = 0.2, so the median is 30 − √(0.5 × 25 × 20) = 14.19.
    document = simulate_json(write(tmp_path, "one.json", ONE_TASK), "--iterations", "40000")
    median = 30 - math.sqrt(0.5 * 25 * 20)
    assert abs(document["percentiles"]["P50"]["working_days"] - median) < 0.25
    assert document["mean_cost"] is None and "cost" not in document["percentiles"]["P50"]


def test_deadline_chance_matches_the_distribution(tmp_path: Path) -> None:
    # Twelve working days from Monday 5 January end on Tuesday 20 January: P(X <= 12).
    document = simulate_json(
        write(tmp_path, "one.json", ONE_TASK), "--iterations", "40000", "--deadline", "2026-01-20"
    )
    expected = 1 - (30 - 12) ** 2 / (25 * 20)
    assert abs(document["chance_of_deadline"] - expected) < 0.01


def test_schedule_reads_and_ignores_the_simulation_keys() -> None:
    result = itpm("schedule", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "critical path: A → C → F → G → H" in result.stdout


BAD = [
    (project([{"id": "A", "duration": 5, "optimistic": 6, "pessimistic": 9}]), "tasks[0]", "optimistic <="),
    (project([{"id": "A", "duration": 5, "most_likely": 6}]), "tasks[0].optimistic", "is required"),
    (
        project([{"id": "A", "duration": 5, "distribution": "normal"}]),
        "tasks[0].distribution",
        "must be one of",
    ),
    (project([{"id": "A", "duration": 5, "cost": -3}]), "tasks[0].cost", "must be >= 0"),
    (project([{"id": "A", "duration": 5, "cost": {"hourly": 3}}]), "tasks[0].cost.hourly", "unknown key"),
    (
        project([{"id": "A", "duration": 5}], risks=[{"id": "R", "probability": 1.5}]),
        "risks[0].probability",
        "<= 1",
    ),
    (project([{"id": "A", "duration": 5}], risks=[{"probability": 0.5}]), "risks[0].id", "is required"),
    (
        project([{"id": "A", "duration": 5}], risks=[{"id": "R", "probability": 0.5, "tasks": ["Z"]}]),
        "risks[0].tasks[0]",
        "no task has the id 'Z'",
    ),
    (
        project([{"id": "A", "duration": 5}], risks=[{"id": "R", "probability": 0.5, "schedule_impact": 3}]),
        "risks[0].tasks",
        "must name the tasks it delays",
    ),
    (
        project(
            [{"id": "A", "duration": 5}, {"id": "B", "duration": 5}],
            correlations=[{"tasks": ["A", "B"], "correlation": 1}],
        ),
        "correlations[0].correlation",
        "must be below 1",
    ),
    (
        project(
            [{"id": "A", "duration": 5}, {"id": "B", "duration": 5}],
            correlations=[{"tasks": ["A", "B"], "correlation": 0.5}, {"tasks": ["B"], "correlation": 0.2}],
        ),
        "correlations[1].tasks[0]",
        "already in a correlation group",
    ),
    (project([{"id": "A", "duration": 5}], risk=[]), "risk", "unknown key"),
]


@pytest.mark.parametrize(("document", "path", "problem"), BAD)
def test_bad_files_exit_2_with_one_line_naming_the_place(
    tmp_path: Path, document: dict[str, Any], path: str, problem: str
) -> None:
    result = itpm("simulate", str(write(tmp_path, "bad.json", document)), "--iterations", "10")
    assert_one_line_error(result, "bad.json", path, problem)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (("--iterations", "0"), "--iterations"),
        (("--iterations", "2000000"), "--iterations must be from 1 to 1,000,000"),
        (("--seed", "-1"), "--seed"),
        (("--budget", "lots"), "--budget"),
        (("--budget", "-5"), "--budget"),
        (("--deadline", "31/12/2026"), "--deadline"),
        (("--deadline", "2025-12-31"), "before the project start"),
        (("--format", "csv"), "--format"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path: Path, options: tuple[str, ...], problem: str) -> None:
    result = itpm("simulate", str(write(tmp_path, "one.json", ONE_TASK)), *options)
    assert_one_line_error(result, problem)


def test_missing_psplib_and_broken_files_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(itpm("simulate", str(tmp_path / "none.json")), "cannot read")
    assert_one_line_error(itpm("simulate", str(write(tmp_path, "broken.json", "{"))), "not valid JSON")
    psplib = ROOT.parent / "shared" / "data" / "psplib" / "j30" / "j3010_1.sm"
    if psplib.exists():
        assert_one_line_error(itpm("simulate", str(psplib)), "reads itpm project files (.json), not PSPLIB")


def test_what_is_not_simulated_is_named_in_one_warning() -> None:
    calendars = itpm(
        "simulate", str(ROOT / "docs" / "examples" / "cutover-calendars.itpm.json"), "--iterations", "200"
    )
    assert calendars.returncode == 0 and "P80" in calendars.stdout
    assert "not simulated: task calendars;" in calendars.stderr
    crm = itpm("simulate", str(ROOT / "docs" / "examples" / "crm-rollout.itpm.json"), "--iterations", "200")
    assert crm.returncode == 0 and len(crm.stderr.splitlines()) == 1
    assert "not simulated: constraints and deadlines, progress;" in crm.stderr
    assert itpm("simulate", str(EXAMPLE), "--iterations", "200").stderr == ""


TEAM = ROOT / "docs" / "examples" / "team-levelling.itpm.json"


def test_level_waits_for_the_people_and_keeps_the_rest_of_the_report() -> None:
    plain = simulate_json(TEAM, "--iterations", "2000", "--seed", "4")
    levelled = simulate_json(TEAM, "--iterations", "2000", "--seed", "4", "--level")
    assert levelled["levelled"] is True and "levelled" not in plain
    assert levelled["percentiles"]["P50"]["working_days"] > plain["percentiles"]["P50"]["working_days"]
    assert levelled["planned_working_days"] > plain["planned_working_days"]
    assert levelled["tornado"] == plain["tornado"]  # the same samples: drivers of the unlevelled runs
    assert simulate_json(TEAM, "--iterations", "2000", "--seed", "4", "--level") == levelled
    table = itpm("simulate", str(TEAM), "--iterations", "500", "--level")
    assert table.returncode == 0 and "each levelled against the resources" in table.stdout


def test_one_person_does_two_fixed_tasks_one_after_the_other(tmp_path: Path) -> None:
    tasks = [
        {"id": id, "duration": 10, "optimistic": 10, "pessimistic": 10, "assignments": {"ann": 1}}
        for id in ("A", "B")
    ]
    path = write(tmp_path, "ann.json", project(tasks, resources=[{"id": "ann", "units": 1}]))
    plain = simulate_json(path, "--iterations", "100")
    levelled = simulate_json(path, "--iterations", "100", "--level", "--deadline", "2026-01-23")
    assert plain["percentiles"]["P90"]["working_days"] == 10.0
    assert {row["working_days"] for row in levelled["percentiles"].values()} == {20.0}
    assert levelled["percentiles"]["P50"]["finish"] == "2026-01-30"
    assert levelled["chance_of_deadline"] == 0.0


def test_level_without_resources_exits_2_with_one_line(tmp_path: Path) -> None:
    result = itpm("simulate", str(write(tmp_path, "one.json", ONE_TASK)), "--level")
    assert_one_line_error(result, "one.json", "--level needs resources and task assignments")
