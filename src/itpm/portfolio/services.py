"""Portfolio services: visibility, access checks and writes for portfolios, programs and projects.

access_* fetch an object and enforce that the caller may see it (404 otherwise, the same answer
as for an object that does not exist) and, when an action is named, may do it (403).
check_* validate input and then call do_*; do_* write in one transaction with history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from itpm.core.errors import Conflict, Forbidden, Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.portfolio.models import Goal, LifecycleStatus, Membership, Portfolio, Program, Project, Role
from itpm.portfolio.rules import can, forget_roles, may_create_projects, role_in

PROJECT_FIELDS = {
    "portfolio_id",
    "program_id",
    "code",
    "name",
    "description",
    "methodology",
    "status",
    "rag",
    "sponsor_id",
    "manager_id",
    "planned_start",
    "planned_finish",
    "budget",
    "currency",
    "business_case",
    "calendar_id",
    "status_date",
}
PORTFOLIO_FIELDS = {"name", "description", "currency"}
PROGRAM_FIELDS = {"portfolio_id", "name", "description", "manager_id"}


# ---- visibility --------------------------------------------------------------------------------


def visible_projects(user: Any) -> QuerySet[Project]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def visible_portfolios(user: Any) -> QuerySet[Portfolio]:
    if user is not None and user.is_authenticated and user.is_superuser:
        return Portfolio.objects.all()
    return Portfolio.objects.filter(projects__in=visible_projects(user)).distinct()


def visible_programs(user: Any) -> QuerySet[Program]:
    if user is not None and user.is_authenticated and user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(projects__in=visible_projects(user)).distinct()


def require(user: Any, action: str, project: Project) -> None:
    if not can(user, action, project):
        raise Forbidden(f"your role on {project.code} does not allow {action.replace('_', ' ')}")


def _access_project(user: Any, lookup: Q, action: str | None) -> Project:
    project = (
        visible_projects(user)
        .select_related("portfolio", "program", "manager", "sponsor", "calendar")
        .filter(lookup)
        .first()
    )
    if project is None:
        raise NotFound("project")
    if action is not None:
        require(user, action, project)
    return project


def access_project(user: Any, project_id: int, action: str | None = None) -> Project:
    """The project if the user may see it: 404 if not, 403 if the named action is refused."""
    return _access_project(user, Q(pk=project_id), action)


def access_project_by_code(user: Any, code: str, action: str | None = None) -> Project:
    """As access_project, by the project's code (the pages' addresses use codes)."""
    return _access_project(user, Q(code=code), action)


def access_portfolio(user: Any, portfolio_id: int) -> Portfolio:
    portfolio = visible_portfolios(user).filter(pk=portfolio_id).first()
    if portfolio is None:
        raise NotFound("portfolio")
    return portfolio


def access_program(user: Any, program_id: int) -> Program:
    program = visible_programs(user).select_related("portfolio").filter(pk=program_id).first()
    if program is None:
        raise NotFound("program")
    return program


def require_superuser(user: Any, what: str) -> None:
    if not (user is not None and user.is_authenticated and user.is_superuser):
        raise Forbidden(f"only an administrator may {what}")


# ---- references in input -------------------------------------------------------------------------


def _check_user_ref(data: Mapping[str, Any], field: str) -> None:
    user_id = data.get(field)
    if user_id is not None and not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        raise Invalid(f"{field}: no active user with id {user_id}", field=field)


def _check_project_refs(user: Any, data: Mapping[str, Any], project: Project | None) -> None:
    if "portfolio_id" in data:
        if data["portfolio_id"] is None:
            raise Invalid("portfolio_id: a project belongs to a portfolio", field="portfolio_id")
        if not Portfolio.objects.filter(pk=data["portfolio_id"]).exists():
            raise Invalid(f"portfolio_id: no portfolio with id {data['portfolio_id']}", field="portfolio_id")
    portfolio_id = data.get("portfolio_id", project.portfolio_id if project else None)
    program_id = data.get("program_id")
    if (
        program_id is not None
        and not Program.objects.filter(pk=program_id, portfolio_id=portfolio_id).exists()
    ):
        raise Invalid(f"program_id: no program {program_id} in this portfolio", field="program_id")
    for field in ("manager_id", "sponsor_id"):
        _check_user_ref(data, field)
    calendar_id = data.get("calendar_id")
    if calendar_id is not None:
        from itpm.planning.services.visibility import calendar_usable_by

        if not calendar_usable_by(calendar_id, project):
            raise Invalid(
                f"calendar_id: no calendar {calendar_id} usable by this project", field="calendar_id"
            )


# ---- projects ------------------------------------------------------------------------------------


def check_create_project(user: Any, data: Mapping[str, Any]) -> Project:
    if not may_create_projects(user):
        raise Forbidden("only administrators and project managers may create projects")
    _check_project_refs(user, data, None)
    return do_create_project(user, data)


@transaction.atomic
def do_create_project(user: Any, data: Mapping[str, Any]) -> Project:
    project = assign_fields(Project(), data, PROJECT_FIELDS)
    if project.manager_id is None and not user.is_superuser:
        project.manager_id = user.pk
    validate_and_save(project)
    if not user.is_superuser:
        Membership.objects.create(project=project, user=user, role=Role.PROJECT_MANAGER)
        forget_roles(user)
    if project.manager_id and project.manager_id != user.pk:
        Membership.objects.get_or_create(
            project=project, user_id=project.manager_id, defaults={"role": Role.PROJECT_MANAGER}
        )
    return project


def check_update_project(
    user: Any, project: Project, data: Mapping[str, Any], lock_version: int | None = None
) -> Project:
    require(user, "change_project", project)
    if lock_version is not None and lock_version != project.lock_version:
        raise Conflict(
            f"project was changed by someone else (version {project.lock_version}, yours {lock_version})"
        )
    _check_project_refs(user, data, project)
    return do_update_project(project, data)


SCHEDULE_INPUTS = frozenset({"planned_start", "calendar_id", "status_date"})


@transaction.atomic
def do_update_project(project: Project, data: Mapping[str, Any]) -> Project:
    moves_dates = any(data.get(name) != getattr(project, name) for name in SCHEDULE_INPUTS & set(data))
    closes = data.get("status") == LifecycleStatus.CLOSED and project.status != LifecycleStatus.CLOSED
    assign_fields(project, data, PROJECT_FIELDS)
    project.lock_version += 1
    validate_and_save(project)
    if moves_dates:
        from itpm.planning.scheduling.run import do_schedule_project

        do_schedule_project(project)
    if closes:
        from itpm.governance.services import do_record_outcome  # the history of closed projects

        do_record_outcome(project)
    return project


def check_delete_project(user: Any, project: Project) -> None:
    require(user, "delete_project", project)
    do_delete_project(project)


@transaction.atomic
def do_delete_project(project: Project) -> None:
    project.delete()


def project_team(user: Any, project: Project) -> QuerySet[Membership]:
    require(user, "view_members", project)
    return project.memberships.select_related("user").order_by("role", "user__last_name")


def project_goals(project: Project) -> QuerySet[Goal]:
    return project.goals.all()


def project_role_label(user: Any, project: Project) -> str:
    if user.is_superuser:
        return "Administrator"
    role = role_in(user, project)
    return Role(role).label if role else ""


# ---- members -------------------------------------------------------------------------------------


def access_membership(user: Any, project: Project, membership_id: int) -> Membership:
    require(user, "view_members", project)
    membership = project.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("membership")
    return membership


def _check_grant(user: Any, project: Project, role: str) -> None:
    """Managers add people in the roles below admin; only admins grant the project admin role."""
    require(user, "manage_members", project)
    if role not in Role.values:
        raise Invalid(f"role: must be one of {', '.join(Role.values)}", field="role")
    if role == Role.ADMIN and not (user.is_superuser or role_in(user, project) == Role.ADMIN):
        raise Forbidden("only a project admin may grant the project admin role")


def check_add_member(user: Any, project: Project, member_id: Any, role: str) -> Membership:
    _check_grant(user, project, role)
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise Invalid(f"user_id: no active user with id {member_id}", field="user_id")
    if project.memberships.filter(user=member).exists():
        raise Invalid(
            f"user_id: {member.username} is already on the project; change the role", field="user_id"
        )
    with transaction.atomic():
        return Membership.objects.create(project=project, user=member, role=role)


def check_change_member(user: Any, membership: Membership, role: str) -> Membership:
    _check_grant(user, membership.project, role)
    _check_not_self(user, membership, "change your own role")
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _check_grant(user, membership.project, Role.ADMIN)  # taking admin away is granting's twin
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def check_remove_member(user: Any, membership: Membership) -> None:
    require(user, "manage_members", membership.project)
    _check_not_self(user, membership, "remove yourself")
    if membership.role == Role.ADMIN:
        _check_grant(user, membership.project, Role.ADMIN)
    with transaction.atomic():
        membership.delete()


def member_candidates(user: Any, project: Project) -> QuerySet[Any]:
    """Active users not yet on the project, for a manager choosing whom to add."""
    require(user, "manage_members", project)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(memberships__project=project)
        .order_by("last_name", "first_name", "username")
    )


def grantable_roles(user: Any, project: Project) -> list[tuple[str, str]]:
    """The roles this user may hand out on the project."""
    admin = user.is_superuser or role_in(user, project) == Role.ADMIN
    return [(value, label) for value, label in Role.choices if admin or value != Role.ADMIN]


def _check_not_self(user: Any, membership: Membership, what: str) -> None:
    if membership.user_id == user.pk and not user.is_superuser:
        raise Forbidden(f"you may not {what}; ask another manager of the project")


# ---- portfolios and programs (administrators write; members read what touches their projects) -----


def check_create_portfolio(user: Any, data: Mapping[str, Any]) -> Portfolio:
    require_superuser(user, "create portfolios")
    return validate_and_save(assign_fields(Portfolio(), data, PORTFOLIO_FIELDS))


def check_update_portfolio(user: Any, portfolio: Portfolio, data: Mapping[str, Any]) -> Portfolio:
    require_superuser(user, "change portfolios")
    with transaction.atomic():
        return validate_and_save(assign_fields(portfolio, data, PORTFOLIO_FIELDS))


def check_delete_portfolio(user: Any, portfolio: Portfolio) -> None:
    require_superuser(user, "delete portfolios")
    if portfolio.projects.exists():
        raise Conflict("portfolio still holds projects; move or delete them first")
    portfolio.delete()


def check_create_program(user: Any, data: Mapping[str, Any]) -> Program:
    require_superuser(user, "create programs")
    _check_program_refs(data)
    return validate_and_save(assign_fields(Program(), data, PROGRAM_FIELDS))


def check_update_program(user: Any, program: Program, data: Mapping[str, Any]) -> Program:
    require_superuser(user, "change programs")
    _check_program_refs(data)
    with transaction.atomic():
        return validate_and_save(assign_fields(program, data, PROGRAM_FIELDS))


def check_delete_program(user: Any, program: Program) -> None:
    require_superuser(user, "delete programs")
    program.delete()


def _check_program_refs(data: Mapping[str, Any]) -> None:
    if "portfolio_id" in data and not Portfolio.objects.filter(pk=data["portfolio_id"]).exists():
        raise Invalid(f"portfolio_id: no portfolio with id {data['portfolio_id']}", field="portfolio_id")
    _check_user_ref(data, "manager_id")
