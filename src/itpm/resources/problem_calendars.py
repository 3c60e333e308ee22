"""Each resource's own calendar as capacity runs on the levelling grid.

The grid's periods are the working days of one calendar (the focus project's). A person may be
away on some of them: a holiday of their own country, leave (an exception on their calendar),
the exceptions on their calendar. On a stretch of at least LEAVE_DAYS such working days the
engine Resource gets 0 units (a `calendar` run), so levelling never plans their work there;
shorter gaps (a public holiday) are left to the scheduler, which stretches a task over them. A
resource without a calendar works the grid's days, as the scheduler counts it
(planning/task_calendars.py).

A working week of fewer days than the project's (Monday to Wednesday) is not made into runs:
levelling does not split a task, so a task longer than the person's week could never start
within it. Part-time is the resource's units (0.6 for three days in five), as the heat map reads
it; the scheduler still stretches such a task over the person's own days.

The scheduler lets a task span its people's leave (it works on their calendars); levelling
does not split a task, so a task that would span a leave waits until after it. A task's
levelling delay is stored in its own working days (the scheduler counts it on the task's
calendar, the intersection of its people's), so the days its people are away are left out.

Runs are laid out up to a horizon: after it the resource has its full capacity again. The
horizon is twice the longest the plan could take without leave, plus a year, and at most ten
years of working days, so a weekly pattern does not make thousands of runs for a short plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from itpm.engine import Activity, Link, WorkCalendar
from itpm.resources.models import Resource as ResourceRow
from itpm.resources.workdays import Window

Run = tuple[int, int, float]
# Fewer working days off in a row than this (a public holiday, a long weekend) do not stop a task:
# the scheduler stretches the task over them. Levelling cannot split a task, so making every
# holiday a gap would hold each long task until a stretch without one (months, on the demo).
LEAVE_DAYS = 3
YEAR_OF_PERIODS = 260
MOST_PERIODS = 10 * YEAR_OF_PERIODS


def horizon(activities: Sequence[Activity], links: Iterable[Link]) -> int:
    """Periods worth laying out: twice a serial plan of everything, plus a year, capped."""
    serial = max((a.release for a in activities), default=0) + sum(a.duration for a in activities)
    serial += sum(max(link.lag, 0) for link in links)
    return min(2 * serial + YEAR_OF_PERIODS, MOST_PERIODS)


def period_dates(grid: WorkCalendar, periods: int) -> npt.NDArray[np.datetime64]:
    """The date of each of the first `periods` periods (working days of the grid)."""
    while len(grid.working_dates) < periods:
        grid.grow()
    return grid.working_dates[:periods]


def away_runs(at_work: npt.NDArray[np.bool_], units: float) -> tuple[Run, ...]:
    """Runs (start, finish, units) of the periods the resource is not at work, at `units`."""
    edges = np.diff(np.concatenate(([0], (~at_work).astype(np.int8), [0])))
    starts, finishes = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return tuple((int(s), int(f), units) for s, f in zip(starts, finishes, strict=True))


def capacity_runs(
    rows: Iterable[ResourceRow], grid: WorkCalendar, periods: int
) -> dict[int, tuple[Run, ...]]:
    """For each resource (by primary key), the runs of grid periods on which it is away."""
    people = list(rows)
    dates = period_dates(grid, periods)
    if not people or not len(dates):
        return {row.pk: () for row in people}
    first: dt.date = dates[0].item()
    last: dt.date = dates[-1].item()
    window = Window(first, last + dt.timedelta(days=1), {row.calendar_id for row in people})
    offsets = (dates - np.datetime64(first, "D")).astype(np.int64)
    return {row.pk: _leave_runs(window, row, offsets) for row in people}


def _leave_runs(window: Window, row: ResourceRow, offsets: npt.NDArray[np.int64]) -> tuple[Run, ...]:
    if row.calendar is None:
        return ()
    return away_runs(~window.days_off(row.calendar.pk, row.calendar.working_week)[offsets], 0.0)


def leave(runs: Iterable[Run]) -> tuple[Run, ...]:
    """The runs long enough to be leave, which levelling plans around."""
    return tuple(run for run in runs if run[1] - run[0] >= LEAVE_DAYS)


def away_between(runs: Iterable[Run], start: int, finish: int, need: float) -> list[tuple[int, int]]:
    """The parts of the runs within [start, finish) that leave less than `need` units."""
    return [
        (max(s, start), min(f, finish)) for s, f, units in runs if units < need and s < finish and f > start
    ]


def days_at_work(calendars: Iterable[Sequence[Run]], start: int, finish: int) -> int:
    """Periods in [start, finish) on which none of the calendars has a run at 0 units."""
    if finish <= start:
        return finish - start
    away = np.zeros(finish - start, dtype=bool)
    for runs in calendars:
        for s, f, units in runs:
            if units <= 0 and s < finish and f > start:
                away[max(s, start) - start : min(f, finish) - start] = True
    return int((~away).sum())
