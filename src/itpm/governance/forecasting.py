"""Forecast services: run a Monte Carlo simulation of a project and store it, read the latest
run, and gather what the Forecast page shows beside it (the reference-class forecast).

Who may do what: whoever sees the whole plan sees the forecast; cost figures only for roles that
see the budget; whoever changes the plan runs a new simulation (it is stored and shown to all).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from itpm.core.errors import Conflict, Invalid, NotFound
from itpm.engine.errors import EngineError
from itpm.governance.models import ProjectOutcome, SimulationRun
from itpm.governance.reference import ReferenceForecast, reference_forecast
from itpm.governance.services import forecast_profile
from itpm.portfolio.models import Project
from itpm.portfolio.rules import can
from itpm.portfolio.services import access_project_by_code, project_role_label, require

MAX_ITERATIONS: int = getattr(settings, "ITPM_MAX_ITERATIONS", 50_000)
MIN_ITERATIONS = 100
MAX_SEED = 2**63 - 1
RUN_FIELDS = {"iterations", "seed", "deadline", "budget", "level"}
RUNS_KEPT = 20  # stored runs per project unless settings.ITPM_SIMULATION_RUNS_KEPT says otherwise


@dataclass(frozen=True)
class RunRequest:
    iterations: int
    seed: int
    deadline: dt.date | None
    budget: Decimal | None
    level: bool = False  # level each iteration against the people assigned (a resource-driven plan)


def _integer(data: Mapping[str, Any], name: str, low: int, high: int, default: int) -> int:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"{name}: give a whole number from {low:,} to {high:,}", field=name)
    return value


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("deadline: give a date as YYYY-MM-DD", field="deadline") from None


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Invalid("budget: give an amount of money", field="budget") from None
    if not amount.is_finite() or amount < 0:
        raise Invalid("budget: give an amount of 0 or more", field="budget")
    return amount


def parse_run_request(project: Project, data: Mapping[str, Any]) -> RunRequest:
    """Iterations within the cap, a seed (a new one when none is given), and the deadline and
    budget to test against (the project's planned finish and budget when not given)."""
    for name in data:
        if name not in RUN_FIELDS:
            raise Invalid(f"{name}: this field cannot be set", field=name)
    iterations = _integer(data, "iterations", MIN_ITERATIONS, MAX_ITERATIONS, 10_000)
    seed = _integer(data, "seed", 0, MAX_SEED, secrets.randbelow(2**31))
    deadline = _date(data.get("deadline")) or project.planned_finish
    budget = _money(data.get("budget"))
    level = data.get("level", False)
    if not isinstance(level, bool):
        raise Invalid("level: give true or false", field="level")
    return RunRequest(
        iterations, seed, deadline, budget if budget is not None else project.budget or None, level
    )


def check_run_simulation(user: Any, project: Project, data: Mapping[str, Any]) -> SimulationRun:
    require(user, "change_plan", project)
    request = parse_run_request(project, data)
    return do_run_simulation(project, request, user)


def do_run_simulation(project: Project, request: RunRequest, user: Any = None) -> SimulationRun:
    """Simulate outside any transaction (it reads, and may take seconds: holding SQLite's write
    lock that long would stall every other writer), then store the run in one short one."""
    from itpm.governance.simulation import simulate_project  # numpy and numba: loaded when used

    try:
        results, parameters, elapsed_ms = simulate_project(project, request)
    except EngineError as error:  # a cycle, or stored data beyond repair: the Gantt says the same
        raise Conflict(f"the plan cannot be simulated: {error.code}: {error.message}") from error
    with transaction.atomic():
        run = _store_run(project, request, results, parameters, elapsed_ms, user)
        prune_runs(project)
        return run


def runs_kept() -> int:
    """How many stored runs a project keeps: the setting, at least one (the one just shown)."""
    return max(1, int(getattr(settings, "ITPM_SIMULATION_RUNS_KEPT", RUNS_KEPT)))


def prune_runs(project: Project) -> int:
    """Delete the project's runs older than the latest runs_kept(); how many went."""
    newest_first = project.simulation_runs.order_by("-created_at", "-id").values_list("pk", flat=True)
    stale = list(newest_first[runs_kept() :])
    if stale:
        SimulationRun.objects.filter(pk__in=stale).delete()
    return len(stale)


def _store_run(
    project: Project,
    request: RunRequest,
    results: dict[str, Any],
    parameters: dict[str, Any],
    elapsed_ms: int,
    user: Any,
) -> SimulationRun:
    return SimulationRun.objects.create(
        project=project,
        iterations=request.iterations,
        seed=request.seed,
        parameters=parameters,
        results=results,
        elapsed_ms=elapsed_ms,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def latest_run(user: Any, project: Project) -> SimulationRun | None:
    require(user, "view_all_tasks", project)
    return project.simulation_runs.select_related("created_by").order_by("-created_at", "-id").first()


def criticality_by_task(project: Project) -> dict[int, float]:
    """Each task's criticality index in the project's latest run (none: no run yet). Checks no
    permission: for pages that already show the caller the whole plan."""
    run = project.simulation_runs.order_by("-created_at", "-id").only("results").first()
    if run is None:
        return {}
    return {item["task_id"]: float(item["index"]) for item in run.results.get("criticality", [])}


@dataclass(frozen=True)
class OverviewForecast:
    p80_finish: dt.date | None
    probability_deadline: float | None
    deadline: dt.date | None
    probability_budget: float | None
    risks_open: int


def overview_forecast(user: Any, project: Project) -> OverviewForecast | None:
    """The latest run in brief, for the project overview; None for roles that do not see the
    whole plan."""
    if not can(user, "view_all_tasks", project):
        return None
    run = project.simulation_runs.order_by("-created_at", "-id").only("results").first()
    results = results_for(user, run) if run is not None else {}
    finish, deadline = (results.get("finish") or {}).get("p80"), results.get("deadline")
    return OverviewForecast(
        p80_finish=dt.date.fromisoformat(finish) if finish else None,
        probability_deadline=results.get("probability_deadline"),
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
        probability_budget=results.get("probability_budget"),
        risks_open=project.risks.filter(status="open").count(),
    )


def access_run(user: Any, project: Project, run_id: int) -> SimulationRun:
    require(user, "view_all_tasks", project)
    run = project.simulation_runs.filter(pk=run_id).first()
    if run is None:
        raise NotFound("simulation run")
    return run


def results_for(user: Any, run: SimulationRun) -> dict[str, Any]:
    """The run's results as the user may see them: without money unless they see the budget."""
    return run.results if can(user, "view_budget", run.project) else without_money(run.results)


def reference_for(user: Any, project: Project) -> ReferenceForecast:
    require(user, "view_all_tasks", project)
    return reference_forecast(project, with_cost=can(user, "view_budget", project))


def without_money(results: dict[str, Any]) -> dict[str, Any]:
    """A run as a role that may not see the budget sees it: no cost distribution, no budget."""
    risks = [{**risk, "mean_cost": None} for risk in results.get("risks", [])]
    return {**results, "cost": None, "budget": None, "probability_budget": None, "risks": risks}


@dataclass(frozen=True)
class ForecastPage:
    project: Project
    role_label: str
    may_run: bool
    show_cost: bool
    run: SimulationRun | None
    reference: ReferenceForecast
    project_type: str
    outcome: ProjectOutcome | None = None  # what the project took, once it closed
    max_iterations: int = MAX_ITERATIONS

    @property
    def run_defaults(self) -> dict[str, Any]:
        """The last run's settings, so a new run compares like with like; else the plan's."""
        last = self.run.parameters if self.run is not None else {}
        deadline = last.get("deadline") or self.project.planned_finish.isoformat()
        budget = last.get("budget") or self.project.budget
        return {
            "iterations": last.get("iterations", 10_000),
            "deadline": dt.date.fromisoformat(str(deadline)),
            "budget": budget if self.show_cost else None,
            "level": bool(last.get("levelled", False)),
        }

    @property
    def results(self) -> dict[str, Any]:
        if self.run is None:
            return {}
        return self.run.results if self.show_cost else without_money(self.run.results)


def forecast_page(user: Any, code: str) -> ForecastPage:
    project = access_project_by_code(user, code, "view_all_tasks")
    show_cost = can(user, "view_budget", project)
    run = latest_run(user, project)
    return ForecastPage(
        project=project,
        role_label=project_role_label(user, project),
        may_run=can(user, "change_plan", project),
        show_cost=show_cost,
        run=run,
        reference=reference_forecast(project, with_cost=show_cost),
        project_type=forecast_profile(project).get_project_type_display(),
        outcome=ProjectOutcome.objects.filter(project=project).first(),
    )
