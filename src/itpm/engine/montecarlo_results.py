"""What the Monte Carlo simulation reports, and how it is tallied chunk by chunk.

Percentiles are numpy's default (linear interpolation between order statistics). Sensitivity is
Spearman's rank correlation: of each task's sampled duration with the finish and with the cost,
over the first `sensitivity_iterations` iterations (stored: a bounded sample); of each risk's
occurrence with the finish and the cost, over all iterations. A risk's `mean_delay` is the mean
finish of the iterations in which it occurred less that of those in which it did not.
Convergence: P50 and P80 after each chunk, and the standard error of P80 by batch means (the
iterations in 20 batches of equal size; the spread of their P80s over √20); a run counts as
converged when that error is at most 0.5 % of the P80 duration from the project start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from itpm.engine.montecarlo_ranks import average_ranks, spearman_rows

FloatArray = npt.NDArray[np.float64]
PERCENTILES = (10, 50, 80, 90)
BATCHES = 20
CONVERGED_SHARE = 0.005
CENT = Decimal("0.01")


@dataclass
class Tally:
    """Running totals of a simulation, filled chunk by chunk."""

    finish: FloatArray
    cost: FloatArray
    critical: npt.NDArray[np.int64]
    occurs: npt.NDArray[np.bool_]
    risk_cost: FloatArray  # per risk: its cost impacts summed over the iterations
    kept: npt.NDArray[np.float32]
    running: list[tuple[int, float, float]] = field(default_factory=list)

    @classmethod
    def start(cls, iterations: int, tasks: int, risks: int, kept: int) -> Tally:
        return cls(
            finish=np.empty(iterations),
            cost=np.empty(iterations),
            critical=np.zeros(tasks, dtype=np.int64),
            occurs=np.zeros((iterations, risks), dtype=np.bool_),
            risk_cost=np.zeros(risks),
            kept=np.empty((tasks, kept), dtype=np.float32),  # a task's sample is a row: ranked in place
        )

    def add(
        self,
        first: int,
        finish: FloatArray,
        cost: FloatArray,
        critical: npt.NDArray[np.int64],  # (threads, tasks): iterations on the critical chain
        occurs: npt.NDArray[np.bool_],
        risk_cost: FloatArray,
    ) -> None:
        stop = first + len(finish)
        self.finish[first:stop], self.cost[first:stop] = finish, cost
        self.critical += critical.sum(axis=0)
        self.occurs[first:stop] = occurs
        self.risk_cost += risk_cost.sum(axis=0)
        p50, p80 = np.percentile(self.finish[:stop], (50, 80))
        self.running.append((stop, float(p50), float(p80)))


@dataclass(frozen=True)
class RiskDriver:
    """How much one risk drives the outcome."""

    id: str
    occurred: float  # share of iterations in which it occurred
    mean_delay: float  # units: mean finish when it occurred less when it did not (0 if never/always)
    mean_cost: Decimal  # mean cost impact in the iterations in which it occurred
    finish_correlation: float  # Spearman: occurrence with the finish (NaN if it never varies)
    cost_correlation: float


@dataclass(frozen=True)
class Convergence:
    running: tuple[tuple[int, float, float], ...]  # (iterations so far, P50, P80) after each chunk
    p80_standard_error: float | None  # units; None below BATCHES × 10 iterations
    converged: bool


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Finish times are engine units from the calendar's origin; money is Decimal (cents)."""

    ids: tuple[str, ...]
    iterations: int
    seed: int
    finish: FloatArray  # per iteration
    cost: FloatArray  # per iteration, as float: round with `money`
    deterministic_finish: float  # every task at its most likely duration, no risks
    finish_percentiles: dict[int, float]
    cost_percentiles: dict[int, Decimal]
    mean_finish: float
    mean_cost: Decimal
    deadline: float | None
    probability_deadline: float | None  # P(finish <= deadline)
    budget: Decimal | None
    probability_budget: float | None  # P(cost <= budget)
    probability_deterministic: float  # P(finish <= the deterministic finish)
    criticality: FloatArray  # per task: share of iterations on the critical chain
    duration_sensitivity: FloatArray  # per task: Spearman with the finish (NaN if fixed)
    cost_sensitivity: FloatArray  # per task: Spearman with the cost
    risk_drivers: tuple[RiskDriver, ...]  # biggest mean delay first
    convergence: Convergence
    sample: npt.NDArray[np.float32]  # (tasks, first iterations): the sampled durations, for scatter plots

    def tornado(self, top: int = 10, against: str = "finish") -> list[tuple[str, float]]:
        """The tasks whose durations move the finish (or the cost) most: (id, Spearman ρ),
        by |ρ|, largest first; tasks whose duration never varies are left out."""
        values = self.duration_sensitivity if against == "finish" else self.cost_sensitivity
        varying = np.flatnonzero(~np.isnan(values))
        ranked = varying[np.argsort(-np.abs(values[varying]), kind="stable")][:top]
        return [(self.ids[task], float(values[task])) for task in ranked]


def money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT)


