"""The levelling keys of itpm's native project file, and the file as a levelling Problem.

At the top, `resources`: a list of {id, name, units, leave, availability}. Per task,
`assignments` ({resource id: units}) and `can_level` (false: "do not level", as MS Project's
"Can level" off). `parse_project` accepts and ignores these keys; `read_levelling` reads them
from the same text, checked key by key, each problem naming its JSON path as the rest of the
reader does. docs/file-formats.md describes them.

The Problem's periods are the working days of the project calendar from the project start. A
leaf task is an activity of its duration in whole working days (a half day takes its day);
summaries are not levelled, and a link to one reaches every task under it. A task that has
started, has a date constraint or may not be levelled is fixed where the critical path method
puts it. A resource's leave is a run of periods at 0 units, its availability runs at their units.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from itpm.engine import Activity, Link, Problem, Resource, WorkCalendar, schedule_arrays
from itpm.engine.formats.native import _holiday as read_holiday
from itpm.engine.formats.project import ProjectFile, ProjectTask, engine_arrays
from itpm.engine.formats.values import UNITS_PER_DAY, Values, finite

_RESOURCE_KEYS = ("id", "name", "units", "leave", "availability")
_AVAILABILITY_KEYS = ("start", "finish", "units")
MAX_UNITS = 1_000_000
Run = tuple[int, int, float]


@dataclass(frozen=True)
class FileResource:
    id: str
    name: str
    units: float
    spans: tuple[tuple[dt.date, dt.date, float], ...]  # first and last day, and the units then


@dataclass(frozen=True)
class LevellingFile:
    """What a project file says for levelling: its resources, and per task index its demands
    and whether it may be levelled."""

    resources: tuple[FileResource, ...]
    demands: dict[int, dict[str, float]]
    fixed: frozenset[int]  # tasks with can_level false


def read_levelling(text: str, source: str, project: ProjectFile) -> LevellingFile:
    """The levelling keys of a native file whose plan `parse_project` read already."""
    document = json.loads(text, parse_float=Decimal, parse_constant=finite)
    values = Values(source)
    listed = values.sequence(document.get("resources", []), "resources")
    resources = tuple(_resource(values, item, f"resources[{n}]") for n, item in enumerate(listed))
    _check_unique(values, resources)
    known = {r.id for r in resources}
    demands: dict[int, dict[str, float]] = {}
    fixed = set()
    for number, item in enumerate(document.get("tasks", [])):
        if not isinstance(item, dict):
            continue
        if "assignments" in item:
            demands[number] = _assignments(values, item["assignments"], f"tasks[{number}].assignments", known)
        if not values.flag(item.get("can_level", True), f"tasks[{number}].can_level"):
            fixed.add(number)
    return LevellingFile(resources, demands, frozenset(fixed))


def _resource(values: Values, value: object, path: str) -> FileResource:
    fields = values.mapping(value, path, _RESOURCE_KEYS, required=("id",))
    resource_id = values.identifier(fields["id"], f"{path}.id")
    units = float(values.number(fields.get("units", 1), f"{path}.units", 0, MAX_UNITS))
    listed = values.sequence(fields.get("availability", []), f"{path}.availability")
    spans = [_availability(values, item, f"{path}.availability[{n}]") for n, item in enumerate(listed)]
    for n, item in enumerate(values.sequence(fields.get("leave", []), f"{path}.leave")):
        leave = read_holiday(values, item, f"{path}.leave[{n}]")  # a day, or {start, finish, name}
        spans.append((leave.start, leave.finish, 0.0))  # after availability: leave wins where both
    name = values.text(fields.get("name", ""), f"{path}.name")
    return FileResource(resource_id, name, units, tuple(spans))


def _availability(values: Values, value: object, path: str) -> tuple[dt.date, dt.date, float]:
    fields = values.mapping(value, path, _AVAILABILITY_KEYS, required=("start", "finish", "units"))
    span = read_holiday(values, {"start": fields["start"], "finish": fields["finish"]}, path)
    return span.start, span.finish, float(values.number(fields["units"], f"{path}.units", 0, MAX_UNITS))


def _check_unique(values: Values, resources: tuple[FileResource, ...]) -> None:
    seen: dict[str, int] = {}
    for number, resource in enumerate(resources):
        if resource.id in seen:
            values.fail(
                f"resources[{number}].id",
                f"{resource.id!r} is already the id of resources[{seen[resource.id]}]",
            )
        seen[resource.id] = number


def _assignments(values: Values, value: object, path: str, known: set[str]) -> dict[str, float]:
    if not isinstance(value, dict):
        values.fail(path, 'must be an object of units by resource id, such as {"ann": 1}')
    demands = {}
    for resource_id, units in value.items():
        if resource_id not in known:
            names = ", ".join(map(repr, sorted(known))) or "none"
            values.fail(
                f"{path}.{resource_id}", f"no resource has the id {resource_id!r} (there are: {names})"
            )
        demands[resource_id] = float(values.number(units, f"{path}.{resource_id}", 0, MAX_UNITS))
    return demands


# ---------------------------------------------------------------- the file as a Problem


@dataclass(frozen=True)
class DatedOverAllocation:
    """An over-allocation in dates: `resource` asked for `demand` of `capacity` from `start` to
    `finish` (both working days included)."""

    resource: str
    start: str
    finish: str
    demand: float
    capacity: float


@dataclass
class NativeLevelling:
    """A native project as a levelling Problem, with what it takes to read a result in dates."""

    problem: Problem
    grid: WorkCalendar  # the project calendar, one period a working day from the start
    tasks: tuple[ProjectTask, ...]
    leaves: dict[str, list[str]]  # each summary's leaf tasks

    def dates(self, start: int, duration: int) -> tuple[str, str]:
        """First and last working day; a milestone after a task is shown on that task's last day."""
        first = self.grid.to_date(max(start - 1, 0) if duration == 0 else start)
        last = self.grid.to_date(start + duration - 1) if duration else first
        return first.isoformat(), last.isoformat()

    def over(self, runs: Any) -> tuple[DatedOverAllocation, ...]:
        """Over-allocations in dates, the last day included."""
        return tuple(
            DatedOverAllocation(r.resource, self._day(r.start), self._day(r.finish - 1), r.demand, r.capacity)
            for r in runs
        )

    def _day(self, period: int) -> str:
        return self.grid.to_date(period).isoformat()


