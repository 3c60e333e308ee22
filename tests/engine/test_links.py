"""Lags as a percentage of the predecessor's duration, and the driving link of each task."""

from __future__ import annotations

import pytest

from itpm.engine import EngineError, Link, Task, schedule


@pytest.mark.parametrize(
    ("kind", "percent", "start"),
    [
        ("SS", 50.0, 5),  # half of A's 10
        ("FS", -25.0, 8),  # a lead of a quarter of 10 = 2.5, rounded half to even: 2
        ("FS", 15.0, 12),  # 1.5 rounds to 2
        ("SS", 100.0, 10),
    ],
)
def test_a_percentage_lag_is_a_share_of_the_predecessor_duration(
    kind: str, percent: float, start: int
) -> None:
    plan = schedule([Task("A", 10), Task("B", 2)], [Link("A", "B", kind, lag_percent=percent)])
    assert plan.results["B"].early_start == start


def test_a_percentage_lag_replaces_the_lag_in_units() -> None:
    plan = schedule([Task("A", 4), Task("B", 1)], [Link("A", "B", "SS", lag=99, lag_percent=50.0)])
    assert plan.results["B"].early_start == 2


def test_a_percentage_lag_uses_the_duration_given_for_a_summary() -> None:
    tasks = [Task("S", 8), Task("A", 2, parent="S"), Task("B", 1)]
    plan = schedule(tasks, [Link("S", "B", "FS", lag_percent=50.0)])
    assert plan.results["B"].early_start == 6  # S ends at 2, plus half of 8


def test_a_lag_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(EngineError) as raised:
        Link("A", "B", lag_percent=float("inf"))
    assert raised.value.code == "E012"


@pytest.mark.parametrize("kind", ["FS", "SS", "FF", "SF"])
def test_the_driving_link_type_is_reported(kind: str) -> None:
    plan = schedule([Task("A", 4), Task("B", 2)], [Link("A", "B", kind, 3)])
    result = plan.results["B"]
    assert (result.driver, result.driving_predecessor, result.driving_type) == ("link", "A", kind)


def test_the_first_of_two_equal_links_drives() -> None:
    tasks = [Task("A", 3), Task("B", 3), Task("C", 1)]
    plan = schedule(tasks, [Link("B", "C"), Link("A", "C")])
    assert plan.results["C"].driving_predecessor == "B"


def test_a_link_into_a_summary_is_reported_with_its_own_type() -> None:
    tasks = [Task("P", 3), Task("S", 0), Task("A", 1, parent="S")]
    plan = schedule(tasks, [Link("P", "S", "SS", 2)])
    result = plan.results["A"]
    assert (result.driver, result.driving_predecessor, result.driving_type) == ("link", "P", "SS")


def test_a_task_held_only_by_the_project_start() -> None:
    plan = schedule([Task("A", 3), Task("B", 5)], [Link("A", "B", "SF")])
    result = plan.results["B"]
    assert (result.driver, result.driving_predecessor, result.driving_type) == ("project start", None, None)
