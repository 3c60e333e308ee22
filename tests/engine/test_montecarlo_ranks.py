"""The tornado's rank statistics (montecarlo_ranks) against a plain reference: numpy's sort,
average ranks for ties, and Pearson's r of the ranks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import NetworkArrays
from itpm.engine.montecarlo import TaskCosts, ThreePoint, simulate, task_uncertainty
from itpm.engine.montecarlo_ranks import SMALL_BUCKET, average_ranks, spearman_rows


def reference_ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks the slow way: each value's rank is 1 + (values below) + (ties - 1) / 2."""
    below = (values[None, :] < values[:, None]).sum(axis=1)
    ties = (values[None, :] == values[:, None]).sum(axis=1)
    return below + (ties + 1) / 2.0


def reference_spearman(row: np.ndarray, target: np.ndarray) -> float:
    first, second = reference_ranks(row), reference_ranks(target)
    if first.std() == 0 or second.std() == 0:
        return float("nan")
    return float(np.corrcoef(first, second)[0, 1])


def check(values: np.ndarray, finish: np.ndarray, cost: np.ndarray) -> None:
    rows = np.arange(len(values))[::-1].copy()  # any order of rows, read in place
    found = spearman_rows(values, rows, average_ranks(finish), average_ranks(cost))
    for k, row in enumerate(rows):
        for target, rho in ((finish, found[0, k]), (cost, found[1, k])):
            np.testing.assert_allclose(rho, reference_spearman(values[row], target), atol=1e-12)


def test_average_ranks_share_ties() -> None:
    values = np.array([3.0, 1.0, 3.0, 2.0, 3.0])
    assert average_ranks(values).tolist() == [4.0, 1.0, 4.0, 2.0, 4.0]


def test_rows_with_ties_constants_and_outliers_match_the_reference() -> None:
    rng = np.random.default_rng(5)
    count = 400
    values = (rng.random((6, count)) * 100).astype(np.float32)
    values[1] = 7.0  # never varies: NaN
    values[2] = np.round(values[2] / 25)  # five distinct values, many ties
    values[3] = np.where(rng.random(count) < 0.9, 1 + rng.random(count) * 1e-3, 500)  # one full bucket
    values[4] = rng.standard_cauchy(count)  # fat tails: most values in a few buckets
    values[5, : count // 2] = 3.0  # half the row tied at one value
    finish, cost = rng.random(count), np.round(rng.random(count) * 10)  # the cost has ties too
    check(values, finish, cost)
    found = spearman_rows(values, np.array([1]), average_ranks(finish), average_ranks(cost))
    assert np.isnan(found).all()


def test_a_lopsided_row_takes_the_sorting_fallback_and_stays_exact() -> None:
    count = 20 * SMALL_BUCKET
    rng = np.random.default_rng(9)
    row = np.concatenate([rng.random(count - 1) * 1e-4, [1.0]]).astype(
        np.float32
    )  # one bucket holds all but one
    target = rng.permutation(count).astype(np.float64)
    check(row[None, :], target, -target)


def test_a_row_equal_to_the_target_has_rho_one() -> None:
    values = np.array([[5.0, 1.0, 4.0, 2.0, 3.0]], dtype=np.float32)
    found = spearman_rows(values, np.array([0]), average_ranks(values[0]), average_ranks(-values[0]))
    assert found[:, 0] == pytest.approx([1.0, -1.0])


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.lists(st.integers(0, 12), min_size=3, max_size=80).flatmap(
        lambda row: st.tuples(st.just(row), st.permutations(range(len(row))))
    )
)
def test_any_row_matches_the_reference(case: tuple[list[int], list[int]]) -> None:
    row, order = case
    values = np.array([row, [v * 0.25 + 1000 for v in row]], dtype=np.float32)
    target = np.array(order, dtype=np.float64)
    check(values, target, np.array(row, dtype=np.float64))


def test_a_costed_task_that_is_never_critical_moves_the_cost_but_not_the_finish() -> None:
    """Task 1 (1 to 3 units) runs beside task 0 (50 to 90) into a milestone: it is never
    critical, so its duration cannot move the finish (ρ 0, not the noise of ranking it), but its
    cost rate makes it move the cost."""
    network = NetworkArrays.of([60, 2, 0], [0, 1], [2, 2])
    points = {0: ThreePoint(50, 60, 90), 1: ThreePoint(1, 2, 3)}
    costs = TaskCosts.of(3, rate_per_unit={0: Decimal(1), 1: Decimal(100)})
    result = simulate(network, task_uncertainty([60, 2, 0], points), iterations=2000, seed=3, costs=costs)
    assert result.criticality[1] == 0.0
    assert result.duration_sensitivity[1] == 0.0 and result.duration_sensitivity[0] > 0.99
    assert result.cost_sensitivity[1] > 0.9 > result.cost_sensitivity[0] > 0.1  # 100 × its spread weighs more
