"""The levelling problem: validation with stable codes, unit scaling, and the independent checker."""

from __future__ import annotations

import math

import pytest

from itpm.engine.errors import (
    DEMAND_EXCEEDS_CAPACITY,
    DEPENDENCY_CYCLE,
    DUPLICATE_RESOURCE,
    DUPLICATE_TASK,
    INVALID_CAPACITY,
    INVALID_DEMAND,
    INVALID_RELEASE,
    NEGATIVE_DURATION,
    UNKNOWN_RESOURCE,
    UNKNOWN_TASK,
    EngineError,
)
from itpm.engine.model import Link
from itpm.engine.rcpsp import (
    Activity,
    OverAllocation,
    Problem,
    Resource,
    check_schedule,
    over_allocations,
)
from itpm.engine.rcpsp_arrays import bounds, compile_problem

PERSON = [Resource("ann", 1)]


def code_of(make: object) -> str:
    with pytest.raises(EngineError) as raised:
        make()  # type: ignore[operator]
    return raised.value.code


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: Resource("r", -1), INVALID_CAPACITY),
        (lambda: Resource("r", math.nan), INVALID_CAPACITY),
        (lambda: Activity("a", -1), NEGATIVE_DURATION),
        (lambda: Activity("a", 1, {"r": -0.5}), INVALID_DEMAND),
        (lambda: Activity("a", 1, {"r": math.inf}), INVALID_DEMAND),
        (lambda: Activity("a", 1, release=-1), INVALID_RELEASE),
        (lambda: Problem([Activity("a", 1), Activity("a", 2)], []), DUPLICATE_TASK),
        (lambda: Problem([], [Resource("r", 1), Resource("r", 2)]), DUPLICATE_RESOURCE),
        (lambda: Problem([Activity("a", 1, {"bob": 1})], PERSON), UNKNOWN_RESOURCE),
        (lambda: Problem([Activity("a", 1, {"ann": 1.5})], PERSON), DEMAND_EXCEEDS_CAPACITY),
        (lambda: Problem([Activity("a", 1)], [], [Link("a", "b")]), UNKNOWN_TASK),
    ],
)
def test_bad_input_raises_a_stable_code(make: object, code: str) -> None:
    assert code_of(make) == code


def test_a_cycle_is_found_when_the_problem_is_compiled() -> None:
    problem = Problem([Activity("a", 1), Activity("b", 1)], [], [Link("a", "b"), Link("b", "a")])
    assert code_of(lambda: compile_problem(problem)) == DEPENDENCY_CYCLE


def test_a_milestone_may_name_more_than_the_capacity() -> None:
    Problem([Activity("gate", 0, {"ann": 3})], PERSON)  # needs nothing for no time


def test_link_types_become_start_to_start_lags() -> None:
    a, b = Activity("a", 5), Activity("b", 2)
    problem = Problem([a, b], [])
    lags = {kind: problem.start_lag(Link("a", "b", kind, 1)) for kind in ("FS", "SS", "FF", "SF")}
    assert lags == {"FS": 6, "SS": 1, "FF": 4, "SF": -1}
    assert problem.start_lag(Link("a", "b", "FS", lag_percent=40)) == 7


def test_fractional_units_scale_to_whole_numbers() -> None:
    problem = Problem([Activity("a", 1, {"r": 0.25}), Activity("b", 1, {"r": 0.5})], [Resource("r", 1.5)])
    instance = compile_problem(problem)
    assert instance.scale == 100
    assert instance.capacity.tolist() == [150]
    assert instance.demand_units.tolist() == [25, 50]


def test_units_beyond_a_millionth_round_to_the_safe_side() -> None:
    third = 1 / 3
    problem = Problem([Activity(f"a{i}", 1, {"r": third}) for i in range(3)], [Resource("r", 1)])
    instance = compile_problem(problem)
    assert instance.scale == 10**6
    assert 3 * int(instance.demand_units[0]) > int(instance.capacity[0])  # never over by rounding


