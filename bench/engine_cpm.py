"""Engine time of the critical path method on random layered networks.

    .venv/bin/python bench/engine_cpm.py [--runs 7] [--sizes 1000 10000 100000]

Each network has `tasks` tasks in about sqrt(tasks) layers, and three links into every task
after the first layer, from a layer shortly before (one back, then each further layer half as
likely), with types FS/SS/FF/SF mixed 55/20/15/10 and lags from -2 to +5 units (one lag in
twenty is a percentage of the predecessor's duration). Durations are 1 to 20 units; one task in
fifty is a milestone. A numpy Generator seeded per size makes the networks reproducible.
With --extras, one task in twenty also gets a constraint (all eight kinds, ALAP included), one
in fifty a deadline, and the first fifth is done or under way, scheduled from a status date.

Times are medians of several runs, excluding making the network (the Task and Link objects:
they are moved out of the garbage collector's way first, so that collecting them is not
charged to the engine):

- build: build_network, checking the tasks and links and laying them out as arrays;
- schedule: schedule_network, the passes, floats, drivers, conflicts and result columns;
- total: schedule(tasks, links), the two together, which is what a caller pays;
- python: schedule_network with the sweeps forced onto plain Python loops, for comparison;
- dates: converting every early start and finish to a date on a calendar with weekends and
  holidays, as an app writing the schedule back would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from itpm.engine import (
    Calendar,
    Link,
    Network,
    Task,
    WorkCalendar,
    build_network,
    passes,
    schedule,
    schedule_network,
)

LINK_TYPES = ("FS", "SS", "FF", "SF")
TYPE_SHARES = (0.55, 0.20, 0.15, 0.10)
LINKS_PER_TASK = 3


@dataclass(frozen=True)
class Generated:
    tasks: list[Task]
    links: list[Link]


def layered_network(task_count: int, seed: int) -> Generated:
    """A random layered network: links only run from earlier layers to later ones."""
    rng = np.random.default_rng(seed)
    layers = max(2, round(task_count**0.5))
    layer = np.sort(rng.integers(0, layers, task_count))
    layer[0] = 0
    durations = rng.integers(1, 21, task_count)
    milestones = rng.random(task_count) < 0.02
    durations[milestones] = 0
    tasks = [
        Task(f"T{n}", int(d), milestone=bool(m))
        for n, (d, m) in enumerate(zip(durations, milestones, strict=True))
    ]
    return Generated(tasks, _links(rng, layer))


def _links(rng: np.random.Generator, layer: np.ndarray) -> list[Link]:
    first_of_layer = np.searchsorted(layer, np.arange(layer.max() + 2))
    successors = np.repeat(np.flatnonzero(layer > 0), LINKS_PER_TASK)
    back = np.minimum(rng.geometric(0.5, successors.size), layer[successors])
    source_layer = layer[successors] - back
    low, high = first_of_layer[source_layer], first_of_layer[source_layer + 1]
    predecessors = low + (rng.random(successors.size) * (high - low)).astype(np.int64)
    kinds = rng.choice(len(LINK_TYPES), successors.size, p=TYPE_SHARES)
    lags = rng.integers(-2, 6, successors.size)
    percents = np.where(rng.random(successors.size) < 0.05, rng.integers(-50, 101, successors.size), -999)
    keep = np.unique(predecessors * len(layer) + successors, return_index=True)[1]  # one link a pair
    return [
        Link(f"T{p}", f"T{s}", LINK_TYPES[k], int(g), None if q == -999 else float(q))
        for p, s, k, g, q in zip(
            predecessors[keep].tolist(),
            successors[keep].tolist(),
            kinds[keep].tolist(),
            lags[keep].tolist(),
            percents[keep].tolist(),
            strict=True,
        )
    ]


CONSTRAINTS = ("ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")


def with_extras(made: Generated, seed: int) -> tuple[Generated, int]:
    """The same network with constraints, deadlines and progress; and a status date for it."""
    rng = np.random.default_rng(seed + 1)
    plain = schedule(made.tasks, made.links)
    status = plain.finish // 5
    tasks = []
    for task, start, finish in zip(
        made.tasks, plain.columns.early_start.tolist(), plain.columns.early_finish.tolist(), strict=True
    ):
        fields: dict[str, object] = {}
        if rng.random() < 0.05:
            kind = CONSTRAINTS[int(rng.integers(len(CONSTRAINTS)))]
            fields["constraint"] = kind
            fields["constraint_date"] = None if kind == "ALAP" else start + int(rng.integers(-5, 20))
        if rng.random() < 0.02:
            fields["deadline"] = finish + int(rng.integers(-10, 30))
        if finish <= status:
            fields.update(actual_start=start, actual_finish=finish + int(rng.integers(0, 3)))
        elif start < status:
            fields.update(actual_start=start, percent_complete=float(rng.integers(0, 100)))
        tasks.append(replace(task, **fields))  # type: ignore[arg-type]
    return Generated(tasks, made.links), status


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times)


def python_sweeps(network: Network, status: int | None) -> object:
    saved = passes.VECTOR_MIN_WIDTH
    passes.VECTOR_MIN_WIDTH = 10**12
    try:
        return schedule_network(network, status_unit=status)
    finally:
        passes.VECTOR_MIN_WIDTH = saved


def calendar() -> WorkCalendar:
    start = dt.date(2026, 1, 5)
    holidays = frozenset(start + dt.timedelta(days=d) for d in range(0, 3650, 37))
    return WorkCalendar.build(Calendar(holidays=holidays, units_per_day=1), start, 3650)


def measure(task_count: int, runs: int, extras: bool) -> dict[str, str]:
    made = layered_network(task_count, seed=task_count)
    status = None
    if extras:
        made, status = with_extras(made, seed=task_count)
    gc.collect()
    gc.freeze()  # the generated objects are not the engine's garbage
    network = build_network(made.tasks, made.links)
    plan = schedule_network(network, status_unit=status)
    layout = network.layout
    work = calendar()
    columns = plan.columns

    def to_dates() -> object:
        return work.to_dates(columns.early_start), work.finish_dates(
            columns.early_start, columns.early_finish
        )

    row = {
        "tasks": f"{task_count:,}" + ("*" if extras else ""),
        "links": f"{len(made.links):,}",
        "levels": str(layout.level_count),
        "build ms": f"{median_ms(lambda: build_network(made.tasks, made.links), runs):.1f}",
        "schedule ms": f"{median_ms(lambda: schedule_network(network, status_unit=status), runs):.1f}",
        "total ms": f"{median_ms(lambda: schedule(made.tasks, made.links, status_unit=status), runs):.1f}",
        "python ms": f"{median_ms(lambda: python_sweeps(network, status), max(1, runs // 2)):.1f}",
        "dates ms": f"{median_ms(to_dates, runs):.1f}",
        "sweeps": "numpy" if passes.vectorized(layout) else "python",
    }
    gc.unfreeze()
    return row


def print_table(rows: list[dict[str, str]]) -> None:
    headers = list(rows[0])
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in headers]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(row[h].rjust(w) for h, w in zip(headers, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--extras", action="store_true", help="add constraints, deadlines, progress")
    options = parser.parse_args()
    print_table([measure(size, options.runs, options.extras) for size in options.sizes])


if __name__ == "__main__":
    main()
