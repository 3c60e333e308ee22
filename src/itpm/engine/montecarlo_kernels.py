"""The hot loops of the Monte Carlo simulation, compiled by numba (a dependency of itpm).

One call runs a chunk of iterations, rows in parallel over the machine's cores: for each row it
turns the row's uniform numbers into task durations (inverse distribution functions), adds the
risks that occurred, sums the cost, runs the forward pass of the critical path method over the
network in topological order (each node pulls its incoming links: max for ordinary nodes, min
for the gates that take the earliest start of a summary's leaves), and walks the driving links
back from the task that finishes last to mark the critical chain.

Random numbers: the kernels hold no random state. Each uniform is a pure function of a 64-bit
key (from numpy's SeedSequence of the caller's seed), the iteration and a stream number: the
SplitMix64 sequence (Steele, Lea and Flood, OOPSLA 2014; it passes TestU01's BigCrush) read at
position iteration × streams + stream. Any core can compute any iteration's numbers on its own,
so a run is the same whatever the chunks and threads, and needs no matrix of random numbers.
Without numba the same functions run as plain Python: slowly, with identical results.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np
import numpy.typing as npt

_numba: Any
try:
    import numba as _numba
except ImportError:  # pragma: no cover - numba is a dependency; this keeps the engine importable
    _numba = None

prange: Any = range if _numba is None else _numba.prange
thread_id: Any = (lambda: 0) if _numba is None else _numba.get_thread_id
MAX_THREADS = 1 if _numba is None else _numba.config.NUMBA_NUM_THREADS


def dynamic_scheduling() -> Any:
    """Hand out the kernel's batches one at a time (OpenMP dynamic scheduling), so that a core
    slowed by other work takes fewer of them instead of keeping the other one waiting."""
    return contextlib.nullcontext() if _numba is None else _numba.parallel_chunksize(1)


def njit(*args: Any, **kwargs: Any) -> Any:
    """numba's njit; without numba, the function as it is (slow, same results)."""
    if _numba is not None:
        return _numba.njit(*args, **kwargs)
    if args and callable(args[0]):
        return args[0]
    return lambda function: function


FIXED, TRIANGULAR, PERT = 0, 1, 2
DISTRIBUTIONS = ("fixed", "triangular", "pert")

# The PERT-beta quantile table: rows by mode position r = (m - a) / (b - a) on a grid of
# PERT_MODES points, columns by probability on a grid of PERT_LEVELS points.
PERT_MODES = 1001
PERT_LEVELS = 2049
_PERT_GRID = 8193  # points of x at which each row's distribution function is integrated


def pert_table() -> npt.NDArray[np.float64]:
    """Quantiles of the standard PERT-beta on [0, 1] (λ = 4: α = 1 + 4r, β = 1 + 4(1 − r)),
    table[row, level] for r = row / (PERT_MODES − 1) and u = level / (PERT_LEVELS − 1).

    numpy has no inverse beta distribution function: each row integrates the density with the
    trapezoid rule on a fine grid and inverts the result by linear interpolation. α, β ≥ 1, so
    the density is bounded and the rule converges; the error is far below sampling noise.
    """
    x = np.linspace(0.0, 1.0, _PERT_GRID)
    levels = np.linspace(0.0, 1.0, PERT_LEVELS)
    table = np.empty((PERT_MODES, PERT_LEVELS))
    log_x, log_rest = np.log(x[1:-1]), np.log1p(-x[1:-1])
    for row in range(PERT_MODES):
        r = row / (PERT_MODES - 1)
        density = np.zeros(_PERT_GRID)
        density[1:-1] = np.exp(4 * r * log_x + 4 * (1 - r) * log_rest)
        density[0], density[-1] = float(r == 0), float(r == 1)  # x**0 at an end, else 0
        cumulative = np.concatenate(([0.0], np.cumsum((density[1:] + density[:-1]) / 2)))
        cumulative /= cumulative[-1]
        table[row] = np.interp(levels, cumulative, x)
    table[:, 0], table[:, -1] = 0.0, 1.0
    return table


