"""The project network: tasks and links as index arrays, levelled once for the passes.

Nodes 0..task_count-1 are the tasks in input order. Summary tasks stay in the arrays, so an
index means the same task everywhere, but they carry no links: a link that touches a summary is
routed through a zero-duration gate node (numbered after the tasks), wired to every leaf task
under the summary, with one edge per leaf rather than one per pair of leaves:

- a link into summary S ends at S's start gate (FS, SS) or finish gate (FF, SF), and the gate
  holds back the start (or finish) of every leaf under S: the link applies to every child, as
  in MS Project and TaskJuggler;
- a link out of S from its finish (FS, FF) leaves from a gate that waits for the latest finish
  of the leaves under S, which is S's finish;
- a link out of S from its start (SS, SF) leaves from a gate that takes the earliest start of
  the leaves under S, which is S's start: the forward sweep applies the links into this gate
  with a minimum (levels.py), and backward it holds back only the leaves that start first, the
  ones that set S's start (cpm.py).

Networks come from NetworkArrays (arrays.py) or from Task and Link objects (objects.py), which
are read into the same arrays first: both are then checked and laid out by the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import NetworkArrays
from itpm.engine.errors import INVALID_CONSTRAINT, EngineError
from itpm.engine.extras import LOW, BoolArray, Extras, IntArray, engine_extras
from itpm.engine.fast_path import levelled_sweep
from itpm.engine.hierarchy import TOP_LEVEL, Tree, tree
from itpm.engine.levels import (
    Layout,
    SweepOrder,
    lay_out,
    level_network,
    out_edges,
    ranges,
    sweep_order,
)
from itpm.engine.model import CONSTRAINT_TYPES, Link, Task
from itpm.engine.objects import read_objects

__all__ = ["TOP_LEVEL", "Network", "build_network", "build_network_arrays"]

GATE_EDGE = -1  # link_type of an edge that wires a gate to a leaf: not a link anyone drew
ENTRY_START, ENTRY_FINISH, EXIT_START, EXIT_FINISH = range(4)
# What a summary may carry: these hold for the summary exactly when they hold for every leaf.
SUMMARY_CONSTRAINTS = frozenset({"ASAP", "SNET", "FNLT"})
_SUMMARY_CODES = [CONSTRAINT_TYPES.index(name) for name in SUMMARY_CONSTRAINTS]


@dataclass(frozen=True, eq=False)
class Network:
    """Everything the passes need, as arrays indexed by node or by link."""

    ids: tuple[str, ...]  # task ids, then for each gate the id of its summary
    task_count: int
    durations: IntArray  # per node, as given; zero for summaries and gates
    parent: IntArray  # per task: index of its summary, or TOP_LEVEL
    depth: IntArray  # per task: 0 at top level
    is_summary: BoolArray  # per task
    gate_owner: IntArray  # per gate (node - task_count): the summary it stands for
    gate_is_entry: BoolArray  # per gate: entry gates pass a driver through, exits do not
    earliest_gates: IntArray  # the gates (nodes) that take the earliest start of their leaves
    # Links in sweep order (by their predecessor's position: see levels.py), as routed through
    # gates; link_number gives each one's number as given (then gate wiring, numbered after),
    # by which ties between links are broken, so that the first link given wins. Their ends
    # are in the layout, by position; link_predecessor and link_successor give them as nodes.
    link_flags: npt.NDArray[np.int8]  # FROM_FINISH | TO_FINISH | WIRE
    into_earliest: BoolArray  # per link: wires a leaf into an earliest-start gate
    lag: IntArray  # in units, percentages of the predecessor's duration already applied
    link_number: IntArray
    level: IntArray  # per node: the longest chain of links before it
    layout: Layout  # positions by level, links grouped for the sweeps
    extras: Extras  # constraints, deadlines and progress, for the tasks that have them
    # Levelling delays (units) of the tasks that have one, not started: already added to the
    # lag of every link into them; the floor of each is raised by it in constraints.py.
    delayed: IntArray
    delay: IntArray
    task_calendar: IntArray | None  # per task as given (NetworkArrays.task_calendar), or None

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def order(self) -> IntArray:
        """Every node, by level: a topological order."""
        return self.layout.order

    def is_gate(self, node: int) -> bool:
        return node >= self.task_count

    @cached_property
    def index(self) -> dict[str, int]:
        """Task id -> node; made when first asked for (results looked up by id)."""
        return dict(zip(self.ids[: self.task_count], range(self.task_count), strict=True))

    @cached_property
    def settling_order(self) -> tuple[str, ...]:
        """Leaf task ids topologically, then summaries from the deepest up."""
        leaves = self.order[self.is_leaf[self.order]]
        summaries = np.flatnonzero(self.is_summary)
        deepest_first = summaries[np.argsort(-self.depth[summaries], kind="stable")]
        return tuple(map(self.ids.__getitem__, np.concatenate((leaves, deepest_first)).tolist()))

    @cached_property
    def durations_by_position(self) -> IntArray:
        return self.durations[self.layout.order]

    @cached_property
    def link_predecessor(self) -> IntArray:
        return self.layout.order[self.layout.source]

    @cached_property
    def link_successor(self) -> IntArray:
        return self.layout.order[self.layout.target]

    def predecessor_of(self, links: IntArray) -> IntArray:
        """The predecessor (node) of each of `links`: for a few links, without link_predecessor."""
        return self.layout.order[self.layout.source[links]]

    def successor_of(self, links: IntArray) -> IntArray:
        return self.layout.order[self.layout.target[links]]

    def type_of(self, links: IntArray) -> npt.NDArray[np.int8]:
        """Index into LINK_TYPES of each of `links`, or GATE_EDGE: for a few links."""
        flags = self.link_flags[links]
        return np.where(flags & WIRE, GATE_EDGE, (flags & 3) ^ 1).astype(np.int8)

    @cached_property
    def from_finish(self) -> BoolArray:
        """Per link: it counts from the predecessor's finish (FS, FF), else from its start."""
        return (self.link_flags & FROM_FINISH) != 0

    @cached_property
    def to_finish(self) -> BoolArray:
        """Per link: it holds back the successor's finish (FF, SF), else its start."""
        return (self.link_flags & TO_FINISH) != 0

    @cached_property
    def link_type(self) -> npt.NDArray[np.int8]:
        """Per link: the index into LINK_TYPES of the link drawn, or GATE_EDGE."""
        drawn = (self.link_flags & 3) ^ 1
        return np.where(self.link_flags & WIRE, GATE_EDGE, drawn).astype(np.int8)

    @cached_property
    def finish_links(self) -> IntArray:
        """The links into a finish (FF, SF, and gate wiring of finishes)."""
        return np.flatnonzero(self.link_flags & TO_FINISH)

    @cached_property
    def start_links(self) -> IntArray:
        """The links from a start (SS, SF, and gate wiring of starts)."""
        return np.flatnonzero((self.link_flags & FROM_FINISH) == 0)

    @property
    def is_leaf(self) -> BoolArray:
        """Per node: a task that is not a summary (gates are not leaves)."""
        leaf = np.zeros(self.node_count, dtype=np.bool_)
        leaf[: self.task_count] = ~self.is_summary
        return leaf


