"""What the Gantt draws, as plain data: rows, links, actions and the chart around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from itpm.web.timescale import (
    Axis,
    WorkingTime,
)


@dataclass(frozen=True)
class Action:
    """A link in the chart: an address that works without JavaScript, and the HTMX request to use."""

    href: str
    label: str
    hx_get: str | None = None
    hx_target: str | None = None
    hx_swap: str | None = None
    push_url: bool = False


@dataclass(frozen=True)
class DateMark:
    """A dated constraint on a task: drawn as a bracket at its date, opening toward where the task
    may go (right for "no earlier than", left for "no later than", both ways for "must")."""

    kind: str  # SNET, SNLT, FNET, FNLT, MSO, MFO
    day: dt.date
    label: str  # for the tooltip: "Start no earlier than 2 Mar 2026"


@dataclass(frozen=True)
class Row:
    id: int
    wbs: str
    name: str
    start: dt.date | None
    finish: dt.date | None
    depth: int = 0
    duration: str = ""
    summary: bool = False
    milestone: bool = False
    critical: bool = False
    collapsed: bool = False
    percent: int = 0
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    edit: Action | None = None
    toggle: Action | None = None
    why: str = ""  # what sets the task's dates, in words
    constraint: DateMark | None = None
    deadline: dt.date | None = None
    criticality: float | None = None  # share of Monte Carlo runs on the critical path, if simulated

    @property
    def missed_deadline(self) -> bool:
        return self.deadline is not None and self.finish is not None and self.finish > self.deadline

    @property
    def scheduled(self) -> bool:
        return self.start is not None and self.finish is not None


@dataclass(frozen=True)
class Link:
    predecessor: int
    successor: int
    type: str = "FS"
    lag_days: str = ""  # as people write it: "+2d", "-1d"; empty for none


@dataclass(frozen=True)
class Chart:
    rows: Sequence[Row]
    links: Sequence[Link]
    axis: Axis
    working_time: WorkingTime = field(default_factory=WorkingTime)
    today: dt.date | None = None
    status_date: dt.date | None = None
    title: str = "Gantt chart"
