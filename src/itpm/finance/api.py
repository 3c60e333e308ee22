"""REST routes for money: cost rates, fixed costs, purchases, budget lines and exchange rates
(CRUD), and the read-only budget summary, earned value series and portfolio roll-up."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud
from itpm.finance import report_schemas as out
from itpm.finance import reports, services
from itpm.finance.models import Accrual, Category, CostType, PurchaseStatus

router = Router()

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. EUR")]
Spending = Literal["labour", "hardware", "software", "services"]


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


# ---- budget lines ------------------------------------------------------------------------------


class BudgetLineOut(Schema):
    id: int
    project_id: int
    category: Category
    cost_type: CostType
    description: str
    amount: Decimal
    currency: str


class BudgetLineFields(InputSchema):
    category: Category | None = None
    cost_type: CostType | None = None
    description: str | None = Field(None, max_length=300)
    amount: Money | None = None
    currency: Currency | None = None

    _no_nulls = field_validator("category", "cost_type", "description", "amount", "currency")(_not_null)


class BudgetLineIn(BudgetLineFields):
    project_id: int
    category: Category
    amount: Money


class ProjectFilter(FilterSchema):
    project_id: int | None = None


class BudgetLineFilter(ProjectFilter):
    category: Category | None = None
    cost_type: CostType | None = None


# ---- purchases ---------------------------------------------------------------------------------


class PurchaseOut(Schema):
    id: int
    project_id: int
    task_id: int | None
    description: str
    category: str
    cost_type: CostType
    supplier: str
    date: dt.date
    amount: Decimal
    currency: str
    status: PurchaseStatus
    reference: str


class PurchaseFields(InputSchema):
    task_id: int | None = None
    description: str | None = Field(None, min_length=1, max_length=300)
    category: Spending | None = None
    cost_type: CostType | None = None
    supplier: str | None = Field(None, max_length=200)
    date: dt.date | None = None
    amount: Money | None = None
    currency: Currency | None = None
    status: PurchaseStatus | None = None
    reference: str | None = Field(None, max_length=100)

    _no_nulls = field_validator(
        "description",
        "category",
        "cost_type",
        "supplier",
        "date",
        "amount",
        "currency",
        "status",
        "reference",
    )(_not_null)


class PurchaseIn(PurchaseFields):
    project_id: int
    description: str = Field(..., min_length=1, max_length=300)
    date: dt.date
    amount: Money


class PurchaseFilter(ProjectFilter):
    status: PurchaseStatus | None = None
    category: Spending | None = None
    supplier: Annotated[str | None, FilterLookup(q="supplier__icontains")] = None


# ---- fixed costs -------------------------------------------------------------------------------


class FixedCostOut(Schema):
    id: int
    task_id: int
    name: str
    category: str
    cost_type: CostType
    amount: Decimal
    currency: str
    accrual: Accrual


class FixedCostFields(InputSchema):
    task_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    category: Spending | None = None
    cost_type: CostType | None = None
    amount: Money | None = None
    currency: Currency | None = None
    accrual: Accrual | None = None

    _no_nulls = field_validator("task_id", "name", "category", "cost_type", "amount", "currency", "accrual")(
        _not_null
    )


class FixedCostIn(FixedCostFields):
    task_id: int
    name: str = Field(..., min_length=1, max_length=200)
    amount: Money


class FixedCostFilter(FilterSchema):
    task_id: int | None = None
    project_id: Annotated[int | None, FilterLookup(q="task__project_id")] = None


# ---- cost rates and exchange rates -------------------------------------------------------------


class CostRateOut(Schema):
    id: int
    resource_id: int | None
    role: str
    standard_rate: Decimal
    overtime_rate: Decimal | None
    currency: str
    effective_from: dt.date


class CostRateFields(InputSchema):
    resource_id: int | None = None
    role: str | None = Field(None, max_length=100)
    standard_rate: Money | None = None
    overtime_rate: Money | None = None
    currency: Currency | None = None
    effective_from: dt.date | None = None

    _no_nulls = field_validator("role", "standard_rate", "currency", "effective_from")(_not_null)


class CostRateIn(CostRateFields):
    standard_rate: Money
    effective_from: dt.date


class CostRateFilter(FilterSchema):
    resource_id: int | None = None
    role: Annotated[str | None, FilterLookup(q="role__iexact")] = None


class ExchangeRateOut(Schema):
    id: int
    base_currency: str
    quote_currency: str
    rate: Decimal
    effective_from: dt.date


Rate = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)]


class ExchangeRateFields(InputSchema):
    base_currency: Currency | None = None
    quote_currency: Currency | None = None
    rate: Rate | None = None
    effective_from: dt.date | None = None

    _no_nulls = field_validator("base_currency", "quote_currency", "rate", "effective_from")(_not_null)


class ExchangeRateIn(ExchangeRateFields):
    base_currency: Currency
    quote_currency: Currency
    rate: Rate
    effective_from: dt.date


class ExchangeRateFilter(FilterSchema):
    base_currency: str | None = None
    quote_currency: str | None = None


def _crud(name: str, **parts: Any) -> None:
    add_crud(router, f"/{name}", Crud(name=name.replace("-", "_"), **parts))


_crud(
    "budget-lines",
    out=BudgetLineOut,
    create_in=BudgetLineIn,
    update_in=BudgetLineFields,
    filters=BudgetLineFilter,
    visible=services.visible_budget_lines,
    access=services.access_budget_line,
    create=services.check_create_budget_line,
    update=services.check_update_budget_line,
    delete=services.check_delete_budget_line,
)
_crud(
    "purchases",
    out=PurchaseOut,
    create_in=PurchaseIn,
    update_in=PurchaseFields,
    filters=PurchaseFilter,
    visible=services.visible_purchases,
    access=services.access_purchase,
    create=services.check_create_purchase,
    update=services.check_update_purchase,
    delete=services.check_delete_purchase,
    order_by=("date", "id"),
)
_crud(
    "fixed-costs",
    out=FixedCostOut,
    create_in=FixedCostIn,
    update_in=FixedCostFields,
    filters=FixedCostFilter,
    visible=services.visible_fixed_costs,
    access=services.access_fixed_cost,
    create=services.check_create_fixed_cost,
    update=services.check_update_fixed_cost,
    delete=services.check_delete_fixed_cost,
)
_crud(
    "cost-rates",
    out=CostRateOut,
    create_in=CostRateIn,
    update_in=CostRateFields,
    filters=CostRateFilter,
    visible=services.visible_cost_rates,
    access=services.access_cost_rate,
    create=services.check_create_cost_rate,
    update=services.check_update_cost_rate,
    delete=services.check_delete_cost_rate,
    order_by=("resource_id", "role", "-effective_from", "id"),
)
_crud(
    "exchange-rates",
    out=ExchangeRateOut,
    create_in=ExchangeRateIn,
    update_in=ExchangeRateFields,
    filters=ExchangeRateFilter,
    visible=services.visible_exchange_rates,
    access=services.access_exchange_rate,
    create=services.check_create_exchange_rate,
    update=services.check_update_exchange_rate,
    delete=services.check_delete_exchange_rate,
    order_by=("base_currency", "quote_currency", "-effective_from", "id"),
)


# ---- reports -----------------------------------------------------------------------------------


class PeriodQuery(Schema):
    period: Literal["week", "month"] = "week"


class BaselineChoice(InputSchema):
    baseline_id: int | None = Field(..., description="A baseline of the project; null for the latest.")


@router.get("/projects/{project_id}/budget", response=out.BudgetOut, tags=["finance"])
def project_budget(request: HttpRequest, project_id: int) -> Any:
    """Budget, planned, actual, committed and forecast cost per category; CAPEX/OPEX split."""
    return reports.budget_json(acting_user(request), project_id)


@router.get("/projects/{project_id}/earned-value", response=out.EarnedValueOut, tags=["finance"])
def project_earned_value(request: HttpRequest, project_id: int, query: Query[PeriodQuery]) -> Any:
    """PV, EV and AC by status period; EVM and earned schedule indicators; per phase and task."""
    return reports.earned_value_json(acting_user(request), project_id, query.period)


@router.put("/projects/{project_id}/measurement-baseline", response=out.BaselineChoiceOut, tags=["finance"])
def choose_baseline(request: HttpRequest, project_id: int, payload: BaselineChoice) -> Any:
    """Choose the baseline earned value is measured against (null: the latest)."""
    return reports.choose_baseline_json(acting_user(request), project_id, payload.baseline_id)


@router.get("/portfolios/{portfolio_id}/budget", response=out.PortfolioBudgetOut, tags=["finance"])
def portfolio_budget(request: HttpRequest, portfolio_id: int) -> Any:
    """Each project whose money you may see, in the portfolio's currency, and the totals."""
    return reports.portfolio_json(acting_user(request), portfolio_id)


@router.get("/programs/{program_id}/budget", response=out.ProgramBudgetOut, tags=["finance"])
def program_budget(request: HttpRequest, program_id: int) -> Any:
    """The program's projects whose money you may see, in its portfolio's currency, and the totals."""
    return reports.program_json(acting_user(request), program_id)
