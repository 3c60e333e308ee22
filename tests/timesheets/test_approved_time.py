"""approved_time: what finance turns into actual cost — approved hours only, reversals netted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from itpm.timesheets.approvals import check_approve, check_reject, check_reverse_entry
from itpm.timesheets.models import TimeEntry
from itpm.timesheets.services import ApprovedTime, approved_time
from tests.conftest import World
from tests.timesheets.helpers import day, log_and_submit

pytestmark = pytest.mark.django_db


def test_only_approved_hours_count(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8", "6.5")
    assert approved_time(world.project.pk) == []  # submitted is not approved
    check_approve(world.pm, sheet)
    resource = world.member_resource.pk
    assert approved_time(world.project.pk) == [
        ApprovedTime(world.design.pk, resource, day(0), Decimal("8.00")),
        ApprovedTime(world.design.pk, resource, day(1), Decimal("6.50")),
    ]
    assert approved_time(world.other.pk) == []


def test_rejected_hours_do_not_count(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    check_reject(world.pm, sheet, "wrong task")
    assert approved_time(world.project.pk) == []


def test_reversal_nets_out_and_correction_counts(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8", "4")
    check_approve(world.pm, sheet)
    monday = TimeEntry.objects.get(timesheet=sheet, day=day(0))
    tuesday = TimeEntry.objects.get(timesheet=sheet, day=day(1))
    check_reverse_entry(world.pm, monday, hours="5", comment="booked 3 h too many")
    check_reverse_entry(world.pm, tuesday, hours=None, comment="not worked")
    assert approved_time(world.project.pk) == [
        ApprovedTime(world.design.pk, world.member_resource.pk, day(0), Decimal("5.00"))
    ]
    # Nothing was edited or deleted: the originals stand beside their reversals.
    assert TimeEntry.objects.filter(timesheet=sheet).count() == 5
    assert sorted(TimeEntry.objects.filter(timesheet=sheet).values_list("hours", flat=True)) == [
        Decimal("-8.00"),
        Decimal("-4.00"),
        Decimal("4.00"),
        Decimal("5.00"),
        Decimal("8.00"),
    ]
