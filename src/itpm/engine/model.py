"""The engine's input: neutral frozen dataclasses, each checked when it is made.

Checks that need one object only live here; checks across objects (duplicate ids, unknown
references, cycles, constraints a summary cannot carry) live in network.py, where the whole
project is in view. Every date is an integer unit of working time, like every duration.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from itpm.engine.errors import (
    CONSTRAINT_DATE,
    INVALID_CALENDAR,
    INVALID_CONSTRAINT,
    INVALID_DELAY,
    INVALID_LAG,
    INVALID_LINK_TYPE,
    INVALID_PROGRESS,
    NEGATIVE_DURATION,
    SELF_LINK,
    EngineError,
)

LINK_TYPES = ("FS", "SS", "FF", "SF")
CONSTRAINT_TYPES = ("ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")
UNDATED_CONSTRAINTS = frozenset({"ASAP", "ALAP"})
WEEKDAYS = range(7)  # Python's numbering: 0 is Monday, 6 is Sunday


@dataclass(frozen=True)
class Task:
    """A unit of work. `duration` is in working time units of the project calendar.

    A task that is some other task's `parent` is a summary: its dates roll up from its children
    and its own duration is ignored. `milestone` marks a checkpoint; milestones usually have
    duration 0, but a flagged milestone with a duration is kept as MS Project keeps it.

    `constraint` is one of CONSTRAINT_TYPES; all but ASAP and ALAP need a `constraint_date`
    (a unit: a start for SNET, SNLT, MSO; a finish for FNET, FNLT, MFO). `deadline` bounds the
    late finish without moving the task. Progress: `actual_start`, `actual_finish` (units),
    `remaining` (duration left, units) and `percent_complete` (0 to 100); docs/scheduling.md
    gives the rules.

    `levelling_delay` (units, >= 0), set by resource levelling as MS Project's Leveling Delay,
    holds a task that has not started that long after its links and its floor (project start,
    status date, SNET/FNET/MSO/MFO) would let it start. A start cap (SNLT, FNLT, MSO, MFO)
    still wins over it, with the conflict reported; a summary's is not used.

    `calendar` names the calendar the task works on (one of the Timetable's it is scheduled
    with); None: the project calendar. Its duration and delay, and the lags of links into it,
    are then counted in that calendar's working time.
    """

    id: str
    duration: int
    name: str = ""
    milestone: bool = False
    parent: str | None = None
    constraint: str = "ASAP"
    constraint_date: int | None = None
    deadline: int | None = None
    actual_start: int | None = None
    actual_finish: int | None = None
    remaining: int | None = None
    percent_complete: float = 0.0
    levelling_delay: int = 0
    calendar: str | None = None
    # True when the task has a constraint, deadline or progress: the engine reads those fields
    # only for such tasks, which keeps loading a large plain network fast.
    extras: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for what, value in (("duration", self.duration), ("remaining duration", self.remaining)):
            if value is not None and value < 0:
                message = f"task {self.id!r} has negative {what} {value}"
                raise EngineError(NEGATIVE_DURATION, message, (self.id,))
        if self.levelling_delay < 0:
            message = f"task {self.id!r} has negative levelling delay {self.levelling_delay}"
            raise EngineError(INVALID_DELAY, message, (self.id,))
        self._check_constraint()
        self._check_progress()
        extras = (
            self.constraint != "ASAP"
            or self.deadline is not None
            or self.actual_start is not None
            or self.actual_finish is not None
            or self.remaining is not None
            or self.percent_complete != 0
            or self.levelling_delay != 0
        )
        object.__setattr__(self, "extras", extras)

    def _check_constraint(self) -> None:
        if self.constraint not in CONSTRAINT_TYPES:
            message = (
                f"task {self.id!r} has constraint {self.constraint!r};"
                f" use one of {', '.join(CONSTRAINT_TYPES)}"
            )
            raise EngineError(INVALID_CONSTRAINT, message, (self.id,))
        undated = self.constraint in UNDATED_CONSTRAINTS
        if undated != (self.constraint_date is None):
            needs = "takes no date" if undated else "needs a constraint date"
            message = f"task {self.id!r}: constraint {self.constraint} {needs}"
            raise EngineError(CONSTRAINT_DATE, message, (self.id,))

    def _check_progress(self) -> None:
        percent = self.percent_complete
        if not (math.isfinite(percent) and 0 <= percent <= 100):
            message = f"task {self.id!r} is {percent}% complete; give 0 to 100"
            raise EngineError(INVALID_PROGRESS, message, (self.id,))
        start, finish = self.actual_start, self.actual_finish
        if start is not None and finish is not None and finish < start:
            message = f"task {self.id!r} actually finishes at {finish}, before its actual start {start}"
            raise EngineError(INVALID_PROGRESS, message, (self.id,))


@dataclass(frozen=True)
class Link:
    """A dependency: FS, SS, FF or SF, with a lag in working units (negative is a lead).

    FS: successor start >= predecessor finish + lag;  SS: start >= start + lag;
    FF: finish >= finish + lag;                       SF: finish >= start + lag.

    With `lag_percent` set, the lag is that share of the predecessor's duration instead,
    round(duration * lag_percent / 100) units (may be negative), and `lag` is ignored.
    """

    predecessor: str
    successor: str
    type: str = "FS"
    lag: int = 0
    lag_percent: float | None = None
    # The engine reads a link's type, lag and whether the lag is a percentage as one integer,
    # lag * 8 + 4 * (percentage) + LINK_TYPES.index(type): one read per link, not three.
    packed: int = field(init=False, repr=False, compare=False)

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
        if self.lag_percent is not None and not math.isfinite(self.lag_percent):
            message = f"link {self.predecessor} → {self.successor} has lag {self.lag_percent}%"
            raise EngineError(INVALID_LAG, message, (self.predecessor, self.successor))
        percent = 4 if self.lag_percent is not None else 0
        object.__setattr__(self, "packed", self.lag * 8 + percent + LINK_TYPES.index(self.type))

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
