"""REST routes for baselines and the variance of the stored schedule against them.

Each route keeps the operation id it had when it lived in itpm.planning.api, so clients
generated from the OpenAPI document keep their method names."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from itpm.core.api import InputSchema, acting_user
from itpm.planning.services.baselines import (
    access_baseline,
    baseline_variance,
    check_delete_baseline,
    check_set_baseline,
    project_baselines,
)
from itpm.portfolio.services import access_project

router = Router()


class BaselineOut(Schema):
    id: int
    project_id: int
    name: str
    created_at: dt.datetime
    created_by: str | None

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class BaselineTaskOut(Schema):
    task_id: int | None = Field(description="Empty when the task has been deleted since.")
    wbs_code: str
    name: str
    start: dt.date | None
    finish: dt.date | None
    duration_days: Decimal


class BaselineDetailOut(BaselineOut):
    tasks: list[BaselineTaskOut]

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        return list(obj.tasks.order_by("id"))


class BaselineIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)


class TaskRefOut(Schema):
    task_id: int | None
    wbs_code: str
    name: str
    start: dt.date | None
    finish: dt.date | None


class TaskVarianceOut(Schema):
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
    start_variance_days: int | None = Field(description="Working days; positive = later than baselined.")
    finish_variance_days: int | None = Field(description="Working days; positive = later than baselined.")
    duration_variance_days: Decimal = Field(description="Working days; positive = longer than baselined.")


class VarianceOut(Schema):
    baseline: BaselineOut
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    start_variance_days: int | None
    finish_variance_days: int | None = Field(description="The project's finish, in working days.")
    tasks: list[TaskVarianceOut]
    added: list[TaskRefOut] = Field(description="Tasks created since the baseline was set.")
    removed: list[TaskRefOut] = Field(description="Baselined tasks that have since been deleted.")


@router.get(
    "/projects/{project_id}/baselines",
    response=list[BaselineOut],
    tags=["baselines"],
    operation_id="itpm_planning_api_list_baselines",
)
def list_baselines(request: HttpRequest, project_id: int) -> Any:
    user = acting_user(request)
    return list(project_baselines(user, access_project(user, project_id)))


@router.post(
    "/projects/{project_id}/baselines",
    response={201: BaselineDetailOut},
    tags=["baselines"],
    operation_id="itpm_planning_api_set_baseline",
)
def set_baseline(request: HttpRequest, project_id: int, payload: BaselineIn) -> Any:
    """Freeze a copy of every task's current dates and duration under a name."""
    user = acting_user(request)
    project = access_project(user, project_id)
    return Status(201, check_set_baseline(user, project, payload.name, created_by=user))


@router.get(
    "/baselines/{baseline_id}",
    response=BaselineDetailOut,
    tags=["baselines"],
    operation_id="itpm_planning_api_get_baseline",
)
def get_baseline(request: HttpRequest, baseline_id: int) -> Any:
    return access_baseline(acting_user(request), baseline_id)


@router.delete(
    "/baselines/{baseline_id}",
    response={204: None},
    tags=["baselines"],
    operation_id="itpm_planning_api_delete_baseline",
)
def delete_baseline(request: HttpRequest, baseline_id: int) -> Any:
    user = acting_user(request)
    check_delete_baseline(user, access_baseline(user, baseline_id))
    return Status(204, None)


@router.get(
    "/baselines/{baseline_id}/variance",
    response=VarianceOut,
    tags=["baselines"],
    operation_id="itpm_planning_api_read_variance",
)
def read_variance(request: HttpRequest, baseline_id: int) -> Any:
    """Each task's start, finish and duration now against the baseline, and the project's finish."""
    user = acting_user(request)
    return baseline_variance(user, access_baseline(user, baseline_id))
