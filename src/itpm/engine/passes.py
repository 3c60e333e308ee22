"""The two sweeps of the critical path method, level by level.

Nodes are laid out by level (positions), and links grouped by their predecessor's level
(levels.py). Forward, a level is settled and then pushes its links on to their successors, all
at higher levels; backward, a level pulls its links from their successors, settled already, and
is then settled. A wide level is settled with a handful of numpy calls whatever its size, writing
straight into the date rows; a network of many narrow levels (a long chain, a small project)
runs the same formulas in a plain Python loop instead, which is then faster.

Dates live in (N, 2) arrays of [start, finish] per position; a link reads its anchor, the flat
index 2 * position + (0 for a start, 1 for a finish), and adds its constant. Most networks carry
no progress and no caps: the formulas then shrink to start = max(floor, links) and finish =
start + duration, two numpy calls a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from itpm.engine.calendar_passes import CalendarSweep, backward_calendars, forward_calendars
from itpm.engine.extras import HIGH, IntArray
from itpm.engine.fast_path import kernels
from itpm.engine.levels import Layout, LinkGroup

# numpy pays once a level averages this many nodes and links; below, Python loops are faster.
VECTOR_MIN_WIDTH = 32


def vectorized(layout: Layout) -> bool:
    """Whether numpy pays: the levels are wide enough on average."""
    size = len(layout.order) + layout.link_count
    return size >= VECTOR_MIN_WIDTH * layout.level_count


@dataclass
class ForwardInput:
    """Per position: bounds, the terms of the finish, the starting link bound; per link (in the
    order of layout.forward and layout.forward_min) the constant it adds to its anchor."""

    floor: IntArray
    cap: IntArray
    worked: IntArray
    resume: IntArray
    left: IntArray
    stretch: IntArray  # the duration of a task whose finish links stretch; LOW elsewhere
    held: IntArray  # LOW; HIGH for a gate that takes the earliest of its leaves
    constant: IntArray  # lag, less the successor's duration for a finish link; LOW if ignored
    min_constant: IntArray
    capped: bool  # some cap is below HIGH
    progressing: bool  # some task has resume, left or stretch set: the full finish formula
    calendars: CalendarSweep | None = None  # tasks on calendars other than the axis


def forward(layout: Layout, given: ForwardInput) -> tuple[IntArray, IntArray, IntArray]:
    """Early [start, finish] per position as an (N, 2) array; per position the strongest link
    bound (or LOW); and per link the bound it puts on its successor, what drivers and floats read
    next: start = min(max(floor, links), cap);  finish = max(max(start + worked, resume) + left,
    links + stretch): a started task's finish links stretch its finish.
    """
    dates = np.zeros((len(given.floor), 2), dtype=np.int64)
    held = given.held
    bounds = [np.empty(len(group), dtype=np.int64) for group in (layout.forward, layout.forward_min)]
    compiled = kernels(len(layout.order) + layout.link_count)
    if given.calendars is not None:
        forward_calendars(layout, given, dates, held, bounds)
    elif compiled is not None:
        _forward_compiled(compiled, layout, given, dates, bounds)
    else:
        sweep = _forward_numpy if vectorized(layout) else _forward_python
        sweep(layout, given, dates, held, bounds)
    if layout.forward.links is None:
        return dates, held, bounds[0]
    by_link = np.empty(layout.link_count, dtype=np.int64)
    for group, values in zip((layout.forward, layout.forward_min), bounds, strict=True):
        by_link[group.links] = values
    return dates, held, by_link


def _forward_numpy(
    layout: Layout, given: ForwardInput, dates: IntArray, held: IntArray, bounds: list[IntArray]
) -> None:
    start, finish, flat = dates[:, 0], dates[:, 1], dates.reshape(-1)
    nodes = layout.level_starts.tolist()
    pushes = _pushes(layout.forward, given.constant, np.maximum, bounds[0])
    pushes += _pushes(layout.forward_min, given.min_constant, np.minimum, bounds[1])
    floor, worked = given.floor, given.worked
    plain = not given.capped and not given.progressing
    for level in range(layout.level_count):
        here = slice(nodes[level], nodes[level + 1])
        if plain:
            np.maximum(floor[here], held[here], out=start[here])
            np.add(start[here], worked[here], out=finish[here])
        else:
            _settle_forward(given, held, start, finish, here)
        for group, constant, combine, out, starts in pushes:
            first, stop = starts[level], starts[level + 1]
            if stop > first:
                bound = out[first:stop]
                np.take(flat, group.anchor[first:stop], out=bound)
                bound += constant[first:stop]
                combine.at(held, group.target[first:stop], bound)


def _forward_compiled(
    compiled: ModuleType, layout: Layout, given: ForwardInput, dates: IntArray, bounds: list[IntArray]
) -> None:
    """_forward_numpy's formulas in one compiled loop (cpm_kernels.py)."""
    most, least = layout.forward, layout.forward_min
    compiled.forward_sweep(
        layout.level_starts, *map(_dense, (given.floor, given.cap, given.worked, given.resume)),
        *map(_dense, (given.left, given.stretch)), given.held, dates.reshape(-1),
        given.capped, given.progressing,
        most.starts, most.anchor, most.target, _dense(given.constant), bounds[0],
        least.starts, least.anchor, least.target, _dense(given.min_constant), bounds[1],
    )  # fmt: skip


def _dense(values: IntArray) -> IntArray:
    """A contiguous int64 array (a constant column may be a broadcast view): one compiled
    signature serves every call."""
    return np.ascontiguousarray(values, dtype=np.int64)


Push = tuple[LinkGroup, IntArray, np.ufunc, IntArray, list[int]]


