"""Load a project into the engine's arrays; stored data the engine would refuse is set aside
and reported as a ScheduleIssue, never a crash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itpm import engine
from itpm.planning.models import Dependency, Task
from itpm.planning.scheduling.dating import ONE_DAY, UNITS_PER_DAY, Dating, working_units
from itpm.portfolio.models import Project


@dataclass(frozen=True)
class ScheduleIssue:
    """A conflict the engine reported, or stored data the loader set aside; tasks are task ids."""

    code: str
    message: str
    tasks: list[int]


@dataclass
class PlanLinks:
    predecessor: list[int]
    successor: list[int]
    link_type: list[int]
    lag: list[int]


@dataclass
class LoadedPlan:
    rows: list[Task]
    durations: list[int]
    parents: list[int]  # places in rows; -1 at top level; UNKNOWN_PARENT for one not loaded
    links: PlanLinks
    extras: engine.TaskExtras | None
    problems: list[ScheduleIssue]
    task_calendar: npt.NDArray[np.int64] | None = None  # per task, for the timetable it is scheduled on

    def network(self) -> engine.NetworkArrays:
        """The arrays the engine schedules; an EngineError if stored data is beyond repair."""
        if UNKNOWN_PARENT in self.parents:
            row = self.rows[self.parents.index(UNKNOWN_PARENT)]
            task, parent = str(row.pk), str(row.parent_id)
            raise engine.EngineError("E002", f"task {task!r} names unknown task {parent!r}", (parent,))
        links = self.links
        return engine.NetworkArrays.of(
            self.durations,
            links.predecessor,
            links.successor,
            links.link_type,
            links.lag,
            parent=self.parents if any(p >= 0 for p in self.parents) else None,
            ids=[str(row.pk) for row in self.rows],
            extras=self.extras,
            task_calendar=self.task_calendar,
        )


UNKNOWN_PARENT = -2


def plan_origin(project: Project, rows: list[Task], status_date: dt.date | None) -> dt.date:
    dates = [project.planned_start, *(d for row in rows for d in (row.actual_start, row.actual_finish) if d)]
    return min(dates + ([status_date + ONE_DAY] if status_date else []))


def load_plan(project: Project, dating: Dating, rows: list[Task]) -> LoadedPlan:
    """The project as the engine's arrays: a column per field, a row of extras for each task
    with a constraint, deadline or progress (checked as an engine.Task, which names a bad value)."""
    problems: list[ScheduleIssue] = []
    summaries = {row.parent_id for row in rows if row.parent_id}
    number = {row.pk: n for n, row in enumerate(rows)}
    durations: list[int] = []
    special: list[tuple[int, engine.Task]] = []
    for place, row in enumerate(rows):
        duration = working_units(row.duration_days)
        if duration >= 0 and _plain(row):
            durations.append(duration)
            continue
        task = _engine_task(row, dating, row.pk in summaries, problems)
        durations.append(task.duration)
        if task.extras:
            special.append((place, task))
    parents = [-1 if not row.parent_id else number.get(row.parent_id, UNKNOWN_PARENT) for row in rows]
    links = _engine_links(project, number, problems)
    extras = engine.task_extras([place for place, _ in special], [task for _, task in special])
    return LoadedPlan(rows, durations, parents, links, extras, problems)


def _plain(row: Task) -> bool:
    """No constraint, deadline, progress or levelling delay: nothing for the engine but the duration."""
    return (
        row.constraint_type in ("ASAP", "", None)
        and row.deadline is None
        and row.actual_start is None
        and row.actual_finish is None
        and row.remaining_days is None
        and not row.percent_complete
        and not row.levelling_delay
    )


@dataclass(frozen=True)
class _Progress:
    actual_start: int | None = None
    actual_finish: int | None = None
    remaining: int | None = None
    percent_complete: float = 0.0


def _engine_task(row: Task, dating: Dating, summary: bool, problems: list[ScheduleIssue]) -> engine.Task:
    progress = _Progress() if summary else _progress(row, dating)
    duration = working_units(row.duration_days)
    dates = _dates(row, dating)
    try:
        return _make_task(row, duration, progress, dates)
    except engine.EngineError as error:
        set_aside = _set_aside(error, duration)
        message = f"task {row.pk} ({row.name}): {error.message}; scheduled without {set_aside}"
        problems.append(ScheduleIssue(error.code, message, [row.pk]))
    if set_aside == "its constraint":  # keep the progress, drop what the engine refused
        return _make_task(row, max(duration, 0), progress, _Dates(deadline=dates.deadline))
    return _make_task(row, max(duration, 0), _Progress(), _Dates())


def _set_aside(error: engine.EngineError, duration: int) -> str:
    if error.code == "E003" and duration < 0:
        return "its duration"
    if error.code in ("E009", "E010"):
        return "its constraint"
    return "its progress"


def _make_task(row: Task, duration: int, progress: _Progress, dates: _Dates | None = None) -> engine.Task:
    dates = dates or _Dates()
    return engine.Task(
        str(row.pk),
        duration,
        name=row.name,
        milestone=row.is_milestone,
        parent=str(row.parent_id) if row.parent_id else None,
        constraint=dates.constraint,
        constraint_date=dates.constraint_date,
        deadline=dates.deadline,
        actual_start=progress.actual_start,
        actual_finish=progress.actual_finish,
        remaining=progress.remaining,
        percent_complete=progress.percent_complete,
        # Levelling's delay is in working days; one stored below zero is the database's to refuse.
        levelling_delay=max(row.levelling_delay, 0) * UNITS_PER_DAY,
    )


@dataclass(frozen=True)
class _Dates:
    constraint: str = "ASAP"
    constraint_date: int | None = None
    deadline: int | None = None


FINISH_CONSTRAINTS = frozenset({"FNET", "FNLT", "MFO"})


def _dates(row: Task, dating: Dating) -> _Dates:
    """A start constraint means the start of its day; a finish constraint and a deadline, the end."""
    day = row.constraint_date
    unit = None
    if day is not None and row.constraint_type != "ASAP" and row.constraint_type != "ALAP":
        unit = (
            dating.finish_unit(day) if row.constraint_type in FINISH_CONSTRAINTS else dating.start_unit(day)
        )
    deadline = None if row.deadline is None else dating.finish_unit(row.deadline)
    return _Dates(row.constraint_type or "ASAP", unit, deadline)


def _progress(row: Task, dating: Dating) -> _Progress:
    started, finished = row.actual_start, row.actual_finish
    moment = row.duration_days == 0
    start_unit = dating.moment_unit if moment else dating.start_unit
    finish_unit = dating.moment_unit if moment else dating.finish_unit
    start = None if started is None else start_unit(started)
    finish = None if finished is None else finish_unit(finished)
    if started is not None and finished is not None and start is not None and finish is not None:
        # Done within non-working days: no working time between, and not an error.
        finish = max(finish, start) if finished >= started else finish
    remaining = None if row.remaining_days is None else working_units(row.remaining_days)
    return _Progress(start, finish, remaining, float(row.percent_complete))


def _engine_links(project: Project, number: dict[int, int], problems: list[ScheduleIssue]) -> PlanLinks:
    """The project's dependencies as columns of task places; a dependency the engine would
    refuse (checked as an engine.Link, which says why) is left out and reported."""
    links = PlanLinks([], [], [], [])
    kinds = {kind: code for code, kind in enumerate(engine.LINK_TYPES)}
    rows = Dependency.objects.filter(project=project).values_list(
        "pk", "predecessor_id", "successor_id", "type", "lag_days"
    )
    for pk, before, after, kind, lag in rows:
        if before not in number or after not in number:
            message = f"dependency {pk} links a task outside the project; not scheduled"
            problems.append(ScheduleIssue("E002", message, [t for t in (before, after) if t in number]))
            continue
        units = working_units(lag)
        if kind not in kinds or before == after:
            try:
                engine.Link(str(before), str(after), kind, units)
            except engine.EngineError as error:
                message = f"dependency {pk}: {error.message}; not scheduled"
                problems.append(ScheduleIssue(error.code, message, [before, after]))
                continue
        links.predecessor.append(number[before])
        links.successor.append(number[after])
        links.link_type.append(kinds[kind])
        links.lag.append(units)
    return links