def build_network(tasks: Sequence[Task], links: Sequence[Link], calendars: Sequence[str] = ()) -> Network:
    """Check the tasks and links as a whole and lay them out for the passes; `calendars`
    names the calendars tasks may work on."""
    return network_read(*read_objects(tasks, links, calendars))


def network_read(arrays: NetworkArrays, ids: tuple[str, ...], index: dict[str, int]) -> Network:
    """`build_network` for tasks and links read already (objects.read_objects)."""
    network = _build(arrays, ids)
    network.__dict__["index"] = index  # made while reading: no need to make it again
    return network


def build_network_arrays(arrays: NetworkArrays) -> Network:
    """`build_network` for a network given as arrays (checked when the arrays were made)."""
    ids = arrays.ids
    return _build(arrays, tuple(map(str, range(arrays.task_count))) if ids is None else tuple(ids))


def _build(arrays: NetworkArrays, ids: tuple[str, ...]) -> Network:
    summaries = tree(arrays.parent, ids)
    durations = arrays.durations
    extras = engine_extras(arrays.extras, durations)
    if not summaries.flat:
        _check_summary_constraints(extras, summaries.is_summary, ids)
    links = _Links.read(arrays, durations)
    gates = _Gates(len(ids))
    if not summaries.flat:
        gates.route(links, summaries)
    nodes = ids + tuple(ids[owner] for owner in gates.owner) if gates.owner else ids
    laid_out = _lay_out(nodes, links, gates.earliest())
    delayed, delay = _delays(extras, summaries.is_summary)
    if delayed.size:
        _delay_links(laid_out, delayed, delay, len(nodes))
    durations = np.where(summaries.is_summary, 0, durations) if not summaries.flat else durations
    return Network(
        ids=nodes,
        task_count=len(ids),
        durations=np.concatenate((durations, np.zeros(len(gates.owner), dtype=np.int64))),
        parent=summaries.parent,
        depth=summaries.depth,
        is_summary=summaries.is_summary,
        gate_owner=np.array(gates.owner, dtype=np.int64),
        gate_is_entry=np.array([kind in (ENTRY_START, ENTRY_FINISH) for kind in gates.kind], np.bool_),
        earliest_gates=gates.earliest(),
        extras=extras,
        delayed=delayed,
        delay=delay,
        task_calendar=arrays.task_calendar,
        **laid_out,
    )


