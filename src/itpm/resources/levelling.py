"""Levelling a project in the app: preview (what would move, and why), apply, and clear.

The preview loads the project (and, across projects, every visible project sharing its people)
into one engine Problem, calls `level` once and reads the result back in dates. Apply stores
each task's own levelling delay, the working days it waits after its links allow it to start
(MS Project's Leveling Delay), then reschedules: the scheduler adds the delays, so the stored
plan is the levelled one. Clear sets every delay back to 0 and reschedules.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from itpm import engine
from itpm.core.errors import Invalid
from itpm.engine.rcpsp import OverAllocation, over_allocations
from itpm.planning.models import Task
from itpm.planning.scheduling.run import do_schedule_project
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import require, visible_projects
from itpm.resources.models import Assignment
from itpm.resources.problem import Loaded, load_problem
from itpm.resources.problem_calendars import away_between, days_at_work
from itpm.resources.project_finishes import keep_projects_early

SCOPES = ("project", "shared")


@dataclass(frozen=True)
class Competitor:
    task_id: int
    name: str
    project_code: str


@dataclass(frozen=True)
class Reason:
    """Why a task waits: `resource` was taken by `competitors` while the task could have run."""

    resource: str
    units: float  # what the task needs of it
    capacity: float
    competitors: tuple[Competitor, ...]
    away: tuple[tuple[dt.date, dt.date], ...] = ()  # first and last days it is on leave or off then

    @property
    def away_text(self) -> str:
        """ "5 Jan 2026 to 9 Jan 2026, 2 Feb 2026": the stretches of leave and days off."""
        days = [f"{a:%-d %b %Y}" + (f" to {b:%-d %b %Y}" if b != a else "") for a, b in self.away]
        return ", ".join(days)


@dataclass(frozen=True)
class Move:
    task_id: int
    wbs: str
    name: str
    project_code: str
    start_before: dt.date
    start_after: dt.date
    finish_after: dt.date
    shift_days: int  # working days later (negative: earlier) than in the stored plan
    delay_days: int  # its own levelling delay: days it waits after its links allow it to start
    reasons: tuple[Reason, ...]
    follows: str = ""  # when it has no delay of its own: the predecessor that moved it


@dataclass(frozen=True)
class OverRun:
    """An over-allocation in dates: who, from when to when, asked for how much of how much."""

    resource: str
    start: dt.date
    finish: dt.date
    demand: float
    capacity: float
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class ProjectFinish:
    code: str
    name: str
    before: dt.date | None
    after: dt.date | None

    @property
    def change_days(self) -> int | None:
        return None if self.before is None or self.after is None else (self.after - self.before).days


@dataclass(frozen=True)
class Preview:
    project: Project
    scope: str
    finishes: tuple[ProjectFinish, ...]  # the focus project first
    over_before: tuple[OverRun, ...]
    over_after: tuple[OverRun, ...]
    moves: tuple[Move, ...]
    delays: Mapping[int, int]  # task id -> levelling delay to store (movable projects' tasks)
    current_delays: Mapping[int, int]
    notes: tuple[str, ...]
    found_by: str
    seconds: float
    starts: Mapping[int, tuple[dt.date, dt.date]]  # task id -> levelled start and finish
    since: dt.date | None = None  # over-allocations are listed from the status date, if there is one
    applies_to: tuple[str, ...] = ()  # codes of the projects whose tasks may move (apply writes these)

    @property
    def finish(self) -> ProjectFinish:
        return self.finishes[0]

    @property
    def changes(self) -> bool:
        return dict(self.delays) != {k: v for k, v in self.current_delays.items() if v}


def involved_projects(user: Any, project: Project, scope: str) -> list[Project]:
    """The focus project, and for "shared" every visible, open project using any of its people."""
    if scope not in SCOPES:
        raise Invalid(f"scope: choose one of {', '.join(SCOPES)}", field="scope")
    if scope == "project":
        return [project]
    people = Assignment.objects.filter(task__project=project).values("resource_id")
    others = (
        visible_projects(user)
        .filter(tasks__assignments__resource_id__in=people)
        .exclude(status__in=("closed", "cancelled"))
        .exclude(pk=project.pk)
        .distinct()
        .select_related("calendar")
    )
    # Levelling reads every task of a project: only projects whose whole plan the user may see.
    return [project, *(p for p in others.order_by("code") if can(user, "view_all_tasks", p))]


def level_loaded(loaded: Loaded) -> engine.LevelResult:
    """Level once; across projects, keep each project's own finish early where that costs nothing."""
    try:
        result = engine.level(loaded.problem, seed=0)
    except engine.EngineError as error:
        raise Invalid(f"project: the plan cannot be levelled: {error.message}", field="project") from error
    project_of = {key: task.project_id for key, task in loaded.tasks.items()}
    return keep_projects_early(loaded.problem, result, project_of)


