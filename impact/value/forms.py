"""Forms of the value step: the worksheet's inputs and rate, one form per valued effect,
and the proxies of the starter kit.

Amounts are typed the Dutch way ("€ 40.000", "35.000,50") through the worksheet's
``NumberField``. Each percentage is chosen from 0/25/50/75/100 with a plain label, or
typed; a typed value wins. Everything out of range gets a message and nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impact.models import PERCENT_FIELDS, EffectValuation, ValueProxy, ValueStep
from impact.value.calculation import MAX_AMOUNT, MAX_QUANTITY, MAX_YEARS
from impact.worksheet.forms import NumberField, VersionedForm

# The five steps of each reduction, in plain words (the SROI Guide's bands).
PERCENT_LABELS = {
    "deadweight": {
        0: _("0 % – would not have happened without us"),
        25: _("25 % – would have happened a little anyway"),
        50: _("50 % – half of it would have happened anyway"),
        75: _("75 % – most of it would have happened anyway"),
        100: _("100 % – would have happened anyway"),
    },
    "displacement": {
        0: _("0 % – pushes nothing else aside"),
        25: _("25 % – pushes a little aside elsewhere"),
        50: _("50 % – half of it is lost elsewhere"),
        75: _("75 % – most of it is lost elsewhere"),
        100: _("100 % – just as much is lost elsewhere"),
    },
    "attribution": {
        0: _("0 % – entirely our doing"),
        25: _("25 % – others contributed a little"),
        50: _("50 % – half of it is others' doing"),
        75: _("75 % – mostly others' doing"),
        100: _("100 % – entirely others' doing"),
    },
    "drop_off": {
        0: _("0 % – stays as large every year"),
        25: _("25 % – a quarter less each year"),
        50: _("50 % – halves each year"),
        75: _("75 % – three quarters less each year"),
        100: _("100 % – gone after the first year"),
    },
}
PERCENT_QUESTIONS = {
    "deadweight": _("Deadweight: how much would have happened anyway?"),
    "displacement": _("Displacement: does it push something else aside?"),
    "attribution": _("Attribution: how much is the work of others?"),
    "drop_off": _("Drop-off: how much less is it each year after the first?"),
}
RATES = {
    "dutch": (ValueStep.DUTCH_RATE, ValueStep.DUTCH_RATE_SOURCE),
    "green_book": (ValueStep.GREEN_BOOK_RATE, ValueStep.GREEN_BOOK_RATE_SOURCE),
}


class ValueSwitchForm(forms.Form):
    enabled = forms.BooleanField(required=False)


class ValueStepForm(VersionedForm):
    """The worksheet's inputs in euros, discount rate and perspective."""

    rate_choice = forms.ChoiceField(
        label=_("Discount rate"),
        choices=[
            ("dutch", _("2,25 % – Dutch standard for an MKBA since 2021")),
            ("green_book", _("3,5 % – UK Green Book")),
            ("own", _("another rate, typed below")),
        ],
        initial="dutch",
    )

    class Meta:
        model = ValueStep
        fields = [
            "input_money",
            "input_in_kind",
            "inputs_note",
            "rate_choice",
            "discount_rate",
            "discount_rate_source",
            "perspective",
        ]
        widgets = {"inputs_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "input_in_kind": _("For example volunteer hours × an hourly value, or donated goods."),
            "discount_rate": _("Only when you chose another rate."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("input_money", "input_in_kind"):
            self.fields[name] = NumberField(
                money=True,
                required=False,
                min_value=0,
                max_value=MAX_AMOUNT,
                label=self.fields[name].label,
                help_text=self.fields[name].help_text,
            )
        self.fields["discount_rate"] = NumberField(
            required=False,
            min_value=0,
            max_value=20,
            label=self.fields["discount_rate"].label,
            help_text=self.fields["discount_rate"].help_text,
        )
        self.fields["discount_rate_source"].required = False
        if not self.is_bound and self.instance.pk:
            for key, (rate, _source) in RATES.items():
                if self.instance.discount_rate == rate:
                    self.fields["rate_choice"].initial = key
                    break
            else:
                self.fields["rate_choice"].initial = "own"

    def clean(self) -> dict:
        data = super().clean()
        choice = data.get("rate_choice")
        if choice in RATES:
            data["discount_rate"], data["discount_rate_source"] = RATES[choice]
        elif choice == "own":
            if data.get("discount_rate") is None and "discount_rate" not in self.errors:
                self.add_error("discount_rate", _("Type the rate you use, for example 4."))
            if not (data.get("discount_rate_source") or "").strip():
                self.add_error("discount_rate_source", _("Say where this rate comes from."))
        return data


class EffectValuationForm(VersionedForm):
    """The value-map columns of one effect."""

    class Meta:
        model = EffectValuation
        fields = [
            "quantity",
            "duration",
            "proxy",
            "proxy_description",
            "proxy_amount",
            "proxy_unit",
            "proxy_year",
            "proxy_currency",
            "proxy_source",
            *[name for percent in PERCENT_FIELDS for name in (percent, f"{percent}_reason")],
            "beneficiary",
            "is_transfer",
        ]
        help_texts = {
            "proxy": _(
                "Choose a proxy from the starter kit to fill in the fields below, or type your own."
            ),
            "proxy_amount": _("Per unit, per year."),
        }

    def __init__(self, *args, proxies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = NumberField(
            required=False,
            min_value=0,
            max_value=MAX_QUANTITY,
            label=_("Quantity"),
            help_text=_("How many people or units experience the change."),
        )
        self.fields["proxy_amount"] = NumberField(
            money=True,
            required=False,
            min_value=0,
            max_value=MAX_AMOUNT,
            label=_("Amount (euro)"),
            help_text=_("Per unit, per year."),
        )
        self.fields["duration"] = forms.IntegerField(
            min_value=1, max_value=MAX_YEARS, label=_("Duration (years)"), initial=1
        )
        year = timezone.now().year
        self.fields["proxy_year"].widget.attrs.update(min=1990, max=year)
        self.fields["proxy_year"].validators.append(_year_validator(year))
        self.fields["proxy_currency"].widget.attrs.update(size=4)
        active = ValueProxy.objects.filter(is_active=True)
        self.fields["proxy"].queryset = active
        if proxies is not None:
            # The page already read the library: no query per effect.
            self.fields["proxy"].choices = [("", "---------")] + [
                (proxy.pk, proxy.title) for proxy in proxies
            ]
        self.fields["proxy"].required = False
        for percent in PERCENT_FIELDS:
            choice = forms.TypedChoiceField(
                label=PERCENT_QUESTIONS[percent],
                choices=[("", _("choose…"))]
                + [(str(key), label) for key, label in PERCENT_LABELS[percent].items()],
                coerce=int,
                empty_value=None,
                required=False,
            )
            typed = NumberField(
                required=False,
                min_value=0,
                max_value=100,
                label=_("or type a percentage"),
            )
            self.fields[f"{percent}_choice"] = choice
            self.fields[percent] = typed
            self.fields[f"{percent}_reason"].label = _("Why")
            if not self.is_bound:
                value = getattr(self.instance, percent)
                if not self.instance.pk:
                    # Nothing chosen yet: an empty choice, not a silent 0 %.
                    self.initial[percent] = None
                elif value in (0, 25, 50, 75, 100):
                    choice.initial = str(int(value))
                    self.initial[percent] = None
        self.order_fields(
            [
                name
                for field in self.Meta.fields
                for name in ((f"{field}_choice", field) if field in PERCENT_FIELDS else (field,))
            ]
        )

    def clean(self) -> dict:
        data = super().clean()
        for percent in PERCENT_FIELDS:
            typed, chosen = data.get(percent), data.get(f"{percent}_choice")
            if percent in self.errors:
                continue
            if typed is None:
                data[percent] = Decimal(chosen) if chosen is not None else Decimal(0)
        proxy = data.get("proxy")
        if proxy is not None and not (data.get("proxy_amount") or data.get("proxy_description")):
            # Taking a proxy from the library: it brings its figures and its source.
            data.update(
                proxy_description=proxy.title,
                proxy_amount=proxy.amount,
                proxy_unit=proxy.unit,
                proxy_year=proxy.year,
                proxy_currency=proxy.currency,
                proxy_source=proxy.source,
                beneficiary=proxy.beneficiary,
                is_transfer=proxy.is_transfer,
            )
        currency = (data.get("proxy_currency") or "EUR").strip().upper()
        data["proxy_currency"] = currency or "EUR"
        return data

    def _post_clean(self) -> None:
        for percent in PERCENT_FIELDS:
            if percent in self.cleaned_data:
                setattr(self.instance, percent, self.cleaned_data[percent])
        super()._post_clean()


def _year_validator(this_year: int):
    def validate(value: int | None) -> None:
        if value is not None and not 1990 <= value <= this_year:
            raise forms.ValidationError(
                _("Enter the year of the price, between 1990 and %(year)s."),
                params={"year": this_year},
            )

    return validate


class ValueProxyForm(forms.ModelForm):
    class Meta:
        model = ValueProxy
        fields = [
            "title",
            "description",
            "amount",
            "currency",
            "unit",
            "year",
            "source",
            "source_url",
            "beneficiary",
            "is_transfer",
            "caveat",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "caveat": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"] = NumberField(
            money=True, min_value=0, max_value=MAX_AMOUNT, label=self.fields["amount"].label
        )
        self.fields["year"].validators.append(_year_validator(timezone.now().year))
