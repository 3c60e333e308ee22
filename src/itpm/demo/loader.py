"""load_demo: write the demo portfolio once, in one transaction, and say how to log in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from itpm.core.errors import Conflict
from itpm.demo.after_schedule import fix_planned_dates, record_progress, set_status_date, take_baseline
from itpm.demo.finance import write_finance
from itpm.demo.governance import write_governance
from itpm.demo.people import CONTRACTORS, DEMO_PASSWORD, EMPLOYEES, LOGINS
from itpm.demo.plan import PORTFOLIO, build_plan
from itpm.demo.scheduling import schedule
from itpm.demo.spec import DemoPlan
from itpm.demo.timesheets import write_timesheets
from itpm.demo.write_people import write_calendars, write_resources, write_users
from itpm.demo.write_projects import ProjectWriter, write_portfolio
from itpm.planning.models import Task
from itpm.portfolio.models import Portfolio, Project
from itpm.resources.models import Resource, ResourceKind


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    projects: int
    tasks: int
    people: int
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def demo_logins() -> list[tuple[str, str, str]]:
    return [(login.username, DEMO_PASSWORD, login.persona) for login in LOGINS]


def load_demo(today: dt.date | None = None) -> DemoSummary:
    """Load the Group IT demo portfolio, anchored on the Monday of `today`'s week.

    Idempotent: when the portfolio already exists nothing is written and created is False.
    Raises Conflict when one of the demo usernames is already taken by a real account.
    """
    with transaction.atomic():
        if Portfolio.objects.filter(name=PORTFOLIO).exists():
            return _summary(created=False)
        _refuse_taken_usernames()
        write_demo(build_plan(today))
        return _summary(created=True)


def _refuse_taken_usernames() -> None:
    names = [p.username for p in (*EMPLOYEES, *CONTRACTORS)]
    taken = sorted(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    if taken:
        raise Conflict(f"the demo needs these usernames, already in use: {', '.join(taken)}")


def write_demo(plan: DemoPlan) -> None:
    calendars = write_calendars(plan)
    users = write_users(plan, DEMO_PASSWORD)
    resources = write_resources(plan, users, calendars)
    portfolio, programs = write_portfolio(plan, users)
    writer = ProjectWriter(portfolio, programs, calendars, users, resources)
    for spec in plan.projects:
        project, _tasks = writer.write(spec)
        schedule(project)
        fix_planned_dates(project)
        if spec.baseline:
            take_baseline(project)
        if record_progress(project, spec):
            set_status_date(project, spec, plan.anchor)
            schedule(project)  # the forecast now starts from what has actually been done
    write_timesheets(plan)
    write_finance(plan.anchor)
    write_governance(plan.anchor)


def _summary(created: bool) -> DemoSummary:
    projects = Project.objects.filter(portfolio__name=PORTFOLIO)
    people = Resource.objects.filter(
        kind=ResourceKind.PERSON, user__username__in=[p.username for p in EMPLOYEES]
    )
    return DemoSummary(
        created=created,
        projects=projects.count(),
        tasks=Task.objects.filter(project__in=projects).count(),
        people=people.count(),
        logins=demo_logins(),
    )
