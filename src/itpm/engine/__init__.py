"""The scheduling engine: pure functions of frozen inputs, stdlib and numpy only.

No Django, no I/O, no clock, no global random state: inputs in, results out.

Levelling (`level`, `single_pass`, `LevelResult`) is imported on first use: its kernels bring
numba (a quarter of a second), and `itpm schedule` without resources should not wait for it.
So are the Monte Carlo names (`simulate`, `task_uncertainty`, `ThreePoint`, `RiskEvent`,
`CorrelationGroup`, `TaskCosts`, `Uncertainty`, `SimulationResult`), whose kernels are numba's too.
`optimize` is imported at once, on purpose: its module is light (it imports OR-Tools and the
kernels when it runs), and a function named like its module must be bound here first, or the
first `import itpm.engine.optimize` would put the module in its place.
"""

from typing import TYPE_CHECKING, Any

from itpm.engine.arrays import MISSING, NetworkArrays, TaskExtras
from itpm.engine.calendar import WorkCalendar
from itpm.engine.cpm import schedule, schedule_arrays, schedule_network
from itpm.engine.errors import Conflict, EngineError
from itpm.engine.evm import (
    EarnedSchedule,
    EarnedValue,
    EvmPeriod,
    Measures,
    earned_schedule,
    earned_value,
    evm_series,
    roll_up,
    roll_up_tree,
)
from itpm.engine.forecast import PastProject, ReferenceClass, apply_uplift, forecast_finish, reference_class
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES, Calendar, Link, Task
from itpm.engine.network import Network, build_network, build_network_arrays
from itpm.engine.objects import task_extras
from itpm.engine.optimize import OptimizeResult, optimize
from itpm.engine.rcpsp import Activity, Problem, Resource
from itpm.engine.results import ResultColumns, Schedule, TaskResult

if TYPE_CHECKING:
    from itpm.engine.levelling import LevelResult, level, single_pass
    from itpm.engine.montecarlo import (
        CorrelationGroup,
        RiskEvent,
        SimulationResult,
        TaskCosts,
        ThreePoint,
        Uncertainty,
        simulate,
        task_uncertainty,
    )

_LAZY = {
    "LevelResult": "itpm.engine.levelling",
    "level": "itpm.engine.levelling",
    "single_pass": "itpm.engine.levelling",
    **dict.fromkeys(
        (
            "CorrelationGroup",
            "RiskEvent",
            "SimulationResult",
            "TaskCosts",
            "ThreePoint",
            "Uncertainty",
            "simulate",
            "task_uncertainty",
        ),
        "itpm.engine.montecarlo",
    ),
}


def __getattr__(name: str) -> Any:
    """The levelling and Monte Carlo names, imported when first asked for (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "CONSTRAINT_TYPES",
    "LINK_TYPES",
    "MISSING",
    "Activity",
    "Calendar",
    "Conflict",
    "CorrelationGroup",
    "EarnedSchedule",
    "EarnedValue",
    "EngineError",
    "EvmPeriod",
    "LevelResult",
    "Link",
    "Measures",
    "Network",
    "NetworkArrays",
    "OptimizeResult",
    "PastProject",
    "Problem",
    "ReferenceClass",
    "Resource",
    "ResultColumns",
    "RiskEvent",
    "Schedule",
    "SimulationResult",
    "Task",
    "TaskCosts",
    "TaskExtras",
    "TaskResult",
    "ThreePoint",
    "Uncertainty",
    "WorkCalendar",
    "apply_uplift",
    "build_network",
    "build_network_arrays",
    "earned_schedule",
    "earned_value",
    "evm_series",
    "forecast_finish",
    "level",
    "optimize",
    "reference_class",
    "roll_up",
    "roll_up_tree",
    "schedule",
    "schedule_arrays",
    "schedule_network",
    "simulate",
    "single_pass",
    "task_extras",
    "task_uncertainty",
]
