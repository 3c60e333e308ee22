"""`itpm schedule` as a whole process against TaskJuggler 3 (tj3) on the same generated network.

Whole process means what a user waits for: interpreter start, reading the file, scheduling and
printing the JSON schedule. tj3 reads the same network written as a .tjp file (the project
calendar, FS/SS/FF/SF links with lags as start gaps) and writes a CSV report; it is slow, so it
runs once. Then `itpm schedule` alone on larger networks.

    .venv/bin/python bench/schedule_cli.py                 # 10,000 tasks vs tj3, then 1k/10k/100k
    .venv/bin/python bench/schedule_cli.py --no-tj3 --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.common import Shape, best_of, machine, print_table, random_network, run_process, seconds

from itpm.engine import schedule
from itpm.engine.formats import engine_input, parse_project
from itpm.engine.formats.taskjuggler import to_tjp

# Every link type with lags, weekends and holidays; FF and SF lags such that tj3 can say them.
SHAPE = Shape(taskjuggler=True)
SEED = 2026


def main() -> None:
    options = _options()
    itpm = str(Path(sys.executable).with_name("itpm"))
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="itpm-bench-") as folder:
        work = Path(folder)
        if options.tj3:
            row = _against_tj3(work, itpm, options.peer_size, options.runs)
            header = ("tasks", "links", "itpm schedule", "tj3", "tj3 / itpm")
            print_table("Whole process against TaskJuggler 3 (itpm: best run; tj3: one run)", header, [row])
        rows = []
        for size in options.sizes:
            path = _network_file(work, size)
            took = best_of(options.runs, lambda path=path: _itpm_schedule(itpm, path))
            rows.append((f"{size:,}", _links(path), seconds(took), f"{took / size * 1e6:.1f} µs"))
    header = ("tasks", "links", "itpm schedule", "per task")
    print_table("Whole process: read, schedule, print the JSON schedule (best run)", header, rows)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--peer-size", type=int, default=10_000, help="tasks in the network tj3 schedules")
    parser.add_argument("--runs", type=int, default=5, help="itpm runs per size; the best counts")
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
    subprocess.run([itpm, "schedule", str(path), "--format", "json"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def _against_tj3(folder: Path, itpm: str, size: int, runs: int) -> tuple[str, ...]:
    path = _network_file(folder, size)
    project = parse_project(path.read_text(encoding="utf-8"), path.name)
    laid_out = engine_input(project)
    finish = laid_out.calendar.finish_date(0, schedule(laid_out.tasks, laid_out.links).finish)
    horizon = (finish - project.start).days + 60  # tj3's time grows with the project's span
    (folder / "network.tjp").write_text(to_tjp(project, report="schedule", horizon_days=horizon))
    tj3 = run_process(["tj3", "--silent", "--no-color", "network.tjp"], cwd=folder)
    _check_same_finish(folder / "schedule.csv", finish)
    took = best_of(runs, lambda: _itpm_schedule(itpm, path))
    return (f"{size:,}", f"{len(project.links):,}", seconds(took), seconds(tj3), f"{tj3 / took:,.0f}x")


def _check_same_finish(report: Path, finish: dt.date) -> None:
    """The tj3 run counts only if it scheduled the same network to the same last day."""
    ends = [line.split(";")[2].strip('"') for line in report.read_text(encoding="utf-8").splitlines()[1:]]
    theirs = max(dt.datetime.strptime(end, "%Y-%m-%d-%H:%M") for end in ends)
    last = theirs.date() if theirs.hour > 9 else theirs.date() - dt.timedelta(days=1)
    if last != finish:
        print(f"warning: tj3 finishes {theirs}, itpm on {finish}", file=sys.stderr)


if __name__ == "__main__":
    main()
