"""`itpm schedule FILE`: read a project file, schedule it with the engine, print the schedule.

It needs the engine and nothing of Django: `itpm schedule` starts as fast as Python and numpy
do. A bad file exits 2 with one line naming the file and the line or JSON path at fault.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from dataclasses import replace

# numpy starts OpenBLAS's thread pool when it is imported, which takes about as long as the
# import itself on a small machine; the engine does no linear algebra, so one thread will do.
# Set before numpy is first imported (below, with the engine), unless the user set it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# The imports below come after that setting on purpose: they import numpy.
from itpm.cli import EXIT_OK, EXIT_USAGE, CommandError
from itpm.engine import EngineError, schedule_arrays
from itpm.engine.formats import (
    UNITS_PER_DAY,
    FormatError,
    ProjectFile,
    PsplibProject,
    engine_arrays,
    read_project_text,
)
from itpm.engine.formats.native import MAX_DAYS
from itpm.engine.formats.report import (
    ScheduleReport,
    dated_report,
    psplib_report,
    render_csv,
    render_json,
    render_table,
)

RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
STDIN = "-"


def run_schedule(path: str, output_format: str, status_date: dt.date | None = None) -> int:
    """Print the schedule of the project in `path` (`-` is standard input) in `output_format`."""
    source = "<stdin>" if path == STDIN else path
    # A large file makes hundreds of thousands of objects and no reference cycles: the cyclic
    # garbage collector would scan them over and over for nothing (a fifth of the run time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        project = read_project_text(_read(path, source), source)
        report = _schedule(project, source, status_date)
        text = RENDERERS[output_format](report)
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
