"""Properties of the Monte Carlo simulation on random networks, against a naive reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import NetworkArrays, schedule
from itpm.engine.model import LINK_TYPES
from itpm.engine.montecarlo import ThreePoint, simulate, task_uncertainty
from tests.engine.test_properties import Project, projects

quick = settings(max_examples=40, deadline=None, database=None)


def arrays(project: Project) -> NetworkArrays:
    ids = [task.id for task in project.tasks]
    number = {task_id: n for n, task_id in enumerate(ids)}
    links = project.links
    return NetworkArrays.of(
        [task.duration for task in project.tasks],
        [number[link.predecessor] for link in links],
        [number[link.successor] for link in links],
        [LINK_TYPES.index(link.type) for link in links],
        [link.lag for link in links],
        ids=ids,
    )


def relaxed_finish(project: Project, duration: dict[str, float]) -> float:
    """The forward pass by relaxing every link until nothing moves: slow, no order to get wrong."""
    start = {task.id: float(project.start) for task in project.tasks}
    for _ in range(len(project.tasks) + 1):
        for link in project.links:
            before = link.predecessor
            anchor = start[before] + (duration[before] if link.from_finish else 0.0)
            bound = anchor + link.lag - (duration[link.successor] if link.to_finish else 0.0)
            start[link.successor] = max(start[link.successor], bound)
    return max(start[task] + duration[task] for task in start)


@quick
@given(projects(), st.integers(0, 2**32))
def test_every_iteration_finishes_where_the_forward_pass_of_its_durations_does(
    project: Project, seed: int
) -> None:
    points = {
        n: ThreePoint(task.duration, task.duration + 1, 2 * task.duration + 3)
        for n, task in enumerate(project.tasks)
    }
    uncertainty = task_uncertainty([task.duration for task in project.tasks], points)
    result = simulate(
        arrays(project), uncertainty, iterations=64, seed=seed, project_start_unit=project.start
    )
    for iteration in range(64):
        sampled = {task_id: float(result.sample[n, iteration]) for n, task_id in enumerate(result.ids)}
        assert abs(result.finish[iteration] - relaxed_finish(project, sampled)) < 1e-3
    assert result.criticality.sum() >= 1 - 1e-12  # every iteration has a critical chain


@quick
@given(projects())
def test_fixed_durations_give_the_schedule_finish_in_every_iteration(project: Project) -> None:
    fixed = task_uncertainty([task.duration for task in project.tasks], distribution="fixed")
    result = simulate(arrays(project), fixed, iterations=16, seed=1, project_start_unit=project.start)
    planned = schedule(project.tasks, project.links, project_start_unit=project.start)
    assert np.all(result.finish == planned.finish) and result.deterministic_finish == planned.finish
    assert result.probability_deterministic == 1.0
