"""level() and single_pass() on small projects worked out by hand."""

from __future__ import annotations

from itertools import count

import pytest

from itpm.engine.errors import FIXED_ACTIVITY_MOVED, FIXED_OVERALLOCATION
from itpm.engine.levelling import SCHEMES, LevelResult, default_budget, level, single_pass
from itpm.engine.model import Link
from itpm.engine.rcpsp import (
    Activity,
    OverAllocation,
    Problem,
    Resource,
    check_schedule,
)
from itpm.engine.rcpsp_arrays import RULES

TWO = [Resource("team", 2)]


def four_activities() -> Problem:
    """Optimum 8, though the work (14 unit-periods on 2 units) allows 7: C needs the whole
    team for 2 periods after A, and D (4 periods) cannot be split around it."""
    return Problem(
        [
            Activity("A", 3, {"team": 1}),
            Activity("B", 3, {"team": 1}),
            Activity("C", 2, {"team": 2}),
            Activity("D", 4, {"team": 1}),
        ],
        TWO,
        [Link("A", "C")],
    )


def assert_valid(problem: Problem, result: LevelResult) -> None:
    assert check_schedule(problem, result.starts) == []
    assert result.over_allocations_after == ()
    assert result.makespan == max(result.starts[a.id] + a.duration for a in problem.activities)
    assert result.lower_bound <= result.makespan


def test_four_activities_reach_their_optimum() -> None:
    problem = four_activities()
    result = level(problem)
    assert_valid(problem, result)
    assert result.makespan == 8
    assert result.lower_bound == 7
    assert result.critical_path == 5
    assert result.early_starts == {"A": 0, "B": 0, "C": 3, "D": 0}
    assert result.delays == {a: result.starts[a] - result.early_starts[a] for a in "ABCD"}
    assert result.over_allocations_before == (OverAllocation("team", 0, 4, 3.0, 2),)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("rule", RULES)
def test_every_rule_and_scheme_gives_a_valid_schedule(rule: str, scheme: str) -> None:
    problem = four_activities()
    result = single_pass(problem, rule, scheme=scheme)
    assert_valid(problem, result)
    assert result.schedules == 1
    assert result.found_by == f"{scheme} SGS, {rule}"
    assert result.makespan >= 8


def test_unknown_rule_or_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="priority rule"):
        single_pass(four_activities(), "FIFO")
    with pytest.raises(ValueError, match="generation scheme"):
        single_pass(four_activities(), "LFT", scheme="random")


def test_one_person_does_one_thing_at_a_time() -> None:
    problem = Problem(
        [Activity("spec", 2, {"ann": 1}), Activity("code", 3, {"ann": 1}), Activity("docs", 1, {"ann": 1})],
        [Resource("ann", 1)],
    )
    result = level(problem)
    assert_valid(problem, result)
    assert result.makespan == 6
    assert min(result.delays.values()) == 0
    assert result.over_allocations_before == (
        OverAllocation("ann", 0, 1, 3.0, 1),
        OverAllocation("ann", 1, 2, 2.0, 1),
    )


def test_half_time_people_and_quarter_demands() -> None:
    problem = Problem([Activity(f"t{i}", 2, {"half": 0.25}) for i in range(4)], [Resource("half", 0.5)])
    result = level(problem)
    assert_valid(problem, result)
    assert result.makespan == 4  # two at a time


def test_priority_rule_follows_the_priority_field() -> None:
    problem = Problem(
        [Activity("low", 2, {"ann": 1}, priority=100), Activity("high", 2, {"ann": 1}, priority=900)],
        [Resource("ann", 1)],
    )
    result = single_pass(problem, "PRIORITY")
    assert result.starts == {"high": 0, "low": 2}


def test_releases_are_honoured() -> None:
    problem = Problem(
        [Activity("a", 2, {"ann": 1}, release=3), Activity("b", 2, {"ann": 1})], [Resource("ann", 1)]
    )
    result = level(problem)
    assert_valid(problem, result)
    assert result.starts["a"] >= 3
    assert result.makespan == 5


