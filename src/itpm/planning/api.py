"""REST routes for calendars, tasks and dependencies, plus scheduling a project on demand."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Router, Schema
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud, versioned
from itpm.planning import services
from itpm.planning.models import DependencyType
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
        return list(services.calendar_holidays(obj))


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
    notes: str
    start: dt.date | None
    finish: dt.date | None
    late_start: dt.date | None
    late_finish: dt.date | None
    total_float_days: Decimal | None
    is_critical: bool
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
    notes: str | None = None

    _no_nulls = field_validator(
        "order", "name", "is_milestone", "duration_days", "percent_complete", "priority", "notes"
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


class ScheduleOut(Schema):
    finish: dt.date | None
    critical_path: list[int]
    error: str | None


add_crud(
    router,
    "/calendars",
    Crud(
        name="calendars",
        out=CalendarOut,
        create_in=CalendarIn,
        update_in=CalendarFields,
        filters=CalendarFilter,
        visible=lambda u: services.visible_calendars(u).prefetch_related("exceptions"),
        access=services.access_calendar,
        create=services.check_create_calendar,
        update=services.check_update_calendar,
        delete=services.check_delete_calendar,
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
        visible=services.visible_tasks,
        access=services.access_task,
        create=services.check_create_task,
        update=versioned(services.check_update_task),
        delete=services.check_delete_task,
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
        visible=services.visible_dependencies,
        access=services.access_dependency,
        create=services.check_create_dependency,
        update=services.check_update_dependency,
        delete=services.check_delete_dependency,
    ),
)


@router.post("/projects/{project_id}/schedule", response=ScheduleOut, tags=["projects"])
def schedule_project(request: HttpRequest, project_id: int) -> Any:
    """Recompute the project's dates, floats and critical path now."""
    user = acting_user(request)
    project = access_project(user, project_id)
    require(user, "change_plan", project)
    return services.do_schedule_project(project)
