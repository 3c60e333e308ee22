"""The scheduling engine: pure functions of frozen inputs, stdlib and numpy only.

No Django, no I/O, no clock, no global random state: inputs in, results out.
"""

from itpm.engine.arrays import MISSING, NetworkArrays, TaskExtras
from itpm.engine.calendar import WorkCalendar
from itpm.engine.cpm import schedule, schedule_arrays, schedule_network
from itpm.engine.errors import Conflict, EngineError
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES, Calendar, Link, Task
from itpm.engine.network import Network, build_network, build_network_arrays
from itpm.engine.objects import task_extras
from itpm.engine.results import ResultColumns, Schedule, TaskResult

__all__ = [
    "CONSTRAINT_TYPES",
    "LINK_TYPES",
    "MISSING",
    "Calendar",
    "Conflict",
    "EngineError",
    "Link",
    "Network",
    "NetworkArrays",
    "ResultColumns",
    "Schedule",
    "Task",
    "TaskExtras",
    "TaskResult",
    "WorkCalendar",
    "build_network",
    "build_network_arrays",
    "schedule",
    "schedule_arrays",
    "schedule_network",
    "task_extras",
]
