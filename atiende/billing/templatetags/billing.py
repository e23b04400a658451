from __future__ import annotations

from decimal import Decimal

from django import template

from atiende.billing import pricing

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, currency: str) -> str:
    """1234567.8|money:"COP" → $ 1.234.567,80 (as each currency's country writes it)."""
    return pricing.format_money(Decimal(str(amount or 0)), currency)


@register.filter
def hours(minutes: Decimal | int | None) -> str:
    """90 → 1,50 (hours, two decimals)."""
    return pricing.format_hours(Decimal(str(minutes or 0)))


@register.filter
def nobreak(text: str) -> str:
    """$ 150.000,00 kept on one line (a no-break space between the symbol and the figure)."""
    return str(text).replace(" ", "\u00a0")
