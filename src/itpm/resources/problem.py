"""Projects as a levelling problem: tasks as activities on a grid of working days, assignments as
demands, dependencies as links (through summaries, as the scheduler reads them), and each
person's own calendar (leave, holidays, a part-time week) as capacity runs (problem_calendars.py).

The grid is the working days of one calendar (the focus project's) from an origin on or before
every date involved; a period is one working day. What levelling may not move is `fixed`:
started tasks (their progress is fact), tasks with a date constraint (someone chose that date),
tasks marked "do not level" (can_level off), and, when levelling around other projects, the
tasks of projects the user may not re-plan.
Unstarted tasks may not start before their project's start, nor before the status date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from itpm.engine import Activity, Link, Problem, Resource, WorkCalendar
from itpm.planning.models import Dependency, Task
from itpm.planning.scheduling.dating import engine_calendar
from itpm.portfolio.models import Project
from itpm.resources.models import Assignment
from itpm.resources.models import Resource as ResourceRow
from itpm.resources.problem_calendars import Run, capacity_runs, horizon, leave

ONE_DAY = dt.timedelta(days=1)


@dataclass
class Loaded:
    """A problem and what it came from: rows by activity id, the grid, the current starts."""

    problem: Problem
    grid: WorkCalendar
    tasks: dict[str, Task]
    projects: dict[int, Project]
    resources: dict[str, ResourceRow]
    current: dict[str, int]  # the stored plan's starts, in periods
    movable_projects: set[int]
    notes: list[str] = field(default_factory=list)
    days_off: dict[str, tuple[Run, ...]] = field(default_factory=dict)  # every day off, by resource

    def date(self, period: int) -> dt.date:
        return self.grid.to_date(max(period, 0))

    def finish_date(self, start: int, duration: int) -> dt.date:
        if duration == 0:
            return self.start_date(start, 0)
        return self.grid.finish_date(max(start, 0), max(start, 0) + duration)

    def start_date(self, start: int, duration: int) -> dt.date:
        """A milestone at the boundary after a working day is shown on that day, as the
        scheduler stores it (the finish of the task it follows)."""
        return self.date(start - 1 if duration == 0 and start > 0 else start)

    def duration(self, activity_id: str) -> int:
        return self.problem.activities[self.problem.index[activity_id]].duration


def _days(value: Decimal) -> int:
    """Working days as whole periods, rounded away from zero (a half-day task takes its day)."""
    whole = math.ceil(abs(value))
    return whole if value >= 0 else -whole


def _grid(focus: Project, projects: Iterable[Project], tasks: Iterable[Task]) -> WorkCalendar:
    dates = [p.planned_start for p in projects] + [d for t in tasks for d in (t.start, t.actual_start) if d]
    calendar = dataclasses.replace(engine_calendar(focus.calendar), units_per_day=1)
    return WorkCalendar.build(calendar, min(dates), 366 * 3)


def _leaves_under(tasks: list[Task]) -> dict[int, list[int]]:
    """Each task's leaf descendants (a leaf is its own); links to a summary reach its leaves."""
    children: dict[int, list[int]] = defaultdict(list)
    for task in tasks:
        if task.parent_id:
            children[task.parent_id].append(task.pk)
    leaves: dict[int, list[int]] = {}

    def collect(pk: int) -> list[int]:
        if pk not in leaves:
            below = children.get(pk)
            leaves[pk] = [pk] if not below else [leaf for child in below for leaf in collect(child)]
        return leaves[pk]

    for task in tasks:
        collect(task.pk)
    return leaves


def _links(project_ids: set[int], leaves: dict[int, list[int]]) -> list[Link]:
    links: dict[tuple[str, str], Link] = {}
    rows = Dependency.objects.filter(project_id__in=project_ids).values_list(
        "predecessor_id", "successor_id", "type", "lag_days"
    )
    for before, after, kind, lag in rows:
        for p in leaves.get(before, []):
            for s in leaves.get(after, []):
                if p != s:
                    links[(str(p), str(s))] = Link(str(p), str(s), kind, _days(lag))
    return list(links.values())


def _fixed(task: Task, movable: bool) -> bool:
    started = bool(task.actual_start or task.actual_finish or task.percent_complete)
    constrained = task.constraint_type not in ("ASAP", "")
    return not movable or started or constrained or not task.can_level


