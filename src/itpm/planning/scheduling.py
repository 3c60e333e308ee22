"""do_schedule_project: load a project into the engine, run it once, write the results back in bulk.

Stored data can be wrong (a negative duration, an actual finish before the actual start, a link
to a task of another project): the loader never lets that crash scheduling. It sets the bad
value aside, schedules the rest, and says what it set aside in ScheduleOutcome.problems.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.utils import timezone

from itpm import engine
from itpm.engine.drivers import DRIVERS
from itpm.planning import task_calendars
from itpm.planning.models import Calendar as CalendarRow
from itpm.planning.models import Dependency, Task
from itpm.portfolio.models import Project

# Engine time is integer: one unit is a hundredth of a working day, so durations and lags stored
# with two decimals convert exactly.
UNITS_PER_DAY = 100
HORIZON_DAYS = 366 * 3
ONE_DAY = dt.timedelta(days=1)
Units = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]

CONFLICT_WORDS = {
    "C101": "its constraint date overrides a link",
    "C102": "it finishes after its deadline",
    "C103": "its actual dates contradict a link",
}


@dataclass(frozen=True)
class ScheduleIssue:
    """A conflict the engine reported, or stored data the loader set aside; tasks are task ids."""

    code: str
    message: str
    tasks: list[int]


@dataclass(frozen=True)
class ScheduleOutcome:
    finish: dt.date | None
    critical_path: list[int]
    error: str | None = None
    conflicts: list[ScheduleIssue] = field(default_factory=list)
    problems: list[ScheduleIssue] = field(default_factory=list)


def engine_calendar(row: CalendarRow | None) -> engine.Calendar:
    return task_calendars.engine_calendar(row, UNITS_PER_DAY)


def _units(days: Decimal) -> int:
    """Working days as units, rounded away from zero to the next unit."""
    units = int((abs(days) * UNITS_PER_DAY).to_integral_value(rounding=ROUND_CEILING))
    return units if days >= 0 else -units


@dataclass
class Dating:
    """Dates to units and back on the project calendar, from an origin on or before every date
    the project stores; units before the origin (negative float) extend the calendar back."""

    calendar: engine.Calendar
    origin: dt.date
    project_start: dt.date
    work: engine.WorkCalendar

    @classmethod
    def from_origin(cls, calendar: engine.Calendar, origin: dt.date, project_start: dt.date) -> Dating:
        work = engine.WorkCalendar.build(calendar, origin, HORIZON_DAYS)
        return cls(calendar, origin, project_start, work)

    def start_unit(self, day: dt.date) -> int:
        return self.work.to_unit(day)

    def finish_unit(self, day: dt.date) -> int:
        """The end of `day`: a task that finished on it is done by then."""
        return self.work.to_unit(day + ONE_DAY)

    def moment_unit(self, day: dt.date) -> int:
        """A zero-length task's date, read back the way _span_dates shows it: after the project's
        first day, the end of the day (where a milestone that follows a task sits)."""
        return self.start_unit(day) if day <= self.project_start else self.finish_unit(day)

    def reaching(self, earliest_unit: int) -> tuple[engine.WorkCalendar, int]:
        """A calendar that reaches back to `earliest_unit`, and the units to add for it."""
        if earliest_unit >= 0:
            return self.work, 0
        days = -earliest_unit // UNITS_PER_DAY + 14
        while True:
            days *= 2
            work = engine.WorkCalendar.build(
                self.calendar, self.origin - dt.timedelta(days=days), HORIZON_DAYS
            )
            shift = work.to_unit(self.origin)
            if shift + earliest_unit >= 0:
                return work, shift


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
        duration = _units(row.duration_days)
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
    duration = _units(row.duration_days)
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
    remaining = None if row.remaining_days is None else _units(row.remaining_days)
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
        units = _units(lag)
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


@transaction.atomic
def do_schedule_project(project: Project, status_date: dt.date | None = None) -> ScheduleOutcome:
    """Compute dates, floats and the critical path; a cycle leaves stored dates as they were.

    Progress counts as of the end of the status date (`status_date`, else the project's own):
    work not done yet is scheduled after it (docs/scheduling.md). The outcome's conflicts and
    problems are stored on the project for the pages to show.
    """
    outcome = _schedule(project, status_date or project.status_date)
    issues = [
        {"kind": kind, "code": issue.code, "message": issue.message, "tasks": issue.tasks}
        for kind, group in (("conflict", outcome.conflicts), ("problem", outcome.problems))
        for issue in group
    ]
    if outcome.error:
        issues.insert(0, {"kind": "error", "code": outcome.error[:4], "message": outcome.error, "tasks": []})
    Project.objects.filter(pk=project.pk).update(schedule_issues=issues, scheduled_at=timezone.now())
    project.schedule_issues = issues
    return outcome


def _schedule(project: Project, status_date: dt.date | None) -> ScheduleOutcome:
    rows = list(project.tasks.order_by("order", "id"))
    calendars = task_calendars.task_calendars(project.calendar, rows, UNITS_PER_DAY)
    origin = plan_origin(project, rows, status_date)
    dating = Dating.from_origin(calendars.axis, origin, project.planned_start)
    loaded = load_plan(project, dating, rows)
    timetable = calendars.timetable(dating.origin, HORIZON_DAYS)
    loaded.task_calendar = calendars.task_calendar(timetable)
    loaded.problems += [ScheduleIssue("E006", f"task {pk}: {text}", [pk]) for pk, text in calendars.problems]
    project_start = dating.start_unit(project.planned_start)
    try:
        result = engine.schedule_arrays(
            loaded.network(),
            project_start_unit=project_start,
            status_unit=None if status_date is None else dating.finish_unit(status_date),
            timetable=timetable,
        )
    except engine.EngineError as error:
        message = f"{error.code}: {error.message}"
        return ScheduleOutcome(finish=None, critical_path=[], error=message, problems=loaded.problems)
    finish = _write_back(rows, result, dating, project_start)
    return ScheduleOutcome(
        finish=finish,
        critical_path=[int(t) for t in result.critical_path],
        conflicts=_issues(result.conflicts, rows),
        problems=loaded.problems,
    )


COMPUTED = (
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float_days",
    "free_float_days",
    "is_critical",
    "duration_days",
    "driver",
    "driving_predecessor",
    "driving_type",
)


def _write_back(rows: list[Task], result: engine.Schedule, dating: Dating, first: int) -> dt.date | None:
    """Dates, floats and critical flags onto the rows; only rows that changed are written."""
    columns = result.columns
    earliest = min(int(columns.early_start.min()), int(columns.late_start.min())) if rows else 0
    work, shift = dating.reaching(earliest)
    first += shift
    starts, finishes = _span_dates(work, columns.early_start + shift, columns.early_finish + shift, first)
    late = _span_dates(work, columns.late_start + shift, columns.late_finish + shift, first)
    spans = (columns.early_finish - columns.early_start).tolist()
    pks = [row.pk for row in rows]
    drivers = [DRIVERS[i] for i in columns.driver.tolist()]
    predecessors = [pks[i] if i >= 0 else None for i in columns.driving_predecessor.tolist()]
    link_types = [engine.LINK_TYPES[i] if i >= 0 else "" for i in columns.driving_type.tolist()]
    values = zip(
        rows,
        starts.tolist(),
        finishes.tolist(),
        late[0].tolist(),
        late[1].tolist(),
        columns.total_float.tolist(),
        columns.free_float.tolist(),
        columns.critical.tolist(),
        spans,
        drivers,
        predecessors,
        link_types,
        strict=True,
    )
    changed = [row for row, *computed in values if _apply(row, Computed(*computed))]
    _save_computed(changed)
    if not rows:
        return None
    last: dt.date = work.finish_date(shift, result.finish + shift)
    return last


@dataclass(frozen=True)
class Computed:
    start: dt.date
    finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int
    free_float: int
    critical: bool
    span: int
    driver: str
    driving_predecessor: int | None
    driving_type: str


def _apply(row: Task, computed: Computed) -> bool:
    """Set the computed fields; True when any of them changed. A summary lasts its children's span."""
    before = tuple(getattr(row, name) for name in COMPUTED_ATTRS)
    row.start, row.finish = computed.start, computed.finish
    row.late_start, row.late_finish = computed.late_start, computed.late_finish
    row.total_float_days = Decimal(computed.total_float) / UNITS_PER_DAY
    row.free_float_days = Decimal(computed.free_float) / UNITS_PER_DAY
    row.is_critical = computed.critical
    row.driver, row.driving_type = computed.driver, computed.driving_type
    row.driving_predecessor_id = computed.driving_predecessor
    if row.is_summary:
        row.duration_days = Decimal(computed.span) / UNITS_PER_DAY
    return before != tuple(getattr(row, name) for name in COMPUTED_ATTRS)


COMPUTED_ATTRS = tuple(name + "_id" if name == "driving_predecessor" else name for name in COMPUTED)


def _save_computed(rows: list[Task]) -> None:
    """One UPDATE statement executed for many rows: Django's bulk_update builds CASE expressions
    that take seconds at 10,000 tasks; executemany takes milliseconds. History is not recorded
    for computed fields, as with bulk_update."""
    if not rows:
        return
    table = connection.ops.quote_name(Task._meta.db_table)
    by_name = {field.name: field for field in Task._meta.concrete_fields}
    fields = [by_name[name] for name in COMPUTED]
    columns = ", ".join(f"{connection.ops.quote_name(str(field.column))} = %s" for field in fields)
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", params)  # noqa: S608 - names are ours


def _span_dates(work: engine.WorkCalendar, starts: Units, finishes: Units, first: int) -> tuple[Days, Days]:
    """Calendar dates of spans; a zero-length span on a day boundary after the project start
    sits at the end of the day before, the way MS Project shows a milestone that follows a task
    on that task's finish date."""
    on_boundary = (starts == finishes) & (starts > first) & (starts % UNITS_PER_DAY == 0)
    opening = np.where(on_boundary, starts - 1, starts)
    closing = np.where(finishes > starts, finishes - 1, opening)
    return work.to_dates(opening), work.to_dates(closing)


def _issues(conflicts: list[engine.Conflict], rows: list[Task]) -> list[ScheduleIssue]:
    """Conflicts in words for people: task names, no engine units."""
    names = {str(row.pk): row.name for row in rows} if conflicts else {}
    issues = []
    for conflict in conflicts:
        task, *others = conflict.tasks
        message = f"{names.get(task, task)}: {CONFLICT_WORDS.get(conflict.code, conflict.message)}"
        if others:
            message += f" (from {', '.join(names.get(other, other) for other in others)})"
        issues.append(ScheduleIssue(conflict.code, message, [int(t) for t in conflict.tasks]))
    return issues
