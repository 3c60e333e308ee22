"""Progress and the status date by hand: what has happened stays, the rest moves after it."""

from __future__ import annotations

import pytest

from itpm.engine import EngineError, Link, Task, TaskResult, schedule


def span(result: TaskResult) -> tuple[int, int]:
    return (result.early_start, result.early_finish)


def test_a_finished_task_keeps_its_actual_dates_and_drives_its_successor() -> None:
    # Planned for 4, it took 5: the successor follows the actual finish.
    plan = schedule([Task("A", 4, actual_start=0, actual_finish=5), Task("B", 2)], [Link("A", "B")])
    assert span(plan.results["A"]) == (0, 5)
    assert span(plan.results["B"]) == (5, 7)
    assert plan.results["A"].driver == "actual"
    assert not plan.results["A"].critical  # done: never critical, as in MS Project
    assert plan.results["A"].total_float == 0


def test_an_actual_finish_alone_dates_the_start_back_by_the_duration() -> None:
    plan = schedule([Task("A", 4, actual_finish=6)], [])
    assert span(plan.results["A"]) == (2, 6)


def test_complete_with_an_actual_start_finishes_after_the_duration() -> None:
    plan = schedule([Task("A", 4, actual_start=1, percent_complete=100)], [], status_unit=9)
    assert span(plan.results["A"]) == (1, 5)


def test_a_started_task_resumes_its_remaining_work_at_the_status_date() -> None:
    # 30% of 10 is 3 units done since 5; the 7 left resume at the status date 10.
    tasks = [
        Task("A", 4, actual_start=0, actual_finish=5),
        Task("B", 10, actual_start=5, percent_complete=30),
    ]
    plan = schedule([*tasks, Task("C", 2)], [Link("A", "B"), Link("B", "C")], status_unit=10)
    assert span(plan.results["B"]) == (5, 17)
    assert span(plan.results["C"]) == (17, 19)
    assert plan.results["B"].driver == "actual"
    assert plan.critical_path == ["B", "C"]


def test_remaining_duration_overrides_the_percentage() -> None:
    # 50% of 10 done (5 units from 5 to 10), but 8 are left: 12 + 8.
    task = Task("B", 10, actual_start=5, percent_complete=50, remaining=8)
    plan = schedule([task], [], status_unit=12)
    assert span(plan.results["B"]) == (5, 20)


def test_without_a_status_date_a_started_task_runs_on_from_its_start() -> None:
    plan = schedule([Task("B", 10, actual_start=2, percent_complete=40)], [])
    assert span(plan.results["B"]) == (2, 12)


def test_work_reported_ahead_of_the_status_date_is_not_pulled_back() -> None:
    plan = schedule([Task("B", 10, actual_start=0, percent_complete=60)], [], status_unit=3)
    assert span(plan.results["B"]) == (0, 10)  # 6 done by 6, after the status date 3; 4 left


def test_work_not_started_waits_for_the_status_date() -> None:
    plan = schedule([Task("A", 5), Task("B", 3)], [Link("A", "B")], status_unit=2)
    assert span(plan.results["A"]) == (2, 7)
    assert plan.results["A"].driver == "status date"
    assert span(plan.results["B"]) == (7, 10)
    assert plan.results["B"].driver == "link"


def test_a_task_not_started_runs_its_remaining_duration() -> None:
    plan = schedule([Task("A", 5, remaining=3)], [])
    assert span(plan.results["A"]) == (0, 3)


def test_percent_complete_without_an_actual_start_starts_where_links_say() -> None:
    # A not started waits for the status date 8; B, half done, starts after A and resumes.
    plan = schedule([Task("A", 4), Task("B", 10, percent_complete=50)], [Link("A", "B")], status_unit=8)
    assert span(plan.results["A"]) == (8, 12)
    assert span(plan.results["B"]) == (12, 22)


def test_complete_without_actual_dates_is_scheduled_as_planned_and_never_critical() -> None:
    plan = schedule([Task("A", 4, percent_complete=100), Task("B", 2)], [Link("A", "B")], status_unit=6)
    assert span(plan.results["A"]) == (0, 4)  # no status date floor: it is done
    assert not plan.results["A"].critical
    assert span(plan.results["B"]) == (6, 8)


def test_a_finish_link_still_holds_back_a_started_task() -> None:
    # B started at 1, half of 3 done (rounded to 2); its finish waits for A's: links drive
    # unfinished work.
    tasks = [Task("A", 10), Task("B", 3, actual_start=1, percent_complete=50)]
    plan = schedule(tasks, [Link("A", "B", "FF")], status_unit=2)
    assert span(plan.results["A"]) == (2, 12)
    assert span(plan.results["B"]) == (1, 12)


def test_an_actual_start_before_its_predecessor_finishes_conflicts_and_stands() -> None:
    tasks = [Task("A", 4), Task("B", 3, actual_start=1)]
    plan = schedule(tasks, [Link("A", "B")], status_unit=2)
    assert span(plan.results["A"]) == (2, 6)
    assert span(plan.results["B"]) == (1, 5)  # 3 left, from the status date
    assert [(c.code, c.tasks) for c in plan.conflicts] == [("C103", ("B", "A"))]


def test_a_task_finished_out_of_sequence_conflicts_and_stands() -> None:
    tasks = [Task("A", 4), Task("B", 2, actual_start=1, actual_finish=3)]
    plan = schedule(tasks, [Link("A", "B", "FF")], status_unit=3)
    assert span(plan.results["B"]) == (1, 3)
    assert [(c.code, c.tasks) for c in plan.conflicts] == [("C103", ("B", "A"))]
    assert "finished at 3" in plan.conflicts[0].message


def test_progress_on_a_summary_is_not_used() -> None:
    tasks = [Task("P", 0, percent_complete=80, actual_start=9), Task("A", 3, parent="P")]
    plan = schedule(tasks, [])
    assert span(plan.results["P"]) == (0, 3)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"percent_complete": 120.0}, "E011"),
        ({"percent_complete": -1.0}, "E011"),
        ({"percent_complete": float("nan")}, "E011"),
        ({"actual_start": 5, "actual_finish": 4}, "E011"),
        ({"remaining": -1}, "E003"),
    ],
)
def test_impossible_progress_is_refused(fields: dict[str, float], code: str) -> None:
    with pytest.raises(EngineError) as raised:
        Task("A", 3, **fields)  # type: ignore[arg-type]
    assert (raised.value.code, raised.value.tasks) == (code, ("A",))
