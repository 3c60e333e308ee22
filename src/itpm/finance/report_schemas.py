"""OpenAPI shapes of the finance reports (reports.py builds the data)."""

import datetime as dt
from decimal import Decimal

from ninja import Schema


class RagOut(Schema):
    cpi: str
    spi: str
    tcpi: str


class IndicatorsOut(Schema):
    pv: Decimal
    ev: Decimal
    ac: Decimal
    bac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac_atypical: Decimal
    eac_cpi: Decimal | None
    eac_cpi_spi: Decimal | None
    eac_bottom_up: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi_bac: Decimal | None
    tcpi_eac: Decimal | None
    percent_complete: Decimal | None
    percent_spent: Decimal | None
    rag: RagOut


class EarnedScheduleOut(Schema):
    es: Decimal
    actual_time: Decimal
    planned_duration: Decimal
    spi_t: Decimal | None
    sv_t: Decimal
    ieac_t: Decimal | None
    earned_date: dt.date | None
    forecast_finish: dt.date | None
    rag: str


class PointOut(Schema):
    date: dt.date
    pv: Decimal
    current: Decimal
    ev: Decimal | None
    ac: Decimal | None


class RowOut(Schema):
    level: int
    wbs_code: str
    name: str
    percent_complete: int | None
    pv: Decimal
    ev: Decimal
    ac: Decimal
    bac: Decimal
    cpi: Decimal | None
    spi: Decimal | None


class EarnedValueOut(Schema):
    project_id: int
    currency: str
    period: str
    status_date: dt.date
    baseline: str | None
    planned_finish: dt.date | None
    committed: Decimal
    eac_bottom_up: Decimal
    indicators: IndicatorsOut
    earned_schedule: EarnedScheduleOut | None
    series: list[PointOut]
    rows: list[RowOut]
    missing_rates: list[str]


class CategoryOut(Schema):
    category: str
    label: str
    budget: Decimal
    planned: Decimal
    actual: Decimal
    committed: Decimal
    forecast: Decimal
    variance: Decimal


class CostTypeOut(Schema):
    cost_type: str
    budget: Decimal
    actual: Decimal


class BudgetOut(Schema):
    project_id: int
    currency: str
    status_date: dt.date
    approved_budget: Decimal
    categories: list[CategoryOut]
    total: CategoryOut
    cost_types: list[CostTypeOut]
    missing_rates: list[str]


class PortfolioProjectOut(IndicatorsOut):
    project_id: int
    code: str
    name: str
    project_currency: str
    converted: bool
    budget: Decimal
    committed: Decimal


class PortfolioBudgetOut(Schema):
    portfolio_id: int
    currency: str
    projects: list[PortfolioProjectOut]
    total_budget: Decimal
    total_eac: Decimal
    total_committed: Decimal
    total: IndicatorsOut
    hidden_projects: int


class ProgramBudgetOut(PortfolioBudgetOut):
    program_id: int
    program: str


class BaselineChoiceOut(Schema):
    project_id: int
    baseline_id: int | None
    chosen: bool
