"""Engine time of the critical path method on random layered networks, by arrays and by objects.

    .venv/bin/python bench/engine_cpm.py [--runs 9] [--sizes 1000 10000 100000] [--extras] [--shuffled]

Each network has `tasks` tasks in about sqrt(tasks) layers, and three links into every task
after the first layer, from a layer shortly before (one back, then each further layer half as
likely), with types FS/SS/FF/SF mixed 55/20/15/10 and lags from -2 to +5 units (one lag in
twenty is a percentage of the predecessor's duration). Durations are 1 to 20 units; one task in
fifty is a milestone. Tasks are numbered layer by layer (with --shuffled, also in no order: the
`~` rows). The links are shuffled, as a file or a database may list them in any order. A numpy
Generator seeded per size makes the networks reproducible. With --extras, one task in twenty
also gets a constraint (all eight kinds, ALAP included), one in fifty a deadline, and the first
fifth is done or under way, scheduled from a status date.

Times are medians of several runs in one process, excluding making the network (numpy columns
and task ids for the array path; Task and Link objects, moved out of the garbage collector's
way, for the object path):

- arrays: `schedule_arrays(durations, predecessor, successor, link_type, lag, lag_percent=...,
  ids=...)`: checking the columns, building and scheduling: the engine time; cpu: the same in
  CPU time of the process (time.process_time), less disturbed by other work on the machine;
- numpy, numpy cpu: the same with the compiled fast path (engine/fast_path.py) turned off: the
  engine before it, and what a network below its size takes. numba is imported first, as the
  app's levelling does, so the fast path runs wherever a network is large enough for it
  (`path`: plain, one kernel from the columns to the results, engine/plain_path.py, for a
  network without extras; compiled, the general path's kernels); `itpm schedule` on a file
  (bench/schedule_cli.py) does not load numba;
- build, schedule: the two parts of it (NetworkArrays and build_network_arrays; schedule_network);
- objects: `schedule(tasks, links)`, which reads the objects into the same arrays first;
- python: schedule_network with the sweeps forced onto plain Python loops, for comparison;
- dates: converting every early start and finish to a date on a calendar with weekends and
  holidays, as an app writing the schedule back would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.common import machine

from itpm.engine import (
    CONSTRAINT_TYPES,
    LINK_TYPES,
    MISSING,
    Calendar,
    Link,
    Network,
    NetworkArrays,
    Task,
    TaskExtras,
    WorkCalendar,
    build_network_arrays,
    fast_path,
    passes,
    schedule,
    schedule_arrays,
    schedule_network,
)

TYPE_SHARES = (0.55, 0.20, 0.15, 0.10)
LINKS_PER_TASK = 3
TARGET_MS = 50  # at 100,000 tasks and 300,000 links, issue 3


@dataclass(frozen=True)
class Generated:
    """A network as columns; `objects` makes the same network as Task and Link objects."""

    durations: np.ndarray
    milestones: np.ndarray
    predecessor: np.ndarray
    successor: np.ndarray
    link_type: np.ndarray
    lag: np.ndarray
    lag_percent: np.ndarray  # NaN where the lag is in units
    ids: list[str]
    extras: TaskExtras | None = None
    status: int | None = None

    def arrays(self) -> NetworkArrays:
        return NetworkArrays.of(
            self.durations,
            self.predecessor,
            self.successor,
            self.link_type,
            self.lag,
            lag_percent=self.lag_percent,
            ids=self.ids,
            extras=self.extras,
        )

    def objects(self) -> tuple[list[Task], list[Link]]:
        tasks = [
            Task(task_id, duration, milestone=milestone)
            for task_id, duration, milestone in zip(
                self.ids, self.durations.tolist(), self.milestones.tolist(), strict=True
            )
        ]
        if self.extras is not None:
            tasks = _with_extras(tasks, self.extras)
        ids = self.ids
        links = [
            Link(ids[p], ids[s], LINK_TYPES[k], g, None if math.isnan(q) else q)
            for p, s, k, g, q in zip(
                self.predecessor.tolist(),
                self.successor.tolist(),
                self.link_type.tolist(),
                self.lag.tolist(),
                self.lag_percent.tolist(),
                strict=True,
            )
        ]
        return tasks, links


def layered_network(task_count: int, seed: int, shuffled: bool = False) -> Generated:
    """A random layered network: links only run from earlier layers to later ones. Tasks are
    numbered layer by layer (a topological order, as plans mostly list their tasks), or with
    `shuffled` in no particular order."""
    rng = np.random.default_rng(seed)
    layers = max(2, round(task_count**0.5))
    layer = np.sort(rng.integers(0, layers, task_count))
    layer[0] = 0
    durations = rng.integers(1, 21, task_count)
    milestones = rng.random(task_count) < 0.02
    durations[milestones] = 0
    first_of_layer = np.searchsorted(layer, np.arange(layer.max() + 2))
    successors = np.repeat(np.flatnonzero(layer > 0), LINKS_PER_TASK)
    back = np.minimum(rng.geometric(0.5, successors.size), layer[successors])
    source_layer = layer[successors] - back
    low, high = first_of_layer[source_layer], first_of_layer[source_layer + 1]
    predecessors = low + (rng.random(successors.size) * (high - low)).astype(np.int64)
    kinds = rng.choice(len(LINK_TYPES), successors.size, p=TYPE_SHARES)
    lags = rng.integers(-2, 6, successors.size)
    percents = np.where(rng.random(successors.size) < 0.05, rng.integers(-50, 101, successors.size), np.nan)
    keep = np.unique(predecessors * task_count + successors, return_index=True)[1]  # one link a pair
    keep = rng.permutation(keep)  # in no particular order
    if shuffled:  # task n becomes task number[n]
        number = rng.permutation(task_count)
        durations[number], milestones[number] = durations.copy(), milestones.copy()
        predecessors, successors = number[predecessors], number[successors]
    return Generated(
        durations=durations.astype(np.int64),
        milestones=milestones,
        predecessor=predecessors[keep].astype(np.int64),
        successor=successors[keep].astype(np.int64),
        link_type=kinds[keep].astype(np.int64),
        lag=lags[keep].astype(np.int64),
        lag_percent=percents[keep].astype(np.float64),
        ids=[f"T{n}" for n in range(task_count)],
    )


CONSTRAINTS = ("ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")


def with_extras(made: Generated, seed: int) -> Generated:
    """The same network with constraints, deadlines and progress, and a status date for it."""
    rng = np.random.default_rng(seed + 1)
    plain = schedule_arrays(made.arrays()).columns
    start, finish = plain.early_start, plain.early_finish
    status = int(finish.max()) // 5
    count = len(made.ids)
    constrained = rng.random(count) < 0.05
    kind = np.where(constrained, rng.choice([CONSTRAINT_TYPES.index(k) for k in CONSTRAINTS], count), 0)
    date = np.where(
        constrained & (kind != CONSTRAINT_TYPES.index("ALAP")), start + rng.integers(-5, 20, count), MISSING
    )
    deadline = np.where(rng.random(count) < 0.02, finish + rng.integers(-10, 30, count), MISSING)
    done, under_way = finish <= status, (start < status) & (finish > status)
    actual_start = np.where(done | under_way, start, MISSING)
    actual_finish = np.where(done, finish + rng.integers(0, 3, count), MISSING)
    percent = np.where(under_way, rng.integers(0, 100, count), 0).astype(np.float64)
    rows = np.flatnonzero(constrained | (deadline != MISSING) | done | under_way)
    extras = TaskExtras.of(
        rows,
        constraint=kind[rows],
        constraint_date=date[rows],
        deadline=deadline[rows],
        actual_start=actual_start[rows],
        actual_finish=actual_finish[rows],
        percent_complete=percent[rows],
    )
    return replace(made, extras=extras, status=status)


def _with_extras(tasks: list[Task], extras: TaskExtras) -> list[Task]:
    def value(column: np.ndarray, row: int) -> int | None:
        return None if column[row] == MISSING else int(column[row])

    tasks = list(tasks)
    for row, number in enumerate(extras.task.tolist()):
        tasks[number] = replace(
            tasks[number],
            constraint=CONSTRAINT_TYPES[int(extras.constraint[row])],
            constraint_date=value(extras.constraint_date, row),
            deadline=value(extras.deadline, row),
            actual_start=value(extras.actual_start, row),
            actual_finish=value(extras.actual_finish, row),
            percent_complete=float(extras.percent_complete[row]),
        )
    return tasks


def median_ms(action: Callable[[], object], runs: int) -> float:
    return median_times(action, runs)[0]


def median_times(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of the process, in ms."""
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        del result  # freeing the result is the caller's time, not the engine's
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def numpy_path(action: Callable[[], object]) -> Callable[[], object]:
    """`action` with the compiled fast path turned off."""

    def run() -> object:
        saved = fast_path.FAST_FROM
        fast_path.FAST_FROM = 10**18
        try:
            return action()
        finally:
            fast_path.FAST_FROM = saved

    return run


