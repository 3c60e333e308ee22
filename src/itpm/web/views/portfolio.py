"""The portfolio page and the list of projects, with the shared HTMX filter bar."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from itpm.portfolio.overview.project_rows import portfolio_overview, project_list
from itpm.web.errors import service_errors
from itpm.web.forms import ProjectFilterForm
from itpm.web.views.common import render_page

COLUMNS = (
    ("code", "Code"),
    ("name", "Project"),
    ("status", "Status"),
    ("rag", "RAG"),
    ("manager", "Manager"),
    ("planned_start", "Planned start"),
    ("planned_finish", "Planned finish"),
    ("scheduled_finish", "Scheduled finish"),
    ("budget", "Budget"),
)


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    url: str
    direction: str  # "asc", "desc" or "" when the table is not sorted by this column


def sort_columns(request: HttpRequest, sort: str) -> list[SortColumn]:
    """Header links that keep the filters and flip the direction of the current column."""
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key, label in COLUMNS:
        params = request.GET.copy()
        params["sort"] = f"-{key}" if key == current and not descending else key
        direction = ("desc" if descending else "asc") if key == current else ""
        columns.append(SortColumn(key, label, f"?{params.urlencode()}", direction))
    return columns


@require_GET
@login_required
@service_errors
def portfolio(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = form.to_filter()
    overview = portfolio_overview(request.user, filters)
    context = {"form": form, "filters": filters, "overview": overview, "kpis": overview.kpis}
    return render_page(request, "web/portfolio.html", "web/_portfolio_groups.html", context)


@require_GET
@login_required
@service_errors
def projects(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters, sort = form.to_filter(), form.sort_key()
    listing = project_list(request.user, filters, sort)
    context = {
        "form": form,
        "filters": filters,
        "listing": listing,
        "columns": sort_columns(request, sort),
        "sort": sort,
    }
    return render_page(request, "web/projects.html", "web/_project_table.html", context)
