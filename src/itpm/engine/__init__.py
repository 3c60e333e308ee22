"""The scheduling engine: pure functions of frozen inputs, stdlib and numpy only.

No Django, no I/O, no clock, no global random state: inputs in, results out.
"""

from itpm.engine.calendar import WorkCalendar
from itpm.engine.cpm import schedule, schedule_network
from itpm.engine.errors import Conflict, EngineError
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES, Calendar, Link, Task
from itpm.engine.network import Network, build_network
from itpm.engine.results import ResultColumns, Schedule, TaskResult

__all__ = [
    "CONSTRAINT_TYPES",
    "LINK_TYPES",
    "Calendar",
    "Conflict",
    "EngineError",
    "Link",
    "Network",
    "ResultColumns",
    "Schedule",
    "Task",
    "TaskResult",
    "WorkCalendar",
    "build_network",
    "schedule",
    "schedule_network",
]
