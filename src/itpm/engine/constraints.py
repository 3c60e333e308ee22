"""Constraints, deadlines, the project start and the status date, as bounds per node.

The forward pass sets each early start to  min(max(floor, links), cap),  and the backward pass
each late finish to  min(upper, links):

- SNET raises the floor to its date, FNET to its date less the duration;
- SNLT caps the start at its date, FNLT at its date less the duration; both bound the late
  dates too. With a cap below what the links ask, the constraint wins, as in MS Project by
  default, and the conflict is reported (C101);
- MSO and MFO are a floor and a cap on the same date: the task sits there whatever its links;
- a deadline bounds only the late finish, so a missed one shows as negative float (C102);
- ALAP tasks are marked here and moved later, once the late dates are known (see cpm.py);
- a task whose start is on record sits on its actual start, whatever its constraint;
- a summary may carry SNET, FNLT and a deadline: each holds for every task under it;
- a gate that stands for a summary's start (network.py) has no floor of its own: the summary
  starts where its first child does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itpm.engine.extras import HIGH, LOW, BoolArray, Extras, IntArray, constant, writable
from itpm.engine.model import CONSTRAINT_TYPES
from itpm.engine.network import Network
from itpm.engine.progress import Progress

_ALAP, _SNET, _FNLT = (CONSTRAINT_TYPES.index(name) for name in ("ALAP", "SNET", "FNLT"))
_DATED_BY_START = [CONSTRAINT_TYPES.index(name) for name in ("SNET", "SNLT", "MSO")]
_FLOORS = [CONSTRAINT_TYPES.index(name) for name in ("SNET", "FNET", "MSO", "MFO")]
_CAPS = [CONSTRAINT_TYPES.index(name) for name in ("SNLT", "FNLT", "MSO", "MFO")]


@dataclass
class Bounds:
    """Per node, the bounds the passes apply, and what set them (to name drivers)."""

    floor: IntArray  # early start >= floor: project start, status date, constraints, actual start
    cap: IntArray  # early start <= cap; HIGH where nothing caps it
    upper: IntArray  # late finish <= upper, before the project finish is known
    constraint_floor: IntArray  # the part of the floor a constraint set; LOW where none
    status_floor: IntArray  # the status date where it holds the task; LOW where not
    deadline: IntArray  # a task's own deadline; HIGH where none
    alap: BoolArray

    def writable(self) -> Bounds:
        """The same bounds, every column one that can be filled in."""
        return Bounds(
            floor=writable(self.floor),
            cap=writable(self.cap),
            upper=writable(self.upper),
            constraint_floor=writable(self.constraint_floor),
            status_floor=writable(self.status_floor),
            deadline=writable(self.deadline),
            alap=writable(self.alap),
        )


@dataclass
class _Inherited:
    """What summaries pass down to every task under them, in date terms, per task."""

    start_floor: IntArray  # SNET
    finish_cap: IntArray  # FNLT
    deadline: IntArray


def node_bounds(
    network: Network, progress: Progress, project_start: int | None, status: int | None
) -> Bounds:
    """Bounds for every node. `project_start` None means none: the backward-scheduling case.

    A plain plan has no constraints, summaries or progress: most columns are then constants
    (extras.constant), and only what the project says is filled in.
    """
    count = network.node_count
    floor = constant(count, LOW if project_start is None else project_start)
    if network.earliest_gates.size:
        floor = floor.copy()
        floor[network.earliest_gates] = LOW  # a summary's start is its first child's, wherever
    status_floor = constant(count, LOW)
    if status is not None:
        status_floor = status_floor.copy()
        status_floor[: network.task_count][progress.planned[: network.task_count]] = status
        floor = np.maximum(floor, status_floor)
    bounds = Bounds(
        floor=floor,
        cap=constant(count, HIGH),
        upper=constant(count, HIGH),
        constraint_floor=constant(count, LOW),
        status_floor=status_floor,
        deadline=constant(count, HIGH),
        alap=np.broadcast_to(np.False_, (count,)),
    )
    summaries = bool(network.is_summary.any())
    pinned = np.flatnonzero(progress.on_record) if progress.reported else np.zeros(0, dtype=np.int64)
    if not (network.extras.nodes.size or summaries or pinned.size):
        return bounds  # no delays either: those are extras
    bounds = bounds.writable()
    inherited = _Inherited(*(np.full(network.task_count, v, np.int64) for v in (LOW, HIGH, HIGH)))
    if network.extras.nodes.size:
        _apply(bounds, inherited, network.extras, progress.duration)
    if summaries:
        _pass_down(network, inherited, bounds, progress.duration)
    _pin_on_record(bounds, progress, pinned, inherited.deadline)
    if network.delayed.size:  # after everything that sets a floor: the delay counts from it
        bounds.floor[network.delayed] += network.delay
    return bounds


def _apply(bounds: Bounds, inherited: _Inherited, extras: Extras, durations: IntArray) -> None:
    """Each task's own constraint and deadline, all tasks at once."""
    nodes, kind, date, deadline = extras.nodes, extras.constraint, extras.constraint_date, extras.deadline
    duration = durations[nodes]
    start = np.where(np.isin(kind, _DATED_BY_START), date, date - duration)
    floor = np.where(np.isin(kind, _FLOORS), start, LOW)
    cap = np.where(np.isin(kind, _CAPS), start, HIGH)
    bounds.deadline[nodes] = inherited.deadline[nodes] = deadline
    bounds.alap[nodes] = kind == _ALAP
    bounds.constraint_floor[nodes] = floor
    bounds.floor[nodes] = np.maximum(bounds.floor[nodes], floor)
    bounds.cap[nodes] = cap
    bounds.upper[nodes] = np.minimum(np.where(cap < HIGH, cap + duration, HIGH), deadline)
    inherited.start_floor[nodes] = np.where(kind == _SNET, date, LOW)
    inherited.finish_cap[nodes] = np.where(kind == _FNLT, date, HIGH)


def _pass_down(network: Network, inherited: _Inherited, bounds: Bounds, duration: IntArray) -> None:
    """Summary constraints reach every task below, depth by depth from the top."""
    for depth in range(1, int(network.depth.max()) + 1):
        children = np.flatnonzero(network.depth == depth)
        parents = network.parent[children]
        inherited.start_floor[children] = np.maximum(
            inherited.start_floor[children], inherited.start_floor[parents]
        )
        for values in (inherited.finish_cap, inherited.deadline):
            values[children] = np.minimum(values[children], values[parents])
    leaves = np.flatnonzero(~network.is_summary)
    finish_cap = inherited.finish_cap[leaves]
    held = np.maximum(bounds.constraint_floor[leaves], inherited.start_floor[leaves])
    bounds.constraint_floor[leaves] = held
    bounds.floor[leaves] = np.maximum(bounds.floor[leaves], held)
    capped = finish_cap < HIGH
    bounds.cap[leaves] = np.where(
        capped, np.minimum(bounds.cap[leaves], finish_cap - duration[leaves]), bounds.cap[leaves]
    )
    upper = np.minimum(bounds.upper[leaves], np.minimum(finish_cap, inherited.deadline[leaves]))
    bounds.upper[leaves] = upper


def _pin_on_record(bounds: Bounds, progress: Progress, pinned: IntArray, deadlines: IntArray) -> None:
    """A start on record stands: no constraint moves it, and only deadlines bound it later."""
    if not pinned.size:
        return
    bounds.floor[pinned] = bounds.cap[pinned] = progress.actual_start[pinned]
    bounds.constraint_floor[pinned] = LOW
    bounds.alap[pinned] = False
    bounds.upper[pinned] = deadlines[pinned]
