"""Properties of schedules of random acyclic networks, checked against a naive reference."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import Calendar, Link, Schedule, Task, TaskResult, WorkCalendar, schedule
from itpm.engine.model import LINK_TYPES

# Modest runs keep the suite fast; no example database, so runs leave no files behind.
quick = settings(max_examples=150, deadline=None, database=None)


@dataclass(frozen=True)
class Project:
    tasks: list[Task]
    links: list[Link]
    start: int


@st.composite
def projects(draw: st.DrawFn, link_types: tuple[str, ...] = LINK_TYPES, lags: int = 5) -> Project:
    """Up to 12 tasks; links only from a lower to a higher number, so never a cycle."""
    count = draw(st.integers(1, 12))
    durations = draw(st.lists(st.integers(0, 10), min_size=count, max_size=count))
    tasks = [Task(f"T{n}", d) for n, d in enumerate(durations)]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)).filter(
        lambda pair: pair[0] != pair[1]
    )
    drawn = draw(
        st.lists(st.tuples(pairs, st.sampled_from(link_types), st.integers(-lags, lags)), max_size=20)
    )
    links = [Link(f"T{min(p)}", f"T{max(p)}", kind, lag) for p, kind, lag in drawn]
    # Shuffled, so that nothing depends on tasks coming in topological order.
    shuffled = draw(st.permutations(tasks))
    return Project(shuffled, links, draw(st.integers(0, 3)))


def run(project: Project) -> Schedule:
    return schedule(project.tasks, project.links, project_start_unit=project.start)


def held_start(link: Link, results: Mapping[str, TaskResult], duration: dict[str, int]) -> int:
    """The earliest start of the successor that this link allows, given the predecessor's dates."""
    before = results[link.predecessor]
    anchor = before.early_finish if link.from_finish else before.early_start
    return anchor + link.lag - (duration[link.successor] if link.to_finish else 0)


def reference_early_starts(project: Project) -> dict[str, int]:
    """Relax every link until nothing moves: slow, but with no ordering to get wrong."""
    duration = {task.id: task.duration for task in project.tasks}
    start = {task.id: project.start for task in project.tasks}
    for _ in project.tasks:
        for link in project.links:
            anchor = start[link.predecessor] + (duration[link.predecessor] * link.from_finish)
            bound = anchor + link.lag - duration[link.successor] * link.to_finish
            start[link.successor] = max(start[link.successor], bound)
    return start


def reference_late_finishes(project: Project, finish: int) -> dict[str, int]:
    duration = {task.id: task.duration for task in project.tasks}
    late = {task.id: finish for task in project.tasks}
    for _ in project.tasks:
        for link in project.links:
            anchor = late[link.successor] - duration[link.successor] * (not link.to_finish)
            bound = anchor - link.lag + duration[link.predecessor] * (not link.from_finish)
            late[link.predecessor] = min(late[link.predecessor], bound)
    return late


def durations(project: Project) -> dict[str, int]:
    return {task.id: task.duration for task in project.tasks}


@quick
@given(projects())
def test_dates_match_the_reference(project: Project) -> None:
    plan = run(project)
    early = {task: result.early_start for task, result in plan.results.items()}
    late = {task: result.late_finish for task, result in plan.results.items()}
    assert early == reference_early_starts(project)
    assert plan.finish == max(r.early_finish for r in plan.results.values())
    assert late == reference_late_finishes(project, plan.finish)


@quick
@given(projects())
def test_every_link_is_honoured_early_and_late(project: Project) -> None:
    plan = run(project)
    for link in project.links:
        before, after = plan.results[link.predecessor], plan.results[link.successor]
        early_anchor = before.early_finish if link.from_finish else before.early_start
        late_anchor = before.late_finish if link.from_finish else before.late_start
        assert (after.early_finish if link.to_finish else after.early_start) >= (early_anchor + link.lag)
        assert (after.late_finish if link.to_finish else after.late_start) >= late_anchor + link.lag


@quick
@given(projects())
def test_floats_are_consistent(project: Project) -> None:
    plan = run(project)
    for result in plan.results.values():
        assert project.start <= result.early_start <= result.late_start
        assert result.late_finish <= plan.finish
        assert 0 <= result.free_float <= result.total_float
        assert result.total_float == result.late_start - result.early_start
        assert result.critical == (result.total_float == 0)


@quick
@given(projects())
def test_the_driving_predecessor_holds_the_start(project: Project) -> None:
    plan = run(project)
    duration = durations(project)
    for task, result in plan.results.items():
        if result.driving_predecessor is None:
            assert result.early_start == project.start
            continue
        assert any(
            held_start(link, plan.results, duration) == result.early_start
            for link in project.links
            if (link.predecessor, link.successor) == (result.driving_predecessor, task)
        )


