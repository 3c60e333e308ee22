"""Task writes: check_* (role, references in the same project, progress-only roles) then do_*,
which renumbers the WBS when the tree changes and reschedules the project."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from itpm.core.errors import Conflict, Forbidden, Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.planning.models import (
    Phase,
    Task,
)
from itpm.planning.scheduling.run import do_schedule_project
from itpm.planning.services.visibility import calendar_usable_by
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project, require

TASK_FIELDS = {
    "project_id",
    "parent_id",
    "phase_id",
    "order",
    "name",
    "is_milestone",
    "duration_days",
    "effort_hours",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_days",
    "priority",
    "constraint_type",
    "constraint_date",
    "deadline",
    "calendar_id",
    "levelling_delay",
    "can_level",
    "notes",
}
PROGRESS_FIELDS = {"percent_complete", "actual_start", "actual_finish", "remaining_days", "notes"}


def project_for_write(user: Any, data: Mapping[str, Any]) -> Project:
    if data.get("project_id") is None:
        raise Invalid("project_id: required", field="project_id")
    try:
        return access_project(user, int(data["project_id"]), "change_plan")
    except NotFound as missing:
        raise Invalid(
            f"project_id: no project {data['project_id']} you can see", field="project_id"
        ) from missing


def _check_same_project(
    model: type[Task] | type[Phase], field: str, value: int | None, project: Project
) -> None:
    if value is not None and not model.objects.filter(pk=value, project=project).exists():
        raise Invalid(f"{field}: no {model.__name__.lower()} {value} in project {project.code}", field=field)


def _check_task_refs(data: Mapping[str, Any], project: Project, task: Task | None) -> None:
    _check_same_project(Task, "parent_id", data.get("parent_id"), project)
    _check_same_project(Phase, "phase_id", data.get("phase_id"), project)
    calendar_id = data.get("calendar_id")
    if calendar_id is not None and not calendar_usable_by(calendar_id, project):
        message = f"calendar_id: no calendar {calendar_id} usable by project {project.code}"
        raise Invalid(message, field="calendar_id")
    parent_id = data.get("parent_id")
    if task is not None and parent_id is not None and parent_id in _subtree_ids(task):
        raise Invalid("parent_id: a task cannot be placed under itself or its own subtask", field="parent_id")


def _subtree_ids(task: Task) -> set[int]:
    ids, frontier = {task.pk}, [task.pk]
    while frontier:
        frontier = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def check_create_task(user: Any, data: Mapping[str, Any]) -> Task:
    project = project_for_write(user, data)
    _check_task_refs(data, project, None)
    return do_create_task(project, data)


@transaction.atomic
def do_create_task(project: Project, data: Mapping[str, Any]) -> Task:
    task = assign_fields(Task(), data, TASK_FIELDS)
    task.project = project
    if "order" not in data:
        task.order = (project.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    if task.is_milestone and "duration_days" not in data:
        task.duration_days = Decimal(0)
    validate_and_save(task)
    _after_structure_change(project)
    do_schedule_project(project)
    return task


def check_update_task(
    user: Any, task: Task, data: Mapping[str, Any], lock_version: int | None = None
) -> Task:
    if "project_id" in data and data["project_id"] != task.project_id:
        raise Invalid("project_id: a task cannot move to another project", field="project_id")
    if not can(user, "change_plan", task.project):
        _check_progress_only(user, task, data)
    if lock_version is not None and lock_version != task.lock_version:
        raise Conflict(
            f"task was changed by someone else (version {task.lock_version}, yours {lock_version})"
        )
    _check_task_refs(data, task.project, task)
    return do_update_task(task, data)


def _check_progress_only(user: Any, task: Task, data: Mapping[str, Any]) -> None:
    """Team members and suppliers report progress on the tasks they are assigned to, nothing else."""
    assigned = task.assignments.filter(resource__user=user).exists()
    if not (can(user, "report_progress", task.project) and assigned):
        raise Forbidden(f"your role on {task.project.code} does not allow changing this task")
    for name in data:
        if name not in PROGRESS_FIELDS:
            raise Forbidden(f"{name}: your role may only report progress on this task")


@transaction.atomic
def do_update_task(task: Task, data: Mapping[str, Any]) -> Task:
    structure = {"parent_id", "order"} & set(data)
    assign_fields(task, data, TASK_FIELDS)
    task.lock_version += 1
    validate_and_save(task)
    if structure:
        _after_structure_change(task.project)
    do_schedule_project(task.project)
    task.refresh_from_db()
    return task


def check_delete_task(user: Any, task: Task) -> None:
    require(user, "change_plan", task.project)
    do_delete_task(task)


@transaction.atomic
def do_delete_task(task: Task) -> None:
    project = task.project
    task.delete()
    _after_structure_change(project)
    do_schedule_project(project)


def _after_structure_change(project: Project) -> None:
    """Keep summary flags and WBS outline codes in step with the tree."""
    tasks = list(
        project.tasks.order_by("order", "id").only("pk", "parent_id", "order", "wbs_code", "is_summary")
    )
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        children.setdefault(task.parent_id, []).append(task)

    def number(parent: int | None, prefix: str) -> None:
        for position, task in enumerate(children.get(parent, []), start=1):
            task.wbs_code = f"{prefix}{position}"
            task.is_summary = task.pk in children
            number(task.pk, f"{task.wbs_code}.")

    number(None, "")
    Task.objects.bulk_update(tasks, ["wbs_code", "is_summary"])
