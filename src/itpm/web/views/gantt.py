"""The Gantt page and its inline task editor.

Every view of the chart has an address (?zoom=, ?page=, ?collapsed=, ?baseline=, ?edit=), so links
work without JavaScript; HTMX only swaps the chart (or the editor) instead of the whole page. The
edits call the planning services, which reschedule; the chart is then drawn again from the stored
dates.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itpm.core.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from itpm.planning.services.dependencies import check_create_dependency, check_delete_dependency
from itpm.planning.services.gantt_reads import task_by_wbs_code
from itpm.planning.services.tasks import check_update_task
from itpm.planning.services.visibility import access_dependency, usable_calendars
from itpm.portfolio.overview.gantt import TaskEditor, gantt_task_editor, project_gantt
from itpm.web.errors import service_errors
from itpm.web.forms import LinkForm, TaskEditForm
from itpm.web.gantt_page import GanttState, chart_for, plain
from itpm.web.views.common import wants_partial
from itpm.web.why import why

CONFLICT = "Someone else changed this task meanwhile; nothing was saved. Close the editor and open it again."


def _gantt_context(request: HttpRequest, code: str, state: GanttState) -> dict[str, Any]:
    plan = project_gantt(request.user, code, state.request())
    return {"plan": plan, "project": plan.project, "state": state, **chart_for(plan, state)}


def _editor_context(
    state: GanttState,
    editor: TaskEditor,
    edit_form: TaskEditForm | None = None,
    link_form: LinkForm | None = None,
    saved: str = "",
) -> dict[str, Any]:
    task = editor.task
    project = editor.project
    return {
        "editor": editor,
        "edit_form": edit_form or _edit_form(task),
        "link_form": link_form or LinkForm(),
        "saved": saved,
        "editor_urls": state.editor_urls(project.code, task.pk),
        "why": why(task, editor.driving, project.status_date, project.planned_start),
    }


def _edit_form(task: Any, data: Any = None) -> TaskEditForm:
    """The editor's form, showing the task's values (and, posted, telling what the user changed)."""
    initial = {
        "name": task.name,
        "duration_days": plain(task.duration_days),
        "percent_complete": task.percent_complete,
        "start": task.start,
        "deadline": task.deadline,
        "constraint_type": task.constraint_type,
        "constraint_date": task.constraint_date,
        "calendar_id": task.calendar_id,
        "can_level": task.can_level,
        "can_level_shown": True,
        "lock_version": task.lock_version,
    }
    started = bool(task.actual_start or task.actual_finish)
    return TaskEditForm(
        data,
        initial=initial,
        summary=task.is_summary,
        started=started,
        current=task.constraint_type,
        calendars=usable_calendars(task.project),
    )


def _render_gantt(
    request: HttpRequest, code: str, state: GanttState, editor: dict[str, Any] | None, status: int = 200
) -> HttpResponse:
    context = _gantt_context(request, code, state)
    if editor is not None:
        context.update(editor)
    template = "web/_gantt.html" if wants_partial(request) else "web/gantt.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
@service_errors
def gantt(request: HttpRequest, code: str) -> HttpResponse:
    state = GanttState.from_query(request.GET)
    editor = None
    if state.edit is not None:
        editor = _editor_context(state, gantt_task_editor(request.user, code, state.edit))
    return _render_gantt(request, code, state, editor)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def gantt_task(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """GET: the editor for one task (a fragment for HTMX). POST: save it and draw the chart again."""
    state = GanttState.from_query(request.GET).with_edit(task_id)
    editor = gantt_task_editor(request.user, code, task_id)
    if request.method == "GET":
        if not wants_partial(request):
            return redirect(state.page_url(code))
        return render(request, "web/_gantt_editor.html", _editor_context(state, editor))
    form = _edit_form(editor.task, request.POST)
    status = 422
    if form.is_valid():
        try:
            check_update_task(
                request.user, editor.task, form.service_data(request.POST), form.cleaned_data["lock_version"]
            )
        except ServiceError as error:
            status = _show_error(form, error)
            # The refused values were set on the task object before validation failed: reload it.
            editor = gantt_task_editor(request.user, code, task_id)
        else:
            return _saved(request, code, state, task_id, "Saved; the schedule was recalculated.")
    return _render_gantt(request, code, state, _editor_context(state, editor, edit_form=form), status)


@require_POST
@login_required
@service_errors
def gantt_link_add(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    state = GanttState.from_query(request.GET).with_edit(task_id)
    editor = gantt_task_editor(request.user, code, task_id)
    form = LinkForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            predecessor = task_by_wbs_code(
                request.user, editor.project, form.cleaned_data["predecessor"], "predecessor"
            )
            check_create_dependency(
                request.user,
                {
                    "predecessor_id": predecessor.pk,
                    "successor_id": task_id,
                    "type": form.cleaned_data["type"],
                    "lag_days": form.cleaned_data["lag_days"] or 0,
                },
            )
        except ServiceError as error:
            status = _show_error(
                form, error, {"successor_id": "predecessor", "predecessor_id": "predecessor"}
            )
        else:
            return _saved(request, code, state, task_id, "Link added; the schedule was recalculated.")
    return _render_gantt(request, code, state, _editor_context(state, editor, link_form=form), status)


@require_POST
@login_required
@service_errors
def gantt_link_delete(request: HttpRequest, code: str, task_id: int, link_id: int) -> HttpResponse:
    state = GanttState.from_query(request.GET).with_edit(task_id)
    gantt_task_editor(request.user, code, task_id)  # refuses callers who may not edit the task
    link = access_dependency(request.user, link_id)
    if link.successor_id != task_id:
        raise NotFound("dependency")
    check_delete_dependency(request.user, link)
    return _saved(request, code, state, task_id, "Link removed; the schedule was recalculated.")


def _saved(request: HttpRequest, code: str, state: GanttState, task_id: int, message: str) -> HttpResponse:
    """After a change: HTMX gets the redrawn chart with the editor still open; a plain form post is
    sent back to the page (post/redirect/get)."""
    if not wants_partial(request):
        return redirect(state.page_url(code))
    editor = gantt_task_editor(request.user, code, task_id)
    return _render_gantt(request, code, state, _editor_context(state, editor, saved=message))


def _show_error(form: Any, error: ServiceError, renamed: dict[str, str] | None = None) -> int:
    """Put each of the service's messages next to the field it names; the status says what it was."""
    if isinstance(error, Conflict):
        form.add_error(None, CONFLICT)
        return 409
    problems = (
        error.errors if isinstance(error, Invalid) and error.errors else {error.field or "": [error.message]}
    )
    for name, messages in problems.items():
        for message in messages:
            prefix, _, rest = message.partition(": ")
            field = name or (prefix if rest and prefix in form.fields else "")
            target = (renamed or {}).get(field, field)
            text = rest if rest and prefix == field else message
            form.add_error(target if target in form.fields else None, text)
    return 403 if isinstance(error, Forbidden) else 422