@quick
@given(projects())
def test_the_critical_path_is_a_chain_of_driving_links_from_start_to_finish(
    project: Project,
) -> None:
    plan = run(project)
    path = plan.critical_path
    assert path
    assert plan.results[path[0]].early_start == project.start
    assert plan.results[path[-1]].early_finish == plan.finish
    assert all(plan.results[task].critical for task in path)
    linked = {(link.predecessor, link.successor) for link in project.links}
    assert all(pair in linked for pair in itertools.pairwise(path))
    assert len(set(path)) == len(path)


@quick
@given(projects(link_types=("FS",), lags=0))
def test_a_finish_to_start_critical_path_adds_up_to_the_project_length(project: Project) -> None:
    plan = run(project)
    duration = durations(project)
    assert sum(duration[task] for task in plan.critical_path) == plan.finish - project.start


@quick
@given(projects())
def test_the_order_is_topological(project: Project) -> None:
    plan = run(project)
    place = {task: n for n, task in enumerate(plan.order)}
    assert sorted(place) == sorted(task.id for task in project.tasks)
    assert all(place[link.predecessor] < place[link.successor] for link in project.links)


link_kinds = st.tuples(st.sampled_from(LINK_TYPES), st.integers(-5, 5))


@st.composite
def summarised(draw: st.DrawFn) -> tuple[Project, list[Link]]:
    """A project with a summary S over a run of its tasks, linked into and out of S.

    Returns the project, and the summary links spelt out as links to and from each child
    (see spell_out for links out of S from its start).
    """
    project = draw(projects())
    count = len(project.tasks)
    first = draw(st.integers(0, count - 1))
    last = draw(st.integers(first + 1, count))
    children = {f"T{n}" for n in range(first, last)}
    tasks = [Task(t.id, t.duration, parent="S" if t.id in children else None) for t in project.tasks]
    tasks.append(Task("S", draw(st.integers(0, 50))))  # ignored: a summary spans its children
    summary_links = []
    if first > 0:
        summary_links.append(Link(f"T{first - 1}", "S", *draw(link_kinds)))
    if last < count:
        summary_links.append(Link("S", f"T{last}", *draw(link_kinds)))
    return Project(tasks, project.links + summary_links, project.start), summary_links


def spell_out(link: Link, children: dict[str, int]) -> list[Link]:
    """A link into S as a link into each child; out of S from its finish (FS, FF), from each
    child; out of S from its start (SS, SF), from the children that start first (`children`
    maps each child to its early start), since S starts when they do."""
    if link.successor == "S":
        return [Link(link.predecessor, child, link.type, link.lag) for child in sorted(children)]
    first = min(children.values())
    from_start = link.type in ("SS", "SF")
    sources = [child for child in sorted(children) if not from_start or children[child] == first]
    return [Link(child, link.successor, link.type, link.lag) for child in sources]


@quick
@given(summarised())
def test_links_on_a_summary_act_on_every_child(case: tuple[Project, list[Link]]) -> None:
    project, summary_links = case
    with_summary = run(project)
    starts = {t.id: with_summary.results[t.id].early_start for t in project.tasks if t.parent == "S"}
    spelt_out = [spelt for link in summary_links for spelt in spell_out(link, starts)]
    links = [link for link in project.links if "S" not in (link.predecessor, link.successor)]
    leaves = [Task(task.id, task.duration) for task in project.tasks if task.id != "S"]
    flat = run(Project(leaves, links + spelt_out, project.start))
    for task in leaves:
        assert comparable(with_summary.results[task.id]) == comparable(flat.results[task.id])
    children = [flat.results[task.id] for task in project.tasks if task.parent == "S"]
    summary = with_summary.results["S"]
    assert summary.early_start == min(child.early_start for child in children)
    assert summary.early_finish == max(child.early_finish for child in children)
    assert summary.late_start == min(child.late_start for child in children)
    assert summary.late_finish == max(child.late_finish for child in children)
    assert summary.total_float == min(child.total_float for child in children)
    assert with_summary.finish == flat.finish


def comparable(result: TaskResult) -> tuple[int, ...]:
    """Everything but the driving predecessor, which names S where the flat plan names a child."""
    return (*dates_of(result), result.total_float, result.free_float)


def dates_of(result: TaskResult) -> tuple[int, int, int, int]:
    return (result.early_start, result.early_finish, result.late_start, result.late_finish)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holidays = draw(st.frozensets(st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)), max_size=30))
    return Calendar(weekdays, holidays, draw(st.integers(1, 8)))


@quick
@given(calendars(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), st.integers(0, 900))
def test_calendar_lookups_agree_with_numpy_business_days(
    calendar: Calendar, start: dt.date, unit: int
) -> None:
    work = WorkCalendar.build(calendar, start, 5)  # tiny horizon: lookups must grow it
    busdays = np.busdaycalendar(weekmask=calendar.weekmask, holidays=sorted(calendar.holidays))
    day = work.to_date(unit)
    expected = np.busday_offset(start, unit // calendar.units_per_day, "forward", busdaycal=busdays)
    assert day == expected.item()
    assert work.is_working_day(day)
    assert work.to_unit(day) == unit - unit % calendar.units_per_day
    assert work.working_days_between(start, day) == np.busday_count(start, day, busdaycal=busdays)
