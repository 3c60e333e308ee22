"""Planning models in the admin. Scheduled dates are computed by the scheduler, so read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from itpm.planning.models import (
    Baseline,
    BaselineTask,
    Calendar,
    CalendarException,
    Dependency,
    Phase,
    Task,
)
from itpm.resources.models import Assignment

COMPUTED = (
    "wbs_code",
    "is_summary",
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float_days",
    "is_critical",
    "lock_version",
)


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0
    fields = ("name", "start", "finish", "working")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("resource", "units")
    autocomplete_fields = ("resource",)


class BaselineTaskInline(admin.TabularInline):
    model = BaselineTask
    extra = 0
    fields = ("wbs_code", "name", "start", "finish", "duration_days", "cost")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a baseline is a frozen copy


@admin.register(Calendar)
class CalendarAdmin(SimpleHistoryAdmin):
    list_display = ("name", "project", "working_week", "hours_per_day", "country")
    list_filter = ("country",)
    search_fields = ("name", "project__code")
    list_select_related = ("project",)
    inlines = (CalendarExceptionInline,)


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ("name", "calendar", "start", "finish", "working")
    list_filter = ("working", "calendar")
    search_fields = ("name", "calendar__name")
    list_select_related = ("calendar",)


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "project", "order", "gate")
    list_filter = ("project",)
    search_fields = ("name", "gate", "project__code")
    list_select_related = ("project",)


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = (
        "wbs_code",
        "name",
        "project",
        "is_milestone",
        "duration_days",
        "percent_complete",
        "start",
        "finish",
        "is_critical",
    )
    list_filter = ("project", "is_milestone", "is_critical", "is_summary")
    search_fields = ("name", "wbs_code", "project__code")
    list_select_related = ("project",)
    readonly_fields = COMPUTED
    raw_id_fields = ("parent",)
    inlines = (AssignmentInline,)

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        if change:
            obj.lock_version += 1
        super().save_model(request, obj, form, change)


@admin.register(Dependency)
class DependencyAdmin(SimpleHistoryAdmin):
    list_display = ("predecessor", "type", "successor", "lag_days", "project")
    list_filter = ("type", "project")
    search_fields = ("predecessor__name", "successor__name", "project__code")
    list_select_related = ("predecessor", "successor", "project")
    raw_id_fields = ("predecessor", "successor")


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "created_at", "created_by")
    list_filter = ("project",)
    search_fields = ("name", "project__code")
    list_select_related = ("project", "created_by")
    readonly_fields = ("created_at",)
    inlines = (BaselineTaskInline,)


@admin.register(BaselineTask)
class BaselineTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "baseline", "wbs_code", "start", "finish", "duration_days", "cost")
    list_filter = ("baseline__project",)
    search_fields = ("name", "wbs_code")
    list_select_related = ("baseline",)
