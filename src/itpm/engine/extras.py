"""What tasks say beyond their duration (constraints, deadlines, progress), as engine columns.

Most tasks of a large plan say nothing more, so only the rows of tasks that do are kept, read
once when the network is built; scheduling then works on these columns, never on objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import MISSING, TaskExtras

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Stand-ins for "no bound": far outside any schedule, yet their sums cannot overflow int64.
LOW = -(1 << 40)
HIGH = 1 << 40
NO_REMAINING = -1


@dataclass(frozen=True, eq=False)
class Extras:
    """Per task with extras, in task order: its node and each field (a stand-in where None)."""

    nodes: IntArray
    duration: IntArray
    constraint: IntArray  # index into CONSTRAINT_TYPES
    constraint_date: IntArray  # 0 where none
    deadline: IntArray  # HIGH where none
    actual_start: IntArray  # LOW where none
    actual_finish: IntArray  # LOW where none
    remaining: IntArray  # NO_REMAINING where none
    percent: npt.NDArray[np.float64]
    delay: IntArray  # levelling delay, 0 where none

    def only(self, keep: BoolArray) -> Extras:
        """The rows where `keep` holds."""
        return Extras(**{name: values[keep] for name, values in vars(self).items()})


def no_extras() -> Extras:
    none = np.zeros(0, dtype=np.int64)
    return Extras(none, none, none, none, none, none, none, none, np.zeros(0, dtype=np.float64), none)


def engine_extras(given: TaskExtras | None, durations: IntArray) -> Extras:
    """The engine's columns: rows in task order, MISSING turned into each column's stand-in."""
    if given is None or not len(given.task):
        return no_extras()
    rows = np.argsort(given.task, kind="stable")
    nodes = given.task[rows]

    def instead(values: IntArray, stand_in: int) -> IntArray:
        values = values[rows]
        return np.where(values == MISSING, stand_in, values)

    return Extras(
        nodes=nodes,
        duration=durations[nodes],
        constraint=given.constraint[rows].astype(np.int64),
        constraint_date=instead(given.constraint_date, 0),
        deadline=instead(given.deadline, HIGH),
        actual_start=instead(given.actual_start, LOW),
        actual_finish=instead(given.actual_finish, LOW),
        remaining=instead(given.remaining, NO_REMAINING),
        percent=given.percent_complete[rows].astype(np.float64),
        delay=given.delays[rows],
    )


def constant(count: int, value: int) -> IntArray:
    """`count` times `value`, as a read-only view of a single number.

    Most columns of a plain plan (caps, deadlines, progress) hold one stand-in throughout;
    a view costs no memory, and reading it through an index costs nothing either (by_position).
    Writing to it raises, so code that fills in a column makes it `writable` first.
    """
    return np.broadcast_to(np.int64(value), (count,))


def is_constant(values: npt.NDArray[np.generic]) -> bool:
    return values.ndim == 1 and values.strides == (0,)


Column = TypeVar("Column", bound=npt.NDArray[Any])


def writable(values: Column) -> Column:
    """The column itself if it can be written to, else a copy that can."""
    return values if values.flags.writeable else values.copy()


def by_position(values: IntArray, order: IntArray) -> IntArray:
    """values[order], for a column that may be a constant (then the same constant)."""
    return values if is_constant(values) else values[order]


def int_array(values: list[int]) -> IntArray:
    return np.array(values, dtype=np.int64).reshape(-1)
