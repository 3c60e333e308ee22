"""The CP-SAT model behind optimize() (optimize.py), and the bounds that help it prove optima.

Imported by optimize() when it runs, never by the package: it brings OR-Tools and numba.

The model: a start variable and a fixed-size interval per activity, a minimum start-to-start
lag per link, one cumulative constraint per resource (units scaled to integers as levelling
scales them), and the makespan to minimise. What makes it prove optima quickly:

- the heuristic schedule (`level`, or the `hint` given) bounds the horizon, narrows each start
  to its window against it, and is the solver's hint, so the solver only ever improves on it;
- the makespan is also an interval from itself to the horizon that takes a resource's whole
  capacity, so the cumulative constraints reason about the makespan directly;
- a preemptive lower bound (Mingozzi et al. 1998): cover each activity's duration with periods
  of activities that may run together (no link between them, within every capacity); the least
  number of periods bounds the makespan, often well above the critical path and resource work;
- with two workers, one searches for schedules and the other raises the lower bound
  (objective_lb_search) for STAGE_ONE_SECONDS or STAGE_ONE_SHARE of the limit, if longer (by
  default the whole limit); then, if not proven and where the problem suits it (bnb.py: no
  fixed activities, no calendars, no negative lags, up to 40 activities), an exact branch and
  bound starts from their best schedule and bound on one worker in a thread, while CP-SAT's
  other raises the bound, and the first to prove the optimum stops the other (provers.py).
  With one worker, the branch and bound runs first within a node budget, then CP-SAT.

Fixed activities keep the starts the heuristic gave them and are booked as a fixed profile, cut
at each capacity, so that fixed activities that over-allocate alone do not make it infeasible.
When the heuristic already meets a lower bound, that is the proof, and no search runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from itpm.engine import bnb
from itpm.engine.provers import search_alone, search_beside
from itpm.engine.rcpsp import Problem
from itpm.engine.rcpsp_arrays import Instance, IntArray, backward_pass, bounds, compile_problem
from itpm.engine.sgs import NO_PIN

PREEMPTIVE_MAX_ACTIVITIES = 200  # beyond this the bound's set enumeration is not worth it
PREEMPTIVE_MAX_SETS = 5_000
PREEMPTIVE_SHARE = 0.1  # of the time limit, at most, for the preemptive bound
TWO_WORKERS = ("default_lp", "objective_lb_search")
# Stage 1 (see _staged) has the larger of these, of the time left, for CP-SAT alone on every
# worker; stage 2 (the branch and bound beside CP-SAT) the rest. Measured on j30 (docs/
# levelling.md), CP-SAT alone proved more: 473 of 480 at 10 s against 471 with half the limit
# for stage 1; 8 of the 9 hardest at 30 s against 5 with 10 s for stage 1. So by default stage 1
# has it all.
STAGE_ONE_SECONDS = 10.0
STAGE_ONE_SHARE = 1.0
STAGE_TWO_LEAST = 0.5  # seconds: with less left, no stage 2


@dataclass(frozen=True)
class Outcome:
    """What the solver gives back, in the problem's own time units: `starts` in activity order."""

    starts: IntArray
    makespan: int
    lower_bound: int
    status: str
    seconds: float
    proven_by: str  # "cp-sat", "branch and bound", "bound" (the heuristic met it), or ""


