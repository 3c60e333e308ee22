"""Governance services: quantified risks, three-point estimates, forecast profiles and the history
of closed projects. Same verbs as elsewhere: access_* fetch and enforce visibility (404 when
hidden), check_* validate and call do_*, do_* write in one transaction with history.

Who may do what, with the portfolio's role table: whoever sees the whole plan (view_all_tasks)
sees the risks and estimates; whoever changes the plan (change_plan) changes them. The history
of closed projects belongs to the organisation: administrators and project managers read it,
administrators correct it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from itpm.core.errors import Invalid
from itpm.core.lookup import one_visible
from itpm.core.writes import assign_fields, validate_and_save
from itpm.governance.models import (
    ForecastProfile,
    ProjectOutcome,
    ProjectType,
    Risk,
    RiskCategory,
    RiskStatus,
    TaskEstimate,
    Uncertainty,
)
from itpm.planning.models import Task
from itpm.planning.services.tasks import project_for_write
from itpm.planning.services.visibility import project_tasks, projects_with
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can, may_create_projects
from itpm.portfolio.services import (
    access_project_by_code,
    project_role_label,
    require,
    require_superuser,
)

RISK_FIELDS = {
    "title",
    "description",
    "category",
    "owner_id",
    "status",
    "probability",
    *Risk.SCHEDULE,
    *Risk.COST,
}
ESTIMATE_FIELDS = {*TaskEstimate.FIELDS, "distribution", "category"}
PROFILE_FIELDS = {"project_type", "uncertainty", "correlation"}
OUTCOME_FIELDS = {
    "project_id",
    "name",
    "project_type",
    "planned_duration_days",
    "actual_duration_days",
    "planned_cost",
    "actual_cost",
    "currency",
    "scope_delivered_percent",
    "closed_on",
    "notes",
}


# Planning's helpers do exactly what is needed here: the projects where a role allows an action,
# the project an input names for writing (422 naming project_id if hidden), fetch-or-404.


# ---- risks ---------------------------------------------------------------------------------------


def visible_risks(user: Any) -> QuerySet[Risk]:
    if not user.is_authenticated:
        return Risk.objects.none()
    return Risk.objects.filter(project__in=projects_with(user, "view_all_tasks"))


def access_risk(user: Any, risk_id: int) -> Risk:
    return one_visible(visible_risks(user).select_related("project", "owner"), risk_id, "risk")


def project_risks(user: Any, project: Project) -> QuerySet[Risk]:
    require(user, "view_all_tasks", project)
    return project.risks.select_related("owner").prefetch_related("tasks")


def _check_risk_refs(data: Mapping[str, Any], project: Project) -> list[int] | None:
    owner_id = data.get("owner_id")
    if owner_id is not None and not get_user_model().objects.filter(pk=owner_id, is_active=True).exists():
        raise Invalid(f"owner_id: no active user with id {owner_id}", field="owner_id")
    if "task_ids" not in data:
        return None
    wanted = set(data["task_ids"] or [])
    found = set(Task.objects.filter(project=project, pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise Invalid(f"task_ids: no task {missing[0]} in project {project.code}", field="task_ids")
    return sorted(found)


def check_create_risk(user: Any, data: Mapping[str, Any]) -> Risk:
    project = project_for_write(user, data)
    task_ids = _check_risk_refs(data, project)
    fields = {k: v for k, v in data.items() if k not in ("project_id", "task_ids")}
    return do_save_risk(Risk(project=project), fields, task_ids)


def check_update_risk(user: Any, risk: Risk, data: Mapping[str, Any]) -> Risk:
    require(user, "change_plan", risk.project)
    if "project_id" in data and data["project_id"] != risk.project_id:
        raise Invalid("project_id: a risk cannot move to another project", field="project_id")
    task_ids = _check_risk_refs(data, risk.project)
    fields = {k: v for k, v in data.items() if k not in ("project_id", "task_ids")}
    return do_save_risk(risk, fields, task_ids)


@transaction.atomic
def do_save_risk(risk: Risk, data: Mapping[str, Any], task_ids: list[int] | None) -> Risk:
    validate_and_save(assign_fields(risk, data, RISK_FIELDS))
    if task_ids is not None:
        risk.tasks.set(task_ids)
    return risk


def check_delete_risk(user: Any, risk: Risk) -> None:
    require(user, "change_plan", risk.project)
    with transaction.atomic():
        risk.delete()


# ---- three-point estimates ------------------------------------------------------------------------


def visible_estimates(user: Any) -> QuerySet[TaskEstimate]:
    if not user.is_authenticated:
        return TaskEstimate.objects.none()
    return TaskEstimate.objects.filter(task__project__in=projects_with(user, "view_all_tasks"))


def access_estimate(user: Any, estimate_id: int) -> TaskEstimate:
    return one_visible(visible_estimates(user).select_related("task__project"), estimate_id, "estimate")


def check_create_estimate(user: Any, data: Mapping[str, Any]) -> TaskEstimate:
    task_id = data.get("task_id")
    task = Task.objects.select_related("project").filter(pk=task_id).first() if task_id is not None else None
    if task is None or not projects_with(user, "view_all_tasks").filter(pk=task.project_id).exists():
        raise Invalid(f"task_id: no task {task_id} you can see", field="task_id")
    require(user, "change_plan", task.project)
    if TaskEstimate.objects.filter(task=task).exists():
        raise Invalid(f"task_id: task {task_id} already has an estimate; change that one", field="task_id")
    fields = {k: v for k, v in data.items() if k != "task_id"}
    with transaction.atomic():
        return validate_and_save(assign_fields(TaskEstimate(task=task), fields, ESTIMATE_FIELDS))


def check_update_estimate(user: Any, estimate: TaskEstimate, data: Mapping[str, Any]) -> TaskEstimate:
    require(user, "change_plan", estimate.task.project)
    if "task_id" in data and data["task_id"] != estimate.task_id:
        raise Invalid("task_id: an estimate cannot move to another task", field="task_id")
    fields = {k: v for k, v in data.items() if k != "task_id"}
    with transaction.atomic():
        return validate_and_save(assign_fields(estimate, fields, ESTIMATE_FIELDS))


def check_delete_estimate(user: Any, estimate: TaskEstimate) -> None:
    require(user, "change_plan", estimate.task.project)
    with transaction.atomic():
        estimate.delete()


# ---- forecast profile ----------------------------------------------------------------------------


def forecast_profile(project: Project) -> ForecastProfile:
    """The project's profile; an unsaved default when none was set."""
    found = ForecastProfile.objects.filter(project=project).first()
    return found or ForecastProfile(project=project)


