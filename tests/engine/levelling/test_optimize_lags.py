"""The lags between activities that cpsat_lags proves on sub-networks: every schedule keeps them,
and optimize() with them still proves only true optima."""

from __future__ import annotations

import numpy as np
import pytest

from itpm.engine import cpsat
from itpm.engine.cpsat_lags import NONE, path_lags, strengthen
from itpm.engine.levelling import SCHEMES, level, single_pass
from itpm.engine.model import Link
from itpm.engine.optimize import optimize
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule
from itpm.engine.rcpsp_arrays import compile_problem

from .conftest import J30, j30_optima, psplib_problem

cp_model = pytest.importorskip("ortools.sat.python.cp_model")
NEEDS_SEARCH = ["j3014_6.sm", "j3021_5.sm", "j3030_8.sm", "j3038_4.sm"]  # the heuristic meets no bound


def _nodes(problem: Problem, starts: dict[str, int], makespan: int) -> np.ndarray:
    """A schedule as node times: activities, then the project start (0) and end (makespan)."""
    return np.array([starts[a.id] for a in problem.activities] + [0, makespan], dtype=np.int64)


def _kept(lag: np.ndarray, times: np.ndarray) -> bool:
    known = lag > NONE
    return bool(((times[None, :] - times[:, None]) >= lag)[known].all())


def test_two_activities_sharing_one_person_must_follow_each_other() -> None:
    # a -> (b, c) -> d; b and c both need the one person: d starts 2 + 3 + 4 after a at least,
    # where the links alone say 2 + 4.
    problem = Problem(
        [Activity("a", 2, {}), Activity("b", 3, {"p": 1}), Activity("c", 4, {"p": 1}), Activity("d", 1, {})],
        [Resource("p", 1)],
        [Link("a", "b"), Link("a", "c"), Link("b", "d"), Link("c", "d")],
    )
    instance = compile_problem(problem)
    assert path_lags(instance)[0, 3] == 6
    heuristic = level(problem)
    lags = strengthen(cp_model, instance, _nodes(problem, heuristic.starts, heuristic.makespan), 5.0)
    assert lags.lag[0, 3] == 9
    assert lags.makespan() == 10 == heuristic.makespan


@pytest.mark.parametrize("name", ["j3013_1.sm", "j3029_1.sm", "j3045_4.sm"])
def test_every_feasible_schedule_keeps_the_lags(name: str) -> None:
    j30_optima()
    problem = psplib_problem(J30 / name)
    instance = compile_problem(problem)
    best = level(problem)
    lags = strengthen(cp_model, instance, _nodes(problem, best.starts, best.makespan), 3.0)
    assert lags.solved > 0
    assert (lags.lag >= path_lags(instance)).all()
    passes = [single_pass(problem, rule, scheme=scheme) for rule in ("LFT", "MTS") for scheme in SCHEMES]
    for schedule in [best, *passes]:
        assert check_schedule(problem, schedule.starts) == []
        assert _kept(lags.lag, _nodes(problem, schedule.starts, schedule.makespan))


@pytest.mark.parametrize("name", NEEDS_SEARCH)
def test_a_proof_after_the_lags_is_the_known_optimum(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    optimum = j30_optima()[name]
    problem = psplib_problem(J30 / name)
    monkeypatch.setattr(cpsat, "FIRST_EFFORT", 0.0)  # straight to the lags and the second search
    result = optimize(problem, time_limit_s=10)
    assert check_schedule(problem, result.starts) == []
    assert result.lower_bound <= optimum <= result.makespan
    if result.optimal:
        assert result.makespan == optimum == result.lower_bound
