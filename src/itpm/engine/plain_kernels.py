"""A plain network scheduled in a few compiled loops, from the input columns to the results.

Plain: no summaries, no constraints, deadlines, progress or levelling delays, every task on one
calendar, scheduled forward (plain_path.py says when). Then the critical path method needs no
layout by level: any topological order gives the same dates, and Kahn's algorithm makes one
while the forward pass runs in it. So, where the general path (levels.py, passes.py, drivers.py)
makes some thirty whole-network arrays, these loops make a handful:

1. `_count_links`, `_out_rows`: the links by predecessor (a stable counting sort) into 32-bit
   rows of successor, constant and flags packed (the constant: what the link adds to the date
   it counts from to bound its successor's start, so no pass looks a duration up) and link
   number. Any value the engine would refuse, or one so large that 32 bits or the engine's
   stand-ins LOW and HIGH could not hold it, stops here;
2. `_forward`: Kahn's algorithm with the forward pass inside: a task leaves the queue with its
   start settled and pushes its bound to each successor; its level comes from its place in
   the queue;
3. `_backward`: the queue read in reverse: late dates pulled from the successors, and in the
   same reading of the links the free float (each link's slack) and each task's first tight
   link (the first given, of those with no slack), which drives it;
4. `_drivers` and `_critical_path`: float, driver codes, and one longest path;
5. `distinct_texts`: the duplicate-id check where the kernels run (fast_path.distinct).

Each is called once per schedule; the loops over nodes and links stay inside them. The numbers
are those of cpm.py, drivers.py and results.py on the same network, bit for bit
(tests/engine/test_plain_path.py compares them on random plain networks).
"""

from __future__ import annotations

import numpy as np
from numba import njit

LIMIT = 1 << 26  # durations and lags: a link's constant fits in 32 bits with its flags
DATE_LIMIT = 1 << 38  # dates stay far from the stand-ins LOW and HIGH (2**40) and their sums
NONE = -1
PROJECT_START, LINK, STATUS_DATE = 0, 1, 3  # drivers.DRIVERS
SCHEDULED, REFUSED, CYCLE = 0, 1, 2
EARLY_START, EARLY_FINISH, LATE_START, LATE_FINISH = range(4)  # the columns of `dates`
FROM_FINISH, TO_FINISH = 1, 2  # network.py's flags: a link of type t has flags t ^ 1
NO_LINK = np.iinfo(np.int64).max


@njit(cache=True)
def _count_links(task_count, predecessor):  # type: ignore[no-untyped-def]
    """Per task its out-degree, at starts[task + 1]; ok False: a link from no task."""
    starts = np.zeros(task_count + 1, dtype=np.int32)
    for task in predecessor:
        if task < 0 or task >= task_count:
            return False, starts
        starts[task + 1] += 1
    return True, starts


@njit(cache=True)
def _out_rows(starts, durations, predecessor, successor, link_type, lag, percent):  # type: ignore[no-untyped-def]
    """The links by predecessor, each task's in input order (a stable counting sort): rows
    starts[v]:starts[v + 1] of [successor, constant * 4 + flags, link number]. A link's
    constant is what it adds to the date it counts from to bound its successor's start: its
    lag (percentages applied), less the successor's duration for a link to a finish. Also
    per task its in-degree; ok False: refused. `starts` holds the out-degrees, made the row
    starts on the way."""
    count, links = len(durations), len(predecessor)
    rows = np.empty((links, 3), dtype=np.int32)
    waiting = np.zeros(count, dtype=np.int32)
    for task in range(count):
        if durations[task] < 0 or durations[task] >= LIMIT:
            return False, rows, waiting
        starts[task + 1] += starts[task]
    for link in range(links):
        before, after, type_ = predecessor[link], successor[link], link_type[link]
        if after < 0 or after >= count or before == after or type_ < 0 or type_ > 3:
            return False, rows, waiting
        units = lag[link]
        if len(percent) and not np.isnan(percent[link]):
            if np.isinf(percent[link]):
                return False, rows, waiting
            share = np.rint(durations[before] * percent[link] / 100)  # as network._Links.read
            units = np.int64(share) if abs(share) < LIMIT else LIMIT
        if units <= -LIMIT or units >= LIMIT:
            return False, rows, waiting
        flags = type_ ^ 1
        units -= durations[after] * (flags >> 1)  # to a finish: a multiply, not a branch
        row = starts[before]  # the task's next free row: its start moves on as its rows fill
        rows[row, 0], rows[row, 1], rows[row, 2] = after, units * 4 + flags, link
        starts[before] = row + 1
        waiting[after] += 1
    for task in range(count, 0, -1):  # each start moved on to the next task's: move them back
        starts[task] = starts[task - 1]
    starts[0] = 0
    return True, rows, waiting


