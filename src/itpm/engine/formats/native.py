"""itpm's native project file: JSON, `{"format": "itpm-project", "version": 1, ...}`.

Read with json and checked key by key: a problem names the JSON path of the value at fault
(`tasks[3].duration: must be >= 0, not -1`), or the line and column of a syntax error. Unknown
keys are errors, so a misspelt key is caught rather than silently ignored. docs/file-formats.md
describes every key.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import partial
from itertools import repeat
from typing import Any

import numpy as np

from itpm.engine.formats.errors import FormatError
from itpm.engine.formats.native_links import LinkReader, column
from itpm.engine.formats.project import (
    CONSTRAINT_TYPES,
    UNDATED_CONSTRAINTS,
    UNITS_PER_DAY,
    Constraint,
    Holiday,
    ProjectCalendar,
    ProjectFile,
    ProjectTask,
)
from itpm.engine.formats.values import MAX_DAYS, Values, finite, working_days

FORMAT_NAME = "itpm-project"
FORMAT_VERSION = 1

# Read by `itpm simulate` (native_simulation.py, which imports numba: not loaded from here).
SIMULATION_TASK_KEYS = ("optimistic", "most_likely", "pessimistic", "distribution", "category", "cost")
SIMULATION_TOP_KEYS = ("risks", "correlations")
# Read by `itpm schedule --level/--optimize` (native_levelling.py).
LEVELLING_TASK_KEYS = ("assignments", "can_level")
LEVELLING_TOP_KEYS = ("resources",)
_TOP_KEYS = (
    "format",
    "version",
    "project",
    "calendars",
    "tasks",
    "links",
    *SIMULATION_TOP_KEYS,
    *LEVELLING_TOP_KEYS,
)
_PROJECT_KEYS = ("name", "start", "finish", "status_date", "calendar")
_CALENDAR_KEYS = ("working_week", "hours_per_day", "holidays")
_HOLIDAY_KEYS = ("start", "finish", "name")
_TASK_KEYS = (
    "id",
    "name",
    "duration",
    "milestone",
    "parent",
    "constraint",
    "deadline",
    "actual_start",
    "actual_finish",
    "percent_complete",
    "remaining",
    "calendar",
    *SIMULATION_TASK_KEYS,
    *LEVELLING_TASK_KEYS,
)
_PLAIN_TASK_KEYS = frozenset(("id", "name", "duration", "milestone", "parent"))
_CONSTRAINT_KEYS = ("type", "date")


def parse_project(text: str, source: str) -> ProjectFile:
    """Read a native project file's text; raise FormatError at the first problem."""
    document = _load(text, source)
    values = Values(source)
    top = values.mapping(document, "", _TOP_KEYS, required=("format", "version", "project", "tasks"))
    if top["format"] != FORMAT_NAME:
        values.fail("format", f"must be {FORMAT_NAME!r}, not {top['format']!r}")
    if top["version"] != FORMAT_VERSION or isinstance(top["version"], bool):
        values.fail(
            "version", f"{top['version']!r} is not a version this itpm reads; it reads {FORMAT_VERSION}"
        )
    header = _Header.read(values, top["project"])
    calendars = _calendars(values, top.get("calendars", {}))
    tasks = _Tasks(values, header.start)
    tasks.add_all(values.sequence(top["tasks"], "tasks"))
    tasks.check_hierarchy()
    tasks.check_calendars(calendars)
    links = LinkReader(values, tasks.index)
    links.add_all(values.sequence(top.get("links", []), "links"))
    return ProjectFile(
        name=header.name,
        start=header.start,
        calendar=header.calendar,
        tasks=tuple(tasks.tasks),
        links=links.columns(list(tasks.index)),
        finish=header.finish,
        status_date=header.status_date,
        calendars=calendars,
    )


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=finite)
    except json.JSONDecodeError as error:
        raise FormatError(
            source, f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except ValueError as error:  # NaN or Infinity, which json reads unless told not to
        raise FormatError(source, f"not valid JSON: {error}") from None
    except RecursionError:
        raise FormatError(source, "not valid JSON: nested too deeply") from None


class _Header:
    """The `project` object: name, dates and calendar."""

    def __init__(self, name: str, start: dt.date, calendar: ProjectCalendar) -> None:
        self.name, self.start, self.calendar = name, start, calendar
        self.finish: dt.date | None = None
        self.status_date: dt.date | None = None

    @classmethod
    def read(cls, values: Values, value: object) -> _Header:
        fields = values.mapping(value, "project", _PROJECT_KEYS, required=("start",))
        start = values.date(fields["start"], "project.start")
        name = values.text(fields.get("name", ""), "project.name")
        header = cls(name, start, _calendar(values, fields.get("calendar", {})))
        for key in ("finish", "status_date"):
            if key in fields:
                setattr(header, key, _later_date(values, fields[key], f"project.{key}", start))
        return header


def _later_date(values: Values, value: object, path: str, start: dt.date) -> dt.date:
    """A date within the project's reach: from its start to a hundred years on."""
    day = values.date(value, path)
    if day < start:
        values.fail(path, f"{day} is before the project start {start}")
    if (day - start).days > MAX_DAYS:
        values.fail(path, f"{day} is more than {MAX_DAYS} days after the project start {start}")
    return day


def _calendars(values: Values, value: object) -> dict[str, ProjectCalendar]:
    """The `calendars` object: calendars tasks may work on instead of the project's, by name."""
    if not isinstance(value, dict):
        values.fail("calendars", f"must be an object of calendars by name, not {type(value).__name__}")
    found = {}
    for name, calendar in value.items():
        if not name.strip():
            values.fail("calendars", "a calendar needs a name that is not blank")
        found[name] = _calendar(values, calendar, f"calendars.{name}")
    return found


def _calendar(values: Values, value: object, path: str = "project.calendar") -> ProjectCalendar:
    fields = values.mapping(value, path, _CALENDAR_KEYS)
    default = ProjectCalendar()
    week = default.working_week
    if "working_week" in fields:
        week = _working_week(values, fields["working_week"], f"{path}.working_week")
    hours = default.hours_per_day
    if "hours_per_day" in fields:
        hours = Decimal(values.number(fields["hours_per_day"], f"{path}.hours_per_day", high=24))
        if hours <= 0:
            values.fail(f"{path}.hours_per_day", f"must be more than 0, not {hours}")
    listed = values.sequence(fields.get("holidays", []), f"{path}.holidays")
    holidays = tuple(_holiday(values, item, f"{path}.holidays[{n}]") for n, item in enumerate(listed))
    return ProjectCalendar(week, hours, holidays)


def _working_week(values: Values, value: object, path: str) -> tuple[int, ...]:
    days = values.sequence(value, path)
    if not days:
        values.fail(path, "needs at least one working day (1 is Monday, 7 is Sunday)")
    for number, day in enumerate(days):
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            values.fail(f"{path}[{number}]", f"must be a weekday from 1 (Monday) to 7 (Sunday), not {day!r}")
        if day in days[:number]:
            values.fail(f"{path}[{number}]", f"weekday {day} is listed twice")
    return tuple(sorted(days))


def _holiday(values: Values, value: object, path: str) -> Holiday:
    if isinstance(value, str):
        day = values.date(value, path)
        return Holiday(day, day)
    fields = values.mapping(value, path, _HOLIDAY_KEYS, required=("start",))
    start = values.date(fields["start"], f"{path}.start")
    finish = values.date(fields.get("finish", fields["start"]), f"{path}.finish")
    if finish < start:
        values.fail(f"{path}.finish", f"{finish} is before the holiday's start {start}")
    if (finish - start).days > MAX_DAYS:
        values.fail(f"{path}.finish", f"a holiday of more than {MAX_DAYS} days is a typing mistake")
    return Holiday(start, finish, values.text(fields.get("name", ""), f"{path}.name"))


class _Tasks:
    """Collects tasks, checking each on its own; parents are checked once all ids are known."""

    def __init__(self, values: Values, start: dt.date) -> None:
        self.values = values
        self.start = start
        self.tasks: list[ProjectTask] = []
        self.index: dict[str, int] = {}  # task id: its place in the file
        self.without_duration: list[int] = []  # places of tasks with neither duration nor milestone

    def add_all(self, items: list[Any]) -> None:
        """Add every task: a file of plain tasks (id, name, a whole number of days, milestone,
        parent) a column at a time; any other task by task."""
        if self.add_columns(items):
            return
        for number, item in enumerate(items):
            if not self.add_plain(item):
                self.add(item, f"tasks[{number}]")

    def add_columns(self, items: list[Any]) -> bool:
        """Each key of all the tasks at once, with C-level maps; False if any task is not plain."""
        if not set(map(type, items)) <= {dict} or not all(map(_PLAIN_TASK_KEYS.issuperset, items)):
            return False
        ids, names = column(items, "id"), column(items, "name", "")
        durations, parents = column(items, "duration"), column(items, "parent")
        milestones = column(items, "milestone", False)
        if (
            not set(map(type, ids)) <= {str}
            or not all(map(str.strip, ids))
            or not set(map(type, names)) <= {str}
            or not set(map(type, durations)) <= {int}
            or not set(map(type, milestones)) <= {bool}
            or not set(map(type, parents)) <= {str, type(None)}
        ):
            return False
        days = np.array(durations, dtype=np.int64) if durations else np.zeros(0, dtype=np.int64)
        if days.size and (int(days.min()) < 0 or int(days.max()) > MAX_DAYS):
            return False
        index = dict(zip(ids, range(len(ids)), strict=True))
        if len(index) < len(ids):  # an id used twice: add names the task
            return False
        self.index = index
        days *= UNITS_PER_DAY
        # tuple.__new__ runs in C; ProjectTask's own __new__ would be a Python call per task.
        none = repeat(None)  # the fields a plain task leaves unset, endlessly: zip stops at ids
        fields = zip(ids, names, days.tolist(), milestones, parents, *(none,) * 7, strict=False)
        self.tasks = list(map(partial(tuple.__new__, ProjectTask), fields))
        return True

    def add_plain(self, item: object) -> bool:
        """Add the common task, id, name and a whole number of days, checked in a few steps.

        Anything else, or anything wrong, is left to `add`, which checks each key on its own
        and names the first fault: a large file of plain tasks reads several times faster.
        """
        if type(item) is not dict or not item.keys() <= _PLAIN_TASK_KEYS:
            return False
        task_id, name, duration = item.get("id"), item.get("name", ""), item.get("duration")
        parent, milestone = item.get("parent"), item.get("milestone", False)
        if (
            type(task_id) is not str
            or not task_id.strip()
            or task_id in self.index
            or type(name) is not str
            or type(duration) is not int
            or not 0 <= duration <= MAX_DAYS
            or (parent is not None and type(parent) is not str)
            or type(milestone) is not bool
        ):
            return False
        self.index[task_id] = len(self.tasks)
        self.tasks.append(ProjectTask(task_id, name, duration * UNITS_PER_DAY, milestone, parent))
        return True

    def add(self, value: object, path: str) -> None:
        values = self.values
        fields = values.mapping(value, path, _TASK_KEYS, required=("id",))
        task_id = values.identifier(fields["id"], f"{path}.id")
        if task_id in self.index:
            values.fail(f"{path}.id", f"{task_id!r} is already the id of tasks[{self.index[task_id]}]")
        self.index[task_id] = len(self.tasks)
        milestone = values.flag(fields.get("milestone", False), f"{path}.milestone")
        if "duration" not in fields and not milestone:
            self.without_duration.append(len(self.tasks))
        duration = working_days(values, fields.get("duration", 0), f"{path}.duration")
        parent = fields.get("parent")
        self.tasks.append(
            ProjectTask(
                id=task_id,
                name=values.text(fields.get("name", ""), f"{path}.name"),
                duration=duration,
                milestone=milestone,
                parent=None if parent is None else values.identifier(parent, f"{path}.parent"),
                **self.plan_and_progress(fields, path),
                calendar=None
                if fields.get("calendar") is None
                else values.identifier(fields["calendar"], f"{path}.calendar"),
            )
        )

    def plan_and_progress(self, fields: dict[str, Any], path: str) -> dict[str, Any]:
        """Constraint, deadline and progress: each optional, so read only when present."""
        found: dict[str, Any] = {}
        if "constraint" in fields:
            found["constraint"] = self.constraint(fields["constraint"], f"{path}.constraint")
        for key in ("deadline", "actual_start", "actual_finish"):
            if fields.get(key) is not None:
                found[key] = _later_date(self.values, fields[key], f"{path}.{key}", self.start)
        if "actual_finish" in found and found.get("actual_start", dt.date.max) > found["actual_finish"]:
            problem = "needs an actual_start on or before it"
            self.values.fail(f"{path}.actual_finish", problem)
        if fields.get("percent_complete") is not None:
            share = self.values.number(fields["percent_complete"], f"{path}.percent_complete", 0, 100)
            found["percent_complete"] = Decimal(share)
        if fields.get("remaining") is not None:
            found["remaining"] = working_days(self.values, fields["remaining"], f"{path}.remaining")
        return found

    def constraint(self, value: object, path: str) -> Constraint:
        fields = self.values.mapping(value, path, _CONSTRAINT_KEYS, required=("type",))
        kind = self.values.choice(fields["type"], f"{path}.type", CONSTRAINT_TYPES)
        if kind in UNDATED_CONSTRAINTS:
            if fields.get("date") is not None:
                self.values.fail(f"{path}.date", f"a {kind} constraint takes no date")
            return Constraint(kind)
        if fields.get("date") is None:
            self.values.fail(f"{path}.date", f"a {kind} constraint needs a date")
        return Constraint(kind, _later_date(self.values, fields["date"], f"{path}.date", self.start))

    def check_calendars(self, calendars: dict[str, ProjectCalendar]) -> None:
        """Each calendar a task names is one of the file's `calendars`."""
        for number, task in enumerate(self.tasks):
            if task.calendar is not None and task.calendar not in calendars:
                known = ", ".join(map(repr, calendars)) or "none"
                message = f"no calendar is named {task.calendar!r} in calendars (there are: {known})"
                self.values.fail(f"tasks[{number}].calendar", message)

    def check_hierarchy(self) -> None:
        """Each parent exists; a task without a duration must be a summary (it has children)."""
        for number, task in enumerate(self.tasks):
            if task.parent is None:
                continue
            if task.parent not in self.index:
                self.values.fail(f"tasks[{number}].parent", f"no task has the id {task.parent!r}")
            if task.parent == task.id:
                self.values.fail(f"tasks[{number}].parent", "a task cannot be its own parent")
        parents = {task.parent for task in self.tasks}
        for number in self.without_duration:
            if self.tasks[number].id not in parents:
                message = "is required: working days, or 0 with milestone: true (only summaries have none)"
                self.values.fail(f"tasks[{number}].duration", message)
