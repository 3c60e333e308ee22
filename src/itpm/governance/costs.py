"""Money the simulation needs from finance: each task's planned cost and a project's actual cost.

Finance owns cost rates, fixed costs, purchases and actuals (itpm.finance.costs); this module is
the one place governance asks for them, so the simulation and the closed-project record agree
with the Budget page on what a task costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from itpm.finance.costs import project_money
from itpm.finance.models import Category
from itpm.portfolio.models import Project
from itpm.timesheets.services import approved_time

ZERO = Decimal(0)
SOURCE = "finance: the costed schedule (labour at the resources' rates, fixed costs) and purchases"
ACTUALS = "; work done at its actual cost (approved time)"


@dataclass(frozen=True)
class PlannedCosts:
    """Planned cost per task id: labour (paid by the day, so it grows with the duration) and
    fixed (it does not); purchases not tied to a task are the project's own fixed cost.
    `source` says where the figures came from, for the page; empty when there are none."""

    labour: dict[int, Decimal] = field(default_factory=dict)
    fixed: dict[int, Decimal] = field(default_factory=dict)
    project_fixed: Decimal = ZERO
    source: str = ""
    # Labour actually spent per task (approved time at the rates of the day), when the project
    # books time at all: the simulation then counts work done at what it cost, not at plan.
    actual_labour: dict[int, Decimal] | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.labour.values(), ZERO) + sum(self.fixed.values(), ZERO) + self.project_fixed


def planned_task_costs(project: Project) -> PlannedCosts:
    """Each task's planned cost from finance; empty (cost 0) when finance has nothing to say."""
    approved = approved_time(project.pk)
    money = project_money(project, approved=approved)
    labour = {pk: item.planned_by_category.get(Category.LABOUR, ZERO) for pk, item in money.tasks.items()}
    fixed = {pk: max(item.bac - labour[pk], ZERO) for pk, item in money.tasks.items()}  # no rounding dust
    purchases = sum(money.purchase_planned.values(), ZERO)
    spent = {pk: item.actual_by_category.get(Category.LABOUR, ZERO) for pk, item in money.tasks.items()}
    costs = PlannedCosts(labour, fixed, purchases)
    if not costs.total:
        return PlannedCosts()
    return PlannedCosts(
        labour, fixed, purchases, SOURCE + ACTUALS if approved else SOURCE, spent if approved else None
    )


def actual_cost(project: Project) -> Decimal | None:
    """The project's actual cost to date from finance (approved time, fixed costs incurred,
    purchases received); None when nothing has been spent, as a closed project's cost is then
    not known rather than nought."""
    money = project_money(project, approved=approved_time(project.pk))
    spent = sum(money.actual().values(), ZERO)
    return spent.quantize(Decimal("0.01")) if spent else None
