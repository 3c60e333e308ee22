"""Schedule and cost risk by Monte Carlo simulation over the project network.

Entry function:

    simulate(network, uncertainty, *, iterations=10_000, seed=0, risks=(), correlations=(),
             costs=None, deadline=None, budget=None, project_start_unit=0, chunk_size=None,
             sensitivity_iterations=1_000) -> SimulationResult

`network` is a NetworkArrays (or a Network built from one; see docs/scheduling.md): its tasks,
summaries and links (FS, SS, FF, SF, lags) are the structure; the durations come from
`uncertainty` (`task_uncertainty(durations, estimates, categories)`: three-point estimates per
task, triangular or PERT-beta, or a default range by task category). `risks` are RiskEvent
(probability, three-point schedule impact added to the tasks it affects, triangular cost
impact), `correlations` CorrelationGroup (Gaussian copula, one common factor per group), `costs`
TaskCosts (fixed + rate × sampled duration). The result (montecarlo_results.SimulationResult)
holds the finish and cost of every iteration, P10/P50/P80/P90, the chances of meeting the
deadline and budget, each task's criticality index, Spearman sensitivities (tornado), the risks
that drive the finish and cost, and convergence.

Method: iterations run in chunks; each chunk is one call of the compiled kernel
(montecarlo_kernels.run_chunk), which for each iteration, in parallel over the cores, draws
its random numbers, samples the durations, adds the risks, sums the cost and runs the forward
pass. The random numbers are a pure function of the seed (through numpy's SeedSequence), the
iteration and the stream (see montecarlo_kernels): a run is reproducible, the same whatever the
chunk size and number of threads, and the first n iterations of a longer run are a run of n.
Memory beyond each iteration's finish and cost is bounded: the stored sensitivity sample
(`sensitivity_iterations` × tasks float32), a yes/no per iteration and risk, per-thread
criticality counts, and per chunk a few numbers per iteration.

Not simulated: constraints, deadlines on tasks, progress and resource levelling (each iteration
is an unlevelled forward pass from the project start); a lag given as a percentage uses the
planned duration of its predecessor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import NetworkArrays
from itpm.engine.montecarlo_inputs import (
    DEFAULT_CATEGORY_RANGES,
    CorrelationGroup,
    RiskColumns,
    RiskEvent,
    TaskCosts,
    ThreePoint,
    Uncertainty,
    task_uncertainty,
)
from itpm.engine.montecarlo_kernels import (
    FIXED,
    MAX_THREADS,
    TRIANGULAR,
    dynamic_scheduling,
    pert_table,
    risk_draws,
    run_chunk,
)
from itpm.engine.montecarlo_results import Convergence, RiskDriver, SimulationResult, Tally, summarise
from itpm.engine.network import TO_FINISH, Network, build_network_arrays

__all__ = [
    "DEFAULT_CATEGORY_RANGES",
    "Convergence",
    "CorrelationGroup",
    "RiskDriver",
    "RiskEvent",
    "SimulationResult",
    "TaskCosts",
    "ThreePoint",
    "Uncertainty",
    "simulate",
    "task_uncertainty",
]

CHUNK_SAMPLES = 16_000_000  # task samples per chunk: few chunks, few parallel regions
MIN_CHUNK = 64


@cache
def _pert() -> npt.NDArray[np.float64]:
    """The PERT quantile table, made once per process (about 0.1 s) and only if needed."""
    return pert_table()


@dataclass(frozen=True, eq=False)
class Plan:
    """The network laid out for the kernel: positions in topological order and, for each, the
    links into it (pull form), with the date each reads and its lag."""

    ids: tuple[str, ...]
    task_count: int
    is_summary: npt.NDArray[np.bool_]
    order: npt.NDArray[np.int64]
    link_starts: npt.NDArray[np.int64]
    link_anchor: npt.NDArray[np.int64]
    link_lag: npt.NDArray[np.float64]
    link_to_finish: npt.NDArray[np.float64]  # 1.0 for a link into a finish, else 0.0
    takes_earliest: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, network: Network) -> Plan:
        layout = network.layout
        to_finish = (network.link_flags & TO_FINISH) != 0
        groups = (layout.forward, layout.forward_min)
        target = np.concatenate([group.target for group in groups])
        anchor = np.concatenate([group.anchor for group in groups])
        lag = np.concatenate([group.of(network.lag) for group in groups]).astype(np.float64)
        finish = np.concatenate([group.of(to_finish) for group in groups])
        by_target = np.argsort(target, kind="stable")
        positions = len(layout.order)
        earliest = np.zeros(positions, dtype=np.bool_)
        earliest[layout.forward_min.target] = True
        return cls(
            ids=network.ids[: network.task_count],
            task_count=network.task_count,
            is_summary=network.is_summary,
            order=layout.order,
            link_starts=np.searchsorted(target[by_target], np.arange(positions + 1)).astype(np.int64),
            link_anchor=anchor[by_target],
            link_lag=lag[by_target],
            link_to_finish=finish[by_target].astype(np.float64),
            takes_earliest=earliest,
        )


def simulate(
    network: NetworkArrays | Network,
    uncertainty: Uncertainty,
    *,
    iterations: int = 10_000,
    seed: int = 0,
    risks: Sequence[RiskEvent] = (),
    correlations: Sequence[CorrelationGroup] = (),
    costs: TaskCosts | None = None,
    deadline: float | None = None,
    budget: Decimal | None = None,
    project_start_unit: int = 0,
    chunk_size: int | None = None,
    sensitivity_iterations: int = 1_000,
) -> SimulationResult:
    """Simulate `iterations` runs of the project; see the module's docstring."""
    built = network if isinstance(network, Network) else build_network_arrays(network)
    plan = Plan.of(built)
    _check(plan, uncertainty, iterations, seed, correlations)
    if costs is not None and len(costs.fixed) != plan.task_count:
        raise ValueError(f"costs has {len(costs.fixed)} tasks; the network has {plan.task_count}")
    if sensitivity_iterations < 0:
        raise ValueError(f"sensitivity_iterations must be 0 or more, not {sensitivity_iterations}")
    runner = _Runner(plan, uncertainty, RiskColumns.of(risks, plan.task_count), correlations, costs)
    runner.key = np.random.SeedSequence(seed).generate_state(1, np.uint64)[0]
    runner.floor = float(project_start_unit)
    size = _chunk_rows(plan.task_count, iterations, chunk_size)
    tally = Tally.start(iterations, plan.task_count, len(risks), min(sensitivity_iterations, iterations))
    for first in range(0, iterations, size):
        runner.run(first, min(first + size, iterations), tally)
    deterministic, _ = runner.deterministic()
    return summarise(
        tally, plan.ids, runner.risks.ids, deterministic, deadline, budget, seed, runner.floor,
        runner.dependent(), runner.rate_by_task != 0, runner.risks.delaying,
    )  # fmt: skip


