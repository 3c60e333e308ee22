"""Finance services: who sees and changes money, and the writes.

Money follows the portfolio rules: budget lines, fixed costs and purchases are visible where the
role may see the budget (`view_budget`: project admin, project manager, stakeholder viewer) and
changed where it may change the project (`change_project`: project admin and manager). Cost
rates are what resources/services.py already guards: seen by administrators and anyone who
manages a project, kept by administrators, like the resource pool; exchange rates are public
to signed-in users and kept by administrators. Invisible objects answer 404, like missing ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from itpm.core.errors import Invalid, NotFound
from itpm.core.lookup import one_visible
from itpm.core.writes import assign_fields, validate_and_save
from itpm.finance.models import (
    BudgetLine,
    Category,
    CostRate,
    CostType,
    ExchangeRate,
    FixedCost,
    ProjectFinance,
    Purchase,
)
from itpm.planning.models import Baseline, Task
from itpm.planning.services.visibility import access_task
from itpm.portfolio.models import Project
from itpm.portfolio.rules import PROJECT_ACTIONS
from itpm.portfolio.services import access_project, require, require_superuser, visible_projects
from itpm.resources.services import access_resource, may_see_cost_rates

VIEW, CHANGE = "view_budget", "change_project"
BUDGET_LINE_FIELDS = {"project_id", "category", "cost_type", "description", "amount", "currency"}
PURCHASE_FIELDS = {
    "project_id",
    "task_id",
    "description",
    "category",
    "cost_type",
    "supplier",
    "date",
    "amount",
    "currency",
    "status",
    "reference",
}
FIXED_COST_FIELDS = {"task_id", "name", "category", "cost_type", "amount", "currency", "accrual"}
COST_RATE_FIELDS = {"resource_id", "role", "standard_rate", "overtime_rate", "currency", "effective_from"}
EXCHANGE_RATE_FIELDS = {"base_currency", "quote_currency", "rate", "effective_from"}


# ---- visibility ---------------------------------------------------------------------------------


def money_projects(user: Any, action: str = VIEW) -> QuerySet[Project]:
    """Projects whose money the user may see (or, with CHANGE, change)."""
    projects = visible_projects(user)
    if user is None or not user.is_authenticated or user.is_superuser:
        return projects
    return projects.filter(memberships__user=user, memberships__role__in=PROJECT_ACTIONS[action])


def visible_budget_lines(user: Any) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project__in=money_projects(user))


def visible_purchases(user: Any) -> QuerySet[Purchase]:
    return Purchase.objects.filter(project__in=money_projects(user))


def visible_fixed_costs(user: Any) -> QuerySet[FixedCost]:
    return FixedCost.objects.filter(task__project__in=money_projects(user))


def visible_cost_rates(user: Any) -> QuerySet[CostRate]:
    return CostRate.objects.all() if may_see_cost_rates(user) else CostRate.objects.none()


def visible_exchange_rates(user: Any) -> QuerySet[ExchangeRate]:
    active = user is not None and user.is_authenticated and user.is_active
    return ExchangeRate.objects.all() if active else ExchangeRate.objects.none()


def access_budget_line(user: Any, pk: int) -> BudgetLine:
    return one_visible(visible_budget_lines(user).select_related("project"), pk, "budget line")


def access_purchase(user: Any, pk: int) -> Purchase:
    return one_visible(visible_purchases(user).select_related("project"), pk, "purchase")


def access_fixed_cost(user: Any, pk: int) -> FixedCost:
    return one_visible(visible_fixed_costs(user).select_related("task__project"), pk, "fixed cost")


def access_cost_rate(user: Any, pk: int) -> CostRate:
    return one_visible(visible_cost_rates(user), pk, "cost rate")


def access_exchange_rate(user: Any, pk: int) -> ExchangeRate:
    return one_visible(visible_exchange_rates(user), pk, "exchange rate")


def access_money_project(user: Any, project_id: int) -> Project:
    """The project, if visible (404), and its money, if the role may see it (403)."""
    return access_project(user, project_id, VIEW)


# ---- references in input ------------------------------------------------------------------------


def _project_ref(user: Any, data: Mapping[str, Any]) -> Project:
    if data.get("project_id") is None:
        raise Invalid("project_id: required", field="project_id")
    try:
        project = access_project(user, int(data["project_id"]))
    except NotFound as missing:
        raise Invalid(
            f"project_id: no project {data['project_id']} you can see", field="project_id"
        ) from missing
    require(user, CHANGE, project)
    return project


def _task_ref(user: Any, task_id: Any, project: Project | None = None) -> Task:
    try:
        task = access_task(user, int(task_id))
    except NotFound as missing:
        raise Invalid(f"task_id: no task {task_id} you can see", field="task_id") from missing
    if project is not None and task.project_id != project.pk:
        raise Invalid(f"task_id: task {task_id} is not in project {project.code}", field="task_id")
    if task.is_summary:
        raise Invalid(f"task_id: task {task_id} is a summary; put costs on its subtasks", field="task_id")
    return task


def _unchanged(item: Model, data: Mapping[str, Any], field: str) -> None:
    if field in data and data[field] != getattr(item, field):
        raise Invalid(f"{field}: cannot be moved; delete it and create it anew", field=field)


def _save(item: Model, data: Mapping[str, Any], writable: set[str]) -> Any:
    with transaction.atomic():
        return validate_and_save(assign_fields(item, data, writable))


def _with_currency(data: Mapping[str, Any], project: Project) -> dict[str, Any]:
    """Money is entered in the project's currency unless another is named."""
    return {"currency": project.currency, **data}


