"""Portfolios, programs, projects, goals and per-project membership with a role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Methodology(models.TextChoices):
    WATERFALL = "waterfall", "Waterfall"
    SCRUM = "agile-scrum", "Agile (Scrum)"
    KANBAN = "kanban", "Kanban"
    HYBRID = "hybrid", "Hybrid"
    PRINCE2 = "prince2", "PRINCE2"


class LifecycleStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PLANNING = "planning", "Planning"
    IN_PROGRESS = "in-progress", "In progress"
    ON_HOLD = "on-hold", "On hold"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Role(models.TextChoices):
    ADMIN = "admin", "Project admin"
    PROJECT_MANAGER = "project-manager", "Project manager"
    TEAM_MEMBER = "team-member", "Team member"
    STAKEHOLDER = "stakeholder", "Stakeholder viewer"
    SUPPLIER = "supplier", "External supplier"


RESERVED_CODES = frozenset({"new"})  # words the pages use in project addresses


def not_reserved(code: str) -> None:
    if code.lower() in RESERVED_CODES:
        raise ValidationError(f"{code!r} is reserved; choose another code")


class Portfolio(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    currency = models.CharField(max_length=3, default="EUR", help_text="Reporting currency (ISO 4217).")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["portfolio", "name"], name="program_unique_name")]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="projects")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    code = models.SlugField(
        max_length=20, unique=True, validators=[not_reserved], help_text="Short unique code, e.g. ERP-26."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    methodology = models.CharField(max_length=20, choices=Methodology.choices, default=Methodology.WATERFALL)
    status = models.CharField(
        max_length=20, choices=LifecycleStatus.choices, default=LifecycleStatus.PROPOSED
    )
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices, default=Rag.GREEN)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_start = models.DateField()
    planned_finish = models.DateField()
    budget = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, default="EUR")
    business_case = models.TextField("business case summary", blank=True)
    calendar = models.ForeignKey(
        "planning.Calendar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_date = models.DateField(
        null=True,
        blank=True,
        help_text="Progress is reported as of the end of this day; work not done is after it.",
    )
    # Written by the scheduler with the dates: its conflicts and the stored data it set aside.
    schedule_issues = models.JSONField(default=list, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="project_finish_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            raise ValidationError({"planned_finish": "must be on or after the planned start"})


class Goal(models.Model):
    """A project goal or objective with the measure that says it was met."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, blank=True, help_text="How success is measured.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.project.code}"
