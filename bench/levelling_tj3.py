"""Resource levelling against TaskJuggler 3 (tj3) on the same generated named-resource projects.

Each project is bench/common.random_network's layered network (finish-to-start links, a third
with lags of whole working days, 5 % milestones), every task done by one or two named
people at full time, a person per 10 tasks. tj3 reads it as a .tjp file: each task an `effort`
of duration x people working days, its people allocated `mandatory` (all of them in every hour
it is worked), links as `depends` (with `gaplength` for a lag). itpm levels
the same activities, people and links with `level()` at its defaults. The table gives each
one's finish in working days from the project start, the time each takes (tj3 as a whole
process, parsing included; itpm `level()` in process, plus building its Problem), and the
speed-up. tj3 is allowed what itpm is not: to interrupt a task when its people are needed
elsewhere and resume it later (TaskJuggler's scheduler books hour by hour), which can only help
its finish.

    .venv/bin/python bench/levelling_tj3.py                       # 200, 1,000, 2,000 tasks
    .venv/bin/python bench/levelling_tj3.py --sizes 200 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import START, Shape, machine, print_table, run_process, seconds
from levelling_psplib import named_resource_problem

from itpm.engine import Problem, level
from itpm.engine.levelling import warm_up
from itpm.engine.rcpsp import check_schedule

TARGET = 20  # times faster than tj3, issue 4
TASKS_PER_PERSON = 10
# Finish-to-start links only: tj3 reports dependency loops for start-to-start links into
# milestones between effort tasks, and FF/SF need fixed lengths. No leads, no holidays.
SHAPE = Shape(type_weights=(100, 0, 0, 0), holidays=0, taskjuggler=True)
TIME_FORMAT = "%Y-%m-%d-%H:%M"
DAY_STARTS_AT, HOURS = 9, 8


def to_tjp(problem: Problem, horizon_days: int) -> str:
    """The problem as a .tjp file whose CSV report `schedule.csv` lists each task's start and end."""
    names = {activity.id: f"t{n}" for n, activity in enumerate(problem.activities)}
    people = {resource.id: f"r{n}" for n, resource in enumerate(problem.resources)}
    lines = [
        f'project levelling "levelling" {START} +{horizon_days}d {{',
        '  timezone "UTC"',
        f"  dailyworkinghours {HOURS}",
        f"  workinghours mon, tue, wed, thu, fri {DAY_STARTS_AT}:00 - {DAY_STARTS_AT + HOURS}:00",
        "  workinghours sat, sun off",
        "}",
        *(f'resource {people[r.id]} "{r.id}"' for r in problem.resources),
    ]
    links: dict[str, list[str]] = {}
    for link in problem.links:
        options = [] if link.type == "FS" else ["onstart"]
        if link.lag:
            options.append(f"gaplength {link.lag}d")
        target = names[link.predecessor]
        links.setdefault(link.successor, []).append(
            f"{target} {{ {' '.join(options)} }}" if options else target
        )
    for activity in problem.activities:
        body = (
            [f"depends {', '.join(links[activity.id])}"]
            if activity.id in links
            else ["start ${projectstart}"]
        )
        if activity.duration == 0 or not activity.demands:
            body.append("milestone" if activity.duration == 0 else f"length {activity.duration}d")
        else:
            body.append(f"effort {activity.duration * len(activity.demands)}d")
            body.append("allocate " + ", ".join(f"{people[p]} {{ mandatory }}" for p in activity.demands))
        lines += [f'task {names[activity.id]} "{activity.id}" {{', *(f"  {line}" for line in body), "}"]
    lines += [
        'taskreport schedule "schedule" {',
        "  formats csv",
        "  columns id, end",
        f'  timeformat "{TIME_FORMAT}"',
        "}",
    ]
    return "\n".join(lines) + "\n"


def working_days(instant: dt.datetime) -> Fraction:
    """Working days from the project start (a Monday, 9:00) to `instant`, Monday to Friday."""
    day, whole = START, 0
    weeks = (instant.date() - day).days // 7
    whole, day = 5 * weeks, day + dt.timedelta(weeks=weeks)
    while day < instant.date():
        whole += day.isoweekday() <= 5
        day += dt.timedelta(days=1)
    into = Fraction(instant.hour * 60 + instant.minute, 60) - DAY_STARTS_AT
    today = min(max(into, Fraction(0)), Fraction(HOURS)) if day.isoweekday() <= 5 else Fraction(0)
    return whole + today / HOURS


def tj3_finish(report: Path) -> Fraction:
    ends = [
        line.split(";")[1].strip('"') for line in report.read_text(encoding="utf-8").splitlines()[1:] if line
    ]
    return max(working_days(dt.datetime.strptime(end, TIME_FORMAT)) for end in ends)


def compare(size: int, seed: int, folder: Path) -> tuple[str, ...]:
    began = time.perf_counter()
    problem = named_resource_problem(size, max(2, size // TASKS_PER_PERSON), seed, SHAPE)
    build = time.perf_counter() - began
    began = time.perf_counter()
    levelled = level(problem)
    took = time.perf_counter() - began
    if check_schedule(problem, levelled.starts):
        raise SystemExit(f"{size} tasks, seed {seed}: itpm's schedule is invalid")
    horizon = levelled.makespan * 3 + 60  # calendar days: tj3 may take longer than itpm, never 2x
    (folder / "project.tjp").write_text(to_tjp(problem, horizon), encoding="utf-8")
    tj3 = run_process(["tj3", "--silent", "--no-color", "project.tjp"], cwd=folder)
    theirs = tj3_finish(folder / "schedule.csv")
    ratio = tj3 / took
    return (
        f"{size:,}",
        str(seed),
        str(len(problem.resources)),
        f"{float(theirs):.1f}",
        str(levelled.makespan),
        f"{100 * (levelled.makespan - float(theirs)) / float(theirs):+.1f} %",
        seconds(tj3),
        seconds(took),
        seconds(build),
        f"{ratio:,.0f}x",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1_000, 2_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    options = parser.parse_args()
    if shutil.which("tj3") is None:
        raise SystemExit("tj3 is not installed (apt-get install tj3)")
    print(machine())
    warm_up()  # numba's kernels: loaded once per process, not counted
    rows = []
    with tempfile.TemporaryDirectory(prefix="itpm-tj3-") as folder:
        for size in options.sizes:
            for seed in options.seeds:
                rows.append(compare(size, seed, Path(folder)))
                print("  " + "  ".join(rows[-1]), file=sys.stderr, flush=True)
    header = (
        "tasks",
        "seed",
        "people",
        "tj3 finish",
        "itpm finish",
        "itpm vs tj3",
        "tj3 time",
        "itpm level()",
        "building",
        "speed-up",
    )
    print_table("Levelling against TaskJuggler 3 (finish in working days)", header, rows)
    shorter = [float(row[4]) <= float(row[3]) + 1e-9 for row in rows]
    ratios = [float(row[-1].rstrip("x").replace(",", "")) for row in rows]
    mean_gap = statistics.mean(float(row[5].rstrip(" %")) for row in rows)
    print(
        f"\nitpm finishes no later than tj3 in {sum(shorter)} of {len(rows)} projects"
        f" (mean {mean_gap:+.1f} %);"
        f" speed-up {min(ratios):,.0f}x to {max(ratios):,.0f}x (target >= {TARGET}x:"
        f" {'met' if min(ratios) >= TARGET else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
