"""Resource services: the shared resource pool and assignments of resources to tasks.

The pool is shared across projects. Members of any project see the pool (without cost rates
unless they manage a project); an external supplier sees only its own resource record and the
assignments on tasks it was given. Administrators maintain the pool; project managers assign.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from itpm.core.errors import Conflict, Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.planning.services.visibility import access_task, visible_tasks
from itpm.portfolio.rules import PM, SUPPLIER, project_roles
from itpm.portfolio.services import require, require_superuser
from itpm.resources.models import Assignment, Resource, Skill

RESOURCE_FIELDS = {
    "name",
    "kind",
    "user_id",
    "role",
    "email",
    "cost_rate",
    "currency",
    "max_units",
    "calendar_id",
    "supplier",
    "active",
}
ASSIGNMENT_FIELDS = {"task_id", "resource_id", "units"}


def _only_supplier(user: Any) -> bool:
    """True when every membership the user holds is a supplier one."""
    roles = set(project_roles(user).values())
    return bool(roles) and roles <= {SUPPLIER}


def may_see_cost_rates(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or PM in project_roles(user).values()))


def visible_resources(user: Any) -> QuerySet[Resource]:
    if not user.is_authenticated or not user.is_active:
        return Resource.objects.none()
    if user.is_superuser:
        return Resource.objects.all()
    if not project_roles(user) or _only_supplier(user):
        return Resource.objects.filter(user=user)
    return Resource.objects.all()


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(task__in=visible_tasks(user))
    if _only_supplier(user) and not user.is_superuser:
        assignments = assignments.filter(resource__user=user)
    return assignments


def access_resource(user: Any, resource_id: int) -> Resource:
    resource = visible_resources(user).select_related("calendar", "user").filter(pk=resource_id).first()
    if resource is None:
        raise NotFound("resource")
    return resource


def access_assignment(user: Any, assignment_id: int) -> Assignment:
    assignment = (
        visible_assignments(user).select_related("task__project", "resource").filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise NotFound("assignment")
    return assignment


def resource_skills(resource: Resource) -> list[str]:
    return [skill.name for skill in resource.skills.all()]


# ---- the pool (administrators) -------------------------------------------------------------------


def _set_skills(resource: Resource, skills: list[str] | None) -> None:
    if skills is None:
        return
    names = [s.strip() for s in skills if s.strip()]
    resource.skills.set([Skill.objects.get_or_create(name=name)[0] for name in names])


def _check_resource_refs(data: Mapping[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from itpm.planning.services.visibility import calendar_usable_by

    user_id = data.get("user_id")
    if user_id is not None and not get_user_model().objects.filter(pk=user_id).exists():
        raise Invalid(f"user_id: no user with id {user_id}", field="user_id")
    calendar_id = data.get("calendar_id")
    if calendar_id is not None and not calendar_usable_by(calendar_id, None):
        raise Invalid(f"calendar_id: no shared calendar {calendar_id}", field="calendar_id")


def check_create_resource(user: Any, data: Mapping[str, Any], skills: list[str] | None = None) -> Resource:
    require_superuser(user, "add resources to the pool")
    _check_resource_refs(data)
    with transaction.atomic():
        resource = validate_and_save(assign_fields(Resource(), data, RESOURCE_FIELDS))
        _set_skills(resource, skills)
    return resource


def check_update_resource(
    user: Any, resource: Resource, data: Mapping[str, Any], skills: list[str] | None = None
) -> Resource:
    require_superuser(user, "change resources")
    _check_resource_refs(data)
    with transaction.atomic():
        validate_and_save(assign_fields(resource, data, RESOURCE_FIELDS))
        _set_skills(resource, skills)
    return resource


def check_delete_resource(user: Any, resource: Resource) -> None:
    require_superuser(user, "delete resources")
    if resource.assignments.exists():
        raise Conflict("resource is assigned to tasks; remove the assignments or mark it inactive")
    resource.delete()


# ---- assignments (project managers) --------------------------------------------------------------


def check_create_assignment(user: Any, data: Mapping[str, Any]) -> Assignment:
    task = _task_for_assignment(user, data.get("task_id"))
    require(user, "change_plan", task.project)
    if data.get("resource_id") is None:
        raise Invalid("resource_id: required", field="resource_id")
    try:
        access_resource(user, int(data["resource_id"]))
    except NotFound as missing:
        raise Invalid(f"resource_id: no resource {data['resource_id']}", field="resource_id") from missing
    if Assignment.objects.filter(task=task, resource_id=data["resource_id"]).exists():
        raise Invalid("resource_id: this resource is already assigned to the task", field="resource_id")
    with transaction.atomic():
        return validate_and_save(assign_fields(Assignment(), data, ASSIGNMENT_FIELDS))


def _task_for_assignment(user: Any, task_id: Any) -> Any:
    if task_id is None:
        raise Invalid("task_id: required", field="task_id")
    try:
        return access_task(user, int(task_id))
    except NotFound as missing:
        raise Invalid(f"task_id: no task {task_id} you can see", field="task_id") from missing


def check_update_assignment(user: Any, assignment: Assignment, data: Mapping[str, Any]) -> Assignment:
    require(user, "change_plan", assignment.task.project)
    for field in ("task_id", "resource_id"):
        if field in data and data[field] != getattr(assignment, field):
            raise Invalid(f"{field}: delete the assignment and create a new one instead", field=field)
    with transaction.atomic():
        return validate_and_save(assign_fields(assignment, data, ASSIGNMENT_FIELDS))


def check_delete_assignment(user: Any, assignment: Assignment) -> None:
    require(user, "change_plan", assignment.task.project)
    assignment.delete()


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """The signed-in user's own work across every project they can see."""
    return (
        visible_assignments(user)
        .filter(resource__user=user)
        .select_related("task__project", "resource")
        .order_by("task__finish", "task__start")
    )
