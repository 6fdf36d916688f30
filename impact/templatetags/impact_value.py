"""Figures of the value step in templates: euros rounded to cents, percentages, ratios."""

from __future__ import annotations

from decimal import Decimal

from django import template

from impact.value.calculation import cents
from impact.value.chart import euro_text
from impact.worksheet.display import money_text, number_text

register = template.Library()


@register.filter
def euro(value) -> str:
    """``{{ amount|euro }}``: "€ 152.215,01", rounded half up to the cent."""
    if value is None or value == "":
        return ""
    return euro_text(value)


@register.filter
def ratio(value) -> str:
    """``{{ ratio|ratio }}``: "3,02" (two decimals, half up)."""
    if value is None:
        return ""
    return money_text(cents(Decimal(str(value))))


@register.filter
def factor(value) -> str:
    """A discount factor to four decimals: "0,9662"."""
    if value is None:
        return ""
    return number_text(Decimal(str(value)).quantize(Decimal("0.0001")))


@register.filter
def percent(value) -> str:
    """``{{ 25|percent }}``: "25 %"."""
    if value is None or value == "":
        return ""
    return f"{number_text(value)} %"
