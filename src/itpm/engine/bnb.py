"""An exact branch and bound for the makespan, which proves optima that CP-SAT proves slowly.

The method (the search itself is in bnb_kernels.py): depth first over partial schedules built
in the order of start times, each activity at its earliest feasible start (Patterson's
precedence tree, as Sprecher 2000 refines it), with the dominance rules that make such searches
solve the small PSPLIB sets: local left shift, ties in a fixed order, and the cutset rule of
Demeulemeester and Herroelen (1992) kept in a bounded hash table; lower bounds from the longest
path to the end and from each resource's remaining work. It looks only for schedules shorter
than the one it is given, so that when it completes, the best it found (or the one given) is
optimal.

It takes what the search supports: renewable resources with fixed capacities, links that are
start-to-start lags of zero or more (finish-to-start is a lag of the duration), releases and
activities of zero duration. Problems with fixed activities, resource calendars, negative lags
or more than MAX_ACTIVITIES activities are left to CP-SAT (`prover` returns None).

Budgets count nodes, so a run is repeatable; the caller checks the clock between slices.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from itpm.engine import bnb_kernels as kernels
from itpm.engine.rcpsp_arrays import Instance, IntArray
from itpm.engine.sgs import HAVE_NUMBA, NO_PIN

# Beyond this the search rarely completes, and CP-SAT wants both workers to find schedules: on
# generated 60-activity projects (PSPLIB-like, 4 resources) a 10 s run with it beside found
# 139 where CP-SAT's two workers found 138.
MAX_ACTIVITIES = 40
TABLE_BYTES = 256 << 20  # the cutset table's memory, at most (touched only as it fills)


class Network(NamedTuple):
    duration: IntArray
    release: IntArray
    rank: IntArray  # position in a topological order: ties between equal starts go by it
    tail: IntArray  # longest path from the activity's start to the end of the project
    reach: IntArray  # the longer of its duration and its longest lag to a successor
    topological: IntArray
    pred_ptr: IntArray
    pred_node: IntArray
    pred_lag: IntArray
    succ_ptr: IntArray
    succ_node: IntArray
    demand_ptr: IntArray
    demand_resource: IntArray
    demand_units: IntArray
    lower: int  # a proven bound: a schedule this short ends the search


class Resources(NamedTuple):
    capacity: IntArray
    usage: IntArray  # (resources, periods) booked by the placed activities
    user_ptr: IntArray  # per resource, the activities that need it, and their units
    user: IntArray
    user_units: IntArray


class Tables(NamedTuple):
    start: IntArray  # per activity, -1 while unplaced
    word: np.ndarray  # the placed set as bits
    waiting: IntArray  # predecessors not yet placed
    order: IntArray  # the activity placed at each depth
    early: IntArray
    cand: IntArray  # (depth, children): the branches of each node on the path
    cand_start: IntArray
    pos: IntArray
    children: IntArray  # how many branches each node on the path has
    best: IntArray
    key: np.ndarray  # the cutset table: placed set, when stamped, time and rank, starts
    stamp: IntArray
    stored_at: IntArray
    stored_rank: IntArray
    stored_start: np.ndarray


def supports(instance: Instance) -> bool:
    """Whether the search handles this problem exactly (see the module's note)."""
    return bool(
        HAVE_NUMBA
        and 0 < instance.size <= MAX_ACTIVITIES
        and (instance.pin == NO_PIN).all()
        and instance.profile.shape[1] == 0
        and (instance.pred_lag >= 0).all()
    )


class BranchAndBound:
    """A search for a schedule shorter than `makespan` (of `starts`), in slices of nodes."""

    def __init__(self, instance: Instance, starts: IntArray, makespan: int, lower: int) -> None:
        self.net = _network(instance, lower)
        self.res = _resources(instance, makespan)
        self.tables = _tables(instance, starts, makespan)
        self.state = np.zeros(kernels.STATE_FIELDS, dtype=np.int64)
        self.state[kernels.BEST] = makespan
        kernels.begin(self.net, self.res, self.tables, self.state)

    def run(self, nodes: int) -> bool:
        """Search up to `nodes` more nodes; True once the search is complete."""
        kernels.search(self.net, self.res, self.tables, self.state, int(nodes))
        return self.complete

    @property
    def complete(self) -> bool:
        """The best makespan is then optimal."""
        return bool(self.state[kernels.DONE])

    @property
    def makespan(self) -> int:
        return int(self.state[kernels.BEST])

    @property
    def starts(self) -> IntArray:
        return self.tables.best.copy()

    @property
    def nodes(self) -> int:
        return int(self.state[kernels.NODES])


def prover(instance: Instance, starts: IntArray, makespan: int, lower: int) -> BranchAndBound | None:
    """The search for this problem, or None when it does not support it."""
    return BranchAndBound(instance, starts, makespan, lower) if supports(instance) else None


def _network(instance: Instance, lower: int) -> Network:
    n = instance.size
    rank = np.empty(n, dtype=np.int64)
    rank[instance.topological] = np.arange(n)
    owner = np.repeat(np.arange(n), np.diff(instance.succ_ptr))
    longest_lag = np.zeros(n, dtype=np.int64)
    np.maximum.at(longest_lag, owner, instance.succ_lag)
    return Network(
        duration=instance.duration,
        release=instance.release,
        rank=rank,
        tail=_tails(instance),
        reach=np.maximum(instance.duration, longest_lag),
        topological=instance.topological,
        pred_ptr=instance.pred_ptr,
        pred_node=instance.pred_node,
        pred_lag=instance.pred_lag,
        succ_ptr=instance.succ_ptr,
        succ_node=instance.succ_node,
        demand_ptr=instance.demand_ptr,
        demand_resource=instance.demand_resource,
        demand_units=instance.demand_units,
        lower=int(lower),
    )


def _tails(instance: Instance) -> IntArray:
    """The longest path from each activity's start to the end of the project."""
    tail = instance.duration.copy()
    for j in instance.topological[::-1].tolist():
        for k in range(int(instance.succ_ptr[j]), int(instance.succ_ptr[j + 1])):
            tail[j] = max(tail[j], int(instance.succ_lag[k]) + tail[int(instance.succ_node[k])])
    return tail


def _resources(instance: Instance, makespan: int) -> Resources:
    owner = np.repeat(np.arange(instance.size), np.diff(instance.demand_ptr))
    slack = _tails(instance) - instance.duration  # users by latest finish: most work after first
    by_resource = np.lexsort((-slack[owner], instance.demand_resource))
    resources = instance.capacity.shape[0]
    counts = np.bincount(instance.demand_resource, minlength=resources)
    return Resources(
        capacity=instance.capacity,
        usage=np.zeros((resources, makespan + int(instance.duration.max(initial=0)) + 1), dtype=np.int64),
        user_ptr=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        user=owner[by_resource].astype(np.int64),
        user_units=instance.demand_units[by_resource].astype(np.int64),
    )


def _tables(instance: Instance, starts: IntArray, makespan: int) -> Tables:
    n = instance.size
    words = (n + 63) // 64
    short = makespan < (1 << 15)  # starts fit 16 bits: twice the cutsets in the memory
    slots = _slots(n, words, 2 if short else 4)
    return Tables(
        start=np.full(n, -1, dtype=np.int64),
        word=np.zeros(words, dtype=np.uint64),
        waiting=np.diff(instance.pred_ptr).astype(np.int64),
        order=np.zeros(n, dtype=np.int64),
        early=np.zeros(n, dtype=np.int64),
        cand=np.zeros((n + 1, n), dtype=np.int64),
        cand_start=np.zeros((n + 1, n), dtype=np.int64),
        pos=np.zeros(n + 1, dtype=np.int64),
        children=np.zeros(n + 1, dtype=np.int64),
        best=np.asarray(starts, dtype=np.int64).copy(),
        key=np.zeros((slots, words), dtype=np.uint64),
        stamp=np.zeros(slots, dtype=np.int64),
        stored_at=np.zeros(slots, dtype=np.int64),
        stored_rank=np.zeros(slots, dtype=np.int64),
        stored_start=np.zeros((slots, n), dtype=np.int16 if short else np.int32),
    )


def _slots(n: int, words: int, start_bytes: int) -> int:
    """A power of two of cutset entries that fits TABLE_BYTES."""
    per_entry = 8 * words + 24 + start_bytes * n
    return max(kernels.BUCKET, 1 << int(np.log2(TABLE_BYTES // per_entry)))
