"""Stronger lags for the CP-SAT model (cpsat.py): the least delay between two activities that
resource conflicts force, proved on the sub-networks between them, smallest first.

Between an activity a and an activity b that follows it, every schedule runs a, b and all that
lies on a path from a to b (the activities between) within the capacities. The least start of b
after a's start over those activities alone, with the links among them, is a lag every schedule
keeps; it is often well above the longest path when the activities between compete for a
resource. A project start (release dates) and a project end (the makespan) take part as two
more nodes, so the same delays give each activity's head (earliest start) and tail (least time
from its start to the end). Pairs are solved in order of size, each with the lags already
proved among its members, so a larger sub-network starts from its parts' results; the lags are
closed over paths after each one. This follows the min-delay preprocessing of OR-Tools' RCPSP
example (examples/python/rcpsp_sat.py), in our own model.

Each lag is CP-SAT's proved bound on its sub-problem, so every lag holds whatever the time limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from itpm.engine.rcpsp_arrays import Instance, IntArray, bounds

NONE = -(1 << 40)  # no path: no lag
SUB_SECONDS = 0.2  # at most, per sub-network


@dataclass(frozen=True)
class Lags:
    """lag[x, y]: every schedule starts y at least this long after x starts (NONE where no path);
    nodes are the activities, then the project start, then the project end (the makespan)."""

    lag: IntArray
    solved: int
    seconds: float

    @property
    def size(self) -> int:
        return int(self.lag.shape[0]) - 2

    def head(self) -> IntArray:
        return self.lag[self.size, : self.size]

    def tail(self) -> IntArray:
        return self.lag[: self.size, self.size + 1]

    def makespan(self) -> int:
        return int(self.lag[self.size, self.size + 1])


def path_lags(instance: Instance) -> IntArray:
    """The longest start-to-start path between every two nodes (activities, start, end)."""
    n = instance.size
    lag = np.full((n + 2, n + 2), NONE, dtype=np.int64)
    for j in instance.topological[::-1].tolist():
        lag[j, j] = 0
        for k in range(int(instance.succ_ptr[j]), int(instance.succ_ptr[j + 1])):
            after, length = int(instance.succ_node[k]), int(instance.succ_lag[k])
            lag[j] = np.maximum(lag[j], np.where(lag[after] > NONE, lag[after] + length, NONE))
    lag[:n, n + 1] = np.where(lag[:n, :n] > NONE, lag[:n, :n] + instance.duration[None, :], NONE).max(axis=1)
    lag[n, :n] = bounds(instance).early
    lag[n, n + 1] = int((lag[n, :n] + instance.duration).max(initial=0))
    lag[n, n] = lag[n + 1, n + 1] = 0
    return lag


def strengthen(cp_model: Any, instance: Instance, upper: IntArray, seconds: float) -> Lags:
    """Solve the sub-networks between pairs of nodes, smallest first, within `seconds`.
    `upper` is a feasible schedule's starts (for hints and horizons), its makespan appended."""
    lag = path_lags(instance)
    begun, solved = time.perf_counter(), 0
    demand = _demand_matrix(instance)
    for a, b, members in _pairs(instance, lag, demand):
        left = seconds - (time.perf_counter() - begun)
        if left <= 0:
            break
        found = _least_delay(cp_model, instance, lag, demand, a, b, members, upper, min(left, SUB_SECONDS))
        solved += 1
        if found > lag[a, b]:
            _close(lag, a, b, found)
    return Lags(lag, solved, time.perf_counter() - begun)


def _demand_matrix(instance: Instance) -> IntArray:
    """demand[j, r]: the units activity j takes of resource r; two zero rows for start and end."""
    demand = np.zeros((instance.size + 2, instance.capacity.shape[0]), dtype=np.int64)
    owner = np.repeat(np.arange(instance.size), np.diff(instance.demand_ptr))
    np.add.at(demand, (owner, instance.demand_resource), instance.demand_units)
    return demand


def _pairs(instance: Instance, lag: IntArray, demand: IntArray) -> list[tuple[int, int, IntArray]]:
    """(a, b, the nodes from a to b) for every pair whose nodes between may clash over a
    resource, smallest first; not the whole project (start to end), which the main model solves."""
    n = instance.size
    duration = np.concatenate((instance.duration, [0, 0]))
    overlap = ~((lag >= duration[:, None]) | (lag >= duration[:, None]).T)
    reach = lag > NONE
    pairs = []
    for a in range(n + 2):
        for b in np.flatnonzero(reach[a]).tolist():
            if a == b or (a == n and b == n + 1):
                continue
            members = np.flatnonzero(reach[a] & reach[:, b])
            if len(members) >= 4 and _may_clash(members, overlap, demand, instance.capacity):
                pairs.append((len(members), a, b, members))
    pairs.sort(key=lambda pair: pair[:3])
    return [(a, b, members) for _, a, b, members in pairs]


def _may_clash(members: IntArray, overlap: np.ndarray, demand: IntArray, capacity: IntArray) -> bool:
    """Two of the members may overlap and together need more than a capacity."""
    sub = overlap[np.ix_(members, members)]
    first, second = np.nonzero(np.triu(sub, 1))
    if not first.size:
        return False
    need = demand[members[first]] + demand[members[second]]
    return bool((need > capacity[None, :]).any())


def _least_delay(
    cp_model: Any,
    instance: Instance,
    lag: IntArray,
    demand: IntArray,
    a: int,
    b: int,
    members: IntArray,
    upper: IntArray,
    seconds: float,
) -> int:
    """CP-SAT's proved bound on b's least start after a's over the members alone."""
    horizon = int(upper[b] - upper[a])  # the feasible schedule's own delay
    if horizon <= lag[a, b]:
        return int(lag[a, b])
    model = cp_model.CpModel()
    start = {}
    for j in members.tolist():
        low = 0 if j == a else int(lag[a, j])
        start[j] = model.NewIntVar(low, max(low, horizon - int(lag[j, b])), "")
        model.AddHint(start[j], int(upper[j] - upper[a]))
    model.Add(start[a] == 0)
    for x in members.tolist():
        for y in members.tolist():
            if x != y and lag[x, y] > NONE:
                model.Add(start[y] >= start[x] + int(lag[x, y]))
    _cumulatives(model, instance, demand, start, members)
    model.Minimize(start[b])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(lag[a, b])
    return int(np.ceil(solver.BestObjectiveBound() - 1e-6))


def _cumulatives(
    model: Any, instance: Instance, demand: IntArray, start: dict[int, Any], members: IntArray
) -> None:
    real = [j for j in members.tolist() if j < instance.size and instance.duration[j] > 0]
    intervals = {j: model.NewFixedSizeIntervalVar(start[j], int(instance.duration[j]), "") for j in real}
    for r, capacity in enumerate(instance.capacity.tolist()):
        users = [j for j in real if demand[j, r] > 0]
        if sum(int(demand[j, r]) for j in users) > capacity:
            model.AddCumulative([intervals[j] for j in users], [int(demand[j, r]) for j in users], capacity)


def _close(lag: IntArray, a: int, b: int, delay: int) -> None:
    """Record lag[a, b] = delay and every longer path through it."""
    into, out = lag[:, a], lag[b, :]
    through = np.where(
        (into[:, None] > NONE) & (out[None, :] > NONE), into[:, None] + delay + out[None, :], NONE
    )
    np.maximum(lag, through, out=lag)
