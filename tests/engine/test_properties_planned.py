"""Properties of schedules with constraints, deadlines, progress, summaries, both directions.

The random networks are those of test_properties.py, with extras drawn for their tasks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from itpm.engine import Link, Schedule, Task, levels, passes, schedule
from tests.engine.test_properties import Project, durations, projects, quick, run, summarised

# Strategies -----------------------------------

CAPS = frozenset({"SNLT", "FNLT", "MSO", "MFO"})
DRIVERS = ("link", "constraint", "status date", "actual", "project start", "project finish")


@st.composite
def task_extras(draw: st.DrawFn, task: Task, constraints: bool, progress: bool) -> Task:
    fields: dict[str, object] = {}
    if constraints:
        kind = draw(st.sampled_from(("ASAP", "ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")))
        fields["constraint"] = kind
        fields["constraint_date"] = None if kind in ("ASAP", "ALAP") else draw(st.integers(0, 30))
        fields["deadline"] = draw(st.none() | st.integers(0, 40))
    if progress:
        start = draw(st.integers(0, 15))
        kind = draw(st.sampled_from(("none", "none", "finished", "started", "percent", "complete")))
        if kind == "finished":
            fields.update(actual_start=start, actual_finish=start + draw(st.integers(0, 8)))
        elif kind == "started":
            fields.update(actual_start=start, percent_complete=float(draw(st.integers(0, 99))))
            fields["remaining"] = draw(st.none() | st.integers(0, 8))
        elif kind == "percent":
            fields["percent_complete"] = float(draw(st.integers(1, 99)))
        elif kind == "complete":
            fields["percent_complete"] = 100.0
    return Task(task.id, task.duration, parent=task.parent, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Options:
    status: int | None
    finish: int | None


@st.composite
def planned(
    draw: st.DrawFn, constraints: bool = True, progress: bool = True, backward: bool = True
) -> tuple[Project, Options]:
    project = draw(projects())
    tasks = [draw(task_extras(task, constraints, progress)) for task in project.tasks]
    status = draw(st.none() | st.integers(0, 20)) if progress else None
    finish = draw(st.none() | st.integers(0, 80)) if backward else None
    links = [
        Link(link.predecessor, link.successor, link.type, link.lag, draw(st.none() | st.floats(-100, 200)))
        for link in project.links
    ]
    return Project(tasks, links, project.start), Options(status, finish)


def run_with(project: Project, options: Options) -> Schedule:
    return schedule(
        project.tasks,
        project.links,
        project_start_unit=project.start,
        status_unit=options.status,
        project_finish_unit=options.finish,
    )


def effective_lag(link: Link, duration: dict[str, int]) -> int:
    if link.lag_percent is None:
        return link.lag
    return round(duration[link.predecessor] * link.lag_percent / 100)


def fixed_by_history_or_constraint(task: Task) -> bool:
    return task.constraint in CAPS or task.actual_start is not None or task.actual_finish is not None


@quick
@given(planned())
def test_a_schedule_is_always_produced(case: tuple[Project, Options]) -> None:
    project, options = case
    plan = run_with(project, options)
    assert sorted(plan.results) == sorted(task.id for task in project.tasks)
    for result in plan.results.values():
        assert result.early_start <= result.early_finish
        assert result.total_float == result.late_start - result.early_start
        assert result.driver in (
            "link",
            "constraint",
            "status date",
            "actual",
            "project start",
            "project finish",
        )
        assert (result.driving_predecessor is None) == (result.driver != "link")


@quick
@given(planned())
def test_links_hold_for_every_task_not_fixed_by_a_constraint_or_history(
    case: tuple[Project, Options],
) -> None:
    project, options = case
    plan = run_with(project, options)
    tasks = {task.id: task for task in project.tasks}
    duration = durations(project)
    for link in project.links:
        if fixed_by_history_or_constraint(tasks[link.successor]):
            continue
        before, after = plan.results[link.predecessor], plan.results[link.successor]
        anchor = before.early_finish if link.from_finish else before.early_start
        held = after.early_finish if link.to_finish else after.early_start
        assert held >= anchor + effective_lag(link, duration)


@quick
@given(planned(constraints=False, backward=False))
def test_without_constraints_or_deadlines_no_float_is_negative(case: tuple[Project, Options]) -> None:
    project, options = case
    plan = run_with(project, options)
    for result in plan.results.values():
        assert result.total_float >= 0
        assert result.free_float >= 0


@quick
@given(planned())
def test_critical_tasks_have_no_float_left(case: tuple[Project, Options]) -> None:
    project, options = case
    plan = run_with(project, options)
    for result in plan.results.values():
        assert not result.critical or result.total_float <= 0


@quick
@given(projects())
def test_without_constraints_the_critical_path_spans_the_project(project: Project) -> None:
    plan = run(project)
    first, last = plan.results[plan.critical_path[0]], plan.results[plan.critical_path[-1]]
    assert last.early_finish - first.early_start == plan.finish - project.start
    assert all(plan.results[task].total_float == 0 for task in plan.critical_path)


@quick
@given(planned(), st.booleans())
def test_numpy_and_python_sweeps_agree(case: tuple[Project, Options], deep_levels: bool) -> None:
    project, options = case
    with sweeps(vectorized=True, numpy_levels=deep_levels):
        by_numpy = run_with(project, options)
    with sweeps(vectorized=False, numpy_levels=False):
        by_python = run_with(project, options)
    assert dict(by_numpy.results) == dict(by_python.results)
    assert (by_numpy.finish, by_numpy.start, by_numpy.order) == (
        by_python.finish,
        by_python.start,
        by_python.order,
    )
    assert (by_numpy.critical_path, by_numpy.conflicts) == (by_python.critical_path, by_python.conflicts)


@contextlib.contextmanager
def sweeps(*, vectorized: bool, numpy_levels: bool) -> Iterator[None]:
    """Force the sweeps (and the levelling) onto numpy or onto Python loops, whatever the size."""
    saved = passes.VECTOR_MIN_WIDTH, levels.PYTHON_BELOW, levels.NARROW_LEVELS_BEFORE_PYTHON
    passes.VECTOR_MIN_WIDTH = 0 if vectorized else 10**9
    levels.PYTHON_BELOW = 0 if numpy_levels else 10**9
    levels.NARROW_LEVELS_BEFORE_PYTHON = 10**9 if numpy_levels else 0
    try:
        yield
    finally:
        passes.VECTOR_MIN_WIDTH, levels.PYTHON_BELOW, levels.NARROW_LEVELS_BEFORE_PYTHON = saved


@st.composite
def summarised_and_planned(draw: st.DrawFn) -> tuple[Project, Options]:
    """A summary over some tasks, linked in and out, carrying what a summary may carry."""
    project, _ = draw(summarised())
    kind = draw(st.sampled_from(("ASAP", "SNET", "FNLT")))
    date = None if kind == "ASAP" else draw(st.integers(0, 30))
    summary = Task(
        "S", 0, constraint=kind, constraint_date=date, deadline=draw(st.none() | st.integers(0, 40))
    )
    tasks = [
        summary if task.id == "S" else draw(task_extras(task, constraints=True, progress=True))
        for task in project.tasks
    ]
    options = Options(draw(st.none() | st.integers(0, 20)), draw(st.none() | st.integers(0, 80)))
    return Project(tasks, project.links, project.start), options


@quick
@given(summarised_and_planned())
def test_summaries_with_constraints_and_progress_schedule_alike_on_both_sweeps(
    case: tuple[Project, Options],
) -> None:
    project, options = case
    with sweeps(vectorized=True, numpy_levels=True):
        by_numpy = run_with(project, options)
    with sweeps(vectorized=False, numpy_levels=False):
        by_python = run_with(project, options)
    assert dict(by_numpy.results) == dict(by_python.results)
    assert by_numpy.conflicts == by_python.conflicts
    children = [by_numpy.results[task.id] for task in project.tasks if task.parent == "S"]
    assert by_numpy.results["S"].early_start == min(child.early_start for child in children)
    assert by_numpy.results["S"].early_finish == max(child.early_finish for child in children)
