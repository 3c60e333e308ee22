"""TaskJuggler 3: a project written as a `.tjp` file, and tj3's CSV task report read back.

Used to cross-check the engine against tj3 on the same network and calendar. TaskJuggler knows
only links that hold back a task's start (`depends`, from the predecessor's start with `onstart`
or from its end), with a non-negative gap of working time (`gaplength`). FS and SS map directly.
FF and SF hold back the successor's finish; with fixed durations, the finish bound
`finish(B) >= anchor + lag` is the start bound `start(B) >= anchor + lag - duration(B)`, which is
written when its gap is not negative (from the predecessor's start if need be). Anything
TaskJuggler cannot say (a negative gap, a lead, a percentage lag, a constraint) raises
NotExpressible instead of being written wrong.

A task on a calendar of its own is written as effort for a resource of its own that works that
calendar's week and takes its holidays as leave: TaskJuggler then schedules it on the
resource's working time, as itpm schedules it on the task's calendar. TaskJuggler counts a
gap in the project's working time, itpm a lag in the successor's calendar, so a link into
such a task must be FS or SS without lag; and TaskJuggler's project holidays stop every
resource, so each such calendar must take them too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from itpm.engine.formats.project import UNITS_PER_DAY, ProjectFile, ProjectLink, ProjectTask

DAY_STARTS_AT = 9  # o'clock: working hours are DAY_STARTS_AT to DAY_STARTS_AT + hours_per_day
TIME_FORMAT = "%Y-%m-%d-%H:%M"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class NotExpressible(ValueError):
    """The project uses something TaskJuggler 3 cannot express the same way."""


@dataclass(frozen=True)
class Gap:
    """A TaskJuggler dependency: the successor starts `units` after the predecessor's start or end."""

    on_end: bool
    units: int


def gap_of(link: ProjectLink, durations: dict[str, int], calendared: frozenset[str] = frozenset()) -> Gap:
    """The start-to-start or end-to-start gap that says what `link` says; `calendared` are the
    tasks on calendars of their own, whose span is not their duration in the project's time."""
    if link.successor in calendared and (link.type[1] == "F" or link.lag or link.lag_percent is not None):
        raise NotExpressible(f"{link.type} {link.predecessor} → {link.successor}: lag into a task calendar")
    if link.lag_percent is not None or link.lag < 0:
        raise NotExpressible(f"{link.predecessor} → {link.successor}: TaskJuggler has no leads or % lags")
    predecessor, successor = durations[link.predecessor], durations[link.successor]
    on_end = link.type[0] == "F"
    units = link.lag - (successor if link.type[1] == "F" else 0)
    if units < 0 and on_end:  # from the end is from the start, one predecessor duration later
        if link.predecessor in calendared:
            raise NotExpressible(f"{link.type} {link.predecessor} → {link.successor} needs a negative gap")
        on_end, units = False, units + predecessor
    if units < 0:
        raise NotExpressible(f"{link.type} {link.predecessor} → {link.successor} needs a negative gap")
    return Gap(on_end, units)


def to_tjp(project: ProjectFile, report: str = "schedule", horizon_days: int = 3660) -> str:
    """The project as a `.tjp` file whose CSV report `report`.csv lists each task's start and end."""
    if any(task.constraint or task.actual_start or task.remaining is not None for task in project.tasks):
        raise NotExpressible("constraints and progress are not written for TaskJuggler")
    writer = _Writer(project)
    lines = [
        *writer.header(horizon_days),
        *writer.leaves(),
        *writer.resources(),
        *writer.tasks(),
        *_report(report),
    ]
    return "\n".join(lines) + "\n"


