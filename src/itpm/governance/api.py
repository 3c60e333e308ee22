"""REST routes for quantified risks, three-point estimates, forecast profiles and the history of
closed projects; running a Monte Carlo simulation, reading the latest run, and the
reference-class forecast."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Router, Schema, Status
from pydantic import StrictBool, field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud
from itpm.core.errors import NotFound
from itpm.governance import forecasting, services
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
    correlation: Decimal = Field(description="How strongly tasks of one kind of work move together, 0–0.95.")


class ProfileIn(InputSchema):
    project_type: ProjectType | None = None
    uncertainty: Uncertainty | None = None
    correlation: Decimal | None = Field(None, ge=0, le=Decimal("0.95"), max_digits=3, decimal_places=2)

    _no_nulls = field_validator("project_type", "uncertainty", "correlation")(_not_null)


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


# ---- Monte Carlo runs and the reference-class forecast --------------------------------------------


class SimulationIn(InputSchema):
    iterations: int = Field(10_000, description="Number of simulated runs, 100 to the configured cap.")
    seed: int | None = Field(None, description="The same seed gives the same figures; empty: a new one.")
    deadline: dt.date | None = Field(None, description="Empty: the project's planned finish.")
    budget: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="Empty: the budget."
    )
    level: StrictBool = Field(  # strict: "yes" or 1 is refused, not read as true
        False, description="True: level each run against the people assigned (a resource-driven plan)."
    )


class SimulationOut(Schema):
    id: int
    project_id: int
    iterations: int
    seed: int
    parameters: dict[str, Any]
    results: dict[str, Any] = Field(description="Percentiles, histograms, chances, criticality, tornado.")
    elapsed_ms: int
    created_at: dt.datetime
    created_by: str | None

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_results(obj: Any, context: dict[str, Any]) -> dict[str, Any]:
        user = acting_user(context["request"])
        return forecasting.results_for(user, obj)


@router.post("/projects/{project_id}/simulations", response={201: SimulationOut}, tags=["forecasts"])
def run_simulation(request: HttpRequest, project_id: int, payload: SimulationIn) -> Any:
    """Simulate the project's schedule and cost (Monte Carlo) and store the run."""
    user = acting_user(request)
    project = access_project(user, project_id)
    return Status(201, forecasting.check_run_simulation(user, project, payload.dict(exclude_unset=True)))


@router.get("/projects/{project_id}/simulations/latest", response=SimulationOut, tags=["forecasts"])
def read_latest_simulation(request: HttpRequest, project_id: int) -> Any:
    user = acting_user(request)
    run = forecasting.latest_run(user, access_project(user, project_id))
    if run is None:
        raise NotFound("simulation run")
    return run


@router.get("/projects/{project_id}/simulations/{run_id}", response=SimulationOut, tags=["forecasts"])
def read_simulation(request: HttpRequest, project_id: int, run_id: int) -> Any:
    user = acting_user(request)
    return forecasting.access_run(user, access_project(user, project_id), run_id)


class CertaintyOut(Schema):
    label: str
    level: int
    schedule_uplift: Decimal | None
    finish: dt.date | None
    cost_uplift: Decimal | None = Field(description="Null when your role may not see the budget.")
    budget: Decimal | None


class ReferenceOut(Schema):
    project_id: int
    project_type: ProjectType
    schedule_count: int = Field(description="Closed projects of the class with durations.")
    cost_count: int
    schedule_overruns: dict[str, Decimal] = Field(description="P10…P90 of actual ÷ planned − 1.")
    cost_overruns: dict[str, Decimal]
    certainties: list[CertaintyOut]
    note: str


@router.get("/projects/{project_id}/reference-forecast", response=ReferenceOut, tags=["forecasts"])
def read_reference_forecast(request: HttpRequest, project_id: int) -> Any:
    """What closed projects of the same type did, and the uplift for P50/P80/P90."""
    user = acting_user(request)
    project = access_project(user, project_id)
    reference = forecasting.reference_for(user, project)
    return {
        **vars(reference),
        "project_id": project.pk,
        "schedule_overruns": dict(reference.schedule_overruns),
        "cost_overruns": dict(reference.cost_overruns),
    }
