"""Steps that need the computed schedule: planned dates, the approved baseline, progress."""

from __future__ import annotations

import datetime as dt

import numpy as np

from itpm.demo import progress
from itpm.demo.projects.common import project_rng
from itpm.demo.spec import ProjectSpec
from itpm.planning.models import Baseline, Dependency, Task
from itpm.planning.services.baselines import do_set_baseline
from itpm.portfolio.models import Project

BASELINE_NAME = "Approved plan"
# Schedule contingency the sponsor approved after the scheduled finish, in working days: the
# committed finish date a project is simulated against. Sized as project managers do, more for
# the risky ones; the ERP rollout and the branch network refresh were given too little.
SCHEDULE_RESERVE = {
    "ERP-S4": 10,
    "NET-BRANCH": 15,
    "DCX-AZURE": 20,
    "ITSM-SD": 20,
    "SEC-ISO27K": 30,
    "DATA-PLAT": 12,
    "EUC-WIN11": 20,
    "MOB-FIELD": 10,
}
REPORTING = ("in-progress", "on-hold")  # projects that report progress every week


def fix_planned_dates(project: Project) -> None:
    """The approved dates are those of the plan as first scheduled: from the first working day
    (the anchor may fall on a public holiday) to the scheduled finish plus the schedule reserve."""
    starts = [s for s in project.tasks.values_list("start", flat=True) if s is not None]
    finishes = [f for f in project.tasks.values_list("finish", flat=True) if f is not None]
    if starts and finishes:
        project.planned_start = min(starts)
        scheduled = max(*finishes, project.planned_start)
        reserve = SCHEDULE_RESERVE.get(project.code, 0)
        project.planned_finish = np.busday_offset(scheduled, reserve, roll="forward").astype(dt.date)
        Project.objects.filter(pk=project.pk).update(
            planned_start=project.planned_start, planned_finish=project.planned_finish
        )


def take_baseline(project: Project) -> Baseline:
    """Baseline "Approved plan", costed by the same service a project manager uses."""
    return do_set_baseline(project, BASELINE_NAME, project.manager)


def latest_finishes(project: Project, tasks: dict[int, Task]) -> dict[int, dt.date]:
    """The last day each task could finish late on without overtaking an FS or FF successor."""
    latest: dict[int, dt.date] = {}
    links = Dependency.objects.filter(project=project, type__in=["FS", "FF"])
    for pred, succ, kind in links.values_list("predecessor_id", "successor_id", "type"):
        start, finish = tasks[succ].start, tasks[succ].finish
        bound = finish if kind == "FF" else (start - dt.timedelta(days=1) if start else None)
        if bound is not None:
            latest[pred] = min(latest.get(pred, bound), bound)
    return latest


def record_progress(project: Project, spec: ProjectSpec) -> bool:
    """Write the progress the team would have reported by the status date; False if none."""
    tasks = list(project.tasks.order_by("order"))
    latest = latest_finishes(project, {t.pk: t for t in tasks})
    leaves = [
        progress.Planned(t.pk, t.start, t.finish, t.duration_days, t.is_milestone, latest.get(t.pk))
        for t in tasks
        if not t.is_summary
    ]
    reported = progress.report(leaves, spec.progress, project_rng(f"{spec.code}/progress"))
    if not reported:
        return False
    weights = {leaf.key: leaf.duration_days for leaf in leaves}
    parents = {t.pk: t.parent_id for t in tasks}
    reported.update(progress.roll_up(parents, reported, weights))
    for task in tasks:
        state = reported.get(task.pk, progress.NOT_STARTED)
        task.percent_complete = state.percent_complete
        task.actual_start, task.actual_finish = state.actual_start, state.actual_finish
        task.remaining_days = state.remaining_days
    Task.objects.bulk_update(
        tasks, ["percent_complete", "actual_start", "actual_finish", "remaining_days"], batch_size=500
    )
    return True


def set_status_date(project: Project, spec: ProjectSpec, anchor: dt.date) -> None:
    """The day progress is reported to: for a project reporting weekly, the end of last week
    (the demo's progress counts work done before the anchor Monday); for a closed one, the day
    its last task finished; none for a project not started."""
    day = None
    if spec.status in REPORTING and spec.progress.status_date is not None:
        day = np.busday_offset(anchor, -1, roll="backward").astype(dt.date)
    elif spec.status == "closed":
        day = (
            project.tasks.filter(actual_finish__isnull=False)
            .order_by("-actual_finish")
            .values_list("actual_finish", flat=True)
            .first()
        )
    project.status_date = day
    Project.objects.filter(pk=project.pk).update(status_date=day)
