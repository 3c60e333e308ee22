"""Timesheet services: reading and saving a person's week, submitting it, and approved time.

Every read goes through visible_* or access_*; every write through check_* (permission,
validation naming each bad cell) then do_* (one transaction, history by django-simple-history).
A person logs time only for their own resource, only on tasks of projects where their role
allows "log_time" and that they can see; approvals live in approvals.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from itpm.core.errors import Forbidden, Invalid, NotFound
from itpm.planning.models import Task
from itpm.planning.services.visibility import visible_tasks
from itpm.portfolio.models import Project
from itpm.portfolio.rules import PROJECT_ACTIONS
from itpm.portfolio.services import visible_projects
from itpm.resources.models import Resource
from itpm.timesheets.cells import Cell, CellCheck, GoodCell, checked_cells
from itpm.timesheets.models import EDITABLE, EntryKind, SheetStatus, TimeEntry, Timesheet
from itpm.timesheets.weeks import WeekOfHours, monday_of, week_label


@dataclass(frozen=True)
class ApprovedTime:
    """Net approved hours of one resource on one task on one day."""

    task_id: int
    resource_id: int
    day: dt.date
    hours: Decimal


def approved_time(project_id: int) -> list[ApprovedTime]:
    """Approved hours of a project per task, resource and day, reversals netted out.

    A building block for other services (finance turns it into actual cost): it checks no
    permission, so callers must have checked that their user may see the project. Only hours
    on approved timesheets count; a reversed entry and its reversal cancel, and a cell whose net
    hours are zero is left out.
    """
    rows = (
        TimeEntry.objects.filter(timesheet__project_id=project_id, timesheet__status=SheetStatus.APPROVED)
        .values("task_id", "timesheet__resource_id", "day")
        .annotate(net=Sum("hours"))
        .order_by("day", "task_id", "timesheet__resource_id")
    )
    return [
        ApprovedTime(row["task_id"], row["timesheet__resource_id"], row["day"], row["net"])
        for row in rows
        if row["net"]
    ]


def approved_hours_by_task(task_ids: Iterable[int]) -> dict[int, Decimal]:
    """Net approved hours per task, all people together (the task's actual work)."""
    rows = (
        TimeEntry.objects.filter(task_id__in=list(task_ids), timesheet__status=SheetStatus.APPROVED)
        .values("task_id")
        .annotate(net=Sum("hours"))
    )
    return {row["task_id"]: row["net"] for row in rows}


def hours_per_day(project: Project) -> Decimal:
    return project.calendar.hours_per_day if project.calendar else Decimal("7.5")


def assigned_units(task: Task) -> Decimal:
    """The task's assigned units (1 when nobody is assigned); reads prefetched assignments."""
    return sum((a.units for a in task.assignments.all()), Decimal(0)) or Decimal(1)


def planned_work(task: Task, per_day: Decimal) -> Decimal:
    """The task's work in hours: its effort, else duration × hours per day × assigned units."""
    return task.effort_hours or task.duration_days * per_day * assigned_units(task)


# ---- who logs what -----------------------------------------------------------------------------


def own_resource(user: Any) -> Resource:
    """The signed-in user's resource record: time is only ever logged for oneself."""
    if not user.is_authenticated:
        raise Forbidden("sign in to log time")
    resource = Resource.objects.filter(user_id=user.pk, active=True).first()
    if resource is None:
        raise Forbidden("you have no active resource record to log time for; ask an administrator")
    return resource


def loggable_tasks(user: Any) -> QuerySet[Task]:
    """Leaf tasks the user may log time on: visible to them, in projects where they log time."""
    tasks = visible_tasks(user).filter(is_summary=False, is_milestone=False)
    if user.is_superuser:
        return tasks
    projects = visible_projects(user).filter(
        memberships__user=user, memberships__role__in=PROJECT_ACTIONS["log_time"]
    )
    return tasks.filter(project__in=projects)


def visible_timesheets(user: Any) -> QuerySet[Timesheet]:
    """Own timesheets, and those of projects where the user approves time."""
    if not user.is_authenticated or not user.is_active:
        return Timesheet.objects.none()
    if user.is_superuser:
        return Timesheet.objects.all()
    approving = visible_projects(user).filter(
        memberships__user=user, memberships__role__in=PROJECT_ACTIONS["approve_time"]
    )
    return Timesheet.objects.filter(Q(resource__user=user) | Q(project__in=approving))


def access_timesheet(user: Any, timesheet_id: int) -> Timesheet:
    sheet = (
        visible_timesheets(user)
        .select_related("resource", "project", "decided_by")
        .filter(pk=timesheet_id)
        .first()
    )
    if sheet is None:
        raise NotFound("timesheet")
    return sheet


def access_entry(user: Any, entry_id: int) -> TimeEntry:
    entry = (
        TimeEntry.objects.filter(timesheet__in=visible_timesheets(user))
        .select_related("timesheet__project", "timesheet__resource", "task")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("time entry")
    return entry


# ---- the week grid -----------------------------------------------------------------------------


@dataclass
class WeekRow:
    task: Task
    hours: list[Decimal | None]
    status: str = SheetStatus.DRAFT.value

    @property
    def total(self) -> Decimal:
        return sum((h for h in self.hours if h), Decimal(0))

    @property
    def locked(self) -> bool:
        return self.status not in EDITABLE


@dataclass
class Week(WeekOfHours):
    monday: dt.date
    resource: Resource
    rows: list[WeekRow]
    sheets: list[Timesheet] = field(default_factory=list)

    def hour_rows(self) -> Iterable[Sequence[Decimal]]:
        return ([hours or Decimal(0) for hours in row.hours] for row in self.rows)

    @property
    def total(self) -> Decimal:
        return sum(self.day_totals, Decimal(0))

    @property
    def status(self) -> str:
        """The week's overall state: the least advanced of its project timesheets."""
        order = ["rejected", "draft", "submitted", "approved"]
        statuses = {sheet.status for sheet in self.sheets}
        return next((s for s in order if s in statuses), SheetStatus.DRAFT.value)


def in_flight_tasks(resource: Resource, user: Any, monday: dt.date) -> QuerySet[Task]:
    """Assigned tasks not finished and scheduled to overlap the week (or already started)."""
    sunday = monday + dt.timedelta(days=6)
    open_tasks = Q(actual_finish__isnull=True) & Q(percent_complete__lt=100)
    overlapping = Q(start__lte=sunday, finish__gte=monday) | Q(actual_start__isnull=False, start__lte=sunday)
    return (
        loggable_tasks(user)
        .filter(assignments__resource=resource)
        .filter(open_tasks & overlapping)
        .select_related("project")
    )


def my_week(user: Any, monday: dt.date, extra_task_ids: Iterable[int] = ()) -> Week:
    """The grid of the user's own week: tasks with hours, in-flight assigned tasks, and extras."""
    resource = own_resource(user)
    monday = monday_of(monday)
    sheets = list(Timesheet.objects.filter(resource=resource, week_start=monday).select_related("project"))
    status_of = {sheet.project_id: sheet.status for sheet in sheets}
    cells: dict[int, list[Decimal | None]] = defaultdict(lambda: [None] * 7)
    tasks: dict[int, Task] = {}
    for entry in TimeEntry.objects.filter(timesheet__in=sheets).select_related("task__project"):
        row = cells[entry.task_id]
        index = (entry.day - monday).days
        row[index] = (row[index] or Decimal(0)) + entry.hours
        tasks[entry.task_id] = entry.task
    extra = loggable_tasks(user).filter(pk__in=list(extra_task_ids)).select_related("project")
    for task in [*in_flight_tasks(resource, user, monday), *extra]:
        tasks.setdefault(task.pk, task)
    ordered = sorted(tasks.values(), key=lambda t: (t.project.code, t.order, t.pk))
    rows = [WeekRow(t, cells[t.pk], status_of.get(t.project_id, "draft")) for t in ordered]
    return Week(monday, resource, rows, sheets)


def check_save_week(user: Any, monday: dt.date, cells: list[Cell]) -> Week:
    """Replace the user's editable hours of the week with the grid, all or nothing.

    Cells of a submitted or approved project week must match what is stored (they are locked);
    an empty or zero cell removes the hours. Every bad cell is named in the error.
    """
    resource = own_resource(user)
    monday = monday_of(monday)
    do_save_cells(user, resource, cells, replace_weeks={monday}, label=lambda i: f"cells.{i}")
    return my_week(user, monday)


@transaction.atomic
def do_save_cells(
    user: Any, resource: Resource, cells: list[Cell], replace_weeks: set[dt.date], label: Any
) -> int:
    """Validate every cell under a lock on the person's timesheets, then write them all."""
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    check = CellCheck(user, resource, loggable_tasks(user), replace_weeks, label)
    good = checked_cells(check, cells)
    return _write_cells(user, resource, good, replace_weeks)


def _write_cells(user: Any, resource: Resource, good: list[GoodCell], replace_weeks: set[dt.date]) -> int:
    mondays = {monday_of(c.day) for c in good} | replace_weeks
    sheets = {
        (s.project_id, s.week_start): s
        for s in Timesheet.objects.filter(resource=resource, week_start__in=mondays)
    }
    originals = {
        (e.timesheet_id, e.task_id, e.day): e
        for e in TimeEntry.objects.filter(timesheet__in=list(sheets.values()), kind=EntryKind.ORIGINAL)
    }
    kept: set[int] = set()
    new: list[TimeEntry] = []
    for cell in good:
        sheet = _sheet_for(resource, cell, sheets)
        if sheet is None:
            continue
        entry = originals.get((sheet.pk, cell.task.pk, cell.day))
        if entry is None and cell.hours:
            new.append(
                TimeEntry(
                    timesheet=sheet,
                    task=cell.task,
                    day=cell.day,
                    hours=cell.hours,
                    comment=cell.comment,
                    created_by=user,
                )
            )
        elif entry is not None:
            kept.add(entry.pk)
            _change_entry(entry, cell)
    # Uploads bring thousands of rows: one insert per batch, with their history rows.
    bulk_create_with_history(new, TimeEntry, batch_size=1000, default_user=user)
    _drop_replaced(sheets.values(), originals.values(), kept, replace_weeks)
    return len(good)


def _sheet_for(
    resource: Resource, cell: GoodCell, sheets: dict[tuple[int, dt.date], Timesheet]
) -> Timesheet | None:
    """The editable timesheet the cell writes to, made when needed; None when nothing to write."""
    key = (cell.task.project_id, monday_of(cell.day))
    sheet = sheets.get(key)
    if sheet is not None and not sheet.editable:
        return None  # a locked cell, already checked to be unchanged
    if sheet is None and cell.hours:
        sheet = sheets[key] = Timesheet.objects.create(
            resource=resource, project=cell.task.project, week_start=key[1]
        )
    return sheet


def _change_entry(entry: TimeEntry, cell: GoodCell) -> None:
    if not cell.hours:
        entry.delete()
    elif entry.hours != cell.hours or entry.comment != cell.comment:
        entry.hours, entry.comment = cell.hours, cell.comment
        entry.save(update_fields=["hours", "comment"])


def _drop_replaced(
    sheets: Iterable[Timesheet], originals: Iterable[TimeEntry], kept: set[int], replace_weeks: set[dt.date]
) -> None:
    """A saved grid is the whole week: editable hours it no longer shows are removed."""
    editable = {s.pk for s in sheets if s.editable and s.week_start in replace_weeks}
    for entry in originals:
        if entry.timesheet_id in editable and entry.pk is not None and entry.pk not in kept:
            entry.delete()
    for sheet in sheets:
        if sheet.status == SheetStatus.DRAFT and sheet.pk and not sheet.entries.exists():
            sheet.delete()


def check_submit_week(user: Any, monday: dt.date) -> list[Timesheet]:
    """Submit every editable project timesheet of the user's week that holds hours."""
    resource = own_resource(user)
    return do_submit_week(resource, monday_of(monday))


@transaction.atomic
def do_submit_week(resource: Resource, monday: dt.date) -> list[Timesheet]:
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    sheets = [
        sheet
        for sheet in Timesheet.objects.filter(resource=resource, week_start=monday, status__in=EDITABLE)
        if sheet.entries.exists()
    ]
    if not sheets:
        raise Invalid(f"week: {week_label(monday)} has no draft hours to submit", field="week")
    for sheet in sheets:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
        sheet.save(update_fields=["status", "submitted_at"])
    return sheets
