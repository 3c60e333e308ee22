"""The engine's input: neutral frozen dataclasses, each checked when it is made.

Checks that need one object only live here; checks across objects (duplicate ids, unknown
references, cycles) live in network.py, where the whole project is in view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from itpm.engine.errors import (
    INVALID_CALENDAR,
    INVALID_LINK_TYPE,
    NEGATIVE_DURATION,
    SELF_LINK,
    EngineError,
)

LINK_TYPES = ("FS", "SS", "FF", "SF")
WEEKDAYS = range(7)  # Python's numbering: 0 is Monday, 6 is Sunday


@dataclass(frozen=True)
class Task:
    """A unit of work. `duration` is in working time units of the project calendar.

    A task that is some other task's `parent` is a summary: its dates roll up from its children
    and its own duration is ignored. `milestone` marks a checkpoint; milestones usually have
    duration 0, but a flagged milestone with a duration is kept as MS Project keeps it.
    """

    id: str
    duration: int
    name: str = ""
    milestone: bool = False
    parent: str | None = None

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise EngineError(
                NEGATIVE_DURATION,
                f"task {self.id!r} has negative duration {self.duration}",
                (self.id,),
            )


@dataclass(frozen=True)
class Link:
    """A dependency: FS, SS, FF or SF, with a lag in working units (negative is a lead).

    FS: successor start >= predecessor finish + lag;  SS: start >= start + lag;
    FF: finish >= finish + lag;                       SF: finish >= start + lag.
    """

    predecessor: str
    successor: str
    type: str = "FS"
    lag: int = 0

    def __post_init__(self) -> None:
        if self.type not in LINK_TYPES:
            raise EngineError(
                INVALID_LINK_TYPE,
                f"link {self.predecessor} → {self.successor} has type {self.type!r};"
                f" use one of {', '.join(LINK_TYPES)}",
                (self.predecessor, self.successor),
            )
        if self.predecessor == self.successor:
            raise EngineError(
                SELF_LINK, f"task {self.predecessor!r} is linked to itself", (self.predecessor,)
            )

    @property
    def from_finish(self) -> bool:
        """The link counts from the predecessor's finish (FS, FF), else from its start."""
        return self.type[0] == "F"

    @property
    def to_finish(self) -> bool:
        """The link holds back the successor's finish (FF, SF), else its start."""
        return self.type[1] == "F"


@dataclass(frozen=True)
class Calendar:
    """Working time: which weekdays work, which dates are holidays, units in a working day."""

    working_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    units_per_day: int = 1

    def __post_init__(self) -> None:
        # Accept any set from callers but store frozensets, so a Calendar stays hashable.
        object.__setattr__(self, "working_weekdays", frozenset(self.working_weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.working_weekdays or not self.working_weekdays <= set(WEEKDAYS):
            raise EngineError(
                INVALID_CALENDAR,
                "a calendar needs at least one working weekday, each from 0 (Monday)"
                f" to 6 (Sunday); got {sorted(self.working_weekdays)}",
            )
        if self.units_per_day < 1:
            raise EngineError(
                INVALID_CALENDAR,
                f"a working day needs at least one unit; got units_per_day={self.units_per_day}",
            )

    @property
    def weekmask(self) -> str:
        """numpy's busday weekmask: seven '0'/'1' characters from Monday to Sunday."""
        return "".join("1" if day in self.working_weekdays else "0" for day in WEEKDAYS)
