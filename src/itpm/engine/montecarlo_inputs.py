"""What the Monte Carlo simulation takes: three-point estimates, risks, correlations and costs.

Durations are engine units (a hundredth of a working day in the app and the native file), as
floats: the simulation samples continuous durations. Money is Decimal where it comes in and out,
float64 only while it is summed over iterations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from itpm.engine.montecarlo_kernels import DISTRIBUTIONS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Default uncertainty for a task with no three-point estimate, by its category: the optimistic
# and pessimistic durations as multiples of the planned (most likely) one. These are itpm's
# defaults, skewed to the right as IT work overruns more often and further than it underruns;
# they are judgement, not measurement: give estimates, or your own table, where you have them.
DEFAULT_CATEGORY_RANGES: dict[str, tuple[float, float]] = {
    "default": (0.9, 1.3),
    "management": (1.0, 1.1),
    "analysis": (0.9, 1.4),
    "design": (0.9, 1.4),
    "development": (0.85, 1.6),
    "integration": (0.9, 1.8),
    "testing": (0.9, 1.7),
    "data migration": (0.9, 2.0),
    "procurement": (0.95, 1.5),
    "infrastructure": (0.9, 1.5),
    "deployment": (0.9, 1.5),
    "training": (0.95, 1.2),
    "documentation": (0.9, 1.3),
}


@dataclass(frozen=True)
class ThreePoint:
    """An optimistic, most likely and pessimistic value, 0 ≤ o ≤ m ≤ p, and how to sample
    between them: 'triangular', 'pert' (beta with λ = 4) or 'fixed' (always the most likely)."""

    optimistic: float
    most_likely: float
    pessimistic: float
    distribution: str = "triangular"

    def __post_init__(self) -> None:
        values = (self.optimistic, self.most_likely, self.pessimistic)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError(f"three-point estimate {values} must be finite numbers")
        if not 0 <= self.optimistic <= self.most_likely <= self.pessimistic:
            raise ValueError(
                f"three-point estimate needs 0 <= optimistic <= most likely <= pessimistic, not {values}"
            )
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution {self.distribution!r}: use one of {', '.join(DISTRIBUTIONS)}")

    @property
    def kind(self) -> int:
        return DISTRIBUTIONS.index(self.distribution)


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """Per task (by index): optimistic, most likely and pessimistic duration, and the
    distribution code (index into DISTRIBUTIONS). Build one with `task_uncertainty`."""

    low: FloatArray
    mode: FloatArray
    high: FloatArray
    kind: npt.NDArray[np.int8]

    def __post_init__(self) -> None:
        shape = np.shape(self.mode)
        if not (np.shape(self.low) == np.shape(self.high) == np.shape(self.kind) == shape):
            raise ValueError("Uncertainty columns must all have one value per task")
        if not (np.isfinite(self.low).all() and np.isfinite(self.high).all()):
            raise ValueError("Uncertainty durations must be finite")
        if ((self.low < 0) | (self.low > self.mode) | (self.mode > self.high)).any():
            task = int(np.argmax((self.low < 0) | (self.low > self.mode) | (self.mode > self.high)))
            raise ValueError(f"task {task}: needs 0 <= optimistic <= most likely <= pessimistic")

    @property
    def task_count(self) -> int:
        return len(self.mode)


def task_uncertainty(
    durations: npt.ArrayLike,
    estimates: Mapping[int, ThreePoint] | None = None,
    categories: Sequence[str | None] | None = None,
    *,
    ranges: Mapping[str, tuple[float, float]] = DEFAULT_CATEGORY_RANGES,
    distribution: str = "triangular",
) -> Uncertainty:
    """Each task's three-point duration: its estimate where given (task index → ThreePoint),
    else its planned duration stretched by its category's range (`ranges['default']` for a
    task with no category or one not in the table), sampled with `distribution`."""
    planned = np.asarray(durations, dtype=np.float64)
    if "default" not in ranges:
        raise ValueError("ranges needs a 'default' entry for tasks without a known category")
    default_kind = ThreePoint(0, 0, 0, distribution).kind
    low, high = _category_ranges(planned, categories, ranges)
    kind = np.full(len(planned), default_kind, dtype=np.int8)
    mode = planned.copy()
    for task, estimate in (estimates or {}).items():
        if not 0 <= task < len(planned):
            raise ValueError(f"an estimate names task number {task}; there are {len(planned)}")
        low[task], mode[task], high[task] = estimate.optimistic, estimate.most_likely, estimate.pessimistic
        kind[task] = estimate.kind
    return Uncertainty(low, mode, high, kind)


def _category_ranges(
    planned: FloatArray, categories: Sequence[str | None] | None, ranges: Mapping[str, tuple[float, float]]
) -> tuple[FloatArray, FloatArray]:
    factors = np.empty((len(planned), 2))
    factors[:] = ranges["default"]
    if categories is not None:
        if len(categories) != len(planned):
            raise ValueError(f"{len(categories)} categories for {len(planned)} tasks")
        for task, category in enumerate(categories):
            if category is not None and category in ranges:
                factors[task] = ranges[category]
    if (factors[:, 0] > 1).any() or (factors[:, 1] < 1).any() or (factors < 0).any():
        raise ValueError("a category range must hold 1: (optimistic factor <= 1 <= pessimistic factor)")
    return planned * factors[:, 0], planned * factors[:, 1]


@dataclass(frozen=True)
class RiskEvent:
    """A quantified risk: if it occurs (with `probability`), its schedule impact (units,
    sampled once per iteration) is added to the duration of each task in `tasks`, and its cost
    impact (money, triangular) to the project's cost."""

    id: str
    probability: float
    tasks: tuple[int, ...] = ()
    schedule_impact: ThreePoint | None = None
    cost_impact: tuple[Decimal, Decimal, Decimal] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.probability, (int, float)) or not 0 <= self.probability <= 1:
            raise ValueError(f"risk {self.id!r}: probability must be from 0 to 1, not {self.probability!r}")
        if self.schedule_impact is not None and not self.tasks:
            raise ValueError(f"risk {self.id!r} has a schedule impact but affects no task")
        if self.cost_impact is not None:
            low, likely, high = (Decimal(value) for value in self.cost_impact)
            if not 0 <= low <= likely <= high:
                raise ValueError(f"risk {self.id!r}: cost impact needs 0 <= low <= most likely <= high")


