"""Topological levels, and the network laid out by level for the two sweeps.

A node's level is one more than the highest level among its predecessors, so all the links
into a level come from lower levels, and a pass can settle a whole level at once with numpy.
Levels are found once per network, by Kahn's algorithm run a whole frontier at a time; where
the frontiers are narrow (deep chains, small projects) a plain Python loop is faster and
takes over. A node that never reaches the frontier lies on or behind a cycle: E001.

The layout numbers nodes by level (positions) and groups the links by their predecessor's
level, each level's links by predecessor: the forward sweep settles a level and then pushes
its links on to their successors; the backward sweep pulls each level's links from their
successors, settled already, and then settles the level. One grouping serves both sweeps and
comes from the out-edge lists Kahn's algorithm builds anyway, so laying out sorts nothing more.
"""

from __future__ import annotations

import sys
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


@dataclass(frozen=True, eq=False)
class OutEdges:
    """Compressed rows of the links by predecessor: node v's links are by_source[starts[v]:
    starts[v + 1]], in link order, and lead to targets[starts[v]:starts[v + 1]]."""

    starts: IntArray
    by_source: IntArray
    targets: IntArray


def out_edges(node_count: int, source: IntArray, target: IntArray) -> OutEdges:
    by_source = stable_argsort(source)
    starts = np.zeros(node_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=node_count), out=starts[1:])
    return OutEdges(starts, by_source, target[by_source])


def topological_levels(
    node_count: int, predecessor: IntArray, successor: IntArray, ids: Sequence[str]
) -> IntArray:
    """Level per node; raise E001 naming one cycle if some nodes can never be placed."""
    return levels_of(node_count, predecessor, successor, ids, out_edges(node_count, predecessor, successor))


def levels_of(
    node_count: int, predecessor: IntArray, successor: IntArray, ids: Sequence[str], edges: OutEdges
) -> IntArray:
    return level_network(node_count, predecessor, successor, ids, edges).level


@dataclass(frozen=True, eq=False)
class Levelled:
    """Each node's level; and, when Kahn's algorithm ran on numpy throughout, what it saw on
    the way, which is the sweep order (see sweep_order): the frontiers end to end (the nodes of
    each level, sorted), and the out-edge rows it read, level by level, with their targets."""

    level: IntArray
    order: IntArray | None = None
    rows: IntArray | None = None
    reached: IntArray | None = None


def level_network(
    node_count: int, predecessor: IntArray, successor: IntArray, ids: Sequence[str], edges: OutEdges
) -> Levelled:
    waiting = np.bincount(successor, minlength=node_count).astype(np.int64, copy=False)
    level = np.full(node_count, -1, dtype=np.int64)
    frontier = np.flatnonzero(waiting == 0)
    if node_count + len(successor) < PYTHON_BELOW:
        _python_levels(frontier, 0, level, waiting, edges)
        levelled = Levelled(level)
    else:
        levelled = _numpy_levels(frontier, level, waiting, edges)
    if frontier.size < node_count and (level < 0).any():
        unplaced = waiting.tolist()
        _raise_cycle(find_cycle(node_count, predecessor, successor, unplaced), ids)
    return levelled


def _numpy_levels(frontier: IntArray, level: IntArray, waiting: IntArray, edges: OutEdges) -> Levelled:
    degree = np.diff(edges.starts)
    starts, targets = edges.starts, edges.targets
    # What the walk reads is written straight into the arrays of the sweep order.
    order, rows, reached = np.empty_like(level), np.empty_like(targets), np.empty_like(targets)
    span = np.arange(len(targets), dtype=np.int64)
    placed, read, depth, narrow = 0, 0, 0, 0
    while frontier.size:
        narrow += frontier.size < NARROW_FRONTIER
        if narrow > NARROW_LEVELS_BEFORE_PYTHON:
            _python_levels(frontier, depth, level, waiting, edges)
            return Levelled(level)
        level[frontier] = depth
        order[placed : placed + frontier.size] = frontier
        placed += frontier.size
        counts = degree[frontier]
        ends = np.cumsum(counts)
        total = int(ends[-1])
        ends -= counts
        ends -= starts[
            frontier
        ]  # row = place in the walk - (where the node's rows begin there - its first row)
        here = slice(read, read + total)
        np.subtract(span[:total], np.repeat(ends, counts), out=rows[here])
        np.take(targets, rows[here], out=reached[here])
        hit = reached[here]
        np.subtract.at(waiting, hit, 1)
        frontier = _distinct(hit[waiting[hit] == 0])
        read += total
        depth += 1
    return Levelled(level, order[:placed], rows[:read], reached[:read])


