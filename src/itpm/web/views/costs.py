"""The project's Costs page: purchases (with totals per status) and the fixed costs of tasks.
Roles that see the budget read it; those who change the project add, change and remove.

One pattern for both kinds, like the Risk page: an Edit button swaps the register with that item's
form filled in; a save or removal swaps the register back; a refused save answers 422 with the
service's message beside its field. Without JavaScript the same addresses serve whole pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from itpm.core.errors import Forbidden, Invalid
from itpm.finance import register as costs
from itpm.finance import services
from itpm.web.errors import apply_invalid, service_errors
from itpm.web.forms import DATE_WIDGET
from itpm.web.views.common import render_page

CURRENCY = forms.RegexField(
    regex=r"^[A-Z]{3}$", max_length=3, error_messages={"invalid": "Use a three-letter code such as EUR."}
)


def _amount() -> forms.DecimalField:
    return forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))


class TaskSelect(forms.Select):
    """A plan's thousands of tasks: the options written in one pass, not a template each."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen = "" if value is None else str(value)
        selected = mark_safe(" selected")
        rows = ((key, selected if str(key) == chosen else "", label) for key, label in self.choices)
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        shown = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, shown, options)


def _task_field(choices: list[tuple[Any, str]], required: bool) -> forms.IntegerField:
    """A list of the project's tasks; any number passes here, and the service says whether the
    task may carry the cost (another project's, a summary), beside this field."""
    return forms.IntegerField(required=required, widget=TaskSelect(choices=choices))


class PurchaseForm(forms.Form):
    description = forms.CharField(max_length=300)
    supplier = forms.CharField(max_length=200, required=False)
    status = forms.ChoiceField(choices=costs.PURCHASE_STATUSES)
    date = forms.DateField(widget=DATE_WIDGET, help_text="Planned, ordered or delivered on.")
    amount = _amount()
    currency = CURRENCY
    category = forms.ChoiceField(choices=costs.SPENDING_CATEGORIES)
    cost_type = forms.ChoiceField(label="Type", choices=costs.COST_TYPES)
    reference = forms.CharField(max_length=100, required=False, help_text="Order or invoice number.")

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = _task_field([("", "— the project as a whole"), *tasks], required=False)


class FixedCostForm(forms.Form):
    name = forms.CharField(max_length=200, label="What")
    amount = _amount()
    currency = CURRENCY
    category = forms.ChoiceField(choices=costs.SPENDING_CATEGORIES)
    cost_type = forms.ChoiceField(label="Type", choices=costs.COST_TYPES)
    accrual = forms.ChoiceField(label="Falls", choices=costs.ACCRUALS)

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = _task_field([("", "—"), *tasks], required=True)


@dataclass(frozen=True)
class Kind:
    """What differs between purchases and fixed costs: the form, the services and the words."""

    name: str  # the form's prefix and the address part
    noun: str
    form: type[forms.Form]
    fields: tuple[str, ...]
    access: Any
    create: Any
    update: Any
    delete: Any
    label: Any
    defaults: dict[str, str]

    def initial(self, item: Any) -> dict[str, Any]:
        values = {name: getattr(item, name) for name in self.fields}
        return {**values, "task": item.task_id}

    def make(self, register: costs.CostRegister, data: Any = None, item: Any = None) -> forms.Form:
        fresh = {**self.defaults, "currency": register.project.currency}
        initial = self.initial(item) if item is not None else fresh
        return self.form(data, initial=initial, tasks=register.tasks, prefix=self.name)  # type: ignore[call-arg]


PURCHASE = Kind(
    "purchase",
    "purchase",
    PurchaseForm,
    ("description", "supplier", "status", "date", "amount", "currency", "category", "cost_type", "reference"),
    costs.access_project_purchase,
    services.check_create_purchase,
    services.check_update_purchase,
    services.check_delete_purchase,
    lambda item: item.description,
    {"category": "hardware", "cost_type": "capex", "status": "planned"},
)
FIXED_COST = Kind(
    "fixed",
    "fixed cost",
    FixedCostForm,
    ("name", "amount", "currency", "category", "cost_type", "accrual"),
    costs.access_project_fixed_cost,
    services.check_create_fixed_cost,
    services.check_update_fixed_cost,
    services.check_delete_fixed_cost,
    lambda item: item.name,
    {"category": "services", "cost_type": "opex"},
)
KINDS = {kind.name: kind for kind in (PURCHASE, FIXED_COST)}