def _period(task: Task, project: Project, grid: WorkCalendar) -> int:
    """The stored start in periods. A milestone after the project's first day is stored on the
    day of the task it follows and happens at that day's end, as the scheduler reads it."""
    assert task.start is not None
    period = grid.to_unit(task.start)
    moment = task.is_milestone or task.duration_days <= 0
    return period + 1 if moment and task.start > project.planned_start else period


def _release(task: Task, project: Project, grid: WorkCalendar, fixed: bool) -> int:
    if fixed and task.start is not None:
        return _period(task, project, grid)
    first = project.planned_start
    if project.status_date is not None and not task.actual_start:
        first = max(first, project.status_date + ONE_DAY)
    return grid.to_unit(first)


def _duration(task: Task, grid: WorkCalendar, fixed: bool) -> int:
    if task.is_milestone or task.duration_days <= 0:
        return 0
    if fixed and task.start and task.finish:  # started: it lasts as planned, to its stored finish
        return max(grid.working_days_between(task.start, task.finish + ONE_DAY), 1)
    return _days(task.duration_days)


def _demands(rows: list[Assignment], capped: dict[str, int]) -> dict[str, float]:
    demands = {}
    for assignment in rows:
        units, capacity = float(assignment.units), float(assignment.resource.max_units)
        if units > capacity:  # the engine refuses a demand it can never meet; plan it at capacity
            capped[assignment.resource.name] = capped.get(assignment.resource.name, 0) + 1
            units = capacity
        demands[f"r{assignment.resource_id}"] = units
    return demands


def _capped_note(capped: dict[str, int]) -> list[str]:
    if not capped:
        return []
    names = ", ".join(f"{name} ({count})" for name, count in sorted(capped.items()))
    return [
        f"{sum(capped.values())} assignments ask for more units than the resource has: {names}."
        " They are levelled at the resource's capacity; lower the units or add people."
    ]


def load_problem(focus: Project, projects: list[Project], movable: set[int]) -> Loaded:
    """The projects' leaf tasks as one levelling problem; tasks of projects not in `movable` fixed."""
    project_ids = {p.pk for p in projects}
    tasks = list(Task.objects.filter(project_id__in=project_ids).order_by("project_id", "order", "id"))
    grid = _grid(focus, projects, tasks)
    by_project = {p.pk: p for p in projects}
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    for row in Assignment.objects.filter(task__project_id__in=project_ids).select_related(
        "resource__calendar"
    ):
        assignments[row.task_id].append(row)
    activities: list[Activity] = []
    rows: dict[str, Task] = {}
    capped: dict[str, int] = {}
    current: dict[str, int] = {}
    for task in tasks:
        if task.is_summary:
            continue
        fixed = _fixed(task, task.project_id in movable)
        key = str(task.pk)
        activities.append(
            Activity(
                key,
                _duration(task, grid, fixed),
                _demands(assignments[task.pk], capped),
                priority=task.priority,
                fixed=fixed,
                release=_release(task, by_project[task.project_id], grid, fixed),
                name=task.name,
            )
        )
        rows[key] = task
        project = by_project[task.project_id]
        current[key] = _period(task, project, grid) if task.start else activities[-1].release
    people = {f"r{a.resource_id}": a.resource for group in assignments.values() for a in group}
    links = _links(project_ids, _leaves_under(tasks))
    away = capacity_runs(people.values(), grid, horizon(activities, links))
    resources = [
        Resource(key, float(row.max_units), row.name, calendar=leave(away[row.pk]))
        for key, row in people.items()
    ]
    problem = Problem(activities, resources, links)
    loaded = Loaded(problem, grid, rows, by_project, people, current, set(movable), _capped_note(capped))
    loaded.days_off = {key: away[row.pk] for key, row in people.items() if away[row.pk]}
    return loaded


def with_extra_capacity(loaded: Loaded, resource_key: str, units: float) -> Loaded:
    """The same problem with `units` more of one resource: "add a person of role R". The newcomer
    is at work on the days the others are away, so every run of the calendar gains the units."""
    resources = [
        dataclasses.replace(
            r, capacity=r.capacity + units, calendar=tuple((s, f, u + units) for s, f, u in r.calendar)
        )
        if r.id == resource_key
        else r
        for r in loaded.problem.resources
    ]
    problem = Problem(loaded.problem.activities, resources, loaded.problem.links)
    return dataclasses.replace(loaded, problem=problem)
