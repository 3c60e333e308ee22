"""Calendar writes: shared calendars by administrators, a project's own by its planners."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from itpm.core.errors import Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.planning.models import (
    Calendar,
    CalendarException,
)
from itpm.portfolio.services import access_project, require_superuser

CALENDAR_FIELDS = {
    "name",
    "project_id",
    "working_week",
    "day_start",
    "day_end",
    "hours_per_day",
    "country",
    "description",
}


def _require_calendar_write(user: Any, project_id: int | None) -> None:
    if project_id is None:
        require_superuser(user, "change shared calendars")
    else:
        try:
            access_project(user, int(project_id), "change_plan")
        except NotFound as missing:
            raise Invalid(f"project_id: no project {project_id} you can see", field="project_id") from missing


def check_create_calendar(user: Any, data: Mapping[str, Any]) -> Calendar:
    _require_calendar_write(user, data.get("project_id"))
    with transaction.atomic():
        return validate_and_save(assign_fields(Calendar(), data, CALENDAR_FIELDS))


def check_update_calendar(user: Any, calendar: Calendar, data: Mapping[str, Any]) -> Calendar:
    _require_calendar_write(user, calendar.project_id)
    if "project_id" in data and data["project_id"] != calendar.project_id:
        raise Invalid("project_id: a calendar cannot move between projects", field="project_id")
    with transaction.atomic():
        return validate_and_save(assign_fields(calendar, data, CALENDAR_FIELDS))


def check_delete_calendar(user: Any, calendar: Calendar) -> None:
    _require_calendar_write(user, calendar.project_id)
    calendar.delete()


def calendar_holidays(calendar: Calendar) -> QuerySet[CalendarException]:
    return calendar.exceptions.all()
