"""The timesheet week grid and the approval queue for project managers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from itpm.core.errors import Conflict, Invalid
from itpm.timesheets import approvals, services
from itpm.timesheets.weeks import monday_of, parse_week, week_label
from itpm.web.errors import service_errors
from itpm.web.views.common import render_page


@dataclass
class GridCell:
    name: str
    day: dt.date
    value: str
    error: str = ""


@dataclass
class GridRow:
    task: Any
    cells: list[GridCell]
    total: Any
    status: str
    locked: bool


@dataclass
class Grid:
    """What the template shows: the stored week, or the typed values with their errors."""

    week: services.Week
    rows: list[GridRow]
    errors: dict[str, list[str]] = field(default_factory=dict)
    addable: list[Any] = field(default_factory=list)

    @property
    def footer(self) -> list[tuple[Any, str]]:
        """Each day's total with the error about it, if the day holds too many hours."""
        totals = self.week.day_totals
        return [
            (totals[i], " ".join(self.errors.get(f"day {d.isoformat()}", [])))
            for i, d in enumerate(self.week.days)
        ]

    @property
    def general_errors(self) -> list[str]:
        """Problems not tied to a cell or a day (the week itself, the resource)."""
        named = {cell.name for row in self.rows for cell in row.cells}
        return [
            message
            for key, messages in self.errors.items()
            if key not in named and not key.startswith("day ")
            for message in messages
        ]


def _cell_name(task_id: int, index: int) -> str:
    return f"h-{task_id}-{index}"


def _show(hours: Any) -> str:
    return "" if not hours else f"{hours.normalize():f}"


def _grid(user: Any, week: services.Week, posted: Any = None, errors: Any = None) -> Grid:
    errors = errors or {}
    rows = []
    for row in week.rows:
        cells = [
            GridCell(
                _cell_name(row.task.pk, i),
                week.days[i],
                posted.get(_cell_name(row.task.pk, i), "") if posted is not None else _show(hours),
            )
            for i, hours in enumerate(row.hours)
        ]
        rows.append(GridRow(row.task, cells, row.total, row.status, row.locked))
    shown = {row.task.pk for row in week.rows}
    addable = [t for t in services.loggable_tasks(user).select_related("project") if t.pk not in shown]
    addable.sort(key=lambda t: (t.project.code, t.order))
    return Grid(week, rows, errors, addable[:500])


def _posted_cells(week: services.Week, data: Any) -> tuple[list[services.Cell], dict[str, str]]:
    """The editable cells of the grid as typed, and which input each service label points to."""
    cells: list[services.Cell] = []
    names: dict[str, str] = {}
    for row in week.rows:
        if row.locked:
            continue  # locked inputs are disabled and not posted: the service keeps those hours
        for index, day in enumerate(week.days):
            name = _cell_name(row.task.pk, index)
            names[f"cells.{len(cells)}"] = name
            cells.append(services.Cell(row.task.pk, day, data.get(name, "")))
    return cells, names


def _extra_tasks(request: HttpRequest) -> list[int]:
    ids = request.POST.getlist("task") + request.POST.getlist("add") + request.GET.getlist("add")
    return [int(i) for i in ids if i.isdigit()]


def _page(request: HttpRequest, grid: Grid, status: int = 200) -> HttpResponse:
    monday = grid.week.monday
    context = {
        "grid": grid,
        "week": grid.week,
        "previous": week_label(monday - dt.timedelta(days=7)),
        "next": week_label(monday + dt.timedelta(days=7)),
        "this_week": week_label(monday_of(timezone.localdate())),
    }
    page, fragment = "web/timesheets/week.html", "web/timesheets/_grid.html"
    return render_page(request, page, fragment, context, status=status)


@require_GET
@login_required
def timesheet(request: HttpRequest) -> HttpResponse:
    return redirect("timesheet-week", week_label(monday_of(timezone.localdate())))


@require_GET
@login_required
@service_errors
def timesheet_week(request: HttpRequest, week: str) -> HttpResponse:
    monday = _monday(week)
    grid_week = services.my_week(request.user, monday, _extra_tasks(request))
    return _page(request, _grid(request.user, grid_week))


