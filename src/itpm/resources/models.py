"""People, generic roles and contractors, their skills, and their assignments to tasks."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class ResourceKind(models.TextChoices):
    PERSON = "person", "Person"
    ROLE = "role", "Generic role"
    CONTRACTOR = "contractor", "External contractor"


class Skill(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A resource in the shared pool, planned across every project."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices, default=ResourceKind.PERSON)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="resource"
    )
    role = models.CharField(max_length=100, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="resources")
    email = models.EmailField(blank=True)
    cost_rate = models.DecimalField(
        "cost rate per hour",
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(max_length=3, default="EUR")
    max_units = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Capacity: 1 = one full-time person, 0.5 = half-time, 4 = a team of four.",
    )
    calendar = models.ForeignKey(
        "planning.Calendar", null=True, blank=True, on_delete=models.SET_NULL, related_name="resources"
    )
    supplier = models.CharField(max_length=200, blank=True, help_text="Contracting company, for contractors.")
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    task = models.ForeignKey("planning.Task", on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments")
    units = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Share of the resource's time: 1 = 100 %.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "resource"], name="assignment_unique_pair")]

    def __str__(self) -> str:
        return f"{self.resource} on {self.task}"
