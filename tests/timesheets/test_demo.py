"""The demo's timesheets: history behind the reported progress, a queue for pm, a draft for dev."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max, Min, Sum

from itpm.demo import load_demo
from itpm.planning.models import Task
from itpm.portfolio.models import Project
from itpm.timesheets.approvals import approval_queue
from itpm.timesheets.models import TimeEntry, Timesheet
from itpm.timesheets.services import approved_hours_by_task, approved_time, my_week

TODAY = dt.date(2026, 3, 4)
ANCHOR = dt.date(2026, 3, 2)


def test_demo_timesheets_tell_the_same_story_as_progress(db: Any) -> None:
    load_demo(today=TODAY)
    approved = Timesheet.objects.filter(status="approved")
    assert approved.count() > 100 and approved.aggregate(Max("week_start"))["week_start__max"] < ANCHOR
    assert not Timesheet.objects.filter(status="draft", week_start__lt=ANCHOR).exists()
    # Hours only on tasks that had started, never after the status date, never over 24 a day.
    assert TimeEntry.objects.aggregate(Max("day"))["day__max"] <= ANCHOR
    days = TimeEntry.objects.values("timesheet__resource", "day").annotate(total=Sum("hours"))
    assert max(d["total"] for d in days) <= 24
    erp = Project.objects.get(code="ERP-S4")
    assert approved_time(erp.pk)
    hours = approved_hours_by_task(Task.objects.filter(project=erp).values_list("pk", flat=True))
    started = Task.objects.filter(pk__in=list(hours))
    assert all(t.actual_start is not None and t.percent_complete > 0 for t in started)
    first = TimeEntry.objects.filter(task__project=erp).aggregate(Min("day"))["day__min"]
    assert first >= erp.planned_start

    pm, dev = User.objects.get(username="pm"), User.objects.get(username="dev")
    queue = approval_queue(pm)
    assert [item.resource.user for item in queue] == [dev]
    assert {s.project.code for s in queue[0].sheets} <= {"ERP-S4", "NET-BRANCH"}
    week = my_week(dev, ANCHOR)
    assert week.status == "draft" and week.total > Decimal(0)
