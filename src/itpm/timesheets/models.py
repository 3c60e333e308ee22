"""Time logged per person, per task, per day, grouped in weekly timesheets that a PM approves.

A timesheet covers one person's ISO week on one project, so each project manager approves the
hours of their own project and a rejection on one project leaves another project's approved
hours locked. Approved timesheets are never edited: a correction is a reversal entry (the
negative of the original, pointing at it) plus a correction entry with the right hours.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

MAX_DAY_HOURS = Decimal(24)


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


EDITABLE = frozenset({SheetStatus.DRAFT.value, SheetStatus.REJECTED.value})


class Timesheet(models.Model):
    """One person's hours on one project in one ISO week (week_start is its Monday)."""

    resource = models.ForeignKey("resources.Resource", on_delete=models.PROTECT, related_name="timesheets")
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="timesheets")
    week_start = models.DateField(help_text="Monday of the ISO week.")
    status = models.CharField(max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start", "resource", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "project", "week_start"], name="timesheet_unique_week"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.resource} {self.week_start:%G-W%V} on {self.project_id}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class EntryKind(models.TextChoices):
    ORIGINAL = "original", "Original"
    REVERSAL = "reversal", "Reversal"
    CORRECTION = "correction", "Correction"


class TimeEntry(models.Model):
    """Hours on one task on one day; negative only for a reversal of an approved entry."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="entries")
    task = models.ForeignKey("planning.Task", on_delete=models.PROTECT, related_name="time_entries")
    day = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(-MAX_DAY_HOURS), MaxValueValidator(MAX_DAY_HOURS)],
    )
    comment = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=10, choices=EntryKind.choices, default=EntryKind.ORIGINAL)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "time entries"
        ordering = ["day", "task", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["timesheet", "task", "day"],
                condition=models.Q(kind="original"),
                name="time_entry_one_original_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24, reverses__isnull=True)
                | models.Q(kind="reversal", hours__lt=0, hours__gte=-24, reverses__isnull=False),
                name="time_entry_hours_sign",
            ),
        ]
        indexes = [models.Index(fields=["task", "day"])]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.task_id} {self.day}"
