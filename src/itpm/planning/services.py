"""Planning services: calendars, phases, tasks, dependencies and baselines, scoped by project.

Every read goes through visible_* or access_*, so an object in a project the caller may not
see is never returned; every write goes through check_* (permission, references, validation)
then do_* (one transaction, history recorded by django-simple-history).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet

from itpm.core.errors import Conflict, Forbidden, Invalid, NotFound
from itpm.core.lookup import one_visible
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
from itpm.planning.scheduling import do_schedule_project
from itpm.portfolio.models import Project
from itpm.portfolio.rules import SUPPLIER, can
from itpm.portfolio.services import access_project, require, require_superuser, visible_projects

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


# ---- visibility --------------------------------------------------------------------------------


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


# ---- tasks ---------------------------------------------------------------------------------------


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


# ---- baselines -----------------------------------------------------------------------------------

BASELINE_NAME_LENGTH = Baseline._meta.get_field("name").max_length or 100


def project_baselines(user: Any, project: Project) -> QuerySet[Baseline]:
    """A project's baselines, newest first; reading them is reading the whole plan."""
    require(user, "view_all_tasks", project)
    return project.baselines.select_related("created_by").order_by("-created_at", "-id")


def access_baseline(user: Any, baseline_id: int, action: str = "view_all_tasks") -> Baseline:
    """404 unless the baseline's project is visible; 403 if the caller may not do the action there."""
    baseline = one_visible(
        Baseline.objects.filter(project__in=visible_projects(user)).select_related(
            "project", "project__calendar", "created_by"
        ),
        baseline_id,
        "baseline",
    )
    require(user, action, baseline.project)
    return baseline


def check_set_baseline(user: Any, project: Project, name: str, created_by: Any = None) -> Baseline:
    require(user, "change_plan", project)
    name = name.strip()
    if not name:
        raise Invalid("name: a baseline needs a name", field="name")
    if len(name) > BASELINE_NAME_LENGTH:
        raise Invalid(f"name: at most {BASELINE_NAME_LENGTH} characters", field="name")
    if project.baselines.filter(name=name).exists():
        raise Invalid(f"name: baseline {name!r} already exists", field="name")
    return do_set_baseline(project, name, created_by)


def check_delete_baseline(user: Any, baseline: Baseline) -> None:
    require(user, "change_plan", baseline.project)
    baseline.delete()


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


