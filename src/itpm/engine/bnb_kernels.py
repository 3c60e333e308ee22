"""The compiled search of the branch and bound (bnb.py): depth first, resumable, no clock.

A node is a partial schedule built in the order of start times: each branch starts one more
activity whose predecessors have all started, at its earliest time that the links and the
resources allow and that is no earlier than the last start (Patterson's precedence tree). A
branch is cut when

- its start ties the last one but its topological rank is lower (the same schedule comes in
  the other order);
- the activity would fit one period earlier (local left shift: the schedule is not active);
- a lower bound reaches the best makespan: the longest path to the end from each activity's
  earliest start, or a resource's remaining work packed into its free capacity from then on;
- a partial schedule of the same activities seen before started no later and leaves nothing
  later for the rest (the cutset rule of Demeulemeester and Herroelen), kept in a hash table.

All state lives in arrays that the caller keeps, so a slice of `nodes` nodes returns and the
next call carries on where it stopped (budgets count nodes, never time).
"""

from __future__ import annotations

import numpy as np

from itpm.engine.sgs import njit

# The state vector's fields.
DEPTH, BEST, NODES, DONE, STAMP = 0, 1, 2, 3, 4
DEAD, BOUNDED, DOMINATED = 5, 6, 7
STATE_FIELDS = 8
# A bucket holds this many cutsets; a full one forgets its oldest. Measured on j3013_4 with
# 64 MB: 4 to a bucket 2.3 M nodes, 16 1.2 M, 64 0.67 M; keeping the shallowest instead of the
# newest (the larger searches to redo) 2.7-3.1 M at 8 to a bucket, against 1.6 M for the newest.
# Tags of the whole hash with first-in-first-out replacement (a bucket read in one array):
# 2.5 times the nodes on j3029_9, no faster a node.
BUCKET = 64
FAR = 1 << 40


@njit(cache=True, nogil=True)
def search(net, res, tables, state, nodes):  # type: ignore[no-untyped-def]
    """Run up to `nodes` more nodes; state[DONE] becomes 1 when the search is complete (the best
    makespan in state[BEST] is then optimal). Returns the number of nodes run."""
    ran = 0
    while ran < nodes and state[DONE] == 0:
        depth = state[DEPTH]
        if tables.pos[depth] >= tables.children[depth]:
            if depth == 0:
                state[DONE] = 1
                break
            _undo(net, res, tables, depth - 1)
            state[DEPTH] = depth - 1
            continue
        slot = tables.pos[depth]
        tables.pos[depth] += 1
        j, start = tables.cand[depth, slot], tables.cand_start[depth, slot]
        if start + net.tail[j] >= state[BEST]:
            continue
        _place(net, res, tables, depth, j, start)
        state[DEPTH] = depth + 1
        ran += 1
        _expand(net, res, tables, state, depth + 1, start, net.rank[j])
    state[NODES] += ran
    return ran


@njit(cache=True, nogil=True)
def _place(net, res, tables, depth, j, start):  # type: ignore[no-untyped-def]
    tables.order[depth] = j
    tables.start[j] = start
    tables.word[j >> 6] |= np.uint64(1) << np.uint64(j & 63)
    for k in range(net.succ_ptr[j], net.succ_ptr[j + 1]):
        tables.waiting[net.succ_node[k]] -= 1
    _book(net, res, j, start, 1)


@njit(cache=True, nogil=True)
def _undo(net, res, tables, depth):  # type: ignore[no-untyped-def]
    j = tables.order[depth]
    _book(net, res, j, tables.start[j], -1)
    for k in range(net.succ_ptr[j], net.succ_ptr[j + 1]):
        tables.waiting[net.succ_node[k]] += 1
    tables.word[j >> 6] &= ~(np.uint64(1) << np.uint64(j & 63))
    tables.start[j] = -1


@njit(cache=True, nogil=True)
def _book(net, res, j, start, sign):  # type: ignore[no-untyped-def]
    for k in range(net.demand_ptr[j], net.demand_ptr[j + 1]):
        r, units = net.demand_resource[k], net.demand_units[k]
        for t in range(start, start + net.duration[j]):
            res.usage[r, t] += sign * units


@njit(cache=True, nogil=True)
def begin(net, res, tables, state):  # type: ignore[no-untyped-def]
    """The root: nothing placed yet."""
    _expand(net, res, tables, state, 0, 0, -1)


