"""A worksheet row as it reads when nobody is editing it: its filled fields as text.

The step pages show rows this way and load a row's form only when someone edits it: a
page of forty rows then renders one form instead of forty, which is most of its cost.
Linked rows are read from what the page already selected or prefetched (no queries).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from impact.rows import ROW_TYPES

# Amounts of money keep their cents and group thousands: "85.000,00".
MONEY_FIELDS = {"input_money"}
# Fields that hold longer text keep their line breaks and take a line of their own.
LONG_WIDGETS = (forms.Textarea,)


@dataclass
class RowDisplay:
    title: str
    fields: list[tuple[str, str, bool]] = field(default_factory=list)  # label, text, long
    missing: list[str] = field(default_factory=list)  # labels of fields left empty


def row_display(slug: str, form_class: type[forms.ModelForm], obj: models.Model) -> RowDisplay:
    # The field that names a row heads it instead of appearing in its list of fields.
    title_field = ROW_TYPES[slug].title_field
    display = RowDisplay(title=str(getattr(obj, title_field)) if title_field else "")
    for name, form_field, label, long in _fields(form_class, title_field, get_language()):
        text = _text(obj, name, form_field)
        if text:
            display.fields.append((label, text, long))
        else:
            display.missing.append(label)
    return display


@functools.cache
def _fields(form_class: type[forms.ModelForm], title_field: str | None, language: str) -> tuple:
    """The shown fields of a form with their labels in one language, worked out once."""
    with override(language):
        return tuple(
            (
                name,
                form_class.base_fields[name],
                capfirst(str(form_class.base_fields[name].label)),
                isinstance(form_class.base_fields[name].widget, LONG_WIDGETS),
            )
            for name in form_class._meta.fields
            if name != title_field
        )


def _text(obj: models.Model, name: str, form_field: forms.Field) -> str:
    value = getattr(obj, name)
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return ", ".join(str(related) for related in value.all())
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        labels = dict(form_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, models.Model):
        return str(value)
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal) and name in MONEY_FIELDS:
        return money_text(value)
    if isinstance(value, Decimal | int):
        return number_text(value)
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


# The one home of how the app writes numbers, amounts and dates: the rows as text, the
# history, the progress of an indicator, the chart and the reports all use these.


def number_text(value: Decimal | int | float | str | None) -> str:
    """A number as the reader's language writes it: "2,6", "14", "7.800" in Dutch; a
    decimal keeps only the decimals that say something ("2.60" reads "2,6")."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    if not value.is_finite():
        return str(value)
    exact = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(exact, use_l10n=True, force_grouping=True)


def money_text(value: Decimal | int | float | str | None) -> str:
    """An amount in euros with its cents and grouped thousands: "85.000,00"."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(str(value)), 2, use_l10n=True, force_grouping=True)


def date_text(value: dt.date | str | None) -> str:
    """A date in the reader's language: "15 januari 2025"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return formats.date_format(value)
