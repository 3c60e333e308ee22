"""Resource levelling against the optimum: PSPLIB j30, and a 10,000-task project with 200 people.

For every j30 instance (480, proven optima in optimum.csv) this runs
  (a) the single-pass priority rules, each through the serial and the parallel schedule
      generation scheme: what MS Project, Primavera and TaskJuggler do;
  (b) level() with its default settings;
  (c) with --optimize, optimize() with a time limit per instance (10 s, 2 workers by default);
and prints, per method, the mean and largest percent above the optimum, how many instances it
solved to optimality, and the mean and largest time per instance (one process, one core for the
heuristics; numba's one-off compile is reported apart). With --large it levels generated
named-resource projects (10,000 tasks, 200 people, each task needs one or two of them).

    .venv/bin/python bench/levelling_psplib.py                    # (a), (b) and --large: ~2 min
    .venv/bin/python bench/levelling_psplib.py --optimize         # adds (c): up to 80 min
    .venv/bin/python bench/levelling_psplib.py --only 40 --no-large
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Shape, machine, print_table, random_network

from itpm.engine.formats import parse_psplib
from itpm.engine.levelling import SCHEMES, level, single_pass
from itpm.engine.model import Link
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule
from itpm.engine.rcpsp_arrays import RULES

T = TypeVar("T")
J30 = Path(__file__).resolve().parents[2] / "shared" / "data" / "psplib" / "j30"


def psplib_problem(path: Path) -> Problem:
    """A PSPLIB .sm file as a levelling problem: its renewable resources, jobs and links."""
    return parse_psplib(path.read_text(), str(path)).levelling_problem()


def named_resource_problem(task_count: int, people: int, seed: int, shape: Shape | None = None) -> Problem:
    """bench/common.random_network's tasks and links (FS/SS/FF/SF, lags, milestones, or what
    `shape` asks for), each task done by one or two of `people` named people at one unit each,
    durations in whole days."""
    network = random_network(task_count, seed, shape)
    chance = random.Random(seed)  # noqa: S311 - test data, not secrets
    names = [f"person {n + 1}" for n in range(people)]
    activities = []
    for task in network["tasks"]:
        duration = round(task.get("duration", 0))
        crew = chance.sample(names, chance.choice((1, 1, 2))) if duration else []
        activities.append(Activity(task["id"], duration, dict.fromkeys(crew, 1)))
    links = [
        Link(link["from"], link["to"], link.get("type", "FS"), round(link.get("lag", 0)))
        for link in network["links"]
    ]
    return Problem(activities, [Resource(name, 1) for name in names], links)


@dataclass
class Tally:
    """Per method: percent above the optimum and seconds, per instance."""

    above: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    proven: int = 0

    def row(self, name: str) -> tuple[str, ...]:
        hits = sum(1 for value in self.above if value == 0)
        proven = f" ({self.proven} proven)" if self.proven else ""
        return (
            name,
            f"{statistics.mean(self.above):.2f} %",
            f"{max(self.above):.2f} %",
            f"{hits}/{len(self.above)}{proven}",
            f"{statistics.mean(self.seconds) * 1000:.1f} ms",
            f"{max(self.seconds) * 1000:.1f} ms",
        )


def timed(action: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def run_j30(args: argparse.Namespace) -> None:
    with (args.j30 / "optimum.csv").open() as rows:
        optima = {row["problem"]: int(row["optimum"]) for row in csv.DictReader(rows)}
    names = sorted(optima)[: args.only] if args.only else sorted(optima)
    _, compile_seconds = timed(lambda: level(psplib_problem(args.j30 / names[0]), budget_schedules=200))
    print(f"first call (numba compile, or load from its cache): {compile_seconds:.1f} s")
    tallies: dict[str, Tally] = {}
    for number, name in enumerate(names, start=1):
        problem, optimum = psplib_problem(args.j30 / name), optima[name]
        for rule in RULES:
            for scheme in SCHEMES:
                record(
                    tallies,
                    f"single pass, {scheme} {rule}",
                    problem,
                    optimum,
                    partial(single_pass, problem, rule, scheme=scheme),
                )
        record(tallies, "level() default", problem, optimum, partial(level, problem))
        if args.optimize:
            record(
                tallies,
                f"optimize() {args.time_limit:g} s, {args.workers} workers",
                problem,
                optimum,
                partial(optimize_, problem, args),
            )
        if number % 40 == 0:
            print(f"  {number}/{len(names)} instances", file=sys.stderr)
    singles = {key: tally for key, tally in tallies.items() if key.startswith("single")}
    best = min(singles, key=lambda key: statistics.mean(singles[key].above))
    label = f"best single pass ({best.removeprefix('single pass, ')})"
    table = [tallies[best].row(label), *(tally.row(key) for key, tally in tallies.items() if key != best)]
    header = ("method", "mean above opt.", "max above", "optimal", "mean time", "max time")
    print_table(f"PSPLIB j30, {len(names)} instances", header, table)


def optimize_(problem: Problem, args: argparse.Namespace) -> Any:
    from itpm.engine.optimize import optimize

    return optimize(problem, time_limit_s=args.time_limit, workers=args.workers)


def record(
    tallies: dict[str, Tally], key: str, problem: Problem, optimum: int, action: Callable[[], Any]
) -> None:
    result, seconds = timed(action)
    if check_schedule(problem, result.starts):
        raise SystemExit(f"{key}: invalid schedule")
    tally = tallies.setdefault(key, Tally())
    tally.above.append(100 * (result.makespan - optimum) / optimum)
    tally.seconds.append(seconds)
    tally.proven += bool(getattr(result, "optimal", False))


def run_large(args: argparse.Namespace) -> None:
    rows: list[tuple[str, ...]] = []
    for seed in range(1, args.large_runs + 1):
        problem, build = timed(partial(named_resource_problem, args.tasks, args.people, seed))
        first, first_seconds = timed(partial(single_pass, problem, "LFT"))
        levelled, seconds = timed(partial(level, problem))
        if check_schedule(problem, levelled.starts):
            raise SystemExit(f"seed {seed}: invalid schedule")
        rows.append(
            (
                f"seed {seed}",
                str(first.makespan),
                f"{first_seconds:.2f} s",
                str(levelled.makespan),
                str(levelled.lower_bound),
                str(levelled.schedules),
                f"{seconds:.2f} s",
                f"{build:.2f} s",
            )
        )
    header = ("project", "LFT single pass", "time", "level()", "lower bound", "schedules", "time", "building")
    print_table(f"{args.tasks:,} tasks, {args.people} people (one or two a task)", header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--j30", type=Path, default=J30, help="folder of j30 .sm files with optimum.csv")
    parser.add_argument("--only", type=int, default=0, help="the first N instances only")
    parser.add_argument("--optimize", action="store_true", help="also run optimize() on every instance")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-j30", action="store_true")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--large-runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    if not args.no_j30:
        run_j30(args)
    if not args.no_large:
        run_large(args)


if __name__ == "__main__":
    main()
