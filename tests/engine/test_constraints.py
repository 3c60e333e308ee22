"""Constraints, ALAP and deadlines by hand: each example's dates are worked out in its comments."""

from __future__ import annotations

import pytest

from itpm.engine import EngineError, Link, Schedule, Task, TaskResult, schedule
from itpm.engine import errors as codes


def dates(result: TaskResult) -> tuple[int, int, int, int]:
    return (result.early_start, result.early_finish, result.late_start, result.late_finish)


def after(constrained: Task, first: int = 5) -> Schedule:
    """A(first) FS `constrained`."""
    return schedule([Task("A", first), constrained], [Link("A", constrained.id)])


def codes_of(plan: Schedule) -> list[tuple[str, tuple[str, ...]]]:
    return [(conflict.code, conflict.tasks) for conflict in plan.conflicts]


# Floors: SNET, FNET ---------------------------------------------------------------------------


def test_start_no_earlier_than_pushes_the_start() -> None:
    plan = after(Task("B", 3, constraint="SNET", constraint_date=7))
    assert dates(plan.results["B"]) == (7, 10, 7, 10)
    assert dates(plan.results["A"]) == (0, 5, 2, 7)  # A may slip until B's constrained start
    assert plan.results["B"].driver == "constraint"
    assert plan.results["B"].driving_predecessor is None
    assert plan.conflicts == []


def test_start_no_earlier_than_a_date_already_passed_changes_nothing() -> None:
    plan = after(Task("B", 3, constraint="SNET", constraint_date=2))
    assert dates(plan.results["B"]) == (5, 8, 5, 8)
    assert plan.results["B"].driver == "link"


def test_finish_no_earlier_than_pushes_the_finish() -> None:
    plan = after(Task("B", 3, constraint="FNET", constraint_date=12))
    assert dates(plan.results["B"]) == (9, 12, 9, 12)
    assert plan.results["A"].total_float == 4


# Caps: SNLT, FNLT -----------------------------------------------------------------------------


def test_start_no_later_than_within_reach_only_bounds_the_late_dates() -> None:
    tasks = [Task("A", 2), Task("B", 3, constraint="SNLT", constraint_date=4), Task("C", 10)]
    plan = schedule(tasks, [Link("A", "B")])
    assert dates(plan.results["B"]) == (2, 5, 4, 7)  # late start capped at 4, not 7
    assert plan.results["B"].total_float == 2
    assert plan.conflicts == []


def test_start_no_later_than_before_the_links_allow_wins_and_conflicts() -> None:
    plan = after(Task("B", 3, constraint="SNLT", constraint_date=3))
    assert dates(plan.results["B"]) == (3, 6, 3, 6)  # the constraint wins over the link
    assert dates(plan.results["A"]) == (0, 5, -2, 3)  # A should have finished by 3: float -2
    assert plan.results["A"].total_float == -2 and plan.results["A"].critical
    assert codes_of(plan) == [("C101", ("B", "A"))]
    assert plan.results["B"].driver == "constraint"


def test_finish_no_later_than_bounds_the_late_finish() -> None:
    tasks = [Task("A", 2), Task("B", 3, constraint="FNLT", constraint_date=6), Task("C", 10)]
    plan = schedule(tasks, [Link("A", "B")])
    assert dates(plan.results["B"]) == (2, 5, 3, 6)
    assert dates(plan.results["A"]) == (0, 2, 1, 3)
    assert plan.conflicts == []


def test_finish_no_later_than_before_the_links_allow() -> None:
    plan = after(Task("B", 3, constraint="FNLT", constraint_date=7))
    assert dates(plan.results["B"]) == (4, 7, 4, 7)
    assert plan.results["A"].total_float == -1
    assert codes_of(plan) == [("C101", ("B", "A"))]


# Pins: MSO, MFO -------------------------------------------------------------------------------


def test_must_start_on_later_than_the_links_ask() -> None:
    plan = after(Task("B", 3, constraint="MSO", constraint_date=6), first=2)
    assert dates(plan.results["B"]) == (6, 9, 6, 9)
    assert dates(plan.results["A"]) == (0, 2, 4, 6)
    assert plan.results["B"].critical  # a pinned task has no float
    assert plan.results["B"].driver == "constraint"


def test_must_start_on_earlier_than_a_link_allows_wins_and_names_the_predecessor() -> None:
    tasks = [Task("A", 5), Task("B", 3, constraint="MSO", constraint_date=2), Task("C", 2)]
    plan = schedule(tasks, [Link("A", "B"), Link("B", "C")])
    assert dates(plan.results["B"]) == (2, 5, 2, 5)
    assert dates(plan.results["C"]) == (5, 7, 5, 7)  # successors follow the pinned task
    assert dates(plan.results["A"]) == (0, 5, -3, 2)
    assert codes_of(plan) == [("C101", ("B", "A"))]
    assert "MSO 2" in plan.conflicts[0].message


def test_must_finish_on() -> None:
    tasks = [Task("A", 5), Task("B", 3, constraint="MFO", constraint_date=12), Task("C", 1)]
    plan = schedule(tasks, [Link("A", "B"), Link("B", "C")])
    assert dates(plan.results["B"]) == (9, 12, 9, 12)
    assert dates(plan.results["C"]) == (12, 13, 12, 13)
    assert plan.results["A"].total_float == 4


