"""Money the simulation needs from finance: each task's planned cost and a project's actual cost.

Finance owns cost rates, fixed costs and actuals; this module is the one place governance asks
for them, so the simulation and the closed-project record agree on what a task costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from itpm.portfolio.models import Project


@dataclass(frozen=True)
class PlannedCosts:
    """Planned cost per task id: labour (paid by the day, so it grows with the duration) and
    fixed (it does not); `source` says where the figures came from, for the page."""

    labour: dict[int, Decimal] = field(default_factory=dict)
    fixed: dict[int, Decimal] = field(default_factory=dict)
    source: str = ""

    @property
    def known(self) -> bool:
        return bool(self.labour or self.fixed)


def planned_task_costs(project: Project) -> PlannedCosts:
    """Each task's planned cost from finance; empty (cost 0) when finance has nothing to say."""
    return PlannedCosts()


def actual_cost(project: Project) -> Decimal | None:
    """The project's actual cost to date from finance; None when it is not known."""
    return None
