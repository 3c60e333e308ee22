"""One project's overview page, its task list, and the choices its forms offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Min, Q, QuerySet
from django.utils import timezone

from itpm.core.errors import Forbidden
from itpm.planning.services.visibility import project_tasks, visible_calendars
from itpm.portfolio.models import Goal, Portfolio, Program, Project, Role
from itpm.portfolio.overview.project_rows import person_name
from itpm.portfolio.rules import can, may_create_projects
from itpm.portfolio.services import (
    access_project_by_code,
    project_goals,
    project_role_label,
    project_team,
    require,
    visible_programs,
)

# ---- one project -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamGroup:
    role: str
    people: list[str]


@dataclass(frozen=True)
class Milestone:
    name: str
    wbs_code: str
    date: dt.date | None


@dataclass(frozen=True)
class ProjectOverview:
    project: Project
    role_label: str
    may_edit: bool
    budget: Decimal | None
    business_case: str | None  # None when the caller may not see it
    team: list[TeamGroup] | None  # None when the caller may not see the member directory
    goals: list[Goal]
    phases: list[Any]
    scheduled_start: dt.date | None
    scheduled_finish: dt.date | None
    milestones: list[Milestone] = field(default_factory=list)
    schedule_issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finish_variance_days(self) -> int:
        """Calendar days the scheduled finish lies after the planned one (negative: ahead)."""
        if self.scheduled_finish is None:
            return 0
        return (self.scheduled_finish - self.project.planned_finish).days


def _team(user: Any, project: Project) -> list[TeamGroup] | None:
    if not can(user, "view_members", project):
        return None
    groups: dict[str, list[str]] = {}
    for membership in project_team(user, project):
        groups.setdefault(membership.role, []).append(person_name(membership.user))
    return [TeamGroup(Role(role).label, sorted(groups[role])) for role in Role.values if role in groups]


def _milestones(user: Any, project: Project, today: dt.date) -> list[Milestone]:
    """The next milestones the caller may see (a supplier sees only its own tasks)."""
    upcoming = (
        project_tasks(user, project)
        .filter(is_milestone=True)
        .exclude(finish__lt=today)
        .exclude(percent_complete=100)
        .order_by(F("finish").asc(nulls_last=True), "order", "id")[:5]
    )
    return [Milestone(task.name, task.wbs_code, task.finish) for task in upcoming]


def project_overview(user: Any, code: str) -> ProjectOverview:
    project = access_project_by_code(user, code)
    span = project.tasks.aggregate(start=Min("start"), finish=Max("finish"))
    return ProjectOverview(
        project=project,
        role_label=project_role_label(user, project),
        may_edit=can(user, "change_project", project),
        budget=project.budget if can(user, "view_budget", project) else None,
        business_case=project.business_case if can(user, "view_business_case", project) else None,
        team=_team(user, project),
        goals=list(project_goals(project)),
        phases=list(project.phases.order_by("order", "id")),
        scheduled_start=span["start"],
        scheduled_finish=span["finish"],
        milestones=_milestones(user, project, timezone.localdate()),
        schedule_issues=schedule_issues(user, project),
    )


def schedule_issues(user: Any, project: Project) -> list[dict[str, Any]]:
    """The scheduler's stored warnings; they name tasks, so only for those who see the whole plan."""
    return list(project.schedule_issues) if can(user, "view_all_tasks", project) else []


@dataclass(frozen=True)
class TaskLine:
    task: Any
    level: int


@dataclass(frozen=True)
class TaskList:
    project: Project
    lines: list[TaskLine]
    partial_view: bool  # True when the caller sees only the tasks assigned to it


def project_task_list(user: Any, code: str) -> TaskList:
    """The WBS the caller may see, each task with its outline level for indentation."""
    project = access_project_by_code(user, code)
    tasks = project_tasks(user, project)
    lines = [TaskLine(task, max(1, task.wbs_code.count(".") + 1) if task.wbs_code else 1) for task in tasks]
    return TaskList(project=project, lines=lines, partial_view=not can(user, "view_all_tasks", project))


# ---- project forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFormChoices:
    portfolios: list[tuple[int, str]]
    programs: list[tuple[int, str]]
    people: list[tuple[int, str]]
    calendars: list[tuple[int, str]]


def project_form_choices(user: Any, project: Project | None = None) -> ProjectFormChoices:
    """Choices for the create form (project None) or the edit form; refuses callers who may not use it."""
    if project is None:
        if not may_create_projects(user):
            raise Forbidden("only administrators and project managers may create projects")
    else:
        require(user, "change_project", project)
    programs: QuerySet[Program] = Program.objects.all() if user.is_superuser else visible_programs(user)
    own = Q(project=project) if project is not None else Q(pk__in=[])
    calendars = visible_calendars(user).filter(Q(project__isnull=True) | own)
    people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return ProjectFormChoices(
        portfolios=[(p.pk, p.name) for p in Portfolio.objects.order_by("name")],
        programs=[(p.pk, f"{p.portfolio.name} › {p.name}") for p in programs.select_related("portfolio")],
        people=[(person.pk, _person_label(person)) for person in people],
        calendars=[(c.pk, c.name) for c in calendars.order_by("name")],
    )


def _person_label(person: Any) -> str:
    full = person.get_full_name()
    return f"{full} ({person.get_username()})" if full else str(person.get_username())