def _delays(extras: Extras, is_summary: BoolArray) -> tuple[IntArray, IntArray]:
    """The tasks held back by a levelling delay: not summaries, and not started on record (an
    actual start stands, whatever levelling said before it)."""
    held = (extras.delay > 0) & ~is_summary[extras.nodes]
    held &= (extras.actual_start == LOW) & (extras.actual_finish == LOW)
    return extras.nodes[held], extras.delay[held]


def _delay_links(laid_out: dict[str, Any], delayed: IntArray, delay: IntArray, node_count: int) -> None:
    """A delay is lag on every link into the task, gate wiring included: the task starts that
    much after what its links ask, and its predecessors' floats count it as used."""
    layout: Layout = laid_out["layout"]
    by_node = np.zeros(node_count, dtype=np.int64)
    by_node[delayed] = delay
    laid_out["lag"] = laid_out["lag"] + by_node[layout.order[layout.target]]


def _lay_out(nodes: tuple[str, ...], links: _Links, earliest: IntArray) -> dict[str, Any]:
    """Levels, the layout, and the links in sweep order. Each large array is let go as soon as
    it is used: memory given back is reused for the next, rather than fetched afresh."""
    level, sweep, lag, flags = _levelled_sweep(nodes, links)
    into_earliest = np.zeros(len(sweep.links), dtype=np.bool_)
    if earliest.size:
        into_earliest[links.drawn :] = np.isin(links.successor[links.drawn :], earliest)
        into_earliest = into_earliest[sweep.links]
    links.release()  # the caller still holds the links: let their arrays go now
    layout = lay_out(level, sweep, flags, into_earliest if earliest.size else None)
    return {
        "link_flags": flags,
        "into_earliest": into_earliest,
        "lag": lag,
        "link_number": sweep.links,
        "level": level,
        "layout": layout,
    }


def _levelled_sweep(
    nodes: tuple[str, ...], links: _Links
) -> tuple[IntArray, SweepOrder, IntArray, npt.NDArray[np.int8]]:
    """Levels, sweep order, and each link's lag and flags in sweep order: compiled for a large
    network (fast_path.py), else by numpy."""
    fast = levelled_sweep(len(nodes), links.predecessor, links.successor, links.kind)
    if fast is not None:
        return fast
    edges = out_edges(len(nodes), links.predecessor, links.successor)
    levelled = level_network(len(nodes), links.predecessor, links.successor, nodes, edges)
    sweep = sweep_order(levelled, edges)
    del edges
    return levelled.level, sweep, *links.unpack(sweep.links)


def _check_summary_constraints(extras: Extras, is_summary: BoolArray, ids: Sequence[str]) -> None:
    wrong = is_summary[extras.nodes] & ~np.isin(extras.constraint, _SUMMARY_CODES)
    if wrong.any():
        row = int(np.argmax(wrong))
        task, kind = ids[int(extras.nodes[row])], CONSTRAINT_TYPES[int(extras.constraint[row])]
        message = (
            f"summary task {task!r} cannot carry constraint {kind}: a summary"
            " may carry SNET, FNLT and a deadline, which hold for every task under it"
        )
        raise EngineError(INVALID_CONSTRAINT, message, (task,))


# Per link, three flags: it counts from the predecessor's finish (1), it holds back the
# successor's finish (2), it wires a gate to a leaf (4). A link drawn of type t (an index into
# LINK_TYPES: FS, SS, FF, SF) has flags t ^ 1. While links are routed, the flags are packed with
# the lag as lag * 8 + flags, so that one gather puts both in sweep order.
FROM_FINISH, TO_FINISH, WIRE = 1, 2, 4
_START_WIRE, _FINISH_WIRE = WIRE, WIRE | FROM_FINISH | TO_FINISH


