"""The hot loops of the critical path method, compiled by numba: the fast path for large networks.

Each kernel does what a numpy path in levels.py, passes.py or drivers.py does, in one compiled
loop instead of a numpy call per level, and gives the very same arrays: the numpy path stays the
reference (and runs wherever these do not: small networks, cycles, and the sweeps of a network
on several calendars). Only `fast_path.kernels()` imports this module, so numba loads when
fast_path.py says it pays, never on `import itpm.engine`.

- `levelled_sweep`: the out-edge rows (a counting sort of the links by predecessor, stable),
  Kahn's algorithm with a first-in first-out queue (a node is dequeued after every node of a
  lower level, so its level is one more than that of its last predecessor dequeued: the longest
  chain of links before it), and the sweep order: nodes by level, each level by node number,
  each node's links in link order. A network with a cycle returns `placed` < node count.
- `forward_sweep`, `backward_sweep`: the two passes, level by level, with the formulas of
  passes.py;
- `forward_constants`, `backward_constants`: what each link adds to the date it reads (cpm.py);
- `first_links`, `driving_links`: the driver search of drivers.py;
- `minimum_at`: np.minimum.at, for free float;
- `schedule_plain`, `distinct_texts`: the plain path's kernel and the duplicate-id check, from
  plain_kernels.py, loaded with these.

A helper compiled apart is called, not inlined: the per-node loops therefore stay in one
function (a call per node with a dozen array arguments cost ten times the loop itself).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from itpm.engine.plain_kernels import distinct_texts, schedule_plain  # noqa: F401  # loaded with these


@njit(cache=True)
def _out_rows(node_count, predecessor, successor):  # type: ignore[no-untyped-def]
    """Row starts per node, the links by predecessor (each node's in link order), and their
    successors in the same order, read in sequence afterwards. 32-bit: half the memory to
    scatter into (the caller keeps networks below 2**31 nodes and links)."""
    starts = np.zeros(node_count + 1, dtype=np.int32)
    for node in predecessor:
        starts[node + 1] += 1
    for node in range(node_count):
        starts[node + 1] += starts[node]
    fill = starts[:-1].copy()
    by_source = np.empty(len(predecessor), dtype=np.int32)
    targets = np.empty(len(predecessor), dtype=np.int32)
    for link in range(len(predecessor)):
        node = predecessor[link]
        row = fill[node]
        by_source[row] = link
        targets[row] = successor[link]
        fill[node] = row + 1
    return starts, by_source, targets


@njit(cache=True)
def _kahn(node_count, successor, starts, targets):  # type: ignore[no-untyped-def]
    """Level per node (-1 where never placed) and how many nodes were placed."""
    waiting = np.zeros(node_count, dtype=np.int32)
    for node in successor:
        waiting[node] += 1
    level = np.full(node_count, -1, dtype=np.int64)
    queue = np.empty(node_count, dtype=np.int32)
    tail = 0
    for node in range(node_count):
        if waiting[node] == 0:
            level[node] = 0
            queue[tail] = node
            tail += 1
    head = 0
    while head < tail:
        node = queue[head]
        head += 1
        for row in range(starts[node], starts[node + 1]):
            later = targets[row]
            waiting[later] -= 1
            if waiting[later] == 0:
                level[later] = level[node] + 1
                queue[tail] = later
                tail += 1
    return level, tail


@njit(cache=True)
def _by_level(level, levels):  # type: ignore[no-untyped-def]
    """Nodes by level, each level in node order (a stable counting sort), and each one's place."""
    count = len(level)
    first = np.zeros(levels + 1, dtype=np.int64)
    for node in range(count):
        first[level[node] + 1] += 1
    for depth in range(levels):
        first[depth + 1] += first[depth]
    order = np.empty(count, dtype=np.int64)
    place = np.empty(count, dtype=np.int64)
    for node in range(count):
        position = first[level[node]]
        order[position] = node
        place[node] = position
        first[level[node]] += 1
    return order, place


@njit(cache=True)
def levelled_sweep(node_count, predecessor, successor, kind):  # type: ignore[no-untyped-def]
    """Levels and the sweep order (levels.SweepOrder's arrays) in one go, and per link in
    sweep order its lag and flags, unpacked from `kind` (lag * 8 + flags, network._Links)."""
    starts, by_source, targets = _out_rows(node_count, predecessor, successor)
    level, placed = _kahn(node_count, successor, starts, targets)
    empty = np.zeros(0, dtype=np.int64)
    if placed < node_count:
        return level, placed, empty, empty, empty, empty, empty, empty, empty, np.zeros(0, np.int8)
    levels = level.max() + 1 if node_count else 0
    order, place = _by_level(level, levels)
    links = np.empty(len(predecessor), dtype=np.int64)
    target = np.empty(len(predecessor), dtype=np.int64)
    source = np.empty(len(predecessor), dtype=np.int64)
    lag = np.empty(len(predecessor), dtype=np.int64)
    flags = np.empty(len(predecessor), dtype=np.int8)
    degree = np.empty(node_count, dtype=np.int64)
    read = 0
    for position in range(node_count):
        node = order[position]
        degree[position] = starts[node + 1] - starts[node]
        for row in range(starts[node], starts[node + 1]):
            link = by_source[row]
            links[read] = link
            target[read] = place[targets[row]]
            source[read] = position
            lag[read] = kind[link] >> 3
            flags[read] = kind[link] & 7
            read += 1
    return level, placed, order, place, links, target, degree, source, lag, flags


@njit(cache=True)
def _push(first, stop, anchor, target, constant, out, held, flat, lowest):  # type: ignore[no-untyped-def]
    """Links first..stop-1 put their bound on their successor: the strongest, or with `lowest`
    the weakest (a gate that takes the earliest start of its leaves)."""
    for link in range(first, stop):
        bound = flat[anchor[link]] + constant[link]
        out[link] = bound
        node = target[link]
        if (bound < held[node]) if lowest else (bound > held[node]):
            held[node] = bound


@njit(cache=True)
def forward_sweep(  # type: ignore[no-untyped-def]
    level_starts, floor, cap, worked, resume, left, stretch, held, flat, capped, progressing,
    most_starts, most_anchor, most_target, most_constant, most_out,
    least_starts, least_anchor, least_target, least_constant, least_out,
):  # fmt: skip
    """passes._forward_numpy: settle each level, then push its links (`most`: the strongest
    bound holds; `least`: into a gate that takes the earliest start of its leaves)."""
    for level in range(len(level_starts) - 1):
        for node in range(level_starts[level], level_starts[level + 1]):
            start = max(floor[node], held[node])
            if capped:
                start = min(start, cap[node])
            finish = start + worked[node]
            if progressing:
                finish = max(finish, resume[node]) + left[node]
                finish = max(finish, held[node] + stretch[node])
            flat[2 * node] = start
            flat[2 * node + 1] = finish
        first, stop = most_starts[level], most_starts[level + 1]
        _push(first, stop, most_anchor, most_target, most_constant, most_out, held, flat, False)
        if len(least_anchor):
            first, stop = least_starts[level], least_starts[level + 1]
            _push(first, stop, least_anchor, least_target, least_constant, least_out, held, flat, True)


@njit(cache=True)
def backward_sweep(  # type: ignore[no-untyped-def]
    level_starts, link_starts, anchor, target, constant, upper, low, high, span, held, flat, clipped
):
    """passes._backward_numpy: each level pulls its links from their successors, then settles."""
    for level in range(len(level_starts) - 2, -1, -1):
        for link in range(link_starts[level], link_starts[level + 1]):
            bound = flat[anchor[link]] + constant[link]
            if bound < held[target[link]]:
                held[target[link]] = bound
        for node in range(level_starts[level], level_starts[level + 1]):
            finish = min(upper[node], held[node])
            if clipped:
                finish = min(max(finish, low[node]), high[node])
            flat[2 * node] = finish - span[node]
            flat[2 * node + 1] = finish


@njit(cache=True)
def minimum_at(values, index, update):  # type: ignore[no-untyped-def]
    """np.minimum.at(values, index, update), in place."""
    for row in range(len(index)):
        if update[row] < values[index[row]]:
            values[index[row]] = update[row]


@njit(cache=True)
def first_links(tight, link_number, order, source, target, moved, node_count, none, unset):  # type: ignore[no-untyped-def]
    """drivers.first_links: per node the first tight link into it by link_number, a link from
    a task moved late after all others (`moved` per node, or empty: none moved); `none` where
    no link is tight."""
    links = len(link_number)
    first = np.full(node_count, unset, dtype=np.int64)
    late = len(moved) > 0
    for link in tight:
        rank = link_number[link]
        if late and moved[order[source[link]]]:
            rank += links
        rank = rank * links + link
        node = order[target[link]]
        if rank < first[node]:
            first[node] = rank
    for node in range(node_count):
        first[node] = none if first[node] == unset else first[node] % max(links, 1)
    return first


@njit(cache=True)
def driving_links(code, first, order, source, flags, link_code, none, wire, gate_edge):  # type: ignore[no-untyped-def]
    """drivers.drivers: per node driven by a link (code == link_code), the driving node and the
    link's type (network.type_of); `none` elsewhere."""
    raw = np.full(len(code), none, dtype=np.int64)
    link_type = np.full(len(code), none, dtype=np.int64)
    for node in range(len(code)):
        if code[node] == link_code:
            link = first[node]
            raw[node] = order[source[link]]
            link_type[node] = gate_edge if flags[link] & wire else (flags[link] & 3) ^ 1
    return raw, link_type


@njit(cache=True)
def backward_constants(lag, flags, source, span, from_finish):  # type: ignore[no-untyped-def]
    """cpm._Sweeps.backward: per link -lag, plus the predecessor's span for a link from its start."""
    constant = np.empty(len(lag), dtype=np.int64)
    for link in range(len(lag)):
        constant[link] = -lag[link]
        if not flags[link] & from_finish:
            constant[link] += span[source[link]]
    return constant


@njit(cache=True)
def forward_constants(lag, flags, target, order, duration, to_finish):  # type: ignore[no-untyped-def]
    """cpm._Sweeps: per link its lag, less the successor's duration for a link to its finish."""
    constant = lag.copy()
    for link in range(len(lag)):
        if flags[link] & to_finish:
            constant[link] -= duration[order[target[link]]]
    return constant