@njit(cache=True)
def _forward(durations, floor, starts, rows, waiting):  # type: ignore[no-untyped-def]
    """Kahn's algorithm (first in, first out), each task's early dates settled as it leaves the
    queue, then pushed to its successors. Returns how many were placed (fewer than the tasks:
    a cycle), the queue (a topological order), the level of each task in it, and `dates`, the
    early columns filled in.

    First in, first out, a task leaves the queue after every task of a lower level, so its
    level (the longest chain of links before it) is one more than that of the predecessor
    that put it in the queue, the last to leave. Each successor is written at the tail
    whether it is ready or not, and the tail moves on only if it is: no branch to mispredict."""
    count = len(durations)
    queue = np.empty(count + 1, dtype=np.int32)
    level = np.zeros(count + 1, dtype=np.int32)
    dates = np.empty((count, 4), dtype=np.int64)
    held = np.full(count, floor, dtype=np.int64)
    tail = 0
    for task in range(count):
        queue[tail] = task
        tail += waiting[task] == 0
    for head in range(count):
        if head == tail:
            return head, queue, level, dates, held
        task = queue[head]
        start = held[task]
        finish = start + durations[task]
        dates[task, EARLY_START], dates[task, EARLY_FINISH] = start, finish
        deeper = level[head] + 1
        for row in range(starts[task], starts[task + 1]):
            later, packed = rows[row, 0], rows[row, 1]
            bound = (finish if packed & FROM_FINISH else start) + (packed >> 2)
            held[later] = max(held[later], bound)
            waiting[later] -= 1
            queue[tail], level[tail] = later, deeper
            tail += waiting[later] == 0
    return count, queue, level, dates, held


@njit(cache=True)
def _backward(durations, finish, queue, starts, rows, dates, free):  # type: ignore[no-untyped-def]
    """Late dates, free float, and each task's first tight link, the queue read backwards:
    every successor is settled before its predecessors read it.

    A link's slack is its successor's early start less the bound it puts on it. A link with
    no slack is tight: it holds its successor at its start (above the floor: else every link
    has slack). Of a task's tight links the first given drives it: `first` keeps the least
    key, the link number * 2**32 + its predecessor * 4 + its flags (NO_LINK: none), taken
    with a minimum on every link rather than a branch on tightness, which no predictor
    guesses. `free` is written over (the forward pass's memory, used up)."""
    count = len(durations)
    first = np.full(count, NO_LINK, dtype=np.int64)
    for place in range(count - 1, -1, -1):
        task = queue[place]
        span = durations[task]
        start, own_finish = dates[task, EARLY_START], dates[task, EARLY_FINISH]
        latest, slack = finish, finish - own_finish
        for row in range(starts[task], starts[task + 1]):
            later, packed = rows[row, 0], rows[row, 1]
            constant, from_finish = packed >> 2, packed & FROM_FINISH
            # On the successor's late start, less the constant: the date it counts from.
            bound = dates[later, LATE_START] - constant + (0 if from_finish else span)
            latest = min(latest, bound)
            link_slack = dates[later, EARLY_START] - (own_finish if from_finish else start) - constant
            slack = min(slack, link_slack)
            key = (np.int64(rows[row, 2]) << 32) | (task * 4 + (packed & 3))
            first[later] = min(first[later], key if link_slack == 0 else NO_LINK)
        dates[task, LATE_START], dates[task, LATE_FINISH] = latest - span, latest
        free[task] = max(slack, 0)
    return free, first


@njit(cache=True)
def _drivers(dates, first, status):  # type: ignore[no-untyped-def]
    """Total float, critical, and per task what drives its start: its first tight link (then
    the predecessor and link type), the status date, or the project start. The total float is
    written over `first`, read as it goes: memory used up, rather than fresh memory."""
    count = len(dates)
    total = first
    critical = np.empty(count, dtype=np.bool_)
    code = np.empty(count, dtype=np.int64)
    driving = np.empty(count, dtype=np.int64)
    driving_type = np.empty(count, dtype=np.int64)
    for task in range(count):
        key = first[task]
        total[task] = dates[task, LATE_START] - dates[task, EARLY_START]
        critical[task] = total[task] <= 0
        driving[task] = driving_type[task] = NONE
        if key != NO_LINK:
            code[task] = LINK
            driving[task], driving_type[task] = (key & 0xFFFFFFFF) >> 2, (key & 3) ^ 1
        elif dates[task, EARLY_START] == status:
            code[task] = STATUS_DATE
        else:
            code[task] = PROJECT_START
    return total, critical, code, driving, driving_type


