"""Read-only queries behind the web pages: the portfolio, the project list, a project's overview.

Every function starts from visible_projects()/access_* and can(), so a page can never show
what the caller may not see, and each page costs a fixed number of queries however many
projects it lists. Filtering and sorting of the (already scoped) project rows happen in
Python: a portfolio holds hundreds of projects, not millions, and one query serves both the
headline figures and the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Min, Q, QuerySet
from django.utils import timezone

from itpm.core.errors import Forbidden, NotFound
from itpm.planning.services.baselines import project_baselines
from itpm.planning.services.gantt_reads import (
    LinkRow,
    OutlineEntry,
    assigned_task_ids,
    baseline_dates,
    baseline_span,
    driving_links,
    find_baseline,
    links_between,
    task_outline,
    task_predecessor_links,
    tasks_with_ids,
)
from itpm.planning.services.visibility import access_task, project_tasks, visible_calendars
from itpm.planning.services.working_days import WorkingDays, project_working_days
from itpm.portfolio.models import Goal, LifecycleStatus, Portfolio, Program, Project, Rag, Role
from itpm.portfolio.rules import can, may_create_projects
from itpm.portfolio.services import (
    access_project_by_code,
    project_goals,
    project_role_label,
    project_team,
    require,
    visible_programs,
    visible_projects,
)
from itpm.resources.services import my_assignments, visible_resources

IN_FLIGHT = frozenset({LifecycleStatus.PLANNING, LifecycleStatus.IN_PROGRESS, LifecycleStatus.ON_HOLD})
SORT_KEYS = (
    "code",
    "name",
    "status",
    "rag",
    "manager",
    "planned_start",
    "planned_finish",
    "scheduled_finish",
    "budget",
    "methodology",
)
RAG_ORDER = {Rag.RED.value: 0, Rag.AMBER.value: 1, Rag.GREEN.value: 2}
STATUS_ORDER = {value: position for position, value in enumerate(LifecycleStatus.values)}


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# ---- project rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilter:
    status: str = ""
    rag: str = ""
    methodology: str = ""
    text: str = ""

    def matches(self, row: ProjectRow) -> bool:
        project = row.project
        if self.status and project.status != self.status:
            return False
        if self.rag and project.rag != self.rag:
            return False
        if self.methodology and project.methodology != self.methodology:
            return False
        if self.text:
            haystack = " ".join(
                (
                    project.code,
                    project.name,
                    row.manager_name,
                    project.program.name if project.program else "",
                )
            ).casefold()
            return self.text.casefold() in haystack
        return True

    @property
    def active(self) -> bool:
        return bool(self.status or self.rag or self.methodology or self.text)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    scheduled_start: dt.date | None
    scheduled_finish: dt.date | None
    budget: Decimal | None  # None when the caller may not see this project's budget

    @property
    def manager_name(self) -> str:
        return person_name(self.project.manager)

    @property
    def in_flight(self) -> bool:
        return self.project.status in IN_FLIGHT


def _rows(user: Any) -> list[ProjectRow]:
    """Every project the user may see, with dates from the schedule: one query."""
    projects = (
        visible_projects(user)
        .select_related("manager", "program", "portfolio")
        .annotate(scheduled_start=Min("tasks__start"), scheduled_finish=Max("tasks__finish"))
        .order_by("code")
    )
    return [
        ProjectRow(
            project=project,
            scheduled_start=project.scheduled_start,  # type: ignore[attr-defined]
            scheduled_finish=project.scheduled_finish,  # type: ignore[attr-defined]
            budget=project.budget if can(user, "view_budget", project) else None,
        )
        for project in projects
    ]


def _sort_value(row: ProjectRow, key: str) -> Any:
    """The value to sort by, None when missing; hidden budgets count as missing, so order leaks nothing."""
    project = row.project
    return {
        "code": project.code.casefold(),
        "name": project.name.casefold(),
        "status": STATUS_ORDER.get(project.status, 99),
        "rag": RAG_ORDER.get(project.rag, 9),
        "manager": row.manager_name.casefold() or None,
        "planned_start": project.planned_start,
        "planned_finish": project.planned_finish,
        "scheduled_finish": row.scheduled_finish,
        "budget": row.budget,
        "methodology": project.get_methodology_display(),
    }[key]


def sort_rows(rows: Iterable[ProjectRow], sort: str) -> list[ProjectRow]:
    """Sort by one column ("-" prefix for descending); ties by code; missing values always last."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        key, descending = "code", False
    keyed = [(_sort_value(row, key), row) for row in sorted(rows, key=lambda r: r.project.code.casefold())]
    present = [pair for pair in keyed if pair[0] is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _, row in present] + [row for value, row in keyed if value is None]


