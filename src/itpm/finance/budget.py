"""Budget against actual, committed and forecast cost: per category for a project, and per
project for a portfolio in the portfolio's currency.

Forecast per category is bottom-up: actual + committed + the planned cost of the work not yet
done (each task's planned cost × (1 − percent complete), purchases not yet ordered). Reserves
(contingency, management reserve) are budget only. Labour counts as CAPEX in the proportion the
labour budget lines are CAPEX (OPEX when there are none); purchases and fixed costs carry their
own type. Budget lines in another currency are converted on the status date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from itpm.engine import evm
from itpm.finance.costs import Inputs, ProjectMoney, project_money
from itpm.finance.earned import EarnedValueReport, finished_on, project_earned_value
from itpm.finance.inputs import collector_paused
from itpm.finance.models import BudgetLine, Category, CostType
from itpm.finance.rates import ExchangeTable
from itpm.finance.services import access_money_project, money_projects
from itpm.portfolio.models import Portfolio, Program, Project
from itpm.portfolio.services import access_portfolio, access_program, visible_projects
from itpm.timesheets.services import approved_time

ZERO = Decimal(0)
RESERVES = frozenset({Category.CONTINGENCY.value, Category.MANAGEMENT_RESERVE.value})


@dataclass(frozen=True)
class CategoryLine:
    category: str
    label: str
    budget: Decimal
    planned: Decimal
    actual: Decimal
    committed: Decimal
    forecast: Decimal

    @property
    def variance(self) -> Decimal:
        """Budget − forecast: negative is an overrun."""
        return self.budget - self.forecast

    @property
    def is_reserve(self) -> bool:
        return self.category in RESERVES


@dataclass(frozen=True)
class TypeSplit:
    cost_type: str
    budget: Decimal
    actual: Decimal


@dataclass(frozen=True)
class BudgetSummary:
    project: Project
    currency: str
    status_date: dt.date
    lines: list[CategoryLine]
    total: CategoryLine
    split: list[TypeSplit]
    approved_budget: Decimal  # Project.budget, the figure on the project record
    budget_lines: list[BudgetLine]
    missing_rates: list[str]


def budget_summary(user: Any, project_id: int, today: dt.date | None = None) -> BudgetSummary:
    project = access_money_project(user, project_id)
    return project_budget(project, today)


@collector_paused
def project_budget(project: Project, today: dt.date | None = None) -> BudgetSummary:
    inputs = Inputs.load(project, approved_time(project.pk))
    status = project.status_date or finished_on(inputs) or today or dt.date.today()
    money = project_money(project, status_date=status, inputs=inputs)
    fx = inputs.fx
    lines = list(project.budget_lines.all())
    budget, budget_type, missing = _budget_by(lines, project.currency, status, fx)
    rows = [_category_line(value, label, budget, money) for value, label in Category.choices]
    missing |= money.missing_rates
    return BudgetSummary(
        project=project,
        currency=project.currency,
        status_date=status,
        lines=rows,
        total=_total(rows),
        split=_split(budget_type, money),
        approved_budget=project.budget,
        budget_lines=lines,
        missing_rates=sorted(f"{a}→{b}" for a, b in missing),
    )


def _budget_by(
    lines: list[BudgetLine], currency: str, day: dt.date, fx: ExchangeTable
) -> tuple[dict[str, Decimal], dict[tuple[str, str], Decimal], set[tuple[str, str]]]:
    """Budget by category and by (category, type), in the project currency."""
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    by_type: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    missing: set[tuple[str, str]] = set()
    for line in lines:
        amount = fx.convert(line.amount, line.currency, currency, day)
        if amount is None:
            missing.add((line.currency, currency))
            continue
        by_category[line.category] += amount
        by_type[(line.category, line.cost_type)] += amount
    return by_category, by_type, missing


def _category_line(
    category: str, label: str, budget: dict[str, Decimal], money: ProjectMoney
) -> CategoryLine:
    tasks = money.tasks.values()
    planned = sum((t.planned_by_category.get(category, ZERO) for t in tasks), ZERO)
    planned += money.purchases_planned_by_category.get(category, ZERO)
    actual = sum((t.actual_by_category.get(category, ZERO) for t in tasks), ZERO)
    actual += money.purchases_actual_by_category.get(category, ZERO)
    committed = money.committed_by_category.get(category, ZERO)
    to_do = sum((t.remaining_by_category.get(category, ZERO) for t in tasks), ZERO)
    to_do += money.purchases_to_order_by_category.get(category, ZERO)
    forecast = ZERO if category in RESERVES else actual + committed + to_do
    return CategoryLine(
        category, str(label), budget.get(category, ZERO), planned, actual, committed, forecast
    )


def _total(rows: list[CategoryLine]) -> CategoryLine:
    def total(name: str) -> Decimal:
        return sum((getattr(row, name) for row in rows), ZERO)

    return CategoryLine(
        "total",
        "Total",
        total("budget"),
        total("planned"),
        total("actual"),
        total("committed"),
        total("forecast"),
    )


def _split(budget_type: dict[tuple[str, str], Decimal], money: ProjectMoney) -> list[TypeSplit]:
    labour_budget = sum((v for (c, _), v in budget_type.items() if c == Category.LABOUR), ZERO)
    labour_capex = budget_type.get((Category.LABOUR, CostType.CAPEX), ZERO)
    capex_share = labour_capex / labour_budget if labour_budget else ZERO
    actual: dict[str, Decimal] = defaultdict(Decimal)
    for item in [*(t.actual_by_type for t in money.tasks.values()), money.purchases_actual_by_type]:
        for key, amount in item.items():
            if key == Category.LABOUR:
                actual[CostType.CAPEX] += amount * capex_share
                actual[CostType.OPEX] += amount * (1 - capex_share)
            else:
                actual[key] += amount
    return [
        TypeSplit(
            str(label), sum((v for (_, t), v in budget_type.items() if t == value), ZERO), actual[value]
        )
        for value, label in CostType.choices
    ]


# ---- the portfolio -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectLine:
    """One project in the portfolio's currency; `rate_missing` when it could not be converted."""

    project: Project
    budget: Decimal
    measures: evm.Measures
    indicators: evm.EarnedValue
    eac: Decimal | None
    committed: Decimal
    rate_missing: bool


