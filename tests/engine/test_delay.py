"""Levelling delay: a task held that many units after its links and floor would let it start.

Every expected date here is worked out by hand from the rule in docs/scheduling.md:
start = min(max(floor, links) + delay, cap), finish = start + duration.
"""

from __future__ import annotations

import numpy as np
import pytest

from itpm.engine import EngineError, Link, NetworkArrays, Task, TaskExtras, schedule, schedule_arrays


def dates(result: object, task: str) -> tuple[int, int]:
    found = result.results[task]  # type: ignore[attr-defined]
    return found.early_start, found.early_finish


def test_a_delay_counts_after_the_link() -> None:
    # A 0-3; B could start at 3, is held 4 more: 7-9; C follows at 9-10.
    result = schedule(
        [Task("A", 3), Task("B", 2, levelling_delay=4), Task("C", 1)], [Link("A", "B"), Link("B", "C")]
    )
    assert [dates(result, t) for t in "ABC"] == [(0, 3), (7, 9), (9, 10)]
    assert result.finish == 10
    b = result.results["B"]
    assert (b.driver, b.driving_predecessor) == ("link", "A")  # the link, delayed, still drives it
    assert result.results["A"].free_float == 0  # the delay uses what would have been A's slack
    assert result.critical_path == ["A", "B", "C"]


def test_a_delay_counts_after_the_project_start_and_a_lag() -> None:
    alone = schedule([Task("B", 2, levelling_delay=4)], [], project_start_unit=10)
    assert dates(alone, "B") == (14, 16)
    lagged = schedule([Task("A", 3), Task("B", 2, levelling_delay=1)], [Link("A", "B", "SS", 2)])
    assert dates(lagged, "B") == (3, 5)  # SS+2 asks for 2, the delay makes it 3


def test_a_delay_on_a_finish_link_moves_the_start() -> None:
    # FF: B's finish >= A's finish 5, so B could start at 3; held 3 more: 6-8.
    result = schedule([Task("A", 5), Task("B", 2, levelling_delay=3)], [Link("A", "B", "FF")])
    assert dates(result, "B") == (6, 8)


def test_a_delay_after_a_constraint_floor() -> None:
    result = schedule([Task("B", 2, constraint="SNET", constraint_date=5, levelling_delay=2)], [])
    assert dates(result, "B") == (7, 9)


def test_a_start_cap_wins_over_a_delay_and_says_so() -> None:
    tasks = [Task("A", 3), Task("B", 2, levelling_delay=4, constraint="SNLT", constraint_date=5)]
    result = schedule(tasks, [Link("A", "B")])
    assert dates(result, "B") == (5, 7)
    assert [conflict.code for conflict in result.conflicts] == ["C101"]


def test_a_delayed_leaf_under_a_linked_summary() -> None:
    # A 0-3 -> summary S; x waits 2 more (5-7); y starts with the summary at 3.
    tasks = [
        Task("A", 3),
        Task("S", 0),
        Task("x", 2, parent="S", levelling_delay=2),
        Task("y", 1, parent="S"),
    ]
    result = schedule(tasks, [Link("A", "S")])
    assert dates(result, "x") == (5, 7)
    assert dates(result, "y") == (3, 4)
    assert dates(result, "S") == (3, 7)


def test_a_task_started_on_record_keeps_its_actual_start() -> None:
    tasks = [Task("A", 5), Task("B", 2, levelling_delay=3, actual_start=1, percent_complete=50)]
    result = schedule(tasks, [Link("A", "B", "SS")], status_unit=2)
    assert result.results["B"].early_start == 1


def test_a_delay_on_a_summary_is_not_used() -> None:
    result = schedule([Task("S", 0, levelling_delay=9), Task("x", 2, parent="S")], [])
    assert dates(result, "x") == (0, 2)


def test_a_negative_delay_is_refused_by_objects_and_arrays() -> None:
    with pytest.raises(EngineError) as error:
        Task("B", 2, levelling_delay=-1)
    assert error.value.code == "E013" and error.value.tasks == ("B",)
    with pytest.raises(EngineError) as error:
        NetworkArrays.of([1, 2], [0], [1], ids=["a", "b"], extras=TaskExtras.of([1], levelling_delay=[-3]))
    assert error.value.code == "E013" and error.value.tasks == ("b",)


def test_arrays_and_objects_agree_on_a_wide_network() -> None:
    # Wide enough for the numpy sweeps: 400 chains of 3 tasks, every middle task delayed.
    rng = np.random.default_rng(7)
    chains = 400
    durations = rng.integers(1, 9, size=3 * chains)
    first = np.arange(chains) * 3
    predecessor = np.concatenate((first, first + 1))
    successor = np.concatenate((first + 1, first + 2))
    delays = rng.integers(0, 5, size=chains)
    extras = TaskExtras.of(first + 1, levelling_delay=delays)
    arrays = schedule_arrays(durations, predecessor, successor, extras=extras)
    tasks = [
        Task(str(n), int(d), levelling_delay=int(delays[n // 3]) if n % 3 == 1 else 0)
        for n, d in enumerate(durations)
    ]
    links = [Link(str(a), str(b)) for a, b in zip(predecessor.tolist(), successor.tolist(), strict=True)]
    objects = schedule(tasks, links)
    columns = arrays.columns
    assert columns.early_start.tolist() == objects.columns.early_start.tolist()
    middle_start = durations[first] + delays
    assert columns.early_start[first + 1].tolist() == middle_start.tolist()
    ends = middle_start + durations[first + 1] + durations[first + 2]
    assert arrays.finish == int(ends.max())