# ---- working days ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingDays:
    """Which calendar days a project works on: its calendar's week and exceptions, as plain data.

    Counting uses numpy's business-day arithmetic, so a variance over a 10,000-task plan costs no
    loop over days."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # 0 = Monday
    days_off: frozenset[dt.date] = frozenset()
    extra_days: frozenset[dt.date] = frozenset()  # exceptions that make a day working

    def is_working(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() in self.weekdays and day not in self.days_off

    def count(self, first: dt.date, end: dt.date) -> int:
        """Working days in [first, end); 0 when end is not after first."""
        if end <= first:
            return 0
        weekmask = "".join("1" if day in self.weekdays else "0" for day in range(7))
        if weekmask == "0000000":
            plain = 0
        else:
            holidays = np.array(sorted(self.days_off), dtype="datetime64[D]")
            plain = int(np.busday_count(first, end, weekmask=weekmask, holidays=holidays))
        extra = sum(1 for day in self.extra_days if first <= day < end and day.weekday() not in self.weekdays)
        return plain + extra

    def between(self, earlier: dt.date | None, later: dt.date | None) -> int | None:
        """Signed working days from `earlier` to `later`: positive when `later` is later."""
        if earlier is None or later is None:
            return None
        return self.count(earlier, later) if later >= earlier else -self.count(later, earlier)

    def span(self, start: dt.date | None, finish: dt.date | None) -> Decimal:
        """Working days from the start of `start` to the end of `finish`."""
        if start is None or finish is None:
            return Decimal(0)
        return Decimal(self.count(start, finish + dt.timedelta(days=1)))


def project_working_days(project: Project) -> WorkingDays:
    """The project calendar as WorkingDays (Monday to Friday when the project has none): one query."""
    calendar = project.calendar
    if calendar is None:
        return WorkingDays()
    off: set[dt.date] = set()
    extra: set[dt.date] = set()
    for exception in calendar.exceptions.all():
        length = (exception.finish - exception.start).days + 1
        days = (exception.start + dt.timedelta(days=n) for n in range(length))
        (extra if exception.working else off).update(days)
    weekdays = frozenset(int(digit) - 1 for digit in calendar.working_week)
    return WorkingDays(weekdays=weekdays, days_off=frozenset(off), extra_days=frozenset(extra))


# ---- variance against a baseline ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRef:
    task_id: int | None
    wbs_code: str
    name: str
    start: dt.date | None
    finish: dt.date | None


@dataclass(frozen=True)
class TaskVariance:
    """One task now against its baseline copy; variances in working days, positive = later/longer."""

    task_id: int
    wbs_code: str
    name: str
    is_summary: bool
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    baseline_duration_days: Decimal
    duration_days: Decimal
    start_variance_days: int | None
    finish_variance_days: int | None
    duration_variance_days: Decimal


@dataclass(frozen=True)
class BaselineVariance:
    baseline: Baseline
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    start_variance_days: int | None
    finish_variance_days: int | None
    tasks: list[TaskVariance]
    added: list[TaskRef]  # tasks created since the baseline was set
    removed: list[TaskRef]  # tasks in the baseline that have since been deleted


def baseline_variance(user: Any, baseline: Baseline) -> BaselineVariance:
    """Compare the stored schedule with a baseline; reads stored dates, never reschedules."""
    require(user, "view_all_tasks", baseline.project)
    days = project_working_days(baseline.project)
    frozen = list(baseline.tasks.order_by("id"))
    current = wbs_order(list(baseline.project.tasks.all()))
    by_task = {row.task_id: row for row in frozen if row.task_id is not None}
    variances = [_task_variance(task, by_task[task.pk], days) for task in current if task.pk in by_task]
    added = [TaskRef(t.pk, t.wbs_code, t.name, t.start, t.finish) for t in current if t.pk not in by_task]
    removed = [TaskRef(None, r.wbs_code, r.name, r.start, r.finish) for r in frozen if r.task_id is None]
    span_then = _span((r.start for r in frozen), (r.finish for r in frozen))
    span_now = _span((t.start for t in current), (t.finish for t in current))
    return BaselineVariance(
        baseline=baseline,
        baseline_start=span_then[0],
        baseline_finish=span_then[1],
        start=span_now[0],
        finish=span_now[1],
        start_variance_days=days.between(span_then[0], span_now[0]),
        finish_variance_days=days.between(span_then[1], span_now[1]),
        tasks=variances,
        added=added,
        removed=removed,
    )


def _span(
    starts: Iterable[dt.date | None], finishes: Iterable[dt.date | None]
) -> tuple[dt.date | None, dt.date | None]:
    first = [day for day in starts if day is not None]
    last = [day for day in finishes if day is not None]
    return (min(first) if first else None, max(last) if last else None)


def _task_variance(task: Task, then: BaselineTask, days: WorkingDays) -> TaskVariance:
    # A summary's stored duration is not its length: compare the working days its dates span.
    if task.is_summary:
        duration, baseline_duration = days.span(task.start, task.finish), days.span(then.start, then.finish)
    else:
        duration, baseline_duration = task.duration_days, then.duration_days
    return TaskVariance(
        task_id=task.pk,
        wbs_code=task.wbs_code,
        name=task.name,
        is_summary=task.is_summary,
        baseline_start=then.start,
        baseline_finish=then.finish,
        start=task.start,
        finish=task.finish,
        baseline_duration_days=baseline_duration,
        duration_days=duration,
        start_variance_days=days.between(then.start, task.start),
        finish_variance_days=days.between(then.finish, task.finish),
        duration_variance_days=duration - baseline_duration,
    )


# ---- the stored schedule, read -----------------------------------------------------------------------


OutlineItem = TypeVar("OutlineItem", bound="Outlined")


class Outlined(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def order(self) -> int: ...


def wbs_order(items: list[OutlineItem]) -> list[OutlineItem]:
    """Items in outline order: each parent before its children, siblings by (order, id); an item
    whose parent is not among them (a supplier sees no summaries) is placed as a root."""
    present = {item.pk for item in items}
    children: dict[int | None, list[OutlineItem]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        parent = item.parent_id if item.parent_id in present else None
        children.setdefault(parent, []).append(item)
    ordered: list[OutlineItem] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item.pk, [])))
    return ordered


@dataclass(frozen=True)
class ScheduleView:
    project: Project
    start: dt.date | None
    finish: dt.date | None
    tasks: list[Task]


def project_schedule(user: Any, project: Project) -> ScheduleView:
    """The stored schedule of the whole plan, in outline order."""
    require(user, "view_all_tasks", project)
    tasks = wbs_order(list(project.tasks.all()))
    start, finish = _span((t.start for t in tasks), (t.finish for t in tasks))
    return ScheduleView(project=project, start=start, finish=finish, tasks=tasks)


def critical_path(user: Any, project: Project) -> list[Task]:
    """The critical work tasks and milestones in the order the links run (ties: earlier first)."""
    require(user, "view_all_tasks", project)
    tasks = {t.pk: t for t in project.tasks.filter(is_critical=True, is_summary=False)}
    links = Dependency.objects.filter(
        project=project, predecessor_id__in=list(tasks), successor_id__in=list(tasks)
    ).values_list("predecessor_id", "successor_id")
    return [tasks[pk] for pk in _topological(tasks, list(links))]


def _topological(tasks: Mapping[int, Task], links: list[tuple[int, int]]) -> list[int]:
    waiting = dict.fromkeys(tasks, 0)
    forward: dict[int, list[int]] = {}
    for pred, succ in links:
        waiting[succ] += 1
        forward.setdefault(pred, []).append(succ)

    def key(pk: int) -> tuple[Any, ...]:
        task = tasks[pk]
        return (task.start or dt.date.max, task.finish or dt.date.max, task.order, pk)

    ready = [key(pk) for pk, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        pk = heapq.heappop(ready)[-1]
        ordered.append(pk)
        for succ in forward.get(pk, []):
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(ready, key(succ))
    return ordered


# ---- reads behind the Gantt page ---------------------------------------------------------------------


class OutlineEntry(NamedTuple):
    """The little the Gantt needs about every visible task to lay out the tree and the time axis."""

    pk: int
    parent_id: int | None
    order: int
    is_summary: bool
    start: dt.date | None
    finish: dt.date | None


def task_outline(user: Any, project: Project) -> list[OutlineEntry]:
    """Every task the caller may see in the project, in outline order: one query of six columns."""
    rows = project_tasks(user, project).values_list(
        "pk", "parent_id", "order", "is_summary", "start", "finish"
    )
    return wbs_order([OutlineEntry(*row) for row in rows])


def tasks_with_ids(user: Any, project: Project, ids: Iterable[int]) -> dict[int, Task]:
    """The tasks, each with the task that drives it (joined: the page names it, in one query)."""
    tasks = project_tasks(user, project).filter(pk__in=list(ids)).select_related("driving_predecessor")
    return {task.pk: task for task in tasks}


LinkRow = tuple[int, int, str, Decimal]  # predecessor, successor, type, lag in working days


def links_between(
    user: Any,
    project: Project,
    ids: Iterable[int],
    also_from: Iterable[int] = (),
    also_into: Iterable[int] = (),
) -> list[LinkRow]:
    """(predecessor, successor, type, lag) of the visible links whose both ends are among `ids`;
    and, in the same query, those from any of `also_from` into any of `also_into` (the Gantt asks
    for the links that drive its rows: from their driving predecessors, wherever those are)."""
    wanted = list(ids)
    among = Q(predecessor_id__in=wanted, successor_id__in=wanted)
    sources, targets = list(also_from), list(also_into)
    if sources and targets:
        among |= Q(predecessor_id__in=sources, successor_id__in=targets)
    links = visible_dependencies(user).filter(among, project=project)
    return list(links.values_list("predecessor_id", "successor_id", "type", "lag_days"))


DateSpan = tuple[dt.date | None, dt.date | None]


def baseline_dates(baseline: Baseline, ids: Iterable[int]) -> dict[int, DateSpan]:
    rows = baseline.tasks.filter(task_id__in=list(ids)).values_list("task_id", "start", "finish")
    return {task_id: (start, finish) for task_id, start, finish in rows}


def baseline_span(baseline: Baseline) -> DateSpan:
    span = baseline.tasks.aggregate(start=Min("start"), finish=Max("finish"))
    return span["start"], span["finish"]


def find_baseline(user: Any, project: Project, baseline_id: int | None) -> Baseline | None:
    """The project's baseline with this id if the caller may read baselines; None otherwise."""
    if baseline_id is None or not can(user, "view_all_tasks", project):
        return None
    return project.baselines.filter(pk=baseline_id).first()


