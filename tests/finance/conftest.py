"""A tiny project whose money can be worked out by hand (the figures are in test_services.py).

ERP from the `world` fixture, on an 8-hour Monday-to-Friday calendar, status date Friday 16
January 2026, weekly periods ending on Sundays:

- Design, Mon 5 – Fri 9 Jan, 5 days, Mia Member at 80/h: 5 × 8 × 80 = 3,200; 100 % done.
- Build, Mon 12 – Fri 23 Jan, 10 days, Sam Supplier at 120/h: 10 × 8 × 120 = 9,600, plus a
  1,000 licence fixed cost at its start; 40 % done, started on the 12th.
- Go-live, a milestone on Fri 23 Jan: no cost.
- Purchases: servers 2,000 received on Wed 14 Jan; a support contract 500 ordered for Tue 20 Jan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import World

STATUS = dt.date(2026, 1, 16)


@pytest.fixture
def tiny(world: World) -> World:
    from itpm.finance.models import FixedCost, Purchase
    from itpm.planning.models import Task

    world.calendar.hours_per_day = Decimal(8)
    world.calendar.save()
    world.project.status_date = STATUS
    world.project.save()
    _plan(Task, world.design, "2026-01-05", "2026-01-09", 5, percent=100, actual=("2026-01-05", "2026-01-09"))
    _plan(Task, world.build, "2026-01-12", "2026-01-23", 10, percent=40, actual=("2026-01-12", None))
    _plan(Task, world.golive, "2026-01-23", "2026-01-23", 0)
    FixedCost.objects.create(
        task=world.build, name="Integration licence", amount=Decimal(1000), currency="EUR"
    )
    Purchase.objects.create(
        project=world.project,
        description="Servers",
        category="hardware",
        date=dt.date(2026, 1, 14),
        amount=Decimal(2000),
        status="received",
        supplier="Dell",
    )
    Purchase.objects.create(
        project=world.project,
        description="Support contract",
        category="services",
        cost_type="opex",
        date=dt.date(2026, 1, 20),
        amount=Decimal(500),
        status="committed",
        supplier="Acme",
    )
    return world


def _plan(
    model: Any, task: Any, start: str, finish: str, days: int, percent: int = 0, actual: Any = (None, None)
) -> None:
    model.objects.filter(pk=task.pk).update(
        start=start,
        finish=finish,
        duration_days=days,
        percent_complete=percent,
        actual_start=actual[0],
        actual_finish=actual[1],
    )
    task.refresh_from_db()
