"""Approving, rejecting and correcting timesheets, and what approved hours do to the plan.

The project manager of a timesheet's project (or a project admin, or an administrator)
decides; nobody approves their own hours. Approved hours set the task's progress: percent
complete from approved hours against the task's work, remaining duration from the work left,
the actual start from the first approved day; then the project is rescheduled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from itpm.core.errors import Conflict, Forbidden, Invalid
from itpm.planning.models import Task
from itpm.planning.services.tasks import do_update_task
from itpm.portfolio.models import Project
from itpm.portfolio.rules import PROJECT_ACTIONS, can
from itpm.portfolio.services import require, visible_projects
from itpm.resources.models import Resource
from itpm.timesheets.cells import parse_hours
from itpm.timesheets.models import EntryKind, SheetStatus, TimeEntry, Timesheet
from itpm.timesheets.services import (
    approved_hours_by_task,
    assigned_units,
    hours_per_day,
    loggable_tasks,
    planned_work,
)
from itpm.timesheets.weeks import WeekOfHours, week_label

HUNDRED = Decimal(100)


def _check_decider(user: Any, sheet: Timesheet) -> None:
    require(user, "approve_time", sheet.project)
    if sheet.resource.user_id == user.pk and not user.is_superuser:
        raise Forbidden("you cannot approve or reject your own timesheet")


def _locked_sheet(sheet: Timesheet, expected: str) -> Timesheet:
    """The sheet re-read under a row lock, so two decisions cannot both pass the status check."""
    fresh = Timesheet.objects.select_for_update().select_related("project", "resource").get(pk=sheet.pk)
    if fresh.status != expected:
        raise Conflict(f"timesheet {week_label(fresh.week_start)} is {fresh.status}, not {expected}")
    return fresh


def check_approve(user: Any, sheet: Timesheet, comment: str = "") -> Timesheet:
    _check_decider(user, sheet)
    return do_decide(user, sheet, SheetStatus.APPROVED, comment)


def check_reject(user: Any, sheet: Timesheet, comment: str) -> Timesheet:
    _check_decider(user, sheet)
    if not (comment or "").strip():
        raise Invalid("comment: say why the timesheet is rejected", field="comment")
    return do_decide(user, sheet, SheetStatus.REJECTED, comment)


@transaction.atomic
def do_decide(user: Any, sheet: Timesheet, status: str, comment: str = "") -> Timesheet:
    """Approve or reject a submitted timesheet; approval updates the progress of its tasks."""
    sheet = _locked_sheet(sheet, SheetStatus.SUBMITTED)
    sheet.status, sheet.decided_by, sheet.decided_at = status, user, timezone.now()
    sheet.decision_comment = (comment or "").strip()
    sheet.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if status == SheetStatus.APPROVED:
        do_update_progress(sheet.project, set(sheet.entries.values_list("task_id", flat=True)))
    return sheet


# ---- corrections -------------------------------------------------------------------------------


def check_reverse_entry(
    user: Any, entry: TimeEntry, hours: Any = None, task_id: int | None = None, comment: str = ""
) -> list[TimeEntry]:
    """Reverse an approved entry, and book the corrected hours (if any) in its place."""
    require(user, "approve_time", entry.timesheet.project)
    if not (comment or "").strip():
        raise Invalid("comment: say why the hours are corrected", field="comment")
    try:
        corrected = parse_hours(hours)
    except ValueError as error:
        raise Invalid(f"hours: {error}", field="hours") from error
    task = entry.task if task_id is None else _correction_task(entry, task_id)
    return do_reverse_entry(user, entry, corrected, task, comment.strip())


def _correction_task(entry: TimeEntry, task_id: int) -> Task:
    owner = entry.timesheet.resource.user
    tasks = loggable_tasks(owner) if owner is not None else Task.objects.none()
    task = tasks.filter(pk=task_id, project_id=entry.timesheet.project_id).first()
    if task is None:
        message = f"task_id: no task {task_id} in {entry.timesheet.project.code} the person can log time on"
        raise Invalid(message, field="task_id")
    return task


@transaction.atomic
def do_reverse_entry(
    user: Any, entry: TimeEntry, hours: Decimal | None, task: Task, comment: str
) -> list[TimeEntry]:
    _locked_sheet(entry.timesheet, SheetStatus.APPROVED)
    if entry.kind == EntryKind.REVERSAL or TimeEntry.objects.filter(reverses=entry).exists():
        raise Conflict(f"time entry {entry.pk} is already reversed or is itself a reversal")
    made = [_entry(user, entry, -entry.hours, entry.task, comment, EntryKind.REVERSAL)]
    if hours:
        _check_correction_day(entry, hours)
        made.append(_entry(user, entry, hours, task, comment, EntryKind.CORRECTION))
    do_update_progress(entry.timesheet.project, {entry.task_id, task.pk})
    return made


def _entry(user: Any, original: TimeEntry, hours: Decimal, task: Task, comment: str, kind: str) -> TimeEntry:
    return TimeEntry.objects.create(
        timesheet=original.timesheet,
        task=task,
        day=original.day,
        hours=hours,
        comment=comment,
        kind=kind,
        reverses=original if kind == EntryKind.REVERSAL else None,
        created_by=user,
    )


def _check_correction_day(entry: TimeEntry, hours: Decimal) -> None:
    day_total = TimeEntry.objects.filter(
        timesheet__resource_id=entry.timesheet.resource_id, day=entry.day
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if day_total + hours > 24:
        raise Invalid(f"hours: {day_total + hours} hours on {entry.day}; at most 24 in a day", field="hours")


# ---- progress ----------------------------------------------------------------------------------


def do_update_progress(project: Project, task_ids: set[int]) -> None:
    """Approved hours become the tasks' progress, through the planning service (which reschedules).

    Task has no actual-work field: actual work is the approved hours, read from timesheets.
    Percent complete is approved hours over the task's work (effort, else duration × hours per
    day × assigned units), held at 99 until someone reports the task finished; the remaining
    duration is the work left at the assigned rate. Finished tasks are left as they are.
    """
    actual = approved_hours_by_task(task_ids)
    first_days = _first_approved_days(task_ids)
    for task in Task.objects.filter(pk__in=task_ids, project=project).prefetch_related("assignments"):
        if task.actual_finish is not None or task.percent_complete >= 100:
            continue
        changes = _progress_changes(task, actual.get(task.pk, Decimal(0)), first_days.get(task.pk), project)
        if changes:
            do_update_task(task, changes)


def _first_approved_days(task_ids: set[int]) -> dict[int, dt.date]:
    rows = (
        TimeEntry.objects.filter(task_id__in=task_ids, timesheet__status=SheetStatus.APPROVED)
        .values("task_id", "day")
        .annotate(net=Sum("hours"))
        .order_by("day")
    )
    first: dict[int, dt.date] = {}
    for row in rows:
        if row["net"] > 0:
            first.setdefault(row["task_id"], row["day"])
    return first


def _progress_changes(
    task: Task, actual: Decimal, first_day: dt.date | None, project: Project
) -> dict[str, Any]:
    per_day = hours_per_day(project)
    units = assigned_units(task)
    work = planned_work(task, per_day)
    changes: dict[str, Any] = {}
    if work > 0:
        percent = int(min(Decimal(99), (actual / work * HUNDRED).to_integral_value()))
        left = max(work - actual, Decimal(0))
        remaining = (left / (per_day * units)).quantize(Decimal("0.01")) if left else None
        changes = {"percent_complete": max(percent, 0), "remaining_days": remaining}
    if first_day is not None and (task.actual_start is None or first_day < task.actual_start):
        changes["actual_start"] = first_day
    return {k: v for k, v in changes.items() if getattr(task, k) != v}


# ---- the approval queue ------------------------------------------------------------------------


@dataclass
class QueueLine:
    sheet: Timesheet
    task: Task
    hours: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * 7)

    @property
    def total(self) -> Decimal:
        return sum(self.hours, Decimal(0))


@dataclass
class QueueItem(WeekOfHours):
    """One person's submitted week, across the projects the approver decides on."""

    resource: Resource
    monday: dt.date
    sheets: list[Timesheet] = field(default_factory=list)
    lines: list[QueueLine] = field(default_factory=list)

    def hour_rows(self) -> Iterable[Sequence[Decimal]]:
        return (line.hours for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))