def own_delays(loaded: Loaded, starts: Mapping[str, int]) -> dict[str, tuple[int, str, int]]:
    """Each activity's wait after its links and release allow it to start (in its working days),
    the activity whose link sets that bound (empty when the release does), and that bound."""
    problem = loaded.problem
    bound = {a.id: (a.release, "") for a in problem.activities}
    for link in problem.links:
        allowed = starts[link.predecessor] + problem.start_lag(link)
        if allowed > bound[link.successor][0]:
            bound[link.successor] = (allowed, link.predecessor)
    return {key: (_task_days(loaded, key, at, starts[key]), by, at) for key, (at, by) in bound.items()}


def _task_days(loaded: Loaded, key: str, allowed: int, start: int) -> int:
    """The wait from `allowed` to `start` in the task's working days: the days its people are
    off (leave and holidays) do not count, as the scheduler counts the delay on their calendars."""
    activity = loaded.problem.activities[loaded.problem.index[key]]
    calendars = [loaded.days_off[r] for r in activity.demands if r in loaded.days_off]
    return days_at_work(calendars, allowed, start) if calendars else start - allowed


def _away(
    loaded: Loaded, resource_key: str, since: int, until: int, need: float
) -> tuple[tuple[dt.date, dt.date], ...]:
    """The days between `since` and `until` on which the resource is on leave or off (its calendar)."""
    runs = next(r.calendar for r in loaded.problem.resources if r.id == resource_key)
    return tuple((loaded.date(s), loaded.date(f - 1)) for s, f in away_between(runs, since, until, need))


def _reasons(loaded: Loaded, key: str, starts: Mapping[str, int], since: int) -> tuple[Reason, ...]:
    """Resources the task needs that others held, or that were away, between `since` and its start."""
    problem = loaded.problem
    me = problem.activities[problem.index[key]]
    reasons = []
    for resource_key, units in me.demands.items():
        holders = [
            other
            for other in problem.activities
            if other.id != key
            and other.demands.get(resource_key)
            and starts[other.id] < starts[key]
            and starts[other.id] + other.duration > since
        ]
        away = _away(loaded, resource_key, since, starts[key], units)
        if holders or away:
            row = loaded.resources[resource_key]
            competitors = tuple(
                Competitor(int(o.id), o.name, loaded.projects[loaded.tasks[o.id].project_id].code)
                for o in holders
            )
            reasons.append(Reason(row.name, units, float(row.max_units), competitors, away))
    return tuple(reasons)


def _runs(loaded: Loaded, starts: Mapping[str, int], runs: Any, since: int) -> tuple[OverRun, ...]:
    """Over-allocations in dates, from period `since` on: what is past is history, not a plan."""
    result = []
    for run in runs:
        if run.finish <= since:
            continue
        resource_key = run.resource
        tasks = [
            a.name
            for a in loaded.problem.activities
            if a.demands.get(resource_key)
            and starts[a.id] < run.finish
            and starts[a.id] + a.duration > run.start
        ]
        name = loaded.resources[resource_key].name
        result.append(
            OverRun(
                name,
                loaded.date(run.start),
                loaded.date(run.finish - 1),
                run.demand,
                run.capacity,
                tuple(tasks),
            )
        )
    return tuple(result)


def _finishes(loaded: Loaded, focus: Project, starts: Mapping[str, int]) -> tuple[ProjectFinish, ...]:
    result = []
    for project in sorted(loaded.projects.values(), key=lambda p: (p.pk != focus.pk, p.code)):
        keys = [k for k, t in loaded.tasks.items() if t.project_id == project.pk]
        before = max((f for k in keys if (f := loaded.tasks[k].finish) is not None), default=None)
        after = max((loaded.finish_date(starts[k], loaded.duration(k)) for k in keys), default=None)
        result.append(ProjectFinish(project.code, project.name, before, after))
    return tuple(result)


def _moves(
    loaded: Loaded, starts: Mapping[str, int], delays: Mapping[str, tuple[int, str, int]]
) -> list[Move]:
    moves = []
    for key, task in loaded.tasks.items():
        shift = starts[key] - loaded.current[key]
        delay, by, allowed = delays[key]
        if task.project_id not in loaded.movable_projects or (shift == 0 and delay == task.levelling_delay):
            continue
        waits = starts[key] > allowed  # on others, or through its people's leave
        reasons = _reasons(loaded, key, starts, allowed) if waits else ()
        follows = loaded.tasks[by].name if by and not waits else ""
        moves.append(
            Move(
                task.pk,
                task.wbs_code,
                task.name,
                loaded.projects[task.project_id].code,
                task.start or loaded.start_date(loaded.current[key], loaded.duration(key)),
                loaded.start_date(starts[key], loaded.duration(key)),
                loaded.finish_date(starts[key], loaded.duration(key)),
                shift,
                delay,
                reasons,
                follows,
            )
        )
    return sorted(moves, key=lambda m: (m.project_code, m.start_after, m.wbs))


