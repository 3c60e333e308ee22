"""Resource-constrained scheduling: the problem levelling solves, and an independent checker.

A `Problem` is activities with integer durations, renewable resources with a capacity in units
(a person is 1, a team of four is 4, someone half-time is 0.5), the units each activity needs of
each resource in every period it runs, and links with the CPM engine's meaning (model.Link: FS,
SS, FF, SF, lags and leads). Time is integer working periods from the project start, 0; an
activity started at s runs in the periods s .. s + duration - 1.

`check_schedule` is deliberately written apart from the heuristics and the solver: it reads the
links and demands as given, not the arrays the schedulers compile, so a bug there cannot hide.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

import numpy as np

from itpm.engine.errors import (
    DEMAND_EXCEEDS_CAPACITY,
    DUPLICATE_RESOURCE,
    DUPLICATE_TASK,
    INVALID_CAPACITY,
    INVALID_DEMAND,
    INVALID_RELEASE,
    INVALID_RESOURCE_CALENDAR,
    NEGATIVE_DURATION,
    UNKNOWN_RESOURCE,
    UNKNOWN_TASK,
    EngineError,
)
from itpm.engine.model import Link


@dataclass(frozen=True)
class Resource:
    """A renewable resource: `capacity` units available in every period, except where its
    `calendar` says otherwise: runs (start, finish, units) giving the units in the periods
    start .. finish - 1, such as (10, 15, 0) for a week of leave or (0, 20, 0.5) for half-time
    in the first four weeks. After its last run a resource has its `capacity` for ever."""

    id: str
    capacity: float
    name: str = ""
    calendar: tuple[tuple[int, int, float], ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.capacity) and self.capacity >= 0):
            message = f"resource {self.id!r} has capacity {self.capacity}; give a number of units ≥ 0"
            raise EngineError(INVALID_CAPACITY, message)
        runs = tuple((int(start), int(finish), float(units)) for start, finish, units in self.calendar)
        object.__setattr__(self, "calendar", tuple(sorted(runs)))
        previous = 0
        for start, finish, units in self.calendar:
            run = f"resource {self.id!r}: calendar run {start}..{finish}"
            if not (0 <= start < finish) or start < previous:
                raise EngineError(INVALID_RESOURCE_CALENDAR, f"{run} is empty, negative or overlaps another")
            if not (math.isfinite(units) and units >= 0):
                raise EngineError(INVALID_RESOURCE_CALENDAR, f"{run} has {units} units; give a number ≥ 0")
            previous = finish

    @property
    def calendar_end(self) -> int:
        """The first period from which the resource has its `capacity` for ever."""
        return self.calendar[-1][1] if self.calendar else 0

    def capacities(self, periods: int) -> np.ndarray:
        """The units available in each of the first `periods` periods."""
        units = np.full(max(periods, 0), float(self.capacity))
        for start, finish, amount in self.calendar:
            units[start:finish] = amount
        return units


@dataclass(frozen=True)
class Activity:
    """Work to schedule. `demands` maps a resource id to the units needed in each period.

    `priority` (0 to 1000, like MS Project) matters to the PRIORITY rule: higher goes first.
    `fixed` activities are not levelled: they keep their early start (see docs/levelling.md for
    the one case where they must move). `release` is the earliest period the activity may start.
    """

    id: str
    duration: int
    demands: Mapping[str, float] = field(default_factory=dict, hash=False)  # a read-only mapping
    priority: int = 500
    fixed: bool = False
    release: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if self.duration < 0:
            message = f"activity {self.id!r} has negative duration {self.duration}"
            raise EngineError(NEGATIVE_DURATION, message, (self.id,))
        if self.release < 0:
            message = f"activity {self.id!r} has release {self.release}; give a period ≥ 0"
            raise EngineError(INVALID_RELEASE, message, (self.id,))
        for resource, units in self.demands.items():
            if not (math.isfinite(units) and units >= 0):
                message = f"activity {self.id!r} needs {units} units of {resource!r}; give a number ≥ 0"
                raise EngineError(INVALID_DEMAND, message, (self.id,))
        object.__setattr__(self, "demands", MappingProxyType(dict(self.demands)))

    @classmethod
    def effort_driven(cls, id: str, work: float, demands: Mapping[str, float], **options: Any) -> Activity:
        """An activity whose duration follows its work, as MS Project's effort-driven tasks do:
        work (unit-periods, e.g. person-days) = duration x the units of all its demands, so
        the duration is work / total units, rounded up to whole periods. Two people on 10
        person-days take 5 periods; one person half-time takes 20. `options` are Activity's."""
        if not (math.isfinite(work) and work >= 0):
            raise EngineError(NEGATIVE_DURATION, f"activity {id!r} has work {work}; give a number ≥ 0", (id,))
        units = sum(demands.values())
        if work > 0 and not (math.isfinite(units) and units > 0):
            message = f"activity {id!r} has work {work:g} but no units to do it with"
            raise EngineError(INVALID_DEMAND, message, (id,))
        duration = math.ceil(work / units - 1e-9) if work > 0 else 0
        return cls(id, duration, demands, **options)


