"""optimize() in stages (cpsat.py, _staged): CP-SAT on every worker first, then, if not proven,
the branch and bound from CP-SAT's best schedule and bound beside a CP-SAT that raises the bound.
No timed assertions: stage 1's time is set to nothing, and threads are made to wait on events."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from itpm.engine import bnb, cpsat
from itpm.engine.levelling import level, single_pass
from itpm.engine.optimize import optimize
from itpm.engine.provers import search_beside
from itpm.engine.rcpsp import check_schedule
from itpm.engine.rcpsp_arrays import bounds, compile_problem

from .conftest import J30, j30_optima, psplib_problem
from .test_bnb import random_problem

pytestmark = pytest.mark.skipif(not bnb.HAVE_NUMBA, reason="the branch and bound runs compiled only")

# j30 instances that neither the default levelling nor 10 ms of CP-SAT prove, and that stage 2
# (the branch and bound within 100,000 nodes, or CP-SAT's bound worker) proves within a second.
NEEDS_A_SEARCH = ("j3022_3.sm", "j3030_4.sm")


def poor_start(seed: int) -> tuple[cpsat.Progress, bnb.BranchAndBound]:
    """A random problem from one serial pass, its trivial bound, and a branch and bound from there."""
    problem = random_problem(seed)
    instance = compile_problem(problem)
    poor = single_pass(problem, "LFT")
    starts = np.array([poor.starts[a.id] for a in problem.activities], dtype=np.int64) // instance.time_unit
    lower = bounds(instance).lower_bound
    progress = cpsat.Progress(starts, poor.makespan // instance.time_unit, lower, "FEASIBLE", 0.0, "bound")
    return progress, bnb.BranchAndBound(instance, starts, progress.makespan, lower)


def test_a_completed_search_proves_its_optimum_and_is_named() -> None:
    for seed in range(20):
        progress, prover = poor_start(seed)
        assert prover.run(10**9)
        cpsat._take(progress, prover)
        assert progress.proven
        assert progress.makespan == prover.makespan
        assert progress.bound_by == ("bound" if prover.makespan <= bounds_of(seed) else "branch and bound")


def bounds_of(seed: int) -> int:
    return bounds(compile_problem(random_problem(seed))).lower_bound


def test_a_search_that_reaches_a_bound_it_was_given_leaves_the_proof_to_that_bound() -> None:
    """Stage 2 starts from stage 1's bound: a schedule that short ends the search, and the bound
    (CP-SAT's) is what proves it optimal."""
    for seed in range(20):
        progress, whole = poor_start(seed)
        whole.run(10**9)
        given = cpsat.Progress(progress.starts, progress.makespan, whole.makespan, "FEASIBLE", 0.0, "cp-sat")
        prover = bnb.BranchAndBound(
            compile_problem(random_problem(seed)), given.starts, given.makespan, given.lower
        )
        assert prover.run(10**9)
        cpsat._take(given, prover)
        assert (given.makespan, given.proven, given.bound_by) == (whole.makespan, True, "cp-sat")


def test_a_search_still_being_made_is_not_waited_for() -> None:
    """The first search in a process without numba's cache compiles for seconds: CP-SAT's answer
    is returned without it, and the search is not read."""
    compiled = threading.Event()

    def make() -> bnb.BranchAndBound:
        compiled.wait(60)  # stands for the compilation; released once search_beside returned
        _, prover = poor_start(1)
        return prover

    try:
        answer, prover = search_beside(make, lambda: "cp-sat's answer", lambda: None)
    finally:
        compiled.set()
    assert (answer, prover) == ("cp-sat's answer", None)


def test_a_search_that_completes_first_stops_cp_sat() -> None:
    stopped = threading.Event()

    def solve() -> str:
        return "stopped" if stopped.wait(60) else "ran out of time"

    answer, prover = search_beside(lambda: poor_start(2)[1], solve, stopped.set)
    assert answer == "stopped"
    assert prover is not None and prover.complete


def test_stage_two_proves_what_stage_one_left_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no time for stage 1 (10 ms, too little to prove these), stage 2 proves the optimum;
    either of its provers may be first."""
    optima = j30_optima()
    monkeypatch.setattr(cpsat, "STAGE_ONE_SECONDS", 0.0)
    monkeypatch.setattr(cpsat, "STAGE_ONE_SHARE", 0.0)
    for name in NEEDS_A_SEARCH:
        problem = psplib_problem(J30 / name)
        hint = level(problem)
        assert hint.makespan > hint.lower_bound, name  # the heuristic alone proves nothing here
        result = optimize(problem, time_limit_s=30, workers=2, hint=hint)
        assert check_schedule(problem, result.starts) == [], name
        assert (result.makespan, result.optimal) == (optima[name], True), name
        assert result.proven_by in ("cp-sat", "branch and bound"), name


def test_by_default_two_workers_run_cp_sat_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stage 1 has the whole limit (measured best on j30): no branch and bound, no cutset table."""

    def refuse(*args: object) -> None:
        raise AssertionError("a branch and bound was made")

    monkeypatch.setattr(bnb, "BranchAndBound", refuse)
    j30_optima()  # skips without the data
    problem = psplib_problem(J30 / NEEDS_A_SEARCH[0])
    result = optimize(problem, time_limit_s=2, workers=2)
    assert check_schedule(problem, result.starts) == []
    assert result.proven_by in ("cp-sat", "")