def _distinct(nodes: IntArray) -> IntArray:
    """Sorted, each once: np.unique does this too, but costs ten times more on small arrays."""
    if nodes.size < 2:
        return nodes
    nodes = np.sort(nodes)
    keep = np.empty(nodes.size, dtype=np.bool_)
    keep[0] = True
    np.not_equal(nodes[1:], nodes[:-1], out=keep[1:])
    return nodes[keep]


def ranges(first: IntArray, counts: IntArray) -> IntArray:
    """The concatenation of range(first[i], first[i] + counts[i]) for every i, without a loop."""
    ends = np.cumsum(counts)
    total = int(ends[-1]) if ends.size else 0
    spans = np.arange(total, dtype=np.int64)
    spans += np.repeat(first - ends + counts, counts)
    return spans


def _python_levels(
    frontier: IntArray, depth: int, level: IntArray, waiting: IntArray, edges: OutEdges
) -> None:
    """Kahn's algorithm one level at a time over lists, from `frontier` at `depth`."""
    left, first, after = waiting.tolist(), edges.starts.tolist(), edges.targets.tolist()
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
    edges = out_edges(node_count, successor, predecessor)
    starts, predecessors = edges.starts.tolist(), edges.targets.tolist()
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
    if not keys.size or bool((keys[1:] >= keys[:-1]).all()):
        return np.arange(len(keys), dtype=np.int64)  # sorted already, as links often come
    if keys.max() < 2**16:
        return np.argsort(keys.astype(np.uint16), kind="stable").astype(np.int64, copy=False)
    by_low = np.argsort(keys.astype(np.uint16), kind="stable")  # the cast keeps the low 16 bits
    if sys.byteorder == "little" and keys.dtype == np.int64 and keys.flags.c_contiguous:
        high = keys.view(np.uint16)[1::4]  # bits 16 to 31 of each key, read in place
    else:
        high = (keys >> 16).astype(np.uint16)
    by_high = np.argsort(high[by_low], kind="stable")
    return by_low[by_high].astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class LinkGroup:
    """Links grouped by their predecessor's level: level k's are [starts[k], starts[k + 1]).

    `anchor` is the flat index (2 * position, plus 1 for a finish) of the date each link reads,
    `target` the position whose bound it sets: forward, the predecessor's date and the
    successor; backward, the successor's date and the predecessor. `links` picks the links of
    the group out of all of them, or is None when the group has them all.
    """

    links: IntArray | None
    starts: IntArray
    anchor: IntArray
    target: IntArray

    def only(self, keep: BoolArray, source: IntArray, level_starts: IntArray) -> LinkGroup:
        """The links where `keep` holds, still grouped; `source` is each link's predecessor position."""
        return LinkGroup(
            links=np.flatnonzero(keep),
            starts=np.searchsorted(source[keep], level_starts).astype(np.int64),
            anchor=self.anchor[keep],
            target=self.target[keep],
        )

    def __len__(self) -> int:
        return len(self.anchor)

    def of(self, values: IntArray) -> IntArray:
        """Per-link values, for this group's links."""
        return values if self.links is None else values[self.links]


