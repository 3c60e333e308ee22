"""Levelling several projects keeps each project's own finish early where that costs nothing.

By hand: Ann does B's b1 (3 days) and A's a1 (3 days); B also has b_long (20 days, Bob), so the
whole finishes on day 20 whatever Ann does first. Both have a latest finish of 20 and a latest
start of 17, so the rules take them in the order given: b1 first, and A finishes on day 6. Taken
project by project (A can finish first: day 3 against B's 20), a1 goes first: A finishes on day
3, B still on 20, the whole still on 20.
"""

from __future__ import annotations

from itpm import engine
from itpm.engine.rcpsp import check_schedule
from itpm.resources.project_finishes import finishes_by_project, keep_projects_early, late_finishes

A, B = 1, 2
PROJECT_OF = {"b1": B, "b_long": B, "a1": A}


def problem(long_days: int = 20) -> engine.Problem:
    activities = [
        engine.Activity("b1", 3, {"ann": 1}),
        engine.Activity("b_long", long_days, {"bob": 1}),
        engine.Activity("a1", 3, {"ann": 1}),
    ]
    return engine.Problem(activities, [engine.Resource("ann", 1), engine.Resource("bob", 1)])


def test_the_project_that_can_finish_early_does() -> None:
    plan = problem()
    levelled = engine.level(plan, seed=0)
    assert finishes_by_project(plan, levelled.starts, PROJECT_OF) == {A: 6, B: 20}
    kept = keep_projects_early(plan, levelled, PROJECT_OF)
    assert (kept.makespan, finishes_by_project(plan, kept.starts, PROJECT_OF)) == (20, {A: 3, B: 20})
    assert kept.starts == {"a1": 0, "b1": 3, "b_long": 0}
    assert "projects by earliest finish" in kept.found_by
    assert not check_schedule(plan, kept.starts)


def test_never_at_the_cost_of_the_whole() -> None:
    """Now b_long (4 days) follows b1: b1 first ends everything on day 7 (A on 6). Ranked by
    finish without resources A (3) would go first, and B would end on day 10: the levelled plan
    stays."""
    plain = problem(long_days=4)
    plan = engine.Problem(plain.activities, plain.resources, [engine.Link("b1", "b_long")])
    levelled = engine.level(plan, seed=0)
    assert (levelled.makespan, finishes_by_project(plan, levelled.starts, PROJECT_OF)) == (7, {A: 6, B: 7})
    assert keep_projects_early(plan, levelled, PROJECT_OF) is levelled


def test_one_project_is_left_as_levelled() -> None:
    plan = problem()
    levelled = engine.level(plan, seed=0)
    assert keep_projects_early(plan, levelled, dict.fromkeys(PROJECT_OF, A)) is levelled


def test_latest_finishes_by_hand() -> None:
    """a (2) -> b (3) -> c (1), all to end by 10: c by 10, b by 9, a by 6; an SS link of 1 from
    a to d (4) bounds a's start by d's latest start less 1."""
    activities = [engine.Activity(name, days) for name, days in (("a", 2), ("b", 3), ("c", 1), ("d", 4))]
    links = [engine.Link("a", "b"), engine.Link("b", "c"), engine.Link("a", "d", "SS", 1)]
    plan = engine.Problem(activities, [], links)
    assert late_finishes(plan, dict.fromkeys("abcd", 10)) == {"a": 6, "b": 9, "c": 10, "d": 10}
    assert late_finishes(plan, {"a": 10, "b": 10, "c": 10, "d": 5}) == {"a": 2, "b": 9, "c": 10, "d": 5}
