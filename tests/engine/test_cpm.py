"""CPM by hand: small networks whose dates, floats and paths are worked out in the comments."""

from __future__ import annotations

import dataclasses

import pytest

from itpm.engine import EngineError, Link, Schedule, Task, TaskResult, schedule
from itpm.engine import errors as codes


def dates(result: TaskResult) -> tuple[int, int, int, int]:
    return (result.early_start, result.early_finish, result.late_start, result.late_finish)


def floats(result: TaskResult) -> tuple[int, int]:
    return (result.total_float, result.free_float)


def two_tasks(a: int, b: int, link_type: str, lag: int) -> Schedule:
    return schedule([Task("A", a), Task("B", b)], [Link("A", "B", link_type, lag)])


# Link types and lags -------------------------------------------------------------------------


def test_finish_to_start_chain() -> None:
    plan = schedule([Task("A", 3), Task("B", 2), Task("C", 4)], [Link("A", "B"), Link("B", "C")])
    assert [dates(plan.results[t]) for t in "ABC"] == [(0, 3, 0, 3), (3, 5, 3, 5), (5, 9, 5, 9)]
    assert plan.finish == 9
    assert plan.critical_path == ["A", "B", "C"]
    assert plan.order == ["A", "B", "C"]


def test_finish_to_start_with_a_lag() -> None:
    plan = two_tasks(3, 2, "FS", 2)  # B waits two units after A finishes
    assert dates(plan.results["B"]) == (5, 7, 5, 7)
    assert dates(plan.results["A"]) == (0, 3, 0, 3)


def test_finish_to_start_with_a_lead() -> None:
    plan = two_tasks(5, 3, "FS", -2)  # B may start two units before A finishes
    assert dates(plan.results["B"]) == (3, 6, 3, 6)
    assert dates(plan.results["A"]) == (0, 5, 0, 5)  # late finish 5 = B's late start 3 + 2
    assert plan.finish == 6


def test_start_to_start_with_a_lag() -> None:
    plan = two_tasks(5, 4, "SS", 2)
    assert dates(plan.results["B"]) == (2, 6, 2, 6)
    # A must start by B's late start 2 - lag 2 = 0, so it finishes by 5.
    assert dates(plan.results["A"]) == (0, 5, 0, 5)
    assert plan.critical_path == ["A", "B"]


def test_finish_to_finish_with_a_lag() -> None:
    plan = two_tasks(5, 2, "FF", 1)  # B finishes at least one unit after A: 6, so starts at 4
    assert dates(plan.results["B"]) == (4, 6, 4, 6)
    assert dates(plan.results["A"]) == (0, 5, 0, 5)
    assert plan.results["B"].driving_predecessor == "A"


def test_start_to_finish_with_a_lag() -> None:
    plan = two_tasks(3, 2, "SF", 4)  # B finishes at least four units after A starts
    assert dates(plan.results["B"]) == (2, 4, 2, 4)
    # A must start by B's late finish 4 - lag 4 = 0: no float although it ends first.
    assert dates(plan.results["A"]) == (0, 3, 0, 3)
    assert plan.finish == 4
    assert plan.critical_path == ["A", "B"]


def test_start_to_finish_cannot_pull_a_task_before_the_project_start() -> None:
    plan = two_tasks(3, 5, "SF", 0)  # B would start at -5; the project start holds it at 0
    assert dates(plan.results["B"]) == (0, 5, 0, 5)
    assert plan.results["B"].driving_predecessor is None
    assert dates(plan.results["A"]) == (0, 3, 2, 5)
    assert floats(plan.results["A"]) == (2, 2)


def test_a_lead_longer_than_the_predecessor_stops_at_the_project_start() -> None:
    plan = two_tasks(2, 1, "FS", -5)
    assert plan.results["B"].early_start == 0
    assert plan.results["B"].driving_predecessor is None


def test_project_start_unit_shifts_everything() -> None:
    plan = schedule([Task("A", 3), Task("B", 2)], [Link("A", "B")], project_start_unit=10)
    assert dates(plan.results["A"]) == (10, 13, 10, 13)
    assert dates(plan.results["B"]) == (13, 15, 13, 15)
    assert plan.finish == 15


# Float, driving predecessors and the critical path ------------------------------------------


