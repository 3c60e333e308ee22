"""Strategic pages: the cross-project what-if and team size from scope. Both are GET forms (the
answer is computed, nothing is saved), so every question has an address to share."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from itpm.core.errors import Invalid, NotFound
from itpm.portfolio.services import access_project_by_code, visible_projects
from itpm.resources.capacity import role_of
from itpm.resources.services import visible_resources
from itpm.resources.teamsize import size_team
from itpm.resources.whatif import Scenario, what_if
from itpm.web.errors import service_errors
from itpm.web.views.resources import number


def _scenario(query: QueryDict) -> Scenario:
    kind = query.get("kind", "add")
    if kind == "add":
        return Scenario(
            "add",
            resource_id=number(query, "resource", int, None),
            units=number(query, "units", float, 1.0),
        )
    return Scenario(
        "shift", project_code=query.get("project", "").strip(), days=number(query, "days", int, 0)
    )


@require_GET
@login_required
@service_errors
def whatif(request: HttpRequest) -> HttpResponse:
    result, problem = None, ""
    if "kind" in request.GET:
        try:
            result = what_if(request.user, _scenario(request.GET))
        except (Invalid, NotFound) as bad:
            problem = bad.message if isinstance(bad, Invalid) else "resource: no such resource"
    resources = sorted(
        visible_resources(request.user).filter(active=True), key=lambda r: (r.kind != "role", r.name)
    )
    context = {
        "nav_section": "resources",
        "result": result,
        "problem": problem,
        "resources": [(r.pk, f"{r.name} · {role_of(r)} ({r.max_units:g} units)", r.kind) for r in resources],
        "projects": visible_projects(request.user)
        .exclude(status__in=("closed", "cancelled"))
        .order_by("code"),
        "q": request.GET,
    }
    return render(request, "web/resources/whatif.html", context, status=422 if problem else 200)


def _target(query: QueryDict) -> dt.date | None:
    text = query.get("target", "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as bad:
        raise Invalid("target: give a date as YYYY-MM-DD", field="target") from bad


def _custom(query: QueryDict) -> dict[str, int]:
    """The team asked about: fields team-<role>=<people>, all empty meaning none asked."""
    team = {}
    for key in query:
        value = query.get(key, "")
        if key.startswith("team-") and value.strip():
            try:
                team[key[5:]] = int(value)
            except ValueError as bad:
                raise Invalid(f"team: give a whole number of people for {key[5:]}", field="team") from bad
    return team


@require_GET
@login_required
@service_errors
def team_size(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("project", "").strip()
    sizing, problem = None, ""
    if code:
        project = access_project_by_code(request.user, code, "view_all_tasks")
        try:
            sizing = size_team(request.user, project, _target(request.GET), _custom(request.GET) or None)
        except Invalid as bad:
            problem = bad.message
    context = {
        "nav_section": "resources",
        "sizing": sizing,
        "problem": problem,
        "projects": visible_projects(request.user)
        .exclude(status__in=("closed", "cancelled"))
        .order_by("code"),
        "q": request.GET,
    }
    return render(request, "web/resources/team_size.html", context, status=422 if problem else 200)