# ---- budget lines, purchases and fixed costs (project managers) ---------------------------------


def check_create_budget_line(user: Any, data: Mapping[str, Any]) -> BudgetLine:
    project = _project_ref(user, data)
    return _save(BudgetLine(), _with_currency(data, project), BUDGET_LINE_FIELDS)


def check_update_budget_line(user: Any, line: BudgetLine, data: Mapping[str, Any]) -> BudgetLine:
    require(user, CHANGE, line.project)
    _unchanged(line, data, "project_id")
    return _save(line, data, BUDGET_LINE_FIELDS)


def check_delete_budget_line(user: Any, line: BudgetLine) -> None:
    require(user, CHANGE, line.project)
    line.delete()


def check_create_purchase(user: Any, data: Mapping[str, Any]) -> Purchase:
    project = _project_ref(user, data)
    if data.get("task_id") is not None:
        _task_ref(user, data["task_id"], project)
    return _save(Purchase(), _with_currency(data, project), PURCHASE_FIELDS)


def check_update_purchase(user: Any, purchase: Purchase, data: Mapping[str, Any]) -> Purchase:
    require(user, CHANGE, purchase.project)
    _unchanged(purchase, data, "project_id")
    if data.get("task_id") is not None:
        _task_ref(user, data["task_id"], purchase.project)
    return _save(purchase, data, PURCHASE_FIELDS)


def check_delete_purchase(user: Any, purchase: Purchase) -> None:
    require(user, CHANGE, purchase.project)
    purchase.delete()


def check_create_fixed_cost(user: Any, data: Mapping[str, Any]) -> FixedCost:
    if data.get("task_id") is None:
        raise Invalid("task_id: required", field="task_id")
    task = _task_ref(user, data["task_id"])
    require(user, CHANGE, task.project)
    return _save(FixedCost(), _with_currency(data, task.project), FIXED_COST_FIELDS)


def check_update_fixed_cost(user: Any, cost: FixedCost, data: Mapping[str, Any]) -> FixedCost:
    require(user, CHANGE, cost.task.project)
    if data.get("task_id") is not None:
        _task_ref(user, data["task_id"], cost.task.project)
    return _save(cost, data, FIXED_COST_FIELDS)


def check_delete_fixed_cost(user: Any, cost: FixedCost) -> None:
    require(user, CHANGE, cost.task.project)
    cost.delete()


# ---- cost rates and exchange rates (administrators) --------------------------------------------


def _check_rate_refs(user: Any, data: Mapping[str, Any]) -> None:
    if data.get("resource_id") is not None:
        try:
            access_resource(user, int(data["resource_id"]))
        except NotFound as missing:
            raise Invalid(f"resource_id: no resource {data['resource_id']}", field="resource_id") from missing


def check_create_cost_rate(user: Any, data: Mapping[str, Any]) -> CostRate:
    require_superuser(user, "set cost rates")
    _check_rate_refs(user, data)
    return _save(CostRate(), data, COST_RATE_FIELDS)


def check_update_cost_rate(user: Any, rate: CostRate, data: Mapping[str, Any]) -> CostRate:
    require_superuser(user, "change cost rates")
    _check_rate_refs(user, data)
    return _save(rate, data, COST_RATE_FIELDS)


def check_delete_cost_rate(user: Any, rate: CostRate) -> None:
    require_superuser(user, "delete cost rates")
    rate.delete()


def check_create_exchange_rate(user: Any, data: Mapping[str, Any]) -> ExchangeRate:
    require_superuser(user, "set exchange rates")
    return _save(ExchangeRate(), data, EXCHANGE_RATE_FIELDS)


def check_update_exchange_rate(user: Any, rate: ExchangeRate, data: Mapping[str, Any]) -> ExchangeRate:
    require_superuser(user, "change exchange rates")
    return _save(rate, data, EXCHANGE_RATE_FIELDS)


def check_delete_exchange_rate(user: Any, rate: ExchangeRate) -> None:
    require_superuser(user, "delete exchange rates")
    rate.delete()


# ---- the performance measurement baseline -------------------------------------------------------


def measurement_baseline(project: Project) -> Baseline | None:
    """The baseline earned value is measured against: the chosen one, else the latest."""
    chosen = ProjectFinance.objects.filter(project=project).select_related("baseline").first()
    if chosen is not None and chosen.baseline is not None:
        return chosen.baseline
    return project.baselines.order_by("-created_at", "-id").first()


def check_choose_baseline(user: Any, project: Project, baseline_id: int | None) -> ProjectFinance:
    require(user, CHANGE, project)
    if baseline_id is not None and not project.baselines.filter(pk=baseline_id).exists():
        raise Invalid(
            f"baseline_id: no baseline {baseline_id} in project {project.code}", field="baseline_id"
        )
    with transaction.atomic():
        settings, _ = ProjectFinance.objects.get_or_create(project=project)
        settings.baseline_id = baseline_id
        settings.save()
    return settings


# Choices for forms on the pages, which may not import the models.
BUDGET_CATEGORIES = Category.choices
COST_TYPES = CostType.choices


def access_project_budget_line(user: Any, project: Project, pk: int) -> BudgetLine:
    """A budget line of this project (404 for a line of another project or an invisible one)."""
    line = access_budget_line(user, pk)
    if line.project_id != project.pk:
        raise NotFound("budget line")
    return line