def native_problem(project: ProjectFile, levelling: LevellingFile, source: str) -> NativeLevelling:
    """The file's leaf tasks as activities on the project calendar's working days."""
    values = Values(source)
    if project.finish is not None:
        values.fail("project.finish", "levelling plans forward from the start: remove finish to level")
    grid = WorkCalendar.build(
        dataclasses.replace(project.calendar.engine_calendar(), units_per_day=1), project.start
    )
    leaves = _leaves(project.tasks)
    early = _early_dates(project)
    floor = grid.to_unit(project.status_date + dt.timedelta(days=1)) if project.status_date else 0
    activities = []
    for number, task in enumerate(project.tasks):
        if task.id not in leaves:
            activities.append(_activity(task, number, levelling, grid, early[number], floor))
        elif number in levelling.demands:
            values.fail(
                f"tasks[{number}].assignments", "a summary task is not levelled: assign the tasks under it"
            )
    resources = [Resource(r.id, r.units, r.name, calendar=_runs(r.spans, grid)) for r in levelling.resources]
    problem = Problem(activities, resources, _links(project, leaves))
    return NativeLevelling(problem, grid, project.tasks, leaves)


def _activity(
    task: ProjectTask, number: int, levelling: LevellingFile, grid: WorkCalendar, early: Any, floor: int
) -> Activity:
    """Fixed where the critical path method puts it when it has started, has a date constraint or
    may not be levelled; else free from the start (or the day after the status date)."""
    constrained = task.constraint is not None and task.constraint.type != "ASAP"
    started = task.actual_start is not None or bool(task.percent_complete)
    fixed = number in levelling.fixed or constrained or started
    demands = levelling.demands.get(number, {})
    if not fixed:
        days = 0 if task.milestone else math.ceil(task.duration / UNITS_PER_DAY)
        return Activity(task.id, days, demands, release=floor, name=task.name)
    first, last, moment = early
    release = grid.to_unit(first)
    duration = 0 if moment else max(grid.to_unit(last + dt.timedelta(days=1)) - release, 1)
    return Activity(task.id, duration, demands, fixed=True, release=release, name=task.name)


def _early_dates(project: ProjectFile) -> list[tuple[dt.date, dt.date, bool]]:
    """Each task's first and last day in the critical path method's schedule, and whether it
    is a moment (no duration) at the start of its first day."""
    laid = engine_arrays(project)
    plan = schedule_arrays(laid.arrays, status_unit=laid.status_unit, timetable=laid.timetable)
    columns = plan.results.columns  # type: ignore[attr-defined]
    starts, finishes = columns.early_start, columns.early_finish
    moment = finishes <= starts
    firsts = laid.calendar.to_dates(starts.clip(0))
    lasts = laid.calendar.to_dates((finishes - 1).clip(0))
    return [(a.item(), b.item(), bool(m)) for a, b, m in zip(firsts, lasts, moment, strict=True)]


def _leaves(tasks: tuple[ProjectTask, ...]) -> dict[str, list[str]]:
    """Each summary's leaf descendants; a task that is no one's parent is not in it."""
    children: dict[str, list[str]] = defaultdict(list)
    for task in tasks:
        if task.parent is not None:
            children[task.parent].append(task.id)
    found: dict[str, list[str]] = {}

    def collect(task_id: str) -> list[str]:
        if task_id not in children:
            return [task_id]
        if task_id not in found:
            found[task_id] = [leaf for child in children[task_id] for leaf in collect(child)]
        return found[task_id]

    for summary in children:
        collect(summary)
    return found


def _links(project: ProjectFile, leaves: dict[str, list[str]]) -> list[Link]:
    """Each link between leaf tasks, a link to or from a summary reaching every leaf under it."""
    links: dict[tuple[str, str], Link] = {}
    for link in project.links:
        whole = math.ceil(abs(link.lag) / UNITS_PER_DAY)
        lag = whole if link.lag >= 0 else -whole
        percent = None if link.lag_percent is None else float(link.lag_percent)
        for before in leaves.get(link.predecessor, [link.predecessor]):
            for after in leaves.get(link.successor, [link.successor]):
                if before != after:
                    links[(before, after)] = Link(before, after, link.type, lag, lag_percent=percent)
    return list(links.values())


def _runs(spans: tuple[tuple[dt.date, dt.date, float], ...], grid: WorkCalendar) -> tuple[Run, ...]:
    """Spans of days as runs of periods; where spans overlap the later one wins (leave last)."""
    units: dict[int, float] = {}
    for first, last, amount in spans:
        for period in range(grid.to_unit(first), grid.to_unit(last + dt.timedelta(days=1))):
            units[period] = amount
    runs: list[list[Any]] = []
    for period in sorted(units):
        if runs and runs[-1][1] == period and runs[-1][2] == units[period]:
            runs[-1][1] = period + 1
        else:
            runs.append([period, period + 1, units[period]])
    return tuple((start, finish, amount) for start, finish, amount in runs)
