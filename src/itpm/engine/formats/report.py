"""A computed schedule written out: as one JSON object, as CSV, or as an aligned table.

For a PSPLIB file times are periods (integers, the dummy source at 0); for a native file they
are dates on the project calendar, with float and makespan in working days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring

import numpy as np

from itpm.engine import ResultColumns, Schedule, WorkCalendar
from itpm.engine.formats.project import UNITS_PER_DAY, ProjectFile
from itpm.engine.formats.psplib import PsplibProject
from itpm.engine.formats.values import days
from itpm.engine.results import TaskResults

COLUMNS = ("id", "name", "start", "finish", "total_float", "critical")
Time = int | float | str
_PLAIN_NUMBER = re.compile(r"-\d+(\.\d+)?")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ScheduleReport:
    """What `itpm schedule` prints, column by column, in the file's own unit of time."""

    finish: Time
    makespan: int | float
    critical_path: list[str]
    ids: list[str]
    names: list[str]
    starts: Sequence[Time]
    finishes: Sequence[Time]
    total_floats: Sequence[int | float]
    critical: list[bool]
    unit: str  # "periods" or "working days"

    def rows(self) -> list[tuple[str, str, Time, Time, int | float, bool]]:
        columns = (self.ids, self.names, self.starts, self.finishes, self.total_floats, self.critical)
        return list(zip(*columns, strict=True))


def psplib_report(project: PsplibProject, plan: Schedule) -> ScheduleReport:
    """Periods as the engine computed them: every job, the dummy source starting at 0."""
    columns = _columns(plan)
    return ScheduleReport(
        finish=plan.finish,
        makespan=plan.finish - plan.start,
        critical_path=plan.critical_path,
        ids=list(columns.ids),
        names=[project.job_name(job) for job in project.jobs],
        starts=columns.early_start.tolist(),
        finishes=columns.early_finish.tolist(),
        total_floats=columns.total_float.tolist(),
        critical=columns.critical.tolist(),
        unit="periods",
    )


def dated_report(project: ProjectFile, plan: Schedule, calendar: WorkCalendar) -> ScheduleReport:
    """Dates on the project calendar; float and makespan in working days."""
    columns = _columns(plan)
    calendar, shift = reaching(calendar, plan.start)
    starts, finishes = task_dates(calendar, columns.early_start + shift, columns.early_finish + shift)
    project_span = np.array([plan.start + shift]), np.array([plan.finish + shift])
    return ScheduleReport(
        finish=task_dates(calendar, *project_span)[1][0],
        makespan=days(plan.finish - plan.start, UNITS_PER_DAY),
        critical_path=plan.critical_path,
        ids=list(columns.ids),
        names=[task.name for task in project.tasks],
        starts=starts,
        finishes=finishes,
        total_floats=_days(columns.total_float),
        critical=columns.critical.tolist(),
        unit="working days",
    )