def assigned_task_ids(user: Any, project: Project) -> set[int]:
    """The caller's own tasks in the project (those it may report progress on)."""
    if not user.is_authenticated:
        return set()
    return set(
        Task.objects.filter(project=project, assignments__resource__user=user).values_list("pk", flat=True)
    )


def driving_links(user: Any, task: Task) -> list[LinkRow]:
    """The visible links from the task's driving predecessor into the task or one of its summaries
    (a link into a summary holds every task under it); found by the outline codes, in one query."""
    if task.driving_predecessor_id is None:
        return []
    code = task.wbs_code
    above = [code[:at] for at, char in enumerate(code) if char == "."]
    into = Q(successor_id=task.pk) | Q(successor_id=task.parent_id) | Q(successor__wbs_code__in=above)
    links = visible_dependencies(user).filter(
        into, project_id=task.project_id, predecessor_id=task.driving_predecessor_id
    )
    return list(links.values_list("predecessor_id", "successor_id", "type", "lag_days"))


def task_predecessor_links(user: Any, task: Task) -> list[Dependency]:
    return list(
        visible_dependencies(user).filter(successor=task).select_related("predecessor").order_by("id")
    )


def task_by_wbs_code(user: Any, project: Project, wbs_code: str, field: str) -> Task:
    """A visible task of the project by its outline code, for forms where people type codes."""
    task = project_tasks(user, project).filter(wbs_code=wbs_code.strip()).first()
    if task is None:
        raise Invalid(f"{field}: no task {wbs_code.strip()!r} in {project.code}", field=field)
    return task
