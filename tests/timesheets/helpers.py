"""Shared steps for timesheet tests: a week of the world's project and filling it in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from itpm.timesheets.services import Cell, check_save_week, check_submit_week

MONDAY = dt.date(2026, 3, 2)  # ISO week 2026-W10


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def cells(task: Any, *hours: Any, monday: dt.date = MONDAY) -> list[Cell]:
    """One row of the grid: hours Monday onwards for a task."""
    return [Cell(task.pk, monday + dt.timedelta(days=i), h) for i, h in enumerate(hours)]


def log_and_submit(user: Any, task: Any, *hours: Any, monday: dt.date = MONDAY) -> Any:
    check_save_week(user, monday, cells(task, *hours, monday=monday))
    return check_submit_week(user, monday)[0]


def dec(value: str) -> Decimal:
    return Decimal(value)