def test_must_start_on_before_the_project_start_conflicts_without_a_predecessor() -> None:
    plan = schedule([Task("A", 2, constraint="MSO", constraint_date=1)], [], project_start_unit=4)
    assert plan.results["A"].early_start == 1
    assert codes_of(plan) == [("C101", ("A",))]


# ALAP -----------------------------------------------------------------------------------------


def test_as_late_as_possible_uses_up_the_float_of_its_chain() -> None:
    # A(2, ALAP) -> B(3) -> D(1) beside C(8) -> D: A's late dates are 3..5, B follows it.
    tasks = [Task("A", 2, constraint="ALAP"), Task("B", 3), Task("C", 8), Task("D", 1)]
    plan = schedule(tasks, [Link("A", "B"), Link("B", "D"), Link("C", "D")])
    assert dates(plan.results["A"]) == (3, 5, 3, 5)
    assert dates(plan.results["B"]) == (5, 8, 5, 8)
    assert plan.finish == 9  # the project finish does not move
    assert plan.results["A"].driver == "constraint"
    assert plan.results["B"].driving_predecessor == "A"


def test_as_late_as_possible_without_successors_ends_with_the_project() -> None:
    plan = schedule([Task("A", 2, constraint="ALAP"), Task("B", 6)], [])
    assert dates(plan.results["A"]) == (4, 6, 4, 6)
    assert plan.results["A"].free_float == 0


def test_as_late_as_possible_respects_a_deadline() -> None:
    plan = schedule([Task("A", 2, constraint="ALAP", deadline=3), Task("B", 6)], [])
    assert dates(plan.results["A"]) == (1, 3, 1, 3)


# Deadlines ------------------------------------------------------------------------------------


def test_a_deadline_bounds_the_late_finish_but_never_moves_the_task() -> None:
    plan = schedule([Task("A", 5, deadline=8), Task("B", 10)], [])
    assert dates(plan.results["A"]) == (0, 5, 3, 8)
    assert plan.conflicts == []


def test_a_missed_deadline_shows_as_negative_float_and_a_conflict() -> None:
    plan = after(Task("B", 3, deadline=6))
    assert dates(plan.results["B"]) == (5, 8, 3, 6)
    assert [plan.results[t].total_float for t in "AB"] == [-2, -2]
    assert codes_of(plan) == [("C102", ("B",))]
    assert plan.critical_path == ["A", "B"]


# Summaries carry SNET, FNLT and deadlines for every task under them ----------------------------


def test_a_summary_start_no_earlier_than_and_deadline_reach_every_child() -> None:
    tasks = [
        Task("P", 0, constraint="SNET", constraint_date=4, deadline=9),
        Task("A", 3, parent="P"),
        Task("B", 4, parent="P"),
        Task("X", 6),
    ]
    plan = schedule(tasks, [Link("A", "B"), Link("X", "B")])
    assert dates(plan.results["A"]) == (4, 7, 2, 5)
    assert dates(plan.results["B"]) == (7, 11, 5, 9)
    assert dates(plan.results["P"]) == (4, 11, 2, 9)
    assert plan.results["P"].total_float == -2
    assert codes_of(plan) == [("C102", ("P",))]


def test_a_summary_finish_no_later_than_caps_its_children() -> None:
    tasks = [
        Task("P", 0, constraint="FNLT", constraint_date=6),
        Task("A", 3, parent="P"),
        Task("B", 4, parent="P"),
    ]
    plan = schedule(tasks, [Link("A", "B")])
    assert dates(plan.results["B"])[:2] == (2, 6)
    assert codes_of(plan) == [("C101", ("B", "A"))]
    assert "a constraint on its summary" in plan.conflicts[0].message


@pytest.mark.parametrize("constraint", ["ALAP", "MSO", "MFO", "SNLT", "FNET"])
def test_a_summary_cannot_carry_a_constraint_that_does_not_hold_for_each_child(constraint: str) -> None:
    date = None if constraint == "ALAP" else 3
    tasks = [Task("P", 0, constraint=constraint, constraint_date=date), Task("A", 1, parent="P")]
    with pytest.raises(EngineError) as raised:
        schedule(tasks, [])
    assert (raised.value.code, raised.value.tasks) == (codes.INVALID_CONSTRAINT, ("P",))


# Validation -----------------------------------------------------------------------------------


def test_an_unknown_constraint() -> None:
    with pytest.raises(EngineError) as raised:
        Task("A", 1, constraint="SOON")
    assert (raised.value.code, raised.value.tasks) == ("E009", ("A",))


@pytest.mark.parametrize(("constraint", "date"), [("SNET", None), ("MFO", None), ("ASAP", 3), ("ALAP", 0)])
def test_a_constraint_date_is_needed_exactly_for_dated_constraints(constraint: str, date: int | None) -> None:
    with pytest.raises(EngineError) as raised:
        Task("A", 1, constraint=constraint, constraint_date=date)
    assert raised.value.code == codes.CONSTRAINT_DATE == "E010"
