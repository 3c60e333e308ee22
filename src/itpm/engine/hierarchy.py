"""The summary tree as arrays: each task's depth, which tasks are summaries, the leaves under each.

Depths are found by stepping every task up to its parent at once, as many times as the tree is
deep; a task still climbing after more steps than there are summaries sits below a cycle: E008.
The leaves under each summary, which its gates are wired to, are listed once as compressed
rows, sorted, for all summaries together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from itpm.engine.errors import HIERARCHY_CYCLE, EngineError, describe_chain
from itpm.engine.extras import BoolArray, IntArray
from itpm.engine.levels import stable_argsort

TOP_LEVEL = -1


@dataclass(frozen=True, eq=False)
class Tree:
    parent: IntArray  # per task: its summary, or TOP_LEVEL
    depth: IntArray  # per task: 0 at top level
    is_summary: BoolArray

    @property
    def flat(self) -> bool:
        return not self.is_summary.any()

    def leaves_under(self) -> tuple[IntArray, IntArray]:
        """Compressed rows: the leaves under summary s are leaves[starts[s]:starts[s + 1]], sorted."""
        count = len(self.parent)
        leaf = np.flatnonzero(~self.is_summary & (self.parent != TOP_LEVEL))
        below, above = [leaf], [self.parent[leaf]]
        while True:
            climbing = self.parent[above[-1]] != TOP_LEVEL
            if not climbing.any():
                break
            below.append(below[-1][climbing])
            above.append(self.parent[above[-1][climbing]])
        leaves, summaries = np.concatenate(below), np.concatenate(above)
        by_leaf = stable_argsort(leaves)
        by_summary = by_leaf[stable_argsort(summaries[by_leaf])]
        starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(summaries, minlength=count), out=starts[1:])
        return starts, leaves[by_summary]


def tree(parent: IntArray | None, ids: Sequence[str]) -> Tree:
    count = len(ids)
    if parent is None or not count or not (parent != TOP_LEVEL).any():
        flat = np.full(count, TOP_LEVEL, dtype=np.int64)
        return Tree(flat, np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.bool_))
    is_summary = np.zeros(count, dtype=np.bool_)
    is_summary[parent[parent != TOP_LEVEL]] = True
    return Tree(parent, _depths(parent, int(is_summary.sum()), ids), is_summary)


def _depths(parent: IntArray, summaries: int, ids: Sequence[str]) -> IntArray:
    depth = np.zeros(len(parent), dtype=np.int64)
    climbing = np.flatnonzero(parent != TOP_LEVEL)
    above = parent[climbing]
    for _ in range(summaries + 1):
        if not climbing.size:
            return depth
        depth[climbing] += 1
        up = parent[above]
        keep = up != TOP_LEVEL
        climbing, above = climbing[keep], up[keep]
    _raise_hierarchy_cycle(parent.tolist(), ids)
    raise AssertionError("unreachable: a task kept climbing, so the tree has a cycle")


def _raise_hierarchy_cycle(parent: list[int], ids: Sequence[str]) -> None:
    """Walk up from each task in turn until a walk comes back on itself: name that cycle."""
    done = [False] * len(parent)
    for first in range(len(parent)):
        path: list[int] = []
        node = first
        while node != TOP_LEVEL and not done[node]:
            if node in path:
                cycle = tuple(ids[n] for n in path[path.index(node) :])
                message = f"task hierarchy has a cycle: {describe_chain(cycle)}"
                raise EngineError(HIERARCHY_CYCLE, message, cycle)
            path.append(node)
            node = parent[node]
        for node_on_path in path:
            done[node_on_path] = True