# ---- the portfolio page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpis:
    visible: int
    in_flight: int
    red: int
    amber: int
    budgets: dict[str, Decimal]  # currency -> total of the budgets the caller may see
    budget_hidden: int  # projects whose budget the caller may not see


@dataclass(frozen=True)
class ProgramGroup:
    program: Program | None
    rows: list[ProjectRow]


@dataclass(frozen=True)
class PortfolioOverview:
    kpis: Kpis
    groups: list[ProgramGroup]
    matching: int
    total: int


def _kpis(rows: list[ProjectRow]) -> Kpis:
    budgets: dict[str, Decimal] = {}
    for row in rows:
        if row.budget is not None:
            budgets[row.project.currency] = budgets.get(row.project.currency, Decimal(0)) + row.budget
    in_flight = [row for row in rows if row.in_flight]
    return Kpis(
        visible=len(rows),
        in_flight=len(in_flight),
        red=sum(1 for row in in_flight if row.project.rag == Rag.RED),
        amber=sum(1 for row in in_flight if row.project.rag == Rag.AMBER),
        budgets=dict(sorted(budgets.items())),
        budget_hidden=sum(1 for row in rows if row.budget is None),
    )


def portfolio_overview(user: Any, filters: ProjectFilter | None = None) -> PortfolioOverview:
    """Headline figures over every visible project; then the projects that match, by program."""
    rows = _rows(user)
    filters = filters or ProjectFilter()
    matching = [row for row in rows if filters.matches(row)]
    by_program: dict[int | None, list[ProjectRow]] = {}
    for row in matching:
        by_program.setdefault(row.project.program_id, []).append(row)
    programs = sorted(
        {row.project.program for row in matching if row.project.program is not None},
        key=lambda program: program.name.casefold(),
    )
    groups = [ProgramGroup(program, by_program[program.pk]) for program in programs]
    if None in by_program:
        groups.append(ProgramGroup(None, by_program[None]))
    return PortfolioOverview(kpis=_kpis(rows), groups=groups, matching=len(matching), total=len(rows))


@dataclass(frozen=True)
class ProjectList:
    rows: list[ProjectRow]
    total: int
    may_create: bool


def project_list(user: Any, filters: ProjectFilter | None = None, sort: str = "code") -> ProjectList:
    rows = _rows(user)
    filters = filters or ProjectFilter()
    matching = sort_rows((row for row in rows if filters.matches(row)), sort)
    return ProjectList(rows=matching, total=len(rows), may_create=bool(may_create_projects(user)))


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


# ---- my work -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkGroup:
    project: Project
    assignments: list[Any]


@dataclass(frozen=True)
class MyWork:
    has_resource: bool
    groups: list[WorkGroup]


def my_work(user: Any) -> MyWork:
    """The caller's assignments across projects, grouped by project (ordered by code)."""
    if not visible_resources(user).filter(user=user).exists():
        return MyWork(has_resource=False, groups=[])
    groups: dict[int, WorkGroup] = {}
    for assignment in my_assignments(user):
        project = assignment.task.project
        groups.setdefault(project.pk, WorkGroup(project, [])).assignments.append(assignment)
    return MyWork(has_resource=True, groups=sorted(groups.values(), key=lambda g: g.project.code))


# ---- the Gantt -----------------------------------------------------------------------------------

GANTT_ROWS_PER_PAGE = 200


