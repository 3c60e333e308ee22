"""The Monte Carlo keys of itpm's native project file, read beside the plan itself.

Per task: `optimistic`, `most_likely`, `pessimistic` (working days), `distribution`
('triangular', 'pert' or 'fixed'), `category` (picks a default range when there is no
estimate) and `cost` (a fixed amount, or {"fixed": ..., "per_day": ...}). At the top: `risks`
and `correlations`. `parse_project` accepts and ignores these keys; `read_simulation` reads
them from the same text, checked key by key, each problem naming its JSON path as the rest of
the reader does. docs/file-formats.md describes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from itpm.engine.formats.errors import FormatError
from itpm.engine.formats.native import SIMULATION_TASK_KEYS
from itpm.engine.formats.project import ProjectFile
from itpm.engine.formats.values import MAX_DAYS, UNITS_PER_DAY, Values, finite
from itpm.engine.montecarlo_inputs import (
    DEFAULT_CATEGORY_RANGES,
    CorrelationGroup,
    RiskEvent,
    TaskCosts,
    ThreePoint,
    Uncertainty,
    task_uncertainty,
)
from itpm.engine.montecarlo_kernels import DISTRIBUTIONS

_COST_KEYS = ("fixed", "per_day")
_RISK_KEYS = ("id", "name", "probability", "tasks", "schedule_impact", "cost_impact")
_IMPACT_KEYS = ("optimistic", "most_likely", "pessimistic", "distribution")
_COST_IMPACT_KEYS = ("low", "most_likely", "high")
_CORRELATION_KEYS = ("tasks", "correlation")
MAX_MONEY = Decimal(10) ** 15


@dataclass(frozen=True)
class SimulationFile:
    """What a project file says for `itpm simulate`, by task index."""

    uncertainty: Uncertainty
    costs: TaskCosts | None
    risks: tuple[RiskEvent, ...]
    correlations: tuple[CorrelationGroup, ...]


def read_simulation(text: str, source: str, project: ProjectFile) -> SimulationFile:
    """The simulation keys of a native file whose plan `parse_project` read already."""
    document = json.loads(text, parse_float=Decimal, parse_constant=finite)
    reader = _Reader(Values(source), project)
    items = document.get("tasks", [])
    for number, item in enumerate(items):
        if isinstance(item, dict) and not item.keys().isdisjoint(SIMULATION_TASK_KEYS):
            reader.task(number, item, f"tasks[{number}]")
    risks = reader.values.sequence(document.get("risks", []), "risks")
    groups = reader.values.sequence(document.get("correlations", []), "correlations")
    return SimulationFile(
        uncertainty=reader.uncertainty(),
        costs=reader.costs(),
        risks=tuple(reader.risk(item, f"risks[{n}]") for n, item in enumerate(risks)),
        correlations=tuple(reader.correlation(item, f"correlations[{n}]") for n, item in enumerate(groups)),
    )


class _Reader:
    def __init__(self, values: Values, project: ProjectFile) -> None:
        self.values, self.project = values, project
        self.index = {task.id: number for number, task in enumerate(project.tasks)}
        self.estimates: dict[int, ThreePoint] = {}
        self.categories: list[str | None] = [None] * len(project.tasks)
        self.fixed: dict[int, Decimal] = {}
        self.rate: dict[int, Decimal] = {}
        self.grouped: set[int] = set()

    def task(self, number: int, fields: dict[str, Any], path: str) -> None:
        values = self.values
        if "category" in fields:
            self.categories[number] = values.text(fields["category"], f"{path}.category")
        kind = "triangular"
        if "distribution" in fields:
            kind = values.choice(fields["distribution"], f"{path}.distribution", DISTRIBUTIONS)
        if not {"optimistic", "most_likely", "pessimistic"}.isdisjoint(fields) or "distribution" in fields:
            self.estimates[number] = self._estimate(number, fields, path, kind)
        if "cost" in fields:
            self._cost(number, fields["cost"], f"{path}.cost")

    def _estimate(self, number: int, fields: dict[str, Any], path: str, kind: str) -> ThreePoint:
        """The three points given; without them, the category's range around the duration."""
        planned = self.project.tasks[number].duration
        given = {key: self._days(fields[key], f"{path}.{key}") for key in _IMPACT_KEYS[:3] if key in fields}
        if given and not {"optimistic", "pessimistic"} <= given.keys():
            missing = "optimistic" if "optimistic" not in given else "pessimistic"
            self.values.fail(f"{path}.{missing}", "is required with a three-point estimate")
        if not given:
            category = self.categories[number] or "default"
            low, high = DEFAULT_CATEGORY_RANGES.get(category, DEFAULT_CATEGORY_RANGES["default"])
            return ThreePoint(planned * low, planned, planned * high, kind)
        likely = given.get("most_likely", float(planned))
        return self._three_point(given["optimistic"], likely, given["pessimistic"], kind, path)

    def _three_point(self, low: float, likely: float, high: float, kind: str, path: str) -> ThreePoint:
        if not low <= likely <= high:
            self.values.fail(path, "needs optimistic <= most_likely (or duration) <= pessimistic")
        return ThreePoint(low, likely, high, kind)

    def _days(self, value: object, path: str) -> float:
        return float(self.values.number(value, path, 0, MAX_DAYS)) * UNITS_PER_DAY

    def _money(self, value: object, path: str) -> Decimal:
        return Decimal(self.values.number(value, path, 0, MAX_MONEY))

    def _cost(self, number: int, value: object, path: str) -> None:
        if not isinstance(value, dict):
            self.fixed[number] = self._money(value, path)
            return
        fields = self.values.mapping(value, path, _COST_KEYS)
        if "fixed" in fields:
            self.fixed[number] = self._money(fields["fixed"], f"{path}.fixed")
        if "per_day" in fields:
            self.rate[number] = self._money(fields["per_day"], f"{path}.per_day") / UNITS_PER_DAY

    def _task(self, value: object, path: str) -> int:
        task_id = self.values.identifier(value, path)
        if task_id not in self.index:
            self.values.fail(path, f"no task has the id {task_id!r}")
        return self.index[task_id]

    def risk(self, value: object, path: str) -> RiskEvent:
        values = self.values
        fields = values.mapping(value, path, _RISK_KEYS, required=("id", "probability"))
        probability = float(values.number(fields["probability"], f"{path}.probability", 0, 1))
        tasks = [
            self._task(item, f"{path}.tasks[{n}]")
            for n, item in enumerate(values.sequence(fields.get("tasks", []), f"{path}.tasks"))
        ]
        impact = None
        if "schedule_impact" in fields:
            impact = self._impact(fields["schedule_impact"], f"{path}.schedule_impact")
            if not tasks:
                values.fail(f"{path}.tasks", "a risk with a schedule impact must name the tasks it delays")
        cost = None
        if "cost_impact" in fields:
            cost = self._cost_impact(fields["cost_impact"], f"{path}.cost_impact")
        return RiskEvent(
            id=values.identifier(fields["id"], f"{path}.id"),
            probability=probability,
            tasks=tuple(tasks),
            schedule_impact=impact,
            cost_impact=cost,
            name=values.text(fields.get("name", ""), f"{path}.name"),
        )

    def _impact(self, value: object, path: str) -> ThreePoint:
        if not isinstance(value, dict):
            days = self._days(value, path)
            return ThreePoint(days, days, days, "fixed")
        fields = self.values.mapping(
            value, path, _IMPACT_KEYS, required=("optimistic", "most_likely", "pessimistic")
        )
        low, likely, high = (self._days(fields[key], f"{path}.{key}") for key in _IMPACT_KEYS[:3])
        kind = self.values.choice(
            fields.get("distribution", "triangular"), f"{path}.distribution", DISTRIBUTIONS
        )
        return self._three_point(low, likely, high, kind, path)

    def _cost_impact(self, value: object, path: str) -> tuple[Decimal, Decimal, Decimal]:
        if not isinstance(value, dict):
            amount = self._money(value, path)
            return amount, amount, amount
        fields = self.values.mapping(value, path, _COST_IMPACT_KEYS, required=_COST_IMPACT_KEYS)
        low, likely, high = (self._money(fields[key], f"{path}.{key}") for key in _COST_IMPACT_KEYS)
        if not low <= likely <= high:
            self.values.fail(path, "needs low <= most_likely <= high")
        return low, likely, high

    def correlation(self, value: object, path: str) -> CorrelationGroup:
        values = self.values
        fields = values.mapping(value, path, _CORRELATION_KEYS, required=_CORRELATION_KEYS)
        listed = values.sequence(fields["tasks"], f"{path}.tasks")
        tasks = tuple(self._task(item, f"{path}.tasks[{n}]") for n, item in enumerate(listed))
        for n, task in enumerate(tasks):
            if task in self.grouped or task in tasks[:n]:
                values.fail(f"{path}.tasks[{n}]", "this task is already in a correlation group")
        self.grouped.update(tasks)
        rho = values.number(fields["correlation"], f"{path}.correlation", 0)
        if rho >= 1:
            values.fail(f"{path}.correlation", f"must be below 1, not {rho}")
        return CorrelationGroup(tasks, float(rho))

    def uncertainty(self) -> Uncertainty:
        durations = [task.duration for task in self.project.tasks]
        try:
            return task_uncertainty(durations, self.estimates, self.categories)
        except ValueError as error:  # pragma: no cover - every value was checked on the way in
            raise FormatError(self.values.source, str(error)) from None

    def costs(self) -> TaskCosts | None:
        if not self.fixed and not self.rate:
            return None
        return TaskCosts.of(len(self.project.tasks), self.fixed, self.rate)
