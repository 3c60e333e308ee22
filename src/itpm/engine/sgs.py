"""Schedule generation schemes: the hot loops of levelling, compiled by numba when it is there.

An instance is arrays (rcpsp_arrays.py): per activity a duration, a release and a pin (the start
of a fixed activity, or -1); demands as compressed rows (`demand_ptr`, `demand_resource`,
`demand_units`, integer units after scaling); integer capacities; links as compressed rows of
predecessors with start-to-start lags (S_j ≥ S_i + lag). Resource profiles are `free[r, t]`,
the units of r still free in period t; they grow when a schedule runs past them.

- serial SGS: activities in list order (each after its predecessors), each at the earliest
  period its links allow where its whole run fits the free capacity;
- parallel SGS (in sgs_parallel.py): time moves forward from decision point to decision point;
  at each, the activities that may start there are started in priority order while they fit;
- forward-backward improvement (justification): the schedule is right-justified against its
  finish (a serial SGS on the mirrored instance, activities in order of decreasing finish),
  then left-justified again in order of the backward starts. Never longer in the common case,
  often shorter; both passes count as schedules.

Every link here is a minimum start-to-start lag along an acyclic network, so a serial SGS always
finds a start: it may have to wait, never to backtrack. Only fixed activities, whose starts are
given, can be reached too late; the SGS still places them at their pin and counts them `late`.
Without numba the same functions run as plain Python: slowly, with identical results.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_numba_njit: Any
try:
    from numba import njit as _numba_njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised by the no-numba test in a subprocess
    _numba_njit = None
    HAVE_NUMBA = False


def njit(*args: Any, **kwargs: Any) -> Any:
    """numba's njit when numba is installed; without it, leave the function as it is."""
    if _numba_njit is not None:
        return _numba_njit(*args, **kwargs)
    if args and callable(args[0]):
        return args[0]
    return lambda function: function


NO_PIN = -1
NEVER = 1 << 62


@njit(cache=True)
def _fill(free: Any, first: int, capacity: Any, calendar: Any) -> None:
    """Periods `first` on of the profile at full capacity: the calendar's (resources, periods)
    where it runs, then each resource's capacity."""
    ends = min(calendar.shape[1], free.shape[1])
    for r in range(capacity.shape[0]):
        if first < ends:
            free[r, first:ends] = calendar[r, first:ends]
        free[r, max(first, ends) :] = capacity[r]


@njit(cache=True)
def new_profile(capacity: Any, calendar: Any, horizon: int) -> Any:
    """Free units per resource and period, every resource at its full capacity."""
    free = np.empty((capacity.shape[0], max(horizon, 1)), dtype=np.int64)
    _fill(free, 0, capacity, calendar)
    return free


@njit(cache=True)
def widen(free: Any, capacity: Any, calendar: Any, need: int) -> Any:
    """The profile, at least `need` periods long (doubling, so growth costs little overall)."""
    resources, horizon = free.shape
    if need <= horizon:
        return free
    wider = np.empty((resources, max(need, 2 * horizon)), dtype=np.int64)
    wider[:, :horizon] = free
    _fill(wider, horizon, capacity, calendar)
    return wider


@njit(cache=True)
def take(
    free: Any, j: int, start: int, duration: Any, demand_ptr: Any, demand_resource: Any, units: Any
) -> None:
    """Book activity j's demands from `start` for its whole duration."""
    for k in range(demand_ptr[j], demand_ptr[j + 1]):
        r, amount = demand_resource[k], units[k]
        for t in range(start, start + duration[j]):
            free[r, t] -= amount


@njit(cache=True)
def fits(
    free: Any, j: int, start: int, duration: Any, demand_ptr: Any, demand_resource: Any, units: Any
) -> bool:
    for k in range(demand_ptr[j], demand_ptr[j + 1]):
        r, amount = demand_resource[k], units[k]
        for t in range(start, start + duration[j]):
            if free[r, t] < amount:
                return False
    return True


