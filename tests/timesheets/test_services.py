"""Week grid services: saving all or nothing, limits, locking, submission, approval and progress."""

from __future__ import annotations

from decimal import Decimal

import pytest

from itpm.core.errors import Conflict, Forbidden, Invalid
from itpm.planning.models import Task
from itpm.resources.models import Assignment, Resource
from itpm.timesheets.approvals import approval_queue, check_approve, check_reject, check_reverse_entry
from itpm.timesheets.models import TimeEntry, Timesheet
from itpm.timesheets.services import Cell, check_save_week, check_submit_week, my_week
from tests.conftest import World
from tests.timesheets.helpers import MONDAY, cells, day, log_and_submit

pytestmark = pytest.mark.django_db


def stored(world: World) -> dict[tuple[int, str], Decimal]:
    return {
        (e.task_id, e.day.isoformat()): e.hours
        for e in TimeEntry.objects.filter(timesheet__resource=world.member_resource)
    }


def test_grid_saves_and_reads_back_with_totals(world: World) -> None:
    week = check_save_week(world.member, MONDAY, cells(world.design, "8", "7,5", "7:30", None, "0"))
    row = next(r for r in week.rows if r.task.pk == world.design.pk)
    assert row.hours == [Decimal("8.00"), Decimal("7.50"), Decimal("7.50"), None, None, None, None]
    assert row.total == Decimal("23.00") and week.day_totals[0] == Decimal("8.00")
    assert week.total == Decimal("23.00") and week.status == "draft" and week.label == "2026-W10"
    assert Timesheet.objects.get().project == world.project


def test_grid_replaces_the_week_so_cleared_cells_are_removed(world: World) -> None:
    check_save_week(world.member, MONDAY, cells(world.design, "8", "8"))
    check_save_week(world.member, MONDAY, cells(world.design, "6"))
    assert stored(world) == {(world.design.pk, "2026-03-02"): Decimal("6.00")}
    check_save_week(world.member, MONDAY, [])
    assert stored(world) == {} and not Timesheet.objects.exists()  # an empty draft is not kept


def test_every_bad_cell_is_named_and_nothing_is_saved(world: World) -> None:
    check_save_week(world.member, MONDAY, cells(world.design, "4"))
    bad = [
        Cell(world.design.pk, day(0), "5"),
        Cell(world.design.pk, day(1), "25"),
        Cell(world.design.pk, day(2), "-3"),
        Cell(world.design.pk, day(3), "lots"),
        Cell(world.design.pk, day(4), "1.234"),
        Cell(world.canary_task.pk, day(5), "2"),
        Cell(world.design.pk, "2026-13-01", "2"),
    ]
    with pytest.raises(Invalid) as raised:
        check_save_week(world.member, MONDAY, bad)
    errors = raised.value.errors
    assert set(errors) == {f"cells.{i}" for i in range(1, 7)}
    assert "at most 24" in errors["cells.1"][0] and "negative" in errors["cells.2"][0]
    assert "not a number" in errors["cells.3"][0] and "two decimals" in errors["cells.4"][0]
    assert "no task" in errors["cells.5"][0] and "not a date" in errors["cells.6"][0]
    assert stored(world) == {(world.design.pk, "2026-03-02"): Decimal("4.00")}  # untouched


def test_a_day_holds_at_most_24_hours_across_tasks_and_projects(world: World) -> None:
    Assignment.objects.create(task=world.build, resource=world.member_resource)
    with pytest.raises(Invalid) as raised:
        check_save_week(world.member, MONDAY, cells(world.design, "16") + cells(world.build, "9"))
    assert raised.value.field == "day 2026-03-02" and "25.00 hours" in raised.value.message
    check_save_week(world.member, MONDAY, cells(world.design, "16") + cells(world.build, "8"))


def test_the_same_cell_twice_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as raised:
        check_save_week(world.member, MONDAY, cells(world.design, "2") + cells(world.design, "3"))
    assert raised.value.field == "cells.1" and "given twice" in raised.value.message


