"""Rank statistics of the Monte Carlo results: average ranks and Spearman's rank correlation,
compiled by numba (see montecarlo_kernels for the fallback without it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.engine.montecarlo_kernels import njit, prange


@njit(cache=True)
def _average_ranks(values: Any) -> Any:
    return _ranks_in_order(values, np.argsort(values))


@njit(cache=True)
def _ranks_in_order(values: Any, order: Any) -> Any:
    """Average ranks (1-based; ties share the mean of their ranks), given the sorting order."""
    ranks = np.empty(values.shape[0])
    first = 0
    count = values.shape[0]
    while first < count:
        last = first
        while last + 1 < count and values[order[last + 1]] == values[order[first]]:
            last += 1
        shared = (first + last) / 2.0 + 1.0
        for place in range(first, last + 1):
            ranks[order[place]] = shared
        first = last + 1
    return ranks


def average_ranks(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Average ranks of a one-dimensional array."""
    result: npt.NDArray[np.float64] = _average_ranks(np.ascontiguousarray(values))
    return result


@njit(cache=True, parallel=True)
def _spearman_sorted(values: Any, order: Any, first_ranks: Any, second_ranks: Any, result: Any) -> None:
    rows, count = values.shape
    mean = (count + 1) / 2.0
    first, second = first_ranks - mean, second_ranks - mean
    first_norm, second_norm = np.sqrt(np.sum(first * first)), np.sqrt(np.sum(second * second))
    for row in prange(rows):
        ranks = _ranks_in_order(values[row], order[row]) - mean
        norm = np.sqrt(np.sum(ranks * ranks))
        result[0, row] = np.sum(ranks * first) / (norm * first_norm) if norm * first_norm else np.nan
        result[1, row] = np.sum(ranks * second) / (norm * second_norm) if norm * second_norm else np.nan


SPEARMAN_ROWS = 512  # rows sorted at a time: bounds the memory of the sort's indices


def spearman_rows(
    values: npt.NDArray[np.float32],
    first_ranks: npt.NDArray[np.float64],
    second_ranks: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Spearman's rank correlation of each row of `values` with two targets, each given by its
    average ranks: a (2, rows) array; NaN for a row that never varies. numpy sorts the rows
    (its vectorised sort of float32 is several times faster than a compiled loop's)."""
    result = np.empty((2, values.shape[0]))
    for first in range(0, values.shape[0], SPEARMAN_ROWS):
        block = values[first : first + SPEARMAN_ROWS]
        _spearman_sorted(
            block,
            np.argsort(block, axis=1),
            first_ranks,
            second_ranks,
            result[:, first : first + SPEARMAN_ROWS],
        )
    return result
