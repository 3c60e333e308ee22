"""Money pages: a project's budget (with its editable budget lines), its earned value, and the
budget of every portfolio you can see, rolled up in the portfolio's currency."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itpm.core.errors import Invalid
from itpm.finance import services
from itpm.finance.budget import portfolio_budget, project_budget
from itpm.finance.earned import project_earned_value
from itpm.finance.register import project_costs
from itpm.planning.services.baselines import project_baselines
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project_by_code, project_role_label, visible_portfolios
from itpm.web import finance_pages
from itpm.web.errors import apply_invalid, service_errors
from itpm.web.views.common import render_page

TABLE_ROWS = 400  # above this, the earned-value table shows phases until asked for every task


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(choices=services.BUDGET_CATEGORIES)
    cost_type = forms.ChoiceField(label="Type", choices=services.COST_TYPES)
    description = forms.CharField(max_length=300, required=False)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    currency = forms.RegexField(
        regex=r"^[A-Z]{3}$", max_length=3, error_messages={"invalid": "Use a three-letter code such as EUR."}
    )


def _line_form(line: Any, data: Any = None) -> BudgetLineForm:
    """The inline editor of one line: its inputs sit in the table's cells and belong to the row's
    form (the HTML form attribute), which holds only the buttons."""
    initial = {f: getattr(line, f) for f in ("category", "cost_type", "description", "amount", "currency")}
    form = BudgetLineForm(data, initial=initial, prefix=f"line-{line.pk}")
    for field in form.fields.values():
        field.widget.attrs["form"] = f"line-form-{line.pk}"
    return form


def _budget_context(
    request: HttpRequest, project: Any, bound: dict[int | str, BudgetLineForm]
) -> dict[str, Any]:
    summary = project_budget(project)
    editable = can(request.user, services.CHANGE, project)
    new_form = bound.get("new") or BudgetLineForm(prefix="new", initial={"currency": project.currency})
    return {
        "project": project,
        "tab": "budget",
        "summary": summary,
        "editable": editable,
        "lines": [(line, bound.get(line.pk) or _line_form(line)) for line in summary.budget_lines],
        "new_form": new_form if editable else None,
        "role_label": project_role_label(request.user, project),
        "register": project_costs(request.user, project),
    }


def _budget_page(
    request: HttpRequest, project: Any, bound: dict[int | str, BudgetLineForm], status: int = 200
):
    context = _budget_context(request, project, bound)
    return render_page(request, "web/finance/budget.html", "web/finance/_budget_body.html", context, status)


@require_GET
@login_required
@service_errors
def budget(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, services.VIEW)
    return _budget_page(request, project, {})


def _saved(request: HttpRequest, project: Any) -> HttpResponse:
    return _budget_page(request, project, {}) if request.htmx else redirect("project-budget", project.code)  # type: ignore[attr-defined]


@require_POST
@login_required
@service_errors
def budget_line_add(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, services.VIEW)
    form = BudgetLineForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.check_create_budget_line(request.user, {"project_id": project.pk, **form.cleaned_data})
        except Invalid as error:
            apply_invalid(form, error)
        else:
            return _saved(request, project)
    return _budget_page(request, project, {"new": form}, 422)


@require_http_methods(["POST"])
@login_required
@service_errors
def budget_line(request: HttpRequest, code: str, line_id: int) -> HttpResponse:
    project = access_project_by_code(request.user, code, services.VIEW)
    line = services.access_project_budget_line(request.user, project, line_id)
    if request.POST.get("action") == "delete":
        services.check_delete_budget_line(request.user, line)
        return _saved(request, project)
    form = _line_form(line, request.POST)
    if form.is_valid():
        try:
            services.check_update_budget_line(request.user, line, form.cleaned_data)
        except Invalid as error:
            apply_invalid(form, error)
            line = services.access_project_budget_line(request.user, project, line_id)
        else:
            return _saved(request, project)
    return _budget_page(request, project, {line.pk: form}, 422)


@require_GET
@login_required
@service_errors
def earned_value(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, services.VIEW)
    period = request.GET.get("period", "week")
    if period not in ("week", "month"):
        period = "week"
    report = project_earned_value(project, period)
    rows = report.rows
    if len(rows) > TABLE_ROWS and request.GET.get("tasks") != "all":
        rows = [row for row in rows if row.level == 0]  # a large plan: phases, and tasks on request
    context = {
        "rows": rows,
        "rows_folded": len(rows) < len(report.rows),
        "project": project,
        "tab": "earned-value",
        "report": report,
        "tiles": finance_pages.indicator_tiles(report),
        "estimates": finance_pages.eac_variants(report),
        "chart": finance_pages.s_curve(report),
        "baselines": list(project_baselines(request.user, project))
        if can(request.user, "view_all_tasks", project)
        else [],
        "chosen": services.measurement_baseline(project),
        "may_choose": can(request.user, services.CHANGE, project),
        "role_label": project_role_label(request.user, project),
        "thresholds": settings.ITPM_EVM_THRESHOLDS,
    }
    return render(request, "web/finance/earned_value.html", context)


@require_POST
@login_required
@service_errors
def choose_baseline(request: HttpRequest, code: str) -> HttpResponse:
    project = access_project_by_code(request.user, code, services.VIEW)
    raw = request.POST.get("baseline_id", "")
    try:
        services.check_choose_baseline(request.user, project, int(raw) if raw.isdigit() else None)
    except Invalid as error:
        messages.error(request, error.message)
    return redirect("project-earned-value", project.code)


@require_GET
@login_required
@service_errors
def portfolio_budgets(request: HttpRequest) -> HttpResponse:
    rollups = [
        portfolio_budget(request.user, p.pk) for p in visible_portfolios(request.user).order_by("name")
    ]
    return render(
        request, "web/finance/portfolio_budget.html", {"rollups": rollups, "nav_section": "portfolio"}
    )
