"""The portfolio page and the project list: one query of the visible projects, filtered, sorted
and counted in Python (a portfolio holds hundreds of projects, not millions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min

from itpm.portfolio.models import LifecycleStatus, Program, Project, Rag
from itpm.portfolio.rules import can, may_create_projects
from itpm.portfolio.services import (
    visible_projects,
)

IN_FLIGHT = frozenset({LifecycleStatus.PLANNING, LifecycleStatus.IN_PROGRESS, LifecycleStatus.ON_HOLD})
SORT_KEYS = (
    "code",
    "name",
    "status",
    "rag",
    "manager",
    "planned_start",
    "planned_finish",
    "scheduled_finish",
    "budget",
    "methodology",
)
RAG_ORDER = {Rag.RED.value: 0, Rag.AMBER.value: 1, Rag.GREEN.value: 2}
STATUS_ORDER = {value: position for position, value in enumerate(LifecycleStatus.values)}


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# ---- project rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilter:
    status: str = ""
    rag: str = ""
    methodology: str = ""
    text: str = ""

    def matches(self, row: ProjectRow) -> bool:
        project = row.project
        if self.status and project.status != self.status:
            return False
        if self.rag and project.rag != self.rag:
            return False
        if self.methodology and project.methodology != self.methodology:
            return False
        if self.text:
            haystack = " ".join(
                (
                    project.code,
                    project.name,
                    row.manager_name,
                    project.program.name if project.program else "",
                )
            ).casefold()
            return self.text.casefold() in haystack
        return True

    @property
    def active(self) -> bool:
        return bool(self.status or self.rag or self.methodology or self.text)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    scheduled_start: dt.date | None
    scheduled_finish: dt.date | None
    budget: Decimal | None  # None when the caller may not see this project's budget

    @property
    def manager_name(self) -> str:
        return person_name(self.project.manager)

    @property
    def in_flight(self) -> bool:
        return self.project.status in IN_FLIGHT


def _rows(user: Any) -> list[ProjectRow]:
    """Every project the user may see, with dates from the schedule: one query."""
    projects = (
        visible_projects(user)
        .select_related("manager", "program", "portfolio")
        .annotate(scheduled_start=Min("tasks__start"), scheduled_finish=Max("tasks__finish"))
        .order_by("code")
    )
    return [
        ProjectRow(
            project=project,
            scheduled_start=project.scheduled_start,  # type: ignore[attr-defined]
            scheduled_finish=project.scheduled_finish,  # type: ignore[attr-defined]
            budget=project.budget if can(user, "view_budget", project) else None,
        )
        for project in projects
    ]


def _sort_value(row: ProjectRow, key: str) -> Any:
    """The value to sort by, None when missing; hidden budgets count as missing, so order leaks nothing."""
    project = row.project
    return {
        "code": project.code.casefold(),
        "name": project.name.casefold(),
        "status": STATUS_ORDER.get(project.status, 99),
        "rag": RAG_ORDER.get(project.rag, 9),
        "manager": row.manager_name.casefold() or None,
        "planned_start": project.planned_start,
        "planned_finish": project.planned_finish,
        "scheduled_finish": row.scheduled_finish,
        "budget": row.budget,
        "methodology": project.get_methodology_display(),
    }[key]


def sort_rows(rows: Iterable[ProjectRow], sort: str) -> list[ProjectRow]:
    """Sort by one column ("-" prefix for descending); ties by code; missing values always last."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        key, descending = "code", False
    keyed = [(_sort_value(row, key), row) for row in sorted(rows, key=lambda r: r.project.code.casefold())]
    present = [pair for pair in keyed if pair[0] is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _, row in present] + [row for value, row in keyed if value is None]


# ---- the portfolio page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpis:
    visible: int
    in_flight: int
    red: int
    amber: int
    budgets: dict[str, Decimal]  # currency -> total of the budgets the caller may see
    budget_hidden: int  # projects whose budget the caller may not see


@dataclass(frozen=True)
class ProgramGroup:
    program: Program | None
    rows: list[ProjectRow]


@dataclass(frozen=True)
class PortfolioOverview:
    kpis: Kpis
    groups: list[ProgramGroup]
    matching: int
    total: int


def _kpis(rows: list[ProjectRow]) -> Kpis:
    budgets: dict[str, Decimal] = {}
    for row in rows:
        if row.budget is not None:
            budgets[row.project.currency] = budgets.get(row.project.currency, Decimal(0)) + row.budget
    in_flight = [row for row in rows if row.in_flight]
    return Kpis(
        visible=len(rows),
        in_flight=len(in_flight),
        red=sum(1 for row in in_flight if row.project.rag == Rag.RED),
        amber=sum(1 for row in in_flight if row.project.rag == Rag.AMBER),
        budgets=dict(sorted(budgets.items())),
        budget_hidden=sum(1 for row in rows if row.budget is None),
    )


def portfolio_overview(user: Any, filters: ProjectFilter | None = None) -> PortfolioOverview:
    """Headline figures over every visible project; then the projects that match, by program."""
    rows = _rows(user)
    filters = filters or ProjectFilter()
    matching = [row for row in rows if filters.matches(row)]
    by_program: dict[int | None, list[ProjectRow]] = {}
    for row in matching:
        by_program.setdefault(row.project.program_id, []).append(row)
    programs = sorted(
        {row.project.program for row in matching if row.project.program is not None},
        key=lambda program: program.name.casefold(),
    )
    groups = [ProgramGroup(program, by_program[program.pk]) for program in programs]
    if None in by_program:
        groups.append(ProgramGroup(None, by_program[None]))
    return PortfolioOverview(kpis=_kpis(rows), groups=groups, matching=len(matching), total=len(rows))


@dataclass(frozen=True)
class ProjectList:
    rows: list[ProjectRow]
    total: int
    may_create: bool


def project_list(user: Any, filters: ProjectFilter | None = None, sort: str = "code") -> ProjectList:
    rows = _rows(user)
    filters = filters or ProjectFilter()
    matching = sort_rows((row for row in rows if filters.matches(row)), sort)
    return ProjectList(rows=matching, total=len(rows), may_create=bool(may_create_projects(user)))