def _pushes(group: LinkGroup, constant: IntArray, combine: np.ufunc, out: IntArray) -> list[Push]:
    return [(group, constant, combine, out, group.starts.tolist())] if len(group) else []


def _settle_forward(
    given: ForwardInput, held: IntArray, start: IntArray, finish: IntArray, here: slice
) -> None:
    np.maximum(given.floor[here], held[here], out=start[here])
    if given.capped:
        np.minimum(start[here], given.cap[here], out=start[here])
    np.add(start[here], given.worked[here], out=finish[here])
    if given.progressing:
        np.maximum(finish[here], given.resume[here], out=finish[here])
        finish[here] += given.left[here]
        np.maximum(finish[here], held[here] + given.stretch[here], out=finish[here])


def _forward_python(
    layout: Layout, given: ForwardInput, dates: IntArray, held: IntArray, bounds: list[IntArray]
) -> None:
    floor, cap, worked = given.floor.tolist(), given.cap.tolist(), given.worked.tolist()
    progressing = given.progressing
    if progressing:
        resume, left, stretch = given.resume.tolist(), given.left.tolist(), given.stretch.tolist()
    best = held.tolist()
    flat = [0] * (2 * len(floor))
    groups = [
        (group.anchor.tolist(), group.target.tolist(), constant.tolist(), group.starts.tolist(), sign, out)
        for group, constant, sign, out in (
            (layout.forward, given.constant, 1, [0] * len(layout.forward)),
            (layout.forward_min, given.min_constant, -1, [0] * len(layout.forward_min)),
        )
    ]
    nodes = layout.level_starts.tolist()
    for level in range(layout.level_count):
        for node in range(nodes[level], nodes[level + 1]):
            start = min(max(floor[node], best[node]), cap[node])
            finish = start + worked[node]
            if progressing:
                finish = max(max(finish, resume[node]) + left[node], best[node] + stretch[node])
            flat[2 * node], flat[2 * node + 1] = start, finish
        for anchor, target, constant, starts, sign, out in groups:
            for link in range(starts[level], starts[level + 1]):
                bound, node = flat[anchor[link]] + constant[link], target[link]
                out[link] = bound
                if (bound - best[node]) * sign > 0:
                    best[node] = bound
    dates.reshape(-1)[:] = flat
    held[:] = best
    for values, (*_, out) in zip(bounds, groups, strict=True):
        values[:] = out


@dataclass
class BackwardInput:
    """Per position: the bounds on the late finish and the span; per link in backward order."""

    upper: IntArray
    low: IntArray  # the late finish is clipped to [low, high] last: pinned or held tasks
    high: IntArray
    span: IntArray  # finish - start
    constant: IntArray  # -lag, plus the predecessor's span for a start link; HIGH if ignored
    clipped: bool  # some low or high is set
    calendars: CalendarSweep | None = None  # tasks on calendars other than the axis


def backward(layout: Layout, given: BackwardInput) -> IntArray:
    """Late [start, finish] per position: finish = clip(min(upper, links), low, high)."""
    dates = np.zeros((len(given.upper), 2), dtype=np.int64)
    compiled = kernels(len(layout.order) + layout.link_count)
    if given.calendars is not None:
        backward_calendars(layout, given, dates)
    elif compiled is not None:
        _backward_compiled(compiled, layout, given, dates)
    else:
        sweep = _backward_numpy if vectorized(layout) else _backward_python
        sweep(layout, given, dates)
    return dates


def _backward_numpy(layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    start, finish, flat = dates[:, 0], dates[:, 1], dates.reshape(-1)
    held = np.full(len(given.upper), HIGH, dtype=np.int64)
    group, constant = layout.backward, given.constant
    nodes, links = layout.level_starts.tolist(), group.starts.tolist()
    upper, span = given.upper, given.span
    for level in reversed(range(layout.level_count)):
        first, stop = links[level], links[level + 1]
        if stop > first:
            bound = flat[group.anchor[first:stop]] + constant[first:stop]
            np.minimum.at(held, group.target[first:stop], bound)
        here = slice(nodes[level], nodes[level + 1])
        np.minimum(upper[here], held[here], out=finish[here])
        if given.clipped:
            np.maximum(finish[here], given.low[here], out=finish[here])
            np.minimum(finish[here], given.high[here], out=finish[here])
        np.subtract(finish[here], span[here], out=start[here])


def _backward_compiled(compiled: ModuleType, layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    """_backward_numpy's formulas in one compiled loop (cpm_kernels.py)."""
    group = layout.backward
    compiled.backward_sweep(
        layout.level_starts, group.starts, group.anchor, group.target, _dense(given.constant),
        *map(_dense, (given.upper, given.low, given.high, given.span)),
        np.full(len(given.upper), HIGH, dtype=np.int64), dates.reshape(-1), given.clipped,
    )  # fmt: skip


def _backward_python(layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    upper, span, constant = given.upper.tolist(), given.span.tolist(), given.constant.tolist()
    clipped = given.clipped
    if clipped:
        low, high = given.low.tolist(), given.high.tolist()
    group = layout.backward
    anchor, target = group.anchor.tolist(), group.target.tolist()
    best = [HIGH] * len(upper)
    flat = [0] * (2 * len(upper))
    nodes, links = layout.level_starts.tolist(), group.starts.tolist()
    for level in reversed(range(layout.level_count)):
        for link in range(links[level], links[level + 1]):
            bound = flat[anchor[link]] + constant[link]
            if bound < best[target[link]]:
                best[target[link]] = bound
        for node in range(nodes[level], nodes[level + 1]):
            finish = min(upper[node], best[node])
            if clipped:
                finish = min(max(finish, low[node]), high[node])
            flat[2 * node], flat[2 * node + 1] = finish - span[node], finish
    dates.reshape(-1)[:] = flat