def solve(
    problem: Problem,
    hinted_starts: IntArray,
    hinted_makespan: int,
    hinted_bound: int,
    time_limit_s: float,
    workers: int,
    seed: int,
) -> Outcome:
    """Improve on the hinted schedule with CP-SAT, and the branch and bound where it applies,
    and prove what bound they can (see the module's note for what runs when)."""
    from ortools.sat.python import cp_model  # lazy: the solver is optional and slow to import

    instance = compile_problem(problem)
    unit = instance.time_unit  # the instance counts time in multiples of the problem's units
    fixed = np.array([a.fixed for a in problem.activities], dtype=bool)
    pinned = instance.with_pins(np.where(fixed, hinted_starts // unit, NO_PIN).astype(np.int64))
    best = Progress(hinted_starts // unit, hinted_makespan // unit, 0, "LOWER_BOUND", 0.0)
    best.raise_bound(max(bounds(pinned).lower_bound, hinted_bound // unit), "bound")
    if best.makespan > best.lower and not fixed.any() and not pinned.profile.size:  # (see preemptive_bound)
        bound, best.seconds = preemptive_bound(cp_model, pinned, time_limit_s * PREEMPTIVE_SHARE, workers)
        best.raise_bound(bound, "bound")
    if best.proven:
        return best.outcome(unit)
    if not bnb.supports(pinned):
        _cp_sat(cp_model, pinned, best, time_limit_s - best.seconds, workers, seed)
    elif workers == 1:
        _alone_then_cp_sat(cp_model, pinned, best, time_limit_s, seed)
    else:
        _staged(cp_model, pinned, best, time_limit_s, workers, seed)
    return best.outcome(unit)


@dataclass
class Progress:
    """The best schedule so far and the best proven bound, in the instance's time units;
    `bound_by` names what proved the bound, and so the optimum once they meet."""

    starts: IntArray
    makespan: int
    lower: int
    status: str
    seconds: float
    bound_by: str = ""

    @property
    def proven(self) -> bool:
        return self.makespan <= self.lower

    def improve(self, starts: IntArray, makespan: int) -> None:
        if makespan < self.makespan:
            self.starts, self.makespan = starts, makespan

    def raise_bound(self, bound: int, by: str) -> None:
        if bound > self.lower:
            self.lower, self.bound_by = bound, by

    def outcome(self, unit: int) -> Outcome:
        proven = self.proven
        lower = self.makespan if proven else self.lower  # a bound above a schedule is no bound
        by = self.bound_by if proven else ""
        return Outcome(self.starts * unit, self.makespan * unit, lower * unit, self.status, self.seconds, by)


def _staged(
    cp_model: Any, instance: Instance, best: Progress, time_limit_s: float, workers: int, seed: int
) -> None:
    """Stage 1: CP-SAT on every worker for STAGE_ONE_SECONDS or STAGE_ONE_SHARE of the time left,
    whichever is longer (it proves nearly every small project in well under a second, and its
    solution worker finds what the heuristic missed). Stage 2, if not proven and time is left:
    the branch and bound from stage 1's best schedule and bound on one worker, beside CP-SAT
    raising the bound on the others. With STAGE_ONE_SHARE at 1, stage 1 is all there is."""
    left = time_limit_s - best.seconds
    first = min(left, max(STAGE_ONE_SECONDS, left * STAGE_ONE_SHARE))
    _cp_sat(cp_model, instance, best, first, workers, seed)
    left = time_limit_s - best.seconds
    if best.proven or left < STAGE_TWO_LEAST:
        return
    starts, makespan, lower = best.starts, best.makespan, best.lower
    _cp_sat(
        cp_model,
        instance,
        best,
        left,
        workers - 1,
        seed,
        beside=lambda: bnb.BranchAndBound(instance, starts, makespan, lower),
    )


def _alone_then_cp_sat(
    cp_model: Any, instance: Instance, best: Progress, time_limit_s: float, seed: int
) -> None:
    """One worker: the branch and bound first, within a node budget, then CP-SAT for the rest."""
    prover = bnb.BranchAndBound(instance, best.starts, best.makespan, best.lower)
    best.seconds += search_alone(prover, time_limit_s)
    _take(best, prover)
    if not best.proven:
        _cp_sat(cp_model, instance, best, time_limit_s - best.seconds, 1, seed)


def _take(best: Progress, prover: bnb.BranchAndBound) -> None:
    """What the branch and bound found: a shorter schedule, and when complete, the optimum. A
    search that ends on a schedule as short as the bound it was given proves nothing new, so
    that bound's prover keeps the name."""
    best.improve(prover.starts, prover.makespan)
    if prover.complete:
        best.raise_bound(prover.makespan, "branch and bound")
        best.status = "OPTIMAL"


def _cp_sat(
    cp_model: Any,
    instance: Instance,
    best: Progress,
    seconds: float,
    workers: int,
    seed: int,
    beside: Callable[[], bnb.BranchAndBound] | None = None,
) -> None:
    """CP-SAT from the best schedule so far, alone or beside a branch and bound made by
    `beside` (in its own thread; the first to prove stops the other); `best` takes the better
    schedule and the higher bound."""
    model, starts, makespan = _model(cp_model, instance, best.makespan, best.lower)
    for variable, value in zip(starts, best.starts.tolist(), strict=True):
        model.AddHint(variable, value)
    model.AddHint(makespan, best.makespan)
    solver = _solver(cp_model, max(0.01, seconds), workers, seed, beside is not None)
    prover = None
    if beside is None:
        status = solver.Solve(model)
    else:
        status, prover = search_beside(beside, lambda: solver.Solve(model), solver.stop_search)
    best.seconds += solver.WallTime()
    best.status = solver.StatusName(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = np.array([solver.Value(variable) for variable in starts], dtype=np.int64)
        best.improve(found, int((found + instance.duration).max(initial=0)))
        bound = best.makespan if status == cp_model.OPTIMAL else math.ceil(solver.BestObjectiveBound() - 1e-6)
        best.raise_bound(min(bound, best.makespan), "cp-sat")
    if prover is not None:
        _take(best, prover)


def _solver(cp_model: Any, seconds: float, workers: int, seed: int, beside: bool = False) -> Any:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(seconds)
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed)
    solver.parameters.push_all_tasks_toward_start = True  # the objective is a makespan
    if workers == 2:  # CP-SAT's own choice for two spends one on first solutions, which we have
        solver.parameters.subsolvers.extend(TWO_WORKERS)
    if beside and workers == 1:  # the branch and bound proves; CP-SAT's one worker raises the bound
        solver.parameters.use_objective_lb_search = True
    return solver


def _model(cp_model: Any, instance: Instance, horizon: int, lower: int) -> tuple[Any, list[Any], Any]:
    """The CP-SAT model with each start in [early start, latest start against the horizon]."""
    model = cp_model.CpModel()
    early = bounds(instance).early
    cap = np.where(instance.pin != NO_PIN, instance.pin, horizon)
    late = backward_pass(
        instance.topological,
        instance.duration,
        horizon,
        cap,
        instance.succ_ptr,
        instance.succ_node,
        instance.succ_lag,
    )
    duration = instance.duration.tolist()
    starts = [
        model.NewIntVar(int(e), int(max(e, s)), f"s{j}")
        for j, (e, s) in enumerate(zip(early, late, strict=True))
    ]
    for j in range(instance.size):
        for k in range(int(instance.pred_ptr[j]), int(instance.pred_ptr[j + 1])):
            model.Add(starts[j] >= starts[int(instance.pred_node[k])] + int(instance.pred_lag[k]))
    makespan = model.NewIntVar(lower, horizon, "makespan")
    for start, d in zip(starts, duration, strict=True):
        model.Add(makespan >= start + d)
    tail = model.NewIntervalVar(
        makespan, model.NewIntVar(1, horizon + 1 - lower, "tail"), horizon + 1, "after"
    )
    _cumulatives(model, instance, starts, tail, horizon)
    model.Minimize(makespan)
    return model, starts, makespan


def _cumulatives(model: Any, instance: Instance, starts: list[Any], tail: Any, horizon: int) -> None:
    """Per resource: the movable activities, the fixed ones as a profile cut at the capacity,
    and the interval after the makespan, which takes the whole capacity."""
    movable = instance.pin == NO_PIN
    users: dict[int, tuple[list[Any], list[int]]] = {}
    for j in np.flatnonzero(movable & (instance.duration > 0)).tolist():
        interval = model.NewFixedSizeIntervalVar(starts[j], int(instance.duration[j]), f"i{j}")
        for k in range(int(instance.demand_ptr[j]), int(instance.demand_ptr[j + 1])):
            chosen, amounts = users.setdefault(int(instance.demand_resource[k]), ([], []))
            chosen.append(interval)
            amounts.append(int(instance.demand_units[k]))
    peak = np.maximum(instance.capacity, instance.profile.max(axis=1, initial=0))
    for resource, (start, length, units) in _fixed_profile(instance).items():
        chosen, amounts = users.setdefault(resource, ([], []))
        capacity = int(instance.capacity[resource])
        for first, size, amount in zip(start, length, units, strict=True):
            chosen.append(model.NewFixedSizeIntervalVar(first, size, f"fixed{resource}_{first}"))
            amounts.append(min(amount, capacity))
    for resource, (chosen, amounts) in sorted(users.items()):
        capacity = int(peak[resource])
        away = _calendar_gaps(instance, resource, capacity, horizon)
        # The tail would clash with a calendar's gap after the makespan: only where none is.
        ending = [] if away else [tail]
        model.AddCumulative(
            [*chosen, *(model.NewFixedSizeIntervalVar(a, b - a, "") for a, b, _ in away), *ending],
            [*amounts, *(units for _, _, units in away), *([capacity] if ending else [])],
            capacity,
        )


def _calendar_gaps(instance: Instance, resource: int, peak: int, horizon: int) -> list[tuple[int, int, int]]:
    """Runs (start, finish, units) where the resource has less than its peak capacity, up to the
    horizon: booked as fixed intervals, so that one cumulative at the peak holds each period's
    own capacity."""
    calendar = instance.profile[resource].tolist()
    below = [peak - units for units in calendar] + [peak - int(instance.capacity[resource])]
    gaps: list[tuple[int, int, int]] = []
    for t, short in enumerate(below[:-1]):
        if short and gaps and gaps[-1][1] == t and gaps[-1][2] == short:
            gaps[-1] = (gaps[-1][0], t + 1, short)
        elif short:
            gaps.append((t, t + 1, short))
    if below[-1] and calendar and horizon > len(calendar):
        gaps.append((len(calendar), horizon + 1, below[-1]))
    return gaps


def _fixed_profile(instance: Instance) -> dict[int, tuple[list[int], list[int], list[int]]]:
    """Per resource, the fixed activities' usage as runs: (starts, lengths, units)."""
    profile: dict[int, dict[int, int]] = {}
    for j in np.flatnonzero(instance.pin != NO_PIN).tolist():
        for k in range(int(instance.demand_ptr[j]), int(instance.demand_ptr[j + 1])):
            change = profile.setdefault(int(instance.demand_resource[k]), {})
            first, after = int(instance.pin[j]), int(instance.pin[j] + instance.duration[j])
            change[first] = change.get(first, 0) + int(instance.demand_units[k])
            change[after] = change.get(after, 0) - int(instance.demand_units[k])
    runs = {}
    for resource, change in profile.items():
        times = sorted(change)
        usage = np.cumsum([change[t] for t in times])
        runs[resource] = (
            [t for t, u in zip(times[:-1], usage[:-1], strict=True) if u > 0],
            [b - a for a, b, u in zip(times[:-1], times[1:], usage[:-1], strict=True) if u > 0],
            [int(u) for u in usage[:-1] if u > 0],
        )
    return runs


def preemptive_bound(cp_model: Any, instance: Instance, seconds: float, workers: int) -> tuple[int, float]:
    """The least number of periods in which sets of activities that may run together can give
    every activity its duration (a valid lower bound: it allows preemption). Returns (bound,
    solver seconds); (0, 0.0) when the problem is too large or has too many such sets."""
    sets = _compatible_sets(instance)
    if not sets:
        return 0, 0.0
    model = cp_model.CpModel()
    covering: dict[int, list[Any]] = {}
    periods = []
    for members in sets:
        count = model.NewIntVar(0, int(instance.duration[members].min()), "")
        periods.append(count)
        for j in members:
            covering.setdefault(j, []).append(count)
    for j, counts in covering.items():
        model.Add(sum(counts) >= int(instance.duration[j]))
    model.Minimize(sum(periods))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = max(1, workers)
    status = solver.Solve(model)
    bound = (
        math.ceil(solver.BestObjectiveBound() - 1e-6)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else 0
    )
    return bound, solver.WallTime()


def _compatible_sets(instance: Instance) -> list[IntArray]:
    """Every set of activities (with a duration) that may all run in one period: no two linked
    so that one must finish before the other starts, and within every capacity."""
    active = np.flatnonzero(instance.duration > 0)
    if len(active) > PREEMPTIVE_MAX_ACTIVITIES:
        return []
    apart = _apart(instance)
    demand = np.zeros((instance.size, instance.capacity.shape[0]), dtype=np.int64)
    owner = np.repeat(np.arange(instance.size), np.diff(instance.demand_ptr))
    np.add.at(demand, (owner, instance.demand_resource), instance.demand_units)
    sets: list[tuple[list[int], IntArray]] = []
    for j in active.tolist():
        grown = [([j], demand[j])]
        for members, used in sets:
            if not apart[j, members].any() and (used + demand[j] <= instance.capacity).all():
                grown.append(([*members, j], used + demand[j]))
        sets.extend(grown)
        if len(sets) > PREEMPTIVE_MAX_SETS:
            return []
    return [np.array(members, dtype=np.int64) for members, _ in sets]


def _apart(instance: Instance) -> np.ndarray:
    """apart[i, j]: the links keep i and j from running at the same time."""
    n, low = instance.size, -(1 << 40)
    distance = np.full((n, n), low, dtype=np.int64)  # longest start-to-start path
    for j in instance.topological[::-1].tolist():
        distance[j, j] = 0
        for k in range(int(instance.succ_ptr[j]), int(instance.succ_ptr[j + 1])):
            after, lag = int(instance.succ_node[k]), int(instance.succ_lag[k])
            distance[j] = np.maximum(distance[j], np.where(distance[after] > low, distance[after] + lag, low))
    ahead = distance >= instance.duration[:, None]
    return ahead | ahead.T
