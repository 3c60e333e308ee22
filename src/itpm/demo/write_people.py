"""Store calendars, people (users and resources), generic roles and contractors.

History: the demo is seed data, but the models it writes are history-tracked, so rows go in
through simple_history's bulk_create_with_history: the audit trail then starts with one
"created" record per row, marked with DEMO_REASON, exactly as if each row had been saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from itpm.demo.spec import DemoPlan, PersonSpec, RoleSpec
from itpm.planning.models import Calendar, CalendarException
from itpm.portfolio.rules import PROJECT_MANAGERS_GROUP
from itpm.resources.models import Resource, ResourceKind, Skill

DEMO_REASON = "Demo portfolio loaded"


def write_calendars(plan: DemoPlan) -> dict[str, Calendar]:
    rows = {
        spec.key: Calendar(
            name=spec.name,
            country=spec.country,
            working_week=spec.working_week,
            day_start=spec.day_start,
            day_end=spec.day_end,
            hours_per_day=spec.hours_per_day,
            description=spec.description,
        )
        for spec in plan.calendars
    }
    bulk_create_with_history(list(rows.values()), Calendar, default_change_reason=DEMO_REASON)
    CalendarException.objects.bulk_create(
        CalendarException(calendar=rows[spec.key], name=name, start=start, finish=finish)
        for spec in plan.calendars
        for name, start, finish in spec.exceptions
    )
    return rows


def write_users(plan: DemoPlan, password: str) -> dict[str, Any]:
    """One Django user per person; only the demo logins get a usable password."""
    superusers = {login.username for login in plan.logins if login.superuser}
    logins = {login.username for login in plan.logins}
    user_model = get_user_model()
    users = {
        person.username: user_model(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            is_staff=person.username in superusers,
            is_superuser=person.username in superusers,
            password=make_password(password if person.username in logins else None),
        )
        for person in plan.people
    }
    user_model.objects.bulk_create(users.values())
    group, _ = Group.objects.get_or_create(name=PROJECT_MANAGERS_GROUP)
    group.user_set.add(*(users[name] for name in plan.project_managers))
    return users


def write_resources(
    plan: DemoPlan, users: dict[str, Any], calendars: dict[str, Calendar]
) -> dict[str, Resource]:
    """The shared pool, keyed as the project plans name them: username or role key."""
    rows = {p.username: _person(p, users[p.username], calendars) for p in plan.people}
    rows.update({r.key: _role(r, calendars) for r in plan.roles})
    bulk_create_with_history(list(rows.values()), Resource, default_change_reason=DEMO_REASON)
    wanted = [(p.username, p.skills) for p in plan.people] + [(r.key, r.skills) for r in plan.roles]
    skills = _skills({name for _, names in wanted for name in names})
    Resource.skills.through.objects.bulk_create(
        Resource.skills.through(resource_id=rows[key].pk, skill_id=skills[name].pk)
        for key, names in wanted
        for name in names
    )
    return rows


def _person(spec: PersonSpec, user: Any, calendars: dict[str, Calendar]) -> Resource:
    return Resource(
        name=spec.full_name,
        user=user,
        role=spec.title,
        email=spec.email,
        kind=ResourceKind.CONTRACTOR if spec.supplier else ResourceKind.PERSON,
        cost_rate=spec.rate,
        max_units=spec.max_units,
        calendar=calendars[spec.calendar],
        supplier=spec.supplier,
    )


def _role(spec: RoleSpec, calendars: dict[str, Calendar]) -> Resource:
    return Resource(
        name=spec.name,
        kind=ResourceKind.ROLE,
        role=spec.name,
        cost_rate=spec.rate,
        max_units=spec.max_units,
        calendar=calendars[spec.calendar],
        supplier=spec.supplier,
    )


def _skills(names: set[str]) -> dict[str, Skill]:
    existing = {s.name: s for s in Skill.objects.filter(name__in=names)}
    Skill.objects.bulk_create(Skill(name=n) for n in sorted(names - existing.keys()))
    return {s.name: s for s in Skill.objects.filter(name__in=names)}
