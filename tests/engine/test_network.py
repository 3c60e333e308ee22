"""Laying out a network once and scheduling it: levels, reuse, result columns, large networks."""

from __future__ import annotations

import numpy as np
import pytest

from itpm.engine import Link, Task, build_network, levels, passes, schedule, schedule_network


def chain(count: int) -> tuple[list[Task], list[Link]]:
    tasks = [Task(f"T{n}", 1 + n % 3) for n in range(count)]
    return tasks, [Link(f"T{n}", f"T{n + 1}") for n in range(count - 1)]


def random_network(count: int, seed: int) -> tuple[list[Task], list[Link]]:
    rng = np.random.default_rng(seed)
    tasks = [Task(f"T{n}", int(d)) for n, d in enumerate(rng.integers(0, 9, count))]
    pairs = {
        tuple(sorted(pair)) for pair in rng.integers(0, count, (3 * count, 2)).tolist() if pair[0] != pair[1]
    }
    kinds = rng.choice(["FS", "SS", "FF", "SF"], len(pairs)).tolist()
    lags = rng.integers(-3, 6, len(pairs)).tolist()
    links = [
        Link(f"T{a}", f"T{b}", kind, lag)
        for (a, b), kind, lag in zip(sorted(pairs), kinds, lags, strict=True)
    ]
    return tasks, links


def test_levels_count_the_longest_chain_before_each_task() -> None:
    tasks = [Task("A", 1), Task("B", 1), Task("C", 1), Task("D", 1)]
    network = build_network(tasks, [Link("A", "B"), Link("B", "C"), Link("A", "C"), Link("D", "C")])
    assert network.level.tolist() == [0, 1, 2, 0]
    assert [network.ids[node] for node in network.order.tolist()] == ["A", "D", "B", "C"]


def test_a_network_is_built_once_and_scheduled_under_several_options() -> None:
    network = build_network([Task("A", 3), Task("B", 2)], [Link("A", "B")])
    assert schedule_network(network).finish == 5
    assert schedule_network(network, status_unit=4).finish == 9
    assert schedule_network(network, project_finish_unit=20).start == 15
    assert schedule_network(network).finish == 5  # nothing carried over


def test_results_read_as_a_mapping_and_as_columns() -> None:
    plan = schedule([Task("A", 3), Task("B", 2)], [Link("A", "B")])
    assert list(plan.results) == ["A", "B"] and len(plan.results) == 2
    assert plan.results == {"A": plan.results["A"], "B": plan.results["B"]}
    assert plan.columns.ids == ("A", "B")
    assert plan.columns.early_start.tolist() == [0, 3]
    assert plan.columns.critical.tolist() == [True, True]
    with pytest.raises(KeyError):
        plan.results["Z"]


@pytest.mark.parametrize("numpy_levels", [True, False])
def test_a_long_chain_is_levelled_either_way(numpy_levels: bool) -> None:
    # Narrow frontiers hand over from numpy to plain Python part way; the result is the same.
    tasks, links = chain(5_000)
    saved = levels.PYTHON_BELOW
    levels.PYTHON_BELOW = 0 if numpy_levels else 10**9
    try:
        network = build_network(tasks, links)
    finally:
        levels.PYTHON_BELOW = saved
    assert network.level.tolist() == list(range(5_000))
    assert schedule_network(network).finish == sum(task.duration for task in tasks)


def test_a_large_random_network_schedules_alike_on_numpy_and_on_python_loops() -> None:
    tasks, links = random_network(6_000, seed=7)
    network = build_network(tasks, links)
    saved = passes.VECTOR_MIN_WIDTH
    try:
        passes.VECTOR_MIN_WIDTH = 0
        by_numpy = schedule_network(network, status_unit=5)
        passes.VECTOR_MIN_WIDTH = 10**9
        by_python = schedule_network(network, status_unit=5)
    finally:
        passes.VECTOR_MIN_WIDTH = saved
    for name in ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"):
        assert np.array_equal(getattr(by_numpy.columns, name), getattr(by_python.columns, name)), name
    assert by_numpy.critical_path == by_python.critical_path
