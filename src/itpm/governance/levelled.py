"""A forecast of a resource-driven plan: each Monte Carlo iteration levelled against the people
assigned (engine.montecarlo_levelled), on the same samples as the ordinary, unlevelled runs.

The levelling problem is the one the resources app levels (resources.problem.load_problem: the
project alone, on a grid of working days); the simulation's network counts UNITS_PER_DAY units a
day from its own origin, so the levelled finishes are moved onto the network's units before they
are dated like any other run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import TYPE_CHECKING

from itpm.core.errors import Conflict
from itpm.engine.montecarlo_levelled import LevelledSimulation, simulate_levelled
from itpm.engine.rcpsp import Problem
from itpm.governance.inputs import SimulationInputs, _remaining_shares
from itpm.planning.models import Task
from itpm.planning.scheduling.dating import UNITS_PER_DAY
from itpm.portfolio.models import Project
from itpm.resources.problem import ONE_DAY, Loaded, load_problem

if TYPE_CHECKING:
    from itpm.governance.forecasting import RunRequest

LEVELLED_NOTE = (
    "Levelled each run: the finish is that of each iteration levelled against the people assigned; "
    "cost, criticality, the tornado and the risks are those of the unlevelled runs of the same samples."
)


def simulate_project_levelled(
    project: Project, inputs: SimulationInputs, request: RunRequest
) -> tuple[LevelledSimulation, float]:
    """The levelled simulation and the units to add to its finishes to read them on the network."""
    loaded = load_problem(project, [project], {project.pk})
    if inputs.status_date is not None:
        loaded = dataclasses.replace(loaded, problem=_rest_from(loaded, inputs.status_date + ONE_DAY))
    shift = _shift(loaded, inputs)
    deadline = None if request.deadline is None else float(inputs.unit_of(request.deadline) - shift)
    try:
        result = _simulate(loaded, inputs, request, deadline)
    except MemoryError as error:  # the engine's levelled pass fails on some leave calendars: reported
        raise Conflict("this plan cannot be levelled each run yet: run it without levelling") from error
    return result, float(shift)


def _simulate(
    loaded: Loaded, inputs: SimulationInputs, request: RunRequest, deadline: float | None
) -> LevelledSimulation:
    return simulate_levelled(
        loaded.problem, inputs.network, inputs.uncertainty, iterations=request.iterations,
        seed=request.seed, risks=inputs.risks, correlations=inputs.correlations,
        deadline=deadline, period=UNITS_PER_DAY,
    )  # fmt: skip


def _rest_from(loaded: Loaded, first: dt.date) -> Problem:
    """Started work as the simulation reads it: what is left of it (its sampled remaining
    share) is levelled from the day after the status date with the rest, not kept where it began."""
    release = loaded.grid.to_unit(first)
    activities = [
        dataclasses.replace(
            activity,
            fixed=False,
            release=max(activity.release, release),
            duration=_days_left(loaded.tasks[activity.id], activity.duration),
        )
        if _started(loaded.tasks[activity.id])
        else activity
        for activity in loaded.problem.activities
    ]
    return Problem(activities, loaded.problem.resources, loaded.problem.links)


def _days_left(task: Task, duration: int) -> int:
    """Working days still to do, as the simulation's remaining share of the task counts them."""
    share = float(_remaining_shares([task])[0])
    return min(math.ceil(float(task.duration_days) * share - 1e-9), duration) if duration else 0


def _started(task: Task) -> bool:
    return bool(task.actual_start or task.actual_finish or task.percent_complete)


def _shift(loaded: Loaded, inputs: SimulationInputs) -> int:
    """Network units at the levelling grid's period 0: both grids are the project calendar's
    working days, so one shared day (the later origin) ties them."""
    day: dt.date = max(loaded.grid.start, inputs.dating.origin)
    return inputs.dating.start_unit(day) - loaded.grid.to_unit(day) * UNITS_PER_DAY
