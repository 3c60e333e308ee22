"""Properties on random small projects: every schedule returned is valid, whatever made it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine.errors import FIXED_OVERALLOCATION
from itpm.engine.levelling import SCHEMES, level, single_pass
from itpm.engine.model import LINK_TYPES, Link
from itpm.engine.optimize import optimize
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule
from itpm.engine.rcpsp_arrays import RULES

quick = settings(max_examples=60, deadline=None, database=None)
CAPACITIES = (0.5, 1, 2, 3)


@st.composite
def problems(draw: st.DrawFn, fixed: bool = True, max_size: int = 9) -> Problem:
    """Up to `max_size` activities on one to three resources; links only from lower to higher
    numbers (so no cycle), of every type, with lags and leads; some releases and fixed ones."""
    resources = [Resource(f"r{i}", draw(st.sampled_from(CAPACITIES))) for i in range(draw(st.integers(1, 3)))]
    activities = []
    for number in range(draw(st.integers(1, max_size))):
        demands = {
            r.id: draw(st.sampled_from([u for u in (0.5, 1, 2) if u <= r.capacity]))
            for r in resources
            if draw(st.booleans())
        }
        activities.append(
            Activity(
                f"a{number}",
                draw(st.integers(0, 5)),
                demands,
                priority=draw(st.integers(0, 1000)),
                fixed=fixed and draw(st.integers(0, 9)) == 0,
                release=draw(st.sampled_from((0, 0, 0, 1, 3))),
            )
        )
    pairs = st.tuples(st.integers(0, len(activities) - 1), st.integers(0, len(activities) - 1)).filter(
        lambda pair: pair[0] < pair[1]
    )
    drawn = draw(st.lists(st.tuples(pairs, st.sampled_from(LINK_TYPES), st.integers(-2, 3)), max_size=12))
    links = [Link(f"a{i}", f"a{j}", kind, lag) for (i, j), kind, lag in drawn]
    return Problem(activities, resources, links)


def assert_valid(problem: Problem, starts: dict[str, int], conflicts: tuple[object, ...] = ()) -> None:
    violations = check_schedule(problem, dict(starts))
    if any(getattr(c, "code", None) == FIXED_OVERALLOCATION for c in conflicts):
        violations = [v for v in violations if v.kind != "resource"]  # fixed activities alone overlap
    assert violations == []


@quick
@given(problems())
def test_level_never_breaks_a_link_or_over_allocates(problem: Problem) -> None:
    result = level(problem, budget_schedules=300)
    assert_valid(problem, dict(result.starts), result.conflicts)
    assert result.lower_bound <= result.makespan
    assert min(result.delays.values()) >= 0


@quick
@given(problems(), st.sampled_from(RULES), st.sampled_from(SCHEMES))
def test_single_pass_never_breaks_a_link_or_over_allocates(problem: Problem, rule: str, scheme: str) -> None:
    result = single_pass(problem, rule, scheme=scheme)
    assert_valid(problem, dict(result.starts), result.conflicts)


@quick
@given(problems(fixed=False), st.integers(0, 3))
def test_level_is_deterministic_for_a_seed(problem: Problem, seed: int) -> None:
    assert level(problem, seed=seed, budget_schedules=200) == level(problem, seed=seed, budget_schedules=200)


@settings(max_examples=25, deadline=None, database=None)
@given(problems(max_size=7))
def test_optimize_is_valid_and_never_worse_than_level(problem: Problem) -> None:
    heuristic = level(problem, budget_schedules=100)
    result = optimize(problem, time_limit_s=2, workers=1, hint=heuristic)
    assert_valid(problem, result.starts, heuristic.conflicts)
    assert result.lower_bound <= result.makespan <= heuristic.makespan
    if result.optimal:
        assert result.makespan == result.lower_bound
        assert result.makespan <= level(problem).makespan