def test_only_own_resource_and_permitted_tasks(world: World) -> None:
    with pytest.raises(Forbidden):  # the viewer has no resource record
        check_save_week(world.viewer, MONDAY, cells(world.design, "1"))
    Resource.objects.create(name="Vic Viewer", user=world.viewer)
    with pytest.raises(Invalid, match="no task"):  # a stakeholder may not log time
        check_save_week(world.viewer, MONDAY, cells(world.design, "1"))
    with pytest.raises(Invalid, match="no task"):  # a supplier only on its own tasks
        check_save_week(world.supplier, MONDAY, cells(world.design, "1"))
    check_save_week(world.supplier, MONDAY, cells(world.build, "1"))
    summary = Task.objects.create(project=world.project, name="Phase", is_summary=True)
    with pytest.raises(Invalid, match="no task"):
        check_save_week(world.member, MONDAY, cells(summary, "1"))
    with pytest.raises(Invalid, match="no task"):
        check_save_week(world.member, MONDAY, cells(world.golive, "1"))  # a milestone


def test_submitted_and_approved_weeks_are_locked(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    with pytest.raises(Invalid, match="submitted and locked"):
        check_save_week(world.member, MONDAY, cells(world.design, "7"))
    check_save_week(world.member, MONDAY, cells(world.design, "8"))  # unchanged: accepted
    check_save_week(world.member, MONDAY, [])  # a locked week's hours are not removed by omission
    assert stored(world) == {(world.design.pk, "2026-03-02"): Decimal("8.00")}
    check_approve(world.pm, sheet)
    with pytest.raises(Invalid, match="approved and locked"):
        check_save_week(world.member, MONDAY, cells(world.design, None))
    with pytest.raises(Invalid, match="no draft hours"):
        check_submit_week(world.member, MONDAY)


def test_reject_returns_the_week_for_editing_with_the_comment(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    with pytest.raises(Invalid, match="comment"):
        check_reject(world.pm, sheet, "  ")
    check_reject(world.pm, sheet, "Monday was a holiday")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.decision_comment, sheet.decided_by) == (
        "rejected",
        "Monday was a holiday",
        world.pm,
    )
    check_save_week(world.member, MONDAY, cells(world.design, None, "8"))
    assert check_submit_week(world.member, MONDAY)[0].status == "submitted"


def test_who_decides(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    for persona in ("member", "viewer", "supplier", "outsider"):
        with pytest.raises(Forbidden):
            check_approve(world.persona(persona), sheet)
    pm_resource = Resource.objects.create(name="Pat PM", user=world.pm)
    Assignment.objects.create(task=world.build, resource=pm_resource)
    own = log_and_submit(world.pm, world.build, "3")
    with pytest.raises(Forbidden, match="your own"):
        check_approve(world.pm, own)
    assert [i.resource for i in approval_queue(world.pm)] == [world.member_resource]
    assert approval_queue(world.member) == [] and approval_queue(world.outsider) == []
    check_approve(world.pm, sheet)
    with pytest.raises(Conflict):
        check_approve(world.pm, sheet)  # decided already


def test_approval_sets_progress_and_reschedules(world: World) -> None:
    world.design.effort_hours = Decimal(40)
    world.design.save()
    sheet = log_and_submit(world.member, world.design, "8", "8")
    check_approve(world.pm, sheet)
    design = Task.objects.get(pk=world.design.pk)
    assert design.percent_complete == 40 and design.actual_start == MONDAY
    assert design.remaining_days == Decimal("3.20")  # 24 h left at the calendar's 7.5 h a day
    assert design.start == MONDAY  # rescheduled from the actual start


def test_reversal_rules(world: World) -> None:
    sheet = log_and_submit(world.member, world.design, "8")
    entry = TimeEntry.objects.get(timesheet=sheet)
    with pytest.raises(Conflict, match="submitted, not approved"):
        check_reverse_entry(world.pm, entry, "6", comment="typo")
    check_approve(world.pm, sheet)
    with pytest.raises(Forbidden):
        check_reverse_entry(world.member, entry, "6", comment="typo")
    with pytest.raises(Invalid, match="comment"):
        check_reverse_entry(world.pm, entry, "6", comment="")
    with pytest.raises(Invalid, match="at most 24"):
        check_reverse_entry(world.pm, entry, "30", comment="typo")
    with pytest.raises(Invalid, match="task_id"):
        check_reverse_entry(world.pm, entry, "6", task_id=world.canary_task.pk, comment="typo")
    reversal, correction = check_reverse_entry(world.pm, entry, "6", comment="typo")
    assert (reversal.hours, reversal.reverses, correction.hours) == (Decimal("-8.00"), entry, Decimal("6.00"))
    with pytest.raises(Conflict, match="already reversed"):
        check_reverse_entry(world.pm, entry, "5", comment="again")
    check_reverse_entry(world.pm, correction, None, comment="not worked at all")
    assert my_week(world.member, MONDAY).rows[0].hours[0] == Decimal(0)
