"""What tasks say beyond their duration (constraints, deadlines, progress), read into arrays.

Most tasks of a large plan say nothing more, so only tasks whose `extras` flag is set are read,
once, when the network is built; scheduling then works on these columns, never on the objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itpm.engine.model import CONSTRAINT_TYPES, Task

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Stand-ins for "no bound": far outside any schedule, yet their sums cannot overflow int64.
LOW = -(1 << 40)
HIGH = 1 << 40
NO_REMAINING = -1


@dataclass(frozen=True, eq=False)
class Extras:
    """Per task with extras, in input order: its node and each field (a stand-in where None)."""

    nodes: IntArray
    duration: IntArray
    constraint: IntArray  # index into CONSTRAINT_TYPES
    constraint_date: IntArray  # 0 where none
    deadline: IntArray  # HIGH where none
    actual_start: IntArray  # LOW where none
    actual_finish: IntArray  # LOW where none
    remaining: IntArray  # NO_REMAINING where none
    percent: npt.NDArray[np.float64]

    def only(self, keep: BoolArray) -> Extras:
        """The rows where `keep` holds."""
        return Extras(**{name: values[keep] for name, values in vars(self).items()})


def read_extras(tasks: Sequence[Task], nodes: IntArray) -> Extras:
    return Extras(
        nodes=nodes,
        duration=column(tasks, "duration", 0),
        constraint=int_array([CONSTRAINT_TYPES.index(task.constraint) for task in tasks]),
        constraint_date=column(tasks, "constraint_date", 0),
        deadline=column(tasks, "deadline", HIGH),
        actual_start=column(tasks, "actual_start", LOW),
        actual_finish=column(tasks, "actual_finish", LOW),
        remaining=column(tasks, "remaining", NO_REMAINING),
        percent=np.array([float(task.percent_complete) for task in tasks], dtype=np.float64),
    )


def column(tasks: Sequence[Task], name: str, missing: int) -> IntArray:
    """One integer field of every task as an array, `missing` where it is None."""
    values = [getattr(task, name) for task in tasks]
    return int_array([missing if value is None else value for value in values])


def int_array(values: Sequence[int]) -> IntArray:
    return np.array(values, dtype=np.int64).reshape(-1)
