"""Progress as a project team would have reported it by a status date: pure, seeded, no ORM.

Work scheduled to finish before the status date is done (a share of it a few days late), work
running across the status date is partly done at the project's pace, later work not started.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from itpm.demo.spec import ProgressSpec

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Planned:
    key: int
    start: dt.date | None
    finish: dt.date | None
    duration_days: Decimal
    is_milestone: bool
    latest_finish: dt.date | None = None  # a late finish must not overtake a successor


@dataclass(frozen=True)
class Reported:
    percent_complete: int
    actual_start: dt.date | None
    actual_finish: dt.date | None
    remaining_days: Decimal | None


NOT_STARTED = Reported(0, None, None, None)


def weekdays_between(first: dt.date, last: dt.date) -> int:
    return int(np.busday_count(first, last))


def report(tasks: Sequence[Planned], spec: ProgressSpec, rng: random.Random) -> dict[int, Reported]:
    """Leaf tasks' progress at spec.status_date; tasks not started are left out."""
    if spec.status_date is None:
        return {}
    status = _reached(spec.status_date, spec.behind_days)
    reported: dict[int, Reported] = {}
    for task in tasks:
        if task.start is None or task.finish is None or task.start >= status:
            continue
        if task.finish < status:
            reported[task.key] = _done(task, status, spec, rng)
        else:
            reported[task.key] = _running(task, status, spec)
    return reported


def _reached(status: dt.date, behind_days: int) -> dt.date:
    """The day the plan had got to by the status date: earlier when the project runs behind."""
    if not behind_days:
        return status
    return np.busday_offset(status, -behind_days, roll="backward").astype(dt.date)


def _done(task: Planned, status: dt.date, spec: ProgressSpec, rng: random.Random) -> Reported:
    assert task.start is not None and task.finish is not None
    finish = task.finish
    if not task.is_milestone and rng.random() < spec.late_share:
        late = np.busday_offset(finish, rng.randint(1, 3), roll="forward").astype(dt.date)
        limits = [late, status - dt.timedelta(days=1)]
        limits += [task.latest_finish] if task.latest_finish else []
        weekday = np.busday_offset(min(limits), 0, roll="backward").astype(dt.date)
        finish = max(weekday, task.finish)
    return Reported(100, task.start, finish, Decimal(0))


def _running(task: Planned, status: dt.date, spec: ProgressSpec) -> Reported:
    assert task.start is not None
    elapsed = weekdays_between(task.start, status)
    share = elapsed / max(float(task.duration_days), 1.0) * spec.pace
    percent = min(95, max(5, round(share * 20) * 5))
    remaining = (task.duration_days * (100 - percent) / 100).quantize(TWO_PLACES)
    return Reported(percent, task.start, None, remaining)


def roll_up(
    parents: Mapping[int, int | None],
    leaves: Mapping[int, Reported],
    weights: Mapping[int, Decimal],
) -> dict[int, Reported]:
    """Summary progress from its leaves: percent weighted by duration, earliest actual start,
    and an actual finish only when every leaf is done."""
    below: dict[int, list[int]] = {}
    for leaf in weights:
        parent = parents.get(leaf)
        while parent is not None:
            below.setdefault(parent, []).append(leaf)
            parent = parents.get(parent)
    return {summary: _summarise(keys, leaves, weights) for summary, keys in below.items()}


def _summarise(keys: list[int], leaves: Mapping[int, Reported], weights: Mapping[int, Decimal]) -> Reported:
    states = [leaves.get(k, NOT_STARTED) for k in keys]
    total = sum((weights[k] for k in keys), Decimal(0))
    if total:
        done = sum((weights[k] * s.percent_complete for k, s in zip(keys, states, strict=True)), Decimal(0))
        percent = int((done / total).to_integral_value())
    else:
        percent = round(sum(s.percent_complete for s in states) / len(states))
    starts = [s.actual_start for s in states if s.actual_start is not None]
    finished = all(s.actual_finish is not None for s in states)
    finish = max(s.actual_finish for s in states if s.actual_finish is not None) if finished else None
    return Reported(percent, min(starts) if starts else None, finish, None)