def summarise(
    tally: Tally,
    ids: tuple[str, ...],
    risk_ids: Sequence[str],
    deterministic: float,
    deadline: float | None,
    budget: Decimal | None,
    seed: int,
    start: float,
    dependent: npt.NDArray[np.bool_],
    costed: npt.NDArray[np.bool_],
    delaying: npt.NDArray[np.bool_],
) -> SimulationResult:
    """The result; `dependent` marks the tasks whose durations may move the finish even when
    they are never critical (correlated or risk-affected tasks), `costed` those that carry a
    cost rate; `delaying` the risks with a schedule impact (the others' mean delay is 0, not
    noise)."""
    finish, cost = tally.finish, tally.cost
    finish_ranks, cost_ranks = average_ranks(finish), average_ranks(cost)
    kept = tally.kept.shape[1]
    moving = (tally.critical > 0) | dependent
    duration_rho, cost_rho = _task_sensitivity(tally.kept, moving, costed, finish[:kept], cost[:kept])
    return SimulationResult(
        ids=ids,
        iterations=len(finish),
        seed=seed,
        finish=finish,
        cost=cost,
        deterministic_finish=deterministic,
        finish_percentiles=dict(
            zip(PERCENTILES, map(float, np.percentile(finish, PERCENTILES)), strict=True)
        ),
        cost_percentiles=dict(zip(PERCENTILES, map(money, np.percentile(cost, PERCENTILES)), strict=True)),
        mean_finish=float(finish.mean()),
        mean_cost=money(cost.mean()),
        deadline=deadline,
        probability_deadline=None if deadline is None else float(np.mean(finish <= deadline)),
        budget=budget,
        probability_budget=None if budget is None else float(np.mean(cost <= float(budget))),
        probability_deterministic=float(np.mean(finish <= deterministic + 1e-9)),
        criticality=tally.critical / len(finish),
        duration_sensitivity=duration_rho,
        cost_sensitivity=cost_rho,
        risk_drivers=_risk_drivers(tally, risk_ids, finish_ranks, cost_ranks, delaying),
        convergence=_convergence(tally, finish, start),
        sample=tally.kept,
    )


def _task_sensitivity(
    kept: npt.NDArray[np.float32],
    moving: npt.NDArray[np.bool_],
    costed: npt.NDArray[np.bool_],
    finish: FloatArray,
    cost: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Spearman's ρ of the tasks that may move the finish (`moving`) or carry a cost rate;
    the others get 0. A task that is never critical, correlated with none and hit by no risk
    cannot move the finish: the finish of every iteration is then a function of the other
    durations alone, independent of its own, so its true ρ with the finish is 0, and so is
    its ρ with the cost without a cost rate; ranking it would only add noise (and time: most
    tasks of a large network are never critical)."""
    if kept.shape[1] < 3:
        return np.full(kept.shape[0], np.nan), np.full(kept.shape[0], np.nan)
    constant = kept.max(axis=1) == kept.min(axis=1)  # a fixed duration has no ρ at all
    duration_rho = np.where(constant, np.nan, 0.0)
    cost_rho = duration_rho.copy()
    ranked = np.flatnonzero(moving | costed)
    both = spearman_rows(kept, ranked, average_ranks(finish), average_ranks(cost))
    duration_rho[ranked] = np.where(moving[ranked] | constant[ranked], both[0], 0.0)
    cost_rho[ranked] = both[1]
    return duration_rho, cost_rho


def _risk_drivers(
    tally: Tally,
    risk_ids: Sequence[str],
    finish_ranks: FloatArray,
    cost_ranks: FloatArray,
    delaying: npt.NDArray[np.bool_],
) -> tuple[RiskDriver, ...]:
    drivers = []
    for number, risk in enumerate(risk_ids):
        occurs = tally.occurs[:, number]
        happened = int(occurs.sum())
        delay = 0.0
        if delaying[number] and 0 < happened < len(occurs):
            delay = float(tally.finish[occurs].mean() - tally.finish[~occurs].mean())
        drivers.append(
            RiskDriver(
                id=risk,
                occurred=happened / len(occurs),
                mean_delay=delay,
                mean_cost=money(tally.risk_cost[number] / happened if happened else 0.0),
                finish_correlation=_correlation(occurs, finish_ranks),
                cost_correlation=_correlation(occurs, cost_ranks),
            )
        )
    return tuple(sorted(drivers, key=lambda driver: -driver.mean_delay))


def _correlation(indicator: npt.NDArray[np.bool_], ranks: FloatArray) -> float:
    """Spearman's ρ of a yes/no column with a ranked one: the average ranks of a yes/no column
    are a linear function of it, so Pearson's r of the two is Spearman's ρ."""
    values = indicator.astype(np.float64)
    if values.std() == 0 or ranks.std() == 0:
        return float("nan")
    return float(np.corrcoef(values, ranks)[0, 1])


def _convergence(tally: Tally, finish: FloatArray, start: float) -> Convergence:
    error = None
    if len(finish) >= BATCHES * 10:
        size = len(finish) // BATCHES
        batches = finish[: size * BATCHES].reshape(BATCHES, size)
        error = float(np.percentile(batches, 80, axis=1).std(ddof=1) / np.sqrt(BATCHES))
    span = tally.running[-1][2] - start if tally.running else 0.0
    converged = error is not None and error <= CONVERGED_SHARE * max(span, 1e-9)
    return Convergence(tuple(tally.running), error, converged)
