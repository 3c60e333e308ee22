"""Backward scheduling by hand: from a fixed project finish, every task as late as it can be."""

from __future__ import annotations

from itpm.engine import Link, Task, TaskResult, schedule


def span(result: TaskResult) -> tuple[int, int]:
    return (result.early_start, result.early_finish)


def test_a_chain_ends_on_the_fixed_finish() -> None:
    plan = schedule([Task("A", 3), Task("B", 2)], [Link("A", "B")], project_finish_unit=10)
    assert span(plan.results["B"]) == (8, 10)
    assert span(plan.results["A"]) == (5, 8)
    assert (plan.start, plan.finish) == (5, 10)
    assert plan.results["A"].driver == "project finish"


def test_parallel_branches_both_end_where_their_successor_starts() -> None:
    plan = schedule(
        [Task("A", 2), Task("B", 3), Task("C", 4)], [Link("A", "C"), Link("B", "C")], project_finish_unit=20
    )
    assert [span(plan.results[t]) for t in "ABC"] == [(14, 16), (13, 16), (16, 20)]
    assert plan.start == 13
    assert plan.critical_path == ["B", "C"]  # the longer branch sets the project start


def test_every_task_sits_on_its_late_dates() -> None:
    plan = schedule([Task("A", 2), Task("B", 6)], [], project_finish_unit=9)
    for result in plan.results.values():
        assert (result.early_start, result.early_finish) == (result.late_start, result.late_finish)
        assert result.total_float == 0


def test_a_start_constraint_that_does_not_fit_moves_the_finish_and_shows_negative_float() -> None:
    tasks = [Task("A", 5, constraint="SNET", constraint_date=8), Task("B", 3)]
    plan = schedule(tasks, [Link("A", "B")], project_finish_unit=12)
    assert span(plan.results["A"]) == (8, 13)
    assert span(plan.results["B"]) == (13, 16)
    assert plan.finish == 16
    assert plan.results["B"].total_float == -4


def test_finished_work_stays_where_it_happened() -> None:
    tasks = [Task("A", 4, actual_start=0, actual_finish=4), Task("B", 3)]
    plan = schedule(tasks, [Link("A", "B")], project_finish_unit=20, status_unit=4)
    assert span(plan.results["A"]) == (0, 4)
    assert span(plan.results["B"]) == (17, 20)


def test_the_project_start_unit_is_not_used_when_scheduling_backward() -> None:
    plan = schedule([Task("A", 3)], [], project_start_unit=50, project_finish_unit=10)
    assert span(plan.results["A"]) == (7, 10)