@njit(cache=True, inline="always")
def _sample(u: float, low: float, mode: float, high: float, kind: int, table: Any) -> float:
    """One duration from a uniform u by the inverse distribution function."""
    span = high - low
    if kind == FIXED or span <= 0.0:
        return mode
    if kind == TRIANGULAR:  # both sides, then a select: the branch would be a coin toss
        left = low + math.sqrt(u * span * (mode - low))
        right = high - math.sqrt((1.0 - u) * span * (high - mode))
        return left if u * span < mode - low else right
    row = int((mode - low) / span * (PERT_MODES - 1) + 0.5)
    place = u * (PERT_LEVELS - 1)
    level = min(int(place), PERT_LEVELS - 2)
    share = place - level
    return low + span * (table[row, level] * (1.0 - share) + table[row, level + 1] * share)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def uniform(key: Any, index: Any) -> float:
    """The SplitMix64 output at `index` of the sequence keyed by `key`, as a double in [0, 1)."""
    z = key + (np.uint64(index) + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX_1
    z = (z ^ (z >> np.uint64(27))) * _MIX_2
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * _TO_UNIT


@njit(cache=True, inline="always")
def _normal(key: Any, first: Any, second: Any) -> float:
    """A standard normal from two uniforms (Box and Muller)."""
    return math.sqrt(-2.0 * math.log(1.0 - uniform(key, first))) * math.cos(
        2.0 * math.pi * uniform(key, second)
    )


LANES = 8  # iterations run side by side: the network's arrays are read once for eight, in SIMD


@njit(cache=True, parallel=True)
def run_chunk(
    key: Any,  # uint64: the random sequence's key
    first: int,  # the chunk's first iteration
    streams: int,  # random numbers per iteration: 2 per task, 2 per group, 3 per risk
    node: Any,  # per position: its node; nodes from `tasks` on are gates (duration 0)
    low: Any,  # per position: the three points, the distribution, fixed cost, rate, group
    mode: Any,
    high: Any,
    kind: Any,
    fixed_cost: Any,
    rate: Any,  # cost per unit of duration
    group: Any,  # correlation group of the task, or -1
    correlation: Any,  # per group
    table: Any,
    risk_added: Any,  # (rows, risks): duration each risk adds this row (0 if it did not occur)
    risk_starts: Any,  # compressed rows: risk k affects the slots risk_slots[risk_starts[k]:risk_starts[k+1]]
    risk_slots: Any,  # each a slot: the affected tasks numbered 0, 1, ... (few, whatever the network)
    slot: Any,  # per position: the task's slot, or -1 if no risk affects it
    link_starts: Any,  # links into position p: link_starts[p]:link_starts[p+1]
    link_anchor: Any,  # flat date index read: 2 * position + 1 for a finish
    link_lag: Any,
    link_to_finish: Any,  # 1.0 where the link holds back the successor's finish, else 0.0
    takes_earliest: Any,  # per position: a gate set by the earliest of its links
    floor: float,
    tasks: int,
    finish: Any,  # out (rows,)
    cost: Any,  # out (rows,)
    critical: Any,  # out (MAX_THREADS, tasks) int64: iterations on the critical chain, by thread
    kept: Any,  # out (tasks, rows kept) float32: the durations of the first rows
) -> None:
    rows, positions = finish.shape[0], node.shape[0]
    costs = (fixed_cost != 0.0).any() or (rate != 0.0).any()
    for batch in prange((rows + LANES - 1) // LANES):
        top = batch * LANES
        base = np.empty(LANES, dtype=np.uint64)
        for lane in range(LANES):
            base[lane] = np.uint64(first + top + lane) * np.uint64(streams)
        factor = _group_factors(key, base, tasks, correlation.shape[0])
        added = _risk_additions(risk_added, risk_starts, risk_slots, top)
        dates = np.empty((2 * positions, LANES))
        driver = np.empty((positions, LANES), dtype=np.int64)
        length, start, drive = np.empty(LANES), np.empty(LANES), np.empty(LANES, dtype=np.int64)
        u = np.empty(LANES)
        total, latest, last = np.zeros(LANES), np.full(LANES, -np.inf), np.full(LANES, -1)
        for position in range(positions):
            task = node[position]
            if task < tasks:
                for lane in range(LANES):
                    u[lane] = uniform(key, base[lane] + np.uint64(task))
                g = group[position]
                if g >= 0:
                    for lane in range(LANES):
                        u[lane] = _correlated(key, base[lane], task, tasks, correlation[g], factor[g, lane])
                _sample_lanes(u, low[position], mode[position], high[position], kind[position], table, length)
                if slot[position] >= 0:
                    for lane in range(LANES):
                        length[lane] += added[slot[position], lane]
                if costs:
                    for lane in range(LANES):
                        total[lane] += fixed_cost[position] + rate[position] * length[lane]
                _keep(kept, task, top, length)
            else:
                length[:] = 0.0
            _pull(
                position,
                length,
                dates,
                link_starts,
                link_anchor,
                link_lag,
                link_to_finish,
                takes_earliest,
                floor,
                start,
                drive,
            )
            for lane in range(LANES):
                dates[2 * position, lane] = start[lane]
                dates[2 * position + 1, lane] = start[lane] + length[lane]
                driver[position, lane] = drive[lane]
            if task < tasks:
                for lane in range(LANES):
                    later = (
                        start[lane] + length[lane] >= latest[lane]
                    )  # ties: the later task, often the closing milestone
                    last[lane] = position if later else last[lane]
                    latest[lane] = max(latest[lane], start[lane] + length[lane])
        for lane in range(min(LANES, rows - top)):
            cost[top + lane] = total[lane]
            finish[top + lane] = latest[lane]
            _mark_critical(last[lane], driver[:, lane], node, link_anchor, tasks, critical[thread_id()])


@njit(cache=True, inline="always")
def _sample_lanes(u: Any, low: float, mode: float, high: float, kind: int, table: Any, length: Any) -> None:
    """One task's duration in each lane; the distribution is chosen once, outside the lanes."""
    span = high - low
    if kind == FIXED or span <= 0.0:
        length[:] = mode
    elif kind == TRIANGULAR:
        for lane in range(LANES):
            left = low + math.sqrt(u[lane] * span * (mode - low))
            right = high - math.sqrt((1.0 - u[lane]) * span * (high - mode))
            length[lane] = left if u[lane] * span < mode - low else right
    else:
        for lane in range(LANES):
            length[lane] = _sample(u[lane], low, mode, high, PERT, table)


@njit(cache=True, inline="always")
def _group_factors(key: Any, base: Any, tasks: int, groups: int) -> Any:
    factor = np.empty((groups, LANES))
    for g in range(groups):
        for lane in range(LANES):
            one, two = (
                base[lane] + np.uint64(2 * tasks + 2 * g),
                base[lane] + np.uint64(2 * tasks + 2 * g + 1),
            )
            factor[g, lane] = _normal(key, one, two)
    return factor


@njit(cache=True, inline="always")
def _correlated(key: Any, base: Any, task: int, tasks: int, rho: float, factor: float) -> float:
    """The task's uniform through the Gaussian copula: Φ(√ρ·common + √(1 − ρ)·own)."""
    own = _normal(key, base + np.uint64(task), base + np.uint64(tasks + task))
    z = math.sqrt(rho) * factor + math.sqrt(1.0 - rho) * own
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@njit(cache=True, inline="always")
def _risk_additions(risk_added: Any, risk_starts: Any, risk_slots: Any, top: int) -> Any:
    """(slots, LANES): the duration the risks that occurred add to each affected task."""
    risks = risk_added.shape[1]
    slots = np.max(risk_slots) + 1 if risk_slots.shape[0] else 0
    added = np.zeros((slots, LANES))
    for lane in range(min(LANES, risk_added.shape[0] - top)):
        for risk in range(risks):
            if risk_added[top + lane, risk] != 0.0:
                for k in range(risk_starts[risk], risk_starts[risk + 1]):
                    added[risk_slots[k], lane] += risk_added[top + lane, risk]
    return added


@njit(cache=True, inline="always")
def _keep(kept: Any, task: int, top: int, length: Any) -> None:
    for lane in range(LANES):
        if top + lane < kept.shape[1]:
            kept[task, top + lane] = length[lane]


@njit(cache=True)
def risk_draws(
    key: Any,
    first: int,
    rows: int,
    streams: int,
    offset: int,
    probability: Any,
    impact: Any,
    kind: Any,
    cost: Any,
    table: Any,
) -> Any:
    """Per row and risk: whether it occurred, the duration it adds and the cost it adds (0 if
    it did not occur). `impact` and `cost` are (3, risks): low, most likely, high; `kind` the
    impact's distribution; cost impacts are triangular."""
    risks = probability.shape[0]
    occurs = np.zeros((rows, risks), dtype=np.bool_)
    added, spent = np.zeros((rows, risks)), np.zeros((rows, risks))
    for row in range(rows):
        base = np.uint64(first + row) * np.uint64(streams) + np.uint64(offset)
        for risk in range(risks):
            if uniform(key, base + np.uint64(3 * risk)) < probability[risk]:
                occurs[row, risk] = True
                u, v = (
                    uniform(key, base + np.uint64(3 * risk + 1)),
                    uniform(key, base + np.uint64(3 * risk + 2)),
                )
                added[row, risk] = _sample(
                    u, impact[0, risk], impact[1, risk], impact[2, risk], kind[risk], table
                )
                spent[row, risk] = _sample(v, cost[0, risk], cost[1, risk], cost[2, risk], TRIANGULAR, table)
    return occurs, added, spent


@njit(cache=True, inline="always")
def _pull(
    position: int,
    length: Any,
    dates: Any,
    link_starts: Any,
    link_anchor: Any,
    link_lag: Any,
    link_to_finish: Any,
    takes_earliest: Any,
    floor: float,
    start: Any,
    drive: Any,
) -> None:
    """Per lane, the early start a position's links allow, and the link that sets it (-1: the
    floor). Selects, not branches: which link drives is a coin toss from lane to lane."""
    first, stop = link_starts[position], link_starts[position + 1]
    if takes_earliest[position]:
        start[:] = np.inf
        drive[:] = -1
        for link in range(first, stop):
            anchor, lag, to_finish = link_anchor[link], link_lag[link], link_to_finish[link]
            for lane in range(LANES):
                bound = dates[anchor, lane] + lag - length[lane] * to_finish
                drive[lane] = link if bound < start[lane] else drive[lane]
                start[lane] = min(start[lane], bound)
        for lane in range(LANES):
            start[lane] = max(start[lane], floor)
        return
    start[:] = floor
    drive[:] = -1
    for link in range(first, stop):
        anchor, lag, to_finish = link_anchor[link], link_lag[link], link_to_finish[link]
        for lane in range(LANES):
            bound = dates[anchor, lane] + lag - length[lane] * to_finish
            drive[lane] = link if bound > start[lane] else drive[lane]
            start[lane] = max(start[lane], bound)


@njit(cache=True, inline="always")
def _mark_critical(last: int, driver: Any, node: Any, link_anchor: Any, tasks: int, counts: Any) -> None:
    """Count the tasks on the driving chain back from the position that finishes last, in the
    calling thread's row (no two threads write one row). `link_anchor[link] // 2` is the
    position the link comes from."""
    position = last
    while position >= 0:
        if node[position] < tasks:
            counts[node[position]] += 1
        link = driver[position]
        position = -1 if link < 0 else link_anchor[link] // 2
