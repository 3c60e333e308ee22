"""Monte Carlo with resource levelling in every iteration, for resource-driven plans.

Entry function:

    simulate_levelled(problem, network, uncertainty, *, iterations, seed, risks=(),
                      correlations=(), deadline=None, period=1.0) -> LevelledSimulation

`network` is the project network the ordinary simulation reads (montecarlo.simulate) and
`problem` the same plan as a levelling Problem (rcpsp.py): its activities are the network's tasks
of the same ids (summaries have no activity). The durations are sampled by the ordinary
simulation itself (its `sample`, the same numbers for the same seed), so the unlevelled result
comes with the levelled one. `period` is the network's units per period of the problem (the app
counts 100 units a day and levels in days).

Each iteration's durations, rounded to whole periods, are scheduled by the compiled serial
schedule generation scheme (sgs.serial_sgs) with one fixed priority list: the activities in the
order of their starts in the deterministic levelled schedule (levelling.level), as commercial
tools level each iteration with one rule rather than search anew. With the planned durations
this reproduces that schedule's makespan.

Memory: the sampled durations are held whole, tasks × iterations float32 (134 tasks × 10,000
iterations is 5 MB). Fixed activities keep their start in the levelled plan in every iteration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import NetworkArrays
from itpm.engine.levelling import level
from itpm.engine.montecarlo import CorrelationGroup, RiskEvent, SimulationResult, Uncertainty, simulate
from itpm.engine.montecarlo_results import PERCENTILES
from itpm.engine.network import Network
from itpm.engine.rcpsp import Problem
from itpm.engine.rcpsp_arrays import Instance, compile_problem
from itpm.engine.sgs import NO_PIN, njit, serial_sgs

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class LevelledSimulation:
    """The levelled finish of each iteration (network units) and its summary, with the
    unlevelled simulation of the same samples for comparison."""

    finish: npt.NDArray[np.float64]
    finish_percentiles: dict[int, float]
    mean_finish: float
    deterministic_finish: float  # the levelled schedule with planned durations
    deadline: float | None
    probability_deadline: float | None
    unlevelled: SimulationResult
    order: tuple[str, ...]  # the priority list every iteration follows
    durations: npt.NDArray[np.int64]  # (activities, first iterations): the whole periods levelled
    starts: npt.NDArray[np.int64]  # (activities, first iterations): their levelled starts, to check


def simulate_levelled(
    problem: Problem,
    network: NetworkArrays | Network,
    uncertainty: Uncertainty,
    *,
    iterations: int = 10_000,
    seed: int = 0,
    risks: Sequence[RiskEvent] = (),
    correlations: Sequence[CorrelationGroup] = (),
    deadline: float | None = None,
    period: float = 1.0,
    kept_schedules: int = 10,
) -> LevelledSimulation:
    """Simulate `iterations` levelled runs of the project; see the module's docstring."""
    if not period > 0:
        raise ValueError(f"period must be above 0, not {period}")
    unlevelled = simulate(
        network, uncertainty, iterations=iterations, seed=seed, risks=risks,
        correlations=correlations, deadline=deadline, sensitivity_iterations=iterations,
    )  # fmt: skip
    rows = _rows_of(problem, unlevelled.ids)
    planned = level(problem, seed=seed)
    pin = [planned.starts[a.id] if a.fixed else NO_PIN for a in problem.activities]
    instance = _whole_periods(compile_problem(problem)).with_pins(np.array(pin, dtype=np.int64))
    order = np.array(sorted(range(instance.size), key=lambda j: _start_key(problem, planned.starts, j)))
    durations = np.maximum(np.rint(unlevelled.sample[rows].astype(np.float64) / period), 0).astype(np.int64)
    starts = np.empty((instance.size, min(kept_schedules, iterations)), dtype=np.int64)
    makespans = _level_each(problem, instance, order, durations, starts)
    finish = makespans * period
    return LevelledSimulation(
        finish=finish,
        finish_percentiles=dict(
            zip(PERCENTILES, map(float, np.percentile(finish, PERCENTILES)), strict=True)
        ),
        mean_finish=float(finish.mean()),
        deterministic_finish=float(planned.makespan * period),
        deadline=deadline,
        probability_deadline=None if deadline is None else float((finish <= deadline + 1e-9).mean()),
        unlevelled=unlevelled,
        order=tuple(problem.activities[j].id for j in order),
        durations=durations[:, : starts.shape[1]],
        starts=starts,
    )


