"""Figures of the Risk and Forecast pages: shares as percentages, overruns with their sign."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from itpm.governance.forecasting import overview_forecast

register = template.Library()


@register.filter
def percent(share: float | Decimal | None) -> str:
    """0.437 → "44 %"; nothing → "—"."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.0f} %"


@register.filter
def signed_percent(share: float | Decimal | None) -> str:
    """An overrun or an uplift: 0.35 → "+35 %", −0.05 → "−5 %", 0 → "0 %"."""
    if share is None:
        return "—"
    value = round(float(share) * 100)
    if value == 0:
        return "0 %"
    return f"+{value} %" if value > 0 else f"−{-value} %"


@register.inclusion_tag("web/governance/_forecast_card.html")
def forecast_card(user: Any, project: Any) -> dict[str, Any]:
    """The project overview's forecast card: the latest run's P80 and chances, for roles that see
    the whole plan (nothing for the others)."""
    return {"project": project, "summary": overview_forecast(user, project)}
