"""Checking cells of hours before anything is written: every bad cell is named, nothing is half-saved.

A cell is one task on one day. The grid, the API and file uploads all hand their cells to
checked_cells, which parses loose input (strings from forms and files, numbers from JSON),
checks the task, the day, the hours, locked weeks and the 24-hour day, and raises one Invalid
holding every problem, keyed by the caller's label for the cell ("cells[3]", "row 7").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet, Sum

from itpm.core.errors import Invalid
from itpm.planning.models import Task
from itpm.resources.models import Resource
from itpm.timesheets.models import EDITABLE, MAX_DAY_HOURS, TimeEntry, Timesheet
from itpm.timesheets.weeks import monday_of, week_label

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Cell:
    """Hours on a task on a day as given; hours None, "" or 0 means no hours."""

    task_id: Any
    day: Any
    hours: Any
    comment: str = ""


@dataclass(frozen=True)
class GoodCell:
    task: Task
    day: dt.date
    hours: Decimal | None
    comment: str


@dataclass
class CellCheck:
    user: Any
    resource: Resource
    tasks: QuerySet[Task]
    replace_weeks: set[dt.date]
    label: Callable[[int], str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def parse_hours(value: Any) -> Decimal | None:
    """7.5, "7,5" or "7:30" -> Decimal('7.50'); None, "" or 0 -> None. ValueError if not hours."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", ".")
    try:
        if ":" in text:
            whole, minutes = text.split(":")
            if not (minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60):
                raise ValueError(text)
            hours = Decimal(int(whole)) + Decimal(int(minutes)) / 60
        else:
            hours = Decimal(text)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"{value!r} is not a number of hours") from error
    return _valid_hours(hours, value)


def _valid_hours(hours: Decimal, value: Any) -> Decimal | None:
    if not hours.is_finite():
        raise ValueError(f"{value!r} is not a number of hours")
    if hours == 0:
        return None
    if hours < 0:
        raise ValueError(f"{value!r}: hours cannot be negative (corrections are made by reversal)")
    if hours > MAX_DAY_HOURS:
        raise ValueError(f"{value!r}: at most 24 hours in a day")
    if ":" not in str(value) and hours != hours.quantize(CENT):
        raise ValueError(f"{value!r}: at most two decimals")
    return hours.quantize(CENT)


def parse_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from error


def checked_cells(check: CellCheck, cells: list[Cell]) -> list[GoodCell]:
    """Parse and check every cell; raise one Invalid naming all bad cells, else the good cells."""
    tasks = _tasks_by_id(check, cells)
    good: list[GoodCell] = []
    seen: dict[tuple[int, dt.date], str] = {}
    for index, cell in enumerate(cells):
        parsed = _check_cell(check, check.label(index), cell, tasks)
        if parsed is None:
            continue
        key = (parsed.task.pk, parsed.day)
        if key in seen:
            check.fail(check.label(index), f"{_where(parsed)}: given twice (also {seen[key]})")
            continue
        seen[key] = check.label(index)
        good.append(parsed)
    if not check.errors:
        _check_locked_and_totals(check, good)
    if check.errors:
        first, messages = next(iter(check.errors.items()))
        raise Invalid(f"{first}: {messages[0]}", field=first, errors=check.errors)
    return good


def _tasks_by_id(check: CellCheck, cells: list[Cell]) -> dict[int, Task]:
    ids = {cell.task_id for cell in cells if isinstance(cell.task_id, int)}
    ids |= {int(c.task_id) for c in cells if isinstance(c.task_id, str) and c.task_id.strip().isdigit()}
    return {task.pk: task for task in check.tasks.filter(pk__in=ids).select_related("project")}


def _check_cell(check: CellCheck, key: str, cell: Cell, tasks: dict[int, Task]) -> GoodCell | None:
    task_id = cell.task_id
    task = tasks.get(int(task_id)) if str(task_id).strip().isdigit() else None
    if task is None:
        check.fail(key, f"no task {task_id!r} you can log time on")
    try:
        day = parse_day(cell.day)
        hours = parse_hours(cell.hours)
    except ValueError as error:
        check.fail(key, str(error))
        return None
    if len(cell.comment or "") > 500:
        check.fail(key, "comment: at most 500 characters")
    if task is None or len(cell.comment or "") > 500:
        return None
    return GoodCell(task, day, hours, (cell.comment or "").strip())


def _where(cell: GoodCell) -> str:
    return f"{cell.task.project.code} {cell.task.wbs_code} {cell.task.name} on {cell.day:%a %d %b %Y}"


def _check_locked_and_totals(check: CellCheck, good: list[GoodCell]) -> None:
    mondays = {monday_of(c.day) for c in good} | check.replace_weeks
    sheets = {
        (s.project_id, s.week_start): s
        for s in Timesheet.objects.select_for_update()
        .select_related("project")
        .filter(resource=check.resource, week_start__in=mondays)
    }
    stored = _stored_cells(check.resource, {c.day for c in good} | _replaced_days(check))
    labels = {id(c): check.label(i) for i, c in enumerate(good)}  # no errors: good is every cell
    final = dict(stored)
    for key in list(final):
        sheet = sheets.get((key[0], monday_of(key[2])))
        if sheet is not None and sheet.editable and sheet.week_start in check.replace_weeks:
            del final[key]  # a saved grid replaces its editable weeks
    for cell in good:
        sheet = sheets.get((cell.task.project_id, monday_of(cell.day)))
        key = (cell.task.project_id, cell.task.pk, cell.day)
        if sheet is not None and sheet.status not in EDITABLE:
            if (cell.hours or Decimal(0)) != stored.get(key, Decimal(0)):
                check.fail(labels[id(cell)], f"{_where(cell)}: {_locked(sheet)}")
            continue
        final.pop(key, None)
        if cell.hours:
            final[key] = cell.hours
    _check_day_totals(check, final)


def _locked(sheet: Timesheet) -> str:
    return f"week {week_label(sheet.week_start)} on {sheet.project.code} is {sheet.status} and locked"


def _replaced_days(check: CellCheck) -> set[dt.date]:
    return {monday + dt.timedelta(days=d) for monday in check.replace_weeks for d in range(7)}


def _stored_cells(resource: Resource, days: set[dt.date]) -> dict[tuple[int, int, dt.date], Decimal]:
    """Net stored hours per (project, task, day) of the person on the given days."""
    rows = (
        TimeEntry.objects.filter(timesheet__resource=resource, day__in=days)
        .values("timesheet__project_id", "task_id", "day")
        .annotate(net=Sum("hours"))
    )
    return {(r["timesheet__project_id"], r["task_id"], r["day"]): r["net"] for r in rows if r["net"]}


def _check_day_totals(check: CellCheck, final: dict[tuple[int, int, dt.date], Decimal]) -> None:
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    for (_, _, day), hours in final.items():
        per_day[day] += hours
    for day, total in sorted(per_day.items()):
        if total > MAX_DAY_HOURS:
            check.fail(f"day {day.isoformat()}", f"{total} hours on {day:%a %d %b %Y}; at most 24 in a day")
