"""Monte Carlo schedule risk: itpm's `simulate` at scale, and against trueppm-scheduler's monte_carlo.

    .venv/bin/python bench/montecarlo.py [--runs 3] [--no-trueppm]

Networks come from bench/common.py (seeded, layered, FS/SS/FF/SF links with lags, a calendar
with weekends and holidays). Every task gets a three-point estimate from its planned duration d
(working days): optimistic d, most likely 1.25 d, pessimistic 2 d.

- **scale**: 10,000 tasks × 10,000 iterations, triangular and PERT-beta, and once more with a
  cost per task, five risks and two correlation groups. Timed: the whole `simulate` call on
  a built network, including criticality, the tornado (Spearman over the first 1,000
  iterations), risk drivers and convergence; not timed: building the network, and numba's
  compile (a warm-up call first; its compiled code is cached on disk).
- **trueppm**: the same 5,000-task network (durations of 1 to 6 days: trueppm's input limits),
  10,000 runs, PERT estimates in both (trueppm's PERT is a method-of-moments beta, itpm's the
  λ = 4 Beta-PERT: the same work, slightly different distributions). trueppm-scheduler is not a
  dependency of itpm: `.venv/bin/pip install trueppm-scheduler` for this part.

Times are medians of `--runs` runs in one process: wall time, and processor time of all threads
(CPU; itpm runs on both cores, trueppm on one), which a busy machine inflates less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.common import Shape, machine, print_table, random_network, seconds

from itpm.engine import build_network_arrays, schedule_arrays
from itpm.engine.formats import ProjectFile, engine_arrays, parse_project
from itpm.engine.montecarlo import (
    CorrelationGroup,
    RiskEvent,
    TaskCosts,
    ThreePoint,
    simulate,
    task_uncertainty,
)

SEED = 2026
SCALE_TASKS, ITERATIONS = 10_000, 10_000
PEER_TASKS = 5_000
SCALE_TARGET = 2.0  # seconds, issue 5
PEER_TARGET = 5  # times faster than trueppm, issue 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-trueppm", action="store_true", help="skip the comparison with trueppm")
    options = parser.parse_args()
    print(f"machine: {machine()}")
    scale(options.runs)
    if not options.no_trueppm:
        against_trueppm(options.runs)


def estimates(project: ProjectFile, kind: str) -> dict[int, ThreePoint]:
    """Whole days, as trueppm takes them: d, d + ⌈d / 4⌉, 2 d (engine units: 100 a day)."""
    points = {}
    for n, task in enumerate(project.tasks):
        days = task.duration // 100
        points[n] = ThreePoint(100 * days, 100 * (days + -(-days // 4)), 200 * days, kind)
    return points


def scale(runs: int) -> None:
    project = parse_project(json.dumps(random_network(SCALE_TASKS, SEED)), "scale")
    arrays = engine_arrays(project).arrays
    network = build_network_arrays(arrays)
    count = len(project.tasks)
    rows = []
    for kind, extras in (("triangular", False), ("pert", False), ("triangular", True)):
        uncertainty = task_uncertainty(arrays.durations, estimates(project, kind))
        options = _extras(count) if extras else {}
        simulate(network, uncertainty, iterations=200, seed=1, **options)  # compile or load the cache
        timing, result = median(
            runs, lambda u=uncertainty, o=options: simulate(network, u, iterations=ITERATIONS, seed=1, **o)
        )
        rows.append(
            (
                f"{count:,}",
                f"{arrays.link_count:,}",
                f"{ITERATIONS:,}",
                kind + (" + costs, risks, correlation" if extras else ""),
                seconds(timing),
                seconds(statistics.median(CPU)),
                f"{timing / (count * ITERATIONS) * 1e9:.2f}",
                f"{result.finish_percentiles[50] / 100:.1f}",
                f"{result.finish_percentiles[80] / 100:.1f}",
                f"<= {SCALE_TARGET:.0f} s: " + ("met" if timing <= SCALE_TARGET else "MISSED"),
            )
        )
    header = (
        "tasks",
        "links",
        "iterations",
        "distribution",
        "time",
        "CPU",
        "ns/task-run",
        "P50 d",
        "P80 d",
        "target",
    )
    print_table("Monte Carlo at scale: one simulate call on a built network (median of runs)", header, rows)


def _extras(count: int) -> dict[str, Any]:
    """A cost on every task, five risks on a few tasks each, two correlation groups."""
    costs = TaskCosts.of(count, fixed={n: Decimal(1000) for n in range(0, count, 7)},
                         rate_per_unit={n: Decimal(8) for n in range(count)})  # fmt: skip
    impact, cost = ThreePoint(100, 300, 900), (Decimal(5000), Decimal(10000), Decimal(40000))
    risks = [
        RiskEvent(f"R{k}", 0.1 + 0.1 * k, tasks=tuple(range(k * 997 % count, count, count // 3)),
                  schedule_impact=impact, cost_impact=cost)
        for k in range(5)
    ]  # fmt: skip
    groups = [
        CorrelationGroup(tuple(range(10, 200, 3)), 0.6),
        CorrelationGroup(tuple(range(5000, 5400, 4)), 0.4),
    ]
    return {"costs": costs, "risks": risks, "correlations": groups}


def against_trueppm(runs: int) -> None:
    try:
        import trueppm_scheduler as trueppm
    except ImportError:
        print("\ntrueppm-scheduler is not installed: .venv/bin/pip install trueppm-scheduler")
        return
    print(f"trueppm-scheduler {trueppm.__version__}")
    document = random_network(PEER_TASKS, SEED, Shape(max_duration=6))
    project = parse_project(json.dumps(document), "peer")
    arrays = engine_arrays(project).arrays
    network = build_network_arrays(arrays)
    uncertainty = task_uncertainty(network.durations[: network.task_count], estimates(project, "pert"))
    simulate(network, uncertainty, iterations=200, seed=1)
    ours, result = median(runs, lambda: simulate(network, uncertainty, iterations=ITERATIONS, seed=1))
    ours_cpu = statistics.median(CPU)
    theirs_project = _trueppm_project(trueppm, project)
    theirs, their_result = median(runs, lambda: trueppm.monte_carlo(theirs_project, runs=ITERATIONS, seed=1))
    theirs_cpu = statistics.median(CPU)
    ratio = theirs / ours
    their_p50 = _percentile_day(their_result, 50)
    their_plan = trueppm.schedule(theirs_project).project_finish  # the CPM finish, for comparison
    start = project.start
    rows = [
        (
            f"{len(project.tasks):,}",
            f"{len(project.links):,}",
            f"{ITERATIONS:,}",
            f"{seconds(ours)} ({seconds(ours_cpu)} CPU)",
            f"{seconds(theirs)} ({seconds(theirs_cpu)} CPU)",
            f"{ratio:.1f}x",
            f"{schedule_arrays(arrays).finish / 100:.0f} / {_working_days(start, their_plan, project)}",
            f"{result.finish_percentiles[50] / 100:.1f} / {_working_days(start, their_p50, project)}",
            f">= {PEER_TARGET}x: " + ("met" if ratio >= PEER_TARGET else "MISSED"),
        )
    ]
    header = (
        "tasks",
        "links",
        "runs",
        "itpm",
        "trueppm",
        "trueppm / itpm",
        "CPM days",
        "P50 days",
        "target",
    )
    print_table("Monte Carlo against trueppm-scheduler's monte_carlo (median of runs)", header, rows)
    print("CPM days: the plan's finish with the optimistic (planned) durations; P50 days: the median")
    print("finish; working days from the start, itpm / trueppm. trueppm counts lags in calendar days,")
    print("itpm in working days, so their plans differ before any simulation.")


def _trueppm_project(trueppm: Any, project: ProjectFile) -> Any:
    """The same network as bench/engine_trueppm.py builds, with three-point estimates."""
    from bench.engine_trueppm import _trueppm_project as plain

    built = plain(trueppm, project)
    tasks = []
    for task in built.tasks:
        days = task.duration.days
        likely = dt.timedelta(days=days + -(-days // 4))
        tasks.append(replace(task, optimistic_duration=task.duration, most_likely_duration=likely,
                             pessimistic_duration=task.duration * 2))  # fmt: skip
    return replace(built, tasks=tasks)


def _percentile_day(result: Any, p: int) -> dt.date | None:
    found = result.percentiles.get(p) if isinstance(result.percentiles, dict) else None
    return getattr(found, "date", None) if found is not None else None


def _working_days(start: dt.date, day: dt.date | None, project: ProjectFile) -> str:
    if day is None:
        return "n/a"
    from itpm.engine import WorkCalendar

    calendar = WorkCalendar.build(project.calendar.engine_calendar(), start)
    return f"{calendar.working_days_between(start, day) + 1:.0f}"


CPU: list[float] = []  # processor time of the last median's runs, all threads


def median(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    CPU.clear()
    for _ in range(runs):
        began, used = time.perf_counter(), time.process_time()
        result = action()
        timings.append(time.perf_counter() - began)
        CPU.append(time.process_time() - used)
    return statistics.median(timings), result


if __name__ == "__main__":
    main()
