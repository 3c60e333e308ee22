""" "Why does this start then?": the scheduler's driver of a task, in words.

The scheduler stores, for every task, what sets its early start (`Task.driver`): a link (with the
driving predecessor and the link's type), a constraint, the status date, an actual date, the
project start or, scheduling backward, the project finish. The Gantt shows it in the task editor
and in the bar's tooltip, in the words a planner would use:

    Starts after 1.2 Solution design finishes (FS +2 d)
    Held by its constraint: start no earlier than 2 Mar 2026
    Work left after the status date 15 Jun 2026
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from itpm.portfolio.overview.gantt import DrivingLink
from itpm.web.gantt.svg import date_label

DATED = {"SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"}
# What a link of each type holds, and how, by the sign of its lag: later, at the same time, earlier.
LINK_WORDS = {
    "FS": ("Starts", "finishes", ("after", "after", "before")),
    "SS": ("Starts", "starts", ("after", "when", "before")),
    "FF": ("Finishes", "finishes", ("after", "when", "before")),
    "SF": ("Finishes", "starts", ("after", "when", "before")),
}


def lag_text(lag: Decimal | None) -> str:
    """+2 d, −1.5 d; empty for none."""
    if not lag:
        return ""
    sign = "+" if lag > 0 else "−"
    return f"{sign}{format(abs(lag).normalize(), 'f')} d"


def link_sentence(driving: DrivingLink) -> str:
    subject, event, words = LINK_WORDS.get(driving.type, LINK_WORDS["FS"])
    lag = driving.lag_days or Decimal(0)
    how = words[0] if lag > 0 else words[1] if lag == 0 else words[2]
    predecessor = driving.predecessor or "a predecessor"
    detail = " ".join(part for part in (driving.type, lag_text(driving.lag_days)) if part)
    if driving.on_summary:
        detail += ", through its summary task"
    return f"{subject} {how} {predecessor} {event} ({detail})"


def constraint_phrase(day: dt.date | None, label: str) -> str:
    """'start no earlier than 2 Mar 2026'; the label is the constraint's display name."""
    return f"{label[:1].lower()}{label[1:]} {date_label(day)}".strip()


def why(task: Any, driving: DrivingLink | None, status_date: dt.date | None, project_start: dt.date) -> str:
    """The sentence for one task; empty when the task was never scheduled."""
    driver = task.driver
    if driver == "link":
        return link_sentence(driving or DrivingLink("", task.driving_type or "FS", None))
    if driver == "constraint":
        return _constraint(task)
    if driver == "status date":
        return f"Work left after the status date {date_label(status_date)}".strip()
    if driver == "actual":
        if task.actual_start:
            return f"Actual start {date_label(task.actual_start)}"
        return f"Actual finish {date_label(task.actual_finish)}".strip()
    if driver == "project start":
        return f"Project start {date_label(project_start)}"
    if driver == "project finish":
        return "Scheduled back from the project finish"
    return ""


def _constraint(task: Any) -> str:
    kind = task.constraint_type
    if kind in DATED and task.constraint_date is not None:
        phrase = constraint_phrase(task.constraint_date, task.get_constraint_type_display())
        return f"Held by its constraint: {phrase}"
    if kind == "ALAP":
        return "As late as possible: held back as far as its successors allow"
    return "Held by a constraint of its summary task"