def _start_key(problem: Problem, starts: object, j: int) -> tuple[int, int]:
    """Earlier start first; ties by position, so that a predecessor (lag 0) stays ahead."""
    return (starts[problem.activities[j].id], j)  # type: ignore[index]


def _whole_periods(instance: Instance) -> Instance:
    """The instance on the problem's own periods: compile_problem divides time by the greatest
    common divisor of the plan's durations, which sampled durations do not keep."""
    unit = instance.time_unit
    if unit == 1:
        return instance
    return replace(
        instance, duration=instance.duration * unit, release=instance.release * unit,
        pred_lag=instance.pred_lag * unit, profile=np.repeat(instance.profile, unit, axis=1), time_unit=1,
    )  # fmt: skip


def _rows_of(problem: Problem, ids: Sequence[str]) -> IntArray:
    """For each activity, its task's row in the simulation's sample."""
    row = {task_id: n for n, task_id in enumerate(ids)}
    missing = [a.id for a in problem.activities if a.id not in row]
    if missing:
        raise ValueError(f"activity {missing[0]!r} is not a task of the network")
    return np.array([row[a.id] for a in problem.activities], dtype=np.int64)


def _level_each(
    problem: Problem, instance: Instance, order: IntArray, durations: IntArray, starts: IntArray
) -> npt.NDArray[np.float64]:
    """Each iteration's makespan in periods, by the serial SGS on `order`; the first iterations'
    starts go into `starts`."""
    expected = int(instance.duration.sum()) + 1
    owner = np.repeat(np.arange(instance.size, dtype=np.int64), np.diff(instance.pred_ptr))
    links = (owner, *_link_ends(problem))
    return _serial_runs(order, durations, instance.kernel(), links, expected, starts).astype(np.float64)


def _link_ends(problem: Problem) -> tuple[IntArray, IntArray, IntArray]:
    """Per link in the instance's predecessor rows: whether it reads the predecessor's finish and
    binds the successor's finish, and its lag in the instance's periods without those durations
    (a start-to-start bound moves with the sampled durations; a percentage lag stays as planned)."""
    instance = _whole_periods(compile_problem(problem))
    successor = np.array([problem.index[link.successor] for link in problem.links], dtype=np.int64)
    by_owner = np.argsort(successor, kind="stable")
    links = [problem.links[k] for k in by_owner]
    from_finish = np.array([link.from_finish for link in links], dtype=np.int64)
    to_finish = np.array([link.to_finish for link in links], dtype=np.int64)
    owner = np.repeat(np.arange(instance.size, dtype=np.int64), np.diff(instance.pred_ptr))
    duration = instance.duration
    base = instance.pred_lag - from_finish * duration[instance.pred_node] + to_finish * duration[owner]
    return from_finish, to_finish, base


@njit(cache=True)
def _serial_runs(order, durations, inst, links, horizon, kept):  # type: ignore[no-untyped-def]
    """One serial SGS per column of `durations` (activities × iterations), the links' start
    bounds recomputed from that column's durations."""
    _, release, pin, demand_ptr, demand_resource, units, capacity = inst[:7]
    pred_ptr, pred_node, _, _, _, _, _, calendar = inst[7:]
    owner, from_finish, to_finish, base = links
    makespans = np.empty(durations.shape[1], dtype=np.int64)
    start = np.empty(durations.shape[0], dtype=np.int64)
    for i in range(durations.shape[1]):
        duration = np.ascontiguousarray(durations[:, i])
        pred_lag = base + from_finish * duration[pred_node] - to_finish * duration[owner]
        makespans[i], _ = serial_sgs(
            order, duration, release, pin, demand_ptr, demand_resource, units, capacity, calendar,
            pred_ptr, pred_node, pred_lag, horizon, start,
        )  # fmt: skip
        if i < kept.shape[1]:
            kept[:, i] = start
    return makespans
