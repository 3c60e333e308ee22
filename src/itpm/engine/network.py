"""The project network: tasks and links as index arrays, sorted once into topological order.

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
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from itpm.engine.errors import (
    DEPENDENCY_CYCLE,
    DUPLICATE_TASK,
    HIERARCHY_CYCLE,
    UNKNOWN_TASK,
    EngineError,
    describe_chain,
)
from itpm.engine.model import Link, Task

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TOP_LEVEL = -1
ENTRY_START, ENTRY_FINISH, EXIT_START, EXIT_FINISH = range(4)
# How each gate is wired to a leaf under its summary: (from_finish, to_finish) of the edge.
_GATE_EDGE = {
    ENTRY_START: (False, False),  # gate SS leaf: the leaf starts no earlier than the gate
    ENTRY_FINISH: (True, True),  # gate FF leaf: the leaf finishes no earlier than the gate
    EXIT_START: (False, False),  # leaf SS gate: the gate waits for every leaf's start
    EXIT_FINISH: (True, True),  # leaf FF gate: the gate waits for every leaf's finish
}


@dataclass(frozen=True)
class Network:
    """Everything the passes need, as arrays indexed by node or by link."""

    ids: tuple[str, ...]  # task ids, then for each gate the id of its summary
    task_count: int
    durations: IntArray  # per node; zero for summaries and gates
    parent: IntArray  # per task: index of its summary, or TOP_LEVEL
    depth: IntArray  # per task: 0 at top level
    is_summary: BoolArray  # per task
    gate_owner: IntArray  # per gate (node - task_count): the summary it stands for
    gate_is_entry: BoolArray  # per gate: entry gates pass a driver through, exits do not
    link_predecessor: IntArray  # per link, as routed through gates
    link_successor: IntArray
    from_finish: BoolArray
    to_finish: BoolArray
    lag: IntArray
    order: IntArray  # every node, topologically
    link_order: IntArray  # links by their successor's place in `order`: one sweep settles all

    @property
    def node_count(self) -> int:
        return len(self.ids)

    def is_gate(self, node: int) -> bool:
        return node >= self.task_count

    def is_leaf(self, node: int) -> bool:
        return node < self.task_count and not self.is_summary[node]


@dataclass
class _Edges:
    """Links being collected as plain lists, before they become arrays."""

    predecessor: list[int] = field(default_factory=list)
    successor: list[int] = field(default_factory=list)
    from_finish: list[bool] = field(default_factory=list)
    to_finish: list[bool] = field(default_factory=list)
    lag: list[int] = field(default_factory=list)

    def add(self, predecessor: int, successor: int, kind: tuple[bool, bool], lag: int) -> None:
        self.predecessor.append(predecessor)
        self.successor.append(successor)
        self.from_finish.append(kind[0])
        self.to_finish.append(kind[1])
        self.lag.append(lag)


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
            self._wire(node, summary, kind)
        return self.made[summary, kind]

    def _wire(self, gate: int, summary: int, kind: int) -> None:
        entry = kind in (ENTRY_START, ENTRY_FINISH)
        for leaf in self.hierarchy.leaves_under(summary):
            predecessor, successor = (gate, leaf) if entry else (leaf, gate)
            self.edges.add(predecessor, successor, _GATE_EDGE[kind], 0)


def build_network(tasks: Sequence[Task], links: Sequence[Link]) -> Network:
    """Check the tasks and links as a whole and lay them out for the passes."""
    index = _index_tasks(tasks)
    hierarchy = _hierarchy(tasks, index)
    depth = _depths(hierarchy.parent, tasks)
    is_summary = [bool(children) for children in hierarchy.children]
    edges = _Edges()
    gates = _Gates(len(tasks), hierarchy, edges)
    for link in links:
        _route(link, index, is_summary, gates)
    ids = (*(task.id for task in tasks), *(tasks[owner].id for owner in gates.owner))
    durations = [0 if summary else task.duration for task, summary in zip(tasks, is_summary, strict=True)]
    predecessor, successor = _int_array(edges.predecessor), _int_array(edges.successor)
    order = topological_order(len(ids), predecessor, successor, ids)
    return Network(
        ids=ids,
        task_count=len(tasks),
        durations=_int_array(durations + [0] * len(gates.owner)),
        parent=_int_array(hierarchy.parent),
        depth=_int_array(depth),
        is_summary=np.array(is_summary, dtype=np.bool_),
        gate_owner=_int_array(gates.owner),
        gate_is_entry=np.array([k in (ENTRY_START, ENTRY_FINISH) for k in gates.kind], np.bool_),
        link_predecessor=predecessor,
        link_successor=successor,
        from_finish=np.array(edges.from_finish, dtype=np.bool_),
        to_finish=np.array(edges.to_finish, dtype=np.bool_),
        lag=_int_array(edges.lag),
        order=order,
        link_order=_links_by_successor_place(order, successor),
    )


def _int_array(values: Sequence[int]) -> IntArray:
    return np.array(values, dtype=np.int64)


def _index_tasks(tasks: Sequence[Task]) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, task in enumerate(tasks):
        if task.id in index:
            raise EngineError(DUPLICATE_TASK, f"task id {task.id!r} is used twice", (task.id,))
        index[task.id] = number
    return index


def _find(index: dict[str, int], task_id: str, where: str) -> int:
    if task_id not in index:
        raise EngineError(UNKNOWN_TASK, f"{where} names unknown task {task_id!r}", (task_id,))
    return index[task_id]


def _hierarchy(tasks: Sequence[Task], index: dict[str, int]) -> _Hierarchy:
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


def _route(link: Link, index: dict[str, int], is_summary: list[bool], gates: _Gates) -> None:
    where = f"link {link.predecessor} → {link.successor}"
    predecessor = _find(index, link.predecessor, where)
    successor = _find(index, link.successor, where)
    if is_summary[predecessor]:
        predecessor = gates.gate(predecessor, EXIT_FINISH if link.from_finish else EXIT_START)
    if is_summary[successor]:
        successor = gates.gate(successor, ENTRY_FINISH if link.to_finish else ENTRY_START)
    gates.edges.add(predecessor, successor, (link.from_finish, link.to_finish), link.lag)


def _adjacency(node_count: int, source: IntArray, target: IntArray) -> tuple[list[int], list[int]]:
    """Compressed rows: the targets of node v are targets[starts[v]:starts[v + 1]]."""
    by_source = np.argsort(source, kind="stable")
    starts = np.concatenate(([0], np.cumsum(np.bincount(source, minlength=node_count))))
    return starts.tolist(), target[by_source].tolist()


def topological_order(
    node_count: int, predecessor: IntArray, successor: IntArray, ids: Sequence[str]
) -> IntArray:
    """Kahn's algorithm, first come first served; raise E001 naming one cycle if stuck."""
    starts, successors = _adjacency(node_count, predecessor, successor)
    waiting_on = np.bincount(successor, minlength=node_count).tolist()
    ready = deque(node for node in range(node_count) if waiting_on[node] == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for later in successors[starts[node] : starts[node + 1]]:
            waiting_on[later] -= 1
            if waiting_on[later] == 0:
                ready.append(later)
    if len(order) < node_count:
        _raise_cycle(find_cycle(node_count, predecessor, successor, waiting_on), ids)
    return _int_array(order)


def find_cycle(
    node_count: int, predecessor: IntArray, successor: IntArray, waiting_on: list[int]
) -> list[int]:
    """One cycle among the nodes Kahn's algorithm could not place, in link order.

    Every such node still waits on a predecessor that is itself unplaced, so walking back
    through those predecessors must come round to a node already seen.
    """
    starts, predecessors = _adjacency(node_count, successor, predecessor)
    node = next(v for v in range(node_count) if waiting_on[v] > 0)
    seen: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = next(u for u in predecessors[starts[node] : starts[node + 1]] if waiting_on[u] > 0)
    cycle = walk[seen[node] :][::-1]
    first = cycle.index(min(cycle))  # start at the task given first, so messages are stable
    return cycle[first:] + cycle[:first]


def _raise_cycle(cycle: list[int], ids: Sequence[str]) -> None:
    names: list[str] = []
    for node in cycle:
        # A gate stands for its summary; two gates of one summary name it once.
        if not names or names[-1] != ids[node]:
            names.append(ids[node])
    if len(names) > 1 and names[0] == names[-1]:
        names.pop()
    tasks = tuple(names)
    raise EngineError(DEPENDENCY_CYCLE, f"dependency cycle: {describe_chain(tasks)}", tasks)


def _links_by_successor_place(order: IntArray, successor: IntArray) -> IntArray:
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return np.argsort(place[successor], kind="stable").astype(np.int64)
