"""Dependency writes: both ends visible and in one project, no cycle; each write reschedules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from itpm.core.errors import Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.planning.models import (
    Dependency,
    Task,
)
from itpm.planning.scheduling.run import do_schedule_project
from itpm.planning.services.visibility import access_task
from itpm.portfolio.models import Project
from itpm.portfolio.services import require

DEPENDENCY_FIELDS = {"predecessor_id", "successor_id", "type", "lag_days"}


def check_create_dependency(user: Any, data: Mapping[str, Any]) -> Dependency:
    predecessor = _task_for_link(user, data, "predecessor_id")
    successor = _task_for_link(user, data, "successor_id")
    if predecessor.project_id != successor.project_id:
        raise Invalid("successor_id: both tasks must be in the same project", field="successor_id")
    require(user, "change_plan", predecessor.project)
    _check_no_cycle(predecessor, successor)
    return do_create_dependency(predecessor.project, data)


def _task_for_link(user: Any, data: Mapping[str, Any], field: str) -> Task:
    if data.get(field) is None:
        raise Invalid(f"{field}: required", field=field)
    try:
        return access_task(user, int(data[field]))
    except NotFound as missing:
        raise Invalid(f"{field}: no task {data[field]} you can see", field=field) from missing


def _check_no_cycle(predecessor: Task, successor: Task) -> None:
    """Refuse a link that would close a loop: walk forward from the successor."""
    links = Dependency.objects.filter(project_id=predecessor.project_id)
    forward: dict[int, list[int]] = {}
    for pred, succ in links.values_list("predecessor_id", "successor_id"):
        forward.setdefault(pred, []).append(succ)
    seen, frontier = {successor.pk}, [successor.pk]
    while frontier:
        current = frontier.pop()
        if current == predecessor.pk:
            raise Invalid(
                f"successor_id: linking {predecessor} → {successor} would make a dependency cycle",
                field="successor_id",
            )
        for nxt in forward.get(current, []):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)


@transaction.atomic
def do_create_dependency(project: Project, data: Mapping[str, Any]) -> Dependency:
    if Dependency.objects.filter(
        predecessor_id=data["predecessor_id"], successor_id=data["successor_id"]
    ).exists():
        raise Invalid("successor_id: these tasks are already linked", field="successor_id")
    dependency = validate_and_save(assign_fields(Dependency(project=project), data, DEPENDENCY_FIELDS))
    do_schedule_project(project)
    return dependency


def check_update_dependency(user: Any, dependency: Dependency, data: Mapping[str, Any]) -> Dependency:
    require(user, "change_plan", dependency.project)
    for field in ("predecessor_id", "successor_id"):
        if field in data and data[field] != getattr(dependency, field):
            raise Invalid(f"{field}: delete the link and create a new one to relink tasks", field=field)
    with transaction.atomic():
        validate_and_save(assign_fields(dependency, data, DEPENDENCY_FIELDS))
        do_schedule_project(dependency.project)
    return dependency


def check_delete_dependency(user: Any, dependency: Dependency) -> None:
    require(user, "change_plan", dependency.project)
    with transaction.atomic():
        dependency.delete()
        do_schedule_project(dependency.project)
