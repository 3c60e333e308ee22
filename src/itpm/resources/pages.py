"""What the resource pages show, worked out once for the page and the API: the heat map's rows
for one page of resources, and the over-allocation list, from a query a person can type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from itpm.core.errors import Invalid, NotFound
from itpm.portfolio.services import visible_projects
from itpm.resources.capacity import GROUPS, LoadFilter, LoadRow, load_rows, monday_of
from itpm.resources.overallocation import OverAllocationRun, over_allocation_runs

PAGE_SIZE = 30
SORTS = ("date", "name", "load")  # the list: by date, resource or excess; the chart: name or load


@dataclass(frozen=True)
class LoadQuery:
    """The histogram's question: from which Monday, how many weeks, grouped how, filtered how."""

    first: dt.date
    weeks: int = 16
    group: str = "person"
    role: str = ""
    team: str = ""
    project: str = ""  # a project code
    sort: str = "date"
    page: int = 1
    resource_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "first", monday_of(self.first))  # weeks run Monday to Sunday
        if not 1 <= self.weeks <= 104:
            raise Invalid("weeks: give 1 to 104 weeks", field="weeks")
        if self.group not in GROUPS:
            raise Invalid(f"group: choose one of {', '.join(GROUPS)}", field="group")
        if self.sort not in SORTS:
            raise Invalid(f"sort: choose one of {', '.join(SORTS)}", field="sort")
        if self.page < 1:
            raise Invalid("page: pages start at 1", field="page")

    @property
    def end(self) -> dt.date:
        return self.first + dt.timedelta(weeks=self.weeks)

    @property
    def last(self) -> dt.date:
        """The last day of the window (end is the day after)."""
        return self.end - dt.timedelta(days=1)


def default_first(today: dt.date) -> dt.date:
    return monday_of(today)


def _filter(user: Any, query: LoadQuery) -> LoadFilter:
    project_id = None
    if query.project:
        project = visible_projects(user).filter(code=query.project).first()
        if project is None:
            raise Invalid(f"project: no project {query.project!r} you can see", field="project")
        project_id = project.pk
    return LoadFilter(
        query.first, query.end,
        role=query.role, team=query.team, project_id=project_id, resource_id=query.resource_id,
    )  # fmt: skip


@dataclass(frozen=True)
class LoadPage:
    query: LoadQuery
    weeks: list[dt.date]
    rows: list[LoadRow]  # this page's rows
    total: int
    pages: int
    over_rows: int  # rows (of all pages) with at least one over-allocated week


def load_page(user: Any, query: LoadQuery) -> LoadPage:
    where = _filter(user, query)
    rows = load_rows(user, where, query.group)
    if query.sort == "load":
        rows.sort(key=lambda row: (-row.over_weeks, -row.peak_percent, row.label.lower()))
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if query.page > pages:
        raise Invalid(f"page: there are {pages} pages", field="page")
    shown = rows[(query.page - 1) * PAGE_SIZE : query.page * PAGE_SIZE]
    weeks = [where.first + dt.timedelta(weeks=n) for n in range(query.weeks)]
    over = sum(1 for row in rows if row.over_weeks)
    return LoadPage(query, weeks, shown, len(rows), pages, over)


def over_allocation_list(user: Any, query: LoadQuery) -> list[OverAllocationRun]:
    runs = over_allocation_runs(user, _filter(user, query))
    if query.sort == "name":
        runs.sort(key=lambda run: (run.resource.lower(), run.start))
    elif query.sort == "load":
        runs.sort(key=lambda run: (-run.excess_days, run.start))
    return runs


def resource_name(user: Any, resource_id: int) -> str:
    from itpm.resources.services import access_resource

    try:
        return access_resource(user, resource_id).name
    except NotFound as missing:
        raise Invalid(f"resource: no resource {resource_id}", field="resource") from missing
