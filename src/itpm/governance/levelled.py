"""A forecast of a resource-driven plan: each Monte Carlo iteration levelled against the people
assigned (engine.montecarlo_levelled), on the same samples as the ordinary, unlevelled runs.

The levelling problem is the one the resources app levels (resources.problem.load_problem: the
project alone, on a grid of working days); the simulation's network counts UNITS_PER_DAY units a
day from its own origin, so the levelled finishes are moved onto the network's units before they
are dated like any other run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from itpm.engine.montecarlo_levelled import LevelledSimulation, simulate_levelled
from itpm.governance.inputs import SimulationInputs
from itpm.planning.scheduling import UNITS_PER_DAY
from itpm.portfolio.models import Project
from itpm.resources.problem import Loaded, load_problem

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
    shift = _shift(loaded, inputs)
    deadline = None if request.deadline is None else float(inputs.unit_of(request.deadline) - shift)
    result = simulate_levelled(
        loaded.problem, inputs.network, inputs.uncertainty, iterations=request.iterations,
        seed=request.seed, risks=inputs.risks, correlations=inputs.correlations,
        deadline=deadline, period=UNITS_PER_DAY,
    )  # fmt: skip
    return result, float(shift)


def _shift(loaded: Loaded, inputs: SimulationInputs) -> int:
    """Network units at the levelling grid's period 0: both grids are the project calendar's
    working days, so one shared day (the later origin) ties them."""
    day: dt.date = max(loaded.grid.start, inputs.dating.origin)
    return inputs.dating.start_unit(day) - loaded.grid.to_unit(day) * UNITS_PER_DAY
