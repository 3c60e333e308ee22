"""`itpm schedule FILE`: read a project file, schedule it with the engine, print the schedule.

It needs the engine and nothing of Django: `itpm schedule` starts as fast as Python and numpy
do. A bad file exits 2 with one line naming the file and the line or JSON path at fault.

With `--level` or `--optimize` the project's resources are levelled (docs/levelling.md): the
same output, each task with its levelling delay instead of its float, and for `--optimize` the
proven lower bound and whether the makespan is optimal.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

# numpy starts OpenBLAS's thread pool when it is imported, which takes about as long as the
# import itself on a small machine; the engine does no linear algebra, so one thread will do.
# Set before numpy is first imported (below, with the engine), unless the user set it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# The imports below come after that setting on purpose: they import numpy.
from itpm.commands.errors import EXIT_OK, EXIT_USAGE, CommandError
from itpm.engine import EngineError, Problem, optimize, schedule_arrays
from itpm.engine.errors import Conflict
from itpm.engine.formats import (
    UNITS_PER_DAY,
    FormatError,
    ProjectFile,
    PsplibProject,
    engine_arrays,
    read_project_text,
)
from itpm.engine.formats.native import MAX_DAYS
from itpm.engine.formats.native_levelling import (
    DatedOverAllocation,
    NativeLevelling,
    native_problem,
    read_levelling,
)
from itpm.engine.formats.report import (
    ScheduleReport,
    dated_report,
    neutralise,
    psplib_report,
    render_csv,
    render_json,
    render_table,
)
from itpm.engine.rcpsp import OverAllocation, over_allocations

RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
STDIN = "-"
LEVELLED_COLUMNS = ("id", "name", "start", "finish", "delay")


@dataclass(frozen=True)
class Levelling:
    """How to level: `method` is "level" or "optimize", with that function's settings."""

    method: str = "level"
    seed: int = 0
    budget_ms: int | None = None
    time_limit: float = 10.0
    workers: int = 2


def run_schedule(
    path: str, output_format: str, status_date: dt.date | None = None, levelling: Levelling | None = None
) -> int:
    """Print the schedule of the project in `path` (`-` is standard input) in `output_format`;
    levelled when `levelling` says how."""
    source = "<stdin>" if path == STDIN else path
    # A large file makes hundreds of thousands of objects and no reference cycles: the cyclic
    # garbage collector would scan them over and over for nothing (a fifth of the run time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        content = _read(path, source)
        project = read_project_text(content, source)
        if levelling is None:
            text = RENDERERS[output_format](_schedule(project, source, status_date))
        elif isinstance(project, ProjectFile):
            text = LEVELLED_RENDERERS[output_format](_level_native(project, content, source, levelling))
        else:
            text = LEVELLED_RENDERERS[output_format](_level(project, source, status_date, levelling))
    except FormatError as error:
        raise CommandError(error.describe(), EXIT_USAGE) from None
    except EngineError as error:
        raise CommandError(f"{source}: {error}", EXIT_USAGE) from None
    finally:
        if collecting:
            gc.enable()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK


def _read(path: str, source: str) -> str:
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as file:
                data = file.read()
    except OSError as error:
        raise CommandError(f"{source}: cannot read: {error.strerror or error}", EXIT_USAGE) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(source, f"not UTF-8 text (byte {data[error.start]:#04x})", line=line) from None


def _schedule(
    project: ProjectFile | PsplibProject, source: str, status_date: dt.date | None
) -> ScheduleReport:
    if isinstance(project, PsplibProject):
        if status_date is not None:
            message = "--status-date needs a project file with dates, not PSPLIB"
            raise CommandError(f"{source}: {message}", EXIT_USAGE)
        return psplib_report(project, schedule_arrays(project.network_arrays()))
    if status_date is not None:
        if status_date < project.start:
            message = f"--status-date {status_date} is before the project start {project.start}"
            raise CommandError(f"{source}: {message}", EXIT_USAGE)
        project = replace(project, status_date=status_date)
    laid_out = engine_arrays(project)  # straight to arrays: no object per task or link
    plan = schedule_arrays(
        laid_out.arrays,
        status_unit=laid_out.status_unit,
        project_finish_unit=laid_out.project_finish_unit,
        timetable=laid_out.timetable,
    )
    for conflict in plan.conflicts:  # the schedule still stands: warn, as MS Project does
        print(f"itpm: warning: {source}: {conflict.code}: {conflict.message}", file=sys.stderr)
    if max(plan.finish, -plan.start) > MAX_DAYS * UNITS_PER_DAY:
        message = f"the schedule runs past {MAX_DAYS} working days from the project start"
        raise CommandError(f"{source}: {message}", EXIT_USAGE)
    report = dated_report(project, plan, laid_out.calendar)
    if plan.start < 0:
        first = min(report.starts)
        message = f"to finish by {project.finish} it must start on {first}, before its start {project.start}"
        print(f"itpm: warning: {source}: {message}", file=sys.stderr)
    return report


