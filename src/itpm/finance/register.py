"""What the project's Costs page shows: its purchases with their totals per status, and the fixed
costs of its tasks, with whether the user may change them. Same visibility as the API: the money
of a project is read by roles that see its budget and changed by those who change the project.

Totals are in the project's currency, each purchase converted on its own date (as the budget and
earned value count it); a purchase whose currency has no rate is left out of the totals and named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from itpm.core.errors import NotFound
from itpm.finance.models import (
    ACTUAL_STATUSES,
    SPENDING,
    Accrual,
    CostType,
    FixedCost,
    Purchase,
    PurchaseStatus,
)
from itpm.finance.rates import ExchangeTable
from itpm.finance.services import (
    CHANGE,
    VIEW,
    access_fixed_cost,
    access_purchase,
    visible_fixed_costs,
    visible_purchases,
)
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project_by_code, project_role_label

ZERO = Decimal(0)

# Choices for the page's forms, which may not import the models.
SPENDING_CATEGORIES = SPENDING
COST_TYPES = CostType.choices
PURCHASE_STATUSES = PurchaseStatus.choices
ACCRUALS = Accrual.choices

# Received, invoiced or paid: spent (finance.models.ACTUAL_STATUSES, as plain values).
_ACTUAL = frozenset(str(status) for status in ACTUAL_STATUSES)


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class CostRegister:
    project: Project
    role_label: str
    may_edit: bool
    purchases: list[Purchase]
    fixed_costs: list[FixedCost]
    by_status: list[StatusTotal]
    purchases_total: Decimal
    fixed_total: Decimal
    missing_rates: list[str]  # "USD→EUR": purchases or costs left out of the totals
    tasks: list[tuple[int, str]]  # the leaf tasks a cost may be put on, for the forms

    @property
    def spent(self) -> Decimal:
        """Received, invoiced or paid: the purchases' actual cost."""
        return sum((t.amount for t in self.by_status if t.status in _ACTUAL), ZERO)


def cost_register(user: Any, code: str) -> CostRegister:
    return project_costs(user, access_project_by_code(user, code, VIEW))


def project_costs(user: Any, project: Project) -> CostRegister:
    """The register of a project the caller already fetched with access (VIEW) checked."""
    purchases = list(
        visible_purchases(user).filter(project=project).select_related("task").order_by("date", "id")
    )
    fixed = list(
        visible_fixed_costs(user)
        .filter(task__project=project)
        .select_related("task")
        .order_by("task__order", "task_id", "id")
    )
    fx, missing = ExchangeTable.load(), set[str]()
    by_status = _status_totals(project, purchases, fx, missing)
    fixed_total = sum((_converted(project, c, _task_day(project, c), fx, missing) for c in fixed), ZERO)
    may_edit = can(user, CHANGE, project)
    return CostRegister(
        project=project,
        role_label=project_role_label(user, project),
        may_edit=may_edit,
        purchases=purchases,
        fixed_costs=fixed,
        by_status=by_status,
        purchases_total=sum((t.amount for t in by_status), ZERO),
        fixed_total=fixed_total,
        missing_rates=sorted(missing),
        tasks=_leaf_tasks(project) if may_edit else [],
    )


def _status_totals(
    project: Project, purchases: list[Purchase], fx: ExchangeTable, missing: set[str]
) -> list[StatusTotal]:
    totals = []
    for status, label in PurchaseStatus.choices:
        mine = [p for p in purchases if p.status == status]
        amount = sum((_converted(project, p, p.date, fx, missing) for p in mine), ZERO)
        totals.append(StatusTotal(status, str(label), len(mine), amount))
    return totals


def _task_day(project: Project, cost: FixedCost) -> dt.date:
    """A fixed cost is converted on its task's start (the plan's start while unscheduled)."""
    return cost.task.start or project.planned_start


def _converted(
    project: Project, item: Purchase | FixedCost, day: dt.date, fx: ExchangeTable, missing: set[str]
) -> Decimal:
    amount = fx.convert(item.amount, item.currency, project.currency, day)
    if amount is None:
        missing.add(f"{item.currency}→{project.currency}")
        return ZERO
    return amount


def _leaf_tasks(project: Project) -> list[tuple[int, str]]:
    leaves = project.tasks.filter(is_summary=False).order_by("order", "id")
    return [(t.pk, f"{t.wbs_code} {t.name}".strip()) for t in leaves]


def access_project_purchase(user: Any, project: Project, pk: int) -> Purchase:
    """A purchase of this project (404 for one of another project, or one the user may not see)."""
    purchase = access_purchase(user, pk)
    if purchase.project_id != project.pk:
        raise NotFound("purchase")
    return purchase


def access_project_fixed_cost(user: Any, project: Project, pk: int) -> FixedCost:
    cost = access_fixed_cost(user, pk)
    if cost.task.project_id != project.pk:
        raise NotFound("fixed cost")
    return cost