@dataclass(frozen=True)
class GanttRequest:
    """What the page asks for: parsed from the address, so every view of the chart has a URL."""

    page: int = 1
    collapsed: frozenset[int] = frozenset()
    baseline_id: int | None = None


@dataclass(frozen=True)
class DrivingLink:
    """The link that sets a task's dates ("why does this start then?"), as the caller may see it."""

    predecessor: str  # "1.2 Solution design"; "" when the caller does not see the whole plan
    type: str  # FS, SS, FF, SF
    lag_days: Decimal | None  # None when the caller may not see the link itself
    on_summary: bool = False  # drawn into one of the task's summaries, which holds all under it


@dataclass(frozen=True)
class GanttLine:
    task: Any
    depth: int
    collapsed: bool
    editable: bool  # the caller may open the editor on this task
    baseline: tuple[dt.date | None, dt.date | None] | None
    driving: DrivingLink | None = None  # set when a link drives the task


@dataclass(frozen=True)
class GanttPlan:
    project: Project
    lines: list[GanttLine]  # the rows of this page, in outline order
    links: list[tuple[int, int, str, Decimal]]  # among this page's rows
    first: dt.date | None  # the span of every visible task (and the baseline), the same on each page
    last: dt.date | None
    working_days: WorkingDays
    today: dt.date
    status_date: dt.date | None
    baselines: list[Any]  # the ones the caller may pick from
    baseline: Any | None
    page: int
    pages: int
    first_row: int  # 1-based number of this page's first row
    total_rows: int
    collapsed: frozenset[int]  # the summaries that are collapsed (only those that exist)
    may_change_plan: bool
    partial_view: bool
    schedule_issues: list[dict[str, Any]] = field(default_factory=list)


def _shown(outline: list[OutlineEntry], collapsed: frozenset[int]) -> list[tuple[OutlineEntry, int]]:
    """The outline without the descendants of collapsed summaries, each entry with its depth."""
    depth: dict[int, int] = {}
    hidden: set[int] = set()
    shown = []
    for entry in outline:
        parent = entry.parent_id
        depth[entry.pk] = depth[parent] + 1 if parent in depth else 0
        if parent in hidden or (parent in depth and parent in collapsed):
            hidden.add(entry.pk)
            continue
        shown.append((entry, depth[entry.pk]))
    return shown


def _time_span(outline: list[OutlineEntry], extra: Iterable[dt.date | None]) -> tuple[Any, Any]:
    days = [day for entry in outline for day in (entry.start, entry.finish) if day is not None]
    days.extend(day for day in extra if day is not None)
    return (min(days), max(days)) if days else (None, None)


def _ancestors(pk: int, parents: dict[int, int | None]) -> list[int]:
    """The summaries above a task, nearest first."""
    chain: list[int] = []
    parent = parents.get(pk)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return chain


def driving_link(task: Any, links: Iterable[LinkRow], into: list[int], sees_plan: bool) -> DrivingLink | None:
    """The link from the task's driving predecessor into the task or, failing that, into the
    nearest of its summaries (`into`: the task, then its summaries, nearest first); of several,
    the one of the type the scheduler named."""
    if task.driver != "link" or task.driving_predecessor_id is None:
        return None
    label = str(task.driving_predecessor) if sees_plan and task.driving_predecessor else ""
    found: dict[int, list[tuple[str, Decimal]]] = {}
    for pred, succ, kind, lag in links:
        if pred == task.driving_predecessor_id:
            found.setdefault(succ, []).append((kind, lag))
    for place, successor in enumerate(into):
        if successor in found:
            kinds = found[successor]
            kind, lag = next((k for k in kinds if k[0] == task.driving_type), kinds[0])
            return DrivingLink(label, kind, lag if sees_plan else None, on_summary=place > 0)
    return DrivingLink(label, task.driving_type, None)