# ---------------------------------------------------------------- levelling


@dataclass(frozen=True)
class LevelledReport:
    """A levelled schedule in periods, as `itpm schedule --level/--optimize` prints it."""

    method: str
    makespan: int
    ids: list[str]
    names: list[str]
    starts: list[int]
    finishes: list[int]
    delays: list[int]
    lower_bound: int | None = None  # --optimize only: a proven bound
    optimal: bool | None = None
    before: tuple[OverAllocation, ...] = ()  # of the early schedule, resources ignored
    after: tuple[OverAllocation, ...] = ()  # of this one: none, as levelling is there for that
    unit: str = "periods"
    conflicts: tuple[Conflict, ...] = ()  # --level: C201 and C202 (fixed activities), as warnings

    @property
    def finish(self) -> int:
        return self.makespan

    def rows(self) -> list[tuple[str, str, int, int, int]]:
        columns = (self.ids, self.names, self.starts, self.finishes, self.delays)
        return list(zip(*columns, strict=True))


@dataclass(frozen=True)
class DatedLevelledReport:
    """A native file's levelled schedule: every task of the file in dates, makespan and delays
    in working days; a summary spans its tasks and has no delay (None)."""

    method: str
    makespan: int
    finish: str
    ids: list[str]
    names: list[str]
    starts: list[str]
    finishes: list[str]
    delays: list[int | None]
    lower_bound: int | None = None
    optimal: bool | None = None
    before: tuple[DatedOverAllocation, ...] = ()
    after: tuple[DatedOverAllocation, ...] = ()
    unit: str = "working days"

    def rows(self) -> list[tuple[str, str, str, str, int | None]]:
        columns = (self.ids, self.names, self.starts, self.finishes, self.delays)
        return list(zip(*columns, strict=True))


Levelled = LevelledReport | DatedLevelledReport


def _level(
    project: ProjectFile | PsplibProject, source: str, status_date: dt.date | None, levelling: Levelling
) -> LevelledReport:
    if status_date is not None:
        raise CommandError(f"{source}: --status-date does not apply to levelling", EXIT_USAGE)
    problem, names = levelling_problem(project, source)
    if levelling.budget_ms is not None:
        from itpm.engine.levelling import warm_up

        warm_up()  # the budget is for levelling, not for loading the kernels
    return level_report(problem, names, levelling)


def levelling_problem(project: ProjectFile | PsplibProject, source: str) -> tuple[Problem, list[str]]:
    """A PSPLIB project as a levelling problem, and each activity's name."""
    if not isinstance(project, PsplibProject):
        raise CommandError(f"{source}: a project file is levelled with its text (_level_native)", EXIT_USAGE)
    return project.levelling_problem(), [project.job_name(job) for job in project.jobs]


def _level_native(
    project: ProjectFile, content: str, source: str, levelling: Levelling
) -> DatedLevelledReport:
    """A native file with resources: levelled on its working days, read back in dates."""
    native = native_problem(project, read_levelling(content, source, project), source)
    if not native.problem.resources:
        message = '--level and --optimize need resources: add a "resources" list (docs/file-formats.md)'
        raise CommandError(f"{source}: {message}", EXIT_USAGE)
    if levelling.budget_ms is not None:
        from itpm.engine.levelling import warm_up

        warm_up()
    names = [a.name for a in native.problem.activities]
    report = level_report(native.problem, names, levelling)
    for conflict in report.conflicts:  # the schedule still stands: warn, as the CPM path does
        print(f"itpm: warning: {source}: {conflict.code}: {conflict.message}", file=sys.stderr)
    return dated_levelled(native, report)


