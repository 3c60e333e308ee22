"""Resource pages across projects: the load heat map and the over-allocation list.

Every view has an address (?from=, ?weeks=, ?group=, ?role=, ?team=, ?project=, ?sort=, ?page=),
so a link to "the SAP consultants over the next quarter" can be shared; HTMX swaps the chart only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from itpm.core.errors import Invalid
from itpm.portfolio.services import visible_projects
from itpm.resources.capacity import filter_choices
from itpm.resources.pages import LoadQuery, default_first, load_page, over_allocation_list, resource_name
from itpm.web import histogram
from itpm.web.errors import service_errors
from itpm.web.views.common import render_page

WEEK_CHOICES = (1, 4, 8, 13, 16, 26, 52)


def number(query: QueryDict, name: str, kind: type, default: Any) -> Any:
    """A number from the address; Invalid names the parameter when it is not one."""
    text = query.get(name, "").strip()
    if not text:
        return default
    try:
        return kind(text)
    except ValueError as bad:
        raise Invalid(f"{name}: give a {'whole ' if kind is int else ''}number", field=name) from bad


def _date(query: QueryDict, name: str, default: dt.date) -> dt.date:
    text = query.get(name, "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError as bad:
        raise Invalid(f"{name}: give a date as YYYY-MM-DD", field=name) from bad


def parse_query(query: QueryDict, today: dt.date) -> LoadQuery:
    """The page's address as a LoadQuery; Invalid names the parameter at fault."""
    return LoadQuery(
        first=_date(query, "from", default_first(today)),
        weeks=number(query, "weeks", int, 16) or 16,
        group=query.get("group", "person") or "person",
        role=query.get("role", "").strip(),
        team=query.get("team", "").strip(),
        project=query.get("project", "").strip(),
        sort=query.get("sort", "") or "date",
        page=number(query, "page", int, 1) or 1,
        resource_id=number(query, "resource", int, None),
    )


def _url(name: str, query: LoadQuery, **changes: Any) -> str:
    values = {
        "from": query.first.isoformat(), "weeks": query.weeks, "group": query.group, "role": query.role,
        "team": query.team, "project": query.project, "sort": query.sort, "page": query.page,
    }  # fmt: skip
    values.update(changes)
    kept = {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}
    return f"{reverse(name)}?{urlencode(kept)}"


def _query_or_default(request: HttpRequest, today: dt.date) -> tuple[LoadQuery, str]:
    try:
        return parse_query(request.GET, today), ""
    except Invalid as error:
        return LoadQuery(first=default_first(today)), error.message


def _week_url(query: LoadQuery, row: Any, week: dt.date) -> str:
    """The over-allocations of one week: of the person, or of the role's or team's people."""
    changes: dict[str, Any] = {"from": week.isoformat(), "weeks": 1, "page": 1, "group": "person"}
    if row.resource_id is not None:
        changes["resource"] = row.resource_id
    else:
        group, _, label = row.key.partition(":")
        changes[group] = label
    return _url("resource-overallocations", query, **changes)


def _heat_rows(page: Any) -> list[histogram.HeatRow]:
    rows = []
    for row in page.rows:
        href = ""
        if row.resource_id is not None:
            href = _url(
                "resource-overallocations", page.query, resource=row.resource_id, page=1, group="person"
            )
        cells = [histogram.HeatCell(c.demand, c.capacity, c.over, c.over_people) for c in row.cells]
        weeks = [_week_url(page.query, row, c.week) if c.over else "" for c in row.cells]
        detail = f"{row.detail} · {float(row.units):g} units"
        rows.append(histogram.HeatRow(row.label, detail, cells, href, weeks))
    return rows


def _filter_context(request: HttpRequest, query: LoadQuery, problem: str) -> dict[str, Any]:
    """What the filter bar of both pages needs."""
    roles, teams = filter_choices(request.user)
    return {
        "nav_section": "resources",
        "query": query,
        "problem": problem,
        "roles": roles,
        "teams": teams,
        "projects": visible_projects(request.user).order_by("code").values_list("code", "name"),
        "week_choices": WEEK_CHOICES,
    }


@require_GET
@login_required
@service_errors
def resource_load(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    query, problem = _query_or_default(request, today)
    try:
        page = load_page(request.user, query)
    except Invalid as error:
        query, problem = LoadQuery(first=default_first(today)), error.message
        page = load_page(request.user, query)
    chart = histogram.build(histogram.HeatMap(page.weeks, _heat_rows(page), today=today))
    step = dt.timedelta(weeks=max(query.weeks // 2, 1))
    context = {
        **_filter_context(request, query, problem),
        "page": page,
        "svg": chart,
        "earlier_url": _url("resource-load", query, **{"from": (query.first - step).isoformat(), "page": 1}),
        "later_url": _url("resource-load", query, **{"from": (query.first + step).isoformat(), "page": 1}),
        "today_url": _url("resource-load", query, **{"from": default_first(today).isoformat(), "page": 1}),
        "previous_url": _url("resource-load", query, page=query.page - 1) if query.page > 1 else "",
        "next_url": _url("resource-load", query, page=query.page + 1) if query.page < page.pages else "",
        "list_url": _url("resource-overallocations", query, page=1),
    }
    status = 422 if problem else 200
    return render_page(request, "web/resources/load.html", "web/resources/_load.html", context, status)


@require_GET
@login_required
@service_errors
def resource_overallocations(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    query, problem = _query_or_default(request, today)
    try:
        runs = over_allocation_list(request.user, query)
        person = resource_name(request.user, query.resource_id) if query.resource_id else ""
    except Invalid as error:
        query, problem, person = LoadQuery(first=default_first(today)), error.message, ""
        runs = over_allocation_list(request.user, query)
    context = {
        **_filter_context(request, query, problem),
        "runs": runs,
        "person": person,
        "people": len({run.resource_id for run in runs}),
        "projects_hit": len({code for run in runs for code in run.projects}),
        "load_url": _url("resource-load", query, page=1),
        "all_url": _url("resource-overallocations", query, page=1) if person else "",
    }
    status = 422 if problem else 200
    return render_page(
        request, "web/resources/overallocations.html", "web/resources/_overallocations.html", context, status
    )
