"""Who may do what on a project: the role × action table, expressed as `rules` predicates.

docs/permissions.md is the same table in prose; tests/portfolio/test_permissions.py checks
every cell with the five personas.
"""

from __future__ import annotations

from typing import Any

import rules

from itpm.portfolio.models import Membership, Project, Role

ADMIN, PM, TEAM, VIEWER, SUPPLIER = (
    Role.ADMIN.value,
    Role.PROJECT_MANAGER.value,
    Role.TEAM_MEMBER.value,
    Role.STAKEHOLDER.value,
    Role.SUPPLIER.value,
)

# action -> roles that may do it on a project they are a member of.
# Global administrators (superusers) may do everything everywhere.
PROJECT_ACTIONS: dict[str, frozenset[str]] = {
    "view_project": frozenset({ADMIN, PM, TEAM, VIEWER, SUPPLIER}),
    "change_project": frozenset({ADMIN, PM}),
    "delete_project": frozenset({ADMIN}),
    "view_members": frozenset({ADMIN, PM, TEAM, VIEWER}),
    "manage_members": frozenset({ADMIN, PM}),
    "view_budget": frozenset({ADMIN, PM, VIEWER}),
    "view_business_case": frozenset({ADMIN, PM, TEAM, VIEWER}),
    "view_all_tasks": frozenset({ADMIN, PM, TEAM, VIEWER}),
    "change_plan": frozenset({ADMIN, PM}),
    "report_progress": frozenset({ADMIN, PM, TEAM, SUPPLIER}),
    "view_cost_rates": frozenset({ADMIN, PM}),
    "log_time": frozenset({ADMIN, PM, TEAM, SUPPLIER}),
    "approve_time": frozenset({ADMIN, PM}),
}


def project_roles(user: Any) -> dict[int, str]:
    """The user's role in each project, cached on the user object for the request."""
    cached: dict[int, str] | None = getattr(user, "_itpm_project_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user_id=user.pk).values_list("project_id", "role"))
        user._itpm_project_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cache after membership changes within one request."""
    if hasattr(user, "_itpm_project_roles"):
        del user._itpm_project_roles


def role_in(user: Any, project: Project | int) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    project_id = project if isinstance(project, int) else project.pk
    return project_roles(user).get(project_id)


def can(user: Any, action: str, project: Project | int) -> bool:
    """The single check every channel uses."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role_in(user, project) in PROJECT_ACTIONS[action]


def _predicate(action: str) -> rules.Predicate:
    @rules.predicate(name=action)
    def check(user: Any, project: Project | None) -> bool:
        return project is not None and can(user, action, project)

    return check


for _action in PROJECT_ACTIONS:
    rules.add_perm(f"portfolio.{_action}", _predicate(_action))


PROJECT_MANAGERS_GROUP = "Project managers"

# Creating a project is not tied to an existing project: global administrators and members of
# the "Project managers" group may do it, and the creator becomes the new project's manager.
may_create_projects = rules.is_active & (rules.is_superuser | rules.is_group_member(PROJECT_MANAGERS_GROUP))
rules.add_perm("portfolio.create_project", may_create_projects)
