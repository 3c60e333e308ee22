"""Risks, estimates, the closed-project history and stored simulation runs in the admin.

Administrators correct the history here: a closed project's outcome is recorded automatically
from its plan and progress, and the actual cost often arrives later from finance.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from itpm.governance.models import ForecastProfile, ProjectOutcome, Risk, SimulationRun, TaskEstimate


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "project",
        "category",
        "status",
        "probability",
        "schedule_likely_days",
        "cost_likely",
    )
    list_filter = ("status", "category", "project")
    search_fields = ("title", "description", "project__code")
    filter_horizontal = ("tasks",)
    autocomplete_fields = ("owner",)


@admin.register(TaskEstimate)
class TaskEstimateAdmin(SimpleHistoryAdmin):
    list_display = (
        "task",
        "category",
        "optimistic_days",
        "most_likely_days",
        "pessimistic_days",
        "distribution",
    )
    list_filter = ("task__project", "category", "distribution")
    raw_id_fields = ("task",)


@admin.register(ForecastProfile)
class ForecastProfileAdmin(SimpleHistoryAdmin):
    list_display = ("project", "project_type", "uncertainty")
    list_filter = ("project_type", "uncertainty")


@admin.register(ProjectOutcome)
class ProjectOutcomeAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "project_type",
        "closed_on",
        "planned_duration_days",
        "actual_duration_days",
        "planned_cost",
        "actual_cost",
        "scope_delivered_percent",
    )
    list_filter = ("project_type",)
    search_fields = ("name", "notes")
    date_hierarchy = "closed_on"


@admin.register(SimulationRun)
class SimulationRunAdmin(admin.ModelAdmin):
    list_display = ("project", "created_at", "iterations", "seed", "elapsed_ms", "created_by")
    list_filter = ("project",)
    readonly_fields = ("project", "iterations", "seed", "parameters", "results", "elapsed_ms", "created_by")
