"""The shared resource pool in the admin."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from itpm.resources.models import Assignment, Resource, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "kind",
        "user",
        "role",
        "supplier",
        "cost_rate",
        "currency",
        "max_units",
        "active",
    )
    list_filter = ("kind", "active", "skills")
    search_fields = ("name", "role", "supplier", "email", "user__username")
    list_select_related = ("user",)
    filter_horizontal = ("skills",)
    autocomplete_fields = ("user",)


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("task", "resource", "units")
    list_filter = ("task__project",)
    search_fields = ("task__name", "resource__name", "task__project__code")
    list_select_related = ("task", "resource")
    autocomplete_fields = ("resource",)
    raw_id_fields = ("task",)
