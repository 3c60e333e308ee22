"""REST routes for calendars, tasks and dependencies; scheduling a project on demand and reading the
stored schedule and critical path (baselines: baselines_api)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Router, Schema
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud, versioned
from itpm.planning.models import Constraint, DependencyType
from itpm.planning.scheduling.run import do_schedule_project
from itpm.planning.services.calendars import (
    calendar_holidays,
    check_create_calendar,
    check_delete_calendar,
    check_update_calendar,
)
from itpm.planning.services.dependencies import (
    check_create_dependency,
    check_delete_dependency,
    check_update_dependency,
)
from itpm.planning.services.stored_schedule import critical_path, project_schedule
from itpm.planning.services.tasks import check_create_task, check_delete_task, check_update_task
from itpm.planning.services.visibility import (
    access_calendar,
    access_dependency,
    access_task,
    visible_calendars,
    visible_dependencies,
    visible_tasks,
)
from itpm.portfolio.services import access_project, require

router = Router()

WorkingWeek = Field(None, pattern=r"^[1-7]{0,7}$", description="ISO weekdays, 1 = Monday … 7 = Sunday")


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


# ---- calendars ---------------------------------------------------------------------------------


class HolidayOut(Schema):
    name: str
    start: dt.date
    finish: dt.date
    working: bool


class CalendarOut(Schema):
    id: int
    name: str
    project_id: int | None
    working_week: str
    day_start: dt.time
    day_end: dt.time
    hours_per_day: Decimal
    country: str
    description: str
    exceptions: list[HolidayOut]

    @staticmethod
    def resolve_exceptions(obj: Any) -> list[Any]:
        return list(calendar_holidays(obj))


class CalendarFields(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    working_week: str | None = WorkingWeek
    day_start: dt.time | None = None
    day_end: dt.time | None = None
    hours_per_day: Decimal | None = Field(None, gt=0, le=24, max_digits=4, decimal_places=2)
    country: str | None = Field(None, max_length=2)
    description: str | None = None

    _no_nulls = field_validator("name", "working_week", "day_start", "day_end", "hours_per_day")(_not_null)


class CalendarIn(CalendarFields):
    name: str = Field(..., min_length=1, max_length=100)
    project_id: int | None = Field(None, description="Empty for a shared calendar (administrators only).")


class CalendarFilter(FilterSchema):
    project_id: int | None = None
    name: Annotated[str | None, FilterLookup(q="name__icontains")] = None


# ---- tasks -------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    project_id: int
    parent_id: int | None
    phase_id: int | None
    wbs_code: str
    order: int
    name: str
    is_milestone: bool
    is_summary: bool
    duration_days: Decimal
    effort_hours: Decimal | None
    percent_complete: int
    actual_start: dt.date | None
    actual_finish: dt.date | None
    remaining_days: Decimal | None
    priority: int
    constraint_type: Constraint
    constraint_date: dt.date | None
    deadline: dt.date | None
    calendar_id: int | None = Field(
        description="The task's own calendar; empty: its resources', else the project's."
    )
    levelling_delay: int = Field(
        description="Working days levelling holds the task after its links allow it."
    )
    can_level: bool = Field(description="False: resource levelling never moves this task.")
    notes: str
    start: dt.date | None
    finish: dt.date | None
    late_start: dt.date | None
    late_finish: dt.date | None
    total_float_days: Decimal | None
    free_float_days: Decimal | None
    is_critical: bool
    driver: str = Field(
        description="Why the task starts then: link, constraint, status date, actual, project start."
    )
    driving_predecessor_id: int | None
    driving_type: str = Field(description="The driving link's type (FS/SS/FF/SF) when driver is 'link'.")
    lock_version: int


class TaskFields(InputSchema):
    parent_id: int | None = None
    phase_id: int | None = None
    order: int | None = Field(None, ge=0)
    name: str | None = Field(None, min_length=1, max_length=300)
    is_milestone: bool | None = None
    duration_days: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    effort_hours: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    percent_complete: int | None = Field(None, ge=0, le=100)
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    remaining_days: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    priority: int | None = Field(None, ge=0, le=1000)
    constraint_type: Constraint | None = Field(
        None, description="ASAP unless set; dated types need constraint_date."
    )
    constraint_date: dt.date | None = None
    deadline: dt.date | None = None
    calendar_id: int | None = Field(None, description="A calendar of the project, or a shared one.")
    levelling_delay: int | None = Field(
        None, ge=0, le=100_000, description="Working days; set by resource levelling."
    )
    can_level: bool | None = Field(None, description="False: levelling keeps the task where it is.")
    notes: str | None = None

    _no_nulls = field_validator(
        "levelling_delay",
        "can_level",
        "order",
        "name",
        "is_milestone",
        "duration_days",
        "percent_complete",
        "priority",
        "notes",
        "constraint_type",
    )(_not_null)


class TaskIn(TaskFields):
    project_id: int
    name: str = Field(..., min_length=1, max_length=300)


class TaskPatch(TaskFields):
    lock_version: int | None = Field(None, description="The version you read; a stale one answers 409.")


class TaskFilter(FilterSchema):
    project_id: int | None = None
    parent_id: int | None = None
    phase_id: int | None = None
    is_milestone: bool | None = None
    is_critical: bool | None = None
    search: Annotated[str | None, FilterLookup(q=["name__icontains", "wbs_code__startswith"])] = None


# ---- dependencies ------------------------------------------------------------------------------


class DependencyOut(Schema):
    id: int
    project_id: int
    predecessor_id: int
    successor_id: int
    type: DependencyType
    lag_days: Decimal


class DependencyIn(InputSchema):
    predecessor_id: int
    successor_id: int
    type: DependencyType = DependencyType.FS
    lag_days: Decimal = Field(Decimal(0), max_digits=8, decimal_places=2, description="Negative for a lead.")


class DependencyPatch(InputSchema):
    type: DependencyType | None = None
    lag_days: Decimal | None = Field(None, max_digits=8, decimal_places=2)

    _no_nulls = field_validator("type", "lag_days")(_not_null)


class DependencyFilter(FilterSchema):
    project_id: int | None = None
    predecessor_id: int | None = None
    successor_id: int | None = None


class ScheduleIssueOut(Schema):
    code: str
    message: str
    tasks: list[int]


class ScheduleOut(Schema):
    finish: dt.date | None
    critical_path: list[int]
    error: str | None
    conflicts: list[ScheduleIssueOut] = Field(
        description="Constraints that override links, missed deadlines…"
    )
    problems: list[ScheduleIssueOut] = Field(description="Stored data the scheduler had to set aside.")


add_crud(
    router,
    "/calendars",
    Crud(
        name="calendars",
        out=CalendarOut,
        create_in=CalendarIn,
        update_in=CalendarFields,
        filters=CalendarFilter,
        visible=lambda u: visible_calendars(u).prefetch_related("exceptions"),
        access=access_calendar,
        create=check_create_calendar,
        update=check_update_calendar,
        delete=check_delete_calendar,
        order_by=("name", "id"),
    ),
)
add_crud(
    router,
    "/tasks",
    Crud(
        name="tasks",
        out=TaskOut,
        create_in=TaskIn,
        update_in=TaskPatch,
        filters=TaskFilter,
        visible=visible_tasks,
        access=access_task,
        create=check_create_task,
        update=versioned(check_update_task),
        delete=check_delete_task,
        order_by=("project_id", "order", "id"),
    ),
)
add_crud(
    router,
    "/dependencies",
    Crud(
        name="dependencies",
        out=DependencyOut,
        create_in=DependencyIn,
        update_in=DependencyPatch,
        filters=DependencyFilter,
        visible=visible_dependencies,
        access=access_dependency,
        create=check_create_dependency,
        update=check_update_dependency,
        delete=check_delete_dependency,
    ),
)


@router.post("/projects/{project_id}/schedule", response=ScheduleOut, tags=["projects"])
def schedule_project(request: HttpRequest, project_id: int) -> Any:
    """Recompute the project's dates, floats and critical path now."""
    user = acting_user(request)
    project = access_project(user, project_id)
    require(user, "change_plan", project)
    return do_schedule_project(project)