def dated_levelled(native: NativeLevelling, report: LevelledReport) -> DatedLevelledReport:
    """The levelled periods as dates, every task of the file in its order."""
    durations = {a.id: a.duration for a in native.problem.activities}
    leaf = {
        i: (native.dates(s, durations[i]), d)
        for i, s, d in zip(report.ids, report.starts, report.delays, strict=True)
    }
    starts, finishes, delays = [], [], []
    for task in native.tasks:
        if task.id in native.leaves:
            spans = [leaf[i][0] for i in native.leaves[task.id]]
            dates, delay = (min(s for s, _ in spans), max(f for _, f in spans)), None
        else:
            dates, delay = leaf[task.id]
        starts.append(dates[0])
        finishes.append(dates[1])
        delays.append(delay)
    return DatedLevelledReport(
        report.method,
        report.makespan,
        max(finishes, default=native.grid.start.isoformat()),
        [t.id for t in native.tasks],
        [t.name for t in native.tasks],
        starts,
        finishes,
        delays,
        report.lower_bound,
        report.optimal,
        native.over(report.before),
        native.over(report.after),
    )


def level_report(problem: Problem, names: list[str], levelling: Levelling) -> LevelledReport:
    """Level `problem` as `levelling` says; raises EngineError for a problem that cannot be."""
    from itpm.engine.levelling import level  # brings numba: only when levelling

    extra: dict[str, Any] = {}
    starts: Mapping[str, int]
    delays: Mapping[str, int]
    if levelling.method == "optimize":
        best = optimize(
            problem, time_limit_s=levelling.time_limit, workers=levelling.workers, seed=levelling.seed
        )
        starts, makespan, delays = best.starts, best.makespan, best.delays
        extra = {"lower_bound": best.lower_bound, "optimal": best.optimal}
    else:
        done = level(problem, seed=levelling.seed, budget_ms=levelling.budget_ms)
        starts, makespan, delays = done.starts, done.makespan, done.delays
        extra = {"conflicts": tuple(done.conflicts)}
    ids = [activity.id for activity in problem.activities]
    early = {i: starts[i] - delays[i] for i in ids}
    return LevelledReport(
        levelling.method,
        makespan,
        ids,
        names,
        [starts[i] for i in ids],
        [starts[a.id] + a.duration for a in problem.activities],
        [delays[i] for i in ids],
        before=tuple(over_allocations(problem, early)),
        after=tuple(over_allocations(problem, starts)),
        **extra,  # type: ignore[arg-type]
    )


def _levelled_json(report: Levelled) -> str:
    head: dict[str, object] = {
        "method": report.method,
        "finish": report.finish,
        "makespan": report.makespan,
    }
    if report.lower_bound is not None:
        head.update(lower_bound=report.lower_bound, optimal=report.optimal)
    head["over_allocations"] = {
        "before": [asdict(over) for over in report.before],
        "after": [asdict(over) for over in report.after],
    }
    head["tasks"] = [dict(zip(LEVELLED_COLUMNS, row, strict=True)) for row in report.rows()]
    return json.dumps(head, ensure_ascii=False) + "\n"


def _levelled_csv(report: Levelled) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LEVELLED_COLUMNS)
    writer.writerows([neutralise("" if cell is None else str(cell)) for cell in row] for row in report.rows())
    return buffer.getvalue()


def _levelled_table(report: Levelled) -> str:
    header = ("id", "name", "start", "finish", "delay")
    rows = [
        (_shown(i), _shown(n), str(s), str(f), "-" if d is None else str(d))
        for i, n, s, f, d in report.rows()
    ]
    widths = [max([len(header[n]), *(len(row[n]) for row in rows)]) for n in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if n >= 2 else c.ljust(w) for n, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [line(header), line(tuple("-" * w for w in widths)), *map(line, rows), ""]
    lines.append(f"over-allocations: {len(report.before)} before levelling, {len(report.after)} after")
    lines += [f"finish: {report.finish}", f"makespan: {report.makespan} {report.unit} ({report.method})"]
    if report.lower_bound is not None:
        proof = "optimal" if report.optimal else "not proven optimal"
        lines.append(f"lower bound: {report.lower_bound} {report.unit} ({proof})")
    return "\n".join(lines) + "\n"


def _shown(text: str) -> str:
    """Control characters would break the table (names come from the file)."""
    return "".join(c if c.isprintable() else " " for c in text)


LEVELLED_RENDERERS = {"table": _levelled_table, "json": _levelled_json, "csv": _levelled_csv}
