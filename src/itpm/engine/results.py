"""The engine's output: a Schedule, with per-task results as columns and as TaskResult objects.

A large schedule is mostly read in bulk (written back to a database, printed), so results are
kept as numpy columns and a TaskResult is made only when someone looks a task up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast, overload

import numpy as np

from itpm.engine.conflicts import find_conflicts
from itpm.engine.drivers import DRIVERS, NONE, Driving
from itpm.engine.errors import Conflict
from itpm.engine.extras import HIGH, BoolArray, Column, IntArray
from itpm.engine.model import LINK_TYPES
from itpm.engine.network import Network
from itpm.engine.solved import Solved


@dataclass(frozen=True)
class TaskResult:
    """The computed dates of one task, in working units, with its float.

    Early dates are the dates the task is scheduled on: for an ALAP task (and for every task
    when scheduling backward) that is after it has been moved late. Total float may be negative
    where a constraint or deadline cannot be met; `critical` is total float <= 0 (never for a
    task already complete).

    Why does it start then? `driver` says: "link" (then `driving_predecessor` names the task and
    `driving_type` the type of the link that sets the start), "constraint", "status date",
    "actual", "project start", or "project finish" (moved late when scheduling backward). For a
    summary these are those of its earliest-starting leaf.
    """

    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    driving_predecessor: str | None
    driving_type: str | None = None
    driver: str = "project start"


@dataclass(frozen=True, eq=False)
class ResultColumns:
    """Every task's results as arrays in task input order, for reading a schedule in bulk."""

    ids: tuple[str, ...]
    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    total_float: IntArray
    free_float: IntArray
    critical: BoolArray
    driver: IntArray  # index into DRIVERS
    driving_predecessor: IntArray  # index into ids, or -1
    driving_type: IntArray  # index into LINK_TYPES, or -1


class TaskIndex(Protocol):
    """What results read of the network they came from, when first asked: a Network, or the
    plain path's PlainTasks (plain_path.py)."""

    @property
    def task_count(self) -> int: ...
    @property
    def index(self) -> dict[str, int]: ...
    @property
    def settling_order(self) -> tuple[str, ...]: ...


class TaskResults(Mapping[str, TaskResult]):
    """Read-only mapping of task id to TaskResult, made from the columns on demand."""

    def __init__(self, columns: ResultColumns, network: TaskIndex) -> None:
        self.columns = columns
        self._network = network  # its index of ids is made when a task is first looked up
        self._rows: list[tuple[int, ...]] | None = None

    def __getitem__(self, task_id: str) -> TaskResult:
        return self.at(self._network.index[task_id])

    def at(self, number: int) -> TaskResult:
        """The result of the task at `number` in input order."""
        if self._rows is None:
            c = self.columns
            values = (c.early_start, c.early_finish, c.late_start, c.late_finish, c.total_float)
            more = (c.free_float, c.critical, c.driving_predecessor, c.driving_type, c.driver)
            self._rows = list(zip(*(column.tolist() for column in (*values, *more)), strict=True))
        es, ef, ls, lf, total, free, critical, by, kind, driver = self._rows[number]
        return TaskResult(
            es,
            ef,
            ls,
            lf,
            total,
            free,
            bool(critical),
            None if by == NONE else self.columns.ids[by],
            None if kind == NONE else LINK_TYPES[kind],
            DRIVERS[driver],
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns.ids)

    def __len__(self) -> int:
        return len(self.columns.ids)

    def __repr__(self) -> str:
        return f"TaskResults({dict(self)!r})"


