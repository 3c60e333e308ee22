"""Planning services: calendars, phases, tasks, dependencies and baselines, scoped by project.

Every read goes through visible_* or access_*, so an object in a project the caller may not
see is never returned; every write goes through check_* (permission, references, validation)
then do_* (one transaction, history recorded by django-simple-history).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from itpm.core.errors import Forbidden, Invalid, NotFound
from itpm.core.writes import assign_fields, validate_and_save
from itpm.planning.models import (
    Baseline,
    BaselineTask,
    Calendar,
    CalendarException,
    Dependency,
    Phase,
    Task,
)
from itpm.planning.scheduling import ScheduleOutcome, do_schedule_project
from itpm.portfolio.models import Project
from itpm.portfolio.rules import SUPPLIER, can, role_in
from itpm.portfolio.services import access_project, require, require_superuser, visible_projects

__all__ = ["ScheduleOutcome", "do_schedule_project"]  # scheduling is part of this service surface

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
    "notes",
}
PROGRESS_FIELDS = {"percent_complete", "actual_start", "actual_finish", "remaining_days", "notes"}
DEPENDENCY_FIELDS = {"predecessor_id", "successor_id", "type", "lag_days"}
CALENDAR_FIELDS = {
    "name",
    "project_id",
    "working_week",
    "day_start",
    "day_end",
    "hours_per_day",
    "country",
    "description",
}
PHASE_FIELDS = {"project_id", "name", "order", "gate"}


# ---- visibility --------------------------------------------------------------------------------


def _projects_with(user: Any, action: str) -> QuerySet[Project]:
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
    full = Q(project__in=_projects_with(user, "view_all_tasks"))
    supplier_projects = visible_projects(user).filter(memberships__user=user, memberships__role=SUPPLIER)
    own = Q(project__in=supplier_projects, assignments__resource__user=user)
    return Task.objects.filter(full | own).distinct()


def visible_dependencies(user: Any) -> QuerySet[Dependency]:
    return Dependency.objects.filter(project__in=_projects_with(user, "view_all_tasks"))


def visible_calendars(user: Any) -> QuerySet[Calendar]:
    if not user.is_authenticated:
        return Calendar.objects.none()
    return Calendar.objects.filter(Q(project__isnull=True) | Q(project__in=visible_projects(user)))


def visible_phases(user: Any) -> QuerySet[Phase]:
    return Phase.objects.filter(project__in=visible_projects(user))


def visible_baselines(user: Any) -> QuerySet[Baseline]:
    return Baseline.objects.filter(project__in=_projects_with(user, "view_all_tasks"))


def _access(queryset: QuerySet[Any], pk: int, what: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(what)
    return found


def access_task(user: Any, task_id: int) -> Task:
    return _access(visible_tasks(user).select_related("project", "parent", "phase"), task_id, "task")


def access_dependency(user: Any, dependency_id: int) -> Dependency:
    return _access(visible_dependencies(user).select_related("project"), dependency_id, "dependency")


def access_calendar(user: Any, calendar_id: int) -> Calendar:
    return _access(visible_calendars(user), calendar_id, "calendar")


def access_phase(user: Any, phase_id: int) -> Phase:
    return _access(visible_phases(user).select_related("project"), phase_id, "phase")


def calendar_usable_by(calendar_id: int, project: Project | None) -> bool:
    """A project may use a shared calendar or one of its own."""
    own = Q(project=project) if project is not None else Q(pk__in=[])
    return Calendar.objects.filter(Q(pk=calendar_id) & (Q(project__isnull=True) | own)).exists()


def project_tasks(user: Any, project: Project) -> QuerySet[Task]:
    return visible_tasks(user).filter(project=project).order_by("order", "id")


# ---- tasks ---------------------------------------------------------------------------------------


def _project_for_write(user: Any, data: Mapping[str, Any]) -> Project:
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
    project = _project_for_write(user, data)
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
        from itpm.core.errors import Conflict

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


# ---- dependencies --------------------------------------------------------------------------------


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


# ---- calendars and phases ------------------------------------------------------------------------


def _require_calendar_write(user: Any, project_id: int | None) -> None:
    if project_id is None:
        require_superuser(user, "change shared calendars")
    else:
        try:
            access_project(user, int(project_id), "change_plan")
        except NotFound as missing:
            raise Invalid(f"project_id: no project {project_id} you can see", field="project_id") from missing


def check_create_calendar(user: Any, data: Mapping[str, Any]) -> Calendar:
    _require_calendar_write(user, data.get("project_id"))
    with transaction.atomic():
        return validate_and_save(assign_fields(Calendar(), data, CALENDAR_FIELDS))


def check_update_calendar(user: Any, calendar: Calendar, data: Mapping[str, Any]) -> Calendar:
    _require_calendar_write(user, calendar.project_id)
    if "project_id" in data and data["project_id"] != calendar.project_id:
        raise Invalid("project_id: a calendar cannot move between projects", field="project_id")
    with transaction.atomic():
        return validate_and_save(assign_fields(calendar, data, CALENDAR_FIELDS))


def check_delete_calendar(user: Any, calendar: Calendar) -> None:
    _require_calendar_write(user, calendar.project_id)
    calendar.delete()


def calendar_holidays(calendar: Calendar) -> QuerySet[CalendarException]:
    return calendar.exceptions.all()


def check_create_phase(user: Any, data: Mapping[str, Any]) -> Phase:
    project = _project_for_write(user, data)
    with transaction.atomic():
        return validate_and_save(assign_fields(Phase(project=project), data, PHASE_FIELDS))


# ---- baselines -----------------------------------------------------------------------------------


def check_set_baseline(user: Any, project: Project, name: str, created_by: Any = None) -> Baseline:
    require(user, "change_plan", project)
    if not name.strip():
        raise Invalid("name: a baseline needs a name", field="name")
    if project.baselines.filter(name=name).exists():
        raise Invalid(f"name: baseline {name!r} already exists", field="name")
    return do_set_baseline(project, name, created_by)


@transaction.atomic
def do_set_baseline(project: Project, name: str, created_by: Any = None) -> Baseline:
    baseline = Baseline.objects.create(project=project, name=name, created_by=created_by)
    tasks = list(project.tasks.prefetch_related("assignments__resource").order_by("order", "id"))
    cost = planned_costs(tasks, project.calendar.hours_per_day if project.calendar else HOURS_PER_DAY)
    BaselineTask.objects.bulk_create(
        BaselineTask(
            baseline=baseline,
            task=task,
            wbs_code=task.wbs_code,
            name=task.name,
            start=task.start,
            finish=task.finish,
            duration_days=task.duration_days,
            cost=cost[task.pk],
        )
        for task in tasks
    )
    return baseline


HOURS_PER_DAY = Decimal("7.5")


def planned_costs(tasks: list[Task], hours_per_day: Decimal) -> dict[int, Decimal]:
    """Planned labour cost per task; a summary costs the sum of its children."""
    cost = {task.pk: _leaf_cost(task, hours_per_day) for task in tasks}
    for task in sorted(tasks, key=lambda t: -t.wbs_code.count(".")):  # deepest first
        if task.parent_id is not None and task.parent_id in cost:
            cost[task.parent_id] += cost[task.pk]
    return {pk: value.quantize(Decimal("0.01")) for pk, value in cost.items()}


def _leaf_cost(task: Task, hours_per_day: Decimal) -> Decimal:
    """Effort × rate, the effort shared between assignees in proportion to their units; without
    an effort, each assignee works the task's duration at its units."""
    if task.is_summary:
        return Decimal(0)
    assignments = list(task.assignments.all())
    units = sum((a.units for a in assignments), Decimal(0))
    if not units:
        return Decimal(0)
    hours = task.effort_hours if task.effort_hours is not None else task.duration_days * hours_per_day * units
    return sum((hours * a.units / units * a.resource.cost_rate for a in assignments), Decimal(0))


def supplier_role(user: Any, project: Project) -> bool:
    return role_in(user, project) == SUPPLIER
