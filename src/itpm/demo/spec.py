"""The demo portfolio as plain, frozen data: what build_plan returns and the writer stores.

Nothing here touches the database, so the whole plan can be generated, compared and tested
without Django; the writer turns it into rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

Assignments = tuple[tuple[str, Decimal], ...]  # (resource key, units)


@dataclass(frozen=True)
class CalendarSpec:
    key: str
    name: str
    country: str
    working_week: str
    day_start: dt.time
    day_end: dt.time
    hours_per_day: Decimal
    description: str
    exceptions: tuple[tuple[str, dt.date, dt.date], ...]  # (name, start, finish), non-working


@dataclass(frozen=True)
class PersonSpec:
    """Someone with a login and a Resource row: an employee, or a contractor from a supplier."""

    username: str
    first_name: str
    last_name: str
    title: str
    skills: tuple[str, ...]
    rate: Decimal
    calendar: str
    max_units: Decimal = Decimal(1)
    supplier: str = ""  # set for contractors

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


@dataclass(frozen=True)
class RoleSpec:
    """A generic role in the pool, planned before names are known; max_units > 1 is a team."""

    key: str
    name: str
    skills: tuple[str, ...]
    rate: Decimal
    max_units: Decimal
    calendar: str
    supplier: str = ""


@dataclass(frozen=True)
class LoginSpec:
    username: str
    persona: str
    superuser: bool = False


@dataclass(frozen=True)
class TaskSpec:
    key: str  # the WBS outline code, unique within the project
    name: str
    parent: str | None
    order: int
    phase: str | None
    duration_days: Decimal
    effort_hours: Decimal | None
    is_milestone: bool
    is_summary: bool
    priority: int
    notes: str
    assignments: Assignments


@dataclass(frozen=True)
class LinkSpec:
    predecessor: str
    successor: str
    type: str  # FS, SS, FF or SF
    lag_days: Decimal


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    gate: str


@dataclass(frozen=True)
class GoalSpec:
    text: str
    measure: str


@dataclass(frozen=True)
class ProgressSpec:
    """How far the project had got: work scheduled before status_date is reported as done.

    status_date None: nothing started. late_share: fraction of finished tasks that finished a
    few days late. pace: reported progress on running tasks relative to elapsed time (1 = on
    plan, below 1 = behind). behind_days: working days the whole project lags its plan (work
    planned to start in the last behind_days has not started).
    """

    status_date: dt.date | None
    late_share: float = 0.0
    pace: float = 1.0
    behind_days: int = 0


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    description: str
    methodology: str
    status: str
    rag: str
    program: str | None
    sponsor: str
    manager: str
    start: dt.date
    budget: Decimal
    business_case: str
    calendar: str
    goals: tuple[GoalSpec, ...]
    phases: tuple[PhaseSpec, ...]
    tasks: tuple[TaskSpec, ...]
    links: tuple[LinkSpec, ...]
    stakeholders: tuple[str, ...]
    progress: ProgressSpec
    baseline: bool
    currency: str = "EUR"


@dataclass(frozen=True)
class ProgramSpec:
    name: str
    description: str
    manager: str


@dataclass(frozen=True)
class DemoPlan:
    anchor: dt.date
    portfolio: str
    portfolio_description: str
    calendars: tuple[CalendarSpec, ...]
    people: tuple[PersonSpec, ...]
    roles: tuple[RoleSpec, ...]
    logins: tuple[LoginSpec, ...]
    project_managers: tuple[str, ...]  # usernames in the "Project managers" group
    programs: tuple[ProgramSpec, ...]
    projects: tuple[ProjectSpec, ...]
