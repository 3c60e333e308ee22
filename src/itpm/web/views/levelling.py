"""A project's levelling page: preview (before and after, what moves and why, the levelled
Gantt), apply with one click, and clear. ?scope=shared levels around the other projects that
share the project's people; ?show=all draws every task, not only those that move."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from itpm.core.errors import Invalid
from itpm.planning.services.visibility import project_tasks
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project_by_code, project_role_label
from itpm.resources.levelling import SCOPES, check_apply_levelling, check_clear_levelling, preview_levelling
from itpm.web.errors import service_errors
from itpm.web.levelling_chart import levelled_gantt, why_moved


def _scope(request: HttpRequest) -> str:
    scope = request.GET.get("scope") or request.POST.get("scope") or "project"
    if scope not in SCOPES:
        raise Invalid(f"scope: choose one of {', '.join(SCOPES)}", field="scope")
    return scope


def _page_url(code: str, scope: str, show: str = "") -> str:
    query = "&".join(f"{k}={v}" for k, v in (("scope", scope), ("show", show)) if v and v not in ("project",))
    return reverse("project-levelling", args=[code]) + (f"?{query}" if query else "")


@require_GET
@login_required
@service_errors
def levelling(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, "view_all_tasks")
    try:
        scope = _scope(request)
    except Invalid as bad:
        messages.error(request, bad.message)
        return redirect("project-levelling", code)
    preview = preview_levelling(request.user, project, scope)
    show_all = request.GET.get("show") == "all" or not preview.moves
    tasks = list(project_tasks(request.user, project).order_by("order", "id"))
    context = {
        "project": project,
        "role_label": project_role_label(request.user, project),
        "preview": preview,
        "scope": scope,
        "show_all": show_all,
        "may_apply": can(request.user, "change_plan", project),
        "delayed_now": sum(1 for d in preview.current_delays.values() if d),
        "moves": [(move, why_moved(move)) for move in preview.moves],
        "gantt": levelled_gantt(project, tasks, preview, not show_all, timezone.localdate()),
        "scope_urls": {s: _page_url(code, s, request.GET.get("show", "")) for s in SCOPES},
        "show_urls": {"moved": _page_url(code, scope), "all": _page_url(code, scope, "all")},
        "moved_later": sum(1 for m in preview.moves if m.shift_days > 0 and m.project_code == project.code),
    }
    return render(request, "web/resources/levelling.html", context)


@require_POST
@login_required
@service_errors
def levelling_apply(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, "view_all_tasks")
    scope = request.POST.get("scope") or "project"
    try:
        preview = check_apply_levelling(request.user, project, scope)
    except Invalid as bad:
        messages.error(request, bad.message)
        return redirect("project-levelling", code)
    finish = preview.finish.after
    messages.success(
        request,
        f"Levelled {project.code}: {len(preview.delays)} task{'s' if len(preview.delays) != 1 else ''}"
        f" delayed, finish {finish:%-d %b %Y}."
        if finish
        else f"Levelled {project.code}.",
    )
    return redirect(_page_url(code, scope))


@require_POST
@login_required
@service_errors
def levelling_clear(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, "view_all_tasks")
    changed = check_clear_levelling(request.user, project)
    messages.success(
        request,
        f"Cleared levelling on {project.code}: {changed} task{'s' if changed != 1 else ''}"
        " back to their early dates.",
    )
    return redirect("project-levelling", code)
