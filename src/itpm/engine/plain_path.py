"""The plain case of `schedule_arrays`, scheduled by one compiled kernel (plain_kernels.py).

Plain: no summaries (no parent, or every task at top level), no constraints, deadlines,
progress or levelling delays (no extras rows), every task on one calendar (no task calendars,
or a timetable whose calendars in use all work the axis's days), scheduled forward from the
project start (a status date may floor every task). Most large plans being
made are so, and there the general path's layout by level, some thirty whole-network arrays,
buys nothing: the kernel goes from the input columns to the result columns in a few loops.

The kernel takes the case only where numba is loaded and the network is large enough
(fast_path.kernels), and only input it can vouch for: anything the engine refuses (a negative
duration, a link to a task that does not exist, a task linked to itself, a cycle, ...), or
values so large that its 32-bit columns could not hold them, and the general path runs
instead, so errors are raised by the one code that raises them, with the same messages. Task
ids are checked for duplicates as NetworkArrays checks them (fast_path.distinct), unless they
come in a NetworkArrays, checked already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from itpm.engine.arrays import TOP_LEVEL, NetworkArrays, TaskExtras, integers
from itpm.engine.extras import IntArray
from itpm.engine.fast_path import distinct, kernels
from itpm.engine.results import ResultColumns, Schedule, SettlingOrder, TaskResults
from itpm.engine.timetable import AXIS, Timetable

DATE_LIMIT = 1 << 38  # plain_kernels.DATE_LIMIT: the project start and status date stay inside
SCHEDULED = 0  # plain_kernels.SCHEDULED


@dataclass(frozen=True, eq=False)
class PlainInput:
    """A plain network's columns as the kernel reads them: contiguous int64 (float64 percentages,
    empty where none), and the ids; `checked`: the ids are known to be distinct."""

    durations: IntArray
    predecessor: IntArray
    successor: IntArray
    link_type: IntArray
    lag: IntArray
    percent: npt.NDArray[np.float64]
    ids: Sequence[str] | None
    checked: bool


def plain_input(given: npt.ArrayLike | NetworkArrays, columns: dict[str, Any]) -> PlainInput | None:
    """The network's columns if it is plain, else None: from a NetworkArrays (checked when
    made), or from the caller's columns (durations, then `columns` as NetworkArrays.of takes
    them) if they read as NetworkArrays.of reads them (if not, it says what is wrong)."""
    if isinstance(given, NetworkArrays):
        if not _flat(given.parent, given.extras):
            return None
        return _plain(
            given.durations, given.link_predecessor, given.link_successor, given.link_type,
            given.link_lag, given.link_lag_percent, given.ids, checked=True,
        )  # fmt: skip
    if not _flat(columns["parent"], columns["extras"]):
        return None
    try:
        durations = integers(given, "durations")
        if columns["parent"] is not None and np.shape(integers(columns["parent"], "parent")) != np.shape(
            durations
        ):
            return None
        before = integers(columns["predecessor"], "predecessor")
        zeros = np.zeros(len(before), dtype=np.int64)
        kinds, lags, percent = columns["link_type"], columns["lag"], columns["lag_percent"]
        return _plain(
            durations, before, integers(columns["successor"], "successor"),
            zeros if kinds is None else integers(kinds, "link_type"),
            zeros if lags is None else integers(lags, "lag"),
            None if percent is None else np.asarray(percent, dtype=np.float64),
            columns["ids"], checked=False,
        )  # fmt: skip
    except (ValueError, TypeError):
        return None


def _size(given: npt.ArrayLike | NetworkArrays, columns: dict[str, Any]) -> int:
    """Tasks and links, counted before anything is read."""
    if isinstance(given, NetworkArrays):
        return given.task_count + given.link_count
    return int(np.size(given)) + int(np.size(columns["predecessor"]))


def _flat(parent: Any, extras: TaskExtras | None) -> bool:
    """No extras rows, no task in a summary."""
    if extras is not None and len(extras.task):
        return False
    return parent is None or bool((np.asarray(parent) == TOP_LEVEL).all())


def _on_the_axis(
    given: npt.ArrayLike | NetworkArrays, columns: dict[str, Any], timetable: Timetable | None
) -> bool:
    """Whether every task works on the axis: no timetable and no task calendars, or a timetable
    whose calendars in use all work the axis's days (then cpm.py's node_calendars finds none
    either; the project calendar is one of them where a task names none)."""
    calendar = given.task_calendar if isinstance(given, NetworkArrays) else columns["task_calendar"]
    if timetable is None:
        return calendar is None
    count = given.task_count if isinstance(given, NetworkArrays) else int(np.size(given))
    try:
        named = (
            np.full(count, -1, dtype=np.int64) if calendar is None else integers(calendar, "task_calendar")
        )
    except (ValueError, TypeError):
        return False
    if np.shape(named) != (count,) or not bool(((named >= -1) & (named < len(timetable.names))).all()):
        return False  # NetworkArrays or node_calendars names what is wrong
    return not bool((timetable.resolve(named) != AXIS).any())


def _plain(
    durations: IntArray,
    predecessor: IntArray,
    successor: IntArray,
    link_type: IntArray,
    lag: IntArray,
    percent: npt.NDArray[np.float64] | None,
    ids: Sequence[str] | None,
    *,
    checked: bool,
) -> PlainInput | None:
    links = len(predecessor)
    shapes = [np.shape(column) for column in (successor, link_type, lag)]
    if percent is not None:
        shapes.append(np.shape(percent))
    if any(shape != (links,) for shape in shapes) or (ids is not None and len(ids) != len(durations)):
        return None
    dense = np.ascontiguousarray
    floats = np.zeros(0) if percent is None else dense(percent)
    return PlainInput(
        dense(durations), dense(predecessor), dense(successor), dense(link_type), dense(lag),
        floats, ids, checked,
    )  # fmt: skip


def _distinct(ids: Sequence[str] | None, size: int) -> bool:
    """Whether no id is used twice (no ids: the task numbers are)."""
    try:
        return ids is None or distinct(ids, size)
    except TypeError:  # an id that is no string: NetworkArrays does not take it either
        return False


class PlainTasks:
    """What results read of a plain network: task ids, and their levels for the settling order."""

    def __init__(
        self, ids: tuple[str, ...], queue: npt.NDArray[np.int32], level: npt.NDArray[np.int32]
    ) -> None:
        self.ids, self.queue, self.level = ids, queue, level

    @property
    def task_count(self) -> int:
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        return dict(zip(self.ids, range(len(self.ids)), strict=True))

    @cached_property
    def settling_order(self) -> tuple[str, ...]:
        """Tasks by level, each level in task order (there are no summaries to follow): the
        kernel's queue holds them by level already, each level in the order they were ready."""
        order = self.queue[np.lexsort((self.queue, self.level))]
        return tuple(map(self.ids.__getitem__, order.tolist()))


