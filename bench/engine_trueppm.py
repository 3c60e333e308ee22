"""Engine time of itpm against trueppm-scheduler (PyPI), a Python CPM engine, on the same networks.

Engine time is one scheduling call on inputs already built: itpm's `schedule_arrays` on the
network's columns (checking them, building the network, scheduling), and for comparison its
`schedule(tasks, links)` on objects, against trueppm's `schedule(project)` on its objects. All get
the same tasks, links (types and lags) and calendar (weekends and holidays). trueppm counts lags
in calendar days where itpm counts working days, so their dates differ a little; the work, a
forward and a backward pass, is the same. trueppm's input limits shape the networks: see SIZES.

trueppm-scheduler is not a dependency of itpm; install it for this benchmark only:

    .venv/bin/pip install trueppm-scheduler
    .venv/bin/python bench/engine_trueppm.py
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.common import Shape, machine, print_table, random_network, seconds

from itpm.engine import schedule, schedule_arrays
from itpm.engine.formats import ProjectFile, engine_arrays, engine_input, parse_project

# trueppm refuses more than 100,000 dependencies and more than 366,000 days of durations and
# lags added up: hence tasks of 1 to 6 days, and fewer links a task at 60,000 tasks.
SIZES = ((10_000, Shape(max_duration=6)), (60_000, Shape(max_duration=6, links_per_task=1.3)))
SEED = 2026
TRUEPPM_LINK_LIMIT = 100_000
TARGET = 20  # times faster than trueppm, issue 3
RUNS = 9  # itpm's runs, the median counts; trueppm's take seconds: the median of 3


def main() -> None:
    try:
        import trueppm_scheduler as trueppm
    except ImportError:
        sys.exit("trueppm-scheduler is not installed: .venv/bin/pip install trueppm-scheduler")
    print(f"machine: {machine()}; trueppm-scheduler {trueppm.__version__}")
    rows = []
    for size, shape in SIZES:
        project = parse_project(json.dumps(random_network(size, SEED, shape)), f"network-{size}")
        if len(project.links) > TRUEPPM_LINK_LIMIT:
            sys.exit(f"{len(project.links)} links: more than trueppm accepts")
        columns = engine_arrays(project).arrays
        laid_out = engine_input(project)
        gc.collect()
        gc.freeze()  # the inputs are built before the clock starts, for all three
        arrays = median(RUNS, lambda columns=columns: schedule_arrays(columns))
        objects = median(RUNS, lambda laid_out=laid_out: schedule(laid_out.tasks, laid_out.links))
        theirs_input = _trueppm_project(trueppm, project)
        theirs = median(3, lambda theirs_input=theirs_input: trueppm.schedule(theirs_input))
        gc.unfreeze()
        ratio = theirs / arrays
        rows.append(
            (
                f"{size:,}",
                f"{len(project.links):,}",
                seconds(arrays),
                seconds(objects),
                seconds(theirs),
                f"{ratio:,.0f}x",
                f"{theirs / objects:,.0f}x",
                f">= {TARGET}x: " + ("met" if ratio >= TARGET else "MISSED"),
            )
        )
    header = (
        "tasks",
        "links",
        "itpm arrays",
        "itpm objects",
        "trueppm",
        "trueppm / arrays",
        "trueppm / objects",
        "target",
    )
    print_table("Engine time: one CPM schedule on built inputs (median of runs)", header, rows)


def median(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - began)
        del result  # freeing the result is the caller's time, not the engine's
    return statistics.median(timings)


def _trueppm_project(trueppm: Any, project: ProjectFile) -> Any:
    weekdays = sum(1 << (day - 1) for day in project.calendar.working_week)
    holidays = [trueppm.DateRange(day.start, day.finish) for day in project.calendar.holidays]
    calendar = trueppm.Calendar(working_days=weekdays, exceptions=holidays)
    tasks = [trueppm.Task(id=t.id, name=t.name, duration=_days(t.duration)) for t in project.tasks]
    links = [
        trueppm.Dependency(
            predecessor_id=link.predecessor,
            successor_id=link.successor,
            dep_type=trueppm.DependencyType(link.type),
            lag=_days(link.lag),
        )
        for link in project.links
    ]
    return trueppm.Project(
        id="bench",
        name=project.name,
        start_date=project.start,
        tasks=tasks,
        dependencies=links,
        calendar=calendar,
    )


def _days(units: int) -> dt.timedelta:
    return dt.timedelta(days=units / 100)


if __name__ == "__main__":
    main()
