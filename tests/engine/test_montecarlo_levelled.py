"""Monte Carlo with levelling per iteration (engine/montecarlo_levelled.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from itpm.engine import NetworkArrays
from itpm.engine.levelling import level
from itpm.engine.model import Link
from itpm.engine.montecarlo import ThreePoint, task_uncertainty
from itpm.engine.montecarlo_levelled import simulate_levelled
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule

DURATIONS = [400, 600, 500, 300, 700]  # periods; a sampled duration is rounded to a whole one
LINKS = [(0, 3), (1, 3), (2, 4)]


def plan(capacity: float) -> tuple[Problem, NetworkArrays]:
    ids = [f"t{n}" for n in range(len(DURATIONS))]
    activities = [Activity(ids[n], d, {"team": 1}) for n, d in enumerate(DURATIONS)]
    links = [Link(ids[a], ids[b]) for a, b in LINKS]
    problem = Problem(activities, [Resource("team", capacity)], links)
    network = NetworkArrays.of(DURATIONS, [a for a, _ in LINKS], [b for _, b in LINKS], ids=ids)
    return problem, network


def spread(low: float, high: float):  # type: ignore[no-untyped-def]
    return task_uncertainty(DURATIONS, {n: ThreePoint(d * low, d, d * high) for n, d in enumerate(DURATIONS)})


def test_with_no_spread_every_iteration_is_the_levelled_plan() -> None:
    problem, network = plan(2)
    result = simulate_levelled(problem, network, spread(1, 1), iterations=50, seed=3)
    assert set(result.finish) == {float(level(problem).makespan)}
    assert result.deterministic_finish == level(problem).makespan


def test_with_ample_capacity_it_is_the_unlevelled_simulation_of_the_same_samples() -> None:
    problem, network = plan(len(DURATIONS))
    result = simulate_levelled(problem, network, spread(0.6, 1.8), iterations=2_000, seed=11)
    # each task's duration is rounded to a whole period: at most half a period on each of 2 links
    assert np.abs(result.finish - result.unlevelled.finish).max() <= 1.0
    assert np.ptp(result.finish) > 100  # the spread is real, not a constant


def test_a_single_person_stretches_the_finish_beyond_the_unlevelled_one() -> None:
    problem, network = plan(1)
    result = simulate_levelled(problem, network, spread(0.6, 1.8), iterations=2_000, seed=5, deadline=3_000)
    assert result.finish_percentiles[50] > result.unlevelled.finish_percentiles[50] + 1_000
    # one person does one task at a time: each iteration takes at least the sum of its durations
    sums = np.rint(result.unlevelled.sample.astype(np.float64)).sum(axis=0)
    assert (result.finish >= sums).all()
    assert result.probability_deadline == pytest.approx(float((result.finish <= 3_000).mean()))


def test_same_seed_same_run() -> None:
    problem, network = plan(2)
    first = simulate_levelled(problem, network, spread(0.5, 2), iterations=300, seed=9)
    again = simulate_levelled(problem, network, spread(0.5, 2), iterations=300, seed=9)
    assert np.array_equal(first.finish, again.finish)


def test_an_activity_missing_from_the_network_is_refused() -> None:
    problem, _ = plan(2)
    other = NetworkArrays.of(DURATIONS, [], [], ids=[f"x{n}" for n in range(len(DURATIONS))])
    with pytest.raises(ValueError, match="activity 't0' is not a task of the network"):
        simulate_levelled(problem, other, spread(1, 1), iterations=10)
    with pytest.raises(ValueError, match="period must be above 0"):
        simulate_levelled(problem, other, spread(1, 1), iterations=10, period=0)


@pytest.mark.parametrize("capacity", [1, 2])
def test_every_kept_schedule_passes_the_independent_checker(capacity: int) -> None:
    problem, network = plan(capacity)
    result = simulate_levelled(problem, network, spread(0.5, 2), iterations=400, seed=2, kept_schedules=8)
    assert result.starts.shape == (len(DURATIONS), 8)
    for i in range(8):
        sampled = Problem(
            [
                dataclasses.replace(a, duration=int(result.durations[j, i]))
                for j, a in enumerate(problem.activities)
            ],
            problem.resources,
            problem.links,
        )
        starts = {a.id: int(result.starts[j, i]) for j, a in enumerate(problem.activities)}
        assert check_schedule(sampled, starts) == []
        finish = max(starts[a.id] + a.duration for a in sampled.activities)
        assert result.finish[i] == finish


def test_a_fixed_activity_keeps_its_planned_start_in_every_iteration() -> None:
    problem, network = plan(1)
    fixed = dataclasses.replace(problem.activities[4], fixed=True, release=300)
    problem = Problem([*problem.activities[:4], fixed], problem.resources, problem.links)
    planned = level(problem).starts["t4"]
    result = simulate_levelled(problem, network, spread(0.5, 2), iterations=200, seed=1, kept_schedules=20)
    assert set(result.starts[4]) == {planned}
    assert len(set(result.starts[3])) > 1  # the others move with the samples