def preview_levelling(user: Any, project: Project, scope: str = "project") -> Preview:
    """What levelling would do; nothing is stored. Needs the right to see the project's plan."""
    require(user, "view_all_tasks", project)
    projects = involved_projects(user, project, scope)
    movable = {p.pk for p in projects if can(user, "change_plan", p)} | {project.pk}
    clock = time.perf_counter()
    loaded = load_problem(project, projects, movable)
    result = level_loaded(loaded)
    return _preview(loaded, project, scope, result, time.perf_counter() - clock)


def _preview(loaded: Loaded, project: Project, scope: str, result: Any, seconds: float) -> Preview:
    starts = dict(result.starts)
    delays = own_delays(loaded, starts)
    since_date = max(project.status_date, loaded.grid.start) if project.status_date else None
    since = loaded.grid.to_unit(since_date) if since_date else 0
    movable = {k for k, t in loaded.tasks.items() if t.project_id in loaded.movable_projects}
    before: list[OverAllocation] = over_allocations(loaded.problem, loaded.current)
    return Preview(
        project=project,
        scope=scope,
        finishes=_finishes(loaded, project, starts),
        over_before=_runs(loaded, loaded.current, before, since),
        over_after=_runs(loaded, starts, result.over_allocations_after, since),
        moves=tuple(_moves(loaded, starts, delays)),
        delays={int(k): delays[k][0] for k in movable if delays[k][0] > 0},
        current_delays={t.pk: t.levelling_delay for k, t in loaded.tasks.items() if k in movable},
        notes=tuple(loaded.notes) + tuple(_conflict_notes(loaded, result.conflicts)),
        found_by=result.found_by,
        seconds=seconds,
        starts={
            int(k): (loaded.start_date(s, loaded.duration(k)), loaded.finish_date(s, loaded.duration(k)))
            for k, s in starts.items()
        },
        since=since_date,
        applies_to=tuple(sorted(p.code for p in loaded.projects.values() if p.pk in loaded.movable_projects)),
    )


def _conflict_notes(loaded: Loaded, conflicts: Any) -> list[str]:
    """C201 in words; C202 shows as the over-allocations left after levelling."""
    notes = []
    for conflict in conflicts:
        if conflict.code == "C201":
            names = ", ".join(loaded.tasks[t].name for t in conflict.tasks if t in loaded.tasks)
            notes.append(
                f"{names}: started or constrained, but its predecessors cannot finish in time; it moves"
            )
    if any(c.code == "C202" for c in conflicts):
        notes.append(
            "Started, date-constrained or do-not-level tasks alone over-allocate someone: levelling"
            " does not move them,"
            " so those over-allocations stay (see the list after levelling)."
        )
    return notes


# ---- apply and clear -------------------------------------------------------------------------------


def _require_change(user: Any, projects: list[Project]) -> None:
    for project in projects:
        require(user, "change_plan", project)


@transaction.atomic
def do_apply_levelling(projects: list[Project], delays: Mapping[int, int]) -> None:
    """Store the delays (every other task of the projects back to 0) and reschedule each project."""
    changed = []
    for task in Task.objects.filter(project__in=projects).select_for_update():
        delay = delays.get(task.pk, 0)
        if task.levelling_delay != delay:
            task.levelling_delay = delay
            changed.append(task)
    bulk_update_with_history(changed, Task, ["levelling_delay"], batch_size=500)
    for project in projects:
        do_schedule_project(project)


def check_apply_levelling(user: Any, project: Project, scope: str = "project") -> Preview:
    """Level afresh (never from delays a client sends) and store the result for the projects the
    user may re-plan; the others stay as they are and were levelled around."""
    require(user, "change_plan", project)
    preview = preview_levelling(user, project, scope)
    movable = [p for p in involved_projects(user, project, scope) if can(user, "change_plan", p)]
    do_apply_levelling(movable, preview.delays)
    return preview


def check_clear_levelling(user: Any, project: Project) -> int:
    """Every levelling delay of the project back to 0, then reschedule; returns tasks changed."""
    require(user, "change_plan", project)
    changed = Task.objects.filter(project=project).exclude(levelling_delay=0).count()
    do_apply_levelling([project], {})
    return changed
