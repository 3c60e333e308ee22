"""REST routes for quantified risks, three-point estimates, forecast profiles and the history of
closed projects; running a Monte Carlo simulation, reading the latest run, and the
reference-class forecast."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Router, Schema, Status
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud
from itpm.governance import services
from itpm.governance.models import (
    Distribution,
    ProjectType,
    RiskCategory,
    RiskStatus,
    TaskCategory,
    Uncertainty,
)
from itpm.portfolio.services import access_project

router = Router()

Probability = Field(None, ge=0, le=1, max_digits=4, decimal_places=3, description="0 to 1")
Days = Field(None, ge=0, max_digits=8, decimal_places=2, description="Working days")
Money = Field(None, ge=0, max_digits=14, decimal_places=2)


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


# ---- risks -------------------------------------------------------------------------------------


class RiskOut(Schema):
    id: int
    project_id: int
    title: str
    description: str
    category: RiskCategory
    owner_id: int | None
    status: RiskStatus
    probability: Decimal
    schedule_optimistic_days: Decimal
    schedule_likely_days: Decimal
    schedule_pessimistic_days: Decimal
    cost_optimistic: Decimal
    cost_likely: Decimal
    cost_pessimistic: Decimal
    task_ids: list[int] = Field(description="Tasks whose duration the risk lengthens when it happens.")
    expected_delay_days: Decimal = Field(description="Probability × mean schedule impact.")
    expected_cost: Decimal = Field(description="Probability × mean cost impact.")

    @staticmethod
    def resolve_task_ids(obj: Any) -> list[int]:
        return sorted(task.pk for task in obj.tasks.all())


class RiskFields(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    category: RiskCategory | None = None
    owner_id: int | None = None
    status: RiskStatus | None = None
    probability: Decimal | None = Probability
    schedule_optimistic_days: Decimal | None = Days
    schedule_likely_days: Decimal | None = Days
    schedule_pessimistic_days: Decimal | None = Days
    cost_optimistic: Decimal | None = Money
    cost_likely: Decimal | None = Money
    cost_pessimistic: Decimal | None = Money
    task_ids: list[int] | None = None

    _no_nulls = field_validator(
        "title",
        "category",
        "status",
        "probability",
        "schedule_optimistic_days",
        "schedule_likely_days",
        "schedule_pessimistic_days",
        "cost_optimistic",
        "cost_likely",
        "cost_pessimistic",
    )(_not_null)


class RiskIn(RiskFields):
    project_id: int
    title: str = Field(..., min_length=1, max_length=200)
    probability: Decimal = Field(..., ge=0, le=1, max_digits=4, decimal_places=3)


class RiskFilter(FilterSchema):
    project_id: int | None = None
    status: RiskStatus | None = None
    category: RiskCategory | None = None
    search: Annotated[str | None, FilterLookup(q=["title__icontains", "description__icontains"])] = None


add_crud(
    router,
    "/risks",
    Crud(
        name="risks",
        out=RiskOut,
        create_in=RiskIn,
        update_in=RiskFields,
        filters=RiskFilter,
        visible=lambda user: services.visible_risks(user).prefetch_related("tasks"),
        access=services.access_risk,
        create=services.check_create_risk,
        update=services.check_update_risk,
        delete=services.check_delete_risk,
        order_by=("project_id", "-probability", "id"),
    ),
)


# ---- three-point estimates -----------------------------------------------------------------------


class EstimateOut(Schema):
    id: int
    task_id: int
    category: str = Field(description="Kind of work; its range applies without three points.")
    optimistic_days: Decimal | None
    most_likely_days: Decimal | None
    pessimistic_days: Decimal | None
    distribution: Distribution


class EstimatePatch(InputSchema):
    category: str | None = Field(None, max_length=20, description=f"One of {', '.join(TaskCategory.values)}.")
    optimistic_days: Decimal | None = Days
    most_likely_days: Decimal | None = Days
    pessimistic_days: Decimal | None = Days
    distribution: Distribution | None = None

    _no_nulls = field_validator("distribution", "category")(_not_null)


class EstimateIn(EstimatePatch):
    task_id: int


class EstimateFilter(FilterSchema):
    project_id: Annotated[int | None, FilterLookup(q="task__project_id")] = None
    task_id: int | None = None


add_crud(
    router,
    "/task-estimates",
    Crud(
        name="task-estimates",
        out=EstimateOut,
        create_in=EstimateIn,
        update_in=EstimatePatch,
        filters=EstimateFilter,
        visible=services.visible_estimates,
        access=services.access_estimate,
        create=services.check_create_estimate,
        update=services.check_update_estimate,
        delete=services.check_delete_estimate,
        order_by=("task_id",),
    ),
)


# ---- forecast profile ----------------------------------------------------------------------------


class ProfileOut(Schema):
    project_id: int
    project_type: ProjectType = Field(description="The reference class of past projects it is compared with.")
    uncertainty: Uncertainty = Field(description="Duration uncertainty of tasks without an estimate.")


class ProfileIn(InputSchema):
    project_type: ProjectType | None = None
    uncertainty: Uncertainty | None = None

    _no_nulls = field_validator("project_type", "uncertainty")(_not_null)


@router.get("/projects/{project_id}/forecast-profile", response=ProfileOut, tags=["forecasts"])
def read_profile(request: HttpRequest, project_id: int) -> Any:
    user = acting_user(request)
    return services.forecast_profile(access_project(user, project_id, "view_all_tasks"))


@router.put("/projects/{project_id}/forecast-profile", response=ProfileOut, tags=["forecasts"])
def set_profile(request: HttpRequest, project_id: int, payload: ProfileIn) -> Any:
    user = acting_user(request)
    project = access_project(user, project_id)
    return services.check_set_profile(user, project, payload.dict(exclude_unset=True))


# ---- closed-project history ----------------------------------------------------------------------


class OutcomeOut(Schema):
    id: int
    project_id: int | None
    name: str
    project_type: ProjectType
    planned_duration_days: int
    actual_duration_days: int
    planned_cost: Decimal
    actual_cost: Decimal | None
    currency: str
    scope_delivered_percent: Decimal
    closed_on: dt.date
    notes: str
    schedule_overrun: float = Field(description="Actual over planned duration, less one.")
    cost_overrun: float | None = Field(description="Actual over planned cost, less one; null if unknown.")


class OutcomePatch(InputSchema):
    project_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    project_type: ProjectType | None = None
    planned_duration_days: int | None = Field(None, ge=1)
    actual_duration_days: int | None = Field(None, ge=0)
    planned_cost: Decimal | None = Money
    actual_cost: Decimal | None = Money
    currency: str | None = Field(None, min_length=3, max_length=3)
    scope_delivered_percent: Decimal | None = Field(None, ge=0, le=200, max_digits=5, decimal_places=1)
    closed_on: dt.date | None = None
    notes: str | None = None

    _no_nulls = field_validator(
        "name",
        "project_type",
        "planned_duration_days",
        "actual_duration_days",
        "planned_cost",
        "currency",
        "scope_delivered_percent",
        "closed_on",
    )(_not_null)


class OutcomeIn(OutcomePatch):
    name: str = Field(..., min_length=1, max_length=200)
    project_type: ProjectType
    planned_duration_days: int = Field(..., ge=1)
    actual_duration_days: int = Field(..., ge=0)
    planned_cost: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    closed_on: dt.date


class OutcomeFilter(FilterSchema):
    project_type: ProjectType | None = None
    name: Annotated[str | None, FilterLookup(q="name__icontains")] = None


add_crud(
    router,
    "/project-outcomes",
    Crud(
        name="project-outcomes",
        out=OutcomeOut,
        create_in=OutcomeIn,
        update_in=OutcomePatch,
        filters=OutcomeFilter,
        visible=services.visible_outcomes,
        access=services.access_outcome,
        create=services.check_create_outcome,
        update=services.check_update_outcome,
        delete=services.check_delete_outcome,
        order_by=("-closed_on", "name"),
    ),
)


@router.post("/projects/{project_id}/outcome", response={201: OutcomeOut}, tags=["project-outcomes"])
def record_outcome(request: HttpRequest, project_id: int) -> Any:
    """Record (or record again) what the project planned and what it took, from its stored plan."""
    user = acting_user(request)
    return Status(201, services.check_record_outcome(user, access_project(user, project_id)))
