"""`itpm schedule` as a whole process against TaskJuggler 3 (tj3) on the same generated network.

Whole process means what a user waits for: interpreter start, reading the file, scheduling and
printing the JSON schedule. tj3 reads the same network written as a .tjp file (the project
calendar, FS/SS/FF/SF links with lags as start gaps) and writes a CSV report; it is slow, so it
runs once. Then `itpm schedule` alone on larger networks. itpm runs as an installed command
would: with its bytecode compiled (a first run, not timed, writes it, even where the caller's
environment sets PYTHONDONTWRITEBYTECODE), and its figure is the median of several runs.

    .venv/bin/python bench/schedule_cli.py                 # 10,000 tasks vs tj3, then 1k/10k/100k
    .venv/bin/python bench/schedule_cli.py --no-tj3 --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.common import Shape, machine, print_table, random_network, run_process, seconds

from itpm.engine import schedule_arrays
from itpm.engine.formats import engine_arrays, parse_project
from itpm.engine.formats.taskjuggler import to_tjp

# Every link type with lags, weekends and holidays; FF and SF lags such that tj3 can say them.
SHAPE = Shape(taskjuggler=True)
SEED = 2026
TARGET = 100  # times faster than tj3, issue 3
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    options = _options()
    itpm = str(Path(sys.executable).with_name("itpm"))
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="itpm-bench-") as folder:
        work = Path(folder)
        if options.tj3:
            row = _against_tj3(work, itpm, options.peer_size, options.runs)
            header = ("tasks", "links", "itpm schedule", "tj3", "tj3 / itpm", "target")
            title = "Whole process against TaskJuggler 3 (itpm: median of runs; tj3: one run)"
            print_table(title, header, [row])
        rows = []
        for size in options.sizes:
            path = _network_file(work, size)
            took = median_of(options.runs, itpm, path)
            rows.append((f"{size:,}", _links(path), seconds(took), f"{took / size * 1e6:.1f} µs"))
    header = ("tasks", "links", "itpm schedule", "per task")
    print_table("Whole process: read, schedule, print the JSON schedule (median of runs)", header, rows)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--peer-size", type=int, default=10_000, help="tasks in the network tj3 schedules")
    parser.add_argument("--runs", type=int, default=9, help="itpm runs per size; the median counts")
    parser.add_argument("--no-tj3", dest="tj3", action="store_false", help="skip TaskJuggler")
    options = parser.parse_args()
    if options.tj3 and shutil.which("tj3") is None:
        print("tj3 is not installed (apt-get install tj3); skipping it", file=sys.stderr)
        options.tj3 = False
    return options


def _network_file(folder: Path, size: int) -> Path:
    path = folder / f"network-{size}.json"
    if not path.exists():
        path.write_text(json.dumps(random_network(size, SEED, SHAPE)), encoding="utf-8")
    return path


def _links(path: Path) -> str:
    return f"{len(json.loads(path.read_text(encoding='utf-8'))['links']):,}"


def _itpm_schedule(itpm: str, path: Path) -> None:
    command = [itpm, "schedule", str(path), "--format", "json"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENVIRONMENT)  # noqa: S603


def median_of(runs: int, itpm: str, path: Path) -> float:
    """The median wall time of `runs` runs, after one untimed run that compiles the bytecode."""
    _itpm_schedule(itpm, path)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        _itpm_schedule(itpm, path)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def _against_tj3(folder: Path, itpm: str, size: int, runs: int) -> tuple[str, ...]:
    path = _network_file(folder, size)
    project = parse_project(path.read_text(encoding="utf-8"), path.name)
    laid_out = engine_arrays(project)
    finish = laid_out.calendar.finish_date(0, schedule_arrays(laid_out.arrays).finish)
    horizon = (finish - project.start).days + 60  # tj3's time grows with the project's span
    (folder / "network.tjp").write_text(to_tjp(project, report="schedule", horizon_days=horizon))
    tj3 = run_process(["tj3", "--silent", "--no-color", "network.tjp"], cwd=folder)
    _check_same_finish(folder / "schedule.csv", finish)
    took = median_of(runs, itpm, path)
    ratio = tj3 / took
    verdict = f">= {TARGET}x: " + ("met" if ratio >= TARGET else "MISSED")
    return (f"{size:,}", f"{len(project.links):,}", seconds(took), seconds(tj3), f"{ratio:,.0f}x", verdict)


def _check_same_finish(report: Path, finish: dt.date) -> None:
    """The tj3 run counts only if it scheduled the same network to the same last day."""
    ends = [line.split(";")[2].strip('"') for line in report.read_text(encoding="utf-8").splitlines()[1:]]
    theirs = max(dt.datetime.strptime(end, "%Y-%m-%d-%H:%M") for end in ends)
    last = theirs.date() if theirs.hour > 9 else theirs.date() - dt.timedelta(days=1)
    if last != finish:
        print(f"warning: tj3 finishes {theirs}, itpm on {finish}", file=sys.stderr)


if __name__ == "__main__":
    main()
