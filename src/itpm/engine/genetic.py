"""The genetic algorithm of levelling: activity lists, Hartmann's operators, FBI on every child.

After Hartmann (1998), "A competitive genetic algorithm for resource-constrained project
scheduling", Naval Research Logistics 45: an individual is an activity list (each activity after
its predecessors); two-point crossover keeps the head of one parent and fills the rest in the
other parent's order, which keeps lists valid; mutation swaps neighbours that are not linked.
A list is decoded by the serial SGS and then justified forward and backward (Valls, Ballestín and
Quintanilla 2005); the justified list replaces the child's own (Lamarckian), which is where most
of the strength comes from. Survivors are the best distinct schedules of parents and children.
A population that stops improving is renewed by sampling, keeping its best few.

The random numbers come from a numpy Generator passed in; budgets count schedules, so a seed
gives the same result on any machine, with numba or without.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from itpm.engine.sgs import justify, njit, order_by_rank, rank_of, serial_sgs

USED, BEST, BEST_GENERATION, GENERATION, STALE = range(5)  # positions in the stats array
STATS = 5
KEEP_ON_RENEWAL = 4
SAMPLE_EXACTLY = 1000
MAX_LATE = 1000  # late fixed activities counted at most: fitness × CODE_MODULUS must fit an int64
CODE_MODULUS = 2_147_483_647  # a prime below 2**31: codes fit beside a fitness in one int64


@njit(cache=True)
def decode(order: Any, inst: Any, horizon: int, penalty: int, start: Any, scratch: Any) -> Any:
    """Fitness of a list (makespan, plus `penalty` per late fixed activity) after SGS and FBI;
    the list and `start` become the better of the two. Returns (fitness, schedules used)."""
    duration, release, pin, demand_ptr, demand_resource, units, capacity, pred_ptr, pred_node, pred_lag = (
        inst[:10]
    )
    span, late = serial_sgs(
        order, duration, release, pin, demand_ptr, demand_resource, units, capacity, inst[14],
        pred_ptr, pred_node, pred_lag, horizon, start,
    )  # fmt: skip
    forward, span2, late2 = justify(order, start, span, inst, horizon, scratch)
    late, late2 = min(late, MAX_LATE), min(late2, MAX_LATE)
    if span2 + late2 * penalty <= span + late * penalty:
        order[:] = forward
        start[:] = scratch
        return span2 + late2 * penalty, 3
    return span + late * penalty, 3


@njit(cache=True)
def code_of(start: Any) -> int:
    """A hash of the starts, to keep copies of one schedule out of the population."""
    code = 0
    for value in start:
        code = (code * 31 + value + 1) % CODE_MODULUS
    return code


@njit(cache=True)
def sample_list(rng: Any, value: Any, pred_ptr: Any, succ_ptr: Any, succ_node: Any, out: Any) -> None:
    """Regret-based biased random sampling: each eligible activity is drawn with weight one more
    than how far its value (say its latest finish) is below the worst eligible one. Above
    SAMPLE_EXACTLY activities, where that costs n × eligible steps, the values get random noise
    of a tenth of their range instead and the list follows them."""
    n = value.shape[0]
    if n > SAMPLE_EXACTLY:
        spread = 0.1 * (value.max() - value.min() + 1)
        noisy = np.empty(n, dtype=np.float64)
        for j in range(n):
            noisy[j] = value[j] + spread * rng.random()
        out[:] = order_by_rank(rank_of(noisy), pred_ptr, succ_ptr, succ_node)
        return
    waiting = pred_ptr[1:] - pred_ptr[:-1]
    eligible = np.empty(n, dtype=np.int64)
    count = 0
    for j in range(n):
        if waiting[j] == 0:
            eligible[count] = j
            count += 1
    for position in range(n):
        worst = value[eligible[0]]
        for i in range(count):
            worst = max(worst, value[eligible[i]])
        total = 0
        for i in range(count):
            total += worst - value[eligible[i]] + 1
        pick = rng.random() * total
        chosen = count - 1
        for i in range(count):
            pick -= worst - value[eligible[i]] + 1
            if pick < 0:
                chosen = i
                break
        j = eligible[chosen]
        eligible[chosen] = eligible[count - 1]
        count -= 1
        out[position] = j
        for k in range(succ_ptr[j], succ_ptr[j + 1]):
            after = succ_node[k]
            waiting[after] -= 1
            if waiting[after] == 0:
                eligible[count] = after
                count += 1


@njit(cache=True)
def crossover(mother: Any, father: Any, first: int, second: int, child: Any) -> None:
    """Two-point crossover: mother's head, then father's order, then mother's order again."""
    n = mother.shape[0]
    taken = np.zeros(n, dtype=np.bool_)
    for position in range(first):
        child[position] = mother[position]
        taken[mother[position]] = True
    cursor = 0
    for position in range(first, second):
        while taken[father[cursor]]:
            cursor += 1
        child[position] = father[cursor]
        taken[father[cursor]] = True
    cursor = 0
    for position in range(second, n):
        while taken[mother[cursor]]:
            cursor += 1
        child[position] = mother[cursor]
        taken[mother[cursor]] = True


@njit(cache=True)
def mutate(rng: Any, order: Any, rate: float, pred_ptr: Any, pred_node: Any) -> None:
    """Swap neighbours with probability `rate` each, unless the first must precede the second."""
    for position in range(order.shape[0] - 1):
        if rng.random() < rate:
            before, after = order[position], order[position + 1]
            linked = False
            for k in range(pred_ptr[after], pred_ptr[after + 1]):
                if pred_node[k] == before:
                    linked = True
                    break
            if not linked:
                order[position], order[position + 1] = after, before