@njit(cache=True, nogil=True)
def _expand(net, res, tables, state, depth, now, rank):  # type: ignore[no-untyped-def]
    """Children of the node at `depth` (its activities placed, the last at `now` with topological
    `rank`), or none when it is a leaf, dead, bounded or dominated."""
    tables.pos[depth] = 0
    tables.children[depth] = 0
    n = net.duration.shape[0]
    if depth == n:
        _leaf(net, tables, state)
        return
    if not _children(net, res, tables, state, depth, now, rank):
        tables.children[depth] = 0
        state[DEAD] += 1
        return
    if _lower_bound(net, res, tables, state, now) >= state[BEST]:
        tables.children[depth] = 0
        state[BOUNDED] += 1
        return
    if depth > 0 and _dominated(net, tables, state, depth, now, rank):
        tables.children[depth] = 0
        state[DOMINATED] += 1


@njit(cache=True, nogil=True)
def _leaf(net, tables, state):  # type: ignore[no-untyped-def]
    span = 0
    for j in range(net.duration.shape[0]):
        span = max(span, tables.start[j] + net.duration[j])
    if span < state[BEST]:
        state[BEST] = span
        tables.best[:] = tables.start
        if span <= net.lower:
            state[DONE] = 1


@njit(cache=True, nogil=True)
def _children(net, res, tables, state, depth, now, rank):  # type: ignore[no-untyped-def]
    """Each eligible activity at its earliest feasible start from `now`, sorted; False when some
    activity can no longer start in time (the node is dead). Fills tables.early for the bound."""
    count = 0
    for j in range(net.duration.shape[0]):
        if tables.start[j] >= 0 or tables.waiting[j] > 0:
            continue
        ready = net.release[j]
        for k in range(net.pred_ptr[j], net.pred_ptr[j + 1]):
            ready = max(ready, tables.start[net.pred_node[k]] + net.pred_lag[k])
        start = _earliest(net, res, j, max(ready, now), state[BEST] - net.tail[j])
        if start < 0:
            return False
        tables.early[j] = start
        if start == now and net.rank[j] < rank:
            continue  # the same schedule, placed in rank order
        if start > ready and _fits(net, res, j, start - 1):
            if net.duration[j] == 0:
                return False  # it would start late whenever it is placed: no active schedule here
            continue
        _insert(net, tables, depth, count, j, start)
        count += 1
    tables.children[depth] = count
    return True


@njit(cache=True, nogil=True)
def _insert(net, tables, depth, count, j, start):  # type: ignore[no-untyped-def]
    """Keep the children sorted by start, then longest tail first."""
    at = count
    while at > 0:
        other, other_start = tables.cand[depth, at - 1], tables.cand_start[depth, at - 1]
        if other_start < start or (other_start == start and net.tail[other] >= net.tail[j]):
            break
        tables.cand[depth, at] = other
        tables.cand_start[depth, at] = other_start
        at -= 1
    tables.cand[depth, at] = j
    tables.cand_start[depth, at] = start


@njit(cache=True, nogil=True)
def _earliest(net, res, j, start, before):  # type: ignore[no-untyped-def]
    """The earliest start from `start` that the resources allow, or -1 if not below `before`."""
    t = start
    while t < before:
        clash = -1
        for k in range(net.demand_ptr[j], net.demand_ptr[j + 1]):
            r, units = net.demand_resource[k], net.demand_units[k]
            for u in range(t + net.duration[j] - 1, t - 1, -1):
                if res.usage[r, u] + units > res.capacity[r]:
                    clash = max(clash, u)
                    break
        if clash < 0:
            return t
        t = clash + 1
    return -1


@njit(cache=True, nogil=True)
def _fits(net, res, j, t):  # type: ignore[no-untyped-def]
    if net.duration[j] == 0:
        return True
    for k in range(net.demand_ptr[j], net.demand_ptr[j + 1]):
        if res.usage[net.demand_resource[k], t] + net.demand_units[k] > res.capacity[net.demand_resource[k]]:
            return False
    return True


@njit(cache=True, nogil=True)
def _lower_bound(net, res, tables, state, now):  # type: ignore[no-untyped-def]
    """The longest of: each unplaced activity's earliest start (links from the placed ones and
    through the unplaced, resources for the eligible) plus its tail; and per resource, the
    remaining work packed into its free capacity from the earliest start of any of it."""
    bound = 0
    for j in net.topological:
        if tables.start[j] >= 0:
            bound = max(bound, tables.start[j] + net.tail[j])
            continue
        early = max(now, net.release[j])
        if tables.waiting[j] == 0:
            early = max(early, tables.early[j])
        for k in range(net.pred_ptr[j], net.pred_ptr[j + 1]):
            p = net.pred_node[k]
            early = max(
                early, (tables.start[p] if tables.start[p] >= 0 else tables.early[p]) + net.pred_lag[k]
            )
        tables.early[j] = early
        bound = max(bound, early + net.tail[j])
    if bound >= state[BEST]:
        return bound
    return max(bound, _work_bound(net, res, tables, state))