def project_gantt(user: Any, code: str, asked: GanttRequest) -> GanttPlan:
    """One page of the Gantt: a fixed number of queries however many tasks the project holds."""
    project = access_project_by_code(user, code)
    outline = task_outline(user, project)
    summaries = {entry.pk for entry in outline if entry.is_summary}
    collapsed = frozenset(asked.collapsed & summaries)
    shown = _shown(outline, collapsed)
    pages = max(1, -(-len(shown) // GANTT_ROWS_PER_PAGE))
    page = min(max(asked.page, 1), pages)
    window = shown[(page - 1) * GANTT_ROWS_PER_PAGE : page * GANTT_ROWS_PER_PAGE]
    ids = [entry.pk for entry, _ in window]
    tasks = tasks_with_ids(user, project, ids)
    baseline = find_baseline(user, project, asked.baseline_id)
    frozen = baseline_dates(baseline, ids) if baseline is not None else {}
    first, last = _time_span(outline, baseline_span(baseline) if baseline is not None else ())
    may_change = can(user, "change_plan", project)
    own = set() if may_change else _own_tasks(user, project)
    sees_plan = can(user, "view_all_tasks", project)
    parents = {entry.pk: entry.parent_id for entry in outline}
    into = {pk: [pk, *_ancestors(pk, parents)] for pk in tasks}
    # The links drawn, and those that drive the rows (from anywhere in the plan), in one query.
    links = links_between(
        user,
        project,
        ids,
        also_from={t.driving_predecessor_id for t in tasks.values() if t.driving_predecessor_id},
        also_into={pk for chain in into.values() for pk in chain},
    )
    lines = [
        GanttLine(
            task=tasks[entry.pk],
            depth=depth,
            collapsed=entry.pk in collapsed,
            editable=may_change or entry.pk in own,
            baseline=frozen.get(entry.pk) if baseline is not None else None,
            driving=driving_link(tasks[entry.pk], links, into[entry.pk], sees_plan),
        )
        for entry, depth in window
        if entry.pk in tasks
    ]
    shown_ids = set(ids)
    return GanttPlan(
        project=project,
        lines=lines,
        links=[link for link in links if link[0] in shown_ids and link[1] in shown_ids],
        first=first,
        last=last,
        working_days=project_working_days(project),
        today=timezone.localdate(),
        status_date=project.status_date,
        baselines=list(project_baselines(user, project)) if can(user, "view_all_tasks", project) else [],
        baseline=baseline,
        page=page,
        pages=pages,
        first_row=(page - 1) * GANTT_ROWS_PER_PAGE + 1,
        total_rows=len(shown),
        collapsed=collapsed,
        may_change_plan=may_change,
        partial_view=not sees_plan,
        schedule_issues=schedule_issues(user, project),
    )


def _own_tasks(user: Any, project: Project) -> set[int]:
    """Tasks the caller may report progress on (its own), when its role allows reporting."""
    return assigned_task_ids(user, project) if can(user, "report_progress", project) else set()


@dataclass(frozen=True)
class TaskEditor:
    """What the Gantt's inline editor needs about one task, and what the caller may change on it."""

    project: Project
    task: Any
    predecessors: list[Any]  # links into the task
    may_change_plan: bool  # name, duration, dates, constraint and links; otherwise only progress
    driving: DrivingLink | None = None  # set when a link drives the task


def gantt_task_editor(user: Any, code: str, task_id: int) -> TaskEditor:
    """The task of this project, if the caller may edit it: the plan, or progress on its own task."""
    project = access_project_by_code(user, code)
    task = access_task(user, task_id)
    if task.project_id != project.pk:
        raise NotFound("task")
    may_change = can(user, "change_plan", project)
    if not may_change and task.pk not in _own_tasks(user, project):
        raise Forbidden(f"your role on {project.code} does not allow changing this task")
    predecessors = task_predecessor_links(user, task) if may_change else []
    driving = None
    if task.driver == "link":
        into = [task.pk, *([task.parent_id] if task.parent_id else [])]
        candidates = driving_links(user, task)
        into.extend(succ for _, succ, _, _ in candidates if succ not in into)  # further summaries
        driving = driving_link(task, candidates, into, can(user, "view_all_tasks", project))
    return TaskEditor(
        project=project, task=task, predecessors=predecessors, may_change_plan=may_change, driving=driving
    )
