"""Small pieces of the money pages: an index with its RAG colour, and a bar of budget use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from itpm.finance.earned import rag
from itpm.web.finance_pages import signed_money

register = template.Library()
BAR_W, BAR_H = 140, 12


@register.simple_tag
def index_pill(value: Decimal | None) -> SafeString:
    """CPI 0.93 as an amber figure; an undefined index as a dash."""
    if value is None:
        return mark_safe('<span class="muted">—</span>')
    shown = value.quantize(Decimal("0.01"))
    return format_html(
        '<span class="index index-{}">{}</span>', rag(value), abs(shown) if shown == 0 else shown
    )


@register.simple_tag
def budget_bar(line: Any) -> SafeString:
    """Actual, then committed, then the rest of the forecast, against the budget (the tick)."""
    scale = max(line.budget, line.forecast, line.actual + line.committed, Decimal(1))

    def width(amount: Decimal) -> str:
        return f"{float(amount / scale) * BAR_W:.1f}"

    actual, committed = line.actual, line.committed
    rest = max(Decimal(0), line.forecast - actual - committed)
    over = " over" if line.forecast > line.budget else ""
    return format_html(
        '<svg class="budget-bar{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<rect class="track" x="0" y="2" width="{}" height="8"/>'
        '<rect class="actual" x="0" y="2" width="{}" height="8"/>'
        '<rect class="committed" x="{}" y="2" width="{}" height="8"/>'
        '<rect class="to-do" x="{}" y="2" width="{}" height="8"/>'
        '<line class="budget-tick" x1="{}" x2="{}" y1="0" y2="12"/></svg>',
        over, BAR_W, BAR_H, BAR_W, BAR_H,
        f"forecast {line.forecast:,.0f} against budget {line.budget:,.0f}",
        BAR_W,
        width(actual),
        width(actual), width(committed),
        width(actual + committed), width(rest),
        width(line.budget), width(line.budget),
    )  # fmt: skip


@register.simple_tag
def money_signed(amount: Decimal, currency: str) -> str:
    """A variance: +€1,200 or −€1,200."""
    return signed_money(amount, currency)


@register.filter
def sees_money(user: Any, project: Any) -> bool:
    """Whether the project's Budget and Earned value tabs are for this user."""
    from itpm.portfolio.rules import can

    return can(user, "view_budget", project)
