"""The levelling golden corpus: each file in golden/ is a small problem and what it must give.

A file is one JSON object, in the style of tests/engine/golden:

    {
      "description": "what it shows, in words",
      "run": "level",                         # or "single_pass" or "optimize"; level if left out
      "options": {"seed": 3},                 # keyword arguments of that function
      "activities": [{"id": "A", "duration": 3, "demands": {"ann": 1}, ...}],  # of Activity
      "resources": [{"id": "ann", "capacity": 1, "calendar": [[2, 5, 0]]}],   # of Resource
      "links": [{"predecessor": "A", "successor": "B", "type": "FS", "lag": 0}],  # of Link
      "expect": {...}
    }

`expect` holds either {"error": "E201", "tasks": [...]} (the EngineError code and, if given, the
activities it names), or any of: "starts" {id: start}, "makespan", "delays" {id: delay},
"conflicts" [[code, [activities]], ...] (the whole list, in order), "over_allocations_before"
and "over_allocations_after" [[resource, start, finish, demand, capacity], ...] (whole lists),
"lower_bound", "optimal". Every schedule is also checked against every link and release, and
against every capacity unless fixed activities alone over-allocate (C202).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from itpm.engine import (
    Activity,
    EngineError,
    LevelResult,
    Link,
    OptimizeResult,
    Problem,
    Resource,
    level,
    optimize,
    single_pass,
)
from itpm.engine.errors import FIXED_OVERALLOCATION, LEVELLING_CONFLICT_CODES, LEVELLING_ERROR_CODES
from itpm.engine.rcpsp import OverAllocation, check_schedule

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))
RUNS: dict[str, Callable[..., LevelResult | OptimizeResult]] = {
    "level": level,
    "single_pass": single_pass,
    "optimize": optimize,
}


def problem_of(case: dict[str, Any]) -> Problem:
    return Problem(
        [Activity(**fields) for fields in case["activities"]],
        [Resource(**fields) for fields in case["resources"]],
        [Link(**fields) for fields in case.get("links", [])],
    )


def run(case: dict[str, Any]) -> tuple[Problem, LevelResult | OptimizeResult]:
    problem = problem_of(case)
    return problem, RUNS[case.get("run", "level")](problem, **case.get("options", {}))


def test_the_corpus_covers_every_levelling_code() -> None:
    expected = [json.loads(path.read_text())["expect"] for path in FILES]
    errors = {e["error"] for e in expected if "error" in e}
    conflicts = {code for e in expected for code, _ in e.get("conflicts", [])}
    assert set(LEVELLING_ERROR_CODES) <= errors
    assert set(LEVELLING_CONFLICT_CODES) <= conflicts
    assert {json.loads(path.read_text()).get("run", "level") for path in FILES} == set(RUNS)


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
    problem, result = run(case)
    conflicts = getattr(result, "conflicts", ())
    broken = check_schedule(problem, result.starts)
    if any(c.code == FIXED_OVERALLOCATION for c in conflicts):
        broken = [v for v in broken if v.kind != "resource"]
    assert broken == []
    for task, start in expect.get("starts", {}).items():
        assert result.starts[task] == start, task
    for field in ("makespan", "delays", "lower_bound", "optimal"):
        if field in expect:
            assert getattr(result, field) == expect[field], field
    if "conflicts" in expect:
        assert [[c.code, list(c.tasks)] for c in conflicts] == expect["conflicts"]
    for field in ("over_allocations_before", "over_allocations_after"):
        if field in expect:
            assert getattr(result, field) == tuple(OverAllocation(*row) for row in expect[field]), field
