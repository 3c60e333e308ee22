"""Task and Link objects read into NetworkArrays, the form the engine schedules.

Each field of all the objects is read with one `map` over a C-level getter (the links' ends
with list comprehensions, faster there), and task ids are looked up in one dictionary: with a
hundred thousand tasks and three hundred thousand links,
per-object Python code would cost several times what scheduling does. Each object checked
itself when it was made; what needs the whole project in view (duplicate ids, references to
tasks that do not exist) is checked here, with the same messages as ever.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import attrgetter

import numpy as np

from itpm.engine.arrays import MISSING, TOP_LEVEL, NetworkArrays, TaskExtras
from itpm.engine.errors import DUPLICATE_TASK, UNKNOWN_CALENDAR, UNKNOWN_TASK, EngineError
from itpm.engine.model import CONSTRAINT_TYPES, Link, Task

_ID, _DURATION, _PARENT, _EXTRAS = (attrgetter(name) for name in ("id", "duration", "parent", "extras"))
_PACKED = attrgetter("packed")
_CALENDAR = attrgetter("calendar")


def read_objects(
    tasks: Sequence[Task], links: Sequence[Link], calendars: Sequence[str] = ()
) -> tuple[NetworkArrays, tuple[str, ...], dict[str, int]]:
    """The arrays, the task ids, and the index of each id; `calendars` names the calendars
    tasks may work on (Timetable.names)."""
    ids = tuple(map(_ID, tasks))
    index = _index_tasks(ids)
    durations = np.fromiter(map(_DURATION, tasks), dtype=np.int64, count=len(tasks))
    parent = _parents(tasks, index)
    predecessor, successor = _ends(links, index)
    packed = np.fromiter(map(_PACKED, links), dtype=np.int64, count=len(links))
    arrays = NetworkArrays(
        durations=durations,
        link_predecessor=predecessor,
        link_successor=successor,
        link_type=packed & 3,
        link_lag=packed >> 3,
        link_lag_percent=_lag_percents(links, packed),
        parent=parent,
        ids=ids,
        extras=_extras(tasks, index),
        task_calendar=_calendars(tasks, calendars),
    )
    return arrays, ids, index


def _calendars(tasks: Sequence[Task], names: Sequence[str]) -> np.ndarray | None:
    """Per task, the index of its calendar in `names`, or -1 for the project's; E014 names a
    task whose calendar is not among them."""
    given = list(map(_CALENDAR, tasks))
    if not any(given):
        return None
    number = {name: n for n, name in enumerate(names)}
    for task, name in zip(tasks, given, strict=True):
        if name is not None and name not in number:
            message = f"task {task.id!r} works on calendar {name!r}, which is not given"
            raise EngineError(UNKNOWN_CALENDAR, message, (task.id,))
    return np.array([-1 if name is None else number[name] for name in given], dtype=np.int64)


def _index_tasks(ids: tuple[str, ...]) -> dict[str, int]:
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) < len(ids):
        seen: set[str] = set()
        for task_id in ids:
            if task_id in seen:
                raise EngineError(DUPLICATE_TASK, f"task id {task_id!r} is used twice", (task_id,))
            seen.add(task_id)
    return index


def _find(index: dict[str, int], task_id: str, where: str) -> int:
    if task_id not in index:
        raise EngineError(UNKNOWN_TASK, f"{where} names unknown task {task_id!r}", (task_id,))
    return index[task_id]


def _parents(tasks: Sequence[Task], index: dict[str, int]) -> np.ndarray | None:
    parents = list(map(_PARENT, tasks))
    if not any(parents):
        return None
    return np.array(
        [
            TOP_LEVEL if p is None else _find(index, p, f"task {task.id!r}")
            for task, p in zip(tasks, parents, strict=True)
        ],
        dtype=np.int64,
    )


def _ends(links: Sequence[Link], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Links as arrays of task indices; a reference to no task raises E002 for the first one."""
    try:  # list comprehensions: faster here than maps into np.fromiter
        predecessor = np.array([index[link.predecessor] for link in links], dtype=np.int64)
        successor = np.array([index[link.successor] for link in links], dtype=np.int64)
    except KeyError:
        for link in links:
            where = f"link {link.predecessor} → {link.successor}"
            _find(index, link.predecessor, where)
            _find(index, link.successor, where)
        raise
    return predecessor.reshape(-1), successor.reshape(-1)


def _lag_percents(links: Sequence[Link], packed: np.ndarray) -> np.ndarray | None:
    """NaN where the lag is in units, else the percentage: Link.packed flags these with 4."""
    flagged = np.flatnonzero(packed & 4)
    if not flagged.size:
        return None
    percent = np.full(len(links), np.nan)
    percent[flagged] = [links[number].lag_percent for number in flagged.tolist()]
    return percent


def _extras(tasks: Sequence[Task], index: dict[str, int]) -> TaskExtras | None:
    """Rows for the tasks with a constraint, deadline or progress: few, in a large plan."""
    special = list(compress(tasks, map(_EXTRAS, tasks)))
    return task_extras([index[task.id] for task in special], special)


def task_extras(places: Sequence[int], tasks: Sequence[Task]) -> TaskExtras | None:
    """What `tasks` say beyond their durations, as TaskExtras rows for the tasks at `places`:
    for a caller that checks a few tasks as Task objects and gives the rest as arrays."""
    if not tasks:
        return None

    def column(name: str) -> list[int]:
        return [MISSING if value is None else value for value in map(attrgetter(name), tasks)]

    return TaskExtras.of(
        list(places),
        constraint=[CONSTRAINT_TYPES.index(task.constraint) for task in tasks],
        constraint_date=column("constraint_date"),
        deadline=column("deadline"),
        actual_start=column("actual_start"),
        actual_finish=column("actual_finish"),
        remaining=column("remaining"),
        percent_complete=[float(task.percent_complete) for task in tasks],
        levelling_delay=[task.levelling_delay for task in tasks],
    )
