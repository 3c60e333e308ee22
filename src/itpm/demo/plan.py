"""build_plan: the whole demo portfolio as data, generated from the Monday of the current week."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from itpm.demo.calendars import build_calendars
from itpm.demo.people import CONTRACTORS, EMPLOYEES, LOGINS, PROJECT_MANAGERS, ROLES
from itpm.demo.projects import build_projects
from itpm.demo.projects.common import monday_of
from itpm.demo.spec import DemoPlan, ProgramSpec

PORTFOLIO = "Group IT"

PROGRAMS = (
    ProgramSpec(
        "Digital Core", "ERP, service management and the business applications that run the group.", "pm"
    ),
    ProgramSpec(
        "Infrastructure Modernisation", "Data-centre exit, network and end-user computing.", "sinead.kelly"
    ),
    ProgramSpec(
        "Security & Compliance",
        "ISO 27001, NIS2 and the regulatory obligations of Group IT.",
        "juergen.weber",
    ),
)


def anchor_for(today: dt.date | None) -> dt.date:
    """The Monday of the week of `today` (default: the current local date)."""
    return monday_of(today if today is not None else timezone.localdate())


def build_plan(today: dt.date | None = None) -> DemoPlan:
    """Pure and deterministic: the same `today` always gives an identical plan."""
    anchor = anchor_for(today)
    plan = DemoPlan(
        anchor=anchor,
        portfolio=PORTFOLIO,
        portfolio_description="All change projects of Group IT across Ireland, the UK and Germany.",
        calendars=build_calendars(anchor),
        people=EMPLOYEES + CONTRACTORS,
        roles=ROLES,
        logins=LOGINS,
        project_managers=PROJECT_MANAGERS,
        programs=PROGRAMS,
        projects=build_projects(anchor),
    )
    check_references(plan)
    return plan


def check_references(plan: DemoPlan) -> None:
    """Every username, resource key, program and calendar a project names must exist."""
    users = {p.username for p in plan.people}
    resources = users | {r.key for r in plan.roles}
    programs = {p.name for p in plan.programs}
    calendars = {c.key for c in plan.calendars}
    for project in plan.projects:
        named = {project.sponsor, project.manager, *project.stakeholders}
        missing = named - users
        missing |= {key for t in project.tasks for key, _ in t.assignments} - resources
        if project.program is not None and project.program not in programs:
            missing.add(project.program)
        if project.calendar not in calendars:
            missing.add(project.calendar)
        if missing:
            raise ValueError(f"{project.code}: unknown {sorted(missing)}")
