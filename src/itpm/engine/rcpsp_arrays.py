"""A Problem as integer arrays for the schedule generation schemes, plus the CPM bounds and the
priority rules, computed once per problem.

Fractional units are scaled to integers: by the least power of ten, up to a millionth, that
makes every capacity and demand whole. Beyond that precision demands round up and capacities
down (never past each other), so a schedule found on the integers is feasible for the units
as given.

Time is divided by the greatest common divisor of every duration, release and lag: the app
counts a hundred units to a day, and a plan in whole days then levels on a grid of days, with
profiles a hundred times shorter. Results are multiplied back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from itpm.engine.levels import level_order, topological_levels
from itpm.engine.rcpsp import Problem
from itpm.engine.sgs import NO_PIN, njit

IntArray = npt.NDArray[np.int64]
MAX_DECIMALS = 6
RULES = ("LFT", "LST", "MSLK", "MTS", "GRPW", "PRIORITY")


@dataclass(frozen=True, eq=False)
class Instance:
    """Arrays indexed by activity position in the problem (or by link, in CSR order)."""

    duration: IntArray
    release: IntArray
    pin: IntArray  # start of a fixed activity, or NO_PIN
    priority: IntArray
    demand_ptr: IntArray
    demand_resource: IntArray
    demand_units: IntArray
    capacity: IntArray
    profile: IntArray  # (resources, periods): capacity per period where calendars differ; then `capacity`
    scale: int  # demand and capacity units are the given ones times this
    time_unit: int  # durations, releases, lags and starts are the given ones divided by this
    pred_ptr: IntArray
    pred_node: IntArray
    pred_lag: IntArray
    succ_ptr: IntArray
    succ_node: IntArray
    succ_lag: IntArray
    mirror_lag: IntArray  # per successor entry i -> k: the lag of k -> i in the mirrored instance
    topological: IntArray

    @property
    def size(self) -> int:
        return int(self.duration.shape[0])

    def kernel(self) -> tuple[IntArray, ...]:
        """The arrays the kernels take, as one tuple (see sgs.justify)."""
        return (
            self.duration, self.release, self.pin, self.demand_ptr, self.demand_resource,
            self.demand_units, self.capacity, self.pred_ptr, self.pred_node, self.pred_lag,
            self.succ_ptr, self.succ_node, self.succ_lag, self.mirror_lag, self.profile,
        )  # fmt: skip

    def with_pins(self, pin: IntArray) -> Instance:
        return replace(self, pin=pin)

    def span_bound(self) -> int:
        """Longer than any schedule the generation schemes make: the serial scheme starts each
        activity by the time everything before it has finished (the penalty of a late pin)."""
        pinned = np.where(self.pin != NO_PIN, self.pin + self.duration, 0)
        serial = int(self.duration.sum()) + int(np.maximum(self.pred_lag, 0).sum())
        calendars = int(self.profile.shape[1])  # every activity may wait out every calendar
        return serial + int(self.release.max(initial=0)) + int(pinned.max(initial=0)) + calendars

    def horizon(self, expected: int) -> int:
        """A first profile length for schedules about `expected` long; the kernels widen it
        (doubling) when a schedule runs past it."""
        return min(self.span_bound(), expected + expected // 4 + int(self.duration.max(initial=0))) + 1


def compile_problem(problem: Problem) -> Instance:
    """The arrays of `problem`; raises EngineError (E001) if its links form a cycle."""
    activities = problem.activities
    n = len(activities)
    duration = np.array([a.duration for a in activities], dtype=np.int64)
    release = np.array([a.release for a in activities], dtype=np.int64)
    predecessor = np.array([problem.index[link.predecessor] for link in problem.links], dtype=np.int64)
    successor = np.array([problem.index[link.successor] for link in problem.links], dtype=np.int64)
    lag = np.array([problem.start_lag(link) for link in problem.links], dtype=np.int64)
    levels = topological_levels(n, predecessor, successor, [a.id for a in activities])
    # Every time is a multiple of this: the app's 100 units a day, say, when all is in whole days.
    edges = np.array([t for r in problem.resources for run in r.calendar for t in run[:2]], dtype=np.int64)
    unit = int(np.gcd.reduce(np.abs(np.concatenate((duration, release, lag, edges))))) or 1
    duration, release, lag = duration // unit, release // unit, lag // unit
    pred_ptr, pred_node, pred_lag = _rows(n, successor, predecessor, lag)
    succ_ptr, succ_node, succ_lag = _rows(n, predecessor, successor, lag)
    own = np.repeat(np.arange(n, dtype=np.int64), np.diff(succ_ptr))
    demand_ptr, demand_resource, demand_units, capacity, scale = _demands(problem)
    return Instance(
        profile=_profile(problem, scale, unit),
        duration=duration,
        release=release,
        pin=np.full(n, NO_PIN, dtype=np.int64),
        priority=np.array([a.priority for a in activities], dtype=np.int64),
        demand_ptr=demand_ptr,
        demand_resource=demand_resource,
        demand_units=demand_units,
        capacity=capacity,
        scale=scale,
        time_unit=unit,
        pred_ptr=pred_ptr,
        pred_node=pred_node,
        pred_lag=pred_lag,
        succ_ptr=succ_ptr,
        succ_node=succ_node,
        succ_lag=succ_lag,
        mirror_lag=succ_lag + duration[succ_node] - duration[own],
        topological=level_order(levels).astype(np.int64),
    )


def _demands(problem: Problem) -> tuple[IntArray, IntArray, IntArray, IntArray, int]:
    """Demands as compressed rows of (resource, units), capacities, and the scale of units."""
    column = {resource.id: r for r, resource in enumerate(problem.resources)}
    capacities = [resource.capacity for resource in problem.resources]
    calendars = [units for resource in problem.resources for _, _, units in resource.calendar]
    needs = [
        (j, column[rid], units)
        for j, a in enumerate(problem.activities)
        for rid, units in a.demands.items()
        if units > 0
    ]
    scale = _scale(capacities + calendars + [units for _, _, units in needs])
    capacity = np.array(
        [math.floor(c * scale + 1e-9 * max(1.0, c * scale)) for c in capacities], dtype=np.int64
    )
    counts = np.bincount(
        np.array([j for j, _, _ in needs], dtype=np.int64), minlength=len(problem.activities)
    )
    demand_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    demand_resource = np.array([r for _, r, _ in needs], dtype=np.int64)
    demand_units = np.array(
        [min(math.ceil(u * scale - 1e-9 * max(1.0, u * scale)), int(capacity[r])) for _, r, u in needs],
        dtype=np.int64,
    )
    return demand_ptr, demand_resource, demand_units, capacity, scale


def _profile(problem: Problem, scale: int, unit: int) -> IntArray:
    """Each resource's scaled capacity per period (of `unit`) until its last calendar run ends."""
    end = max((resource.calendar_end for resource in problem.resources), default=0) // unit
    rows = [resource.capacities(end * unit)[::unit] for resource in problem.resources]
    units = np.array(rows, dtype=np.float64).reshape(len(problem.resources), end) * scale
    return np.floor(units + 1e-9 * np.maximum(1.0, units)).astype(np.int64)


