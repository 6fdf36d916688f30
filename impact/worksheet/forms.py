"""Forms of the impact worksheet: one per step for the worksheet itself, one per row type.

Every form carries the ``version`` the person started from; the service refuses a save
based on an older version. Choice fields that point at other rows only offer, and only
accept, rows of the same worksheet: a forged id gets a form error.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from impact.models import (
    Activity,
    Effect,
    Indicator,
    Output,
    Result,
    Stakeholder,
    TargetGroup,
    Worksheet,
)
from impact.worksheet.display import MONEY_FIELDS, money_text, number_text
from organisations.fields import ModelMultipleChoiceField

# The empty choice of a result's measurement moment: a period that is only text.
NO_MOMENT = _("none: the period is only text")


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# Numbers and amounts -------------------------------------------------------------------

# What may stand around an amount: the euro sign and spaces ("€ 35.000", "35.000 €").
AMOUNT_DECORATION = "€ \u00a0\u202f\t"


class NumberInput(forms.TextInput):
    """A text box for a number, showing a saved value as the app writes it ("35.000,00",
    "5,2"), so that what people see is what they may type back."""

    def __init__(self, attrs: dict | None = None, *, money: bool = False) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.money = money

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return money_text(value) if self.money else number_text(value)
        return super().format_value(value)


def _example(money: bool) -> str:
    return money_text(Decimal("35000.50")) if money else number_text(Decimal("5.2"))


_lazy_example = lazy(_example, str)


class NumberField(forms.DecimalField):
    """A decimal typed as people write it in the interface language: "35.000", "35.000,50",
    "€ 35.000" and "5,2" in Dutch; "35,000.50" and "5.2" in English.

    Django's localisation reads the decimal separator (``localize=True``, which calls
    ``formats.sanitize_separators``). The project leaves ``USE_THOUSAND_SEPARATOR`` off,
    since it would also group every id that templates print ("1.234" in a hidden input or
    an htmx target), so the language's thousands separator is taken out here first; a
    separator that does not group thousands ("5,2" in English) is refused rather than
    read as 52.
    """

    def __init__(self, *, money: bool = False, **kwargs) -> None:
        kwargs["localize"] = True
        kwargs.setdefault("widget", NumberInput(money=money))
        super().__init__(**kwargs)
        self.money = money
        message = (
            _("Enter an amount in euros, for example {example}.")
            if money
            else _("Enter a number, for example {example}.")
        )
        self.error_messages["invalid"] = format_lazy(message, example=_lazy_example(money))

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip(AMOUNT_DECORATION)
            if value:
                value = self._without_grouping(value)
        return super().to_python(value)

    def _without_grouping(self, text: str) -> str:
        thousands = formats.get_format("THOUSAND_SEPARATOR")
        whole, decimal, _decimals = text.partition(formats.get_format("DECIMAL_SEPARATOR"))
        if thousands not in whole:
            return text
        groups = whole.lstrip("+-").split(thousands)
        if thousands == "." and len(groups) == 2 and not decimal and len(groups[1]) != 3:
            # "5.2" in Dutch: a decimal point, as Django's sanitize_separators reads it too.
            return text
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return text.replace(thousands, "", whole.count(thousands))


def number_fields(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, with a ``NumberField`` for every decimal: the
    ``formfield_callback`` of every form with numbers or amounts."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("money", db_field.name in MONEY_FIELDS)
        return db_field.formfield(form_class=NumberField, **kwargs)
    return db_field.formfield(**kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that also posts the version of the row it was based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, choices: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version
        # Rendering many rows at once: reuse choices built once instead of a query per row.
        for name, value in (choices or {}).items():
            if name in self.fields:
                self.fields[name].choices = value

    @property
    def values(self) -> dict:
        """The cleaned values of the row's fields, for ``add_row`` and ``update_row``: not
        the version, and, as a model form's own save does, not a field that has a default
        and was left out of the posted data altogether."""
        values = {}
        for name in self._meta.fields or ():
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            model_field = self.instance._meta.get_field(name)
            form_field = self[name].field
            left_out = form_field.widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            )
            if (
                left_out
                and getattr(model_field, "has_default", lambda: False)()
                and value in form_field.empty_values
            ):
                continue
            values[name] = value
        return values

    def clean_version(self) -> int | None:
        version = self.cleaned_data.get("version")
        if self.instance.pk and not version:
            raise forms.ValidationError(_("The form is incomplete; reload the page."))
        return version


class ScopeForm(VersionedForm):
    """Step 1: scope and impact goal."""

    reasons = forms.MultipleChoiceField(
        label=_("Why we measure"),
        choices=Worksheet.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Worksheet.Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Worksheet
        fields = list(Worksheet.SCOPE_FIELDS)
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "social_problem": _textarea(3),
            "impact_goal": forms.Textarea(attrs={"rows": 4, "class": "ws-impact-goal"}),
            "mission_link": _textarea(2),
        }
        help_texts = {
            "good_practice": _("For example: our restaurant, or the bicycle workshop."),
            "impact_goal": _("One or two sentences: which change, for whom."),
        }

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class LearningForm(VersionedForm):
    """Step 6: learning and communication."""

    class Meta:
        model = Worksheet
        fields = list(Worksheet.LEARNING_FIELDS)
        widgets = {name: _textarea(3) for name in Worksheet.LEARNING_FIELDS}


class TargetGroupForm(VersionedForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "size", "description"]
        widgets = {"description": _textarea(2)}


class StakeholderForm(VersionedForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "category",
            "relation",
            "group_size",
            "involvement",
            "is_material",
            "materiality_reason",
        ]
        widgets = {"materiality_reason": _textarea(2)}
        help_texts = {
            "involvement": _("Do you work for them, or with them?"),
            "materiality_reason": _("Why this stakeholder matters, or why you leave them out."),
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_material") is False and not data.get("materiality_reason", "").strip():
            self.add_error(
                "materiality_reason",
                _("Say briefly why this stakeholder is not material."),
            )
        return data


class ActivityForm(VersionedForm):
    def __init__(self, *args, worksheet: Worksheet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = worksheet.stakeholders.all()

    class Meta:
        model = Activity
        fields = ["title", "stakeholders", "need", "input_time", "input_money", "input_in_kind"]
        formfield_callback = number_fields
        field_classes = {"stakeholders": ModelMultipleChoiceField}
        widgets = {"stakeholders": forms.CheckboxSelectMultiple, "need": _textarea(2)}
        help_texts = {"input_time": _("For example: 2 job coaches, 16 hours a week.")}


class OutputForm(VersionedForm):
    class Meta:
        model = Output
        fields = ["description", "quantity", "unit"]
        formfield_callback = number_fields


class EffectForm(VersionedForm):
    def __init__(self, *args, worksheet: Worksheet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = worksheet.stakeholders.all()
        self.fields["activities"].queryset = worksheet.activities.all()

    class Meta:
        model = Effect
        fields = [
            "stakeholder",
            "activities",
            "description",
            "term",
            "is_positive",
            "is_intended",
            "assumptions",
            "evidence",
            "confidence",
        ]
        field_classes = {"activities": ModelMultipleChoiceField}
        widgets = {
            "activities": forms.CheckboxSelectMultiple,
            "description": _textarea(2),
            "assumptions": _textarea(2),
            "evidence": _textarea(2),
        }


class IndicatorForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "kind",
            "direction",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "source",
            "method",
            "frequency",
            "measured_by",
        ]
        formfield_callback = number_fields
        widgets = {
            "definition": _textarea(2),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ResultForm(VersionedForm):
    """A result of an indicator. Its period is one of the worksheet's measurement moments
    (so that begin and end compare, see ``Indicator.moment_change``) or only text; a moment
    chosen with the period left empty gives the period its name."""

    def __init__(self, *args, worksheet: Worksheet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        moment = self.fields["moment"]
        # Only this worksheet's moments are offered, and only they are accepted.
        moment.queryset = worksheet.measurement_moments.all()
        moment.empty_label = NO_MOMENT
        moment.error_messages["invalid_choice"] = _(
            "Choose one of this worksheet's measurement moments."
        )
        self.fields["period"].required = False

    class Meta:
        model = Result
        fields = [
            "moment",
            "period",
            "value",
            "measured_on",
            "respondents",
            "evidence",
            "narrative",
            "comment",
        ]
        formfield_callback = number_fields
        widgets = {
            # Choosing a moment names an empty period in the browser too (worksheet.js).
            "moment": forms.Select(attrs={"data-fills-empty": "period"}),
            "measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "narrative": _textarea(2),
            "comment": _textarea(2),
        }
        help_texts = {
            "moment": _("So that begin and end compare. An empty period takes the moment's name."),
        }

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("period"):
            moment = data.get("moment")
            if moment is not None:
                data["period"] = moment.name
            elif "moment" not in self.errors:
                self.add_error("period", _("Type the period, or choose a measurement moment."))
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
