"""Numbers and amounts in templates, written as everywhere else in the app (impact/display)."""

from __future__ import annotations

from django import template

from impact.worksheet.display import money_text, number_text

register = template.Library()


@register.filter
def number(value) -> str:
    """``{{ value|number }}``: "2,6", "14", "7.800" in Dutch; empty stays empty."""
    return number_text(value)


@register.filter
def money(value) -> str:
    """``{{ value|money }}``: "85.000,00" in Dutch; empty stays empty."""
    return money_text(value)