@njit(cache=True, nogil=True)
def _work_bound(net, res, tables, state):  # type: ignore[no-untyped-def]
    bound = 0
    for r in range(res.capacity.shape[0]):
        work, first = 0, FAR
        for k in range(res.user_ptr[r], res.user_ptr[r + 1]):
            j = res.user[k]
            if tables.start[j] < 0:
                work += net.duration[j] * res.user_units[k]
                first = min(first, tables.early[j])
        t = first
        horizon = res.usage.shape[1]
        while work > 0 and t < horizon:
            work -= res.capacity[r] - res.usage[r, t]
            t += 1
        if work > 0 or (first < FAR and _overloaded(net, res, tables, r, first, state[BEST] - 1)):
            return FAR
        bound = max(bound, t if first < FAR else 0)
    return bound


@njit(cache=True, nogil=True)
def _overloaded(net, res, tables, r, first, last):  # type: ignore[no-untyped-def]
    """Whether the work that must finish by each latest finish (for a makespan of `last`)
    exceeds the resource's free capacity from `first` until then: users come in order of
    latest finish. (Windows opening later too, an overload check over all of them, cut the
    nodes of j3013_4 by 1 % for 50 % more time per node: not worth it.)"""
    t, free, work = first, 0, 0
    for k in range(res.user_ptr[r], res.user_ptr[r + 1]):
        j = res.user[k]
        if tables.start[j] >= 0:
            continue
        work += net.duration[j] * res.user_units[k]
        finish = last - net.tail[j] + net.duration[j]
        while t < finish:
            free += res.capacity[r] - res.usage[r, t]
            t += 1
        if work > free:
            return True
    return False


@njit(cache=True, nogil=True)
def _hash(tables):  # type: ignore[no-untyped-def]
    h = np.uint64(1469598103934665603)
    for w in range(tables.word.shape[0]):
        h = (h ^ tables.word[w]) * np.uint64(1099511628211)
        h ^= h >> np.uint64(29)
    return h


@njit(cache=True, nogil=True)
def _dominated(net, tables, state, depth, now, rank):  # type: ignore[no-untyped-def]
    """The cutset rule: True when a stored partial schedule of the same activities dominates
    this one; otherwise this one is stored, over one it dominates, or a free entry, or the
    bucket's oldest."""
    buckets = tables.key.shape[0] // BUCKET
    first = int(_hash(tables) % np.uint64(buckets)) * BUCKET
    free, oldest = -1, -1
    for e in range(first, first + BUCKET):
        if tables.stamp[e] == 0:
            free = e if free < 0 else free
        elif _same_set(tables, e) and _covers(net, tables, e, depth, now, rank, 1):
            return True
        elif _same_set(tables, e) and _covers(net, tables, e, depth, now, rank, -1):
            free = e  # this node dominates the stored one: take its place
        elif oldest < 0 or tables.stamp[e] < tables.stamp[oldest]:
            oldest = e
    _store(net, tables, state, free if free >= 0 else oldest, now, rank)
    return False


@njit(cache=True, nogil=True)
def _same_set(tables, e):  # type: ignore[no-untyped-def]
    for w in range(tables.word.shape[0]):  # noqa: SIM110 - a loop compiles, `all` of a generator does not
        if tables.key[e, w] != tables.word[w]:
            return False
    return True


@njit(cache=True, nogil=True)
def _covers(net, tables, e, depth, now, rank, way):  # type: ignore[no-untyped-def]
    """way 1: the stored schedule e dominates the current one; -1: the other way round. The
    dominating one is no later, and each of its activities starts by the time the other's
    start or the other's present, less the activity's reach (its duration or longest lag),
    so that every completion of the other fits it as well."""
    then, before = tables.stored_at[e], tables.stored_rank[e]
    if way == 1 and (then > now or (then == now and before > rank)):
        return False
    if way == -1 and (now > then or (now == then and rank > before)):
        return False
    mine = now if way == 1 else then
    for i in range(depth - 1, -1, -1):  # the latest starts first: they are the likeliest to fail
        j = tables.order[i]
        stored, current = tables.stored_start[e, j], tables.start[j]
        better, worse = (stored, current) if way == 1 else (current, stored)
        if better > max(worse, mine - net.reach[j]):
            return False
    return True


@njit(cache=True, nogil=True)
def _store(net, tables, state, e, now, rank):  # type: ignore[no-untyped-def]
    state[STAMP] += 1
    tables.stamp[e] = state[STAMP]
    tables.stored_at[e] = now
    tables.stored_rank[e] = rank
    for w in range(tables.word.shape[0]):
        tables.key[e, w] = tables.word[w]
    for j in range(net.duration.shape[0]):
        tables.stored_start[e, j] = tables.start[j]
