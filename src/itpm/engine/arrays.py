"""The engine's array input: a whole network as numpy columns, checked with whole-array tests.

`NetworkArrays` says what a list of Task and Link objects says, one column per field, tasks by
their index (0 is the first task). It is checked when made, as Task and Link are, and a bad
value raises the EngineError code the objects raise: a negative duration E003, a link to a task
number that does not exist E002, a task linked to itself E005, and so on. Checks across the
whole network (cycles, summary hierarchy cycles, constraints a summary cannot carry) are made
when the network is built, as for the objects.

Reading a file or a database straight into arrays skips making hundreds of thousands of
objects and looking their string ids up one by one, which costs several times more than
scheduling the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itpm.engine.errors import (
    CONSTRAINT_DATE,
    DUPLICATE_TASK,
    HIERARCHY_CYCLE,
    INVALID_CONSTRAINT,
    INVALID_DELAY,
    INVALID_LAG,
    INVALID_LINK_TYPE,
    INVALID_PROGRESS,
    NEGATIVE_DURATION,
    SELF_LINK,
    UNKNOWN_CALENDAR,
    UNKNOWN_TASK,
    EngineError,
)
from itpm.engine.fast_path import distinct
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

MISSING = int(np.iinfo(np.int64).min)  # no value, in an integer column of TaskExtras
TOP_LEVEL = -1  # the parent of a task that is no summary's child
_UNDATED = [CONSTRAINT_TYPES.index("ASAP"), CONSTRAINT_TYPES.index("ALAP")]


def integers(values: ArrayLike, what: str) -> IntArray:
    """A one-dimensional int64 array (no copy if it is one already)."""
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iub":
        raise ValueError(f"{what} must be a one-dimensional array of integers")
    return array.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class TaskExtras:
    """Constraints, deadlines, progress and levelling delays of some tasks: one row per task
    that has any.

    `task` is the task's index; `constraint` an index into CONSTRAINT_TYPES; integer columns
    hold MISSING where a Task field would be None; `levelling_delay` is 0 where none. Build one
    with `TaskExtras.of`.
    """

    task: IntArray
    constraint: IntArray
    constraint_date: IntArray
    deadline: IntArray
    actual_start: IntArray
    actual_finish: IntArray
    remaining: IntArray
    percent_complete: FloatArray
    levelling_delay: IntArray | None = None  # None: no delays (a column of zeros)

    @classmethod
    def of(
        cls,
        task: ArrayLike,
        *,
        constraint: ArrayLike | None = None,
        constraint_date: ArrayLike | None = None,
        deadline: ArrayLike | None = None,
        actual_start: ArrayLike | None = None,
        actual_finish: ArrayLike | None = None,
        remaining: ArrayLike | None = None,
        percent_complete: ArrayLike | None = None,
        levelling_delay: ArrayLike | None = None,
    ) -> TaskExtras:
        """Rows for the tasks `task`; a column not given is ASAP, MISSING or 0 % throughout."""
        rows = integers(task, "task")

        def column(values: ArrayLike | None, name: str, default: int) -> IntArray:
            if values is None:
                return np.full(len(rows), default, dtype=np.int64)
            return integers(values, name)

        percent = (
            np.zeros(len(rows)) if percent_complete is None else np.asarray(percent_complete, np.float64)
        )
        return cls(
            task=rows,
            constraint=column(constraint, "constraint", 0),
            constraint_date=column(constraint_date, "constraint_date", MISSING),
            deadline=column(deadline, "deadline", MISSING),
            actual_start=column(actual_start, "actual_start", MISSING),
            actual_finish=column(actual_finish, "actual_finish", MISSING),
            remaining=column(remaining, "remaining", MISSING),
            percent_complete=percent,
            levelling_delay=column(levelling_delay, "levelling_delay", 0),
        )

    def __post_init__(self) -> None:
        for name in (
            "task",
            "constraint",
            "constraint_date",
            "deadline",
            "actual_start",
            "actual_finish",
            "remaining",
        ):
            object.__setattr__(self, name, integers(getattr(self, name), name))
        delay = np.zeros(len(self.task), np.int64) if self.levelling_delay is None else self.levelling_delay
        object.__setattr__(self, "levelling_delay", integers(delay, "levelling_delay"))
        object.__setattr__(self, "percent_complete", np.asarray(self.percent_complete, dtype=np.float64))
        for name, values in vars(self).items():
            if np.shape(values) != np.shape(self.task):
                raise ValueError(f"TaskExtras.{name} has {np.size(values)} rows; task has {len(self.task)}")

    @property
    def delays(self) -> IntArray:
        """The levelling delays, a column of zeros where none were given."""
        if self.levelling_delay is None:  # only before __post_init__ has filled it in
            return np.zeros(len(self.task), dtype=np.int64)
        return self.levelling_delay

    def check(self, ids: Sequence[str] | None, task_count: int) -> None:
        """Each row on its own, in the order a Task checks its fields."""
        name = _Namer(ids)
        outside = (self.task < 0) | (self.task >= task_count)
        if outside.any():
            bad = int(self.task[outside][0])
            raise EngineError(
                UNKNOWN_TASK, f"extras name task number {bad}; there are {task_count}", (str(bad),)
            )
        if len(np.unique(self.task)) < len(self.task):
            values, counts = np.unique(self.task, return_counts=True)
            task = name(int(values[counts > 1][0]))
            raise EngineError(DUPLICATE_TASK, f"task {task!r} has two rows of extras", (task,))
        negative = (self.remaining < 0) & (self.remaining != MISSING)
        if negative.any():
            row = int(np.argmax(negative))
            task, value = name(int(self.task[row])), int(self.remaining[row])
            raise EngineError(
                NEGATIVE_DURATION, f"task {task!r} has negative remaining duration {value}", (task,)
            )
        delayed_back = self.delays < 0
        if delayed_back.any():
            row = int(np.argmax(delayed_back))
            task, value = name(int(self.task[row])), int(self.delays[row])
            raise EngineError(INVALID_DELAY, f"task {task!r} has negative levelling delay {value}", (task,))
        self._check_constraints(name)
        self._check_progress(name)

    def _check_constraints(self, name: _Namer) -> None:
        kinds = len(CONSTRAINT_TYPES)
        unknown = (self.constraint < 0) | (self.constraint >= kinds)
        if unknown.any():
            row = int(np.argmax(unknown))
            task = name(int(self.task[row]))
            message = (
                f"task {task!r} has constraint number {int(self.constraint[row])};"
                f" use 0 to {kinds - 1} for {', '.join(CONSTRAINT_TYPES)}"
            )
            raise EngineError(INVALID_CONSTRAINT, message, (task,))
        undated = np.isin(self.constraint, _UNDATED)
        wrong = undated != (self.constraint_date == MISSING)
        if wrong.any():
            row = int(np.argmax(wrong))
            task, kind = name(int(self.task[row])), CONSTRAINT_TYPES[int(self.constraint[row])]
            needs = "takes no date" if undated[row] else "needs a constraint date"
            raise EngineError(CONSTRAINT_DATE, f"task {task!r}: constraint {kind} {needs}", (task,))

    def _check_progress(self, name: _Namer) -> None:
        percent = self.percent_complete
        wrong = ~(np.isfinite(percent) & (percent >= 0) & (percent <= 100))
        if wrong.any():
            row = int(np.argmax(wrong))
            task = name(int(self.task[row]))
            raise EngineError(
                INVALID_PROGRESS, f"task {task!r} is {percent[row]}% complete; give 0 to 100", (task,)
            )
        start, finish = self.actual_start, self.actual_finish
        backwards = (start != MISSING) & (finish != MISSING) & (finish < start)
        if backwards.any():
            row = int(np.argmax(backwards))
            task = name(int(self.task[row]))
            message = (
                f"task {task!r} actually finishes at {int(finish[row])},"
                f" before its actual start {int(start[row])}"
            )
            raise EngineError(INVALID_PROGRESS, message, (task,))


@dataclass(frozen=True, eq=False)
class NetworkArrays:
    """A project as columns: per task its duration (and summary parent), per link its two
    tasks (indices), type (index into LINK_TYPES: 0 FS, 1 SS, 2 FF, 3 SF) and lag in units.

    `lag_percent` (NaN where none) gives a link's lag as a share of its predecessor's duration
    instead, as Link.lag_percent does; `parent` is TOP_LEVEL (-1) for a task in no summary;
    `ids` name the tasks in results and messages (their numbers as text when None); `extras`
    holds constraints, deadlines and progress. `task_calendar` gives, per task, the index of the
    calendar it works on among the named calendars of the Timetable it is scheduled with, or -1
    for the project calendar (None: every task on the project calendar). Arrays are taken as
    given, not copied: do not change them afterwards.
    """

    durations: IntArray
    link_predecessor: IntArray
    link_successor: IntArray
    link_type: IntArray
    link_lag: IntArray
    link_lag_percent: FloatArray | None = None
    parent: IntArray | None = None
    ids: Sequence[str] | None = None
    extras: TaskExtras | None = None
    task_calendar: IntArray | None = None

    @classmethod
    def of(
        cls,
        durations: ArrayLike,
        predecessor: ArrayLike,
        successor: ArrayLike,
        link_type: ArrayLike | None = None,
        lag: ArrayLike | None = None,
        *,
        lag_percent: ArrayLike | None = None,
        parent: ArrayLike | None = None,
        ids: Sequence[str] | None = None,
        extras: TaskExtras | None = None,
        task_calendar: ArrayLike | None = None,
    ) -> NetworkArrays:
        """From any array-likes; links are FS with no lag unless told otherwise."""
        before = integers(predecessor, "predecessor")
        zeros = np.zeros(len(before), dtype=np.int64)
        return cls(
            durations=integers(durations, "durations"),
            link_predecessor=before,
            link_successor=integers(successor, "successor"),
            link_type=zeros if link_type is None else integers(link_type, "link_type"),
            link_lag=zeros if lag is None else integers(lag, "lag"),
            link_lag_percent=None if lag_percent is None else np.asarray(lag_percent, dtype=np.float64),
            parent=None if parent is None else integers(parent, "parent"),
            ids=ids,
            extras=extras,
            task_calendar=None if task_calendar is None else integers(task_calendar, "task_calendar"),
        )

    def __post_init__(self) -> None:
        names = (
            "durations",
            "link_predecessor",
            "link_successor",
            "link_type",
            "link_lag",
            "parent",
            "task_calendar",
        )
        for name in names:
            values = getattr(self, name)
            if values is not None:  # int64 throughout, copied only where given otherwise
                object.__setattr__(self, name, integers(values, name))
        self._check_shapes()
        self._check_tasks()
        self._check_links()
        if self.extras is not None:
            self.extras.check(self.ids, self.task_count)

    @property
    def task_count(self) -> int:
        return len(self.durations)

    @property
    def link_count(self) -> int:
        return len(self.link_predecessor)

    def _check_shapes(self) -> None:
        tasks, links = (self.task_count,), (self.link_count,)
        shapes = {
            "durations": (self.durations, tasks),
            "link_successor": (self.link_successor, links),
            "link_type": (self.link_type, links),
            "link_lag": (self.link_lag, links),
            "link_lag_percent": (self.link_lag_percent, links),
            "parent": (self.parent, tasks),
            "task_calendar": (self.task_calendar, tasks),
        }
        for name, (values, shape) in shapes.items():
            if values is not None and np.shape(values) != shape:
                raise ValueError(f"NetworkArrays.{name} has shape {np.shape(values)}, not {shape}")
        if self.ids is not None and len(self.ids) != self.task_count:
            raise ValueError(f"{len(self.ids)} ids for {self.task_count} tasks")

    def _check_tasks(self) -> None:
        name = _Namer(self.ids)
        calendar = self.task_calendar
        if calendar is not None and self.task_count and int(calendar.min()) < -1:
            task = int(np.argmax(calendar < -1))
            message = f"task {name(task)!r} names calendar number {int(calendar[task])}; there is none"
            raise EngineError(UNKNOWN_CALENDAR, message, (name(task),))
        if self.task_count and int(self.durations.min()) < 0:
            task = int(np.argmax(self.durations < 0))
            message = f"task {name(task)!r} has negative duration {int(self.durations[task])}"
            raise EngineError(NEGATIVE_DURATION, message, (name(task),))
        if self.ids is not None and not distinct(self.ids, self.task_count + self.link_count):
            seen: set[str] = set()
            for task_id in self.ids:
                if task_id in seen:
                    raise EngineError(DUPLICATE_TASK, f"task id {task_id!r} is used twice", (task_id,))
                seen.add(task_id)
        if self.parent is not None and self.task_count:
            parent = self.parent
            outside = (parent < TOP_LEVEL) | (parent >= self.task_count)
            if outside.any():
                task = int(np.argmax(outside))
                bad = int(parent[task])
                message = f"task {name(task)!r} names task number {bad} as its parent; there is none"
                raise EngineError(UNKNOWN_TASK, message, (str(bad),))
            own = parent == np.arange(self.task_count)
            if own.any():
                child = name(int(np.argmax(own)))
                message = f"task hierarchy has a cycle: {child} → {child}"
                raise EngineError(HIERARCHY_CYCLE, message, (child,))

    def _check_links(self) -> None:
        if not self.link_count:
            return
        name = _Namer(self.ids)
        before, after, count = self.link_predecessor, self.link_successor, self.task_count
        for ends in (before, after):
            if _beyond(ends, count):
                link = int(np.argmax((ends < 0) | (ends >= count)))
                bad = int(ends[link])
                message = f"link {link} names task number {bad}; there are {count} tasks"
                raise EngineError(UNKNOWN_TASK, message, (str(bad),))
        kinds = self.link_type
        if _beyond(kinds, len(LINK_TYPES)):
            link = int(np.argmax((kinds < 0) | (kinds >= len(LINK_TYPES))))
            named = (name(int(before[link])), name(int(after[link])))
            message = (
                f"link {named[0]} → {named[1]} has type number {int(kinds[link])};"
                " use 0 to 3 for FS, SS, FF, SF"
            )
            raise EngineError(INVALID_LINK_TYPE, message, named)
        itself = before == after
        if itself.any():
            task = name(int(before[int(np.argmax(itself))]))
            raise EngineError(SELF_LINK, f"task {task!r} is linked to itself", (task,))
        percent = self.link_lag_percent
        if percent is not None and np.isinf(percent).any():
            link = int(np.argmax(np.isinf(percent)))
            named = (name(int(before[link])), name(int(after[link])))
            message = f"link {named[0]} → {named[1]} has lag {percent[link]}%"
            raise EngineError(INVALID_LAG, message, named)


def _beyond(values: IntArray, count: int) -> bool:
    """Whether any value lies outside 0..count-1: one pass, as a negative number read as
    unsigned is larger than any count."""
    return bool(values.size) and int(values.view(np.uint64).max()) >= count


class _Namer:
    """A task's id for a message: its id if ids are given, else its number."""

    def __init__(self, ids: Sequence[str] | None) -> None:
        self.ids = ids

    def __call__(self, task: int) -> str:
        return str(task) if self.ids is None else self.ids[task]
