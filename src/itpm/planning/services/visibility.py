"""Who sees which plan objects: visible_* querysets and access_* lookups (404 when hidden)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from itpm.core.lookup import one_visible
from itpm.planning.models import (
    Baseline,
    Calendar,
    Dependency,
    Phase,
    Task,
)
from itpm.portfolio.models import Project
from itpm.portfolio.rules import SUPPLIER, can
from itpm.portfolio.services import visible_projects


def projects_with(user: Any, action: str) -> QuerySet[Project]:
    """Projects where the user's role allows the action (all visible ones for administrators)."""
    from itpm.portfolio.rules import PROJECT_ACTIONS

    projects = visible_projects(user)
    if user.is_authenticated and user.is_superuser:
        return projects
    return projects.filter(memberships__user=user, memberships__role__in=PROJECT_ACTIONS[action])


def visible_tasks(user: Any) -> QuerySet[Task]:
    """Tasks of projects whose whole plan the user may see, plus a supplier's own assigned tasks."""
    if not user.is_authenticated:
        return Task.objects.none()
    full = Q(project__in=projects_with(user, "view_all_tasks"))
    supplier_projects = visible_projects(user).filter(memberships__user=user, memberships__role=SUPPLIER)
    own = Q(project__in=supplier_projects, assignments__resource__user=user)
    return Task.objects.filter(full | own).distinct()


def visible_dependencies(user: Any) -> QuerySet[Dependency]:
    return Dependency.objects.filter(project__in=projects_with(user, "view_all_tasks"))


def visible_calendars(user: Any) -> QuerySet[Calendar]:
    if not user.is_authenticated:
        return Calendar.objects.none()
    return Calendar.objects.filter(Q(project__isnull=True) | Q(project__in=visible_projects(user)))


def visible_phases(user: Any) -> QuerySet[Phase]:
    return Phase.objects.filter(project__in=visible_projects(user))


def visible_baselines(user: Any) -> QuerySet[Baseline]:
    return Baseline.objects.filter(project__in=projects_with(user, "view_all_tasks"))


def access_task(user: Any, task_id: int) -> Task:
    return one_visible(visible_tasks(user).select_related("project", "parent", "phase"), task_id, "task")


def access_dependency(user: Any, dependency_id: int) -> Dependency:
    return one_visible(visible_dependencies(user).select_related("project"), dependency_id, "dependency")


def access_calendar(user: Any, calendar_id: int) -> Calendar:
    return one_visible(visible_calendars(user), calendar_id, "calendar")


def access_phase(user: Any, phase_id: int) -> Phase:
    return one_visible(visible_phases(user).select_related("project"), phase_id, "phase")


def calendar_usable_by(calendar_id: int, project: Project | None) -> bool:
    """A project may use a shared calendar or one of its own."""
    own = Q(project=project) if project is not None else Q(pk__in=[])
    return Calendar.objects.filter(Q(pk=calendar_id) & (Q(project__isnull=True) | own)).exists()


def usable_calendars(project: Project) -> list[tuple[int, str]]:
    """The calendars a task of `project` may work on, as (id, name): shared ones and its own."""
    own = Q(project__isnull=True) | Q(project=project)
    return list(Calendar.objects.filter(own).order_by("name", "id").values_list("pk", "name"))


def project_tasks(user: Any, project: Project) -> QuerySet[Task]:
    """The project's tasks the user may see; the whole plan without visible_tasks' subqueries when
    the role allows it (a 10,000-task Gantt reads this on every page)."""
    if can(user, "view_all_tasks", project):
        return project.tasks.order_by("order", "id")
    return visible_tasks(user).filter(project=project).order_by("order", "id")
