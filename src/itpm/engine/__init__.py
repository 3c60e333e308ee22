"""The scheduling engine: pure functions of frozen inputs, stdlib and numpy only.

No Django, no I/O, no clock, no global random state: inputs in, results out.
"""

from itpm.engine.calendar import WorkCalendar
from itpm.engine.cpm import Schedule, TaskResult, schedule
from itpm.engine.errors import EngineError
from itpm.engine.model import Calendar, Link, Task

__all__ = [
    "Calendar",
    "EngineError",
    "Link",
    "Schedule",
    "Task",
    "TaskResult",
    "WorkCalendar",
    "schedule",
]
