"""The array entry point: the same schedules as the objects give, and the same error codes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given

from itpm.engine import (
    CONSTRAINT_TYPES,
    LINK_TYPES,
    MISSING,
    EngineError,
    Link,
    NetworkArrays,
    Schedule,
    Task,
    TaskExtras,
    build_network_arrays,
    schedule,
    schedule_arrays,
    schedule_network,
)
from itpm.engine import errors as codes
from tests.engine.test_properties import Project, quick
from tests.engine.test_properties_planned import Options, planned, summarised_and_planned


def as_arrays(tasks: list[Task], links: list[Link]) -> NetworkArrays:
    """The objects' fields as columns, written out here plainly, apart from the engine's reader."""
    ids = [task.id for task in tasks]
    number = {task_id: n for n, task_id in enumerate(ids)}
    special = [n for n, task in enumerate(tasks) if task.extras]

    def column(name: str) -> list[int]:
        values = [getattr(tasks[n], name) for n in special]
        return [MISSING if value is None else value for value in values]

    extras = TaskExtras.of(
        special,
        constraint=[CONSTRAINT_TYPES.index(tasks[n].constraint) for n in special],
        constraint_date=column("constraint_date"),
        deadline=column("deadline"),
        actual_start=column("actual_start"),
        actual_finish=column("actual_finish"),
        remaining=column("remaining"),
        percent_complete=[tasks[n].percent_complete for n in special],
    )
    return NetworkArrays.of(
        [task.duration for task in tasks],
        [number[link.predecessor] for link in links],
        [number[link.successor] for link in links],
        [LINK_TYPES.index(link.type) for link in links],
        [link.lag for link in links],
        lag_percent=[math.nan if link.lag_percent is None else link.lag_percent for link in links],
        parent=[-1 if task.parent is None else number[task.parent] for task in tasks],
        ids=ids,
        extras=extras if special else None,
    )


def both_ways(project: Project, options: Options) -> tuple[Schedule, Schedule]:
    settings = {
        "project_start_unit": project.start,
        "status_unit": options.status,
        "project_finish_unit": options.finish,
    }
    by_objects = schedule(project.tasks, project.links, **settings)  # type: ignore[arg-type]
    by_arrays = schedule_arrays(as_arrays(project.tasks, project.links), **settings)  # type: ignore[arg-type]
    return by_objects, by_arrays


def assert_same(one: Schedule, other: Schedule) -> None:
    assert dict(one.results) == dict(other.results)
    assert (one.finish, one.start, one.critical_path) == (other.finish, other.start, other.critical_path)
    assert list(one.order) == list(other.order)
    assert one.conflicts == other.conflicts
    for name in ("early_start", "late_finish", "total_float", "free_float", "driver"):
        assert np.array_equal(getattr(one.columns, name), getattr(other.columns, name)), name


@quick
@given(planned())
def test_arrays_and_objects_give_the_same_schedule(case: tuple[Project, Options]) -> None:
    assert_same(*both_ways(*case))


@quick
@given(summarised_and_planned())
def test_with_summaries_arrays_and_objects_give_the_same_schedule(case: tuple[Project, Options]) -> None:
    assert_same(*both_ways(*case))


def test_columns_without_ids_name_tasks_by_number() -> None:
    plan = schedule_arrays([3, 2, 1], [0, 0], [1, 2], [0, 1], [0, 1])
    assert plan.columns.ids == ("0", "1", "2")
    assert plan.results["2"].early_start == 1  # SS + 1 from task 0
    assert plan.finish == 5
    assert plan.critical_path == ["0", "1"]


def test_a_network_of_arrays_is_built_once_and_scheduled_twice() -> None:
    network = build_network_arrays(NetworkArrays.of([3, 2], [0], [1], ids=["A", "B"]))
    assert schedule_network(network).finish == 5
    assert schedule_network(network, status_unit=4).finish == 9


def test_an_empty_network_of_arrays() -> None:
    plan = schedule_arrays([], [], [], project_start_unit=2)
    assert (plan.finish, plan.critical_path, list(plan.order)) == (2, [], [])


def error_of(make: object) -> EngineError:
    with pytest.raises(EngineError) as raised:
        make()  # type: ignore[operator]
    return raised.value


@pytest.mark.parametrize(
    ("arguments", "code", "tasks"),
    [
        ({"durations": [1, -2, 3]}, codes.NEGATIVE_DURATION, ("B",)),
        ({"predecessor": [0, 5]}, codes.UNKNOWN_TASK, ("5",)),
        ({"successor": [1, -1]}, codes.UNKNOWN_TASK, ("-1",)),
        ({"successor": [1, 0]}, codes.SELF_LINK, ("A",)),
        ({"link_type": [0, 4]}, codes.INVALID_LINK_TYPE, ("A", "C")),
        ({"lag_percent": [math.nan, math.inf]}, codes.INVALID_LAG, ("A", "C")),
        ({"ids": ["A", "B", "A"]}, codes.DUPLICATE_TASK, ("A",)),
        ({"parent": [-1, 7, -1]}, codes.UNKNOWN_TASK, ("7",)),
        ({"parent": [-1, 1, -1]}, codes.HIERARCHY_CYCLE, ("B",)),
    ],
)
def test_bad_columns_raise_the_codes_objects_raise(
    arguments: dict[str, object], code: str, tasks: tuple[str, ...]
) -> None:
    given: dict[str, object] = {
        "durations": [1, 2, 3],
        "predecessor": [0, 0],
        "successor": [1, 2],
        "ids": ["A", "B", "C"],
        **arguments,
    }
    durations = given.pop("durations")
    raised = error_of(lambda: NetworkArrays.of(durations, **given))  # type: ignore[arg-type]
    assert (raised.code, raised.tasks) == (code, tasks)


@pytest.mark.parametrize(
    ("extras", "code"),
    [
        ({"remaining": [-1]}, codes.NEGATIVE_DURATION),
        ({"constraint": [9]}, codes.INVALID_CONSTRAINT),
        ({"constraint": [CONSTRAINT_TYPES.index("SNET")]}, codes.CONSTRAINT_DATE),
        ({"constraint_date": [4]}, codes.CONSTRAINT_DATE),
        ({"percent_complete": [101.0]}, codes.INVALID_PROGRESS),
        ({"percent_complete": [math.nan]}, codes.INVALID_PROGRESS),
        ({"actual_start": [5], "actual_finish": [4]}, codes.INVALID_PROGRESS),
    ],
)
def test_bad_extras_raise_the_codes_a_task_raises(extras: dict[str, list[float]], code: str) -> None:
    raised = error_of(
        lambda: NetworkArrays.of([1, 2], [0], [1], ids=["A", "B"], extras=TaskExtras.of([1], **extras))
    )  # type: ignore[arg-type]
    assert (raised.code, raised.tasks) == (code, ("B",))


def test_checks_across_the_network_raise_as_for_objects() -> None:
    cycle = NetworkArrays.of([1, 1, 1], [0, 1, 2], [1, 2, 0], ids=["A", "B", "C"])
    assert error_of(lambda: schedule_arrays(cycle)).code == codes.DEPENDENCY_CYCLE
    hierarchy = NetworkArrays.of([1, 1, 1], [], [], parent=[1, 0, -1], ids=["A", "B", "C"])
    raised = error_of(lambda: schedule_arrays(hierarchy))
    assert (raised.code, raised.tasks) == (codes.HIERARCHY_CYCLE, ("A", "B"))
    alap = TaskExtras.of([0], constraint=[CONSTRAINT_TYPES.index("ALAP")])
    summary = NetworkArrays.of([0, 1], [], [], parent=[-1, 0], ids=["S", "A"], extras=alap)
    raised = error_of(lambda: schedule_arrays(summary))
    assert (raised.code, raised.tasks) == (codes.INVALID_CONSTRAINT, ("S",))


def test_columns_of_the_wrong_shape_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="link_successor"):
        NetworkArrays.of([1, 2], [0], [1, 0])
    with pytest.raises(ValueError, match="ids"):
        NetworkArrays.of([1, 2], [0], [1], ids=["A"])
