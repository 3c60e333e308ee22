"""The two sweeps for a project whose tasks work on different calendars (timetable.py).

The formulas are passes.py's, with each sum that crosses working time made a calendar rule of
the task concerned: a start is snapped onto its task's working time, a finish is the start plus
the work counted in the task's calendar, and a link's lag is counted in its successor's
calendar, as MS Project counts it by default. A task or link on the axis itself keeps the
plain sums. These sweeps run on Python lists, node by node: a project with several calendars is
an app's project (thousands of tasks, not a hundred thousand), and each rule is a lookup or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from itpm.engine.extras import HIGH, LOW, BoolArray, IntArray
from itpm.engine.levels import Layout
from itpm.engine.timetable import AXIS, Timetable

if TYPE_CHECKING:
    from itpm.engine.passes import BackwardInput, ForwardInput

_IGNORED = 1 << 39  # a constant at or beyond this (either sign) marks a link that never binds


@dataclass
class CalendarSweep:
    """What the calendar rules need beyond the passes' inputs: per position its calendar
    (AXIS or an index) and its work in its own calendar's units; per link in sweep order its
    lag (units of the successor's calendar) and whether it holds back the successor's finish."""

    timetable: Timetable
    calendar: IntArray  # by position
    work: IntArray  # by position: the duration a finish link counts back (forward), or the span
    lag: IntArray  # by link
    to_finish: BoolArray  # by link
    from_finish: BoolArray  # by link
    fixed: BoolArray  # by position: a start on record, which stands where it is
    finished: BoolArray  # by position: both dates on record; its span is the axis's, as reported


def forward_calendars(
    layout: Layout, given: ForwardInput, dates: IntArray, held: IntArray, bounds: list[IntArray]
) -> None:
    """passes._forward_python with calendar rules."""
    sweep = given.calendars
    assert sweep is not None
    table, calendar, work = sweep.timetable, sweep.calendar.tolist(), sweep.work.tolist()
    fixed, finished = sweep.fixed.tolist(), sweep.finished.tolist()
    floor, cap, worked = given.floor.tolist(), given.cap.tolist(), given.worked.tolist()
    progressing = given.progressing
    resume, left, stretch = (v.tolist() for v in (given.resume, given.left, given.stretch))
    best = held.tolist()
    flat = [0] * (2 * len(floor))
    lag, to_finish = sweep.lag.tolist(), sweep.to_finish.tolist()
    groups = []
    for group, constant, sign in (
        (layout.forward, given.constant, 1),
        (layout.forward_min, given.min_constant, -1),
    ):
        numbers = list(range(len(group))) if group.links is None else group.links.tolist()
        groups.append(
            (
                group.anchor.tolist(),
                group.target.tolist(),
                constant.tolist(),
                numbers,
                group.starts.tolist(),
                sign,
                [0] * len(group),
            )
        )
    nodes = layout.level_starts.tolist()
    for level in range(layout.level_count):
        for node in range(nodes[level], nodes[level + 1]):
            start = min(max(floor[node], best[node]), cap[node])
            c = calendar[node]
            if c == AXIS or finished[node]:
                # A finished task's work is its reported span: the days it really took, counted
                # on the axis, whatever its own calendar says it should have worked.
                finish = start + worked[node]
                if progressing and not finished[node]:
                    finish = max(max(finish, resume[node]) + left[node], best[node] + stretch[node])
            else:
                if worked[node] + (left[node] if progressing else 0) > 0 and not fixed[node]:
                    start = table.snap(c, start)
                finish = table.advance(c, start, worked[node])
                if progressing:
                    finish = table.advance(c, max(finish, resume[node]), left[node])
                    if stretch[node] > LOW:
                        finish = max(finish, table.advance(c, best[node], stretch[node]))
            flat[2 * node], flat[2 * node + 1] = start, finish
        for anchor, target, constant, numbers, starts, sign, out in groups:
            for link in range(starts[level], starts[level + 1]):
                node, number = target[link], numbers[link]
                c = calendar[node]
                if c == AXIS or constant[link] <= -_IGNORED:
                    bound = flat[anchor[link]] + constant[link]
                else:
                    bound = table.shift(c, flat[anchor[link]], lag[number])
                    if to_finish[number]:
                        bound = table.start_for_finish(c, bound, work[node])
                out[link] = bound
                if (bound - best[node]) * sign > 0:
                    best[node] = bound
    dates.reshape(-1)[:] = flat
    held[:] = best
    for values, (*_, out) in zip(bounds, groups, strict=True):
        values[:] = out


def backward_calendars(layout: Layout, given: BackwardInput, dates: IntArray) -> None:
    """passes._backward_python with calendar rules; `work` is each task's span in its own
    calendar's units (its early finish less its early start, counted there)."""
    sweep = given.calendars
    assert sweep is not None
    table, calendar, work = sweep.timetable, sweep.calendar.tolist(), sweep.work.tolist()
    finished = sweep.finished.tolist()
    upper, span, constant = given.upper.tolist(), given.span.tolist(), given.constant.tolist()
    low, high = given.low.tolist(), given.high.tolist()
    clipped = given.clipped
    group = layout.backward
    anchor, target = group.anchor.tolist(), group.target.tolist()
    numbers = list(range(len(group))) if group.links is None else group.links.tolist()
    lag, from_finish = sweep.lag.tolist(), sweep.from_finish.tolist()
    best = [HIGH] * len(upper)
    flat = [0] * (2 * len(upper))
    nodes, links = layout.level_starts.tolist(), group.starts.tolist()
    for level in reversed(range(layout.level_count)):
        for link in range(links[level], links[level + 1]):
            node, number, date = target[link], numbers[link], flat[anchor[link]]
            later, own = calendar[anchor[link] // 2], calendar[node]
            if constant[link] >= _IGNORED or (later == AXIS and own == AXIS):
                bound = date + constant[link]
            else:
                bound = table.unshift(later, date, lag[number])
                if not from_finish[number]:
                    bound = table.finish_for_start(own, bound, work[node])
            if bound < best[node]:
                best[node] = bound
        for node in range(nodes[level], nodes[level + 1]):
            finish = min(upper[node], best[node])
            if clipped:
                finish = min(max(finish, low[node]), high[node])
            c = calendar[node]
            if c == AXIS or finished[node]:
                start = finish - span[node]
            else:
                if work[node] > 0 and not (clipped and low[node] == high[node]):
                    finish = table.last_finish(c, finish)
                start = table.retreat(c, finish, work[node])
            flat[2 * node], flat[2 * node + 1] = start, finish
    dates.reshape(-1)[:] = flat
