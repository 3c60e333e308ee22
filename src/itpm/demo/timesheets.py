"""Timesheets of the demo: approved weeks behind every started project's reported progress, this
week as drafts, and for the demo user `dev` a submitted week awaiting the project manager.

Hours follow what the team reported: a started task's done share of its work (duration × hours
per day × units), times the project's effort ratio (hours spent per hour of work earned: a project
in trouble spends more than it earns), spread over the working days from its actual start to its
actual finish or the status date. So approved hours, percent complete and actual cost tell the
same story. Only named people log time: the work of a generic role ("Field technician") is booked
by the project's named people with its skills, and hours that do not fit in someone's 12-hour
day go to a colleague on the project. Written in bulk, without history rows: it is seed data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from itpm.demo.spec import DemoPlan
from itpm.demo.staffing import DAY_CAP, Staffing
from itpm.planning.models import Task
from itpm.planning.services.working_days import WorkingDays, project_working_days
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

WITH_ACTUALS = ("in-progress", "on-hold", "closed")
QUARTER = Decimal("0.25")
DEMO_USER = "dev"
# Hours booked per hour of work earned: what makes each project's CPI (1 / ratio, before the
# difference between the plan's role rates and the named people's rates).
EFFORT_RATIO = {
    "ERP-S4": Decimal("1.35"),  # in trouble: far more days than planned for the same progress
    "NET-BRANCH": Decimal("1.11"),
    "MOB-FIELD": Decimal("1.14"),
    "M365-T2T": Decimal("1.05"),
    "DCX-AZURE": Decimal("0.97"),
    "ITSM-SD": Decimal("0.89"),
    "SEC-ISO27K": Decimal("0.93"),
}

Cell = tuple[int, int, dt.date]  # resource, task, day
__all__ = ["DAY_CAP", "EFFORT_RATIO", "write_timesheets"]


def write_timesheets(plan: DemoPlan) -> None:
    """One call from the demo loader, after progress is recorded."""
    dev = Resource.objects.filter(user__username=DEMO_USER).first()
    booked: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)  # across projects
    for spec in plan.projects:
        if spec.status in WITH_ACTUALS and spec.progress.status_date is not None:
            project = Project.objects.select_related("calendar", "manager").get(code=spec.code)
            hours = _hours_from_progress(project, spec.progress.status_date, booked)
            awaiting = dev.pk if dev and spec.status == "in-progress" else None
            _write_sheets(project, hours, awaiting, plan.anchor)
    if dev is not None:
        _draft_week(dev, plan.anchor)


def _write_sheets(
    project: Project, hours: dict[Cell, Decimal], awaiting: int | None, anchor: dt.date
) -> None:
    sheets = _sheets(project, {(resource, monday_of(day)) for resource, _, day in hours}, awaiting, anchor)
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(timesheet=sheets[(resource, monday_of(day))], task_id=task, day=day, hours=h)
            for (resource, task, day), h in hours.items()
        ],
        batch_size=2000,
    )


def _hours_from_progress(
    project: Project, status: dt.date, booked: dict[tuple[int, dt.date], Decimal]
) -> dict[Cell, Decimal]:
    """Each started task's done share of its work × the effort ratio, split by assigned units,
    spread over its days; booked by named people only."""
    per_day, work = hours_per_day(project), project_working_days(project)
    ratio = EFFORT_RATIO.get(project.code, Decimal(1))
    tasks = (
        Task.objects.filter(project=project, is_summary=False, is_milestone=False, actual_start__lt=status)
        .prefetch_related("assignments__resource__skills")
        .order_by("order")
    )
    staffing = Staffing.of(project, booked)
    for task in tasks:
        days = _worked_days(task, status, work)
        done = planned_work(task, per_day) * task.percent_complete / 100 * ratio
        for assignment in task.assignments.all():
            share = done * assignment.units / assigned_units(task)
            staffing.book(assignment.resource, task, _daily(share, days))
    return staffing.hours


def _daily(share: Decimal, days: list[dt.date]) -> list[tuple[dt.date, Decimal]]:
    """`share` hours over `days` in quarter hours, the rounding carried so the total holds."""
    spread, carried = [], Decimal(0)
    for number, day in enumerate(days, 1):
        due = share * number / len(days) - carried
        hours = (due / QUARTER).to_integral_value() * QUARTER
        if hours > 0:
            spread.append((day, hours))
            carried += hours
    return spread


def _worked_days(task: Task, status: dt.date, work: WorkingDays) -> list[dt.date]:
    """Working days from the actual start to the actual finish, or to the day before the status
    date (progress is reported as of the start of that day)."""
    assert task.actual_start is not None
    last = min(task.actual_finish or status - dt.timedelta(days=1), status - dt.timedelta(days=1))
    span = (last - task.actual_start).days + 1
    days = [task.actual_start + dt.timedelta(days=n) for n in range(max(span, 1))]
    return [day for day in days if work.is_working(day)] or [task.actual_start]


def _sheets(
    project: Project, weeks: set[tuple[int, dt.date]], awaiting: int | None, anchor: dt.date
) -> dict[tuple[int, dt.date], Timesheet]:
    """Past weeks approved, except the demo user's latest one on a project in progress
    (submitted, awaiting the project manager); this week, still being filled in, a draft."""
    latest_dev_week = max((m for r, m in weeks if r == awaiting and m < anchor), default=None)
    rows = []
    for resource, monday in sorted(weeks):
        state = SheetStatus.APPROVED
        if monday >= anchor:
            state = SheetStatus.DRAFT
        elif resource == awaiting and monday == latest_dev_week:
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
