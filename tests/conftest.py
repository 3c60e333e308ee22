"""Shared fixtures: a throw-away data folder, and the five named personas on two projects.

Project A (ERP) has one member of each role; project B (CANARY) has none of them, so every
test can check that B stays invisible. The same fixtures run on SQLite and on PostgreSQL:
DATABASE_URL decides.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

os.environ.setdefault("ITPM_DATA_DIR", tempfile.mkdtemp(prefix="itpm-test-"))

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    admin: Any
    pm: Any
    member: Any
    viewer: Any
    supplier: Any
    outsider: Any
    portfolio: Any
    program: Any
    project: Any
    other: Any
    calendar: Any
    design: Any
    build: Any
    golive: Any
    canary_task: Any
    supplier_resource: Any
    member_resource: Any

    def persona(self, name: str) -> Any:
        return getattr(self, name)


PERSONAS = ("admin", "pm", "member", "viewer", "supplier")


@pytest.fixture
def world(db: Any) -> World:
    from django.contrib.auth.models import Group, User

    from itpm.planning.models import Calendar, Dependency, Task
    from itpm.portfolio.models import Membership, Portfolio, Program, Project, Role
    from itpm.portfolio.rules import PROJECT_MANAGERS_GROUP
    from itpm.resources.models import Assignment, Resource

    def user(name: str, **extra: Any) -> User:
        return User.objects.create_user(name, f"{name}@example.test", PASSWORD, **extra)

    admin = user("admin", is_superuser=True, is_staff=True)
    pm, member, viewer, supplier, outsider = (
        user(n) for n in ("pm", "member", "viewer", "supplier", "outsider")
    )
    Group.objects.get_or_create(name=PROJECT_MANAGERS_GROUP)[0].user_set.add(pm)
    calendar = Calendar.objects.create(name="Standard", country="GB")
    portfolio = Portfolio.objects.create(name="IT portfolio", currency="EUR")
    program = Program.objects.create(portfolio=portfolio, name="Digital core")
    start = dt.date(2026, 1, 5)
    project = Project.objects.create(
        portfolio=portfolio,
        program=program,
        code="ERP",
        name="ERP rollout",
        planned_start=start,
        planned_finish=dt.date(2026, 12, 18),
        budget=Decimal("1200000"),
        manager=pm,
        calendar=calendar,
        status="in-progress",
    )
    other = Project.objects.create(
        portfolio=portfolio,
        code="CANARY",
        name="Canary project zq9x",
        planned_start=start,
        planned_finish=dt.date(2026, 6, 30),
        budget=Decimal("5000"),
    )
    for person, role in (
        (pm, Role.PROJECT_MANAGER),
        (member, Role.TEAM_MEMBER),
        (viewer, Role.STAKEHOLDER),
        (supplier, Role.SUPPLIER),
    ):
        Membership.objects.create(project=project, user=person, role=role)
    Membership.objects.create(project=other, user=outsider, role=Role.PROJECT_MANAGER)
    design = Task.objects.create(project=project, name="Design", wbs_code="1", order=1, duration_days=10)
    build = Task.objects.create(project=project, name="Build", wbs_code="2", order=2, duration_days=20)
    golive = Task.objects.create(
        project=project, name="Go-live", wbs_code="3", order=3, duration_days=0, is_milestone=True
    )
    Dependency.objects.create(project=project, predecessor=design, successor=build)
    Dependency.objects.create(project=project, predecessor=build, successor=golive)
    canary_task = Task.objects.create(project=other, name="Canary task zq9x", wbs_code="1", duration_days=3)
    supplier_resource = Resource.objects.create(
        name="Sam Supplier", kind="contractor", user=supplier, supplier="Acme Integrators", cost_rate=120
    )
    member_resource = Resource.objects.create(name="Mia Member", user=member, role="Developer", cost_rate=80)
    Assignment.objects.create(task=build, resource=supplier_resource)
    Assignment.objects.create(task=design, resource=member_resource)
    return World(
        admin=admin,
        pm=pm,
        member=member,
        viewer=viewer,
        supplier=supplier,
        outsider=outsider,
        portfolio=portfolio,
        program=program,
        project=project,
        other=other,
        calendar=calendar,
        design=design,
        build=build,
        golive=golive,
        canary_task=canary_task,
        supplier_resource=supplier_resource,
        member_resource=member_resource,
    )