def schedule_plain(
    given: npt.ArrayLike | NetworkArrays,
    columns: dict[str, Any],
    start: int,
    status: int | None,
    *,
    timetable: Timetable | None = None,
    index: dict[str, int] | None = None,
) -> Schedule | None:
    """The Schedule of a plain network, scheduled forward from `start` (and `status`), by the
    kernel; None where the general path must run. `given` and `columns` as plain_input;
    `timetable` as schedule_arrays takes it; `index`, each id's task number, if the caller has
    it already."""
    size = _size(given, columns)
    compiled = kernels(size)
    if compiled is None or size >= 2**29:  # the kernel packs a task number times 4 in 32 bits
        return None
    if not _on_the_axis(given, columns, timetable):
        return None
    if not all(isinstance(unit, int | np.integer) for unit in (start, 0 if status is None else status)):
        return None
    floor = start if status is None else max(start, status)
    if not -DATE_LIMIT < start <= floor < DATE_LIMIT:
        return None
    plain = plain_input(given, columns)
    if plain is None or not len(plain.durations) or not (plain.checked or _distinct(plain.ids, size)):
        return None  # not plain, no task at all, or an id used twice: NetworkArrays names it
    return _schedule(compiled, plain, start, floor, floor - 1 if status is None else status, index)


def _schedule(
    compiled: ModuleType, plain: PlainInput, start: int, floor: int, status: int, index: dict[str, int] | None
) -> Schedule | None:
    outcome, columns, finish, path, (queue, level) = compiled.schedule_plain(
        plain.durations, plain.predecessor, plain.successor, plain.link_type, plain.lag,
        plain.percent, floor, status,
    )  # fmt: skip
    if outcome != SCHEDULED:
        return None
    ids = tuple(map(str, range(len(plain.durations)))) if plain.ids is None else tuple(plain.ids)
    dates, total, free, critical, code, driving, driving_type = columns
    tasks = PlainTasks(ids, queue, level)
    if index is not None:  # made while reading objects: no need to make it again
        tasks.__dict__["index"] = index
    results = ResultColumns(
        ids, dates[:, 0], dates[:, 1], dates[:, 2], dates[:, 3], total, free, critical,
        code, driving, driving_type,
    )  # fmt: skip
    return Schedule(
        results=TaskResults(results, tasks),
        finish=int(finish),
        critical_path=[ids[task] for task in path.tolist()],
        order=SettlingOrder(tasks),
        conflicts=[],
        start=start,
    )