@njit(cache=True)
def earliest_fit(
    free: Any, j: int, earliest: int, duration: Any, demand_ptr: Any, demand_resource: Any, units: Any
) -> int:
    """The first start ≥ `earliest` at which j fits; each period is looked at once. The profile
    must reach past every booking, so that a start after them all is in range."""
    start, t, first, last = earliest, earliest, demand_ptr[j], demand_ptr[j + 1]
    while t < start + duration[j]:
        for k in range(first, last):
            if free[demand_resource[k], t] < units[k]:
                start = t + 1
                break
        t += 1
    return start


@njit(cache=True)
def book_pins(
    horizon: int,
    pin: Any,
    duration: Any,
    demand_ptr: Any,
    demand_resource: Any,
    units: Any,
    capacity: Any,
    calendar: Any,
) -> Any:
    """A new profile with every fixed activity booked at its pin; returns (profile, latest finish)."""
    free = new_profile(capacity, calendar, horizon)
    top = 0
    for j in range(pin.shape[0]):
        if pin[j] != NO_PIN:
            finish = pin[j] + duration[j]
            free = widen(free, capacity, calendar, finish + 1)
            take(free, j, pin[j], duration, demand_ptr, demand_resource, units)
            top = max(top, finish)
    return free, top


@njit(cache=True)
def serial_sgs(
    order: Any,
    duration: Any,
    release: Any,
    pin: Any,
    demand_ptr: Any,
    demand_resource: Any,
    units: Any,
    capacity: Any,
    calendar: Any,
    pred_ptr: Any,
    pred_node: Any,
    pred_lag: Any,
    horizon: int,
    start: Any,
) -> Any:
    """Schedule `order` (a list in which predecessors come first) into `start`; returns
    (makespan, late) where `late` counts fixed activities their links wanted later."""
    free, top = book_pins(horizon, pin, duration, demand_ptr, demand_resource, units, capacity, calendar)
    makespan, late = 0, 0
    for position in range(order.shape[0]):
        j = order[position]
        earliest = release[j]
        for k in range(pred_ptr[j], pred_ptr[j + 1]):
            earliest = max(earliest, start[pred_node[k]] + pred_lag[k])
        if pin[j] != NO_PIN:
            late += earliest > pin[j]
            at = pin[j]
        else:
            # past every booking and every calendar run, j fits: the profile must reach that far
            free = widen(free, capacity, calendar, max(earliest, top, calendar.shape[1]) + duration[j] + 1)
            at = earliest_fit(free, j, earliest, duration, demand_ptr, demand_resource, units)
            take(free, j, at, duration, demand_ptr, demand_resource, units)
        start[j] = at
        top = max(top, at + duration[j])
        makespan = max(makespan, at + duration[j])
    return makespan, late


@njit(cache=True)
def heap_push(heap: Any, size: int, value: int) -> int:
    """Push onto a binary min-heap held in heap[:size]; returns the new size."""
    heap[size] = value
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if heap[parent] <= heap[child]:
            break
        heap[parent], heap[child] = heap[child], heap[parent]
        child = parent
    return size + 1


