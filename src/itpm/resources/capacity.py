"""Capacity across projects: each resource's load per day and week against what it can give.

Demand: for every assignment the user may see, its units on each working day of the task (the
task's computed start to finish, on the task's calendar, else its project's). Capacity: the
resource's max units on each working day of *its* calendar, so public holidays and leave (the
exceptions on a person's calendar) are days with no capacity; work planned on them shows as an
over-allocation. Loads are in unit-days: one person for a working day is 1.

Only what the user may see counts (visible_assignments, visible_resources): a supplier sees its
own people only, and a project member sees the load their visible projects put on each person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.core.errors import Invalid
from itpm.resources.models import Resource
from itpm.resources.services import visible_assignments, visible_resources
from itpm.resources.workdays import Window

Series = npt.NDArray[np.float64]
TOLERANCE = 1e-6  # ten tenths of a person are one person
MAX_WEEKS = 104
GROUPS = ("person", "role", "team")
INTERNAL = "Internal"


@dataclass(frozen=True)
class Booking:
    """One assignment as the load sees it: who, on which task of which project, when, how much."""

    resource_id: int
    task_id: int
    task_name: str
    project_id: int
    project_code: str
    start: dt.date
    finish: dt.date
    units: float
    calendar_id: int | None = None  # the task's own calendar, if it has one


@dataclass
class Load:
    """A resource's demand and capacity on each day of the window."""

    resource: Resource
    demand: Series
    capacity: Series
    bookings: list[Booking] = field(default_factory=list)

    def over(self) -> npt.NDArray[np.bool_]:
        return self.demand > self.capacity + TOLERANCE


@dataclass(frozen=True)
class LoadFilter:
    """What to count: a window, and optionally one role, one team (supplier) or one project."""

    first: dt.date
    end: dt.date
    role: str = ""
    team: str = ""
    project_id: int | None = None
    resource_id: int | None = None

    def __post_init__(self) -> None:
        if self.end <= self.first:
            raise Invalid("end: must be after the start of the window", field="end")
        if (self.end - self.first).days > MAX_WEEKS * 7:
            raise Invalid(f"end: the window is at most {MAX_WEEKS} weeks", field="end")


def team_of(resource: Resource) -> str:
    return resource.supplier or INTERNAL


def role_of(resource: Resource) -> str:
    return resource.role or resource.get_kind_display()


def _resources(user: Any, where: LoadFilter) -> list[Resource]:
    resources = visible_resources(user).filter(active=True).select_related("calendar")
    if where.resource_id is not None:
        resources = resources.filter(pk=where.resource_id)
    chosen = list(resources.order_by("name", "id"))
    if where.role:
        chosen = [r for r in chosen if role_of(r).lower() == where.role.lower()]
    if where.team:
        chosen = [r for r in chosen if team_of(r).lower() == where.team.lower()]
    return chosen


def _bookings(user: Any, where: LoadFilter, resource_ids: set[int]) -> list[Booking]:
    assignments = visible_assignments(user).filter(
        resource_id__in=resource_ids,
        task__is_summary=False,
        task__start__isnull=False,
        task__finish__isnull=False,
        task__start__lt=where.end,
        task__finish__gte=where.first,
    )
    if where.project_id is not None:
        assignments = assignments.filter(task__project_id=where.project_id)
    rows = assignments.values_list(
        "resource_id", "task_id", "task__name", "task__project_id", "task__project__code",
        "task__start", "task__finish", "units", "task__duration_days", "task__is_milestone",
        "task__calendar_id",
    )  # fmt: skip
    return [
        Booking(r, t, name, p, code, start, finish, float(units), calendar)
        for r, t, name, p, code, start, finish, units, duration, milestone, calendar in rows
        if duration > 0 and not milestone and start is not None and finish is not None
    ]


def _calendar_of_projects(project_ids: set[int]) -> dict[int, int | None]:
    from itpm.portfolio.models import Project

    return dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "calendar_id"))


def loads(user: Any, where: LoadFilter) -> list[Load]:
    """Every visible, active resource (after the filter) with its daily demand and capacity."""
    resources = _resources(user, where)
    bookings = _bookings(user, where, {r.pk for r in resources})
    if where.project_id is not None:  # a project's view: the people it uses
        used = {b.resource_id for b in bookings}
        resources = [r for r in resources if r.pk in used]
    project_calendars = _calendar_of_projects({b.project_id for b in bookings})
    ids = (
        {r.calendar_id for r in resources}
        | set(project_calendars.values())
        | {b.calendar_id for b in bookings}
    )
    window = Window(where.first, where.end, ids)
    by_resource: dict[int, Load] = {}
    for resource in resources:
        capacity = window.mask(resource.calendar_id).astype(np.float64) * float(resource.max_units)
        by_resource[resource.pk] = Load(resource, np.zeros(len(window)), capacity)
    for booking in bookings:
        calendar = booking.calendar_id or project_calendars[booking.project_id]
        _book(by_resource[booking.resource_id], booking, window, calendar)
    return list(by_resource.values())


