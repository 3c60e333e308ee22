"""Critical path method: forward and backward pass, ALAP, float, drivers, conflicts.

Time is integer working units; a task occupies [start, finish). `schedule` checks and lays out
the input once (network.py), turns constraints and progress into bounds per node
(constraints.py, progress.py), and runs the passes level by level (passes.py):

1. forward: early dates from the project start (or from nowhere, when scheduling backward);
2. backward: late dates from the project finish (computed, or fixed when scheduling backward);
3. only with ALAP tasks or a fixed finish: each ALAP task (every task not started, scheduling
   backward) is pinned to its late start, and a second forward pass lets what follows it
   move on: later, but never past its own late dates, so the project finish holds.

The dates a task is scheduled on are its early dates after step 3. Drivers, free float,
conflicts and summary roll-ups are then read off the dates with whole-array operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import NetworkArrays, TaskExtras
from itpm.engine.calendar_passes import CalendarSweep
from itpm.engine.constraints import Bounds, node_bounds
from itpm.engine.drivers import critical_path, drivers, free_float
from itpm.engine.extras import HIGH, LOW, BoolArray, IntArray, by_position, is_constant
from itpm.engine.fast_path import kernels
from itpm.engine.model import Link, Task
from itpm.engine.network import FROM_FINISH, TO_FINISH, Network, build_network_arrays, network_read
from itpm.engine.objects import read_objects
from itpm.engine.passes import BackwardInput, ForwardInput, backward, forward
from itpm.engine.plain_path import schedule_plain
from itpm.engine.progress import Progress, task_progress
from itpm.engine.results import Schedule, TaskResult, assemble
from itpm.engine.solved import Solved
from itpm.engine.task_calendars import NodeCalendars, node_calendars
from itpm.engine.timetable import Timetable

__all__ = ["Schedule", "TaskResult", "schedule", "schedule_arrays", "schedule_network"]


def schedule(
    tasks: Iterable[Task],
    links: Iterable[Link],
    *,
    project_start_unit: int = 0,
    status_unit: int | None = None,
    project_finish_unit: int | None = None,
    timetable: Timetable | None = None,
) -> Schedule:
    """Schedule tasks and links; raise EngineError if the input is invalid.

    Forward from `project_start_unit` by default; with `project_finish_unit`, backward from that
    finish (every task as late as it can be, the project start computed; `project_start_unit`
    is then not used). With `status_unit`, work not done yet is scheduled no earlier than it.
    With `timetable`, tasks work on the calendars it names (Task.calendar), and every unit in
    and out is a unit of its axis (timetable.py).
    """
    arrays, ids, index = read_objects(list(tasks), list(links), timetable.names if timetable else ())
    if project_finish_unit is None:  # perhaps plain: one compiled kernel
        scheduled = schedule_plain(
            arrays, {}, project_start_unit, status_unit, timetable=timetable, index=index
        )
        if scheduled is not None:
            return scheduled
    return schedule_network(
        network_read(arrays, ids, index),
        project_start_unit=project_start_unit,
        status_unit=status_unit,
        project_finish_unit=project_finish_unit,
        timetable=timetable,
    )


def schedule_arrays(
    durations: npt.ArrayLike | NetworkArrays,
    predecessor: npt.ArrayLike | None = None,
    successor: npt.ArrayLike | None = None,
    link_type: npt.ArrayLike | None = None,
    lag: npt.ArrayLike | None = None,
    *,
    lag_percent: npt.ArrayLike | None = None,
    parent: npt.ArrayLike | None = None,
    ids: Sequence[str] | None = None,
    extras: TaskExtras | None = None,
    task_calendar: npt.ArrayLike | None = None,
    project_start_unit: int = 0,
    status_unit: int | None = None,
    project_finish_unit: int | None = None,
    timetable: Timetable | None = None,
) -> Schedule:
    """`schedule` for a network given as arrays: tasks by index, links as index pairs.

    Either a NetworkArrays, or its columns: durations per task; per link its predecessor and
    successor (task indices), type (0 FS, 1 SS, 2 FF, 3 SF; FS if None) and lag (units; 0 if
    None). The Schedule is the one `schedule` gives for the same tasks and links as objects,
    with task ids `ids` (the task numbers as text if None).
    """
    if not isinstance(durations, NetworkArrays) and (predecessor is None or successor is None):
        raise TypeError("schedule_arrays needs durations, predecessor and successor")
    columns: dict[str, Any] = {
        "predecessor": predecessor,
        "successor": successor,
        "link_type": link_type,
        "lag": lag,
        "lag_percent": lag_percent,
        "parent": parent,
        "ids": ids,
        "extras": extras,
        "task_calendar": task_calendar,
    }
    if project_finish_unit is None:  # perhaps plain: one compiled kernel
        scheduled = schedule_plain(durations, columns, project_start_unit, status_unit, timetable=timetable)
        if scheduled is not None:
            return scheduled
    arrays = durations if isinstance(durations, NetworkArrays) else NetworkArrays.of(durations, **columns)
    return schedule_network(
        build_network_arrays(arrays),
        project_start_unit=project_start_unit,
        status_unit=status_unit,
        project_finish_unit=project_finish_unit,
        timetable=timetable,
    )


def schedule_network(
    network: Network,
    *,
    project_start_unit: int = 0,
    status_unit: int | None = None,
    project_finish_unit: int | None = None,
    timetable: Timetable | None = None,
) -> Schedule:
    """`schedule` for a network already built: to schedule one network under several options."""
    calendars = node_calendars(network, timetable)
    solved = solve(network, project_start_unit, status_unit, project_finish_unit, calendars)
    driving = drivers(solved)
    free = free_float(solved) if calendars is None else calendars.free_float(solved)
    path = critical_path(solved, driving)
    if calendars is not None:
        # A driver that can slip over a day its successor does not work is not critical.
        float_of = dict(zip(network.ids, solved.total_float.tolist(), strict=False))
        path = [task for task in path if float_of[task] <= 0]
    return assemble(solved, driving, free, path)


def solve(
    network: Network,
    start: int,
    status: int | None,
    fixed_finish: int | None,
    calendars: NodeCalendars | None = None,
) -> Solved:
    """Every date of every node, in node order (and by position, for reading links)."""
    progress = task_progress(network, status)
    backwards = fixed_finish is not None
    bounds = node_bounds(network, progress, None if backwards else start, status)
    if calendars is not None and network.extras.nodes.size:
        calendars.constraint_bounds(network, bounds, progress, None if backwards else start)
        if network.delayed.size:
            calendars.delay_floors(network, bounds)
    sweeps = _Sweeps(network, progress, calendars)
    order, place = network.layout.order, network.layout.place
    early_by_position, held_by_position, link_bounds = sweeps.forward(bounds.floor, bounds.cap)
    early = early_by_position[place]
    finish = _finish(network, early, start) if fixed_finish is None else fixed_finish
    movable = _movable(network, progress, bounds, backwards)
    span = early_by_position[:, 1] - early_by_position[:, 0]
    work = None if calendars is None else calendars.spans(order, early_by_position)
    if backwards:  # nothing held these tasks early: their early dates mean nothing yet
        span = np.where(movable[order], progress.duration[order], span)
        work = None if work is None else np.where(movable[order], progress.duration[order], work)
    upper = np.minimum(by_position(bounds.upper, order), finish)
    late = sweeps.backward(early_by_position, upper, span, work)[place]
    scheduled, scheduled_by_position = early, early_by_position
    if movable.any():  # ALAP: pin to the late start, and let what follows move on
        pinned = np.where(movable, np.maximum(early[:, 0], late[:, 0]), 0)
        floor, cap = np.where(movable, pinned, bounds.floor), np.where(movable, pinned, bounds.cap)
        scheduled_by_position, held_by_position, link_bounds = sweeps.forward(floor, cap)
        scheduled = scheduled_by_position[place]
    start, finish = _span_of_project(network, scheduled, start, finish, backwards)
    held = held_by_position[place]
    solved = Solved(
        network=network,
        progress=progress,
        bounds=bounds if calendars is None else calendars.for_drivers(bounds, scheduled[:, 0]),
        held=held if calendars is None else calendars.driving_held(held, scheduled[:, 0]),
        held_by_position=held_by_position,
        link_bounds=link_bounds,
        scheduled=scheduled,
        scheduled_by_position=scheduled_by_position,
        late=late,
        moved=movable & (scheduled[:, 0] != early[:, 0]),
        ignored=sweeps.ignored,
        # Only progress makes links_read need these again; else their memory goes back now.
        forward_constant=sweeps.forward_constant if progress.reported else _NO_LINKS,
        backward_constant=sweeps.backward_constant,
        start=start,
        finish=finish,
        backwards=backwards,
    )
    if calendars is not None:  # float in the task's own working time
        solved.__dict__["total_float"] = calendars.total_float(scheduled[:, 0], late[:, 0])
    return solved


_NO_LINKS = np.zeros(0, dtype=np.int64)


class _Sweeps:
    """The passes over one network with its progress: bounds in node order, dates by position.

    A link's constant is what it adds to the date it counts from: forward, the lag, less the
    successor's duration for a link to its finish; backward, less the lag, plus the
    predecessor's span for a link from its start. A link history has overtaken (into a task on
    record) gets a constant no date can reach, so it never binds. Backward, a leaf's link into
    the gate of its summary's start binds only a leaf that starts first: the others can slip
    without moving the summary's start.
    """

    def __init__(self, network: Network, progress: Progress, calendars: NodeCalendars | None) -> None:
        self.network, self.progress, self.layout = network, progress, network.layout
        self.calendars = calendars
        successor = self.layout.target  # by position
        order = self.layout.order
        if progress.reported:
            on_record, finished = progress.on_record[order], progress.finished[order]
            self.ignored = finished[successor] | (on_record[successor] & ~network.to_finish)
        else:  # nothing is on record: no link is overtaken (a view of one False, no memory)
            self.ignored = np.broadcast_to(np.False_, (len(successor),))
        self.any_ignored = bool(self.ignored.any())
        constant = _forward_constants(network, progress.duration, self.any_ignored)
        if self.any_ignored:
            constant[self.ignored] = LOW
        self.forward_constant = constant
        self.backward_constant = np.zeros(0, dtype=np.int64)  # set by `backward`

    def forward(self, floor: IntArray, cap: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        """Early dates and the strongest link bound, by position, and each link's bound."""
        progress, layout, order = self.progress, self.layout, self.layout.order
        held = np.full(self.network.node_count, LOW, dtype=np.int64)
        held[layout.place[self.network.earliest_gates]] = HIGH
        if progress.reported:
            stretch = np.where(progress.on_record & ~progress.finished, progress.duration, LOW)
            resume, left, stretch = progress.resume[order], progress.left[order], stretch[order]
        else:
            resume = left = stretch = held  # not read: nothing is in progress
        capped = by_position(cap, order)
        plain_durations = progress.worked is self.network.durations  # then laid out already
        given = ForwardInput(
            floor=by_position(floor, order),
            cap=capped,
            worked=self.network.durations_by_position if plain_durations else progress.worked[order],
            resume=resume,
            left=left,
            stretch=stretch,
            held=held,
            constant=layout.forward.of(self.forward_constant),
            min_constant=layout.forward_min.of(self.forward_constant),
            capped=_below(capped, HIGH),
            progressing=progress.reported,
            calendars=self._calendar_sweep(progress.duration[order]),
        )
        return forward(layout, given)

    def _calendar_sweep(self, work: IntArray | None) -> CalendarSweep | None:
        if self.calendars is None or work is None:
            return None
        network = self.network
        return CalendarSweep(
            timetable=self.calendars.timetable,
            calendar=self.calendars.by_node[self.layout.order],
            work=work,
            lag=network.lag,
            to_finish=network.to_finish,
            from_finish=network.from_finish,
            fixed=self.progress.on_record[self.layout.order],
            finished=self.progress.finished[self.layout.order],
        )

    def backward(self, early: IntArray, upper: IntArray, span: IntArray, work: IntArray | None) -> IntArray:
        """Late dates by position, from early dates, upper bounds and spans by position (and
        with calendars, the spans in each node's own working time); a finished task's stay its
        actual dates."""
        network, layout = self.network, self.layout
        constant = _backward_constants(network, span)
        ignored, into_start_gates = self.ignored, layout.forward_min
        if into_start_gates.links is not None and len(into_start_gates):
            # A leaf that starts after its summary does: its link into the start gate does not bind.
            links = into_start_gates.links
            later = early[layout.source[links], 0] != early[into_start_gates.target, 0]
            ignored = ignored.copy()
            ignored[links[later]] = True
        if ignored.any():
            constant[ignored] = HIGH
        self.backward_constant = constant
        reported = self.progress.reported
        finished = self.progress.finished[self.layout.order] if reported else np.zeros(0, np.bool_)
        clipped = bool(finished.any())
        given = BackwardInput(
            upper=upper,
            low=np.where(finished, early[:, 1], LOW) if clipped else upper,
            high=np.where(finished, early[:, 1], HIGH) if clipped else upper,
            span=span,
            constant=layout.backward.of(self.backward_constant),
            clipped=clipped,
            calendars=self._calendar_sweep(work),
        )
        return backward(layout, given)