@njit(cache=True)
def heap_pop(heap: Any, size: int) -> Any:
    """Pop the least value; returns (value, new size)."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    parent = 0
    while True:
        least, left = parent, 2 * parent + 1
        if left < size and heap[left] < heap[least]:
            least = left
        if left + 1 < size and heap[left + 1] < heap[least]:
            least = left + 1
        if least == parent:
            return top, size
        heap[parent], heap[least] = heap[least], heap[parent]
        parent = least


@njit(cache=True)
def order_by_rank(rank: Any, pred_ptr: Any, succ_ptr: Any, succ_node: Any) -> Any:
    """The list a serial SGS with a priority rule follows: at each step the eligible activity
    (all predecessors listed) of least rank. `rank` is a permutation of 0..n-1."""
    n = rank.shape[0]
    node_of = np.empty(n, dtype=np.int64)
    waiting = np.empty(n, dtype=np.int64)
    heap = np.empty(n, dtype=np.int64)
    size = 0
    for j in range(n):
        node_of[rank[j]] = j
        waiting[j] = pred_ptr[j + 1] - pred_ptr[j]
        if waiting[j] == 0:
            size = heap_push(heap, size, rank[j])
    order = np.empty(n, dtype=np.int64)
    for position in range(n):
        least, size = heap_pop(heap, size)
        j = node_of[least]
        order[position] = j
        for k in range(succ_ptr[j], succ_ptr[j + 1]):
            after = succ_node[k]
            waiting[after] -= 1
            if waiting[after] == 0:
                size = heap_push(heap, size, rank[after])
    return order


@njit(cache=True)
def order_by_key(key: Any, pred_ptr: Any, succ_ptr: Any, succ_node: Any) -> Any:
    """The eligible-first list for integer keys (least first); ties go to the lower index."""
    return order_by_rank(rank_of(key), pred_ptr, succ_ptr, succ_node)


@njit(cache=True)
def rank_of(key: Any) -> Any:
    by_key = np.argsort(key, kind="mergesort")
    rank = np.empty(key.shape[0], dtype=np.int64)
    for position in range(key.shape[0]):
        rank[by_key[position]] = position
    return rank


@njit(cache=True)
def repair(sequence: Any, pred_ptr: Any, pred_node: Any) -> Any:
    """`sequence` made a valid list: each activity is moved just after its last predecessor
    if it came before it (depth first). A valid sequence comes back unchanged."""
    n = sequence.shape[0]
    placed = np.zeros(n, dtype=np.bool_)
    cursor = pred_ptr[:-1].copy()
    stack = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    filled = 0
    for x in sequence:
        if placed[x]:
            continue
        stack[0] = x
        height = 1
        while height > 0:
            y = stack[height - 1]
            pushed = False
            while cursor[y] < pred_ptr[y + 1]:
                before = pred_node[cursor[y]]
                cursor[y] += 1
                if not placed[before]:
                    stack[height] = before
                    height += 1
                    pushed = True
                    break
            if not pushed:
                height -= 1
                placed[y] = True
                order[filled] = y
                filled += 1
    return order


@njit(cache=True)
def justify(order: Any, start: Any, makespan: int, inst: Any, horizon: int, out_start: Any) -> Any:
    """Forward-backward improvement of the schedule `start` of list `order` (makespan given).

    Returns (new list, makespan, late) with the new starts in `out_start`; two schedules."""
    duration, release, pin, demand_ptr, demand_resource, units, capacity = inst[:7]
    pred_ptr, pred_node, pred_lag, succ_ptr, succ_node, _, mirror_lag, calendar = inst[7:]
    n = order.shape[0]
    key = np.empty(n, dtype=np.int64)
    mirror_pin = np.empty(n, dtype=np.int64)
    for position in range(n):
        j = order[position]
        key[j] = (makespan - start[j] - duration[j]) * n + (n - 1 - position)
        mirror_pin[j] = NO_PIN if pin[j] == NO_PIN else makespan - pin[j] - duration[j]
    backward = repair(np.argsort(key), succ_ptr, succ_node)
    mirror = np.empty(n, dtype=np.int64)
    span, _ = serial_sgs(
        backward, duration, np.zeros(n, dtype=np.int64), mirror_pin, demand_ptr, demand_resource, units,
        capacity, mirrored(calendar, capacity, makespan), succ_ptr, succ_node, mirror_lag, horizon, mirror,
    )  # fmt: skip
    for position in range(n):
        j = backward[position]
        key[j] = (span - mirror[j] - duration[j]) * n + (n - 1 - position)
    forward = repair(np.argsort(key), pred_ptr, pred_node)
    new_span, late = serial_sgs(
        forward, duration, release, pin, demand_ptr, demand_resource, units, capacity, calendar,
        pred_ptr, pred_node, pred_lag, horizon, out_start,
    )  # fmt: skip
    return forward, new_span, late


@njit(cache=True)
def mirrored(calendar: Any, capacity: Any, makespan: int) -> Any:
    """The calendar seen backward from `makespan` (period t is makespan - 1 - t), for the
    right-justifying pass; before period 0 every resource has its capacity."""
    if calendar.shape[1] == 0:
        return calendar
    back = np.empty((capacity.shape[0], max(makespan, 0)), dtype=np.int64)
    for t in range(makespan):
        period = makespan - 1 - t
        for r in range(capacity.shape[0]):
            back[r, t] = calendar[r, period] if period < calendar.shape[1] else capacity[r]
    return back