def _scale(values: list[float]) -> int:
    for decimals in range(MAX_DECIMALS + 1):
        scale = 10**decimals
        if all(abs(v * scale - round(v * scale)) <= 1e-9 * max(1.0, v * scale) for v in values):
            return scale
    return 10**MAX_DECIMALS


def _rows(n: int, owner: IntArray, other: IntArray, lag: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Compressed rows: for node v, other[ptr[v]:ptr[v + 1]] with their lags, in link order."""
    by_owner = np.argsort(owner, kind="stable")
    ptr = np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=n)))).astype(np.int64)
    return ptr, other[by_owner].astype(np.int64), lag[by_owner].astype(np.int64)


@dataclass(frozen=True, eq=False)
class Bounds:
    """Precedence-only dates (resources ignored): the early start of each activity, the late
    start against the critical-path length, and the lower bounds of the makespan."""

    early: IntArray
    late: IntArray
    critical_path: int
    resource_bound: int

    @property
    def lower_bound(self) -> int:
        return max(self.critical_path, self.resource_bound)


def bounds(instance: Instance) -> Bounds:
    early = forward_pass(
        instance.topological,
        instance.release,
        instance.pin,
        instance.pred_ptr,
        instance.pred_node,
        instance.pred_lag,
    )
    finish = int((early + instance.duration).max(initial=0))
    cap = np.where(instance.pin != NO_PIN, instance.pin, finish)
    late = backward_pass(
        instance.topological,
        instance.duration,
        finish,
        cap,
        instance.succ_ptr,
        instance.succ_node,
        instance.succ_lag,
    )
    return Bounds(early, late, finish, _resource_bound(instance))


def _resource_bound(instance: Instance) -> int:
    """No project is shorter than any resource's total work over its capacity. Fixed activities
    do not count: they may over-allocate, and their finishes bound the critical path already."""
    owner = np.repeat(np.arange(instance.size), np.diff(instance.demand_ptr))
    movable = instance.pin[owner] == NO_PIN
    work = np.bincount(
        instance.demand_resource[movable],
        weights=(instance.demand_units * instance.duration[owner])[movable].astype(np.float64),
        minlength=instance.capacity.shape[0],
    )
    peak = np.maximum(instance.capacity, instance.profile.max(axis=1, initial=0))  # calendars may add
    with np.errstate(divide="ignore", invalid="ignore"):
        periods = np.where(peak > 0, np.ceil(work / np.maximum(peak, 1) - 1e-9), 0)
    return int(periods.max(initial=0))


@njit(cache=True)
def forward_pass(
    topological: IntArray,
    release: IntArray,
    pin: IntArray,
    pred_ptr: IntArray,
    pred_node: IntArray,
    pred_lag: IntArray,
) -> IntArray:
    early = release.copy()
    for j in topological:
        for k in range(pred_ptr[j], pred_ptr[j + 1]):
            early[j] = max(early[j], early[pred_node[k]] + pred_lag[k])
        if pin[j] != NO_PIN:
            early[j] = pin[j]
    return early


@njit(cache=True)
def backward_pass(
    topological: IntArray,
    duration: IntArray,
    finish: int,
    cap: IntArray,
    succ_ptr: IntArray,
    succ_node: IntArray,
    succ_lag: IntArray,
) -> IntArray:
    late = np.empty(duration.shape[0], dtype=np.int64)
    for position in range(topological.shape[0] - 1, -1, -1):
        j = topological[position]
        late[j] = min(finish - duration[j], cap[j])
        for k in range(succ_ptr[j], succ_ptr[j + 1]):
            late[j] = min(late[j], late[succ_node[k]] - succ_lag[k])
    return late


def rule_key(rule: str, instance: Instance, dates: Bounds) -> IntArray:
    """Per activity a rank (a permutation of 0..n-1): lower goes first. Ties: least late
    start, then input order."""
    early, late, duration = dates.early, dates.late, instance.duration
    if rule == "LFT":
        primary = late + duration
    elif rule == "LST":
        primary = late
    elif rule == "MSLK":
        primary = late - early
    elif rule == "MTS":
        primary = -successor_counts(instance)
    elif rule == "GRPW":
        owner = np.repeat(np.arange(instance.size), np.diff(instance.succ_ptr))
        primary = -(
            duration
            + np.bincount(owner, weights=duration[instance.succ_node], minlength=instance.size).astype(
                np.int64
            )
        )
    elif rule == "PRIORITY":
        primary = -instance.priority
    else:
        raise ValueError(f"unknown priority rule {rule!r}; use one of {', '.join(RULES)}")
    order = np.lexsort((np.arange(instance.size), late, primary))
    rank = np.empty(instance.size, dtype=np.int64)
    rank[order] = np.arange(instance.size)
    return rank


def successor_counts(instance: Instance) -> IntArray:
    """How many activities follow each one, directly or not (the MTS rule)."""
    return _reach_counts(instance.topological, instance.succ_ptr, instance.succ_node)


@njit(cache=True)
def _reach_counts(topological: IntArray, succ_ptr: IntArray, succ_node: IntArray) -> IntArray:
    """Transitive successor counts with bit sets, 4,096 target activities at a time, so that
    memory stays at n × 512 bytes whatever the size."""
    n = topological.shape[0]
    words = max(1, min(64, (n + 63) // 64))
    counts = np.zeros(n, dtype=np.int64)
    reach = np.zeros((n, words), dtype=np.uint64)
    for block in range(0, n, 64 * words):
        reach[:, :] = 0
        for position in range(n - 1, -1, -1):
            j = topological[position]
            for k in range(succ_ptr[j], succ_ptr[j + 1]):
                after = succ_node[k]
                if block <= after < block + 64 * words:
                    bit = after - block
                    reach[j, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
                for w in range(words):
                    reach[j, w] |= reach[after, w]
            for w in range(words):
                counts[j] += _popcount(reach[j, w])
    return counts


@njit(cache=True)
def _popcount(x: np.uint64) -> int:
    """Set bits of a 64-bit word, without a multiplication that could overflow."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    x = x + (x >> np.uint64(8))
    x = x + (x >> np.uint64(16))
    x = x + (x >> np.uint64(32))
    return int(x & np.uint64(0x7F))