@dataclass(frozen=True, eq=False)
class Problem:
    """Activities, resources and links, checked across each other when made."""

    activities: tuple[Activity, ...]
    resources: tuple[Resource, ...]
    links: tuple[Link, ...] = ()
    index: Mapping[str, int] = field(init=False, repr=False)  # activity id -> position

    def __init__(
        self, activities: Iterable[Activity], resources: Iterable[Resource], links: Iterable[Link] = ()
    ) -> None:
        object.__setattr__(self, "activities", tuple(activities))
        object.__setattr__(self, "resources", tuple(resources))
        object.__setattr__(self, "links", tuple(links))
        object.__setattr__(self, "index", _unique_ids(self.activities))
        self._check_resources()
        for link in self.links:
            for end in (link.predecessor, link.successor):
                if end not in self.index:
                    message = f"link {link.predecessor} → {link.successor}: no activity {end!r}"
                    raise EngineError(UNKNOWN_TASK, message, (end,))

    def _check_resources(self) -> None:
        capacity: dict[str, float] = {}
        for resource in self.resources:
            if resource.id in capacity:
                raise EngineError(DUPLICATE_RESOURCE, f"resource id {resource.id!r} is used twice")
            capacity[resource.id] = resource.capacity
        for activity in self.activities:
            for resource_id, units in activity.demands.items():
                if resource_id not in capacity:
                    message = f"activity {activity.id!r} needs resource {resource_id!r}, which is not given"
                    raise EngineError(UNKNOWN_RESOURCE, message, (activity.id,))
                if units > capacity[resource_id] and activity.duration > 0:
                    message = (
                        f"activity {activity.id!r} needs {units:g} units of {resource_id!r},"
                        f" which has {capacity[resource_id]:g}"
                    )
                    raise EngineError(DEMAND_EXCEEDS_CAPACITY, message, (activity.id,))

    def start_lag(self, link: Link) -> int:
        """The link as a bound on starts: successor start ≥ predecessor start + this."""
        before = self.activities[self.index[link.predecessor]].duration
        after = self.activities[self.index[link.successor]].duration
        lag = link.lag if link.lag_percent is None else round(before * link.lag_percent / 100)
        return lag + (before if link.from_finish else 0) - (after if link.to_finish else 0)


def _unique_ids(activities: Sequence[Activity]) -> Mapping[str, int]:
    index: dict[str, int] = {}
    for position, activity in enumerate(activities):
        if activity.id in index:
            raise EngineError(DUPLICATE_TASK, f"activity id {activity.id!r} is used twice", (activity.id,))
        index[activity.id] = position
    return MappingProxyType(index)


@dataclass(frozen=True)
class Violation:
    """Something a schedule breaks: `kind` is 'start', 'release', 'link' or 'resource'."""

    kind: str
    message: str
    activities: tuple[str, ...] = ()
    resource: str | None = None
    period: int | None = None


@dataclass(frozen=True)
class OverAllocation:
    """`resource` needs `demand` units in the periods start .. finish - 1 but has `capacity`."""

    resource: str
    start: int
    finish: int
    demand: float
    capacity: float


def check_schedule(problem: Problem, starts: Mapping[str, int]) -> list[Violation]:
    """Every way the starts break the problem: missing or negative starts, starts before a
    release, links not honoured, and each period in which a resource is over its capacity."""
    violations = _start_violations(problem, starts)
    if any(v.kind == "start" for v in violations):
        return violations
    for link in problem.links:
        before, after = starts[link.predecessor], starts[link.successor]
        if after < before + problem.start_lag(link):
            message = (
                f"{link.type} link {link.predecessor} → {link.successor} (lag {link.lag})"
                f" is broken: starts {before} and {after}"
            )
            violations.append(Violation("link", message, (link.predecessor, link.successor)))
    for over in over_allocations(problem, starts):
        for period in range(over.start, over.finish):
            message = f"{over.resource} needs {over.demand:g} of {over.capacity:g} units in period {period}"
            violations.append(Violation("resource", message, (), over.resource, period))
    return violations


def _start_violations(problem: Problem, starts: Mapping[str, int]) -> list[Violation]:
    violations = []
    for activity in problem.activities:
        start = starts.get(activity.id)
        if start is None or start < 0:
            message = f"activity {activity.id!r} has start {start}; every activity needs one ≥ 0"
            violations.append(Violation("start", message, (activity.id,)))
        elif start < activity.release:
            message = f"activity {activity.id!r} starts at {start}, before its release {activity.release}"
            violations.append(Violation("release", message, (activity.id,)))
    return violations


def over_allocations(problem: Problem, starts: Mapping[str, int]) -> list[OverAllocation]:
    """Runs of periods where a resource's demand exceeds its capacity, one per constant demand.

    Sums are in floating point with a tolerance of a millionth of a unit, so that ten tenths of
    a person never count as more than one person."""
    result: list[OverAllocation] = []
    if not problem.activities:
        return result
    end = max(starts[a.id] + a.duration for a in problem.activities) + 1
    usage = {resource.id: np.zeros(end + 1) for resource in problem.resources}
    for activity in problem.activities:
        start = starts[activity.id]
        for resource_id, units in activity.demands.items():
            if units and activity.duration:
                usage[resource_id][start] += units
                usage[resource_id][start + activity.duration] -= units
    for resource in problem.resources:
        result.extend(_runs_over(resource, np.cumsum(usage[resource.id])[:end], resource.capacities(end)))
    return result


def _runs_over(resource: Resource, demand: np.ndarray, capacity: np.ndarray) -> list[OverAllocation]:
    """Runs of periods over capacity; a run ends where the demand or the capacity changes."""
    over = demand > capacity + 1e-6
    if not over.any():
        return []
    demand, capacity = np.round(demand, 6), np.round(capacity, 6)
    changes = (np.diff(demand) != 0) | (np.diff(capacity) != 0) | (np.diff(over) != 0)
    edges = np.concatenate(([0], np.flatnonzero(changes) + 1, [len(demand)]))
    return [
        OverAllocation(resource.id, int(first), int(after), float(demand[first]), float(capacity[first]))
        for first, after in pairwise(edges.tolist())
        if over[first]
    ]
