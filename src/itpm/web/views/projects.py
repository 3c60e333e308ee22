"""One project: its overview, its task list, and the create and edit forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from itpm.core.errors import Conflict, Invalid
from itpm.portfolio.overview.project_page import project_form_choices, project_overview, project_task_list
from itpm.portfolio.services import access_project_by_code, check_create_project, check_update_project
from itpm.web.errors import apply_invalid, service_errors
from itpm.web.forms import ProjectForm, project_initial
from itpm.web.views.common import render_page

CONFLICT_MESSAGE = (
    "Someone else changed this project while you were editing it, so your changes were not saved. "
    "Reload the form to start from the latest version."
)


@require_GET
@login_required
@service_errors
def project(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "web/project.html", {"overview": project_overview(request.user, code)})


@require_GET
@login_required
@service_errors
def project_tasks(request: HttpRequest, code: str) -> HttpResponse:
    context = {"task_list": project_task_list(request.user, code)}
    return render_page(request, "web/project_tasks.html", "web/_task_table.html", context)


def _form_page(request: HttpRequest, form: ProjectForm, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "web/project_form.html", {"form": form, **context}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, choices=project_form_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            created = check_create_project(request.user, form.service_data())
        except Invalid as error:
            apply_invalid(form, error)
        else:
            messages.success(request, f"Project {created.code} was created.")
            return redirect("project", code=created.code)
    return _form_page(request, form, {"creating": True}, 422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    current = access_project_by_code(request.user, code, "change_project")
    # Captured before the service touches the object, so a refused save still shows the stored name.
    context = {"creating": False, "code": current.code, "name": current.name}
    form = ProjectForm(
        request.POST or None,
        initial=project_initial(current),
        choices=project_form_choices(request.user, current),
        editing=True,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        lock_version = form.cleaned_data["lock_version"]
        try:
            updated = check_update_project(request.user, current, form.service_data(), lock_version)
        except Conflict:
            form.add_error(None, CONFLICT_MESSAGE)
            return _form_page(request, form, {**context, "conflict": True}, 409)
        except Invalid as error:
            apply_invalid(form, error)
        else:
            messages.success(request, f"Project {updated.code} was saved.")
            return redirect("project", code=updated.code)
    if form.errors:
        status = 422
    return _form_page(request, form, context, status)
