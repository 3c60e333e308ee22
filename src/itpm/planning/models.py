"""Calendars, phases, the WBS of tasks, dependencies and baselines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

working_week_validator = RegexValidator(
    r"^[1-7]{0,7}$", "Working week is a list of ISO weekday digits, 1 = Monday … 7 = Sunday."
)


class Calendar(models.Model):
    """Working time. Shared when project is empty; otherwise a project's own calendar."""

    name = models.CharField(max_length=100)
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="calendars"
    )
    working_week = models.CharField(max_length=7, default="12345", validators=[working_week_validator])
    day_start = models.TimeField(default=dt.time(9, 0))
    day_end = models.TimeField(default=dt.time(17, 30))
    hours_per_day = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("7.50"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(24))],
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO country whose public holidays apply.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    """A holiday or other non-working period, or extra working days (working=True)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="exceptions")
    name = models.CharField(max_length=100)
    start = models.DateField()
    finish = models.DateField()
    working = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finish__gte=models.F("start")), name="exception_finish_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start})"


class Phase(models.Model):
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    gate = models.CharField(max_length=200, blank=True, help_text="Stage gate that closes the phase.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Constraint(models.TextChoices):
    ASAP = "ASAP", "As soon as possible"
    ALAP = "ALAP", "As late as possible"
    SNET = "SNET", "Start no earlier than"
    SNLT = "SNLT", "Start no later than"
    FNET = "FNET", "Finish no earlier than"
    FNLT = "FNLT", "Finish no later than"
    MSO = "MSO", "Must start on"
    MFO = "MFO", "Must finish on"


DATED_CONSTRAINTS = frozenset({"SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"})


class Task(models.Model):
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    wbs_code = models.CharField("WBS code", max_length=50, blank=True, help_text="Outline code, e.g. 1.2.3.")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300)
    is_milestone = models.BooleanField(default=False)
    is_summary = models.BooleanField(default=False, help_text="Has children; kept by the services.")
    duration_days = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    effort_hours = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    percent_complete = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    actual_start = models.DateField(null=True, blank=True)
    actual_finish = models.DateField(null=True, blank=True)
    remaining_days = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    priority = models.PositiveSmallIntegerField(default=500, validators=[MaxValueValidator(1000)])
    constraint_type = models.CharField(max_length=4, choices=Constraint.choices, default=Constraint.ASAP)
    constraint_date = models.DateField(null=True, blank=True)
    deadline = models.DateField(
        null=True, blank=True, help_text="Finish by; missing it shows as negative float."
    )
    # The task's own working time, like MS Project's task calendar; empty means the calendar of
    # its resources, else the project's. SET_NULL, as for resources and projects: deleting a
    # calendar sends its tasks back to the calendar they would have without it, and the
    # schedule that follows says so in its dates, rather than blocking the delete.
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    levelling_delay = models.PositiveIntegerField(
        default=0,
        help_text="Working days resource levelling holds the task after its links allow it to start.",
    )
    can_level = models.BooleanField(
        default=True, help_text="Off: resource levelling never moves this task (MS Project's Can level)."
    )
    notes = models.TextField(blank=True)
    # Computed by the scheduler and written back in bulk; never edited by hand.
    start = models.DateField(null=True, blank=True)
    finish = models.DateField(null=True, blank=True)
    late_start = models.DateField(null=True, blank=True)
    late_finish = models.DateField(null=True, blank=True)
    total_float_days = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    free_float_days = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    is_critical = models.BooleanField(default=False)
    # Why the task starts when it does: "link" (then the predecessor and link type), "constraint",
    # "status date", "actual", "project start" or "project finish".
    driver = models.CharField(max_length=20, blank=True)
    driving_predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    driving_type = models.CharField(max_length=2, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "id"]
        indexes = [models.Index(fields=["project", "order"])]

    def __str__(self) -> str:
        return f"{self.wbs_code} {self.name}".strip()

    def clean(self) -> None:
        dated = self.constraint_type in DATED_CONSTRAINTS
        if dated and self.constraint_date is None:
            raise ValidationError({"constraint_date": f"{self.get_constraint_type_display()} needs a date"})
        if not dated and self.constraint_date is not None:
            raise ValidationError({"constraint_date": f"{self.get_constraint_type_display()} takes no date"})
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            raise ValidationError({"actual_finish": "must be on or after the actual start"})


class DependencyType(models.TextChoices):
    FS = "FS", "Finish-to-start"
    SS = "SS", "Start-to-start"
    FF = "FF", "Finish-to-finish"
    SF = "SF", "Start-to-finish"


class Dependency(models.Model):
    """A link between two tasks of one project; lag in working days, negative for a lead."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="dependencies")
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=DependencyType.choices, default=DependencyType.FS)
    lag_days = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "dependencies"
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="dependency_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type} {self.successor_id}"


class Baseline(models.Model):
    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="baseline_unique_name")]

    def __str__(self) -> str:
        return self.name


class BaselineTask(models.Model):
    """A frozen copy of one task's plan at the moment the baseline was set."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(Task, null=True, on_delete=models.SET_NULL, related_name="+")
    wbs_code = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=300)
    start = models.DateField(null=True)
    finish = models.DateField(null=True)
    duration_days = models.DecimalField(max_digits=8, decimal_places=2)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["baseline", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.baseline_id})"