@dataclass(frozen=True)
class Schedule:
    """A scheduled project: results per task id, the project finish and one critical path.

    `order` lists the leaf tasks topologically, then the summaries from the deepest up: the
    order in which the engine settles them. `start` is the project start (computed when
    scheduling backward). `conflicts` lists the rules that could not all hold.
    """

    results: Mapping[str, TaskResult]
    finish: int
    critical_path: list[str]
    order: Sequence[str]
    conflicts: list[Conflict] = field(default_factory=list)
    start: int = 0

    @property
    def columns(self) -> ResultColumns:
        """Every task's results as arrays, for reading the schedule in bulk."""
        if not isinstance(self.results, TaskResults):
            raise TypeError("this schedule was not made by the engine: it has no result columns")
        return self.results.columns


def assemble(solved: Solved, driving: Driving, free: IntArray, path: list[str]) -> Schedule:
    network = solved.network
    tasks = network.task_count
    summaries = bool(network.is_summary.any())

    def column(values: Column) -> Column:
        # Views of the solved arrays, but copies where summaries are rolled up into them.
        head = cast(Column, values[:tasks])
        return head.copy() if summaries else head

    columns = ResultColumns(
        ids=network.ids[:tasks],
        early_start=column(solved.scheduled[:, 0]),
        early_finish=column(solved.scheduled[:, 1]),
        late_start=column(solved.late[:, 0]),
        late_finish=column(solved.late[:, 1]),
        total_float=column(solved.total_float),
        free_float=free[:tasks],
        critical=column(solved.critical),
        driver=column(driving.code),
        driving_predecessor=column(driving.predecessor),
        driving_type=column(driving.link_type),
    )
    if summaries:
        _roll_up_summaries(network, columns)
    return Schedule(
        results=TaskResults(columns, network),
        finish=solved.finish,
        critical_path=path,
        order=SettlingOrder(network),
        conflicts=find_conflicts(solved, driving, columns.early_finish),
        start=solved.start,
    )


class SettlingOrder(Sequence[str]):
    """Schedule.order: the task ids are looked up when first read, not for every schedule."""

    def __init__(self, network: TaskIndex) -> None:
        self._network = network

    @property
    def ids(self) -> tuple[str, ...]:
        return self._network.settling_order

    @overload
    def __getitem__(self, number: int) -> str: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[str]: ...
    def __getitem__(self, number: int | slice) -> str | Sequence[str]:
        return self.ids[number]

    def __len__(self) -> int:
        return self._network.task_count

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self.ids) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable like one

    def __repr__(self) -> str:
        return repr(list(self.ids))


def _roll_up_summaries(network: Network, columns: ResultColumns) -> None:
    """A summary spans its children: earliest start, latest finish, least float.

    Depth by depth from the deepest, so a summary inside a summary is final before its parent
    reads it. It is critical if a child is. Its driver is that of its earliest leaf, ties to
    the first settled.
    """
    c = columns
    lows = [c.early_start, c.late_start, c.total_float, c.free_float]
    highs = [c.early_finish, c.late_finish]
    critical = c.critical.astype(np.int64)
    earliest = _earliest_leaf_keys(network, c.early_start)
    summaries = np.flatnonzero(network.is_summary)
    for values in [*lows, earliest]:
        values[summaries] = HIGH
    for values in [*highs, critical]:
        values[summaries] = -HIGH
    for depth in range(int(network.depth.max()), 0, -1):
        children = np.flatnonzero(network.depth == depth)
        parents = network.parent[children]
        for values in [*lows, earliest]:
            np.minimum.at(values, parents, values[children])
        for values in [*highs, critical]:
            np.maximum.at(values, parents, values[children])
    c.critical[summaries] = critical[summaries] > 0
    leaf = network.order[earliest[summaries] % network.node_count]
    for values in (c.driver, c.driving_predecessor, c.driving_type):
        values[summaries] = values[leaf]


def _earliest_leaf_keys(network: Network, early_start: IntArray) -> IntArray:
    """Per task, a key whose minimum picks the earliest start, ties to the first in order."""
    place = network.layout.place
    lowest = int(early_start[~network.is_summary].min()) if (~network.is_summary).any() else 0
    keys = (early_start - lowest) * network.node_count + place[: network.task_count]
    return keys.astype(np.int64)
