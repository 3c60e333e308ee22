"""Resource levelling: schedules that never over-allocate a resource, as short as we can find.

`single_pass` is what MS Project, Primavera and TaskJuggler do: one priority rule, one pass.
`level` runs every rule through both schedule generation schemes, justifies each schedule
forward and backward, then spends the rest of its budget on a genetic algorithm (genetic.py).
Both are deterministic: budgets count schedules, and randomness comes from the seed. A budget
in milliseconds, read from the `clock` passed in, is there for callers who prefer a deadline
to a count; the result then depends on the machine.

docs/levelling.md explains the rules, the defaults, delays and over-allocations.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from itpm.engine.errors import FIXED_ACTIVITY_MOVED, FIXED_OVERALLOCATION, Conflict
from itpm.engine.genetic import BEST, BEST_GENERATION, STATS, USED, evolve, populate
from itpm.engine.model import Link
from itpm.engine.rcpsp import Activity, OverAllocation, Problem, Resource, over_allocations
from itpm.engine.rcpsp_arrays import RULES, Bounds, Instance, IntArray, bounds, compile_problem, rule_key
from itpm.engine.sgs import HAVE_NUMBA, NO_PIN, justify, order_by_rank, repair, serial_sgs
from itpm.engine.sgs_parallel import parallel_sgs

SCHEMES = ("serial", "parallel")
# The default budget: DEFAULT_SCHEDULES up to SMALL activities, then falling as n^-FALL. A
# schedule's work grows faster than n (a longer project has longer resource profiles to search),
# so this keeps the default near 0.1-0.3 s from 30 to a few thousand activities, and under 1 s at
# 10,000 (docs/levelling.md has the figures). Without numba everything is ~100x slower.
DEFAULT_SCHEDULES = 50_000 if HAVE_NUMBA else 1_000
MIN_SCHEDULES = 40
SMALL = 32
FALL = 2.5
MUTATION_PER_MILLE = 50
RENEW_AFTER = 40  # generations without a better schedule before the population is renewed
CHUNK_WORK = 200_000  # placements between two looks at the clock, when there is a deadline


@dataclass(frozen=True)
class LevelResult:
    """A levelled schedule. `delays` is each activity's start minus its early start (links and
    release only, resources ignored); the over-allocations are those of the early schedule
    (`before`) and of this one (`after`: empty unless fixed activities alone over-allocate)."""

    starts: Mapping[str, int]
    makespan: int
    early_starts: Mapping[str, int]
    delays: Mapping[str, int]
    over_allocations_before: tuple[OverAllocation, ...]
    over_allocations_after: tuple[OverAllocation, ...]
    found_by: str
    schedules: int
    lower_bound: int
    critical_path: int
    conflicts: tuple[Conflict, ...] = ()

    def finishes(self, problem: Problem) -> dict[str, int]:
        return {a.id: self.starts[a.id] + a.duration for a in problem.activities}


@dataclass
class _Candidate:
    fitness: int
    start: IntArray
    order: IntArray
    found_by: str


@dataclass
class _Run:
    """One levelling run: the instance with its fixed activities pinned, the budget, the best."""

    instance: Instance
    dates: Bounds
    budget: int
    out_of_time: Callable[[], bool]
    used: int = 0
    best: _Candidate | None = None
    seeds: list[_Candidate] = field(default_factory=list)

    @property
    def horizon(self) -> int:
        """The first profile length: a little past the best schedule yet (the kernels widen
        it when a schedule runs longer); a smaller profile is quicker to set up."""
        if self.best is None:
            return self.instance.horizon(self.dates.lower_bound)
        return self.instance.horizon(int((self.best.start + self.instance.duration).max(initial=0)))

    @property
    def penalty(self) -> int:
        return self.instance.span_bound() + 1

    def exhausted(self) -> bool:
        return self.used >= self.budget or self.out_of_time()

    def offer(self, candidate: _Candidate) -> None:
        self.seeds.append(candidate)
        if self.best is None or candidate.fitness < self.best.fitness:
            self.best = candidate

    def rule_pass(self, rule: str, scheme: str) -> _Candidate:
        inst, n = self.instance, self.instance.size
        rank = rule_key(rule, inst, self.dates)
        start = np.empty(n, dtype=np.int64)
        if scheme == "serial":
            order = order_by_rank(rank, inst.pred_ptr, inst.succ_ptr, inst.succ_node)
            span, late = serial_sgs(order, *_forward_arrays(inst), self.horizon, start)
        else:
            span, late = parallel_sgs(
                rank,
                *_forward_arrays(inst),
                inst.succ_ptr,
                inst.succ_node,
                inst.succ_lag,
                self.horizon,
                start,
            )
            order = repair(np.argsort(start * n + rank, kind="stable"), inst.pred_ptr, inst.pred_node)
        self.used += 1
        return _Candidate(span + late * self.penalty, start, order, f"{scheme} SGS, {rule}")

    def improve(self, candidate: _Candidate) -> _Candidate:
        """Forward-backward improvement, repeated while it shortens the schedule."""
        while self.used + 2 <= self.budget and not self.out_of_time():
            out = np.empty_like(candidate.start)
            span = int((candidate.start + self.instance.duration).max(initial=0))
            order, new_span, late = justify(
                candidate.order, candidate.start, span, self.instance.kernel(), self.horizon, out
            )
            self.used += 2
            fitness = new_span + late * self.penalty
            if fitness >= candidate.fitness:
                break
            name = (
                candidate.found_by if candidate.found_by.endswith("+ FBI") else f"{candidate.found_by} + FBI"
            )
            candidate = _Candidate(fitness, out, order, name)
        return candidate

    def rules(
        self, rules: tuple[str, ...] = RULES, schemes: tuple[str, ...] = SCHEMES, fbi: bool = True
    ) -> None:
        for scheme in schemes:
            for rule in rules:
                if self.best is not None and (
                    self.exhausted() or self.best.fitness <= self.dates.lower_bound
                ):
                    return  # out of budget, or optimal already
                candidate = self.rule_pass(rule, scheme)
                self.offer(self.improve(candidate) if fbi else candidate)

    def search(self, seed: int) -> None:
        """The genetic algorithm, in chunks between looks at the clock."""
        assert self.best is not None
        size = int(np.clip((self.budget - self.used) // 250, 10, 100)) // 2 * 2
        if (
            self.budget - self.used < 9 * size
            or self.best.fitness <= self.dates.lower_bound
            or self.exhausted()
        ):
            return
        inst, n = self.instance, self.instance.size
        rng = np.random.default_rng(seed)
        population = np.empty((size, n), dtype=np.int64)
        given = _distinct_seeds(self.seeds, size // 2)
        for row, candidate in enumerate(given):
            population[row] = candidate.order
        fitness, codes = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
        stats = np.zeros(STATS, dtype=np.int64)
        stats[USED], stats[BEST] = self.used, self.best.fitness
        best_order, best_start = self.best.order.copy(), self.best.start.copy()
        value = self.dates.late + inst.duration
        kernel = inst.kernel()
        populate(
            rng,
            population,
            fitness,
            codes,
            len(given),
            value,
            kernel,
            self.horizon,
            self.penalty,
            best_order,
            best_start,
            stats,
        )
        chunk = max(6, CHUNK_WORK // max(n, 1))
        while (
            stats[USED] + 6 <= self.budget and stats[BEST] > self.dates.lower_bound and not self.out_of_time()
        ):
            settings = np.array(
                [stats[USED] + chunk, self.budget, self.dates.lower_bound, MUTATION_PER_MILLE, RENEW_AFTER],
                dtype=np.int64,
            )
            evolve(
                rng,
                population,
                fitness,
                codes,
                value,
                kernel,
                self.horizon,
                self.penalty,
                settings,
                best_order,
                best_start,
                stats,
            )
        self.used = int(stats[USED])
        if stats[BEST] < self.best.fitness:
            self.best = _Candidate(
                int(stats[BEST]),
                best_start,
                best_order,
                f"genetic algorithm, generation {stats[BEST_GENERATION]}",
            )


def _forward_arrays(inst: Instance) -> tuple[IntArray, ...]:
    return (
        inst.duration, inst.release, inst.pin, inst.demand_ptr, inst.demand_resource, inst.demand_units,
        inst.capacity, inst.profile, inst.pred_ptr, inst.pred_node, inst.pred_lag,
    )  # fmt: skip


def _distinct_seeds(candidates: list[_Candidate], most: int) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    seen: set[bytes] = set()
    for candidate in sorted(candidates, key=lambda c: c.fitness):
        key = candidate.order.tobytes()
        if key not in seen and len(chosen) < most:
            seen.add(key)
            chosen.append(candidate)
    return chosen


def default_budget(activities: int) -> int:
    """Schedules `level` generates when given no budget: fewer for larger projects."""
    budget = DEFAULT_SCHEDULES * (SMALL / max(activities, 1)) ** FALL
    return int(np.clip(budget, MIN_SCHEDULES, DEFAULT_SCHEDULES))


def level(
    problem: Problem,
    *,
    seed: int = 0,
    budget_ms: int | None = None,
    budget_schedules: int | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> LevelResult:
    """Level `problem`: priority rules, forward-backward improvement, then a genetic algorithm.

    Without budgets, `default_budget(len(problem.activities))` schedules. With `budget_ms` only,
    as many as fit in that time; with both, whichever runs out first. Raises EngineError if the
    problem cannot be scheduled at all (a cycle, a demand above a capacity)."""
    instance = compile_problem(problem)
    if budget_schedules is None:
        budget_schedules = default_budget(instance.size) if budget_ms is None else 1 << 62
    give_up = None if budget_ms is None else clock() + budget_ms / 1000

    def out_of_time() -> bool:
        return give_up is not None and clock() >= give_up

    def run(pinned: Instance) -> _Run:
        work = _Run(pinned, bounds(pinned), max(1, budget_schedules), out_of_time)
        work.rules()
        return work

    work, used, conflicts = _pinned_run(problem, instance, run)
    work.used += used
    work.search(seed)
    return _result(problem, instance, work, conflicts)


def warm_up() -> None:
    """Load (or compile) every kernel now, by levelling a small problem that runs them all, so
    that a later `budget_ms` is spent levelling rather than loading: a first call in a process
    takes about 0.3 s with numba's cache, half a minute without it."""
    team = Resource("team", 2)
    problem = Problem(
        [
            Activity("a", 3, {"team": 1}),
            Activity("b", 3, {"team": 1}),
            Activity("c", 2, {"team": 2}),
            Activity("d", 4, {"team": 1}),
        ],
        [team],
        [Link("a", "c")],
    )  # its optimum (8) is above every bound (7), so the genetic algorithm runs too
    level(problem, budget_schedules=2_000)


