"""The project's Risk page: quantified risks in a table; managers add, change and remove them.

With HTMX the form swaps only the register (the table and the form), and a refused save comes
back with 422 and the errors beside the fields; without JavaScript the same addresses serve
whole pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from itpm.core.errors import Forbidden, Invalid
from itpm.governance import services
from itpm.web.errors import apply_invalid, service_errors
from itpm.web.views.common import render_page


def _days(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, initial=0, max_digits=8, decimal_places=2, min_value=Decimal(0))


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, initial=0, max_digits=14, decimal_places=2, min_value=Decimal(0))


class RiskForm(forms.Form):
    """cleaned data → service_data() → check_create_risk / check_update_risk."""

    title = forms.CharField(max_length=200)
    category = forms.ChoiceField(choices=services.CATEGORY_CHOICES)
    status = forms.ChoiceField(choices=services.STATUS_CHOICES)
    probability = forms.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=Decimal(1),
        help_text="0 to 1, e.g. 0.3",
    )
    schedule_optimistic_days = _days("Delay, optimistic (days)")
    schedule_likely_days = _days("Delay, most likely (days)")
    schedule_pessimistic_days = _days("Delay, pessimistic (days)")
    cost_optimistic = _money("Cost, optimistic")
    cost_likely = _money("Cost, most likely")
    cost_pessimistic = _money("Cost, pessimistic")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, owners: list[tuple[int, str]], tasks: list[tuple[int, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.TypedChoiceField(
            choices=[("", "—"), *owners], coerce=int, empty_value=None, required=False
        )
        self.fields["tasks"] = forms.TypedMultipleChoiceField(
            label="Affected tasks",
            choices=tasks,
            coerce=int,
            required=False,
            help_text="The delay lengthens each of these tasks when the risk happens.",
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["owner_id"] = data.pop("owner")
        data["task_ids"] = data.pop("tasks")
        return data


def _initial(risk: Any) -> dict[str, Any]:
    names = ("title", "category", "status", "probability", "description", "owner_id")
    initial = {name: getattr(risk, name) for name in (*names, *risk.SCHEDULE, *risk.COST)}
    initial["owner"] = initial.pop("owner_id")
    initial["tasks"] = [task.pk for task in risk.tasks.all()]
    return initial


def _form(register: services.RiskRegister, data: Any = None, risk: Any = None) -> RiskForm:
    initial = _initial(risk) if risk is not None else None
    return RiskForm(data, initial=initial, owners=register.owners, tasks=register.tasks)


def _render(
    request: HttpRequest,
    register: services.RiskRegister,
    form: RiskForm | None,
    editing: Any,
    status: int = 200,
) -> HttpResponse:
    context = {"register": register, "project": register.project, "form": form, "editing": editing}
    return render_page(request, "web/governance/risks.html", "web/governance/_register.html", context, status)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def risks(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the register and an empty form. POST: add a risk."""
    register = services.risk_register(request.user, code)
    if request.method == "POST" and not register.may_edit:
        raise Forbidden("your role does not allow changing risks")
    form = _form(register, request.POST or None) if register.may_edit else None
    if request.method == "POST" and form is not None:
        saved = _save(request, form, {"project_id": register.project.pk}, None)
        if saved:
            return _after_save(request, code, f"Risk “{saved.title}” added.")
        return _render(request, register, form, None, 422)
    return _render(request, register, form, None)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def risk_edit(request: HttpRequest, code: str, risk_id: int) -> HttpResponse:
    """GET: the register with this risk's form. POST: save the change."""
    register = services.risk_register(request.user, code)
    risk = services.access_risk(request.user, risk_id)
    if risk.project_id != register.project.pk or not register.may_edit:
        raise Forbidden("your role does not allow changing risks")
    form = _form(register, request.POST if request.method == "POST" else None, risk)
    if request.method == "POST":
        saved = _save(request, form, {}, risk)
        if saved:
            return _after_save(request, code, f"Risk “{saved.title}” saved.")
        return _render(request, register, form, risk, 422)
    return _render(request, register, form, risk)


@require_POST
@login_required
@service_errors
def risk_delete(request: HttpRequest, code: str, risk_id: int) -> HttpResponse:
    register = services.risk_register(request.user, code)
    risk = services.access_risk(request.user, risk_id)
    if risk.project_id != register.project.pk:
        raise Forbidden("the risk belongs to another project")
    services.check_delete_risk(request.user, risk)
    return _after_save(request, code, f"Risk “{risk.title}” removed.")


def _save(request: HttpRequest, form: RiskForm, extra: dict[str, Any], risk: Any) -> Any:
    if not form.is_valid():
        return None
    data = {**form.service_data(), **extra}
    try:
        if risk is None:
            return services.check_create_risk(request.user, data)
        return services.check_update_risk(request.user, risk, data)
    except Invalid as error:
        apply_invalid(form, error)
        return None


def _after_save(request: HttpRequest, code: str, note: str) -> HttpResponse:
    """Back to the register: HTMX swaps it in place, a plain form post follows the redirect."""
    if getattr(request, "htmx", False):
        register = services.risk_register(request.user, code)
        form = _form(register) if register.may_edit else None
        context = {"register": register, "project": register.project, "form": form, "note": note}
        return render_page(request, "web/governance/risks.html", "web/governance/_register.html", context)
    messages.success(request, note)
    return redirect("project-risks", code)
