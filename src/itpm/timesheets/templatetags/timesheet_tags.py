"""{% load timesheet_tags %}: hours as people write them, and whether the nav shows Approvals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from itpm.portfolio.rules import PROJECT_ACTIONS, project_roles
from itpm.timesheets.weeks import week_label

register = template.Library()


@register.filter
def approves_time(user: Any) -> bool:
    """Administrators and anyone whose role on some project lets them approve timesheets."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or set(project_roles(user).values()) & PROJECT_ACTIONS["approve_time"])


@register.filter
def hours(value: Decimal | None, empty: str = "") -> str:
    """7.50 -> "7.5", 8.00 -> "8"; nothing or zero -> `empty`."""
    if not value:
        return empty
    return f"{Decimal(value).normalize():f}"


@register.filter
def iso_week(monday: dt.date) -> str:
    """The week's name, 2026-W10."""
    return week_label(monday)
