"""Topological levels: each node's place in the longest chain of links that leads to it.

A node's level is one more than the highest level among its predecessors, so all the links
into a level come from lower levels, and a pass can settle a whole level at once with numpy.
Levels are found once per network, by Kahn's algorithm run a whole frontier at a time; where
the frontiers are narrow (deep chains, small projects) a plain Python loop is faster and
takes over. A node that never reaches the frontier lies on or behind a cycle: E001.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itpm.engine.errors import DEPENDENCY_CYCLE, EngineError, describe_chain

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Below this many nodes and links, or once frontiers stay this narrow, Python beats numpy calls.
PYTHON_BELOW = 3_000
NARROW_FRONTIER = 24
NARROW_LEVELS_BEFORE_PYTHON = 64


def topological_levels(
    node_count: int, predecessor: IntArray, successor: IntArray, ids: Sequence[str]
) -> IntArray:
    """Level per node; raise E001 naming one cycle if some nodes can never be placed."""
    waiting = np.bincount(successor, minlength=node_count).astype(np.int64)
    starts, targets = out_edges(node_count, predecessor, successor)
    level = np.full(node_count, -1, dtype=np.int64)
    frontier = np.flatnonzero(waiting == 0)
    if node_count + len(successor) < PYTHON_BELOW:
        _python_levels(frontier, 0, level, waiting, starts, targets)
    else:
        _numpy_levels(frontier, level, waiting, starts, targets)
    if (level < 0).any():
        unplaced = waiting.tolist()
        _raise_cycle(find_cycle(node_count, predecessor, successor, unplaced), ids)
    return level


def out_edges(node_count: int, source: IntArray, target: IntArray) -> tuple[IntArray, IntArray]:
    """Compressed rows: the targets of node v are targets[starts[v]:starts[v + 1]]."""
    by_source = stable_argsort(source)
    starts = np.concatenate(([0], np.cumsum(np.bincount(source, minlength=node_count))))
    return starts.astype(np.int64), target[by_source]


def _numpy_levels(
    frontier: IntArray, level: IntArray, waiting: IntArray, starts: IntArray, targets: IntArray
) -> None:
    depth, narrow = 0, 0
    while frontier.size:
        narrow += frontier.size < NARROW_FRONTIER
        if narrow > NARROW_LEVELS_BEFORE_PYTHON:
            _python_levels(frontier, depth, level, waiting, starts, targets)
            return
        level[frontier] = depth
        reached = targets[_ranges(starts[frontier], starts[frontier + 1])]
        np.subtract.at(waiting, reached, 1)
        frontier = _distinct(reached[waiting[reached] == 0])
        depth += 1


def _distinct(nodes: IntArray) -> IntArray:
    """Sorted, each once: np.unique does this too, but costs ten times more on small arrays."""
    if not nodes.size:
        return nodes
    nodes = np.sort(nodes)
    return nodes[np.concatenate(([True], nodes[1:] != nodes[:-1]))]


def _ranges(first: IntArray, stop: IntArray) -> IntArray:
    """The concatenation of range(first[i], stop[i]) for every i, without a Python loop."""
    counts = stop - first
    offsets = np.cumsum(counts) - counts
    return np.repeat(first - offsets, counts) + np.arange(int(counts.sum()))


def _python_levels(
    frontier: IntArray,
    depth: int,
    level: IntArray,
    waiting: IntArray,
    starts: IntArray,
    targets: IntArray,
) -> None:
    """Kahn's algorithm one level at a time over lists, from `frontier` at `depth`."""
    left, first, after = waiting.tolist(), starts.tolist(), targets.tolist()
    found = level.tolist()
    current = frontier.tolist()
    while current:
        following: list[int] = []
        for node in current:
            found[node] = depth
            for later in after[first[node] : first[node + 1]]:
                left[later] -= 1
                if left[later] == 0:
                    following.append(later)
        current, depth = following, depth + 1
    level[:] = found
    waiting[:] = left


def find_cycle(
    node_count: int, predecessor: IntArray, successor: IntArray, waiting_on: list[int]
) -> list[int]:
    """One cycle among the nodes Kahn's algorithm could not place, in link order.

    Every such node still waits on a predecessor that is itself unplaced, so walking back
    through those predecessors must come round to a node already seen.
    """
    starts, predecessors = (part.tolist() for part in out_edges(node_count, successor, predecessor))
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


def level_order(level: IntArray) -> IntArray:
    """Nodes sorted by level, each level in node order: a topological order."""
    return stable_argsort(level)


def stable_argsort(keys: IntArray) -> IntArray:
    """A stable argsort of non-negative integers below 2**32, as one or two radix sorts.

    numpy sorts 16-bit keys by radix in linear time, several times faster than its stable
    merge sort of 64-bit keys; two passes (low half, then high half) keep the order stable.
    """
    if not keys.size or keys.max() < 2**16:
        return np.argsort(keys.astype(np.uint16), kind="stable").astype(np.int64)
    by_low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    by_high = np.argsort((keys[by_low] >> 16).astype(np.uint16), kind="stable")
    return by_low[by_high].astype(np.int64)


@dataclass(frozen=True, eq=False)
class Layout:
    """Nodes by level (positions), and the links in the two orders the sweeps read them in.

    Forward, links are grouped by their successor's level, each with the flat index of the
    predecessor date it counts from (2 * position, plus 1 from a finish) and the successor's
    position; backward, by their predecessor's level, with the successor date and predecessor.
    """

    order: IntArray  # node at each position
    place: IntArray  # position of each node
    level_starts: IntArray  # level k holds positions level_starts[k]:level_starts[k + 1]
    forward: IntArray  # links by their successor's level
    forward_starts: IntArray  # level k's links: forward[forward_starts[k]:forward_starts[k + 1]]
    forward_anchor: IntArray
    forward_successor: IntArray
    backward: IntArray  # links by their predecessor's level
    backward_starts: IntArray
    backward_anchor: IntArray
    backward_predecessor: IntArray

    @property
    def level_count(self) -> int:
        return len(self.level_starts) - 1


def lay_out(
    level: IntArray, predecessor: IntArray, successor: IntArray, from_finish: BoolArray, to_finish: BoolArray
) -> Layout:
    order = level_order(level)
    levels = int(level.max()) + 1 if level.size else 0
    place = np.empty(len(level), dtype=np.int64)
    place[order] = np.arange(len(level))
    forward, backward = stable_argsort(level[successor]), stable_argsort(level[predecessor])
    return Layout(
        order=order,
        place=place,
        level_starts=_starts(level, levels),
        forward=forward,
        forward_starts=_starts(level[successor], levels),
        forward_anchor=2 * place[predecessor[forward]] + from_finish[forward],
        forward_successor=place[successor[forward]],
        backward=backward,
        backward_starts=_starts(level[predecessor], levels),
        backward_anchor=2 * place[successor[backward]] + to_finish[backward],
        backward_predecessor=place[predecessor[backward]],
    )


def _starts(level: IntArray, levels: int) -> IntArray:
    return np.concatenate(([0], np.cumsum(np.bincount(level, minlength=levels)))).astype(np.int64)
