"""The project network: tasks and links as index arrays, levelled once for the passes.

Nodes 0..task_count-1 are the tasks in input order. Summary tasks stay in the arrays, so an
index means the same task everywhere, but they carry no links: a link that touches a summary is
routed through a zero-duration gate node (numbered after the tasks) so that it constrains every
leaf task under the summary, the MS Project behaviour, with one edge per leaf rather than one
per pair of leaves:

- a link into summary S ends at S's start gate (FS, SS) or finish gate (FF, SF), and the gate
  holds back the start (or finish) of every leaf under S;
- a link out of S leaves from a gate that waits for the latest finish (FS, FF) or the latest
  start (SS, SF) of the leaves under S. For SS and SF this is stricter than counting from the
  summary's own start: the link applies to all children, the earliest as well as the latest.

Loading reads each link's fields into arrays with one list comprehension per field: with a
hundred thousand tasks, per-link Python calls would cost more than scheduling itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from itpm.engine.errors import (
    DUPLICATE_TASK,
    HIERARCHY_CYCLE,
    INVALID_CONSTRAINT,
    UNKNOWN_TASK,
    EngineError,
    describe_chain,
)
from itpm.engine.extras import BoolArray, Extras, IntArray, int_array, read_extras
from itpm.engine.levels import Layout, lay_out, topological_levels
from itpm.engine.model import Link, Task

TOP_LEVEL = -1
GATE_EDGE = -1  # link_type of an edge that wires a gate to a leaf: not a link anyone drew
ENTRY_START, ENTRY_FINISH, EXIT_START, EXIT_FINISH = range(4)
# How each gate is wired to a leaf under its summary: an entry gate holds back every leaf's
# start (gate SS leaf) or finish (gate FF leaf); an exit gate waits for every leaf's start
# (leaf SS gate) or finish (leaf FF gate).
_FINISH_GATES = (ENTRY_FINISH, EXIT_FINISH)
# What a summary may carry: these hold for the summary exactly when they hold for every leaf.
SUMMARY_CONSTRAINTS = frozenset({"ASAP", "SNET", "FNLT"})


@dataclass(frozen=True, eq=False)
class Network:
    """Everything the passes need, as arrays indexed by node or by link."""

    ids: tuple[str, ...]  # task ids, then for each gate the id of its summary
    index: dict[str, int]  # task id -> node
    task_count: int
    durations: IntArray  # per node, as given; zero for summaries and gates
    parent: IntArray  # per task: index of its summary, or TOP_LEVEL
    depth: IntArray  # per task: 0 at top level
    is_summary: BoolArray  # per task
    gate_owner: IntArray  # per gate (node - task_count): the summary it stands for
    gate_is_entry: BoolArray  # per gate: entry gates pass a driver through, exits do not
    link_predecessor: IntArray  # per link, as routed through gates
    link_successor: IntArray
    from_finish: BoolArray
    to_finish: BoolArray
    lag: IntArray  # in units, percentages of the predecessor's duration already applied
    link_type: npt.NDArray[np.int8]  # index into LINK_TYPES of the link drawn, or GATE_EDGE
    level: IntArray  # per node: the longest chain of links before it
    layout: Layout  # positions by level, links in sweep order
    specials: tuple[Task, ...]  # tasks with a constraint, deadline or progress
    extras: Extras  # what they say, as arrays

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
    def settling_order(self) -> tuple[str, ...]:
        """Leaf task ids topologically, then summaries from the deepest up."""
        leaves = self.order[self.is_leaf[self.order]]
        summaries = np.flatnonzero(self.is_summary)
        deepest_first = summaries[np.argsort(-self.depth[summaries], kind="stable")]
        return tuple(map(self.ids.__getitem__, np.concatenate((leaves, deepest_first)).tolist()))

    @property
    def is_leaf(self) -> BoolArray:
        """Per node: a task that is not a summary (gates are not leaves)."""
        leaf = np.zeros(self.node_count, dtype=np.bool_)
        leaf[: self.task_count] = ~self.is_summary
        return leaf


@dataclass
class _Edges:
    """Links as arrays while they are routed; gate wiring is collected in lists and appended."""

    predecessor: IntArray
    successor: IntArray
    type_code: npt.NDArray[np.int8]
    lag: IntArray
    extra: list[tuple[int, int, int]] = field(default_factory=list)  # gate wiring edges

    def wire(self, predecessor: int, successor: int, kind: int) -> None:
        self.extra.append((predecessor, successor, kind))

    def arrays(self) -> tuple[IntArray, IntArray, BoolArray, BoolArray, IntArray, npt.NDArray[np.int8]]:
        wired = np.array(self.extra, dtype=np.int64).reshape(-1, 3)
        finish_kind = np.isin(wired[:, 2], _FINISH_GATES)
        codes = self.type_code.astype(np.int64)
        return (
            np.concatenate((self.predecessor, wired[:, 0])),
            np.concatenate((self.successor, wired[:, 1])),
            np.concatenate((np.isin(codes, (0, 2)), finish_kind)),
            np.concatenate((codes >= 2, finish_kind)),
            np.concatenate((self.lag, np.zeros(len(wired), dtype=np.int64))),
            np.concatenate((self.type_code, np.full(len(wired), GATE_EDGE, dtype=np.int8))),
        )


@dataclass
class _Hierarchy:
    """The summary tree: parent and children per task."""

    parent: list[int]
    children: list[list[int]]

    def leaves_under(self, summary: int) -> list[int]:
        leaves, stack = [], [summary]
        while stack:
            node = stack.pop()
            stack.extend(self.children[node])
            if not self.children[node]:
                leaves.append(node)
        return sorted(leaves)


@dataclass
class _Gates:
    """Gate nodes, made on first use and wired to the leaves under their summary."""

    task_count: int
    hierarchy: _Hierarchy
    edges: _Edges
    owner: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    made: dict[tuple[int, int], int] = field(default_factory=dict)

    def gate(self, summary: int, kind: int) -> int:
        if (summary, kind) not in self.made:
            node = self.task_count + len(self.owner)
            self.made[summary, kind] = node
            self.owner.append(summary)
            self.kind.append(kind)
            entry = kind in (ENTRY_START, ENTRY_FINISH)
            for leaf in self.hierarchy.leaves_under(summary):
                self.edges.wire(*((node, leaf) if entry else (leaf, node)), kind)
        return self.made[summary, kind]


def build_network(tasks: Sequence[Task], links: Sequence[Link]) -> Network:
    """Check the tasks and links as a whole and lay them out for the passes."""
    task_ids = [task.id for task in tasks]
    index = _index_tasks(task_ids)
    hierarchy = _hierarchy(tasks, index)
    depth = _depths(hierarchy.parent, tasks)
    is_summary = np.array([bool(children) for children in hierarchy.children], dtype=np.bool_)
    durations = int_array([task.duration for task in tasks])
    specials = tuple(task for task in tasks if task.extras)
    special_nodes = int_array([index[task.id] for task in specials])
    _check_summary_constraints(specials, is_summary[special_nodes])
    extras = read_extras(specials, special_nodes)
    edges = _link_arrays(links, index, durations)
    gates = _Gates(len(tasks), hierarchy, edges)
    if is_summary.any():
        _route_summary_links(edges, is_summary, gates)
    predecessor, successor, from_finish, to_finish, lag, link_type = edges.arrays()
    ids = tuple(task_ids + [task_ids[owner] for owner in gates.owner])
    level = topological_levels(len(ids), predecessor, successor, ids)
    durations[is_summary] = 0
    return Network(
        ids=ids,
        index=index,
        task_count=len(tasks),
        durations=np.concatenate((durations, np.zeros(len(gates.owner), dtype=np.int64))),
        parent=int_array(hierarchy.parent),
        depth=int_array(depth),
        is_summary=is_summary,
        gate_owner=int_array(gates.owner),
        gate_is_entry=np.array([k in (ENTRY_START, ENTRY_FINISH) for k in gates.kind], np.bool_),
        link_predecessor=predecessor,
        link_successor=successor,
        from_finish=from_finish,
        to_finish=to_finish,
        lag=lag,
        link_type=link_type,
        level=level,
        layout=lay_out(level, predecessor, successor, from_finish, to_finish),
        specials=specials,
        extras=extras,
    )


def _index_tasks(task_ids: list[str]) -> dict[str, int]:
    index = dict(zip(task_ids, range(len(task_ids)), strict=True))
    if len(index) < len(task_ids):
        seen: set[str] = set()
        for task_id in task_ids:
            if task_id in seen:
                raise EngineError(DUPLICATE_TASK, f"task id {task_id!r} is used twice", (task_id,))
            seen.add(task_id)
    return index


def _find(index: dict[str, int], task_id: str, where: str) -> int:
    if task_id not in index:
        raise EngineError(UNKNOWN_TASK, f"{where} names unknown task {task_id!r}", (task_id,))
    return index[task_id]


def _hierarchy(tasks: Sequence[Task], index: dict[str, int]) -> _Hierarchy:
    parents = [task.parent for task in tasks]
    if not any(parents):
        return _Hierarchy([TOP_LEVEL] * len(tasks), [[] for _ in tasks])
    parent = [
        TOP_LEVEL if task.parent is None else _find(index, task.parent, f"task {task.id!r}") for task in tasks
    ]
    children: list[list[int]] = [[] for _ in tasks]
    for child, summary in enumerate(parent):
        if summary != TOP_LEVEL:
            children[summary].append(child)
    return _Hierarchy(parent, children)


def _depths(parent: list[int], tasks: Sequence[Task]) -> list[int]:
    """Depth of each task in the summary tree; a task that is its own ancestor is an error."""
    if all(summary == TOP_LEVEL for summary in parent):
        return [0] * len(parent)
    depth = [-1] * len(parent)
    for start in range(len(parent)):
        path: list[int] = []
        node = start
        while node != TOP_LEVEL and depth[node] == -1:
            if node in path:
                cycle = tuple(tasks[n].id for n in path[path.index(node) :])
                message = f"task hierarchy has a cycle: {describe_chain(cycle)}"
                raise EngineError(HIERARCHY_CYCLE, message, cycle)
            path.append(node)
            node = parent[node]
        below = -1 if node == TOP_LEVEL else depth[node]
        for step, node_on_path in enumerate(reversed(path), start=1):
            depth[node_on_path] = below + step
    return depth


def _check_summary_constraints(specials: Sequence[Task], on_summary: BoolArray) -> None:
    for task, summary in zip(specials, on_summary.tolist(), strict=True):
        if summary and task.constraint not in SUMMARY_CONSTRAINTS:
            message = (
                f"summary task {task.id!r} cannot carry constraint {task.constraint}: a summary"
                " may carry SNET, FNLT and a deadline, which hold for every task under it"
            )
            raise EngineError(INVALID_CONSTRAINT, message, (task.id,))


def _link_arrays(links: Sequence[Link], index: dict[str, int], durations: IntArray) -> _Edges:
    """Links as arrays of task indices; a reference to no task raises E002 for the first one."""
    try:
        predecessor = int_array([index[link.predecessor] for link in links])
        successor = int_array([index[link.successor] for link in links])
    except KeyError:
        for link in links:
            where = f"link {link.predecessor} → {link.successor}"
            _find(index, link.predecessor, where)
            _find(index, link.successor, where)
        raise
    packed = int_array([link.packed for link in links])
    lag, type_code = packed >> 3, (packed & 3).astype(np.int8)
    for number in np.flatnonzero(packed & 4).tolist():
        percent = links[number].lag_percent
        assert percent is not None
        lag[number] = round(int(durations[predecessor[number]]) * percent / 100)
    return _Edges(predecessor, successor, type_code, lag)


def _route_summary_links(edges: _Edges, is_summary: BoolArray, gates: _Gates) -> None:
    """Send each link that touches a summary to and from the summary's gates, in link order."""
    touching = np.flatnonzero(is_summary[edges.predecessor] | is_summary[edges.successor])
    for number in touching.tolist():
        code = int(edges.type_code[number])
        from_finish, to_finish = code in (0, 2), code >= 2
        predecessor, successor = int(edges.predecessor[number]), int(edges.successor[number])
        if is_summary[predecessor]:
            edges.predecessor[number] = gates.gate(predecessor, EXIT_FINISH if from_finish else EXIT_START)
        if is_summary[successor]:
            edges.successor[number] = gates.gate(successor, ENTRY_FINISH if to_finish else ENTRY_START)