def _book(load: Load, booking: Booking, window: Window, calendar_id: int | None) -> None:
    lo = max(window.index(booking.start), 0)
    hi = min(window.index(booking.finish) + 1, len(window))
    load.demand[lo:hi] += window.mask(calendar_id)[lo:hi] * booking.units
    load.bookings.append(booking)


# ---- weeks and groups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One row's week: unit-days asked for and available, and whether any day was over."""

    week: dt.date
    demand: float
    capacity: float
    over: bool
    over_people: int = 0  # in a group row: how many of its people were over that week

    @property
    def percent(self) -> int | None:
        if self.capacity <= TOLERANCE:
            return None if self.demand <= TOLERANCE else 999
        return round(100 * self.demand / self.capacity)


@dataclass(frozen=True)
class LoadRow:
    key: str
    label: str
    detail: str  # role and team of a person; the number of people of a group
    units: Decimal  # capacity in units: a person's max units, a group's sum
    cells: tuple[Cell, ...]
    resource_id: int | None = None

    @property
    def over_weeks(self) -> int:
        return sum(1 for cell in self.cells if cell.over)

    @property
    def peak_percent(self) -> int:
        return max((cell.percent or 0 for cell in self.cells), default=0)


def week_starts(first: dt.date, end: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=7 * n) for n in range((end - first).days // 7)]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _cells(first: dt.date, weeks: int, demand: Series, capacity: Series, over: Any) -> list[Cell]:
    shape = (weeks, 7)
    d, c = demand[: weeks * 7].reshape(shape), capacity[: weeks * 7].reshape(shape)
    o = np.asarray(over)[: weeks * 7].reshape(shape + np.asarray(over).shape[1:])
    cells = []
    for n in range(weeks):
        people = int(o[n].any(axis=0).sum()) if o.ndim == 3 else 0
        cells.append(
            Cell(
                first + dt.timedelta(days=7 * n),
                float(d[n].sum()),
                float(c[n].sum()),
                bool(o[n].any()),
                people,
            )
        )
    return cells


def person_rows(all_loads: list[Load], first: dt.date, weeks: int) -> list[LoadRow]:
    rows = []
    for load in all_loads:
        resource = load.resource
        detail = " · ".join(x for x in (role_of(resource), team_of(resource)) if x)
        cells = _cells(first, weeks, load.demand, load.capacity, load.over())
        rows.append(
            LoadRow(f"r{resource.pk}", resource.name, detail, resource.max_units, tuple(cells), resource.pk)
        )
    return rows


def group_rows(all_loads: list[Load], first: dt.date, weeks: int, by: str) -> list[LoadRow]:
    """One row per role or team: summed demand and capacity; a week is over when any of its
    people is over on any day (a pool can be under 100 % in total and still have someone over)."""
    name = role_of if by == "role" else team_of
    groups: dict[str, list[Load]] = defaultdict(list)
    for load in all_loads:
        groups[name(load.resource)].append(load)
    rows = []
    for label in sorted(groups, key=str.lower):
        members = groups[label]
        demand = np.sum([m.demand for m in members], axis=0)
        capacity = np.sum([m.capacity for m in members], axis=0)
        over = np.stack([m.over() for m in members], axis=1)  # days × people
        units = sum((m.resource.max_units for m in members), Decimal(0))
        detail = f"{len(members)} resource{'s' if len(members) != 1 else ''}"
        rows.append(
            LoadRow(
                f"{by}:{label}", label, detail, units, tuple(_cells(first, weeks, demand, capacity, over))
            )
        )
    return rows


def load_rows(user: Any, where: LoadFilter, group: str = "person") -> list[LoadRow]:
    """The histogram's rows: one per person, role or team, with a cell per week from `first`."""
    if group not in GROUPS:
        raise Invalid(f"group: choose one of {', '.join(GROUPS)}", field="group")
    weeks = max((where.end - where.first).days // 7, 1)
    all_loads = loads(user, where)
    if group == "person":
        return person_rows(all_loads, where.first, weeks)
    return group_rows(all_loads, where.first, weeks, group)


def filter_choices(user: Any) -> tuple[list[str], list[str]]:
    """The roles and teams among the resources the user may see, for the filter menus."""
    resources = list(visible_resources(user).filter(active=True))
    return sorted({role_of(r) for r in resources}, key=str.lower), sorted(
        {team_of(r) for r in resources}, key=str.lower
    )
