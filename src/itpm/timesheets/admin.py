"""Timesheets in the admin: read for audit; changes go through the services, never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from itpm.timesheets.models import TimeEntry, Timesheet


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Approved hours are corrected only by reversal (API or services), so the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EntryInline(admin.TabularInline):
    model = TimeEntry
    fields = ("day", "task", "hours", "kind", "reverses", "comment", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Timesheet)
class TimesheetAdmin(ReadOnlyAdmin):
    list_display = ("resource", "project", "week_start", "status", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "project")
    search_fields = ("resource__name", "project__code")
    list_select_related = ("resource", "project", "decided_by")
    date_hierarchy = "week_start"
    inlines = [EntryInline]


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ("day", "task", "timesheet", "hours", "kind", "reverses")
    list_filter = ("kind", "timesheet__status", "timesheet__project")
    search_fields = ("task__name", "timesheet__resource__name", "comment")
    list_select_related = ("task", "timesheet__resource", "timesheet__project")
