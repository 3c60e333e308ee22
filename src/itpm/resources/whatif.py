"""Cross-project what-if: add capacity to a resource, or move a project's start, and see every
affected project's finish, levelled before and after. Nothing is stored.

The projects affected are those connected through shared people to what changes: the projects
using the resource (or sharing people with the moved project), then the projects sharing people
with those, and so on, among the open projects the user may see in full. Both sides are levelled
the same way (every unstarted, unconstrained task may move), so the difference is the scenario's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from itpm.core.errors import Invalid
from itpm.engine import Problem
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import visible_projects
from itpm.resources.capacity import role_of
from itpm.resources.levelling import level_loaded
from itpm.resources.models import Assignment
from itpm.resources.problem import Loaded, load_problem, with_extra_capacity
from itpm.resources.services import access_resource

MAX_SHIFT_DAYS = 260


@dataclass(frozen=True)
class Scenario:
    """One change: `units` more of resource `resource_id`, or project `project_code` `days`
    working days later (earlier when negative)."""

    kind: str  # "add" or "shift"
    resource_id: int | None = None
    units: float = 1.0
    project_code: str = ""
    days: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("add", "shift"):
            raise Invalid("kind: choose add or shift", field="kind")
        if self.kind == "add":
            if self.resource_id is None:
                raise Invalid("resource_id: required to add capacity", field="resource_id")
            if not 0 < self.units <= 50:
                raise Invalid("units: give more than 0 and at most 50", field="units")
        if self.kind == "shift":
            if not self.project_code:
                raise Invalid("project: required to move a project", field="project")
            if not self.days or abs(self.days) > MAX_SHIFT_DAYS:
                raise Invalid(
                    f"days: give a non-zero number of working days, at most {MAX_SHIFT_DAYS}", field="days"
                )


@dataclass(frozen=True)
class FinishChange:
    code: str
    name: str
    stored: dt.date | None  # the finish in the stored plan
    before: dt.date | None  # levelled, as things are
    after: dt.date | None  # levelled, with the scenario

    @property
    def change_days(self) -> int | None:
        return None if self.before is None or self.after is None else (self.after - self.before).days


@dataclass(frozen=True)
class WhatIf:
    scenario: Scenario
    description: str
    finishes: tuple[FinishChange, ...]
    seconds: float


def _open_projects(user: Any) -> list[Project]:
    """Open projects whose whole plan the user may see (levelling reads every task)."""
    projects = visible_projects(user).exclude(status__in=("closed", "cancelled")).select_related("calendar")
    return [p for p in projects if can(user, "view_all_tasks", p)]


def _connected(user: Any, seeds: set[int]) -> list[Project]:
    """The open projects reachable from `seeds` through shared resources."""
    projects = {p.pk: p for p in _open_projects(user)}
    pairs = set(
        Assignment.objects.filter(task__project_id__in=projects).values_list(
            "task__project_id", "resource_id"
        )
    )
    reached, frontier = set(), {s for s in seeds if s in projects}
    while frontier:
        reached |= frontier
        people = {r for p, r in pairs if p in frontier}
        frontier = {p for p, r in pairs if r in people} - reached
    return sorted((projects[p] for p in reached), key=lambda p: p.code)


def _shifted(loaded: Loaded, project_id: int, days: int) -> Loaded:
    """The project's movable tasks released `days` periods later (earlier, down to period 0)."""
    activities = [
        dataclasses.replace(a, release=max(a.release + days, 0))
        if loaded.tasks[a.id].project_id == project_id and not a.fixed
        else a
        for a in loaded.problem.activities
    ]
    return dataclasses.replace(
        loaded, problem=Problem(activities, loaded.problem.resources, loaded.problem.links)
    )


def _finish(loaded: Loaded, starts: dict[str, int], project_id: int) -> dt.date | None:
    keys = [k for k, t in loaded.tasks.items() if t.project_id == project_id]
    return max((loaded.finish_date(starts[k], loaded.duration(k)) for k in keys), default=None)


def _setup(user: Any, scenario: Scenario) -> tuple[list[Project], str, Any]:
    if scenario.kind == "add":
        resource = access_resource(user, scenario.resource_id or 0)
        seeds = set(Assignment.objects.filter(resource=resource).values_list("task__project_id", flat=True))
        plural = "s" if scenario.units != 1 else ""
        text = f"{scenario.units:g} more unit{plural} of {resource.name} ({role_of(resource)})"
        return (
            _connected(user, seeds),
            text,
            lambda loaded: with_extra_capacity(loaded, f"r{resource.pk}", scenario.units),
        )
    project = next((p for p in _open_projects(user) if p.code == scenario.project_code), None)
    if project is None:
        raise Invalid(f"project: no open project {scenario.project_code!r} you can see", field="project")
    days = scenario.days
    plural = "s" if abs(days) != 1 else ""
    text = f"{project.code} starts {abs(days)} working day{plural} {'later' if days > 0 else 'earlier'}"
    return _connected(user, {project.pk}), text, lambda loaded: _shifted(loaded, project.pk, days)


def what_if(user: Any, scenario: Scenario) -> WhatIf:
    """Level the affected projects as they are and with the scenario; compare their finishes."""
    clock = time.perf_counter()
    projects, text, change = _setup(user, scenario)
    if not projects:
        return WhatIf(scenario, text, (), 0.0)
    loaded = load_problem(projects[0], projects, {p.pk for p in projects})
    before = dict(level_loaded(loaded).starts)
    changed = change(loaded)
    after = dict(level_loaded(changed).starts)
    finishes = tuple(
        FinishChange(
            p.code,
            p.name,
            _stored_finish(loaded, p.pk),
            _finish(loaded, before, p.pk),
            _finish(changed, after, p.pk),
        )
        for p in projects
    )
    return WhatIf(scenario, text, finishes, time.perf_counter() - clock)


def _stored_finish(loaded: Loaded, project_id: int) -> dt.date | None:
    return max(
        (t.finish for t in loaded.tasks.values() if t.project_id == project_id and t.finish), default=None
    )
