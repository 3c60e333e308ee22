"""Optimal resource-constrained scheduling with OR-Tools CP-SAT, imported only when called.

`optimize` starts from a levelled schedule (`level`, or the hint given), lets CP-SAT improve on
it within a time limit, and returns the best schedule with a proven lower bound: "optimal" when
they meet. The model and the bounds are in cpsat.py, imported on the first call, so that this
module (which the package exports) imports neither OR-Tools nor numba.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from itpm.engine.rcpsp import Problem

if TYPE_CHECKING:
    from itpm.engine.cpsat import Outcome
    from itpm.engine.levelling import LevelResult


@dataclass(frozen=True)
class OptimizeResult:
    """The best schedule found. `lower_bound` is proven (the solver's bound, or the critical
    path, resource work or preemptive bound if higher), `gap` is (makespan - lower_bound) /
    makespan, and `optimal` is True when the makespan equals a proven bound. `status` is
    CP-SAT's status, LOWER_BOUND when the heuristic met a bound and no search ran, or OPTIMAL
    when the branch and bound completed first; `proven_by` names what proved the optimum
    ("cp-sat", "branch and bound", "bound"), empty when it is not proven; `solve_seconds` is
    the searches' own wall time."""

    starts: dict[str, int]
    makespan: int
    lower_bound: int
    gap: float
    optimal: bool
    status: str
    delays: dict[str, int]
    heuristic_makespan: int
    solve_seconds: float = 0.0
    proven_by: str = ""


def optimize(
    problem: Problem,
    *,
    time_limit_s: float = 10,
    workers: int = 2,
    seed: int = 0,
    hint: LevelResult | None = None,
) -> OptimizeResult:
    """Minimise the makespan with CP-SAT within `time_limit_s` on `workers` threads.

    `hint` is a levelled schedule of this problem to start from; without one, `level` makes
    one with its default budget. Raises ImportError if OR-Tools is not installed. With more
    than one worker the search is not repeatable to the bit; its bounds are always proofs."""
    # Imported here, not above: the package exports optimize, and importing it must stay cheap.
    from itpm.engine.cpsat import solve
    from itpm.engine.levelling import level

    if not (math.isfinite(time_limit_s) and time_limit_s > 0):
        raise ValueError(f"the time limit must be a number of seconds above 0, not {time_limit_s}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if hint is None:
        hint = level(problem, seed=seed)
    elif set(hint.starts) != set(problem.index):
        raise ValueError("the hint is a schedule of another problem: its activities differ")
    hinted = np.array([hint.starts[a.id] for a in problem.activities], dtype=np.int64)
    outcome = solve(problem, hinted, hint.makespan, hint.lower_bound, time_limit_s, workers, seed)
    return _result(problem, hint, outcome)


def _result(problem: Problem, hint: LevelResult, outcome: Outcome) -> OptimizeResult:
    ids = [a.id for a in problem.activities]
    values = dict(zip(ids, outcome.starts.tolist(), strict=True))
    makespan, lower = outcome.makespan, outcome.lower_bound
    return OptimizeResult(
        starts=values,
        makespan=makespan,
        lower_bound=lower,
        gap=0.0 if makespan == 0 else (makespan - lower) / makespan,
        optimal=makespan <= lower,
        status=outcome.status,
        delays={a: values[a] - hint.early_starts[a] for a in ids},
        heuristic_makespan=hint.makespan,
        solve_seconds=float(outcome.seconds),
        proven_by=outcome.proven_by if makespan <= lower else "",
    )
