"""Helpers shared by the project generators."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from itpm.demo.wbs import After, WbsBuilder, Who

OUT_OF_HOURS = (
    "Out of hours: Friday 19:00 to Sunday 18:00, run by the operations bridge on the 24x7 "
    "operations calendar; the date shown is the working day the window is booked against."
)


def project_rng(code: str) -> random.Random:
    """One generator per project, seeded by its code: adding a project never reshuffles another."""
    return random.Random(f"itpm-demo/{code}")


def weeks_from(anchor: dt.date, weeks: int) -> dt.date:
    return anchor + dt.timedelta(weeks=weeks)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def vary(rng: random.Random, days: int, spread: float = 0.25) -> int:
    """An estimate near `days`: planners rarely give two work packages the same duration."""
    low, high = max(1, round(days * (1 - spread))), max(1, round(days * (1 + spread)))
    return rng.randint(low, high)


def chain(
    b: WbsBuilder,
    steps: Sequence[tuple[str, int]],
    who: Who = (),
    after: After = (),
    priority: int = 500,
) -> list[str]:
    """Tasks done one after the other by the same people; the first waits for `after`."""
    keys: list[str] = []
    for name, days in steps:
        keys.append(b.task(name, days, who=who, after=keys[-1] if keys else after, priority=priority))
    return keys
