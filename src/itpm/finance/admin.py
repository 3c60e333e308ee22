"""Money in the admin, with the history of every change."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from itpm.finance.models import BudgetLine, CostRate, ExchangeRate, FixedCost, ProjectFinance, Purchase


@admin.register(CostRate)
class CostRateAdmin(SimpleHistoryAdmin):
    list_display = ("resource", "role", "standard_rate", "overtime_rate", "currency", "effective_from")
    list_filter = ("currency", "role")
    search_fields = ("resource__name", "role")
    raw_id_fields = ("resource",)


@admin.register(FixedCost)
class FixedCostAdmin(SimpleHistoryAdmin):
    list_display = ("name", "task", "category", "cost_type", "amount", "currency", "accrual")
    list_filter = ("category", "cost_type", "task__project")
    search_fields = ("name", "task__name", "task__project__code")
    raw_id_fields = ("task",)


@admin.register(Purchase)
class PurchaseAdmin(SimpleHistoryAdmin):
    list_display = ("description", "project", "supplier", "date", "amount", "currency", "status", "category")
    list_filter = ("status", "category", "cost_type", "project")
    search_fields = ("description", "supplier", "reference", "project__code")
    raw_id_fields = ("task",)
    date_hierarchy = "date"


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ("project", "category", "cost_type", "amount", "currency", "description")
    list_filter = ("category", "cost_type", "project")
    search_fields = ("description", "project__code")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ("base_currency", "quote_currency", "rate", "effective_from")
    list_filter = ("base_currency", "quote_currency")


@admin.register(ProjectFinance)
class ProjectFinanceAdmin(SimpleHistoryAdmin):
    list_display = ("project", "baseline")
    raw_id_fields = ("baseline",)
