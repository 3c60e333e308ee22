"""do_schedule_project: load a project into the engine, run it once, write the results back in bulk.

Stored data can be wrong (a negative duration, an actual finish before the actual start, a link
to a task of another project): the loader never lets that crash scheduling. It sets the bad
value aside, schedules the rest, and says what it set aside in ScheduleOutcome.problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from itpm import engine
from itpm.planning import task_calendars
from itpm.planning.models import Task
from itpm.planning.scheduling.dating import HORIZON_DAYS, UNITS_PER_DAY, Dating
from itpm.planning.scheduling.loading import ScheduleIssue, load_plan, plan_origin
from itpm.planning.scheduling.write_back import write_computed
from itpm.portfolio.models import Project

CONFLICT_WORDS = {
    "C101": "its constraint date overrides a link",
    "C102": "it finishes after its deadline",
    "C103": "its actual dates contradict a link",
}


@dataclass(frozen=True)
class ScheduleOutcome:
    finish: dt.date | None
    critical_path: list[int]
    error: str | None = None
    conflicts: list[ScheduleIssue] = field(default_factory=list)
    problems: list[ScheduleIssue] = field(default_factory=list)


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
    finish = write_computed(rows, result, dating, project_start)
    return ScheduleOutcome(
        finish=finish,
        critical_path=[int(t) for t in result.critical_path],
        conflicts=_issues(result.conflicts, rows),
        problems=loaded.problems,
    )


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
