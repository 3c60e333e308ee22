"""Stable error and conflict codes of the engine.

A code never changes meaning once released: the app translates codes into messages for people,
and the golden corpus of input files names the code each file must raise. Add new codes at the
end; never reuse a retired one.

Errors (E...) are bad input: the engine raises EngineError and schedules nothing. Conflicts
(C...) are plans that cannot all hold at once, the kind MS Project warns about: the engine says
which rule won, reports a Conflict naming the tasks involved, and still computes every date.
"""

from __future__ import annotations

from dataclasses import dataclass

DEPENDENCY_CYCLE = "E001"
UNKNOWN_TASK = "E002"
NEGATIVE_DURATION = "E003"
DUPLICATE_TASK = "E004"
SELF_LINK = "E005"
INVALID_CALENDAR = "E006"
INVALID_LINK_TYPE = "E007"
HIERARCHY_CYCLE = "E008"
INVALID_CONSTRAINT = "E009"
CONSTRAINT_DATE = "E010"
INVALID_PROGRESS = "E011"
INVALID_LAG = "E012"
INVALID_DELAY = "E013"
UNKNOWN_CALENDAR = "E014"

ERROR_CODES: dict[str, str] = {
    DEPENDENCY_CYCLE: "dependency cycle",
    UNKNOWN_TASK: "unknown task reference",
    NEGATIVE_DURATION: "negative duration",
    DUPLICATE_TASK: "duplicate task id",
    SELF_LINK: "link to itself",
    INVALID_CALENDAR: "invalid calendar",
    INVALID_LINK_TYPE: "invalid link type",
    HIERARCHY_CYCLE: "summary hierarchy cycle",
    INVALID_CONSTRAINT: "invalid constraint",
    CONSTRAINT_DATE: "constraint date missing or not allowed",
    INVALID_PROGRESS: "invalid progress",
    INVALID_LAG: "invalid lag",
    INVALID_DELAY: "invalid levelling delay",
    UNKNOWN_CALENDAR: "unknown calendar reference",
}

CONSTRAINT_BREAKS_LINK = "C101"
MISSED_DEADLINE = "C102"
ACTUAL_BREAKS_LINK = "C103"

CONFLICT_CODES: dict[str, str] = {
    CONSTRAINT_BREAKS_LINK: "a constraint holds a task earlier than its links allow",
    MISSED_DEADLINE: "a task finishes after its deadline",
    ACTUAL_BREAKS_LINK: "actual dates contradict a link",
}

# Levelling (rcpsp.py, levelling.py, optimize.py) has ranges of its own, E2xx and C2xx, so
# that the CPM codes above can grow without meeting them. The app translates both the same way.
INVALID_CAPACITY = "E201"  # a capacity that is negative or not a number
INVALID_DEMAND = "E202"  # a demand that is negative or not a number
UNKNOWN_RESOURCE = "E203"  # a demand names a resource that is not given
DUPLICATE_RESOURCE = "E204"  # two resources with one id
DEMAND_EXCEEDS_CAPACITY = "E205"  # an activity needs more than the resource ever has: never starts
INVALID_RELEASE = "E206"  # a release date (earliest start) before the project start
INVALID_RESOURCE_CALENDAR = "E207"  # a resource calendar run that is empty, overlaps or has bad units
FIXED_ACTIVITY_MOVED = "C201"  # a fixed activity had to move: its predecessors could not finish in time
FIXED_OVERALLOCATION = "C202"  # fixed activities alone over-allocate a resource; levelling cannot help

LEVELLING_ERROR_CODES: dict[str, str] = {
    INVALID_CAPACITY: "invalid resource capacity",
    INVALID_DEMAND: "invalid resource demand",
    UNKNOWN_RESOURCE: "unknown resource reference",
    DUPLICATE_RESOURCE: "duplicate resource id",
    DEMAND_EXCEEDS_CAPACITY: "an activity needs more than a resource has",
    INVALID_RELEASE: "invalid release date",
    INVALID_RESOURCE_CALENDAR: "invalid resource calendar",
}
LEVELLING_CONFLICT_CODES: dict[str, str] = {
    FIXED_ACTIVITY_MOVED: "a fixed activity had to move to keep its links",
    FIXED_OVERALLOCATION: "fixed activities over-allocate a resource",
}
ERROR_CODES.update(LEVELLING_ERROR_CODES)
CONFLICT_CODES.update(LEVELLING_CONFLICT_CODES)


class EngineError(Exception):
    """Bad input to the engine: `code` says what kind, `tasks` names the task ids involved."""

    def __init__(self, code: str, message: str, tasks: tuple[str, ...] = ()) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.tasks = tasks


@dataclass(frozen=True)
class Conflict:
    """A scheduling conflict: `tasks` names the task that gave way or won first, then the others."""

    code: str
    message: str
    tasks: tuple[str, ...]


def describe_chain(task_ids: tuple[str, ...]) -> str:
    """'A → B → C → A': a cycle written the way people draw it, back to where it began."""
    return " → ".join((*task_ids, task_ids[0]))
