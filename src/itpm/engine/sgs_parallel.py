"""The parallel schedule generation scheme (docs/levelling.md), apart from sgs.py's serial one.

It shares sgs.py's resource profiles, heaps and conventions: time moves forward from decision
point to decision point, and at each the activities that may start there are started in
priority order while they fit. Decision points are finishes, the starts and finishes of fixed
activities, the earliest starts of waiting activities, and the periods in which a resource
calendar changes a capacity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from itpm.engine.sgs import NEVER, NO_PIN, book_pins, fits, heap_pop, heap_push, njit, take, widen


@njit(cache=True)
def parallel_sgs(
    rank: Any,
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
    succ_ptr: Any,
    succ_node: Any,
    succ_lag: Any,
    horizon: int,
    start: Any,
) -> Any:
    """Schedule by time: at each decision point start what fits, least rank first. Decision
    points are finishes, pin starts and finishes, and the earliest starts of waiting activities.
    Returns (makespan, late) like serial_sgs.

    Activities whose predecessors are all scheduled wait in `pending` (by earliest start) until
    time reaches them, then in `ready` (by rank). Starting one only uses capacity up, so at one
    decision point an activity that did not fit is not looked at again."""
    n = rank.shape[0]
    free, _ = book_pins(horizon, pin, duration, demand_ptr, demand_resource, units, capacity, calendar)
    waiting = pred_ptr[1:] - pred_ptr[:-1]
    earliest = release.copy()
    ready = np.empty(n, dtype=np.int64)
    pending = np.empty(n, dtype=np.int64)  # heap of earliest * n + activity
    periods = calendar.shape[1]
    events = np.empty(3 * n + 3 + periods, dtype=np.int64)  # heap: finishes, pin and calendar edges
    count, waits, size = 0, 0, 0
    t, done, makespan, late = 0, 0, 0, 0
    fixed = np.empty(n, dtype=np.int64)  # a stack of fixed activities now eligible
    stacked = 0
    for t_edge in range(1, periods + 1):  # where a calendar changes a capacity, things may fit
        for r in range(capacity.shape[0]):
            after = capacity[r] if t_edge == periods else calendar[r, t_edge]
            if after != calendar[r, t_edge - 1]:
                size = heap_push(events, size, t_edge)
                break
    for j in range(n):
        if pin[j] != NO_PIN:
            size = heap_push(events, size, pin[j])
            size = heap_push(events, size, pin[j] + duration[j])
        if waiting[j] == 0:
            if pin[j] != NO_PIN:
                fixed[stacked] = j
                stacked += 1
            else:
                waits = heap_push(pending, waits, earliest[j] * n + j)
    while done < n:
        while waits > 0 and pending[0] // n <= t:
            value, waits = heap_pop(pending, waits)
            count, _ = _insert(ready, count, value % n, rank)
        i = 0
        while i < count or stacked > 0:
            if stacked > 0:
                stacked -= 1
                j = fixed[stacked]
                at = pin[j]
                late += earliest[j] > at
            else:
                j = ready[i]
                free = widen(free, capacity, calendar, t + duration[j] + 1)
                if not fits(free, j, t, duration, demand_ptr, demand_resource, units):
                    i += 1
                    continue
                at = t
                take(free, j, at, duration, demand_ptr, demand_resource, units)
                ready[i : count - 1] = ready[i + 1 : count]
                count -= 1
                size = heap_push(events, size, at + duration[j])
            start[j] = at
            done += 1
            makespan = max(makespan, at + duration[j])
            for k in range(succ_ptr[j], succ_ptr[j + 1]):
                after = succ_node[k]
                earliest[after] = max(earliest[after], at + succ_lag[k])
                waiting[after] -= 1
                if waiting[after] > 0:
                    continue
                if pin[after] != NO_PIN:
                    fixed[stacked] = after
                    stacked += 1
                elif earliest[after] <= t:
                    count, place = _insert(ready, count, after, rank)
                    i = min(i, place)
                else:
                    waits = heap_push(pending, waits, earliest[after] * n + after)
        while size > 0 and events[0] <= t:
            _, size = heap_pop(events, size)
        following = pending[0] // n if waits > 0 else NEVER
        if size > 0:
            following = min(following, events[0])
        t = following if following != NEVER else t + 1
    return makespan, late


@njit(cache=True)
def _insert(eligible: Any, count: int, j: int, rank: Any) -> Any:
    """Insert j into eligible[:count], kept sorted by rank; returns the new count and j's place."""
    place = count
    while place > 0 and rank[eligible[place - 1]] > rank[j]:
        eligible[place] = eligible[place - 1]
        place -= 1
    eligible[place] = j
    return count + 1, place
