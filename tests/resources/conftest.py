"""A small plan with a hand-checkable clash, on top of the shared `world`.

ERP starts Monday 5 January 2026 on the Standard calendar (Monday to Friday, no holidays). After
scheduling: Design (10 days, Mia 1 unit) runs 5-16 January; Build (20 days, Sam) 19 January to
13 February; Review (5 days, no links, Mia 0.5) 5-9 January; Spec (5 days, no links, Mia 1)
5-9 January. So Mia is asked for 2.5 units on 5-9 January: an over-allocation of 1.5 units for
five days (7.5 unit-days of excess). Mia also has CANARY work (invisible to ERP's people), on
12-14 January, 1 unit, which makes her 2 units on those days for those who see both projects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import World

MONDAY = dt.date(2026, 1, 5)


@dataclass
class Clash:
    world: World
    review: Any
    spec: Any


@pytest.fixture
def clash(world: World) -> Clash:
    from itpm.planning.models import Task
    from itpm.planning.scheduling.run import do_schedule_project
    from itpm.resources.models import Assignment

    review = Task.objects.create(project=world.project, name="Review", wbs_code="4", order=4, duration_days=5)
    spec = Task.objects.create(project=world.project, name="Spec", wbs_code="5", order=5, duration_days=5)
    Assignment.objects.create(task=review, resource=world.member_resource, units=Decimal("0.5"))
    Assignment.objects.create(task=spec, resource=world.member_resource, units=Decimal(1))
    do_schedule_project(world.project)
    canary = world.canary_task
    canary.duration_days = Decimal(3)
    canary.save()
    Assignment.objects.create(task=canary, resource=world.member_resource, units=Decimal(1))
    world.other.planned_start = dt.date(2026, 1, 12)
    world.other.save()
    do_schedule_project(world.other)
    for task in (review, spec):
        task.refresh_from_db()
    return Clash(world, review, spec)
