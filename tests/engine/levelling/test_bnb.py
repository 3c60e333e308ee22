"""The branch and bound (bnb.py): its optimum is CP-SAT's, its schedules are valid, its
proofs match PSPLIB's optima, and it declines what it does not support."""

from __future__ import annotations

import random

import numpy as np
import pytest

from itpm.engine import bnb
from itpm.engine.cpsat import _model
from itpm.engine.levelling import level, single_pass
from itpm.engine.model import Link
from itpm.engine.optimize import optimize
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule
from itpm.engine.rcpsp_arrays import bounds, compile_problem

from .conftest import J30, j30_optima, psplib_problem
from .test_level import four_activities

pytestmark = pytest.mark.skipif(not bnb.HAVE_NUMBA, reason="the branch and bound runs compiled only")

HARD = ("j3013_2.sm", "j3013_6.sm", "j3029_3.sm", "j3029_6.sm", "j3029_8.sm", "j3029_9.sm")


def random_problem(seed: int) -> Problem:
    """Up to 9 activities on two resources, with finish-to-start links (some with lags),
    start-to-start ones, releases and an activity of no duration."""
    rng = random.Random(seed)
    n = rng.randint(4, 9)
    activities = [
        Activity(
            f"a{j}",
            0 if j == n // 2 else rng.randint(1, 5),
            {"r": rng.randint(0, 3), "s": rng.randint(0, 2)},
            release=rng.choice((0, 0, 0, rng.randint(1, 6))),
        )
        for j in range(n)
    ]
    links = [
        Link(f"a{i}", f"a{j}", rng.choice(("FS", "FS", "SS")), rng.randint(0, 2))
        for i in range(n)
        for j in range(i + 1, n)
        if rng.random() < 0.25
    ]
    return Problem(activities, [Resource("r", 3), Resource("s", 2)], links)


def solve_exactly(problem: Problem, nodes: int = 10**9) -> tuple[bnb.BranchAndBound, int]:
    """The branch and bound from a poor schedule (one serial pass), and that schedule's makespan."""
    instance = compile_problem(problem)
    poor = single_pass(problem, "LFT")
    unit = instance.time_unit  # the instance counts time in multiples of this
    starts = np.array([poor.starts[a.id] for a in problem.activities], dtype=np.int64) // unit
    prover = bnb.prover(instance, starts, poor.makespan // unit, bounds(instance).lower_bound)
    assert prover is not None
    prover.run(nodes)
    return prover, poor.makespan // unit


def cp_sat_optimum(problem: Problem) -> int:
    from ortools.sat.python import cp_model

    instance = compile_problem(problem)
    horizon = single_pass(problem, "LFT").makespan
    model, _, makespan = _model(cp_model, instance, horizon, bounds(instance).lower_bound)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model) == cp_model.OPTIMAL
    return int(solver.Value(makespan))


def as_schedule(problem: Problem, starts: np.ndarray) -> dict[str, int]:
    unit = compile_problem(problem).time_unit
    return {a.id: int(s) * unit for a, s in zip(problem.activities, starts, strict=True)}


@pytest.mark.parametrize("seed", range(60))
def test_the_optimum_is_cp_sats_and_the_schedule_is_valid(seed: int) -> None:
    problem = random_problem(seed)
    prover, _ = solve_exactly(problem)
    assert prover.complete
    assert prover.makespan == cp_sat_optimum(problem)  # both in the instance's time unit
    assert check_schedule(problem, as_schedule(problem, prover.starts)) == []


def test_the_four_activities_take_eight_periods() -> None:
    prover, _ = solve_exactly(four_activities())
    assert (prover.complete, prover.makespan) == (True, 8)


def test_slices_of_one_node_give_the_same_search() -> None:
    problem = random_problem(7)
    whole, _ = solve_exactly(problem)
    sliced, _ = solve_exactly(problem, nodes=0)
    while not sliced.run(1):
        pass
    assert (sliced.makespan, sliced.nodes) == (whole.makespan, whole.nodes)
    assert (sliced.starts == whole.starts).all()


def test_what_it_does_not_support_is_left_to_cp_sat() -> None:
    people = [Resource("r", 1)]
    plain = [Activity("a", 2, {"r": 1}), Activity("b", 3, {"r": 1})]
    fixed = [Activity("a", 2, {"r": 1}, fixed=True), Activity("b", 3, {"r": 1})]
    on_leave = [Resource("r", 1, calendar=((2, 4, 0),))]
    lead = [Link("a", "b", "SS", -1)]
    assert bnb.supports(compile_problem(Problem(plain, people)))
    assert not bnb.supports(compile_problem(Problem(plain, people, lead)))
    assert not bnb.supports(compile_problem(Problem(plain, on_leave)))
    pinned = compile_problem(Problem(fixed, people))
    assert not bnb.supports(pinned.with_pins(np.array([0, -1], dtype=np.int64)))


def test_optimize_names_the_prover() -> None:
    problem = random_problem(3)
    for workers in (1, 2):
        result = optimize(problem, time_limit_s=5, workers=workers, hint=level(problem, budget_schedules=1))
        assert check_schedule(problem, result.starts) == []
        assert result.optimal
        assert result.proven_by in ("cp-sat", "branch and bound", "bound")


def test_on_j30_its_proofs_are_the_optima() -> None:
    """From one serial pass, within a node budget: a completed search proves the optimum; an
    unfinished one never goes below it. A sample and the six instances CP-SAT proves slowly."""
    optima = j30_optima()
    names = sorted(optima)[::15] + list(HARD)
    completed = 0
    for name in names:
        problem = psplib_problem(J30 / name)
        prover, poor = solve_exactly(problem, nodes=300_000)
        assert check_schedule(problem, as_schedule(problem, prover.starts)) == [], name
        assert prover.makespan >= optima[name], name
        if prover.complete:
            completed += 1
            assert prover.makespan == optima[name], name
        assert prover.makespan <= poor
    assert completed >= len(names) // 2
