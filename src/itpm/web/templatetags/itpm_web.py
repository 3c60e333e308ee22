"""Small presentational tags: RAG pills, status badges, money and people."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF ", "JPY": "¥"}


@register.simple_tag
def rag_pill(project: Any) -> SafeString:
    return format_html(
        '<span class="pill pill-{}"><span class="pill-dot"></span>{}</span>',
        project.rag,
        project.get_rag_display(),
    )


@register.simple_tag
def status_badge(project: Any) -> SafeString:
    return format_html('<span class="badge badge-{}">{}</span>', project.status, project.get_status_display())


def _symbol(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


@register.simple_tag
def money(amount: Decimal | None, currency: str) -> str:
    """Whole units with thousands separators: budgets are planned to the unit, not the cent."""
    if amount is None:
        return "—"
    return f"{_symbol(currency)}{amount:,.0f}"


@register.simple_tag
def money_short(amount: Decimal, currency: str) -> str:
    """Compact figure for headline numbers: €1.2M, €350k."""
    for size, suffix in ((Decimal(1_000_000_000), "bn"), (Decimal(1_000_000), "M"), (Decimal(1_000), "k")):
        if abs(amount) >= size:
            figure = f"{amount / size:,.1f}".removesuffix(".0")
            return f"{_symbol(currency)}{figure}{suffix}"
    return f"{_symbol(currency)}{amount:,.0f}"


@register.filter
def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


@register.filter
def initials(user: Any) -> str:
    name = person(user)
    parts = [part for part in name.replace(".", " ").split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"
