"""Portfolio models in the admin, with history for every change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from itpm.portfolio.models import Goal, Membership, Portfolio, Program, Project


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("order", "text", "measure")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


@admin.register(Portfolio)
class PortfolioAdmin(SimpleHistoryAdmin):
    list_display = ("name", "currency", "created_at")
    search_fields = ("name", "description")


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("name", "portfolio", "manager", "created_at")
    list_filter = ("portfolio",)
    search_fields = ("name", "description")
    list_select_related = ("portfolio", "manager")
    autocomplete_fields = ("manager",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "portfolio",
        "program",
        "status",
        "rag",
        "methodology",
        "manager",
        "planned_start",
        "planned_finish",
        "budget",
        "currency",
    )
    list_filter = ("status", "rag", "methodology", "portfolio", "program")
    search_fields = ("code", "name", "description")
    list_select_related = ("portfolio", "program", "manager")
    readonly_fields = ("lock_version", "created_at", "updated_at")
    autocomplete_fields = ("manager", "sponsor")
    date_hierarchy = "planned_start"
    inlines = (GoalInline, MembershipInline)

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        # An edit here must invalidate forms and API clients holding the old version.
        if change:
            obj.lock_version += 1
        super().save_model(request, obj, form, change)


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("text", "project", "measure", "order")
    list_filter = ("project",)
    search_fields = ("text", "measure", "project__code")
    list_select_related = ("project",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "project", "role", "created_at")
    list_filter = ("role", "project")
    search_fields = ("user__username", "user__first_name", "user__last_name", "project__code")
    list_select_related = ("user", "project")
    autocomplete_fields = ("user", "project")