def _forward_constants(network: Network, duration: IntArray, to_change: bool) -> IntArray:
    """Per link its lag, less the successor's duration for a link to its finish: a copy if any
    is changed, or if `to_change` (the caller changes some)."""
    layout = network.layout
    compiled = kernels(network.node_count + layout.link_count)
    if compiled is not None:
        return compiled.forward_constants(  # type: ignore[no-any-return]
            network.lag, network.link_flags, layout.target, layout.order, duration, TO_FINISH
        )
    into_finish = network.finish_links  # a quarter of the links, or so: update just those
    constant = network.lag.copy() if into_finish.size or to_change else network.lag
    constant[into_finish] -= duration[layout.order[layout.target[into_finish]]]
    return constant


def _backward_constants(network: Network, span: IntArray) -> IntArray:
    """Per link, less the lag, plus the predecessor's span (by position) for a link from a start."""
    layout = network.layout
    compiled = kernels(network.node_count + layout.link_count)
    if compiled is not None:
        return compiled.backward_constants(  # type: ignore[no-any-return]
            network.lag, network.link_flags, layout.source, np.ascontiguousarray(span), FROM_FINISH
        )
    constant = -network.lag
    from_start = network.start_links
    constant[from_start] += span[layout.source[from_start]]
    return constant


def _below(values: IntArray, limit: int) -> bool:
    """Whether any value is below `limit` (a constant column is one value)."""
    if is_constant(values):
        return values.size > 0 and int(values[0]) < limit
    return bool((values < limit).any())


def _span_of_project(
    network: Network, scheduled: IntArray, start: int, finish: int, backwards: bool
) -> tuple[int, int]:
    """Scheduling backward, the start is where the first task starts; a task held later than
    the fixed finish allows moves the finish too (and shows negative float)."""
    leaves = network.is_leaf
    if not backwards:
        return start, finish
    if not leaves.any():
        return finish, finish
    return int(scheduled[leaves, 0].min()), max(finish, int(scheduled[leaves, 1].max()))


def _finish(network: Network, early: IntArray, start: int) -> int:
    leaves = network.is_leaf
    return max(start, int(early[leaves, 1].max())) if leaves.any() else start


def _movable(network: Network, progress: Progress, bounds: Bounds, backwards: bool) -> BoolArray:
    """Tasks to move late: ALAP ones not started; scheduling backward, all not on record."""
    movable = ~progress.on_record if backwards else bounds.alap & progress.planned
    movable[network.task_count :] = False
    movable[: network.task_count] &= ~network.is_summary
    return movable
