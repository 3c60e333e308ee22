"""Monte Carlo calibration: networks whose true distribution is known analytically.

Tolerances come from the standard error of each estimate (a few standard errors wide), so a
test fails when the simulation is biased, not when it is unlucky once in a thousand runs; the
seeds are fixed, so each run is the same run.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from itpm.engine import EngineError, NetworkArrays, schedule_arrays
from itpm.engine.montecarlo import (
    CorrelationGroup,
    RiskEvent,
    TaskCosts,
    ThreePoint,
    simulate,
    task_uncertainty,
)

N = 20_000


def chain(count: int) -> NetworkArrays:
    return NetworkArrays.of([10] * count, list(range(count - 1)), list(range(1, count)))


def parallel(count: int) -> NetworkArrays:
    """`count` tasks side by side, all into a finish milestone (the last task)."""
    return NetworkArrays.of([10] * count + [0], list(range(count)), [count] * count)


def estimates(count: int, point: ThreePoint) -> dict[int, ThreePoint]:
    return {task: point for task in range(count)}


def triangular_moments(a: float, m: float, b: float) -> tuple[float, float]:
    mean = (a + m + b) / 3
    variance = (a * a + m * m + b * b - a * m - a * b - m * b) / 18
    return mean, variance


def triangular_cdf(x: float, a: float, m: float, b: float) -> float:
    if x <= a:
        return 0.0
    if x <= m:
        return (x - a) ** 2 / ((b - a) * (m - a))
    if x < b:
        return 1 - (b - x) ** 2 / ((b - a) * (b - m))
    return 1.0


def assert_mean_and_variance(values: np.ndarray, mean: float, variance: float) -> None:
    count = len(values)
    assert abs(values.mean() - mean) < 4 * math.sqrt(variance / count)
    # The variance's standard error, with the sample's own fourth moment.
    fourth = np.mean((values - values.mean()) ** 4)
    error = math.sqrt(max(fourth - variance**2, 0) / count)
    assert abs(values.var(ddof=1) - variance) < 5 * error


def test_chain_of_triangular_tasks_has_the_sum_of_means_and_variances() -> None:
    point = ThreePoint(5, 10, 30)
    result = simulate(chain(12), task_uncertainty([10] * 12, estimates(12, point)), iterations=N, seed=11)
    mean, variance = triangular_moments(5, 10, 30)
    assert_mean_and_variance(result.finish, 12 * mean, 12 * variance)
    assert result.deterministic_finish == 120  # every task at its most likely duration
    assert (result.criticality == 1).all()  # a chain is all critical


def test_chain_of_pert_tasks_has_the_beta_pert_mean_and_variance() -> None:
    # PERT-beta with λ = 4: mean (a + 4m + b) / 6, variance (μ − a)(b − μ) / 7 (Vose, Risk Analysis).
    point = ThreePoint(4, 10, 40, "pert")
    result = simulate(chain(8), task_uncertainty([10] * 8, estimates(8, point)), iterations=N, seed=12)
    mean = (4 + 40 + 40) / 6
    variance = (mean - 4) * (40 - mean) / 7
    assert_mean_and_variance(result.finish, 8 * mean, 8 * variance)


@pytest.mark.parametrize("paths", [2, 5])
def test_parallel_paths_merge_as_the_product_of_their_distributions(paths: int) -> None:
    a, m, b = 5.0, 10.0, 30.0
    network = parallel(paths)
    uncertainty = task_uncertainty([10] * paths + [0], estimates(paths, ThreePoint(a, m, b)))
    result = simulate(network, uncertainty, iterations=N, seed=13)
    for x in (9.0, 12.0, 15.0, 20.0, 25.0):
        expected = triangular_cdf(x, a, m, b) ** paths  # P(max <= x) = F(x)^paths
        observed = float(np.mean(result.finish <= x))
        assert abs(observed - expected) < 4 * math.sqrt(expected * (1 - expected) / N) + 1e-9
    # Merge bias: the simulated mean finish lies beyond every path's own mean.
    assert result.mean_finish > triangular_moments(a, m, b)[0] + 1
    shares = result.criticality[:paths]
    assert abs(shares.sum() - 1) < 1e-12  # one path drives each iteration
    assert np.all(np.abs(shares - 1 / paths) < 4 * math.sqrt((1 / paths) * (1 - 1 / paths) / N))


def test_a_risk_shifts_the_mean_by_probability_times_impact() -> None:
    point = ThreePoint(5, 10, 30)
    risk = RiskEvent("R1", 0.3, tasks=(1,), schedule_impact=ThreePoint(20, 20, 20, "fixed"))
    uncertainty = task_uncertainty([10] * 3, estimates(3, point))
    result = simulate(chain(3), uncertainty, iterations=N, seed=14, risks=[risk])
    mean, variance = triangular_moments(5, 10, 30)
    total_variance = 3 * variance + 20**2 * 0.3 * 0.7
    assert abs(result.mean_finish - (3 * mean + 0.3 * 20)) < 4 * math.sqrt(total_variance / N)
    (driver,) = result.risk_drivers
    assert abs(driver.occurred - 0.3) < 4 * math.sqrt(0.3 * 0.7 / N)
    assert abs(driver.mean_delay - 20) < 4 * math.sqrt(2 * 3 * variance / (N * 0.21))
    assert driver.finish_correlation > 0.5


def test_risks_are_ranked_by_the_delay_they_bring_and_their_cost_counts() -> None:
    risks = [
        RiskEvent("small", 0.5, tasks=(0,), schedule_impact=ThreePoint(2, 2, 2, "fixed")),
        RiskEvent("large", 0.2, tasks=(1,), schedule_impact=ThreePoint(30, 40, 50)),
        RiskEvent("costly", 0.5, cost_impact=(Decimal(1000), Decimal(1000), Decimal(1000))),
    ]
    uncertainty = task_uncertainty([10, 10], estimates(2, ThreePoint(9, 10, 11)))
    result = simulate(chain(2), uncertainty, iterations=N, seed=15, risks=risks)
    assert [driver.id for driver in result.risk_drivers][:2] == ["large", "small"]
    costly = next(driver for driver in result.risk_drivers if driver.id == "costly")
    assert costly.mean_cost == Decimal("1000.00") and costly.cost_correlation > 0.9
    assert abs(float(result.mean_cost) - 500) < 4 * math.sqrt(1000**2 * 0.25 / N)


def test_task_costs_follow_the_sampled_durations() -> None:
    point = ThreePoint(5, 10, 30)
    costs = TaskCosts.of(2, fixed={0: Decimal(100)}, rate_per_unit={0: Decimal(2), 1: Decimal(3)})
    result = simulate(
        chain(2), task_uncertainty([10, 10], estimates(2, point)), iterations=N, seed=16, costs=costs
    )
    mean, variance = triangular_moments(5, 10, 30)
    assert abs(float(result.mean_cost) - (100 + 5 * mean)) < 4 * math.sqrt(13 * variance / N)
    assert result.cost_sensitivity[1] > result.cost_sensitivity[0] > 0.3  # the higher rate weighs more
    assert result.probability_budget is None
    budgeted = simulate(chain(2), task_uncertainty([10, 10], estimates(2, point)), iterations=N, seed=16,
                        costs=costs, budget=result.cost_percentiles[80])  # fmt: skip
    assert abs(budgeted.probability_budget - 0.8) < 0.01  # type: ignore[operator]


def test_correlated_tasks_widen_the_spread_of_their_sum() -> None:
    a, m, b = 0.0, 50.0, 100.0
    uncertainty = task_uncertainty([50, 50], estimates(2, ThreePoint(a, m, b)))
    _, variance = triangular_moments(a, m, b)
    for rho in (0.0, 0.8):
        groups = [CorrelationGroup((0, 1), rho)] if rho else []
        result = simulate(chain(2), uncertainty, iterations=N, seed=17, correlations=groups)
        observed = result.finish.var(ddof=1) / (2 * variance) - 1  # Var(X + Y) = 2σ²(1 + r)
        expected = 6 / math.pi * math.asin(rho / 2)  # the copula's rank correlation
        assert abs(observed - expected) < 0.03


def test_same_seed_same_run_any_chunk_size_and_longer_runs_extend_shorter_ones() -> None:
    network = parallel(6)
    uncertainty = task_uncertainty([10] * 6 + [0], estimates(6, ThreePoint(5, 10, 30, "pert")))
    risks = [RiskEvent("R", 0.4, tasks=(2, 3), schedule_impact=ThreePoint(1, 3, 9))]
    groups = [CorrelationGroup((0, 1, 4), 0.5)]
    runs = [
        simulate(
            network, uncertainty, iterations=1000, seed=5, chunk_size=size, risks=risks, correlations=groups
        )
        for size in (None, 1, 7, 64, 1000)
    ]
    for run in runs[1:]:
        assert np.array_equal(run.finish, runs[0].finish)
        assert np.array_equal(run.criticality, runs[0].criticality)
    longer = simulate(network, uncertainty, iterations=3000, seed=5, risks=risks, correlations=groups)
    assert np.array_equal(longer.finish[:1000], runs[0].finish)
    other = simulate(network, uncertainty, iterations=1000, seed=6, risks=risks, correlations=groups)
    assert not np.array_equal(other.finish, runs[0].finish)


def test_fixed_durations_reproduce_the_critical_path_method_on_a_mixed_network() -> None:
    rng = np.random.default_rng(3)
    count = 300
    durations = rng.integers(0, 20, count) * 100
    successor = np.repeat(np.arange(20, count), 2)
    predecessor = (successor - rng.integers(1, 20, successor.size)).clip(0)
    keep = np.unique(predecessor * count + successor, return_index=True)[1]
    own = ((predecessor == 39) & (successor // 10 == 4)) | ((predecessor == 119) & (successor // 10 == 12))
    keep = keep[(predecessor[keep] != successor[keep]) & ~own[keep]]  # no link from a summary into itself
    kinds, lags = rng.integers(0, 4, keep.size), rng.integers(-200, 500, keep.size)
    parent = np.full(count, -1)
    parent[40:50], parent[120:130] = 39, 119  # two summaries, which links also touch
    network = NetworkArrays.of(
        durations,
        predecessor[keep],
        successor[keep],
        kinds,
        lags,
        parent=parent,
        ids=[f"T{n}" for n in range(count)],
    )
    planned = schedule_arrays(network)
    fixed = task_uncertainty(durations, distribution="fixed")
    result = simulate(network, fixed, iterations=50, seed=1)
    assert result.deterministic_finish == planned.finish
    assert np.all(result.finish == planned.finish)
    on_path = [planned.results[task].critical for task in result.ids]
    critical = result.criticality > 0
    assert all(on_path[task] for task in np.flatnonzero(critical))  # the chain walked is critical


def test_probability_of_meeting_a_deadline_matches_the_distribution() -> None:
    point = ThreePoint(5, 10, 30)
    result = simulate(chain(1), task_uncertainty([10], {0: point}), iterations=N, seed=18, deadline=15.0)
    expected = triangular_cdf(15, 5, 10, 30)
    assert abs(result.probability_deadline - expected) < 4 * math.sqrt(expected * (1 - expected) / N)  # type: ignore[operator]
    assert result.finish_percentiles[10] < result.finish_percentiles[50] < result.finish_percentiles[90]


def test_convergence_is_reported_chunk_by_chunk() -> None:
    uncertainty = task_uncertainty([10] * 5, estimates(5, ThreePoint(5, 10, 30)))
    result = simulate(chain(5), uncertainty, iterations=4000, seed=19, chunk_size=1000)
    assert [done for done, _, _ in result.convergence.running] == [1000, 2000, 3000, 4000]
    assert result.convergence.p80_standard_error is not None and result.convergence.p80_standard_error < 1
    assert result.convergence.converged
    few = simulate(chain(5), uncertainty, iterations=100, seed=19)
    assert few.convergence.p80_standard_error is None and not few.convergence.converged


def test_tornado_names_the_widest_tasks_first() -> None:
    points = {0: ThreePoint(9, 10, 11), 1: ThreePoint(5, 10, 60), 2: ThreePoint(8, 10, 20)}
    result = simulate(chain(3), task_uncertainty([10] * 3, points), iterations=5000, seed=20)
    assert [task for task, _ in result.tornado(3)] == ["1", "2", "0"]
    fixed = simulate(
        chain(2), task_uncertainty([10, 10], {0: ThreePoint(5, 10, 20)}, distribution="fixed"), seed=1
    )
    assert [task for task, _ in fixed.tornado()] == ["0"]  # a fixed task never varies: left out


def test_category_defaults_stretch_the_planned_duration() -> None:
    uncertainty = task_uncertainty([100, 100, 100], categories=["testing", None, "unknown"])
    assert list(uncertainty.low) == [90, 90, 90] and list(uncertainty.high) == [170, 130, 130]
    with pytest.raises(ValueError, match="must hold 1"):
        task_uncertainty([100], ranges={"default": (1.2, 1.5)})


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate(chain(2), task_uncertainty([10] * 3)), "uncertainty has 3 tasks"),
        (lambda: simulate(chain(2), task_uncertainty([10] * 2), iterations=0), "iterations"),
        (lambda: simulate(chain(2), task_uncertainty([10] * 2), seed=-1), "seed"),
        (lambda: simulate(chain(2), task_uncertainty([10] * 2), chunk_size=0), "chunk_size"),
        (
            lambda: simulate(
                chain(2),
                task_uncertainty([10] * 2),
                correlations=[CorrelationGroup((0, 1), 0.5), CorrelationGroup((1,), 0.5)],
            ),
            "two correlation groups",
        ),
        (lambda: simulate(chain(2), task_uncertainty([10] * 2), costs=TaskCosts.of(3)), "costs has 3 tasks"),
        (lambda: simulate(chain(2), task_uncertainty([10] * 2), sensitivity_iterations=-1), "sensitivity"),
        (lambda: ThreePoint(10, 5, 20), "optimistic <= most likely"),
        (lambda: ThreePoint(1, 2, 3, "normal"), "distribution 'normal'"),
        (lambda: RiskEvent("R", 1.5), "probability"),
        (lambda: RiskEvent("R", 0.5, schedule_impact=ThreePoint(1, 2, 3)), "affects no task"),
        (lambda: CorrelationGroup((0, 1), 1.0), "correlation"),
        (lambda: task_uncertainty([10], {3: ThreePoint(1, 2, 3)}), "task number 3"),
    ],
)
def test_bad_input_is_refused_with_a_message(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_a_cycle_is_the_engine_error_it_always_is() -> None:
    network = NetworkArrays.of([10, 10], [0, 1], [1, 0])
    with pytest.raises(EngineError) as raised:
        simulate(network, task_uncertainty([10, 10]), iterations=10)
    assert raised.value.code == "E001"


def test_simulations_in_concurrent_threads_do_not_disturb_each_other() -> None:
    import threading

    uncertainty = task_uncertainty([10] * 50, estimates(50, ThreePoint(5, 10, 20)))
    expected = simulate(chain(50), uncertainty, iterations=2000, seed=3).finish
    same: list[bool] = []

    def run() -> None:
        for _ in range(3):
            same.append(
                np.array_equal(simulate(chain(50), uncertainty, iterations=2000, seed=3).finish, expected)
            )

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert same == [True] * 9