@dataclass(frozen=True, eq=False)
class Layout:
    """Nodes by level (positions), and the links, numbered in sweep order, grouped by level.

    Links are numbered by their predecessor's position, so level by level. Forward, each
    level's links push the predecessor's date onto the successor: with a maximum, but the
    `forward_min` links (into a gate that takes the earliest of its leaves) with a minimum.
    Backward, every link pulls the successor's late date onto the predecessor.
    """

    order: IntArray  # node at each position
    place: IntArray  # position of each node
    level_starts: IntArray  # level k holds positions level_starts[k]:level_starts[k + 1]
    source: IntArray  # per link: its predecessor's position
    target: IntArray  # per link: its successor's position
    from_anchor: IntArray  # per link: the flat index of the date it counts from
    to_anchor: IntArray  # per link: the flat index of the date it holds back
    forward: LinkGroup
    forward_min: LinkGroup
    backward: LinkGroup

    @property
    def level_count(self) -> int:
        return len(self.level_starts) - 1

    @property
    def link_count(self) -> int:
        return len(self.backward)


@dataclass(frozen=True, eq=False)
class SweepOrder:
    """Positions and links in sweep order: the node at each position and each node's position;
    per link in sweep order, its number in the link numbering of `edges` and the positions of
    its successor and predecessor; per position, how many links leave it."""

    order: IntArray
    place: IntArray
    links: IntArray
    target: IntArray  # per link, its successor's position
    degree: IntArray
    source: IntArray  # per link, its predecessor's position


def sweep_order(levelled: Levelled, edges: OutEdges) -> SweepOrder:
    if levelled.order is not None and levelled.rows is not None and levelled.reached is not None:
        order, rows, successor = levelled.order, levelled.rows, levelled.reached
        degree = np.diff(edges.starts)[order]
    else:
        order = level_order(levelled.level)
        degree = np.diff(edges.starts)[order]
        rows = ranges(edges.starts[order], degree)  # runs of consecutive rows: cheap to gather
        successor = edges.targets[rows]
    # In place, where the walk's arrays are read once more: fresh memory costs page faults.
    # (np.take buffers its output when it is also its input, so this is safe.)
    links = np.take(edges.by_source, rows, out=rows)
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order), dtype=np.int64)
    target = np.take(place, successor, out=successor)
    source = np.repeat(np.arange(len(order), dtype=np.int64), degree)
    return SweepOrder(order, place, links, target, degree, source)


def _anchors(position: IntArray, at_finish: npt.NDArray[np.int8]) -> IntArray:
    """2 * position + at_finish (0 or 1): the flat index of a start, or of a finish."""
    anchor = position * 2
    anchor += at_finish
    return anchor


def lay_out(
    level: IntArray,
    sweep: SweepOrder,
    flags: npt.NDArray[np.int8],
    into_min: BoolArray | None = None,
) -> Layout:
    """The layout of the links in sweep order; `flags` per link: 1 from a finish, 2 to a finish.

    `into_min` marks the links the forward sweep applies with a minimum (None: none).
    """
    order, place = sweep.order, sweep.place
    count = len(level)
    levels = int(level[order[-1]]) + 1 if count else 0
    level_starts = np.searchsorted(level[order], np.arange(levels + 1)).astype(np.int64)
    source = sweep.source
    target = sweep.target
    through = np.zeros(count + 1, dtype=np.int64)  # links from positions before each position
    np.cumsum(sweep.degree, out=through[1:])
    starts = through[level_starts]
    from_anchor, to_anchor = _anchors(source, flags & 1), _anchors(target, (flags >> 1) & 1)
    forward = LinkGroup(None, starts, from_anchor, target)
    backward = LinkGroup(None, starts, to_anchor, source)
    none = np.zeros(0, dtype=np.int64)
    forward_min = LinkGroup(none, np.zeros(levels + 1, dtype=np.int64), none, none)
    if into_min is not None and into_min.any():
        forward_min = forward.only(into_min, source, level_starts)
        forward = forward.only(~into_min, source, level_starts)
    return Layout(
        order, place, level_starts, source, target, from_anchor, to_anchor, forward, forward_min, backward
    )
