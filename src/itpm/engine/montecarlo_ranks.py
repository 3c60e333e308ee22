"""Rank statistics of the Monte Carlo results: average ranks and Spearman's rank correlation,
compiled by numba (see montecarlo_kernels for the fallback without it).

The tornado ranks thousands of task rows of a thousand samples each. A row is put in order by
a bucket sort (its range cut into as many buckets as it has values; rounding is monotone, so a
smaller value never lands in a later bucket), then one insertion sort over the row, which only
moves values within their bucket: O(n) for the continuous, bounded samples a task has, where a
comparison sort is O(n log n). When a bucket holds more than SMALL_BUCKET values (a very
lopsided row), each bucket is sorted on its own, a crowded one by np.argsort, so the worst case
stays O(n log n). Ties share the mean of their ranks whatever the order found, so
the ranks are those of any exact sort.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.engine.montecarlo_kernels import dynamic_scheduling, njit, prange

SMALL_BUCKET = 32  # above this many values a bucket is sorted by np.argsort, not by insertion
ROWS_A_BATCH = 16  # rows ranked by one thread between two hand-outs (scratch reused within)


@njit(cache=True)
def _average_ranks(values: Any) -> Any:
    ranks, order = np.empty(values.shape[0]), np.argsort(values)
    _ranks_of_ordered(values[order], order, ranks)
    return ranks


def average_ranks(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Average ranks of a one-dimensional array."""
    result: npt.NDArray[np.float64] = _average_ranks(np.ascontiguousarray(values))
    return result


@njit(cache=True)
def _bucket_order(values: Any, bucket: Any, starts: Any, order: Any, ordered: Any) -> None:
    """The indices of `values` in ascending order of value into `order`, and the values in
    that order into `ordered`; `bucket` (len(values)) and `starts` (one more) are scratch."""
    count = values.shape[0]
    low, high = values.min(), values.max()
    scale = count / (float(high) - float(low)) if high > low else 0.0
    starts[:] = 0
    for index in range(count):
        bucket[index] = min(int((float(values[index]) - low) * scale), count - 1)
        starts[bucket[index] + 1] += 1
    crowded = 0
    for place in range(count):
        crowded = max(crowded, starts[place + 1])
        starts[place + 1] += starts[place]
    for index in range(count):  # scatter: starts[b] walks through bucket b's places
        place = starts[bucket[index]]
        order[place], ordered[place] = index, values[index]
        starts[bucket[index]] = place + 1
    if crowded <= SMALL_BUCKET:  # out of order only within buckets: one insertion sort
        _insertion_sort(order, ordered, 0, count)
        return
    begin = 0
    for place in range(count):  # starts[b] is now the end of bucket b
        if starts[place] - begin > 1:
            _sort_bucket(order, ordered, begin, starts[place])
        begin = starts[place]


@njit(cache=True)
def _sort_bucket(order: Any, ordered: Any, begin: int, end: int) -> None:
    if end - begin > SMALL_BUCKET:
        by_value = np.argsort(ordered[begin:end]) + begin
        order[begin:end], ordered[begin:end] = order[by_value], ordered[by_value]
    else:
        _insertion_sort(order, ordered, begin, end)


@njit(cache=True)
def _insertion_sort(order: Any, ordered: Any, begin: int, end: int) -> None:
    """Sorts ordered[begin:end], and order with it, in O(length + values out of order)."""
    for place in range(begin + 1, end):
        index, value = order[place], ordered[place]
        back = place - 1
        while back >= begin and ordered[back] > value:
            order[back + 1], ordered[back + 1] = order[back], ordered[back]
            back -= 1
        order[back + 1], ordered[back + 1] = index, value


@njit(cache=True)
def _ranks_of_ordered(ordered: Any, order: Any, ranks: Any) -> None:
    """Average ranks (1-based; ties share the mean of their ranks) into `ranks`, from the
    values in ascending order and their indices."""
    first, count = 0, ordered.shape[0]
    while first < count:
        last = first
        while last + 1 < count and ordered[last + 1] == ordered[first]:
            last += 1
        shared = (first + last) / 2.0 + 1.0
        for place in range(first, last + 1):
            ranks[order[place]] = shared
        first = last + 1


@njit(cache=True, parallel=True)
def _spearman_rows(values: Any, rows: Any, first: Any, second: Any, result: Any) -> None:
    """Spearman's ρ of values[rows[k]] with two targets given as centred ranks, into result[:, k]."""
    count = values.shape[1]
    mean = (count + 1) / 2.0
    first_norm, second_norm = np.sqrt(np.sum(first * first)), np.sqrt(np.sum(second * second))
    for batch in prange((rows.shape[0] + ROWS_A_BATCH - 1) // ROWS_A_BATCH):
        order, bucket = np.empty(count, dtype=np.int64), np.empty(count, dtype=np.int64)
        starts, ranks = np.empty(count + 1, dtype=np.int64), np.empty(count)
        ordered = np.empty(count, dtype=values.dtype)
        for k in range(batch * ROWS_A_BATCH, min((batch + 1) * ROWS_A_BATCH, rows.shape[0])):
            row = values[rows[k]]
            _bucket_order(row, bucket, starts, order, ordered)
            _ranks_of_ordered(ordered, order, ranks)
            norm, along_first, along_second = 0.0, 0.0, 0.0
            for index in range(count):
                centred = ranks[index] - mean
                norm += centred * centred
                along_first += centred * first[index]
                along_second += centred * second[index]
            norm = np.sqrt(norm)
            result[0, k] = along_first / (norm * first_norm) if norm * first_norm else np.nan
            result[1, k] = along_second / (norm * second_norm) if norm * second_norm else np.nan


def spearman_rows(
    values: npt.NDArray[np.float32],
    rows: npt.NDArray[np.int64],
    first_ranks: npt.NDArray[np.float64],
    second_ranks: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Spearman's rank correlation of each of the `rows` of `values` (in place: no copy) with
    two targets, each given by its average ranks: a (2, len(rows)) array; NaN for a row that
    never varies."""
    result = np.empty((2, len(rows)))
    mean = (values.shape[1] + 1) / 2.0
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    with dynamic_scheduling():  # a batch at a time: a core slowed by other work takes fewer
        _spearman_rows(np.ascontiguousarray(values), rows, first_ranks - mean, second_ranks - mean, result)
    return result