def check_set_profile(user: Any, project: Project, data: Mapping[str, Any]) -> ForecastProfile:
    require(user, "change_plan", project)
    with transaction.atomic():
        return validate_and_save(assign_fields(forecast_profile(project), data, PROFILE_FIELDS))


# ---- closed-project history ----------------------------------------------------------------------


def may_read_outcomes(user: Any) -> bool:
    return bool(may_create_projects(user))


def visible_outcomes(user: Any) -> QuerySet[ProjectOutcome]:
    if not user.is_authenticated or not may_read_outcomes(user):
        return ProjectOutcome.objects.none()
    return ProjectOutcome.objects.all()


def access_outcome(user: Any, outcome_id: int) -> ProjectOutcome:
    return one_visible(visible_outcomes(user), outcome_id, "outcome")


def _check_outcome_project(data: Mapping[str, Any], outcome: ProjectOutcome | None) -> None:
    project_id = data.get("project_id")
    if project_id is None:
        return
    if not Project.objects.filter(pk=project_id).exists():
        raise Invalid(f"project_id: no project with id {project_id}", field="project_id")
    taken = ProjectOutcome.objects.filter(project_id=project_id)
    if outcome is not None:
        taken = taken.exclude(pk=outcome.pk)
    if taken.exists():
        raise Invalid(f"project_id: project {project_id} already has an outcome", field="project_id")


def check_create_outcome(user: Any, data: Mapping[str, Any]) -> ProjectOutcome:
    require_superuser(user, "record project outcomes")
    _check_outcome_project(data, None)
    with transaction.atomic():
        return validate_and_save(assign_fields(ProjectOutcome(recorded_by=user), data, OUTCOME_FIELDS))


def check_update_outcome(user: Any, outcome: ProjectOutcome, data: Mapping[str, Any]) -> ProjectOutcome:
    require_superuser(user, "correct project outcomes")
    _check_outcome_project(data, outcome)
    with transaction.atomic():
        return validate_and_save(assign_fields(outcome, data, OUTCOME_FIELDS))


def check_delete_outcome(user: Any, outcome: ProjectOutcome) -> None:
    require_superuser(user, "delete project outcomes")
    with transaction.atomic():
        outcome.delete()


def check_record_outcome(user: Any, project: Project) -> ProjectOutcome:
    """A manager records (or records again) what the project took, from its plan and progress."""
    require(user, "change_project", project)
    return do_record_outcome(project, user)


@transaction.atomic
def do_record_outcome(project: Project, user: Any = None, closed_on: dt.date | None = None) -> ProjectOutcome:
    """Store the closed project's planned and actual duration, cost and scope; called by the
    portfolio service when a project's status becomes closed. Recording again updates the row."""
    from itpm.governance.outcomes import measured_outcome  # reads planning and finance

    outcome = ProjectOutcome.objects.filter(project=project).first() or ProjectOutcome(project=project)
    values = measured_outcome(project, closed_on)
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.project_type = forecast_profile(project).project_type
    if outcome.recorded_by_id is None and user is not None and user.is_authenticated:
        outcome.recorded_by = user
    return validate_and_save(outcome)


def estimates_of(user: Any, project: Project) -> dict[int, TaskEstimate]:
    """The project's estimates by task id, for the pages."""
    tasks = project_tasks(user, project)
    return {e.task_id: e for e in TaskEstimate.objects.filter(task__in=tasks)}


# ---- what the risk page shows --------------------------------------------------------------------

CATEGORY_CHOICES = RiskCategory.choices
STATUS_CHOICES = RiskStatus.choices
PROJECT_TYPE_CHOICES = ProjectType.choices
UNCERTAINTY_CHOICES = Uncertainty.choices


@dataclass(frozen=True)
class RiskRegister:
    project: Project
    risks: list[Risk]
    may_edit: bool
    show_cost: bool
    role_label: str
    owners: list[tuple[int, str]]
    tasks: list[tuple[int, str]]

    @property
    def open_risks(self) -> list[Risk]:
        return [risk for risk in self.risks if risk.status == RiskStatus.OPEN]


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def risk_register(user: Any, code: str) -> RiskRegister:
    project = access_project_by_code(user, code, "view_all_tasks")
    may_edit = can(user, "change_plan", project)
    members = project.memberships.select_related("user").order_by("user__last_name", "user__username")
    leaves = project.tasks.filter(is_summary=False).order_by("order", "id")
    return RiskRegister(
        project=project,
        risks=list(project_risks(user, project)),
        may_edit=may_edit,
        show_cost=can(user, "view_budget", project),
        role_label=project_role_label(user, project),
        owners=[(m.user_id, _person(m.user)) for m in members] if may_edit else [],
        tasks=[(t.pk, f"{t.wbs_code} {t.name}".strip()) for t in leaves] if may_edit else [],
    )