@dataclass(frozen=True)
class PortfolioBudget:
    portfolio: Portfolio
    currency: str
    lines: list[ProjectLine]
    total_budget: Decimal
    total: evm.Measures
    indicators: evm.EarnedValue
    total_eac: Decimal
    total_committed: Decimal
    hidden_projects: int  # visible projects whose money the user may not see
    program: Program | None = None  # a program's roll-up, in its portfolio's currency


def portfolio_budget(user: Any, portfolio_id: int, today: dt.date | None = None) -> PortfolioBudget:
    portfolio = access_portfolio(user, portfolio_id)
    return _rolled_up(user, portfolio, portfolio.projects.all(), today)


def program_budget(user: Any, program_id: int, today: dt.date | None = None) -> PortfolioBudget:
    """A program's projects rolled up like a portfolio's, in the currency of the program's
    portfolio (a program keeps no currency of its own)."""
    program = access_program(user, program_id)
    rolled = _rolled_up(user, program.portfolio, program.projects.all(), today)
    return replace(rolled, program=program)


def _rolled_up(
    user: Any, portfolio: Portfolio, scope: QuerySet[Project], today: dt.date | None
) -> PortfolioBudget:
    projects = list(
        money_projects(user).filter(pk__in=scope.values("pk")).select_related("calendar").order_by("code")
    )
    visible = scope.filter(pk__in=visible_projects(user).values("pk")).count()
    fx = ExchangeTable.load()
    lines = [_project_line(p, portfolio.currency, fx, today) for p in projects]
    counted = [line for line in lines if not line.rate_missing]
    total = evm.roll_up(line.measures for line in counted)
    return PortfolioBudget(
        portfolio=portfolio,
        currency=portfolio.currency,
        lines=lines,
        total_budget=sum((line.budget for line in counted), ZERO),
        total=total,
        indicators=total.earned_value(),
        total_eac=sum((line.eac if line.eac is not None else line.measures.bac for line in counted), ZERO),
        total_committed=sum((line.committed for line in counted), ZERO),
        hidden_projects=visible - len(projects),
    )


def _project_line(project: Project, currency: str, fx: ExchangeTable, today: dt.date | None) -> ProjectLine:
    report = project_earned_value(project, "month", today)
    day = report.status_date
    rate = fx.rate(project.currency, currency, day)
    lines = list(project.budget_lines.all())
    own_budget, _, missing = _budget_by(lines, project.currency, day, fx)
    budget = sum(own_budget.values(), ZERO) if lines else project.budget
    if rate is None or missing:
        zero = evm.Measures()
        return ProjectLine(project, ZERO, zero, zero.earned_value(), None, ZERO, True)
    return _converted(project, report, budget, rate)


def _converted(project: Project, report: EarnedValueReport, budget: Decimal, rate: Decimal) -> ProjectLine:
    ind = report.indicators
    measures = evm.Measures(pv=ind.pv * rate, ev=ind.ev * rate, ac=ind.ac * rate, bac=ind.bac * rate)
    eac = ind.eac * rate if ind.eac is not None else None
    return ProjectLine(
        project, budget * rate, measures, measures.earned_value(), eac, report.committed * rate, False
    )