@pytest.mark.parametrize(("kind", "lag"), [("FS", 2), ("SS", 1), ("FF", -1), ("SF", 3), ("FS", -2)])
def test_each_link_type_holds_under_levelling(kind: str, lag: int) -> None:
    problem = Problem(
        [Activity("a", 3, {"ann": 1}), Activity("b", 2, {"ann": 1}), Activity("c", 4, {"ann": 1})],
        [Resource("ann", 1)],
        [Link("a", "b", kind, lag), Link("c", "b", "SS")],
    )
    for result in (level(problem), *(single_pass(problem, r, scheme=s) for r in RULES for s in SCHEMES)):
        assert_valid(problem, result)


def test_a_fixed_activity_keeps_its_early_start() -> None:
    problem = Problem(
        [
            Activity("a", 3, {"ann": 1}),
            Activity("b", 3, {"ann": 1}),
            Activity("review", 2, {"ann": 1}, fixed=True, release=1),
        ],
        [Resource("ann", 1)],
    )
    result = level(problem)
    assert_valid(problem, result)
    assert result.starts["review"] == 1
    assert result.delays["review"] == 0
    assert result.conflicts == ()


def test_a_fixed_activity_moves_when_its_predecessor_cannot_finish_in_time() -> None:
    problem = Problem(
        [
            Activity("workshop", 3, {"ann": 1}, fixed=True),
            Activity("prepare", 2, {"ann": 1}),
            Activity("present", 1, {}, fixed=True),
        ],
        [Resource("ann", 1)],
        [Link("prepare", "present")],
    )
    result = level(problem)
    assert_valid(problem, result)
    assert result.starts == {"workshop": 0, "prepare": 3, "present": 5}
    assert [(c.code, c.tasks) for c in result.conflicts] == [(FIXED_ACTIVITY_MOVED, ("present",))]


def test_fixed_activities_that_overlap_stay_and_are_reported() -> None:
    problem = Problem(
        [
            Activity("x", 2, {"ann": 1}, fixed=True),
            Activity("y", 2, {"ann": 1}, fixed=True),
            Activity("z", 1, {"ann": 1}),
        ],
        [Resource("ann", 1)],
    )
    result = level(problem)
    assert result.starts["x"] == result.starts["y"] == 0
    assert result.starts["z"] == 2
    assert [c.code for c in result.conflicts] == [FIXED_OVERALLOCATION]
    assert result.over_allocations_after == (OverAllocation("ann", 0, 2, 2.0, 1),)
    assert {v.kind for v in check_schedule(problem, result.starts)} == {"resource"}


def test_empty_and_resource_free_projects() -> None:
    assert level(Problem([], [])).makespan == 0
    free = Problem([Activity("a", 3), Activity("b", 2)], [], [Link("a", "b")])
    result = level(free)
    assert result.starts == {"a": 0, "b": 3}
    assert result.finishes(free) == {"a": 3, "b": 5}


def test_same_seed_same_schedule() -> None:
    problem = four_activities()
    assert level(problem, seed=7) == level(problem, seed=7)


def test_a_schedule_budget_is_kept() -> None:
    problem = four_activities()
    assert level(problem, budget_schedules=5).schedules <= 5
    assert level(problem, budget_schedules=1).schedules == 1
    assert default_budget(32) == 50_000
    assert default_budget(10_000) < 1_000


def test_a_time_budget_reads_the_clock_given() -> None:
    ticks = count()
    result = level(four_activities(), budget_ms=3, clock=lambda: next(ticks) / 1000)
    assert result.schedules < 20
    assert check_schedule(four_activities(), result.starts) == []


def test_times_in_hundredths_of_a_day_level_as_whole_days() -> None:
    def project(unit: int) -> Problem:
        return Problem(
            [
                Activity("A", 3 * unit, {"team": 1}),
                Activity("B", 3 * unit, {"team": 1}),
                Activity("C", 2 * unit, {"team": 2}, release=unit),
                Activity("D", 4 * unit, {"team": 1}),
            ],
            TWO,
            [Link("A", "C", "SS", unit), Link("B", "D", "FS", -unit)],
        )

    days, units = level(project(1), seed=2), level(project(100), seed=2)
    assert units.starts == {a: 100 * s for a, s in days.starts.items()}
    assert (units.makespan, units.lower_bound, units.critical_path) == (
        100 * days.makespan,
        100 * days.lower_bound,
        100 * days.critical_path,
    )
    assert units.schedules == days.schedules
    assert check_schedule(project(100), units.starts) == []