def single_pass(problem: Problem, rule: str = "LFT", *, scheme: str = "serial") -> LevelResult:
    """One priority rule, one schedule generation scheme, one pass: the commercial baseline."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown schedule generation scheme {scheme!r}; use serial or parallel")
    if rule not in RULES:
        raise ValueError(f"unknown priority rule {rule!r}; use one of {', '.join(RULES)}")
    instance = compile_problem(problem)

    def run(pinned: Instance) -> _Run:
        work = _Run(pinned, bounds(pinned), 1, lambda: False)
        work.rules((rule,), (scheme,), fbi=False)
        return work

    work, used, conflicts = _pinned_run(problem, instance, run)
    work.used += used
    return _result(problem, instance, work, conflicts)


def _pinned_run(
    problem: Problem, instance: Instance, run: Callable[[Instance], _Run]
) -> tuple[_Run, int, list[Conflict]]:
    """Fixed activities keep their early starts, unless no schedule reaches them in time:
    then they move to where their links let them start, and a conflict says so. Returns the
    run, the schedules spent on earlier attempts, and the conflicts."""
    fixed = np.array([a.fixed for a in problem.activities], dtype=bool)
    early = bounds(instance).early
    pin = np.where(fixed, early, NO_PIN).astype(np.int64)
    conflicts = _fixed_overallocations(problem, instance, pin)
    spent = 0
    for _attempt in range(instance.size + 1):
        work = run(instance.with_pins(pin))
        assert work.best is not None
        needed = _link_starts(instance, work.best.start)
        if not (fixed & (needed > pin)).any():
            break
        spent += work.used
        pin = np.where(fixed, np.maximum(pin, needed), NO_PIN)
    else:  # pragma: no cover - a safety net: level the fixed activities like the others
        spent += work.used
        pin = np.full(instance.size, NO_PIN, dtype=np.int64)
        work = run(instance.with_pins(pin))
    moved = [j for j in np.flatnonzero(fixed) if pin[j] != early[j]]
    for j in moved:
        activity = problem.activities[j]
        by = int(work.best.start[j] - early[j]) * instance.time_unit if work.best else 0
        message = f"fixed activity {activity.id!r} moved by {by}: its predecessors could not finish in time"
        conflicts.append(Conflict(FIXED_ACTIVITY_MOVED, message, (activity.id,)))
    return work, spent, conflicts


def _link_starts(instance: Instance, start: IntArray) -> IntArray:
    """Per activity, the earliest start its links and release allow after `start`."""
    earliest = instance.release.copy()
    owner = np.repeat(np.arange(instance.size), np.diff(instance.pred_ptr))
    np.maximum.at(earliest, owner, start[instance.pred_node] + instance.pred_lag)
    return earliest


def _fixed_overallocations(problem: Problem, instance: Instance, pin: IntArray) -> list[Conflict]:
    fixed = [j for j in range(instance.size) if pin[j] != NO_PIN]
    if not fixed:
        return []
    alone = Problem([problem.activities[j] for j in fixed], problem.resources)
    conflicts = []
    for over in over_allocations(alone, {problem.activities[j].id: int(pin[j]) for j in fixed}):
        message = (
            f"fixed activities alone need {over.demand:g} of {over.capacity:g} units of {over.resource!r}"
            f" in periods {over.start} to {over.finish - 1}; levelling cannot move them"
        )
        conflicts.append(Conflict(FIXED_OVERALLOCATION, message, ()))
    return conflicts


def _result(problem: Problem, instance: Instance, work: _Run, conflicts: list[Conflict]) -> LevelResult:
    """The result in the problem's own time units (the instance may count in multiples)."""
    assert work.best is not None
    dates, unit = bounds(instance), instance.time_unit
    ids = [a.id for a in problem.activities]
    starts = dict(zip(ids, (work.best.start * unit).tolist(), strict=True))
    early = dict(zip(ids, (dates.early * unit).tolist(), strict=True))
    return LevelResult(
        starts=starts,
        makespan=int((work.best.start + instance.duration).max(initial=0)) * unit,
        early_starts=early,
        delays={a: starts[a] - early[a] for a in ids},
        over_allocations_before=tuple(over_allocations(problem, early)),
        over_allocations_after=tuple(over_allocations(problem, starts)),
        found_by=work.best.found_by,
        schedules=work.used,
        lower_bound=bounds(work.instance).lower_bound * unit,
        critical_path=dates.critical_path * unit,
        conflicts=tuple(conflicts),
    )