def awaiting_approval(user: Any) -> QuerySet[Timesheet]:
    """Submitted timesheets the user may decide on (never their own)."""
    if not user.is_authenticated or not user.is_active:
        return Timesheet.objects.none()
    sheets = Timesheet.objects.filter(status=SheetStatus.SUBMITTED).exclude(resource__user=user)
    if not user.is_superuser:
        approving = visible_projects(user).filter(
            memberships__user=user, memberships__role__in=PROJECT_ACTIONS["approve_time"]
        )
        sheets = sheets.filter(project__in=approving)
    order = ("week_start", "resource__name", "project__code")
    return sheets.select_related("resource", "project").order_by(*order)


def recently_approved(user: Any, limit: int = 20) -> list[Timesheet]:
    """The last timesheets approved in the projects the user decides on, for corrections."""
    if not user.is_authenticated or not user.is_active:
        return []
    sheets = Timesheet.objects.filter(status=SheetStatus.APPROVED)
    if not user.is_superuser:
        approving = visible_projects(user).filter(
            memberships__user=user, memberships__role__in=PROJECT_ACTIONS["approve_time"]
        )
        sheets = sheets.filter(project__in=approving)
    sheets = sheets.select_related("resource", "project", "decided_by").order_by("-decided_at", "-pk")
    return list(sheets.annotate(hours=Sum("entries__hours"))[:limit])


