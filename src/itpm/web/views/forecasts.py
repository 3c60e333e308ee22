"""The project's Forecast page: the latest Monte Carlo run (finish and cost distributions with
P-lines and the deadline, the chances of meeting the deadline and budget, the tornado of
drivers, criticality per task, convergence) beside the reference-class forecast from the
organisation's closed projects. Managers run a new simulation from the page.

The page draws what the run stored; it never simulates on a GET.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from itpm.core.errors import Forbidden, Invalid
from itpm.governance import forecasting, services
from itpm.web.errors import service_errors
from itpm.web.risk_charts import Driver, Mark, distribution_svg, tornado_svg

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RunForm(forms.Form):
    iterations = forms.IntegerField(min_value=100, max_value=forecasting.MAX_ITERATIONS, initial=10_000)
    seed = forms.IntegerField(
        min_value=0, max_value=2**63 - 1, required=False, help_text="Empty: a new seed."
    )
    deadline = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    budget = forms.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=Decimal(0))
    level = forms.BooleanField(
        required=False,
        label="Level each run (resource-driven plan)",
        help_text="Each run's tasks wait for the people assigned; cost and drivers stay unlevelled.",
    )


class ProfileForm(forms.Form):
    project_type = forms.ChoiceField(
        label="Reference class",
        choices=services.PROJECT_TYPE_CHOICES,
        help_text="Past projects compared with it.",
    )
    uncertainty = forms.ChoiceField(
        label="Tasks without an estimate",
        choices=services.UNCERTAINTY_CHOICES,
        help_text="Their duration range.",
    )
    correlation = forms.DecimalField(
        label="Correlation within a kind of work",
        min_value=Decimal(0),
        max_value=Decimal("0.95"),
        max_digits=3,
        decimal_places=2,
        help_text="0 to 0.95: how strongly tasks of one kind (testing, development…) overrun together.",
    )


def _day_label(value: float) -> str:
    day = dt.date.fromordinal(round(value))
    return f"{day.day} {MONTHS[day.month - 1]} {day.year % 100:02d}"


def _money_label(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    return f"{value / 1000:.0f}k" if abs(value) >= 1000 else f"{value:.0f}"


def _marks(block: dict[str, Any], target: Any, target_label: str, to_number: Any) -> list[Mark]:
    marks = [Mark(to_number(block[name]), name.upper(), "pline") for name in ("p10", "p50", "p80", "p90")]
    if target is not None:
        marks.append(Mark(to_number(target), target_label, "target"))
    return marks


def _chart(block: dict[str, Any] | None, target: Any, target_label: str, dates: bool, title: str) -> str:
    if not block:
        return ""
    number = (lambda v: float(dt.date.fromisoformat(v).toordinal())) if dates else float
    edges = [number(v) for v in block["histogram"]["edges"]]
    cumulative = [(number(v), float(p)) for v, p in block["cumulative"]]
    marks = _marks(block, target, target_label, number)
    label = _day_label if dates else _money_label
    return distribution_svg(edges, block["histogram"]["counts"], cumulative, marks, label, title)


def charts(results: dict[str, Any], show_cost: bool) -> dict[str, str]:
    drivers = [Driver(d["name"], float(d["value"]), d["kind"]) for d in results.get("tornado", [])]
    cost = results.get("cost") if show_cost else None
    return {
        "finish_chart": _chart(
            results.get("finish"), results.get("deadline"), "Deadline", True, "Finish date distribution"
        ),
        "cost_chart": _chart(cost, results.get("budget"), "Budget", False, "Cost distribution"),
        "tornado_chart": tornado_svg(drivers, "What drives the finish date"),
    }


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _amount(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def headline(results: dict[str, Any]) -> dict[str, Any]:
    """The stored strings as dates and money, for the page's figures."""
    finish, cost = results.get("finish") or {}, results.get("cost") or {}
    names = ("p10", "p50", "p80", "p90", "mean")
    return {
        "finish": {name: _day(finish.get(name)) for name in names},
        "cost": {name: _amount(cost.get(name)) for name in names} if cost else None,
        "deterministic_finish": _day(results.get("deterministic_finish")),
        "deadline": _day(results.get("deadline")),
        "budget": _amount(results.get("budget")),
    }


@require_GET
@login_required
@service_errors
def forecast(request: HttpRequest, code: str) -> HttpResponse:
    page = forecasting.forecast_page(request.user, code)
    form = RunForm(initial=page.run_defaults) if page.may_run else None
    return _render(request, page, form)


def _profile_form(page: Any, data: Any = None) -> ProfileForm | None:
    if not page.may_run:
        return None
    profile = services.forecast_profile(page.project)
    initial = {"project_type": profile.project_type, "uncertainty": profile.uncertainty}
    return ProfileForm(data, initial={**initial, "correlation": profile.correlation})


def _render(
    request: HttpRequest,
    page: Any,
    form: RunForm | None,
    status: int = 200,
    profile: ProfileForm | None = None,
) -> HttpResponse:
    profile = profile or _profile_form(page)
    context: dict[str, Any] = {"page": page, "project": page.project, "form": form, "profile_form": profile}
    if page.run is not None:
        context.update(charts(page.results, page.show_cost))
        context["figures"] = headline(page.results)
    return render(request, "web/governance/forecast.html", context, status=status)


def _page_for_managers(request: HttpRequest, code: str) -> Any:
    """The page, for a post: refused (403) before the input is even read if the role may not."""
    page = forecasting.forecast_page(request.user, code)
    if not page.may_run:
        raise Forbidden("your role does not allow running simulations or changing the forecast profile")
    return page


@require_POST
@login_required
@service_errors
def forecast_run(request: HttpRequest, code: str) -> HttpResponse:
    page = _page_for_managers(request, code)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = forecasting.check_run_simulation(request.user, page.project, form.cleaned_data)
        except Invalid as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, f"Simulated {run.iterations:,} runs in {run.elapsed_ms:,} ms (seed {run.seed})."
            )
            return redirect("project-forecast", code)
    return _render(request, page, form, 422)


@require_POST
@login_required
@service_errors
def forecast_profile(request: HttpRequest, code: str) -> HttpResponse:
    """Set the project's reference class and the uncertainty of tasks without an estimate."""
    page = _page_for_managers(request, code)
    form = ProfileForm(request.POST)
    if form.is_valid():
        services.check_set_profile(request.user, page.project, form.cleaned_data)
        messages.success(
            request, "Saved. The reference class is shown now; run a simulation to use the new range."
        )
        return redirect("project-forecast", code)
    return _render(request, page, RunForm(initial=page.run_defaults) if page.may_run else None, 422, form)