@njit(cache=True)
def _evaluate(
    order: Any,
    fitness: Any,
    codes: Any,
    row: int,
    inst: Any,
    horizon: int,
    penalty: int,
    best: Any,
    best_order: Any,
    best_start: Any,
    stats: Any,
) -> None:
    n = order.shape[0]
    start = np.empty(n, dtype=np.int64)
    scratch = np.empty(n, dtype=np.int64)
    fitness[row], used = decode(order, inst, horizon, penalty, start, scratch)
    codes[row] = code_of(start)
    stats[USED] += used
    if fitness[row] < best[0]:
        best[0] = fitness[row]
        best_order[:] = order
        best_start[:] = start
        stats[BEST] = fitness[row]
        stats[BEST_GENERATION] = stats[GENERATION]
        stats[STALE] = 0


@njit(cache=True)
def populate(
    rng: Any,
    population: Any,
    fitness: Any,
    codes: Any,
    given: int,
    value: Any,
    inst: Any,
    horizon: int,
    penalty: int,
    best_order: Any,
    best_start: Any,
    stats: Any,
) -> None:
    """Rows from `given` on are sampled; every row is decoded."""
    pred_ptr, succ_ptr, succ_node = inst[7], inst[10], inst[11]
    best = np.array([stats[BEST]], dtype=np.int64)
    for row in range(population.shape[0]):
        if row >= given:
            sample_list(rng, value, pred_ptr, succ_ptr, succ_node, population[row])
        _evaluate(
            population[row], fitness, codes, row, inst, horizon, penalty, best, best_order, best_start, stats
        )


@njit(cache=True)
def evolve(
    rng: Any,
    population: Any,
    fitness: Any,
    codes: Any,
    value: Any,
    inst: Any,
    horizon: int,
    penalty: int,
    settings: Any,
    best_order: Any,
    best_start: Any,
    stats: Any,
) -> None:
    """Run generations until `settings` = (stop_at, budget, lower_bound, mutation per mille,
    renew_after) says stop: at stop_at schedules (a generation is never cut there), at the
    budget (it is cut there), or at the lower bound."""
    stop_at, budget, lower_bound, per_mille, renew_after = (
        settings[0],
        settings[1],
        settings[2],
        settings[3],
        settings[4],
    )
    size, n = population.shape
    children = np.empty_like(population)
    child_fitness = np.empty(size, dtype=np.int64)
    child_codes = np.empty(size, dtype=np.int64)
    best = np.array([stats[BEST]], dtype=np.int64)
    pred_ptr, pred_node = inst[7], inst[8]
    while stats[USED] < stop_at and stats[USED] + 6 <= budget and best[0] > lower_bound:
        pairing = rng.permutation(size)
        made = 0
        for pair in range(size // 2):
            if stats[USED] + 6 > budget:
                break
            mother, father = population[pairing[2 * pair]], population[pairing[2 * pair + 1]]
            first, second = rng.integers(0, n + 1), rng.integers(0, n + 1)
            if first > second:
                first, second = second, first
            for row, one, other in ((made, mother, father), (made + 1, father, mother)):
                crossover(one, other, first, second, children[row])
                mutate(rng, children[row], per_mille / 1000.0, pred_ptr, pred_node)
                _evaluate(
                    children[row],
                    child_fitness,
                    child_codes,
                    row,
                    inst,
                    horizon,
                    penalty,
                    best,
                    best_order,
                    best_start,
                    stats,
                )
            made += 2
        _survive(population, fitness, codes, children[:made], child_fitness[:made], child_codes[:made])
        stats[GENERATION] += 1
        stats[STALE] += 1
        if stats[STALE] >= renew_after and stats[USED] + 3 * size <= budget:
            order = np.argsort(fitness * CODE_MODULUS + codes, kind="mergesort")
            population[:, :] = population[order]
            fitness[:] = fitness[order]
            codes[:] = codes[order]
            populate(
                rng,
                population,
                fitness,
                codes,
                KEEP_ON_RENEWAL,
                value,
                inst,
                horizon,
                penalty,
                best_order,
                best_start,
                stats,
            )
            stats[STALE] = 0


@njit(cache=True)
def _survive(
    population: Any, fitness: Any, codes: Any, children: Any, child_fitness: Any, child_codes: Any
) -> None:
    """The best distinct schedules of parents and children (parents first on ties); copies of a
    schedule only when there are not enough distinct ones."""
    size = population.shape[0]
    pool = np.concatenate((population, children))
    pool_fitness = np.concatenate((fitness, child_fitness))
    pool_codes = np.concatenate((codes, child_codes))
    key = pool_fitness * CODE_MODULUS + pool_codes
    order = np.argsort(key, kind="mergesort")
    chosen = np.empty(size, dtype=np.int64)
    used = np.zeros(key.shape[0], dtype=np.bool_)
    count = 0
    previous = -1
    for candidate in order:
        if count < size and key[candidate] != previous:
            chosen[count] = candidate
            used[candidate] = True
            count += 1
        previous = key[candidate]
    for candidate in order:
        if count < size and not used[candidate]:
            chosen[count] = candidate
            count += 1
    population[:, :] = pool[chosen]
    fitness[:] = pool_fitness[chosen]
    codes[:] = pool_codes[chosen]