def float_network() -> Schedule:
    # A(1) -> B(1) -> D(1) and C(5) -> D: D starts at 5, after C; finish 6.
    tasks = [Task("A", 1), Task("B", 1), Task("C", 5), Task("D", 1)]
    return schedule(tasks, [Link("A", "B"), Link("B", "D"), Link("C", "D")])


def test_total_and_free_float() -> None:
    plan = float_network()
    assert plan.finish == 6
    assert floats(plan.results["A"]) == (3, 0)  # slipping A moves B, but not D
    assert floats(plan.results["B"]) == (3, 3)
    assert floats(plan.results["C"]) == (0, 0)
    assert floats(plan.results["D"]) == (0, 0)
    assert dates(plan.results["A"]) == (0, 1, 3, 4)
    assert [t for t, r in plan.results.items() if r.critical] == ["C", "D"]


def test_the_driving_predecessor_is_the_one_that_sets_the_start() -> None:
    plan = float_network()
    assert plan.results["D"].driving_predecessor == "C"
    assert plan.results["B"].driving_predecessor == "A"
    assert plan.results["A"].driving_predecessor is None


def test_the_critical_path_follows_the_longest_branch_in_order() -> None:
    tasks = [Task("A", 2), Task("B", 5), Task("C", 1), Task("D", 1)]
    links = [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D")]
    plan = schedule(tasks, links)
    assert plan.critical_path == ["A", "B", "D"]
    assert plan.finish == 8
    assert floats(plan.results["C"]) == (4, 4)


def test_the_critical_path_of_unlinked_tasks_is_the_longest_task() -> None:
    plan = schedule([Task("short", 2), Task("long", 7), Task("middle", 4)], [])
    assert plan.critical_path == ["long"]
    assert floats(plan.results["short"]) == (5, 5)  # free float reaches the project finish


def test_milestones_take_no_time() -> None:
    tasks = [
        Task("kickoff", 0, milestone=True),
        Task("design", 10),
        Task("build", 20),
        Task("go-live", 0, name="Go-live", milestone=True),
    ]
    links = [Link("kickoff", "design"), Link("design", "build"), Link("build", "go-live")]
    plan = schedule(tasks, links)
    assert dates(plan.results["kickoff"]) == (0, 0, 0, 0)
    assert dates(plan.results["go-live"]) == (30, 30, 30, 30)
    assert plan.results["go-live"].critical
    assert plan.critical_path == ["kickoff", "design", "build", "go-live"]
    assert plan.finish == 30


def test_a_milestone_off_the_critical_path_has_float() -> None:
    tasks = [Task("A", 4), Task("review", 0, milestone=True), Task("B", 6)]
    plan = schedule(tasks, [Link("A", "review")])
    assert dates(plan.results["review"]) == (4, 4, 6, 6)
    assert floats(plan.results["review"]) == (2, 2)


def test_an_empty_project_finishes_where_it_starts() -> None:
    plan = schedule([], [], project_start_unit=3)
    assert plan == Schedule(results={}, finish=3, critical_path=[], order=[], start=3)


# Summary tasks -------------------------------------------------------------------------------


def test_a_summary_spans_its_children_and_ignores_its_own_duration() -> None:
    tasks = [
        Task("phase", 99),
        Task("A", 2, parent="phase"),
        Task("B", 3, parent="phase"),
        Task("long", 10),
    ]
    plan = schedule(tasks, [])
    # A: TF 8, B: TF 7. The phase runs 0..3, late 7..10, and takes the least float.
    assert dates(plan.results["phase"]) == (0, 3, 7, 10)
    assert floats(plan.results["phase"]) == (7, 7)
    assert not plan.results["phase"].critical
    assert plan.finish == 10


def test_summaries_roll_up_recursively() -> None:
    tasks = [
        Task("C", 4, parent="phase"),
        Task("phase", 0),
        Task("stage", 0, parent="phase"),
        Task("A", 2, parent="stage"),
        Task("B", 3, parent="stage"),
    ]
    plan = schedule(tasks, [Link("A", "B")])
    assert dates(plan.results["stage"]) == (0, 5, 0, 5)
    assert dates(plan.results["phase"]) == (0, 5, 0, 5)
    assert floats(plan.results["C"]) == (1, 1)
    assert plan.results["phase"].critical
    assert plan.order == ["C", "A", "B", "stage", "phase"]  # leaves, then summaries upwards


def test_a_link_to_a_summary_holds_back_all_its_children() -> None:
    tasks = [Task("P", 3), Task("S", 0), Task("A", 1, parent="S"), Task("B", 2, parent="S")]
    plan = schedule(tasks, [Link("P", "S")])
    assert plan.results["A"].early_start == 3
    assert plan.results["B"].early_start == 3
    assert plan.results["A"].driving_predecessor == "P"
    assert dates(plan.results["S"]) == (3, 5, 3, 5)
    assert plan.results["S"].driving_predecessor == "P"
    assert floats(plan.results["A"]) == (1, 1)
    assert floats(plan.results["P"]) == (0, 0)
    assert plan.critical_path == ["P", "B"]


def test_a_finish_to_finish_link_to_a_summary_holds_back_every_childs_finish() -> None:
    tasks = [Task("P", 4), Task("S", 0), Task("A", 1, parent="S"), Task("B", 6, parent="S")]
    plan = schedule(tasks, [Link("P", "S", "FF")])
    assert dates(plan.results["A"])[:2] == (3, 4)
    assert dates(plan.results["B"])[:2] == (0, 6)  # long enough already


def test_a_link_from_a_summary_waits_for_its_last_child() -> None:
    tasks = [Task("S", 0), Task("A", 2, parent="S"), Task("B", 5, parent="S"), Task("X", 1)]
    plan = schedule(tasks, [Link("S", "X")])
    assert dates(plan.results["X"]) == (5, 6, 5, 6)
    assert plan.results["X"].driving_predecessor == "S"  # the link people drew
    assert floats(plan.results["A"]) == (3, 3)
    assert plan.critical_path == ["B", "X"]


def test_a_start_to_start_link_from_a_summary_counts_from_the_summary_start() -> None:
    # As in MS Project and TaskJuggler: S starts with its first child, A, so X may start then.
    tasks = [Task("S", 0), Task("A", 1, parent="S"), Task("B", 1, parent="S"), Task("X", 1)]
    plan = schedule(tasks, [Link("A", "B"), Link("S", "X", "SS")])
    assert dates(plan.results["X"]) == (0, 1, 1, 2)
    assert plan.results["X"].driving_predecessor == "S"
    assert plan.results["X"].driving_type == "SS"
    assert plan.critical_path == ["A", "B"]


def test_a_start_link_from_a_summary_holds_back_only_the_children_that_start_first() -> None:
    # X must start by 3 (it runs to the finish at 8); S starts when A does, so A must start by 3.
    # B starts later anyway: it may slip to the finish without moving S's start or X.
    tasks = [
        Task("S", 0),
        Task("A", 2, parent="S"),
        Task("B", 1, parent="S"),
        Task("C", 8),
        Task("X", 5),
    ]
    links = [Link("C", "B", "SS", 4), Link("S", "X", "SS", 1)]
    plan = schedule(tasks, links)
    assert dates(plan.results["X"]) == (1, 6, 3, 8)
    assert dates(plan.results["A"]) == (0, 2, 2, 4)
    assert dates(plan.results["B"]) == (4, 5, 7, 8)
    assert dates(plan.results["S"]) == (0, 5, 2, 8)
    assert floats(plan.results["A"]) == (2, 0)  # any slip of A moves S's start, and X
    assert floats(plan.results["B"]) == (3, 3)


def test_a_start_to_finish_link_from_a_summary_counts_from_its_first_child() -> None:
    tasks = [Task("S", 0), Task("A", 4, parent="S"), Task("B", 2, parent="S"), Task("P", 3), Task("X", 2)]
    plan = schedule(tasks, [Link("P", "B"), Link("S", "X", "SF", 5)])
    assert dates(plan.results["X"])[:2] == (3, 5)  # X finishes 5 after A (and S) start at 0
    assert plan.results["X"].driving_predecessor == "S"


def test_a_link_between_summaries() -> None:
    tasks = [
        Task("design", 0),
        Task("spec", 2, parent="design"),
        Task("review", 1, parent="design"),
        Task("build", 0),
        Task("code", 3, parent="build"),
        Task("test", 2, parent="build"),
    ]
    links = [Link("spec", "review"), Link("design", "build", "FS", 1), Link("code", "test")]
    plan = schedule(tasks, links)
    assert dates(plan.results["code"])[:2] == (4, 7)  # design ends at 3, plus one unit of lag
    assert dates(plan.results["build"]) == (4, 9, 4, 9)
    assert plan.critical_path == ["spec", "review", "code", "test"]
    assert plan.results["code"].driving_predecessor == "design"


def test_a_summary_linked_to_its_own_child_is_a_cycle() -> None:
    with pytest.raises(EngineError) as raised:
        schedule([Task("S", 0), Task("A", 1, parent="S")], [Link("A", "S")])
    assert raised.value.code == codes.DEPENDENCY_CYCLE
    assert raised.value.tasks == ("A", "S")


# Errors --------------------------------------------------------------------------------------


def test_a_cycle_names_its_tasks_in_order() -> None:
    tasks = [Task("X", 1), Task("A", 1), Task("B", 1), Task("C", 1), Task("Y", 1)]
    links = [Link("X", "A"), Link("A", "B"), Link("B", "C"), Link("C", "A"), Link("C", "Y")]
    with pytest.raises(EngineError) as raised:
        schedule(tasks, links)
    assert raised.value.code == codes.DEPENDENCY_CYCLE == "E001"
    assert raised.value.tasks == ("A", "B", "C")  # not X or Y, which only touch the cycle
    assert "A → B → C → A" in raised.value.message
    assert str(raised.value).startswith("E001: ")


def test_a_cycle_starts_at_the_task_given_first() -> None:
    tasks = [Task("C", 1), Task("B", 1), Task("A", 1)]
    links = [Link("A", "B", "SS"), Link("B", "C", "FF"), Link("C", "A", "SF", -3)]
    with pytest.raises(EngineError) as raised:
        schedule(tasks, links)
    assert raised.value.tasks == ("C", "A", "B")


@pytest.mark.parametrize(("link", "missing"), [(Link("A", "Z"), "Z"), (Link("Q", "A"), "Q")])
def test_a_link_to_an_unknown_task(link: Link, missing: str) -> None:
    with pytest.raises(EngineError) as raised:
        schedule([Task("A", 1)], [link])
    assert raised.value.code == codes.UNKNOWN_TASK == "E002"
    assert raised.value.tasks == (missing,)
    assert repr(missing) in raised.value.message


def test_an_unknown_parent() -> None:
    with pytest.raises(EngineError) as raised:
        schedule([Task("A", 1, parent="phase")], [])
    assert (raised.value.code, raised.value.tasks) == (codes.UNKNOWN_TASK, ("phase",))


def test_a_negative_duration() -> None:
    with pytest.raises(EngineError) as raised:
        Task("A", -1)
    assert (raised.value.code, raised.value.tasks) == (codes.NEGATIVE_DURATION, ("A",))
    assert raised.value.code == "E003"


def test_a_duplicate_task_id() -> None:
    with pytest.raises(EngineError) as raised:
        schedule([Task("A", 1), Task("B", 1), Task("A", 2)], [])
    assert (raised.value.code, raised.value.tasks) == (codes.DUPLICATE_TASK, ("A",))
    assert raised.value.code == "E004"


def test_a_link_to_itself() -> None:
    with pytest.raises(EngineError) as raised:
        Link("A", "A")
    assert (raised.value.code, raised.value.tasks) == (codes.SELF_LINK, ("A",))
    assert raised.value.code == "E005"


def test_an_unknown_link_type() -> None:
    with pytest.raises(EngineError) as raised:
        Link("A", "B", "XX")
    assert raised.value.code == codes.INVALID_LINK_TYPE


def test_a_summary_hierarchy_cycle() -> None:
    tasks = [Task("A", 1, parent="B"), Task("B", 1, parent="C"), Task("C", 1, parent="A")]
    with pytest.raises(EngineError) as raised:
        schedule(tasks, [])
    assert raised.value.code == codes.HIERARCHY_CYCLE
    assert set(raised.value.tasks) == {"A", "B", "C"}


def test_every_code_is_described_once() -> None:
    # The CPM's own codes; levelling's E2xx and C2xx are counted by its tests.
    assert sorted(c for c in codes.ERROR_CODES if c < "E200") == [f"E{n:03}" for n in range(1, 15)]
    assert sorted(c for c in codes.CONFLICT_CODES if c < "C200") == ["C101", "C102", "C103"]


def test_inputs_and_results_are_frozen() -> None:
    plan = schedule([Task("A", 1)], [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.results["A"].early_start = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Task("A", 1).duration = 2  # type: ignore[misc]


def test_the_engine_imports_no_django() -> None:
    import subprocess
    import sys

    probe = "import sys, itpm.engine; print('django' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "False"
