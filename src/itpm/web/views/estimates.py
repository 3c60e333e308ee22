"""The Forecast page's estimates table: each task's optimistic, most likely and pessimistic
duration (or its kind of work), edited in place. With HTMX a save swaps only its row, and a
refused one comes back with 422 and the message under the value it names; without JavaScript
the same address serves the whole page. The next simulation reads what is stored here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from itpm.core.errors import Forbidden, Invalid
from itpm.governance import estimates
from itpm.web.errors import apply_invalid, service_errors
from itpm.web.views.common import wants_partial


def _days(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=8, decimal_places=2, min_value=Decimal(0)
    )


class EstimateForm(forms.Form):
    category = forms.ChoiceField(
        label="Kind of work", choices=[("", "—"), *estimates.CATEGORY_CHOICES], required=False
    )
    optimistic_days = _days("Optimistic (days)")
    most_likely_days = _days("Most likely (days)")
    pessimistic_days = _days("Pessimistic (days)")
    distribution = forms.ChoiceField(choices=estimates.DISTRIBUTION_CHOICES)


def _plain(value: Any) -> Any:
    """20.00 as 20 and 2.50 as 2.5: the days as a person would type them."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def row_form(row: estimates.EstimateRow, data: Any = None) -> EstimateForm:
    """The row's inputs sit in the table's cells and belong to the row's form (the HTML form
    attribute), which holds only the buttons; the prefix keeps each row's ids apart."""
    saved = row.estimate
    initial = {name: _plain(getattr(saved, name)) for name in estimates.ROW_FIELDS} if saved else {}
    initial.setdefault("distribution", estimates.DEFAULT_DISTRIBUTION)
    form = EstimateForm(data, initial=initial, prefix=f"t{row.task.pk}")
    for field in form.fields.values():
        field.widget.attrs["form"] = f"estimate-form-{row.task.pk}"
    for name, value in zip(estimates.THREE_POINTS, row.implied or (), strict=False):
        form.fields[name].widget.attrs["placeholder"] = value  # what the run takes if left empty
    return form


@require_GET
@login_required
@service_errors
def estimate_table(request: HttpRequest, code: str) -> HttpResponse:
    table = estimates.estimate_table(request.user, code, _page(request.GET))
    rows = [(row, row_form(row) if table.may_edit else None) for row in table.rows]
    context = {"table": table, "project": table.project, "rows": rows}
    return render(request, "web/governance/estimates.html", context)


@require_POST
@login_required
@service_errors
def estimate_save(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    table = estimates.estimate_table(request.user, code, _page(request.POST))
    if not table.may_edit:
        raise Forbidden("your role does not allow changing estimates")
    row = estimates.estimate_row(request.user, table.project, task_id)
    form = row_form(row, request.POST)
    if form.is_valid():
        try:
            row = estimates.check_save_row(request.user, row, form.cleaned_data)
        except Invalid as error:
            apply_invalid(form, error)
        else:
            return _saved(request, table, row)
    return _row(request, table, row, form, 422)


def _saved(request: HttpRequest, table: Any, row: estimates.EstimateRow) -> HttpResponse:
    if wants_partial(request):
        return _row(request, table, row, row_form(row), 200, saved=True)
    messages.success(request, f"Estimate of {row.task.wbs_code} {row.task.name} saved.")
    return redirect(f"{reverse('project-estimates', args=[table.project.code])}?page={table.page}")


def _page(data: Any) -> int:
    """The table's page asked for; anything but a whole number is the first."""
    raw = str(data.get("page", ""))
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _row(
    request: HttpRequest, table: Any, row: Any, form: EstimateForm, status: int, saved: bool = False
) -> HttpResponse:
    """The row alone for HTMX; the whole table, this row's errors in it, without JavaScript."""
    if wants_partial(request):
        context = {"table": table, "project": table.project, "row": row, "form": form, "saved": saved}
        return render(request, "web/governance/_estimate_row.html", context, status=status)
    rows = [(r, form if r.task.pk == row.task.pk else row_form(r)) for r in table.rows]
    context = {"table": table, "project": table.project, "rows": rows}
    return render(request, "web/governance/estimates.html", context, status=status)