def _check(
    plan: Plan, uncertainty: Uncertainty, iterations: int, seed: int, groups: Sequence[CorrelationGroup]
) -> None:
    if uncertainty.task_count != plan.task_count:
        raise ValueError(f"uncertainty has {uncertainty.task_count} tasks; the network has {plan.task_count}")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValueError(f"iterations must be a whole number of at least 1, not {iterations!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more, not {seed!r}")
    grouped = [task for group in groups for task in group.tasks]
    if len(set(grouped)) != len(grouped):
        raise ValueError("a task is in two correlation groups")
    if grouped and (min(grouped) < 0 or max(grouped) >= plan.task_count):
        raise ValueError(f"a correlation group names a task number outside 0..{plan.task_count - 1}")


def _chunk_rows(task_count: int, iterations: int, requested: int | None) -> int:
    """About CHUNK_SAMPLES task samples a chunk, or what was asked."""
    if requested is not None and requested < 1:
        raise ValueError(f"chunk_size must be at least 1, not {requested}")
    return min(iterations, requested or max(MIN_CHUNK, CHUNK_SAMPLES // max(task_count, 1)))


class _Runner:
    """Runs the kernel chunk by chunk (the risks' draws first). Task columns are laid out by
    position (topological order) once, so that the kernel reads them in sequence."""

    def __init__(
        self,
        plan: Plan,
        uncertainty: Uncertainty,
        risks: RiskColumns,
        groups: Sequence[CorrelationGroup],
        costs: TaskCosts | None,
    ) -> None:
        self.plan, self.risks, self.groups = plan, risks, [g for g in groups if g.tasks]
        leaf = ~plan.is_summary
        kind = np.where(leaf, uncertainty.kind, FIXED).astype(np.int8)
        uses_pert = (kind > TRIANGULAR).any() or (risks.impact[3] > TRIANGULAR).any()
        self.table = _pert() if uses_pert else np.zeros((1, 2))
        zeros = np.zeros(plan.task_count)
        fixed = zeros if costs is None else np.asarray(costs.fixed, dtype=np.float64)
        rate = zeros if costs is None else np.where(leaf, costs.rate, 0.0)
        self.rate_by_task = rate
        group = np.full(plan.task_count, -1, dtype=np.int64)
        for number, correlated in enumerate(self.groups):
            group[list(correlated.tasks)] = number
        self.rho = np.array([correlated.correlation for correlated in self.groups], dtype=np.float64)
        self.streams = 2 * plan.task_count + 2 * len(self.rho) + 3 * len(risks.ids)
        self.key = np.uint64(0)
        self.columns = [  # low, mode, high, kind, fixed cost, rate, group: per position
            _by_position(plan, column)
            for column in (
                np.where(leaf, uncertainty.low, 0.0),
                np.where(leaf, uncertainty.mode, 0.0),
                np.where(leaf, uncertainty.high, 0.0),
                kind,
                fixed,
                rate,
                group,
            )
        ]
        # Risk-affected tasks get slots 0, 1, ...: the kernel adds risk delays to those alone.
        affected = np.unique(risks.tasks)
        slot_of = np.full(plan.task_count, -1, dtype=np.int64)
        slot_of[affected] = np.arange(len(affected))
        self.risk_slots = slot_of[risks.tasks]
        self.slot = _by_position(plan, slot_of, fill=-1)
        self.floor = 0.0

    def run(self, first: int, stop: int, tally: Tally) -> None:
        rows, tasks = stop - first, self.plan.task_count
        risks = self.risks
        occurs, risk_added, risk_cost = risk_draws(
            self.key, first, rows, self.streams, 2 * tasks + 2 * len(self.rho),
            risks.probability, risks.impact_columns, risks.impact[3], risks.cost_columns, self.table,
        )  # fmt: skip
        finish, cost = np.empty(rows), np.empty(rows)
        critical = np.zeros((MAX_THREADS, tasks), dtype=np.int64)
        kept = tally.kept[:, first : min(stop, tally.kept.shape[1])]
        self._kernel(first, self.columns, risk_added, (finish, cost, critical, kept))
        cost += risk_cost.sum(axis=1)
        tally.add(first, finish, cost, critical, occurs, risk_cost)

    def _kernel(self, first, columns, risk_added, out) -> None:  # type: ignore[no-untyped-def]
        plan = self.plan
        with dynamic_scheduling():
            run_chunk(
                self.key, first, self.streams, plan.order, *columns, self.rho, self.table,
                risk_added, self.risks.starts, self.risk_slots, self.slot,
                plan.link_starts, plan.link_anchor, plan.link_lag, plan.link_to_finish,
                plan.takes_earliest, self.floor, plan.task_count, *out,
            )  # fmt: skip

    def dependent(self) -> npt.NDArray[np.bool_]:
        """Tasks in a correlation group or hit by a risk (see summarise)."""
        marked = np.zeros(self.plan.task_count, dtype=np.bool_)
        for correlated in self.groups:
            marked[list(correlated.tasks)] = True
        marked[self.risks.tasks] = True
        return marked

    def deterministic(self) -> tuple[float, float]:
        """Finish and cost with every task at its most likely duration and no risk: the plan."""
        tasks = self.plan.task_count
        _, mode, _, kind, fixed, rate, group = self.columns
        columns = [mode, mode, mode, np.full(len(kind), FIXED, dtype=np.int8), fixed, rate, group]
        finish, cost = np.empty(1), np.empty(1)
        counts = np.zeros((MAX_THREADS, tasks), dtype=np.int64)
        out = (finish, cost, counts, np.empty((tasks, 0), dtype=np.float32))
        self._kernel(0, columns, np.zeros((1, len(self.risks.ids))), out)
        return float(finish[0]), float(cost[0])


def _by_position(plan: Plan, column: npt.NDArray[np.generic], fill: int = 0) -> npt.NDArray[np.generic]:
    """A per-task column by position; gates (after the tasks) get `fill`."""
    padded = np.full(len(plan.order), fill, dtype=column.dtype)
    padded[: plan.task_count] = column
    return np.ascontiguousarray(padded[plan.order])
