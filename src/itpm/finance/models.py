"""Cost rates, fixed costs, purchases, budget lines and exchange rates. Money is Decimal.

A project's money is kept in the project's own currency (Project.currency); amounts entered
in another currency are converted with the exchange rate in force on their date. A portfolio
rolls its projects up in the portfolio's currency (Portfolio.currency).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

currency_code = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code in capitals, e.g. EUR.")
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class Category(models.TextChoices):
    LABOUR = "labour", "Labour"
    HARDWARE = "hardware", "Hardware"
    SOFTWARE = "software", "Software and licences"
    SERVICES = "services", "Services"
    CONTINGENCY = "contingency", "Contingency"
    MANAGEMENT_RESERVE = "management-reserve", "Management reserve"


# What a purchase or a fixed cost can be: the spending categories, without the reserves.
SPENDING = [
    (c.value, c.label) for c in Category if c not in (Category.CONTINGENCY, Category.MANAGEMENT_RESERVE)
]


class CostType(models.TextChoices):
    CAPEX = "capex", "CAPEX"
    OPEX = "opex", "OPEX"


class CostRate(models.Model):
    """An hourly rate from a date on, for one resource or for every resource with a role.

    The rate in force on a day is the latest one effective on or before it: the resource's own
    first, then its role's, then Resource.cost_rate as the default."""

    resource = models.ForeignKey(
        "resources.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="cost_rates"
    )
    role = models.CharField(max_length=100, blank=True, help_text="For every resource with this role.")
    standard_rate = models.DecimalField(
        "standard rate per hour", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    overtime_rate = models.DecimalField(
        "overtime rate per hour",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_code])
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "role", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(resource__isnull=True) & ~models.Q(role=""))
                | (models.Q(resource__isnull=False) & models.Q(role="")),
                name="cost_rate_resource_or_role",
            ),
            models.UniqueConstraint(
                fields=["resource", "role", "effective_from"], name="cost_rate_unique_from"
            ),
        ]

    def __str__(self) -> str:
        who = self.resource or self.role
        return f"{who}: {self.standard_rate} {self.currency}/h from {self.effective_from}"

    def clean(self) -> None:
        if (self.resource_id is None) == (not self.role):
            raise ValidationError({"role": "give either a resource or a role, not both and not neither"})


class Accrual(models.TextChoices):
    START = "start", "At the task's start"
    PRORATED = "prorated", "Spread over the task's working days"
    FINISH = "finish", "At the task's finish"


class FixedCost(models.Model):
    """A cost tied to a task that does not depend on hours worked (a fee, a licence, travel)."""

    task = models.ForeignKey("planning.Task", on_delete=models.CASCADE, related_name="fixed_costs")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=SPENDING, default=Category.SERVICES)
    cost_type = models.CharField(max_length=5, choices=CostType.choices, default=CostType.OPEX)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_code])
    accrual = models.CharField(max_length=10, choices=Accrual.choices, default=Accrual.START)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.amount} {self.currency})"


class PurchaseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMMITTED = "committed", "Committed (ordered)"
    RECEIVED = "received", "Received"
    INVOICED = "invoiced", "Invoiced"
    PAID = "paid", "Paid"


# Received, invoiced or paid: the money is spent (actual cost). Committed: promised, not yet spent.
ACTUAL_STATUSES = frozenset({PurchaseStatus.RECEIVED, PurchaseStatus.INVOICED, PurchaseStatus.PAID})


class Purchase(models.Model):
    """Hardware, licences or services bought from a supplier for a project."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="purchases")
    task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="purchases"
    )
    description = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=SPENDING, default=Category.HARDWARE)
    cost_type = models.CharField(max_length=5, choices=CostType.choices, default=CostType.CAPEX)
    supplier = models.CharField(max_length=200, blank=True)
    date = models.DateField(help_text="Planned, ordered or delivered on; the cost falls on this day.")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_code])
    status = models.CharField(max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.PLANNED)
    reference = models.CharField(max_length=100, blank=True, help_text="Order or invoice number.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "date", "id"]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self) -> str:
        return f"{self.description} ({self.amount} {self.currency})"

    @property
    def is_actual(self) -> bool:
        return self.status in ACTUAL_STATUSES


class BudgetLine(models.Model):
    """Approved money for one category of a project."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(max_length=20, choices=Category.choices)
    cost_type = models.CharField(max_length=5, choices=CostType.choices, default=CostType.OPEX)
    description = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_code])
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "category", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount} {self.currency}"


class ExchangeRate(models.Model):
    """1 unit of base_currency = rate units of quote_currency, from effective_from on."""

    base_currency = models.CharField(max_length=3, validators=[currency_code])
    quote_currency = models.CharField(max_length=3, validators=[currency_code])
    rate = models.DecimalField(
        max_digits=18, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["base_currency", "quote_currency", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["base_currency", "quote_currency", "effective_from"], name="exchange_rate_unique_day"
            ),
            models.CheckConstraint(
                condition=~models.Q(base_currency=models.F("quote_currency")),
                name="exchange_rate_two_currencies",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_currency} = {self.rate} {self.quote_currency} from {self.effective_from}"


class ProjectFinance(models.Model):
    """Per-project money settings: which baseline is the performance measurement baseline."""

    project = models.OneToOneField("portfolio.Project", on_delete=models.CASCADE, related_name="finance")
    baseline = models.ForeignKey(
        "planning.Baseline",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan earned value is measured against; empty means the latest baseline.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Finance settings of {self.project_id}"