# ---- the stored schedule -------------------------------------------------------------------------


class ScheduledTaskOut(Schema):
    id: int
    parent_id: int | None
    wbs_code: str
    name: str
    is_summary: bool
    is_milestone: bool
    duration_days: Decimal
    percent_complete: int
    start: dt.date | None
    finish: dt.date | None
    late_start: dt.date | None
    late_finish: dt.date | None
    total_float_days: Decimal | None
    is_critical: bool


class ProjectScheduleOut(Schema):
    project_id: int
    start: dt.date | None
    finish: dt.date | None
    tasks: list[ScheduledTaskOut]

    @staticmethod
    def resolve_project_id(obj: Any) -> int:
        return int(obj.project.pk)


class PathTaskOut(Schema):
    id: int
    wbs_code: str
    name: str
    start: dt.date | None
    finish: dt.date | None


class CriticalPathOut(Schema):
    project_id: int
    task_ids: list[int]
    tasks: list[PathTaskOut]


@router.get("/projects/{project_id}/schedule", response=ProjectScheduleOut, tags=["projects"])
def read_schedule(request: HttpRequest, project_id: int) -> Any:
    """The stored schedule in outline order: dates, late dates, total float and critical flags."""
    user = acting_user(request)
    return project_schedule(user, access_project(user, project_id))


@router.get("/projects/{project_id}/critical-path", response=CriticalPathOut, tags=["projects"])
def read_critical_path(request: HttpRequest, project_id: int) -> Any:
    """The critical tasks and milestones, in the order their links run."""
    user = acting_user(request)
    tasks = critical_path(user, access_project(user, project_id))
    return {"project_id": project_id, "task_ids": [t.pk for t in tasks], "tasks": tasks}
