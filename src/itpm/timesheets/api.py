"""REST routes for timesheets: my week (read and save the grid, submit), the approval queue,
approve and reject, reversal of approved hours, and CSV/XLSX upload."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from itpm.core.api import InputSchema, acting_user
from itpm.core.errors import Invalid
from itpm.timesheets import approvals, services, upload
from itpm.timesheets.weeks import monday_of, parse_week, week_label

# Routes with fixed words (week, approvals, upload) come before /timesheets/{timesheet_id}, which
# would otherwise take them for an id.
router = Router(tags=["timesheets"])
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SheetOut(Schema):
    id: int
    project_id: int
    project_code: str = Field(..., alias="project.code")
    resource_id: int
    resource: str = Field(..., alias="resource.name")
    week: str
    week_start: dt.date
    status: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_comment: str

    @staticmethod
    def resolve_week(obj: Any) -> str:
        return week_label(obj.week_start)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by_id else None


class RowOut(Schema):
    task_id: int = Field(..., alias="task.pk")
    task: str = Field(..., alias="task.name")
    wbs_code: str = Field(..., alias="task.wbs_code")
    project_code: str = Field(..., alias="task.project.code")
    hours: list[Decimal | None]
    total: Decimal
    status: str
    locked: bool


class WeekOut(Schema):
    week: str = Field(..., alias="label")
    week_start: dt.date = Field(..., alias="monday")
    status: str
    days: list[dt.date]
    rows: list[RowOut]
    day_totals: list[Decimal]
    total: Decimal
    sheets: list[SheetOut]


class CellIn(InputSchema):
    task_id: int
    day: dt.date
    hours: Decimal | None = Field(None, description="Empty or 0 removes the hours; at most 24.")
    comment: str = Field("", max_length=500)


class WeekIn(InputSchema):
    week: str = Field(..., description="ISO week, e.g. 2026-W10, or any date in it.")
    cells: list[CellIn] = Field(..., max_length=2000)


class WeekRef(InputSchema):
    week: str


class DecisionIn(InputSchema):
    comment: str = Field("", max_length=2000)


class ReversalIn(InputSchema):
    hours: Decimal | None = Field(None, description="Corrected hours; empty to reverse only.")
    task_id: int | None = Field(None, description="Book the corrected hours on another task.")
    comment: str = Field(..., max_length=500)


class EntryOut(Schema):
    id: int
    timesheet_id: int
    task_id: int
    day: dt.date
    hours: Decimal
    comment: str
    kind: str
    reverses_id: int | None


class SheetDetailOut(SheetOut):
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())


class QueueLineOut(Schema):
    timesheet_id: int = Field(..., alias="sheet.pk")
    project_code: str = Field(..., alias="sheet.project.code")
    task_id: int = Field(..., alias="task.pk")
    task: str = Field(..., alias="task.name")
    hours: list[Decimal]
    total: Decimal


class QueueItemOut(Schema):
    resource_id: int
    resource: str
    week: str
    week_start: dt.date
    total: Decimal
    timesheets: list[SheetOut]
    lines: list[QueueLineOut]


class UploadOut(Schema):
    rows: int


@router.get("/timesheets/week", response=WeekOut)
def read_my_week(request: HttpRequest, week: str | None = None) -> Any:
    """The signed-in person's week grid (this week unless `week` names another): hours per task
    and day, totals, and each project's status."""
    monday = parse_week(week) if week else monday_of(timezone.localdate())
    return services.my_week(acting_user(request), monday)


@router.put("/timesheets/week", response=WeekOut)
def save_my_week(request: HttpRequest, payload: WeekIn) -> Any:
    """Replace the week's editable hours with these cells, all or nothing; each bad cell is named."""
    cells = [services.Cell(c.task_id, c.day, c.hours, c.comment) for c in payload.cells]
    return services.check_save_week(acting_user(request), parse_week(payload.week), cells)


@router.post("/timesheets/week/submit", response=list[SheetOut])
def submit_my_week(request: HttpRequest, payload: WeekRef) -> Any:
    """Submit the week's draft or rejected timesheets for approval."""
    return services.check_submit_week(acting_user(request), parse_week(payload.week))


@router.post("/timesheets/upload", response=UploadOut)
def upload_hours(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """CSV or XLSX of hours (date, hours, task_id or project + wbs, comment); all rows or none."""
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise Invalid(f"file: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    return {"rows": upload.check_upload(acting_user(request), file.name or "", file.read())}


@router.get("/timesheets/approvals", response=list[QueueItemOut])
def approval_queue(request: HttpRequest) -> Any:
    """Submitted weeks the caller decides on, per person and week, with hours per task."""
    return [_queue_item(item) for item in approvals.approval_queue(acting_user(request))]


def _queue_item(item: approvals.QueueItem) -> dict[str, Any]:
    return {
        "resource_id": item.resource.pk,
        "resource": item.resource.name,
        "week": item.label,
        "week_start": item.monday,
        "total": item.total,
        "timesheets": item.sheets,
        "lines": item.lines,
    }


@router.get("/timesheets/{timesheet_id}", response=SheetDetailOut)
def get_timesheet(request: HttpRequest, timesheet_id: int) -> Any:
    return services.access_timesheet(acting_user(request), timesheet_id)


@router.post("/timesheets/{timesheet_id}/approve", response=SheetOut)
def approve(request: HttpRequest, timesheet_id: int, payload: DecisionIn) -> Any:
    """Approve a submitted timesheet: its hours are locked and update the tasks' progress."""
    user = acting_user(request)
    return approvals.check_approve(user, services.access_timesheet(user, timesheet_id), payload.comment)


@router.post("/timesheets/{timesheet_id}/reject", response=SheetOut)
def reject(request: HttpRequest, timesheet_id: int, payload: DecisionIn) -> Any:
    """Send a submitted timesheet back to its owner with a comment; it becomes editable again."""
    user = acting_user(request)
    return approvals.check_reject(user, services.access_timesheet(user, timesheet_id), payload.comment)


@router.post("/time-entries/{entry_id}/reversal", response={201: list[EntryOut]})
def reverse(request: HttpRequest, entry_id: int, payload: ReversalIn) -> Any:
    """Reverse an approved entry (a negative entry pointing at it) and book corrected hours."""
    user = acting_user(request)
    entry = services.access_entry(user, entry_id)
    made = approvals.check_reverse_entry(user, entry, payload.hours, payload.task_id, payload.comment)
    return Status(201, made)