@njit(cache=True)
def _critical_path(dates, total, queue, level, driving, finish):  # type: ignore[no-untyped-def]
    """One longest path, first task first: from the task that ends the project with the least
    float (of equals, the last in level order, so the path runs on to a finish milestone)
    back through the driving links."""
    end, end_level = NONE, 0
    for place in range(len(dates)):
        task = queue[place]
        if dates[task, EARLY_FINISH] != finish:
            continue
        later = level[place] > end_level or (level[place] == end_level and task > end)
        if end == NONE or total[task] < total[end] or (total[task] == total[end] and later):
            end, end_level = task, level[place]
    path = np.empty(len(dates), dtype=np.int64)
    length = 0
    while end != NONE:
        path[length] = end
        length += 1
        end = driving[end]
    return path[:length][::-1].copy()


@njit(cache=True)
def schedule_plain(durations, predecessor, successor, link_type, lag, percent, floor, status):  # type: ignore[no-untyped-def]
    """Every result column of a plain network (one task at least), in task order: `dates`
    (early and late start and finish), total and free float, critical, driver code, driving
    task and link type; the project finish, the critical path; the queue (a topological
    order) and each task's level in it.

    `floor` is the project start (or the status date, if later), `status` the status date
    (floor - 1 if none: no task starts before the floor). The outcome comes first: SCHEDULED;
    or REFUSED (a value the engine refuses, or one too large for these loops) or CYCLE, and
    the general path must take over (and raise the engine's error)."""
    ok, starts = _count_links(len(durations), predecessor)
    if ok:
        ok, rows, waiting = _out_rows(starts, durations, predecessor, successor, link_type, lag, percent)
    if not ok:
        return REFUSED, _no_columns(), 0, np.zeros(0, np.int64), _no_order()
    placed, queue, level, dates, held = _forward(durations, floor, starts, rows, waiting)
    if placed < len(durations):
        return CYCLE, _no_columns(), 0, np.zeros(0, np.int64), _no_order()
    finish = floor
    for task in range(len(durations)):
        finish = max(finish, dates[task, EARLY_FINISH])
    if finish >= DATE_LIMIT:
        return REFUSED, _no_columns(), 0, np.zeros(0, np.int64), _no_order()
    free, first = _backward(durations, finish, queue, starts, rows, dates, held)
    total, critical, code, driving, driving_type = _drivers(dates, first, status)
    path = _critical_path(dates, total, queue, level, driving, finish)
    columns = (dates, total, free, critical, code, driving, driving_type)
    return SCHEDULED, columns, finish, path, (queue[:-1], level[:-1])


@njit(cache=True)
def _no_columns():  # type: ignore[no-untyped-def]
    values = np.zeros(0, np.int64)
    return np.zeros((0, 4), np.int64), values, values, np.zeros(0, np.bool_), values, values, values


@njit(cache=True)
def _no_order():  # type: ignore[no-untyped-def]
    return np.zeros(0, np.int32), np.zeros(0, np.int32)


@njit(cache=True)
def distinct_texts(data, count):  # type: ignore[no-untyped-def]
    """Whether the `count` texts in `data` (UTF-8, each ended by a zero byte but the last) are
    all different; None if `data` does not hold `count` texts (a text with a zero byte in it).

    An open-addressing hash table of the texts' starts; texts with the same hash are compared
    byte by byte, so the answer is exact."""
    starts = np.empty(count + 1, dtype=np.int64)
    found = 1
    starts[0] = 0
    for place in range(len(data)):
        if data[place] == 0:
            if found == count:
                return None
            starts[found] = place + 1
            found += 1
    if found != count:
        return None
    starts[count] = len(data) + 1
    size = 1 << 4
    while size < 2 * count:
        size <<= 1
    table = np.full(size, -1, dtype=np.int32)  # the number of the text in each slot; -1: none
    for text in range(count):
        first, stop = starts[text], starts[text + 1] - 1
        slot = _hash(data, first, stop) & (size - 1)
        while table[slot] != -1:
            if _same(data, starts, table[slot], first, stop):
                return False
            slot = (slot + 1) & (size - 1)
        table[slot] = text
    return True


@njit(cache=True, inline="always")
def _hash(data, first, stop):  # type: ignore[no-untyped-def]
    """FNV-1a over the bytes, 64 bits."""
    value = np.uint64(14695981039346656037)
    for place in range(first, stop):
        value = (value ^ np.uint64(data[place])) * np.uint64(1099511628211)
    return np.int64(value >> np.uint64(1))


@njit(cache=True, inline="always")
def _same(data, starts, other, first, stop):  # type: ignore[no-untyped-def]
    begin, length = starts[other], stop - first
    if starts[other + 1] - 1 - begin != length:
        return False
    same = 0
    while same < length and data[begin + same] == data[first + same]:
        same += 1
    return same == length