def _monday(week: str) -> dt.date:
    try:
        return parse_week(week)
    except Invalid as error:
        raise Http404(error.message) from error


@require_POST
@login_required
@service_errors
def timesheet_save(request: HttpRequest, week: str) -> HttpResponse:
    """Save the grid (and submit it when asked); errors come back next to the cells at fault."""
    monday = _monday(week)
    grid_week = services.my_week(request.user, monday, _extra_tasks(request))
    cells, names = _posted_cells(grid_week, request.POST)
    try:
        services.check_save_week(request.user, monday, cells)
        if request.POST.get("action") == "submit":
            services.check_submit_week(request.user, monday)
    except Invalid as error:
        errors = {names.get(key, key): problems for key, problems in error.errors.items()}
        grid = _grid(request.user, grid_week, request.POST, errors)
        return _page(request, _with_cell_errors(grid), status=422)
    done = "submitted for approval" if request.POST.get("action") == "submit" else "saved"
    messages.success(request, f"Week {week_label(monday)} {done}.")
    if not request.htmx:  # type: ignore[attr-defined]
        extra = urlencode([("add", task_id) for task_id in _extra_tasks(request)])
        return redirect(reverse("timesheet-week", args=[week_label(monday)]) + (f"?{extra}" if extra else ""))
    fresh = services.my_week(request.user, monday, _extra_tasks(request))
    return _page(request, _grid(request.user, fresh))


def _with_cell_errors(grid: Grid) -> Grid:
    for row in grid.rows:
        for cell in row.cells:
            cell.error = " ".join(grid.errors.get(cell.name, []))
    return grid


# ---- approvals ---------------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def approval_queue(request: HttpRequest) -> HttpResponse:
    context = {
        "items": approvals.approval_queue(request.user),
        "recent": approvals.recently_approved(request.user),
    }
    return render(request, "web/timesheets/approvals.html", context)


@require_POST
@login_required
@service_errors
def approval_decide(request: HttpRequest, timesheet_id: int) -> HttpResponse:
    sheet = services.access_timesheet(request.user, timesheet_id)
    comment = request.POST.get("comment", "")
    who = f"{sheet.resource.name}, {week_label(sheet.week_start)} on {sheet.project.code}"
    try:
        if request.POST.get("action") == "reject":
            approvals.check_reject(request.user, sheet, comment)
            messages.success(request, f"Rejected: {who}. It is back with them to correct.")
        else:
            approvals.check_approve(request.user, sheet, comment)
            messages.success(request, f"Approved: {who}. Task progress is updated.")
    except (Invalid, Conflict) as error:
        messages.error(request, f"{who}: {error.message}")
    return redirect(reverse("approvals"))


@require_GET
@login_required
@service_errors
def timesheet_detail(request: HttpRequest, timesheet_id: int) -> HttpResponse:
    """One project week of one person: every entry, reversals included; corrections for its PM."""
    sheet = services.access_timesheet(request.user, timesheet_id)
    context = {
        "sheet": sheet,
        "entries": approvals.sheet_entries(sheet),
        "correctable": approvals.correctable(request.user, sheet),
        "week": week_label(sheet.week_start),
    }
    return render(request, "web/timesheets/detail.html", context)


@require_POST
@login_required
@service_errors
def entry_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Reverse an approved entry and book the corrected hours, if any, in its place."""
    entry = services.access_entry(request.user, entry_id)
    hours, reason = request.POST.get("hours", ""), request.POST.get("comment", "")
    try:
        made = approvals.check_reverse_entry(request.user, entry, hours or None, None, reason)
    except (Invalid, Conflict) as error:
        messages.error(request, f"{entry.task.name} on {entry.day:%a %d %b}: {error.message}")
    else:
        done = f"corrected to {made[1].hours} h" if len(made) > 1 else "reversed"
        messages.success(request, f"{entry.task.name} on {entry.day:%a %d %b}: {entry.hours} h {done}.")
    return redirect("timesheet-detail", entry.timesheet_id)
