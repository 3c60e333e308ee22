"""`itpm bench psplib DIR`: level every PSPLIB file in a folder and say how close each comes.

Each `.sm` file (in name order, natural: j301_2 before j3010_1) is read, levelled with the
method asked for, checked, and timed on the wall clock. With `--optimum CSV` (rows `problem,
optimum`, as PSPLIB's j30 optimum.csv; best-known values will do) each makespan is compared with
the known value, and the mean percent above it is printed. Like `itpm schedule`, it needs the
engine and nothing of Django. A bad folder, CSV or file exits 2 with one line naming it.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from itpm.commands.errors import EXIT_OK, EXIT_USAGE, CommandError
from itpm.engine import Activity, EngineError, Problem, Resource
from itpm.engine.formats import FormatError, parse_psplib
from itpm.engine.levelling import warm_up
from itpm.engine.rcpsp import check_schedule
from itpm.schedule_command import LevelledReport, Levelling, level_report


@dataclass(frozen=True)
class Run:
    """One instance: its makespan, the known optimum if given, and the seconds it took."""

    problem: str
    makespan: int
    optimum: int | None
    seconds: float
    lower_bound: int | None = None
    optimal: bool | None = None

    @property
    def above(self) -> float | None:
        """Percent above the known optimum (negative if better than a best-known value)."""
        if self.optimum is None:
            return None
        return 100.0 * (self.makespan - self.optimum) / self.optimum if self.optimum else 0.0


def run_bench_psplib(
    directory: str, optimum_csv: str | None, output_format: str, levelling: Levelling
) -> int:
    files = _instances(directory)
    optima = read_optima(optimum_csv) if optimum_csv else {}
    _warm_up(levelling)
    runs = [_run(path, optima.get(path.name), levelling) for path in files]
    text = _json(runs, levelling) if output_format == "json" else _table(runs, levelling)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_OK


def _instances(directory: str) -> list[Path]:
    folder = Path(directory)
    if not folder.is_dir():
        raise CommandError(f"{directory}: not a folder", EXIT_USAGE)
    files = sorted(folder.glob("*.sm"), key=lambda path: _natural(path.name))
    if not files:
        raise CommandError(f"{directory}: no PSPLIB .sm files in this folder", EXIT_USAGE)
    return files


def _natural(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def read_optima(path: str) -> dict[str, int]:
    """File name -> optimum or best-known makespan, from `problem,optimum` rows (a header row
    is skipped); names may leave out the `.sm`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = list(csv.reader(file))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            f"{path}: cannot read: {getattr(error, 'strerror', None) or error}", EXIT_USAGE
        ) from None
    optima: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if not row or (number == 1 and not row[-1].strip().isdigit()):
            continue  # a blank line, or the header
        if len(row) < 2 or not row[1].strip().isdigit():
            raise CommandError(f"{path}:{number}: expected problem,optimum with a whole number", EXIT_USAGE)
        name = row[0].strip()
        optima[name if name.endswith(".sm") else f"{name}.sm"] = int(row[1])
    if not optima:
        raise CommandError(f"{path}: no problem,optimum rows", EXIT_USAGE)
    return optima


def _warm_up(levelling: Levelling) -> None:
    """Load numba's compiled kernels (and OR-Tools) first, so that the first instance's time
    does not count them."""
    warm_up()
    if levelling.method == "optimize":
        tiny = Problem([Activity("a", 1, {"r": 1}), Activity("b", 2, {"r": 1})], [Resource("r", 1)])
        level_report(tiny, ["a", "b"], Levelling("optimize", time_limit=0.1, workers=1))


def _run(path: Path, optimum: int | None, levelling: Levelling) -> Run:
    try:
        project = parse_psplib(path.read_text(encoding="utf-8-sig"), str(path))
        problem = project.levelling_problem()
        began = time.perf_counter()
        report = level_report(problem, [str(n) for n in range(len(problem.activities))], levelling)
        seconds = time.perf_counter() - began
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text", EXIT_USAGE) from None
    except FormatError as error:
        raise CommandError(error.describe(), EXIT_USAGE) from None
    except EngineError as error:
        raise CommandError(f"{path}: {error}", EXIT_USAGE) from None
    _check(path, problem, report)
    return Run(path.name, report.makespan, optimum, seconds, report.lower_bound, report.optimal)


