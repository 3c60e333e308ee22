"""Critical path method: forward and backward pass, float, driving predecessors, critical path.

Time is integer working units; a task occupies [start, finish) with finish = start + duration.
Each pass is one sweep over the links in the order the network settled once, so the cost is
linear in tasks plus links. The sweeps run over plain lists today; their inputs are already
arrays, so a compiled loop can replace them where a benchmark shows it pays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from itpm.engine.model import Link, Task
from itpm.engine.network import IntArray, Network, build_network

# One link of a sweep: predecessor, successor, from_finish, to_finish, lag.
SweepLink = tuple[int, int, bool, bool, int]
_NO_DRIVER = -1


@dataclass(frozen=True)
class TaskResult:
    """The computed dates of one task, in working units, with its float.

    `driving_predecessor` answers "why does this start then?": the task whose link sets the
    early start, or None when only the project start holds it. For a summary it is the driving
    predecessor of its earliest-starting leaf.
    """

    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    driving_predecessor: str | None


@dataclass(frozen=True)
class Schedule:
    """A scheduled project: results per task id, the project finish and one critical path.

    `order` lists the leaf tasks topologically, then the summaries from the deepest up: the
    order in which the engine settles them.
    """

    results: dict[str, TaskResult]
    finish: int
    critical_path: list[str]
    order: list[str]


@dataclass
class _Dates:
    """Per-node arrays filled by the passes."""

    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    total_float: IntArray
    free_float: IntArray
    driver: IntArray  # raw driving node, gates included, or _NO_DRIVER


def schedule(tasks: Iterable[Task], links: Iterable[Link], *, project_start_unit: int = 0) -> Schedule:
    """Schedule tasks and links by CPM from `project_start_unit`; raise EngineError if invalid."""
    network = build_network(list(tasks), list(links))
    sweep = _sweep(network)
    early_start, driver = forward_pass(network, sweep, project_start_unit)
    early_finish = early_start + network.durations
    finish = _project_finish(network, early_finish, project_start_unit)
    late_finish = backward_pass(network, sweep, finish)
    late_start = late_finish - network.durations
    dates = _Dates(
        early_start=early_start,
        early_finish=early_finish,
        late_start=late_start,
        late_finish=late_finish,
        total_float=late_start - early_start,
        free_float=free_float(network, sweep, early_start, finish),
        driver=driver,
    )
    return _assemble(network, dates, finish)


def _sweep(network: Network) -> list[SweepLink]:
    """The links in settling order, as tuples: a Python loop reads these fastest."""
    ordered = network.link_order
    return list(
        zip(
            network.link_predecessor[ordered].tolist(),
            network.link_successor[ordered].tolist(),
            network.from_finish[ordered].tolist(),
            network.to_finish[ordered].tolist(),
            network.lag[ordered].tolist(),
            strict=True,
        )
    )


def forward_pass(network: Network, sweep: list[SweepLink], project_start: int) -> tuple[IntArray, IntArray]:
    """Early starts, and per node the predecessor whose link sets it (or _NO_DRIVER).

    A successor's links all come after its predecessors' links in the sweep, so each
    predecessor's start is final when it is read. Of equal bounds the first link drives.
    """
    duration = network.durations.tolist()
    # The strongest bound so far; starting just below the project start means a link drives
    # only if it holds the task at or after the project start.
    bound = [project_start - 1] * network.node_count
    driver = [_NO_DRIVER] * network.node_count
    for predecessor, successor, from_finish, to_finish, lag in sweep:
        anchor = max(bound[predecessor], project_start)
        anchor += duration[predecessor] if from_finish else 0
        start = anchor + lag - (duration[successor] if to_finish else 0)
        if start > bound[successor]:
            bound[successor], driver[successor] = start, predecessor
    early_start = np.maximum(np.array(bound, dtype=np.int64), project_start)
    return early_start, np.array(driver, dtype=np.int64)


def backward_pass(network: Network, sweep: list[SweepLink], project_finish: int) -> IntArray:
    """Late finishes: as late as every link allows with all tasks done by the project finish."""
    duration = network.durations.tolist()
    late_finish = [project_finish] * network.node_count
    for predecessor, successor, from_finish, to_finish, lag in reversed(sweep):
        anchor = late_finish[successor] - (0 if to_finish else duration[successor])
        latest = anchor - lag + (0 if from_finish else duration[predecessor])
        late_finish[predecessor] = min(late_finish[predecessor], latest)
    return np.array(late_finish, dtype=np.int64)


def free_float(
    network: Network, sweep: list[SweepLink], early_start: IntArray, project_finish: int
) -> IntArray:
    """How far each task can slip without moving any successor's early dates or the finish.

    A gate is not a task anyone can slip: a slip that reaches it passes through, so the slack
    up to a gate adds to the gate's own free float.
    """
    duration = network.durations.tolist()
    start = early_start.tolist()
    free = (project_finish - early_start - network.durations).tolist()
    for predecessor, successor, from_finish, to_finish, lag in reversed(sweep):
        held = start[successor] + (duration[successor] if to_finish else 0)
        anchor = start[predecessor] + (duration[predecessor] if from_finish else 0)
        slack = held - lag - anchor
        slack += free[successor] if network.is_gate(successor) else 0
        free[predecessor] = min(free[predecessor], slack)
    return np.array(free, dtype=np.int64)


def _project_finish(network: Network, early_finish: IntArray, project_start: int) -> int:
    leaves = ~network.is_summary
    finishes = early_finish[: network.task_count][leaves]
    return max(project_start, int(finishes.max())) if finishes.size else project_start


def _assemble(network: Network, dates: _Dates, finish: int) -> Schedule:
    driver = _reported_drivers(network, dates.driver)
    _roll_up_summaries(network, dates, driver)
    return Schedule(
        results=_results(network, dates, driver),
        finish=finish,
        critical_path=_critical_path(network, dates, finish),
        order=_settling_order(network),
    )


def _reported_drivers(network: Network, raw: IntArray) -> IntArray:
    """Drivers as people see them: a task, or the summary whose link drives, never a gate.

    An entry gate passes on its own driver (the task linked to the summary); an exit gate is
    reported as its summary, since the link people drew starts there.
    """
    raw_driver = raw.tolist()
    reported = [_NO_DRIVER] * network.node_count
    gate_owner = network.gate_owner.tolist()
    for node in network.order.tolist():  # a gate is settled before what it drives
        driver = raw_driver[node]
        if driver == _NO_DRIVER or not network.is_gate(driver):
            reported[node] = driver
        elif network.gate_is_entry[driver - network.task_count]:
            reported[node] = reported[driver]
        else:
            reported[node] = gate_owner[driver - network.task_count]
    return np.array(reported, dtype=np.int64)


def _roll_up_summaries(network: Network, dates: _Dates, driver: IntArray) -> None:
    """A summary spans its children: earliest start, latest finish, least float.

    Depth by depth from the deepest, so a summary inside a summary is final before its parent
    reads it. The summary's driver is that of its earliest leaf, ties to the first settled.
    """
    if not network.is_summary.any():
        return
    tasks = network.task_count
    lows = [dates.early_start, dates.late_start, dates.total_float, dates.free_float]
    highs = [dates.early_finish, dates.late_finish]
    earliest = _earliest_leaf_keys(network, dates.early_start)
    summaries = np.flatnonzero(network.is_summary)
    for values in [*lows, earliest]:
        values[summaries] = np.iinfo(np.int64).max
    for values in highs:
        values[summaries] = np.iinfo(np.int64).min
    for depth in range(int(network.depth.max()), 0, -1):
        children = np.flatnonzero(network.depth == depth)
        parents = network.parent[children]
        for values in [*lows, earliest]:
            np.minimum.at(values[:tasks], parents, values[children])
        for values in highs:
            np.maximum.at(values[:tasks], parents, values[children])
    place_of_leaf = earliest[summaries] % network.node_count
    driver[summaries] = driver[network.order[place_of_leaf]]


def _earliest_leaf_keys(network: Network, early_start: IntArray) -> IntArray:
    """Per task, a key whose minimum picks the earliest start, ties to the first in order."""
    place = np.empty(network.node_count, dtype=np.int64)
    place[network.order] = np.arange(network.node_count)
    starts = early_start[: network.task_count]
    return (starts - starts.min()) * network.node_count + place[: network.task_count]


def _results(network: Network, dates: _Dates, driver: IntArray) -> dict[str, TaskResult]:
    tasks = network.task_count
    columns = zip(
        dates.early_start[:tasks].tolist(),
        dates.early_finish[:tasks].tolist(),
        dates.late_start[:tasks].tolist(),
        dates.late_finish[:tasks].tolist(),
        dates.total_float[:tasks].tolist(),
        dates.free_float[:tasks].tolist(),
        driver[:tasks].tolist(),
        strict=True,
    )
    results: dict[str, TaskResult] = {}
    for task_id, (es, ef, ls, lf, total, free, by) in zip(network.ids, columns, strict=False):
        driving = None if by == _NO_DRIVER else network.ids[by]
        # <= 0 rather than == 0: imposed dates will bring negative float, and it is critical.
        results[task_id] = TaskResult(es, ef, ls, lf, total, free, total <= 0, driving)
    return results


def _critical_path(network: Network, dates: _Dates, finish: int) -> list[str]:
    """One longest path: from a leaf that ends the project, back through driving links."""
    # Latest settled first: the path then runs on to a finish milestone, not just up to it.
    ends = [
        node
        for node in reversed(network.order.tolist())
        if network.is_leaf(node) and dates.early_finish[node] == finish
    ]
    if not ends:
        return []
    node = min(ends, key=lambda end: dates.total_float[end])  # min keeps the first of equals
    path: list[str] = []
    while node != _NO_DRIVER:
        if not network.is_gate(node):
            path.append(network.ids[node])
        node = int(dates.driver[node])
    return path[::-1]


def _settling_order(network: Network) -> list[str]:
    leaves = [network.ids[node] for node in network.order.tolist() if network.is_leaf(node)]
    summaries = np.flatnonzero(network.is_summary)
    deepest_first = summaries[np.argsort(-network.depth[summaries], kind="stable")]
    return leaves + [network.ids[node] for node in deepest_first.tolist()]
