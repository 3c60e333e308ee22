"""Over-allocations across projects: who is asked for more than they have, when, and by what.

A run is a stretch of days on which a resource is over its capacity; days on which it neither
works nor is asked for anything (weekends) do not break a run, so "Ann, 2 to 13 March" is one
line, not two. Each run names the tasks (and their projects) booked on the resource then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from itpm.resources.capacity import TOLERANCE, Booking, Load, LoadFilter, loads, role_of, team_of


@dataclass(frozen=True)
class OverAllocationRun:
    resource_id: int
    resource: str
    role: str
    team: str
    start: dt.date
    finish: dt.date  # the last over-allocated day
    days: int  # over-allocated days in the run
    peak_demand: float  # the most units asked for on one day
    capacity: float  # the resource's max units
    excess_days: float  # unit-days above capacity over the run: the work that does not fit
    on_leave_days: int  # over days on which the resource does not work at all (leave, holiday)
    bookings: tuple[Booking, ...]

    @property
    def projects(self) -> list[str]:
        return sorted({b.project_code for b in self.bookings})


def _runs(over: np.ndarray, idle: np.ndarray) -> list[tuple[int, int]]:
    """[first, last] index pairs of over days, bridging gaps made only of idle days."""
    runs: list[tuple[int, int]] = []
    start = last = -1
    for index in np.flatnonzero(over).tolist():
        if start >= 0 and bool(idle[last + 1 : index].all()):
            last = index
            continue
        if start >= 0:
            runs.append((start, last))
        start = last = index
    if start >= 0:
        runs.append((start, last))
    return runs


def runs_of(load: Load, first: dt.date) -> list[OverAllocationRun]:
    over = load.over()
    idle = (load.demand <= TOLERANCE) & (load.capacity <= TOLERANCE)
    resource = load.resource
    result = []
    for lo, hi in _runs(over, idle):
        start, finish = first + dt.timedelta(days=lo), first + dt.timedelta(days=hi)
        days = over[lo : hi + 1]
        excess = (load.demand[lo : hi + 1] - load.capacity[lo : hi + 1])[days]
        bookings = tuple(b for b in load.bookings if b.start <= finish and b.finish >= start)
        result.append(
            OverAllocationRun(
                resource.pk,
                resource.name,
                role_of(resource),
                team_of(resource),
                start,
                finish,
                int(days.sum()),
                float(load.demand[lo : hi + 1].max()),
                float(resource.max_units),
                round(float(excess.sum()), 2),
                int((days & (load.capacity[lo : hi + 1] <= TOLERANCE)).sum()),
                tuple(sorted(bookings, key=lambda b: (b.start, b.project_code, b.task_name))),
            )
        )
    return result


def over_allocation_runs(user: Any, where: LoadFilter) -> list[OverAllocationRun]:
    """Every over-allocation the user may see in the window, earliest first."""
    runs = [run for load in loads(user, where) for run in runs_of(load, where.first)]
    return sorted(runs, key=lambda run: (run.start, run.resource.lower()))