def _check(path: Path, problem: Problem, report: LevelledReport) -> None:
    """A benchmark counts only valid schedules: a broken one is a bug, reported as such."""
    broken = check_schedule(problem, dict(zip(report.ids, report.starts, strict=True)))
    if broken:
        raise CommandError(
            f"{path}: the schedule found is invalid: {broken[0].message} (a bug; please report it)"
        )


@dataclass(frozen=True)
class Summary:
    instances: int
    mean_seconds: float
    max_seconds: float
    with_optimum: int
    mean_percent_above: float | None  # None when no optimum is known
    at_optimum: int
    proven_optimal: int | None  # --optimize only

    @classmethod
    def of(cls, runs: list[Run]) -> Summary:
        known = [run.above for run in runs if run.above is not None]
        proving = any(run.optimal is not None for run in runs)
        return cls(
            instances=len(runs),
            mean_seconds=statistics.mean(run.seconds for run in runs),
            max_seconds=max(run.seconds for run in runs),
            with_optimum=len(known),
            mean_percent_above=statistics.mean(known) if known else None,
            at_optimum=sum(1 for value in known if value <= 0),
            proven_optimal=sum(1 for run in runs if run.optimal) if proving else None,
        )

    def lines(self, method: str) -> list[str]:
        lines = [
            f"{self.instances} instances, {method}: mean time {self.mean_seconds * 1000:.0f} ms,"
            f" longest {self.max_seconds * 1000:.0f} ms"
        ]
        if self.mean_percent_above is not None:
            lines.append(
                f"mean {self.mean_percent_above:.2f} % above the optimum ({self.with_optimum} known),"
                f" {self.at_optimum} at the optimum"
            )
        if self.proven_optimal is not None:
            lines.append(f"proven optimal: {self.proven_optimal} of {self.instances}")
        return lines


def _json(runs: list[Run], levelling: Levelling) -> str:
    rows = []
    for run in runs:
        row: dict[str, object] = {
            "problem": run.problem,
            "makespan": run.makespan,
            "seconds": round(run.seconds, 4),
        }
        if run.optimum is not None:
            row.update(optimum=run.optimum, percent_above=round(run.above or 0.0, 3))
        if run.lower_bound is not None:
            row.update(lower_bound=run.lower_bound, optimal=run.optimal)
        rows.append(row)
    facts = Summary.of(runs)
    document = {"method": levelling.method, "summary": asdict(facts), "instances": rows}
    return json.dumps(document) + "\n"


def _table(runs: list[Run], levelling: Levelling) -> str:
    header = ["problem", "makespan", "optimum", "above", "time"]
    proving = levelling.method == "optimize"
    header += ["lower bound", "optimal"] if proving else []
    rows = []
    for run in runs:
        above = "" if run.above is None else f"{run.above:.2f} %"
        row = [run.problem, str(run.makespan), "" if run.optimum is None else str(run.optimum), above]
        row.append(f"{run.seconds * 1000:.0f} ms")
        row += [str(run.lower_bound), "yes" if run.optimal else "no"] if proving else []
        rows.append(row)
    widths = [max(len(cells[n]) for cells in [header, *rows]) for n in range(len(header))]
    lines = [_aligned(cells, widths) for cells in [header, ["-" * w for w in widths], *rows]]
    return "\n".join([*lines, "", *Summary.of(runs).lines(levelling.method)]) + "\n"


def _aligned(cells: list[str], widths: list[int]) -> str:
    """The name to the left, numbers to the right."""
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(cell.ljust(width) if n == 0 else cell.rjust(width) for n, (cell, width) in pairs)
