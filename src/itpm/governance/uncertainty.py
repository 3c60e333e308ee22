"""Default duration uncertainty by class, for tasks without a three-point estimate of their own.

A task of planned duration d in a class with factors (low, high) is simulated as a triangular
on (d·low, d, d·high) (governance.inputs, the engine's default distribution): the plan is the
most likely value, and the tail is longer on the late side, as estimates of IT work are
(McConnell, Software Estimation, ch. 1: the cone of uncertainty).
Settings may override the table with ITPM_UNCERTAINTY = {class: (low, high)}.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

DEFAULT_FACTORS: dict[str, tuple[Decimal, Decimal]] = {
    "routine": (Decimal("0.95"), Decimal("1.15")),
    "standard": (Decimal("0.90"), Decimal("1.30")),
    "development": (Decimal("0.85"), Decimal("1.60")),
    "novel": (Decimal("0.80"), Decimal("2.00")),
}


def factors(uncertainty: str) -> tuple[Decimal, Decimal]:
    table = {**DEFAULT_FACTORS, **getattr(settings, "ITPM_UNCERTAINTY", {})}
    low, high = table.get(uncertainty, table["standard"])
    return Decimal(low), Decimal(high)


def three_point(duration_days: Decimal, uncertainty: str) -> tuple[Decimal, Decimal, Decimal]:
    low, high = factors(uncertainty)
    return duration_days * low, duration_days, duration_days * high
