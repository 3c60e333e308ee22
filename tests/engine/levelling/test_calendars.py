"""Resource calendars: leave, part-time weeks and extra hands, respected by every scheduler."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import Activity, EngineError, Link, Problem, Resource, level, optimize, single_pass
from itpm.engine.errors import DEMAND_EXCEEDS_CAPACITY, INVALID_RESOURCE_CALENDAR
from itpm.engine.levelling import SCHEMES
from itpm.engine.rcpsp import OverAllocation, check_schedule, over_allocations
from itpm.engine.rcpsp_arrays import RULES

ANN_ON_LEAVE = Resource("ann", 1, calendar=((2, 5, 0),))  # away in periods 2, 3 and 4


def on_leave() -> Problem:
    return Problem([Activity("A", 3, {"ann": 1}), Activity("B", 2, {"ann": 1})], [ANN_ON_LEAVE])


def test_the_calendar_gives_the_capacity_of_each_period() -> None:
    assert ANN_ON_LEAVE.capacities(7).tolist() == [1, 1, 0, 0, 0, 1, 1]
    assert ANN_ON_LEAVE.calendar_end == 5
    assert Resource("bob", 2).capacities(2).tolist() == [2, 2]


def test_work_does_not_run_into_leave() -> None:
    problem = on_leave()
    assert [v.period for v in check_schedule(problem, {"A": 0, "B": 3})] == [2, 3, 4]  # A in 2, B in 3-4
    assert over_allocations(problem, {"A": 0, "B": 3}) == [OverAllocation("ann", 2, 5, 1.0, 0.0)]
    assert over_allocations(problem, {"A": 0, "B": 1}) == [
        OverAllocation("ann", 1, 2, 2.0, 1.0),
        OverAllocation("ann", 2, 3, 2.0, 0.0),  # the same demand, another capacity: a run apart
    ]
    result = level(problem)
    assert check_schedule(problem, result.starts) == []
    assert result.starts == {"B": 0, "A": 5}  # only B fits before the leave
    assert result.makespan == 8
    assert result.over_allocations_before == (
        OverAllocation("ann", 0, 2, 2.0, 1.0),
        OverAllocation("ann", 2, 3, 1.0, 0.0),
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("rule", RULES)
def test_every_single_pass_respects_the_calendar(rule: str, scheme: str) -> None:
    problem = on_leave()
    result = single_pass(problem, rule, scheme=scheme)
    assert check_schedule(problem, result.starts) == []
    assert result.makespan == 8


def test_part_time_and_extra_hands() -> None:
    half = Resource("team", 2, calendar=((0, 4, 1),))  # one of two people in the first four periods
    pair = [Activity("A", 2, {"team": 1}), Activity("B", 2, {"team": 1})]
    assert level(Problem(pair, [half])).makespan == 4
    extra = Resource("ann", 1, calendar=((0, 3, 2),))  # a helper for three periods
    both = [Activity("A", 3, {"ann": 1}), Activity("B", 3, {"ann": 1})]
    assert level(Problem(both, [extra])).makespan == 3
    assert optimize(Problem(both, [extra]), time_limit_s=5, workers=1).makespan == 3


def test_optimize_proves_the_optimum_around_leave() -> None:
    problem = Problem(
        [Activity("A", 3, {"ann": 1}), Activity("B", 2, {"ann": 1}), Activity("C", 1, {"ann": 1})],
        [ANN_ON_LEAVE],
        [Link("B", "C")],
    )
    result = optimize(problem, time_limit_s=5, workers=1)
    assert check_schedule(problem, result.starts) == []
    # Only B fits before the leave (2 periods); then A and C one after the other: 5 + 3 + 1.
    assert (result.makespan, result.lower_bound, result.optimal) == (9, 9, True)


def test_calendars_in_hundredths_of_a_day_level_as_days() -> None:
    days = level(on_leave())
    hundredths = Problem(
        [Activity("A", 300, {"ann": 1}), Activity("B", 200, {"ann": 1})],
        [Resource("ann", 1, calendar=((200, 500, 0),))],
    )
    result = level(hundredths)
    assert result.starts == {a: 100 * s for a, s in days.starts.items()}
    assert check_schedule(hundredths, result.starts) == []


@pytest.mark.parametrize(
    "calendar",
    [((3, 3, 0),), ((5, 2, 0),), ((-1, 2, 0),), ((0, 4, 0), (3, 6, 1)), ((0, 2, -1),), ((0, 2, math.nan),)],
)
def test_a_bad_calendar_raises_e207(calendar: tuple[tuple[int, int, float], ...]) -> None:
    with pytest.raises(EngineError) as raised:
        Resource("ann", 1, calendar=calendar)
    assert raised.value.code == INVALID_RESOURCE_CALENDAR


def test_a_demand_above_the_lasting_capacity_is_refused_even_with_extra_hands() -> None:
    """After its last calendar run a resource has its capacity for ever: a demand above that
    could wait for ever, so it is refused (E205) even if a calendar run would have room."""
    with pytest.raises(EngineError) as raised:
        Problem([Activity("A", 1, {"ann": 2})], [Resource("ann", 1, calendar=((0, 3, 2),))])
    assert raised.value.code == DEMAND_EXCEEDS_CAPACITY


@st.composite
def problems_with_calendars(draw: st.DrawFn) -> Problem:
    size = draw(st.integers(1, 9))
    people = [
        Resource(
            name,
            draw(st.sampled_from([1, 2])),
            calendar=tuple(
                (start, start + draw(st.integers(1, 4)), draw(st.sampled_from([0, 0.5, 1, 3])))
                for start in sorted(draw(st.sets(st.integers(0, 12).map(lambda t: t * 5), max_size=3)))
            ),
        )
        for name in ("ann", "team")
    ]
    activities = [
        Activity(f"a{j}", draw(st.integers(0, 4)), {p.id: draw(st.sampled_from([0, 0.5, 1])) for p in people})
        for j in range(size)
    ]
    links = [Link(f"a{i}", f"a{j}") for i in range(size) for j in range(i + 1, size) if draw(st.booleans())]
    return Problem(activities, people, links[:6])


@settings(max_examples=60, deadline=None)
@given(problems_with_calendars(), st.integers(0, 3))
def test_every_schedule_respects_every_calendar(problem: Problem, seed: int) -> None:
    result = level(problem, seed=seed, budget_schedules=60)
    assert check_schedule(problem, result.starts) == []
    for scheme in SCHEMES:
        assert check_schedule(problem, single_pass(problem, "LST", scheme=scheme).starts) == []
