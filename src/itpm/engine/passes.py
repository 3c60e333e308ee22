"""The two sweeps of the critical path method, level by level.

Nodes are laid out by level (positions), links grouped by the level of their successor for the
forward sweep and of their predecessor for the backward sweep. All links into one level come
from settled levels, so a wide level is settled with a handful of numpy calls whatever its
size; a network of many narrow levels (a long chain, a small project) runs the same formulas
in a plain Python loop instead, which is then faster. Both read and write the same arrays.

Dates live in (N, 2) arrays of [start, finish] per position; a link reads its anchor, the
flat index 2 * position + (0 for a start, 1 for a finish), and adds its constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itpm.engine.extras import HIGH, LOW, IntArray
from itpm.engine.levels import Layout

# numpy pays once a level averages this many nodes and links; below, Python loops are faster.
VECTOR_MIN_WIDTH = 32


def vectorized(layout: Layout) -> bool:
    """Whether numpy pays: the levels are wide enough on average."""
    size = len(layout.order) + len(layout.forward)
    return size >= VECTOR_MIN_WIDTH * layout.level_count


@dataclass
class ForwardInput:
    """Per position: bounds and the terms of the finish; per link in forward order: the rest."""

    floor: IntArray
    cap: IntArray
    worked: IntArray
    resume: IntArray
    left: IntArray
    stretch: IntArray  # the duration of a task whose finish links stretch; LOW elsewhere
    constant: IntArray  # lag, less the successor's duration for a finish link; LOW if ignored


def forward(layout: Layout, given: ForwardInput) -> tuple[IntArray, IntArray]:
    """Early [start, finish] per position, and per position the strongest link bound (or LOW).

    start = min(max(floor, links), cap);  finish = max(max(start + worked, resume) + left,
    links + stretch): a started task's finish links stretch its finish, not its start.
    """
    count = len(given.floor)
    dates = np.zeros((count, 2), dtype=np.int64)
    held = np.full(count, LOW, dtype=np.int64)
    sweep = _forward_numpy if vectorized(layout) else _forward_python
    sweep(layout, given, dates, held)
    return dates, held


def _forward_numpy(layout: Layout, given: ForwardInput, dates: IntArray, held: IntArray) -> None:
    flat = dates.reshape(-1)
    nodes, links = layout.level_starts.tolist(), layout.forward_starts.tolist()
    for level in range(layout.level_count):
        first, stop = links[level], links[level + 1]
        if stop > first:
            bound = flat[layout.forward_anchor[first:stop]] + given.constant[first:stop]
            np.maximum.at(held, layout.forward_successor[first:stop], bound)
        here = slice(nodes[level], nodes[level + 1])
        start = np.minimum(np.maximum(given.floor[here], held[here]), given.cap[here])
        finish = np.maximum(start + given.worked[here], given.resume[here]) + given.left[here]
        dates[here, 0] = start
        dates[here, 1] = np.maximum(finish, held[here] + given.stretch[here])


def _forward_python(layout: Layout, given: ForwardInput, dates: IntArray, held: IntArray) -> None:
    floor, cap, worked = given.floor.tolist(), given.cap.tolist(), given.worked.tolist()
    resume, left, stretch = given.resume.tolist(), given.left.tolist(), given.stretch.tolist()
    anchor, constant = layout.forward_anchor.tolist(), given.constant.tolist()
    successor, best = layout.forward_successor.tolist(), held.tolist()
    flat = [0] * (2 * len(floor))
    nodes, links = layout.level_starts.tolist(), layout.forward_starts.tolist()
    for level in range(layout.level_count):
        for link in range(links[level], links[level + 1]):
            bound = flat[anchor[link]] + constant[link]
            if bound > best[successor[link]]:
                best[successor[link]] = bound
        for node in range(nodes[level], nodes[level + 1]):
            start = min(max(floor[node], best[node]), cap[node])
            finish = max(start + worked[node], resume[node]) + left[node]
            flat[2 * node], flat[2 * node + 1] = start, max(finish, best[node] + stretch[node])
    dates.reshape(-1)[:] = flat
    held[:] = best


@dataclass
class BackwardInput:
    """Per position: the bounds on the late finish and the span; per link in backward order."""

    upper: IntArray
    low: IntArray  # the late finish is clipped to [low, high] last: pinned or held tasks
    high: IntArray
    span: IntArray  # finish - start
    constant: IntArray  # -lag, plus the predecessor's span for a start link; HIGH if ignored


def backward(layout: Layout, given: BackwardInput) -> IntArray:
    """Late [start, finish] per position: finish = clip(min(upper, links), low, high)."""
    dates = np.zeros((len(given.upper), 2), dtype=np.int64)
    sweep = _backward_numpy if vectorized(layout) else _backward_python
    sweep(layout, given, dates)
    return dates


def _backward_numpy(layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    flat = dates.reshape(-1)
    held = np.full(len(given.upper), HIGH, dtype=np.int64)
    nodes, links = layout.level_starts.tolist(), layout.backward_starts.tolist()
    for level in reversed(range(layout.level_count)):
        first, stop = links[level], links[level + 1]
        if stop > first:
            bound = flat[layout.backward_anchor[first:stop]] + given.constant[first:stop]
            np.minimum.at(held, layout.backward_predecessor[first:stop], bound)
        here = slice(nodes[level], nodes[level + 1])
        finish = np.minimum(given.upper[here], held[here])
        finish = np.minimum(np.maximum(finish, given.low[here]), given.high[here])
        dates[here, 1] = finish
        dates[here, 0] = finish - given.span[here]


def _backward_python(layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    upper, low, high = given.upper.tolist(), given.low.tolist(), given.high.tolist()
    span, constant = given.span.tolist(), given.constant.tolist()
    anchor, predecessor = layout.backward_anchor.tolist(), layout.backward_predecessor.tolist()
    best = [HIGH] * len(upper)
    flat = [0] * (2 * len(upper))
    nodes, links = layout.level_starts.tolist(), layout.backward_starts.tolist()
    for level in reversed(range(layout.level_count)):
        for link in range(links[level], links[level + 1]):
            bound = flat[anchor[link]] + constant[link]
            if bound < best[predecessor[link]]:
                best[predecessor[link]] = bound
        for node in range(nodes[level], nodes[level + 1]):
            finish = min(max(min(upper[node], best[node]), low[node]), high[node])
            flat[2 * node], flat[2 * node + 1] = finish - span[node], finish
    dates.reshape(-1)[:] = flat