def python_sweeps(network: Network, status: int | None) -> object:
    saved = passes.VECTOR_MIN_WIDTH, fast_path.FAST_FROM
    passes.VECTOR_MIN_WIDTH = fast_path.FAST_FROM = 10**12
    try:
        return schedule_network(network, status_unit=status)
    finally:
        passes.VECTOR_MIN_WIDTH, fast_path.FAST_FROM = saved


def calendar() -> WorkCalendar:
    start = dt.date(2026, 1, 5)
    holidays = frozenset(start + dt.timedelta(days=d) for d in range(0, 3650, 37))
    return WorkCalendar.build(Calendar(holidays=holidays, units_per_day=1), start, 3650)


def measure(task_count: int, runs: int, extras: bool, shuffled: bool = False) -> dict[str, str]:
    made = layered_network(task_count, seed=task_count, shuffled=shuffled)
    if extras:
        made = with_extras(made, seed=task_count)
    tasks, links = made.objects()
    gc.collect()
    gc.freeze()  # the generated objects are not the engine's garbage
    status = made.status
    network = build_network_arrays(made.arrays())
    by_arrays = schedule_arrays(made.arrays(), status_unit=status)
    by_objects = schedule(tasks, links, status_unit=status)
    assert np.array_equal(by_arrays.columns.early_start, by_objects.columns.early_start)
    work, columns = calendar(), by_arrays.columns

    def to_dates() -> object:
        return work.to_dates(columns.early_start), work.finish_dates(
            columns.early_start, columns.early_finish
        )

    def by_columns() -> object:
        return schedule_arrays(
            made.durations,
            made.predecessor,
            made.successor,
            made.link_type,
            made.lag,
            lag_percent=made.lag_percent,
            ids=made.ids,
            extras=made.extras,
            status_unit=status,
        )

    engine, engine_cpu = median_times(by_columns, runs)
    reference, reference_cpu = median_times(numpy_path(by_columns), runs)
    compiled = fast_path.kernels(network.node_count + network.layout.link_count) is not None
    plain = compiled and made.extras is None  # plain_path.py: one kernel, columns to results
    row = {
        "tasks": f"{task_count:,}" + ("*" if extras else "") + ("~" if shuffled else ""),
        "links": f"{len(links):,}",
        "levels": str(network.layout.level_count),
        "arrays ms": f"{engine:.1f}",
        "cpu ms": f"{engine_cpu:.1f}",
        "numpy ms": f"{reference:.1f}",
        "numpy cpu": f"{reference_cpu:.1f}",
        "build ms": f"{median_ms(lambda: build_network_arrays(made.arrays()), runs):.1f}",
        "schedule ms": f"{median_ms(lambda: schedule_network(network, status_unit=status), runs):.1f}",
        "objects ms": f"{median_ms(lambda: schedule(tasks, links, status_unit=status), runs):.1f}",
        "python ms": f"{median_ms(lambda: python_sweeps(network, status), max(1, runs // 2)):.1f}",
        "dates ms": f"{median_ms(to_dates, runs):.1f}",
        "path": "plain"
        if plain
        else "compiled"
        if compiled
        else "numpy"
        if passes.vectorized(network.layout)
        else "python",
    }
    if task_count == 100_000 and not (extras or shuffled):
        row["target"] = f"≤ {TARGET_MS} ms: " + ("met" if engine <= TARGET_MS else "MISSED")
    gc.unfreeze()
    return row


def _numpy_or_python(network: Network) -> str:
    return "numpy" if passes.vectorized(network.layout) else "python"


def print_table(rows: list[dict[str, str]]) -> None:
    headers = list(dict.fromkeys(name for row in rows for name in row))
    widths = [max(len(h), *(len(r.get(h, "")) for r in rows)) for h in headers]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(row.get(h, "").rjust(w) for h, w in zip(headers, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--extras", action="store_true", help="add constraints, deadlines, progress")
    parser.add_argument("--shuffled", action="store_true", help="also tasks numbered in no order (~)")
    options = parser.parse_args()
    import numba  # noqa: F401  # loaded, as in the app: the fast path runs where it pays

    print(f"machine: {machine()}")
    print(
        "Engine time of one CPM schedule (median of runs; * with constraints, deadlines, progress;"
        " ~ tasks numbered in no order)"
    )
    rows = [measure(size, options.runs, options.extras) for size in options.sizes]
    if options.shuffled:
        rows += [measure(size, options.runs, options.extras, shuffled=True) for size in options.sizes]
    print_table(rows)


if __name__ == "__main__":
    main()
