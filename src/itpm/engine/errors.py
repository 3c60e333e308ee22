"""Stable error codes of the engine.

A code never changes meaning once released: the app translates codes into messages for people,
and the golden corpus of input files names the code each file must raise. Add new codes at the
end; never reuse a retired one.
"""

from __future__ import annotations

DEPENDENCY_CYCLE = "E001"
UNKNOWN_TASK = "E002"
NEGATIVE_DURATION = "E003"
DUPLICATE_TASK = "E004"
SELF_LINK = "E005"
INVALID_CALENDAR = "E006"
INVALID_LINK_TYPE = "E007"
HIERARCHY_CYCLE = "E008"

ERROR_CODES: dict[str, str] = {
    DEPENDENCY_CYCLE: "dependency cycle",
    UNKNOWN_TASK: "unknown task reference",
    NEGATIVE_DURATION: "negative duration",
    DUPLICATE_TASK: "duplicate task id",
    SELF_LINK: "link to itself",
    INVALID_CALENDAR: "invalid calendar",
    INVALID_LINK_TYPE: "invalid link type",
    HIERARCHY_CYCLE: "summary hierarchy cycle",
}


class EngineError(Exception):
    """Bad input to the engine: `code` says what kind, `tasks` names the task ids involved."""

    def __init__(self, code: str, message: str, tasks: tuple[str, ...] = ()) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.tasks = tasks


def describe_chain(task_ids: tuple[str, ...]) -> str:
    """'A → B → C → A': a cycle written the way people draw it, back to where it began."""
    return " → ".join((*task_ids, task_ids[0]))