def _days(units: np.ndarray) -> list[int | float]:
    """Units as working days: whole numbers where whole (all of them, in most plans)."""
    if not (units % UNITS_PER_DAY).any():
        whole: list[int | float] = (units // UNITS_PER_DAY).tolist()
        return whole
    return [days(value, UNITS_PER_DAY) for value in units.tolist()]


def _columns(plan: Schedule) -> ResultColumns:
    """The results as arrays in task order: reading 10,000 TaskResult objects would be slower."""
    if not isinstance(plan.results, TaskResults):
        raise TypeError("a schedule from itpm.engine.schedule was expected")
    return plan.results.columns


def reaching(calendar: WorkCalendar, lowest: int) -> tuple[WorkCalendar, int]:
    """A calendar that dates unit `lowest`, and what to add to units to read them on it.

    Scheduled backward from a finish, a project may have to start before the start date in its
    file, at a negative unit: then the calendar is laid out again from early enough.
    """
    if lowest >= 0:
        return calendar, 0
    needed = -(lowest // calendar.units_per_day)  # working days before the start
    back = dt.timedelta(days=needed * 7 + 7)
    while True:  # a week per working day needed is enough unless holidays crowd the weeks
        earlier = WorkCalendar.build(
            calendar.calendar, calendar.start - back, back.days + calendar.horizon_days
        )
        shift = earlier.to_unit(calendar.start)
        if shift + lowest >= 0:
            return earlier, shift
        back *= 2


def task_dates(calendar: WorkCalendar, start: np.ndarray, finish: np.ndarray) -> tuple[list[str], list[str]]:
    """First and last working day of each span, as ISO dates.

    A zero-length span on a day boundary (a milestone after a task) is shown on the day that
    ends there, as MS Project shows it, rather than on the next working day.
    """
    boundary = (start == finish) & (start > 0) & (start % calendar.units_per_day == 0)
    first = np.where(boundary, start - 1, start)
    last = np.where(finish > start, finish - 1, first)
    return _iso(calendar.to_dates(first)), _iso(calendar.to_dates(last))


def _iso(dates: np.ndarray) -> list[str]:
    iso: list[str] = np.datetime_as_string(dates, unit="D").tolist()
    return iso


def render_json(report: ScheduleReport) -> str:
    """One JSON object. The task rows are written from templates: ten times faster than json.dumps
    on a dict per task, which counts when `itpm schedule` prints 100,000 of them."""
    dated = bool(report.starts) and isinstance(report.starts[0], str)
    time = _quoted if dated else str  # ISO dates need no escaping; periods are integers
    rows = [
        f'{{"id": {task_id}, "name": {name}, "start": {start}, "finish": {finish},'
        f' "total_float": {total!r}, "critical": {"true" if critical else "false"}}}'
        for task_id, name, start, finish, total, critical in zip(
            map(encode_basestring, report.ids),
            map(encode_basestring, report.names),
            map(time, report.starts),
            map(time, report.finishes),
            report.total_floats,
            report.critical,
            strict=True,
        )
    ]
    head = {"finish": report.finish, "makespan": report.makespan, "critical_path": report.critical_path}
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "tasks": [' + ", ".join(rows) + "]}\n"


def _quoted(text: object) -> str:
    return f'"{text}"'


def render_csv(report: ScheduleReport) -> str:
    """CSV with a header row; a cell that a spreadsheet would run as a formula is quoted off."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for task_id, name, start, finish, total_float, critical in report.rows():
        cells = (task_id, name, start, finish, total_float, "true" if critical else "false")
        writer.writerow([neutralise(str(cell)) for cell in cells])
    return buffer.getvalue()


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell beginning = + - @ TAB or CR, unless it is a plain negative number."""
    if cell.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def render_table(report: ScheduleReport) -> str:
    """Aligned columns, numbers to the right; then the finish, makespan and critical path."""
    header = ("id", "name", "start", "finish", "total float", "critical")
    rows = [
        (
            _printable(task_id),
            _printable(name),
            str(start),
            str(finish),
            str(total),
            "yes" if critical else "",
        )
        for task_id, name, start, finish, total, critical in report.rows()
    ]
    widths = [max([len(header[n]), *(len(row[n]) for row in rows)]) for n in range(len(header))]
    right = {2, 3, 4} if report.unit == "periods" else {4}
    lines = [_aligned(header, widths, right), _aligned(tuple("-" * w for w in widths), widths, right)]
    lines += [_aligned(row, widths, right) for row in rows]
    path = " → ".join(_printable(task_id) for task_id in report.critical_path)
    lines += [
        "",
        f"finish: {report.finish}",
        f"makespan: {report.makespan} {report.unit}",
        f"critical path: {path or '(none)'}",
    ]
    return "\n".join(lines) + "\n"


def _aligned(row: tuple[str, ...], widths: list[int], right: set[int]) -> str:
    cells = [
        cell.rjust(width) if n in right else cell.ljust(width)
        for n, (cell, width) in enumerate(zip(row, widths, strict=True))
    ]
    return "  ".join(cells).rstrip()


def _printable(text: str) -> str:
    """Control characters (a newline, a terminal escape) would break the table or the terminal."""
    return text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)
