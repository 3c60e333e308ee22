"""Timesheets of the demo: approved weeks behind the in-flight projects' reported progress, this
week as drafts, and for the demo user `dev` a submitted week awaiting the project manager.

Hours follow what the team reported: a started task's done share of its work (duration × hours
per day × units), spread over the working days from its actual start to its actual finish or
the status date. So approved hours, percent complete and actual cost tell the same story.
Written in bulk, without history rows: it is seed data, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from itpm.demo.spec import DemoPlan
from itpm.planning.models import Task
from itpm.planning.services import WorkingDays, project_working_days
from itpm.portfolio.models import Project
from itpm.resources.models import Resource
from itpm.timesheets.models import SheetStatus, TimeEntry, Timesheet
from itpm.timesheets.services import (
    assigned_units,
    hours_per_day,
    in_flight_tasks,
    loggable_tasks,
    planned_work,
)
from itpm.timesheets.weeks import monday_of

IN_FLIGHT = ("in-progress",)
QUARTER = Decimal("0.25")
DAY_CAP = Decimal(12)  # where the plan over-allocates someone, they book long days, not impossible ones
DEMO_USER = "dev"

Cell = tuple[int, int, dt.date]  # resource, task, day


def write_timesheets(plan: DemoPlan) -> None:
    """One call from the demo loader, after progress is recorded."""
    dev = Resource.objects.filter(user__username=DEMO_USER).first()
    for spec in plan.projects:
        if spec.status in IN_FLIGHT and spec.progress.status_date is not None:
            project = Project.objects.select_related("calendar", "manager").get(code=spec.code)
            _write_project(project, spec.progress.status_date, dev.pk if dev else None, plan.anchor)
    if dev is not None:
        _draft_week(dev, plan.anchor)


def _write_project(project: Project, status: dt.date, dev: int | None, anchor: dt.date) -> None:
    hours = _hours_from_progress(project, status, project_working_days(project))
    sheets = _sheets(project, {(resource, monday_of(day)) for resource, _, day in hours}, dev, anchor)
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(timesheet=sheets[(resource, monday_of(day))], task_id=task, day=day, hours=h)
            for (resource, task, day), h in hours.items()
        ],
        batch_size=2000,
    )


def _hours_from_progress(project: Project, status: dt.date, work: WorkingDays) -> dict[Cell, Decimal]:
    """Each started task's done share of its work, split by assigned units, spread over its days."""
    per_day = hours_per_day(project)
    tasks = (
        Task.objects.filter(project=project, is_summary=False, is_milestone=False, actual_start__lte=status)
        .prefetch_related("assignments")
        .order_by("order")
    )
    hours: dict[Cell, Decimal] = {}
    booked: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for task in tasks:
        days = _worked_days(task, status, work)
        done = planned_work(task, per_day) * task.percent_complete / 100
        for assignment in task.assignments.all():
            share = done * assignment.units / assigned_units(task) / len(days)
            daily = max(QUARTER, (share / QUARTER).to_integral_value() * QUARTER)
            for day in days:
                key = (assignment.resource_id, day)
                fits = min(daily, DAY_CAP - booked[key])  # over-allocated in the plan: a long day
                if fits > 0:
                    booked[key] += fits
                    hours[(assignment.resource_id, task.pk, day)] = fits
    return hours


def _worked_days(task: Task, status: dt.date, work: WorkingDays) -> list[dt.date]:
    assert task.actual_start is not None
    last = min(task.actual_finish or status, status)
    span = (last - task.actual_start).days + 1
    days = [task.actual_start + dt.timedelta(days=n) for n in range(max(span, 1))]
    return [day for day in days if work.is_working(day)] or [task.actual_start]


def _sheets(
    project: Project, weeks: set[tuple[int, dt.date]], dev: int | None, anchor: dt.date
) -> dict[tuple[int, dt.date], Timesheet]:
    """Past weeks approved, except the demo user's latest one on a project (submitted, awaiting
    the project manager); this week, still being filled in, a draft."""
    latest_dev_week = max((m for r, m in weeks if r == dev and m < anchor), default=None)
    rows = []
    for resource, monday in sorted(weeks):
        state = SheetStatus.APPROVED
        if monday >= anchor:
            state = SheetStatus.DRAFT
        elif resource == dev and monday == latest_dev_week:
            state = SheetStatus.SUBMITTED
        rows.append(_sheet(project, resource, monday, state))
    Timesheet.objects.bulk_create(rows, batch_size=2000)
    stored = Timesheet.objects.filter(project=project)
    return {(s.resource_id, s.week_start): s for s in stored}


def _sheet(project: Project, resource: int, monday: dt.date, state: str) -> Timesheet:
    approved = state == SheetStatus.APPROVED
    return Timesheet(
        resource_id=resource,
        project=project,
        week_start=monday,
        status=state,
        submitted_at=None if state == SheetStatus.DRAFT else _moment(monday + dt.timedelta(days=4), 17),
        decided_by=project.manager if approved else None,
        decided_at=_moment(monday + dt.timedelta(days=7), 10) if approved else None,
    )


def _moment(day: dt.date, hour: int) -> dt.datetime:
    """That day at that hour, or now if it has not come yet (the demo may load on a Monday)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def _draft_week(dev: Resource, anchor: dt.date) -> None:
    """The demo user's week so far, if progress gave it no hours: Monday, on the work in flight
    (or next up), so the grid opens on a draft."""
    if TimeEntry.objects.filter(timesheet__resource=dev, day__gte=anchor).exists():
        return
    user = dev.user
    tasks = list(in_flight_tasks(dev, user, anchor)[:2]) or list(
        loggable_tasks(user)
        .filter(assignments__resource=dev, percent_complete__lt=100, start__gte=anchor)
        .order_by("start")[:1]
    )
    for task, hours in zip(tasks, ("6", "1.5"), strict=False):
        sheet = Timesheet.objects.get_or_create(resource=dev, project=task.project, week_start=anchor)[0]
        TimeEntry.objects.create(timesheet=sheet, task=task, day=anchor, hours=Decimal(hours))
