"""Quantified risks, three-point task estimates, the organisation's closed-project history and
stored Monte Carlo runs.

A later governance issue brings the full risk register (owners' actions, triggers, reviews); the
Risk here is the quantified part that the simulation needs, kept small but real.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

ZERO = Decimal(0)
NOT_NEGATIVE = [MinValueValidator(ZERO)]


class ProjectType(models.TextChoices):
    """The reference classes: projects of one type overrun alike (Flyvbjerg's reference classes)."""

    ERP = "erp", "ERP"
    CRM = "crm", "CRM"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    WEB_MOBILE = "web-mobile", "Web and mobile"
    DATA = "data", "Data and analytics"
    OTHER = "other", "Other"


class Distribution(models.TextChoices):
    TRIANGULAR = "triangular", "Triangular"
    PERT = "pert", "PERT-beta"


class Uncertainty(models.TextChoices):
    """How uncertain a task's duration is when it has no three-point estimate of its own;
    the factors behind each class live in governance.uncertainty."""

    ROUTINE = "routine", "Routine (−5 % / +15 %)"
    STANDARD = "standard", "Standard (−10 % / +30 %)"
    DEVELOPMENT = "development", "Development (−15 % / +60 %)"
    NOVEL = "novel", "Novel or integration (−20 % / +100 %)"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskCategory(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    REQUIREMENTS = "requirements", "Requirements and scope"
    SUPPLIER = "supplier", "Supplier"
    RESOURCES = "resources", "People and resources"
    ORGANISATIONAL = "organisational", "Organisational"
    EXTERNAL = "external", "External and regulatory"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 20.00 as 20, 2.50 as 2.5


def _check_three_point(values: tuple[Decimal | None, ...], fields: tuple[str, ...]) -> None:
    low, likely, high = values
    if low is None or likely is None or high is None:
        return
    if likely < low:
        raise ValidationError(
            {fields[1]: f"{_plain(likely)} is below the optimistic {_plain(low)}: give at least that"}
        )
    if high < likely:
        raise ValidationError(
            {fields[2]: f"{_plain(high)} is below the most likely {_plain(likely)}: give at least that"}
        )


class Risk(models.Model):
    """A risk event: it happens in an iteration with `probability`, and then adds its sampled
    schedule impact to each affected task and its sampled cost impact to the project."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=RiskCategory.choices, default=RiskCategory.TECHNICAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    probability = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(1))],
        help_text="Chance the risk happens, 0 to 1.",
    )
    schedule_optimistic_days = models.DecimalField(
        max_digits=8, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE
    )
    schedule_likely_days = models.DecimalField(
        max_digits=8, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE
    )
    schedule_pessimistic_days = models.DecimalField(
        max_digits=8, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE
    )
    cost_optimistic = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE
    )
    cost_likely = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE)
    cost_pessimistic = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, validators=NOT_NEGATIVE
    )
    tasks = models.ManyToManyField("planning.Task", blank=True, related_name="risks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[tasks])

    SCHEDULE = ("schedule_optimistic_days", "schedule_likely_days", "schedule_pessimistic_days")
    COST = ("cost_optimistic", "cost_likely", "cost_pessimistic")

    class Meta:
        ordering = ["project", "-probability", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        for fields in (self.SCHEDULE, self.COST):
            _check_three_point(tuple(getattr(self, name) for name in fields), fields)

    @property
    def expected_delay_days(self) -> Decimal:
        """Probability × mean of the triangular impact: the exposure a register sorts by."""
        mean = (
            self.schedule_optimistic_days + self.schedule_likely_days + self.schedule_pessimistic_days
        ) / 3
        return self.probability * mean

    @property
    def expected_cost(self) -> Decimal:
        return self.probability * (self.cost_optimistic + self.cost_likely + self.cost_pessimistic) / 3


class TaskCategory(models.TextChoices):
    """Kinds of work, each with a default duration range for a task without a three-point
    estimate (the engine's table, engine.montecarlo_inputs.DEFAULT_CATEGORY_RANGES)."""

    MANAGEMENT = "management", "Management"
    ANALYSIS = "analysis", "Analysis"
    DESIGN = "design", "Design"
    DEVELOPMENT = "development", "Development"
    INTEGRATION = "integration", "Integration"
    TESTING = "testing", "Testing"
    DATA_MIGRATION = "data migration", "Data migration"
    PROCUREMENT = "procurement", "Procurement"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    DEPLOYMENT = "deployment", "Deployment"
    TRAINING = "training", "Training"
    DOCUMENTATION = "documentation", "Documentation"


class TaskEstimate(models.Model):
    """A task's duration uncertainty: its own three-point estimate in working days, or its kind of
    work, whose default range stretches the planned duration. The planned duration stays the plan."""

    task = models.OneToOneField("planning.Task", on_delete=models.CASCADE, related_name="estimate")
    category = models.CharField(max_length=20, choices=TaskCategory.choices, blank=True)
    optimistic_days = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    most_likely_days = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    pessimistic_days = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    distribution = models.CharField(max_length=12, choices=Distribution.choices, default=Distribution.PERT)
    history = HistoricalRecords()

    FIELDS = ("optimistic_days", "most_likely_days", "pessimistic_days")

    class Meta:
        ordering = ["task"]

    def __str__(self) -> str:
        if self.has_three_points:
            return f"{self.task_id}: {self.optimistic_days}/{self.most_likely_days}/{self.pessimistic_days}"
        return f"{self.task_id}: {self.category}"

    @property
    def has_three_points(self) -> bool:
        return self.most_likely_days is not None

    def clean(self) -> None:
        values = tuple(getattr(self, name) for name in self.FIELDS)
        given = [name for name, value in zip(self.FIELDS, values, strict=True) if value is not None]
        if given and len(given) < 3:
            missing = next(name for name in self.FIELDS if name not in given)
            raise ValidationError({missing: "give all three values, or none and a category"})
        if not given and not self.category:
            raise ValidationError({"category": "give a category, or the three durations"})
        _check_three_point(values, self.FIELDS)


class ForecastProfile(models.Model):
    """What a project is, for forecasting: its reference class, and how uncertain its tasks are
    when they have no estimate of their own."""

    project = models.OneToOneField(
        "portfolio.Project", on_delete=models.CASCADE, related_name="forecast_profile"
    )
    project_type = models.CharField(max_length=20, choices=ProjectType.choices, default=ProjectType.OTHER)
    uncertainty = models.CharField(max_length=12, choices=Uncertainty.choices, default=Uncertainty.STANDARD)
    # Tasks of one kind of work are estimated by the same people and done by the same team: when
    # one overruns, the others tend to. Ignoring that narrows the spread and flatters the P80.
    correlation = models.DecimalField(
        "correlation within a kind of work",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("0.95"))],
        help_text="0 to 0.95: how strongly durations of tasks of the same kind of work move together.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.project_id}: {self.project_type}"


class ProjectOutcome(models.Model):
    """What a closed project planned and what it took: the organisation's own history, from which
    reference-class forecasts are made. Recorded when a project closes; administrators correct it."""

    project = models.OneToOneField(
        "portfolio.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome"
    )
    name = models.CharField(max_length=200)
    project_type = models.CharField(max_length=20, choices=ProjectType.choices)
    planned_duration_days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    actual_duration_days = models.PositiveIntegerField()
    planned_cost = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    actual_cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text="Empty while the final cost is not known; the cost forecast leaves the project out.",
    )
    currency = models.CharField(max_length=3, default="EUR")
    scope_delivered_percent = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=Decimal(100),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(200))],
        help_text="Share of the planned scope (requirements or story points) delivered.",
    )
    closed_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closed_on", "name"]
        indexes = [models.Index(fields=["project_type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def schedule_overrun(self) -> float:
        """Actual over planned duration, less one: 0.25 is a quarter late."""
        return self.actual_duration_days / self.planned_duration_days - 1

    @property
    def cost_overrun(self) -> float | None:
        if self.actual_cost is None or not self.planned_cost:
            return None
        return float(self.actual_cost / self.planned_cost) - 1


class SimulationRun(models.Model):
    """One Monte Carlo run as it was shown: its inputs, seed and summary, so that the figure a
    steering committee saw can be reproduced and compared with later runs."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="simulation_runs")
    iterations = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    parameters = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    elapsed_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} run {self.pk} (seed {self.seed})"