class _Writer:
    def __init__(self, project: ProjectFile) -> None:
        self.project = project
        self.children: dict[str | None, list[ProjectTask]] = {}
        for task in project.tasks:
            self.children.setdefault(task.parent, []).append(task)
        self.names = {task.id: f"t{number}" for number, task in enumerate(project.tasks)}
        self.by_id = {task.id: task for task in project.tasks}
        self.durations = {task.id: task.duration for task in project.tasks}
        self.links: dict[str, list[ProjectLink]] = {}
        for link in project.links:
            self.links.setdefault(link.successor, []).append(link)
        self.calendared = frozenset(task.id for task in project.tasks if task.calendar)

    def header(self, horizon_days: int) -> list[str]:
        calendar = self.project.calendar
        hours = calendar.hours_per_day
        if hours != int(hours) or DAY_STARTS_AT + hours > 24:
            raise NotExpressible(f"hours_per_day {hours}: whole hours up to {24 - DAY_STARTS_AT} only")
        working = ", ".join(_WEEKDAYS[day - 1] for day in calendar.working_week)
        off = [_WEEKDAYS[day - 1] for day in range(1, 8) if day not in calendar.working_week]
        lines = [
            f'project itpm "{_quoted(self.project.name or "itpm")}" {self.project.start} +{horizon_days}d {{',
            '  timezone "UTC"',
            f"  dailyworkinghours {int(hours)}",
            f"  workinghours {working} {DAY_STARTS_AT}:00 - {DAY_STARTS_AT + int(hours)}:00",
        ]
        if off:
            lines.append(f"  workinghours {', '.join(off)} off")
        return [*lines, "}"]

    def leaves(self) -> list[str]:
        days = sorted({day for holiday in self.project.calendar.holidays for day in holiday.days()})
        return [f'leaves holiday "holiday" {day}' for day in days]

    def resources(self) -> list[str]:
        """A resource for each task on a calendar of its own, working that calendar."""
        hours = int(self.project.calendar.hours_per_day)
        project_days = {day for holiday in self.project.calendar.holidays for day in holiday.days()}
        lines = []
        for task in self.project.tasks:
            if not task.calendar:
                continue
            calendar = self.project.calendars[task.calendar]
            days = {day for holiday in calendar.holidays for day in holiday.days()}
            if not project_days <= days:
                raise NotExpressible(f"calendar {task.calendar!r} works a project holiday")
            working = ", ".join(_WEEKDAYS[day - 1] for day in calendar.working_week)
            off = [_WEEKDAYS[day - 1] for day in range(1, 8) if day not in calendar.working_week]
            lines.append(f'resource r{self.names[task.id]} "{_quoted(task.calendar)}" {{')
            lines.append(f"  workinghours {working} {DAY_STARTS_AT}:00 - {DAY_STARTS_AT + hours}:00")
            if off:
                lines.append(f"  workinghours {', '.join(off)} off")
            lines += [f"  leaves annual {day} +1d" for day in sorted(days - project_days)]
            lines.append("}")
        return lines

    def tasks(self, parent: str | None = None, depth: int = 0) -> list[str]:
        lines: list[str] = []
        indent = "  " * depth
        for task in self.children.get(parent, []):
            lines.append(f'{indent}task {self.names[task.id]} "{_quoted(task.name or task.id)}" {{')
            lines += [f"{indent}  {line}" for line in self.body(task)]
            lines += self.tasks(task.id, depth + 1)
            lines.append(f"{indent}}}")
        return lines

    def body(self, task: ProjectTask) -> list[str]:
        lines = []
        links = self.links.get(task.id, [])
        if links:
            lines.append("depends " + ", ".join(self.dependency(link) for link in links))
        elif task.parent is None:
            lines.append("start ${projectstart}")
        if task.id in self.children:
            return lines
        if task.duration == 0:
            return [*lines, "milestone"]
        if task.calendar:
            return [*lines, f"effort {_days(task.duration)}d", f"allocate r{self.names[task.id]}"]
        return [*lines, f"length {_days(task.duration)}d"]

    def dependency(self, link: ProjectLink) -> str:
        if link.type in ("FF", "SF") and (
            link.predecessor in self.children or link.successor in self.children
        ):
            raise NotExpressible(f"{link.type} {link.predecessor} → {link.successor} touches a summary")
        gap = gap_of(link, self.durations, self.calendared)
        options = [] if gap.on_end else ["onstart"]
        if gap.units:
            options.append(f"gaplength {_days(gap.units)}d")
        target = self.absolute(link.predecessor)  # the names are unique, so no scope is needed
        return f"{target} {{ {' '.join(options)} }}" if options else target

    def absolute(self, task_id: str) -> str:
        parts = []
        current: str | None = task_id
        while current is not None:
            parts.append(self.names[current])
            current = self.by_id[current].parent
        return ".".join(reversed(parts))


def _report(name: str) -> list[str]:
    return [
        f'taskreport {name} "{name}" {{',
        "  formats csv",
        "  columns id, start, end",
        f'  timeformat "{TIME_FORMAT}"',
        "  hidetask 0",
        "}",
    ]


def _days(units: int) -> str:
    return str(Decimal(units) / UNITS_PER_DAY)


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def read_report(text: str, project: ProjectFile) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """tj3's CSV report (`;`-separated): start and end per itpm task id."""
    ids = {f"t{number}": task.id for number, task in enumerate(project.tasks)}
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    found = {}
    for row in rows[1:]:
        if not row:
            continue
        local = row[0].rsplit(".", 1)[-1]
        start, end = (dt.datetime.strptime(cell, TIME_FORMAT) for cell in row[1:3])
        found[ids[local]] = (start, end)
    return found


def working_units(instant: dt.datetime, project: ProjectFile) -> Fraction:
    """Working time from the project start to `instant`, in engine units, on TaskJuggler's hours."""
    calendar = project.calendar
    hours = Fraction(calendar.hours_per_day)
    holidays = {day for holiday in calendar.holidays for day in holiday.days()}

    def working(day: dt.date) -> bool:
        return day.isoweekday() in calendar.working_week and day not in holidays

    day, whole_days = project.start, 0
    while day < instant.date():
        whole_days += working(day)
        day += dt.timedelta(days=1)
    into_day = Fraction(instant.hour * 60 + instant.minute, 60) - DAY_STARTS_AT
    today = min(max(into_day, Fraction(0)), hours) if working(day) else Fraction(0)
    return (whole_days + today / hours) * UNITS_PER_DAY