@dataclass(frozen=True)
class CorrelationGroup:
    """Tasks whose durations move together: a Gaussian copula with one common factor, so that
    any two tasks of the group have correlation `correlation` on the normal scale (their rank
    correlation is (6/π)·asin(ρ/2), within 0.02 of ρ)."""

    tasks: tuple[int, ...]
    correlation: float

    def __post_init__(self) -> None:
        if not 0 <= self.correlation < 1:
            raise ValueError(f"correlation must be from 0 to below 1, not {self.correlation!r}")
        if len(set(self.tasks)) != len(self.tasks):
            raise ValueError("a correlation group lists a task twice")


@dataclass(frozen=True, eq=False)
class TaskCosts:
    """Per task: a fixed cost and a rate per unit of duration; a task's cost in an iteration is
    fixed + rate × its sampled duration. Build one with `TaskCosts.of`."""

    fixed: FloatArray
    rate: FloatArray
    currency_places: int = 2

    @classmethod
    def of(
        cls,
        task_count: int,
        fixed: Mapping[int, Decimal] | None = None,
        rate_per_unit: Mapping[int, Decimal] | None = None,
    ) -> TaskCosts:
        fixed_column, rate_column = np.zeros(task_count), np.zeros(task_count)
        for column, given, name in (
            (fixed_column, fixed, "fixed cost"),
            (rate_column, rate_per_unit, "rate"),
        ):
            for task, amount in (given or {}).items():
                if not 0 <= task < task_count:
                    raise ValueError(f"a {name} names task number {task}; there are {task_count}")
                if Decimal(amount) < 0:
                    raise ValueError(f"task {task}: {name} must be 0 or more, not {amount}")
                column[task] = float(amount)
        return cls(fixed_column, rate_column)


@dataclass(frozen=True)
class RiskColumns:
    """The risks as columns for the kernels."""

    probability: FloatArray
    impact: tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int8]]
    cost: tuple[FloatArray, FloatArray, FloatArray]
    starts: IntArray
    tasks: IntArray
    ids: tuple[str, ...] = field(default=())

    @property
    def delaying(self) -> npt.NDArray[np.bool_]:
        """Per risk: it can add duration (a schedule impact above 0 on some task)."""
        affects = np.diff(self.starts) > 0
        return affects & (self.impact[2] > 0)

    @property
    def impact_columns(self) -> FloatArray:
        """(3, risks): optimistic, most likely, pessimistic schedule impact."""
        return np.array(self.impact[:3]).reshape(3, len(self.ids))

    @property
    def cost_columns(self) -> FloatArray:
        return np.array(self.cost).reshape(3, len(self.ids))

    @classmethod
    def of(cls, risks: Sequence[RiskEvent], task_count: int) -> RiskColumns:
        ids = tuple(risk.id for risk in risks)
        if len(set(ids)) != len(ids):
            raise ValueError("two risks have the same id")
        zero = ThreePoint(0, 0, 0, "fixed")
        impacts = [risk.schedule_impact or zero for risk in risks]
        costs = [tuple(float(v) for v in risk.cost_impact or (0, 0, 0)) for risk in risks]
        affected = [np.asarray(risk.tasks, dtype=np.int64) for risk in risks]
        for risk, tasks in zip(risks, affected, strict=True):
            if tasks.size and (tasks.min() < 0 or tasks.max() >= task_count):
                raise ValueError(f"risk {risk.id!r} names a task number outside 0..{task_count - 1}")
        starts = np.zeros(len(risks) + 1, dtype=np.int64)
        np.cumsum([len(tasks) for tasks in affected], out=starts[1:])
        column = lambda values: np.array(values, dtype=np.float64)  # noqa: E731
        return cls(
            probability=column([risk.probability for risk in risks]),
            impact=(
                column([i.optimistic for i in impacts]),
                column([i.most_likely for i in impacts]),
                column([i.pessimistic for i in impacts]),
                np.array([i.kind for i in impacts], dtype=np.int8),
            ),
            cost=(
                column([c[0] for c in costs]),
                column([c[1] for c in costs]),
                column([c[2] for c in costs]),
            ),
            starts=starts,
            tasks=np.concatenate(affected) if affected else np.zeros(0, dtype=np.int64),
            ids=ids,
        )
