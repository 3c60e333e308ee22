"""The project team page: who is on the project in which role; managers add, change and remove."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from itpm.core.errors import Forbidden, Invalid
from itpm.portfolio import services
from itpm.portfolio.rules import can
from itpm.web.errors import apply_invalid, service_errors


class AddMemberForm(forms.Form):
    user_id = forms.TypedChoiceField(label="Person", coerce=int)
    role = forms.ChoiceField(label="Role")

    def __init__(
        self, *args: object, people: list[tuple[int, str]], roles: list[tuple[str, str]], **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        person, role = self.fields["user_id"], self.fields["role"]
        assert isinstance(person, forms.ChoiceField) and isinstance(role, forms.ChoiceField)
        person.choices = [("", "Choose a person…"), *people]
        role.choices = roles


def _person(user: object) -> str:
    full = user.get_full_name()  # type: ignore[attr-defined]
    return f"{full} ({user.username})" if full else str(user.username)  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def team(request: HttpRequest, code: str) -> HttpResponse:
    project = services.access_project_by_code(request.user, code, "view_members")
    manager = can(request.user, "manage_members", project)
    form = None
    if manager:
        people = [(p.pk, _person(p)) for p in services.member_candidates(request.user, project)]
        roles = services.grantable_roles(request.user, project)
        form = AddMemberForm(request.POST or None, people=people, roles=roles)
        if request.method == "POST" and form.is_valid():
            try:
                added = services.check_add_member(
                    request.user, project, form.cleaned_data["user_id"], form.cleaned_data["role"]
                )
            except (Invalid, Forbidden) as error:
                apply_invalid(form, error if isinstance(error, Invalid) else Invalid(error.message))
            else:
                messages.success(request, f"{_person(added.user)} joined {project.code}.")
                return redirect("project-team", project.code)
    elif request.method == "POST":
        raise Forbidden("your role does not allow managing members")
    context = {
        "project": project,
        "members": services.project_team(request.user, project),
        "form": form,
        "roles": services.grantable_roles(request.user, project) if manager else [],
        "role_label": services.project_role_label(request.user, project),
    }
    status = 422 if form is not None and form.errors else 200
    return render(request, "web/team.html", context, status=status)


@require_POST
@login_required
@service_errors
def team_member(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    project = services.access_project_by_code(request.user, code, "view_members")
    membership = services.access_membership(request.user, project, membership_id)
    try:
        if request.POST.get("action") == "remove":
            services.check_remove_member(request.user, membership)
            messages.success(request, f"{_person(membership.user)} left {project.code}.")
        else:
            services.check_change_member(request.user, membership, request.POST.get("role", ""))
            messages.success(request, f"{_person(membership.user)} is now {membership.get_role_display()}.")
    except (Invalid, Forbidden) as refused:
        messages.error(request, refused.message)
    return redirect("project-team", project.code)