def correctable(user: Any, sheet: Timesheet) -> bool:
    """Whether the user may reverse and correct this sheet's hours (it must be approved)."""
    return sheet.status == SheetStatus.APPROVED and can(user, "approve_time", sheet.project)


def sheet_entries(sheet: Timesheet) -> list[TimeEntry]:
    """Every entry of the sheet in day order, each knowing whether it was reversed."""
    entries = sheet.entries.select_related("task", "created_by", "reverses").order_by(
        "day", "task__order", "pk"
    )
    reversed_ids = set(
        TimeEntry.objects.filter(reverses__timesheet=sheet).values_list("reverses_id", flat=True)
    )
    rows = list(entries)
    for entry in rows:
        entry.is_reversed = entry.pk in reversed_ids  # type: ignore[attr-defined]
    return rows


def approval_queue(user: Any) -> list[QueueItem]:
    """Submitted weeks per person and week, with each task's hours per day."""
    sheets = {sheet.pk: sheet for sheet in awaiting_approval(user)}
    items: dict[tuple[int, dt.date], QueueItem] = {}
    for sheet in sheets.values():
        key = (sheet.resource_id, sheet.week_start)
        items.setdefault(key, QueueItem(sheet.resource, sheet.week_start)).sheets.append(sheet)
    lines: dict[tuple[int, int], QueueLine] = {}
    entries = TimeEntry.objects.filter(timesheet_id__in=list(sheets)).select_related("task")
    for entry in entries.order_by("task__order", "task_id", "day"):
        sheet = sheets[entry.timesheet_id]
        line = lines.get((sheet.pk, entry.task_id))
        if line is None:
            line = lines[(sheet.pk, entry.task_id)] = QueueLine(sheet, entry.task)
            items[(sheet.resource_id, sheet.week_start)].lines.append(line)
        line.hours[(entry.day - sheet.week_start).days] += entry.hours
    return list(items.values())