def _render(
    request: HttpRequest,
    register: costs.CostRegister,
    forms_by_kind: dict[str, forms.Form] | None = None,
    editing: tuple[str, Any] | None = None,
    status: int = 200,
    note: str = "",
) -> HttpResponse:
    shown = {k.name: k.make(register) for k in KINDS.values()} if register.may_edit else {}
    shown.update(forms_by_kind or {})
    context = {
        "register": register,
        "project": register.project,
        "role_label": register.role_label,
        "tab": "costs",
        "purchase_form": shown.get("purchase"),
        "fixed_form": shown.get("fixed"),
        "editing_kind": editing[0] if editing else "",
        "editing": editing[1] if editing else None,
        "note": note,
    }
    return render_page(request, "web/finance/costs.html", "web/finance/_costs_body.html", context, status)


def _editable(request: HttpRequest, code: str) -> costs.CostRegister:
    register = costs.cost_register(request.user, code)
    if not register.may_edit:
        raise Forbidden("your role does not allow changing this project's costs")
    return register


@require_http_methods(["GET"])
@login_required
@service_errors
def costs_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, costs.cost_register(request.user, code))


@require_POST
@login_required
@service_errors
def cost_add(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    what = KINDS[kind]
    register = _editable(request, code)
    form = what.make(register, request.POST)
    extra = {"project_id": register.project.pk} if what is PURCHASE else {}
    saved = _save(request, form, lambda data: what.create(request.user, {**data, **extra}))
    if saved is None:
        return _render(request, register, {kind: form}, status=422)
    return _after_save(request, code, f"{what.noun.capitalize()} “{what.label(saved)}” added.")


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def cost_edit(request: HttpRequest, code: str, kind: str, item_id: int) -> HttpResponse:
    """GET: the register with this item's form. POST: save the change."""
    what, register, item = _item(request, code, kind, item_id)
    form = what.make(register, request.POST if request.method == "POST" else None, item)
    if request.method == "GET":
        return _render(request, register, {kind: form}, (kind, item))
    saved = _save(request, form, lambda data: what.update(request.user, item, data))
    if saved is None:
        return _render(request, register, {kind: form}, (kind, item), 422)
    return _after_save(request, code, f"{what.noun.capitalize()} “{what.label(saved)}” saved.")


@require_POST
@login_required
@service_errors
def cost_delete(request: HttpRequest, code: str, kind: str, item_id: int) -> HttpResponse:
    what, _, item = _item(request, code, kind, item_id)
    what.delete(request.user, item)
    return _after_save(request, code, f"{what.noun.capitalize()} “{what.label(item)}” removed.")


def _item(request: HttpRequest, code: str, kind: str, item_id: int) -> tuple[Kind, Any, Any]:
    """The kind, the register (for those who may change it) and the item, of this project."""
    what = KINDS[kind]
    register = _editable(request, code)
    return what, register, what.access(request.user, register.project, item_id)


def _save(request: HttpRequest, form: forms.Form, write: Any) -> Any:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    data["task_id"] = data.pop("task")
    try:
        return write(data)
    except Invalid as error:
        apply_invalid(form, error)
        return None


def _after_save(request: HttpRequest, code: str, note: str) -> HttpResponse:
    """Back to the register: HTMX swaps it in place, a plain form post follows the redirect."""
    if getattr(request, "htmx", False):
        return _render(request, costs.cost_register(request.user, code), note=note)
    messages.success(request, note)
    return redirect("project-costs", code)


def urls(part: str, kind: str, name: str) -> list[Any]:
    """The add, edit and remove addresses of one kind, under the project's Costs page."""
    base = f"projects/<slug:code>/costs/{part}/"
    return [
        path(base, cost_add, {"kind": kind}, name=f"{name}-add"),
        path(f"{base}<int:item_id>/", cost_edit, {"kind": kind}, name=name),
        path(f"{base}<int:item_id>/delete/", cost_delete, {"kind": kind}, name=f"{name}-delete"),
    ]