def test_bounds_follow_links_releases_and_resource_work() -> None:
    problem = Problem(
        [Activity("a", 3, {"r": 1}), Activity("b", 2, {"r": 1}, release=4), Activity("c", 1, {"r": 1})],
        [Resource("r", 1)],
        [Link("a", "c")],
    )
    dates = bounds(compile_problem(problem))
    assert dates.early.tolist() == [0, 4, 3]
    assert dates.critical_path == 6
    assert dates.resource_bound == 6
    assert dates.late.tolist() == [2, 4, 5]


class TestCheckSchedule:
    problem = Problem(
        [Activity("a", 2, {"r": 1}), Activity("b", 2, {"r": 0.5}), Activity("c", 1, {"r": 0.5}, release=1)],
        [Resource("r", 1)],
        [Link("a", "b", "FS", 1)],
    )

    def test_a_good_schedule_has_no_violations(self) -> None:
        assert check_schedule(self.problem, {"a": 0, "b": 3, "c": 3}) == []

    def test_each_kind_of_violation_is_reported(self) -> None:
        violations = check_schedule(self.problem, {"a": 0, "b": 2, "c": 1})
        assert [(v.kind, v.activities, v.resource, v.period) for v in violations] == [
            ("link", ("a", "b"), None, None),
            ("resource", (), "r", 1),
        ]
        assert [v.kind for v in check_schedule(self.problem, {"a": 0, "b": 3, "c": 0})] == [
            "release",
            "resource",
        ]
        assert [v.kind for v in check_schedule(self.problem, {"a": 0, "b": 3})] == ["start"]

    def test_tenths_of_a_person_add_up_to_one_person(self) -> None:
        problem = Problem([Activity(f"t{i}", 1, {"r": 0.1}) for i in range(10)], [Resource("r", 1)])
        assert check_schedule(problem, {f"t{i}": 0 for i in range(10)}) == []

    def test_over_allocations_come_as_runs_of_equal_demand(self) -> None:
        problem = Problem(
            [Activity("a", 4, {"r": 1}), Activity("b", 2, {"r": 1}), Activity("c", 1, {"r": 1})],
            [Resource("r", 1)],
        )
        assert over_allocations(problem, {"a": 0, "b": 1, "c": 2}) == [
            OverAllocation("r", 1, 2, 2.0, 1),
            OverAllocation("r", 2, 3, 3.0, 1),
        ]


def test_effort_driven_duration_follows_work_and_units() -> None:
    assert Activity.effort_driven("pair", 10, {"ann": 1, "bob": 1}).duration == 5
    assert Activity.effort_driven("half", 10, {"ann": 0.5}).duration == 20
    assert Activity.effort_driven("odd", 7, {"team": 2}).duration == 4  # 3.5 periods, rounded up
    assert Activity.effort_driven("tenths", 3, {"a": 0.1, "b": 0.2}).duration == 10  # not 11
    kept = Activity.effort_driven("kept", 4, {"ann": 1}, priority=900, fixed=True, release=2)
    assert (kept.duration, kept.priority, kept.fixed, kept.release) == (4, 900, True, 2)
    assert Activity.effort_driven("gate", 0, {}).duration == 0


@pytest.mark.parametrize(
    ("work", "demands", "code"),
    [
        (-1, {"ann": 1}, NEGATIVE_DURATION),
        (math.nan, {"ann": 1}, NEGATIVE_DURATION),
        (5, {}, INVALID_DEMAND),
        (5, {"ann": 0}, INVALID_DEMAND),
        (5, {"ann": -1}, INVALID_DEMAND),
    ],
)
def test_effort_driven_bad_work_or_units_raise_a_stable_code(
    work: float, demands: dict[str, float], code: str
) -> None:
    assert code_of(lambda: Activity.effort_driven("a", work, demands)) == code