@dataclass
class _Links:
    """The links drawn, then (once gates are made) the edges that wire gates to leaves."""

    predecessor: IntArray
    successor: IntArray
    kind: IntArray  # lag * 8 + flags
    drawn: int  # links 0..drawn-1 are the links drawn; the rest wire gates

    @classmethod
    def read(cls, arrays: NetworkArrays, durations: IntArray) -> _Links:
        predecessor, link_type = arrays.link_predecessor, arrays.link_type
        kind = arrays.link_lag * 8
        kind += link_type
        kind ^= 1  # the type's flags, t ^ 1, in the low bits
        percent = arrays.link_lag_percent
        if percent is not None:
            given = np.flatnonzero(~np.isnan(percent))
            if given.size:
                # Python's round, halves to even, of the same floating-point product.
                share = durations[predecessor[given]] * percent[given] / 100
                kind[given] = np.rint(share).astype(np.int64) * 8 + (link_type[given] ^ 1)
        return cls(predecessor, arrays.link_successor, kind, len(link_type))

    @property
    def type_code(self) -> IntArray:
        """Index into LINK_TYPES of the links drawn."""
        return (self.kind[: self.drawn] & 3) ^ 1

    def unpack(self, links: IntArray) -> tuple[IntArray, npt.NDArray[np.int8]]:
        """Lag and flags of `links`, in that order."""
        kind = self.kind[links]
        flags = kind.astype(np.int8)  # the low byte, of which the low three bits are the flags
        flags &= 7
        kind >>= 3
        return kind, flags

    def release(self) -> None:
        """Let go of the arrays, once laid out in sweep order: memory given back is reused."""
        self.predecessor = self.successor = self.kind = np.zeros(0, dtype=np.int64)

    def wire(self, predecessor: IntArray, successor: IntArray, at_finish: BoolArray) -> None:
        self.predecessor = np.concatenate((self.predecessor, predecessor))
        self.successor = np.concatenate((self.successor, successor))
        self.kind = np.concatenate((self.kind, np.where(at_finish, _FINISH_WIRE, _START_WIRE)))


@dataclass
class _Gates:
    """Gate nodes, made on first use in link order, each wired to the leaves under its summary."""

    task_count: int
    owner: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)

    def route(self, links: _Links, summaries: Tree) -> None:
        """Send each link that touches a summary to and from the summary's gates, in link order."""
        is_summary = summaries.is_summary
        before, after, codes = links.predecessor, links.successor, links.type_code
        touching = np.flatnonzero(is_summary[before] | is_summary[after])
        if not touching.size:
            return
        before, after = before.copy(), after.copy()
        links.predecessor, links.successor = before, after
        made: dict[tuple[int, int], int] = {}

        def gate(summary: int, kind: int) -> int:
            if (summary, kind) not in made:
                made[summary, kind] = self.task_count + len(self.owner)
                self.owner.append(summary)
                self.kind.append(kind)
            return made[summary, kind]

        for number, predecessor, successor, code in zip(
            touching.tolist(),
            before[touching].tolist(),
            after[touching].tolist(),
            codes[touching].tolist(),
            strict=True,
        ):
            if is_summary[predecessor]:
                before[number] = gate(predecessor, EXIT_FINISH if code in (0, 2) else EXIT_START)
            if is_summary[successor]:
                after[number] = gate(successor, ENTRY_FINISH if code >= 2 else ENTRY_START)
        self._wire(links, summaries)

    def _wire(self, links: _Links, summaries: Tree) -> None:
        """Entry gates hold back every leaf (gate SS leaf, or FF); exit gates read every leaf."""
        starts, leaves = summaries.leaves_under()
        owner, kind = np.array(self.owner, dtype=np.int64), np.array(self.kind, dtype=np.int64)
        counts = starts[owner + 1] - starts[owner]
        leaf = leaves[ranges(starts[owner], counts)]
        gate = np.repeat(np.arange(len(owner), dtype=np.int64) + self.task_count, counts)
        gate_kind = np.repeat(kind, counts)
        entry = (gate_kind == ENTRY_START) | (gate_kind == ENTRY_FINISH)
        at_finish = (gate_kind == ENTRY_FINISH) | (gate_kind == EXIT_FINISH)
        links.wire(np.where(entry, gate, leaf), np.where(entry, leaf, gate), at_finish)

    def earliest(self) -> IntArray:
        kind = np.array(self.kind, dtype=np.int64)
        return np.flatnonzero(kind == EXIT_START).astype(np.int64) + self.task_count
