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

from collections.abc import Iterable

import numpy as np

from itpm.engine.constraints import Bounds, node_bounds
from itpm.engine.drivers import critical_path, drivers, free_float
from itpm.engine.extras import HIGH, LOW, BoolArray, IntArray
from itpm.engine.model import Link, Task
from itpm.engine.network import Network, build_network
from itpm.engine.passes import BackwardInput, ForwardInput, backward, forward
from itpm.engine.progress import Progress, task_progress
from itpm.engine.results import Schedule, TaskResult, assemble
from itpm.engine.solved import Solved

__all__ = ["Schedule", "TaskResult", "schedule", "schedule_network"]


def schedule(
    tasks: Iterable[Task],
    links: Iterable[Link],
    *,
    project_start_unit: int = 0,
    status_unit: int | None = None,
    project_finish_unit: int | None = None,
) -> Schedule:
    """Schedule tasks and links; raise EngineError if the input is invalid.

    Forward from `project_start_unit` by default; with `project_finish_unit`, backward from that
    finish (every task as late as it can be, the project start computed; `project_start_unit`
    is then not used). With `status_unit`, work not done yet is scheduled no earlier than it.
    """
    network = build_network(list(tasks), list(links))
    return schedule_network(
        network,
        project_start_unit=project_start_unit,
        status_unit=status_unit,
        project_finish_unit=project_finish_unit,
    )


def schedule_network(
    network: Network,
    *,
    project_start_unit: int = 0,
    status_unit: int | None = None,
    project_finish_unit: int | None = None,
) -> Schedule:
    """`schedule` for a network already built: to schedule one network under several options."""
    solved = solve(network, project_start_unit, status_unit, project_finish_unit)
    driving = drivers(solved)
    return assemble(solved, driving, free_float(solved), critical_path(solved, driving))


def solve(network: Network, start: int, status: int | None, fixed_finish: int | None) -> Solved:
    """Every date of every node, in node order."""
    progress = task_progress(network, status)
    backwards = fixed_finish is not None
    bounds = node_bounds(network, progress, None if backwards else start, status)
    sweeps = _Sweeps(network, progress)
    early, held = sweeps.forward(bounds.floor, bounds.cap)
    finish = _finish(network, early, start) if fixed_finish is None else fixed_finish
    movable = _movable(network, progress, bounds, backwards)
    span = early[:, 1] - early[:, 0]
    if backwards:  # nothing held these tasks early: their early dates mean nothing yet
        span = np.where(movable, progress.duration, span)
    late = sweeps.backward(early, np.minimum(bounds.upper, finish), span)
    scheduled = early
    if movable.any():  # ALAP: pin to the late start, and let what follows move on
        pinned = np.where(movable, np.maximum(early[:, 0], late[:, 0]), 0)
        floor, cap = np.where(movable, pinned, bounds.floor), np.where(movable, pinned, bounds.cap)
        scheduled, held = sweeps.forward(floor, cap)
    start, finish = _span_of_project(network, scheduled, start, finish, backwards)
    return Solved(
        network=network,
        progress=progress,
        bounds=bounds,
        held=held,
        scheduled=scheduled,
        late=late,
        moved=movable & (scheduled[:, 0] != early[:, 0]),
        ignored=sweeps.ignored,
        forward_constant=sweeps.forward_constant,
        backward_constant=sweeps.backward_constant,
        start=start,
        finish=finish,
        backwards=backwards,
    )


class _Sweeps:
    """The passes over one network with its progress, in node order on both sides.

    A link's constant is what it adds to the date it counts from: forward, the lag, less the
    successor's duration for a link to its finish; backward, less the lag, plus the
    predecessor's span for a link from its start. A link history has overtaken (into a task on
    record) gets a constant no date can reach, so it never binds.
    """

    def __init__(self, network: Network, progress: Progress) -> None:
        self.network, self.progress, self.layout = network, progress, network.layout
        successor = network.link_successor
        self.ignored = progress.finished[successor] | (progress.on_record[successor] & ~network.to_finish)
        constant = network.lag - np.where(network.to_finish, progress.duration[successor], 0)
        self.forward_constant = np.where(self.ignored, LOW, constant)
        self.backward_constant = np.zeros(0, dtype=np.int64)  # set by `backward`

    def forward(self, floor: IntArray, cap: IntArray) -> tuple[IntArray, IntArray]:
        """Early dates and the strongest link bound per node."""
        progress, order, place = self.progress, self.layout.order, self.layout.place
        stretch = np.where(progress.on_record & ~progress.finished, progress.duration, LOW)
        given = ForwardInput(
            floor=floor[order],
            cap=cap[order],
            worked=progress.worked[order],
            resume=progress.resume[order],
            left=progress.left[order],
            stretch=stretch[order],
            constant=self.forward_constant[self.layout.forward],
        )
        dates, held = forward(self.layout, given)
        return dates[place], held[place]

    def backward(self, early: IntArray, upper: IntArray, span: IntArray) -> IntArray:
        """Late dates; a finished task's stay its actual dates."""
        network, order, place = self.network, self.layout.order, self.layout.place
        constant = np.where(network.from_finish, 0, span[network.link_predecessor]) - network.lag
        self.backward_constant = np.where(self.ignored, HIGH, constant)
        finished = self.progress.finished
        given = BackwardInput(
            upper=upper[order],
            low=np.where(finished, early[:, 1], LOW)[order],
            high=np.where(finished, early[:, 1], HIGH)[order],
            span=span[order],
            constant=self.backward_constant[self.layout.backward],
        )
        return backward(self.layout, given)[place]


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
