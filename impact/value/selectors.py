"""What the value step shows: each effect with its valuation, the calculation and the
honesty warnings, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from impact.models import (
    Beneficiary,
    Effect,
    EffectValuation,
    Indicator,
    Result,
    ValueProxy,
    ValueStep,
    Worksheet,
)
from impact.value import calculation as calc
from impact.value.honesty import Honesty, double_counting, effect_warnings, ratio_warning


@dataclass
class ValuedEffect:
    effect: Effect
    valuation: EffectValuation | None
    quantity: Decimal | None = None
    quantity_from: str = ""  # where the quantity came from when it was not typed
    value: calc.EffectValue | None = None
    result: calc.EffectResult | None = None
    missing: list[str] = field(default_factory=list)
    warnings: list[Honesty] = field(default_factory=list)


@dataclass
class ValueOverview:
    value_step: ValueStep
    effects: list[ValuedEffect]
    calculation: calc.Calculation | None
    warnings: list[Honesty]

    @property
    def valued(self) -> list[ValuedEffect]:
        return [item for item in self.effects if item.result is not None]

    @property
    def beneficiary_rows(self) -> list[tuple[str, Decimal, bool]]:
        """(label, present value, includes transfers) per beneficiary, largest first."""
        if self.calculation is None:
            return []
        labels = dict(Beneficiary.choices)
        transfer_of = {
            item.value.beneficiary for item in self.valued if item.value and item.value.transfer
        }
        rows = [
            (str(labels.get(name, name)), amount, name in transfer_of)
            for name, amount in self.calculation.by_beneficiary.items()
        ]
        return sorted(rows, key=lambda row: row[1], reverse=True)


def latest_result(effect: Effect) -> tuple[Result, Indicator] | None:
    """The most recent measured value among the effect's number indicators (prefetched)."""
    found: list[tuple[Result, Indicator]] = [
        (result, indicator)
        for indicator in effect.indicators.all()
        if indicator.kind == Indicator.Kind.NUMBER
        for result in indicator.results.all()
        if result.value is not None
    ]
    if not found:
        return None
    return max(
        found, key=lambda pair: (pair[0].measured_on is not None, pair[0].measured_on, pair[0].pk)
    )


def _effects(worksheet: Worksheet) -> list[Effect]:
    """The effects with stakeholder, valuation, indicators and results: three queries."""
    return list(
        Effect.objects.filter(worksheet=worksheet)
        .select_related("stakeholder", "valuation")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("results"))
        )
    )


def _valued(effect: Effect, valuation: EffectValuation | None) -> ValuedEffect:
    item = ValuedEffect(effect=effect, valuation=valuation)
    if valuation is None:
        return item
    quantity = valuation.quantity
    if quantity is None and (pair := latest_result(effect)) is not None:
        result, indicator = pair
        quantity = result.value
        item.quantity_from = _("from the result “%(period)s” of “%(indicator)s”") % {
            "period": result.period,
            "indicator": indicator.name,
        }
    item.quantity = quantity
    if quantity is None:
        item.missing.append(_("quantity"))
    if valuation.proxy_amount is None:
        item.missing.append(_("amount of the proxy"))
    if item.missing:
        return item
    item.value = calc.EffectValue(
        label=effect.description,
        quantity=quantity,
        proxy=valuation.proxy_amount,
        duration=valuation.duration,
        deadweight=valuation.deadweight,
        displacement=valuation.displacement,
        attribution=valuation.attribution,
        drop_off=valuation.drop_off,
        negative=not effect.is_positive,
        transfer=valuation.is_transfer,
        beneficiary=valuation.beneficiary,
        key=str(effect.pk),
    )
    return item


def value_overview(
    worksheet: Worksheet, value_step: ValueStep, *, effects: list[Effect] | None = None
) -> ValueOverview:
    """Everything the value step shows: three queries for the effects and their rows, or
    none when ``effects`` come with their stakeholder, valuation, indicators and results
    already loaded (``impact.worksheet.data.report_worksheets`` loads them for reports)."""
    this_year = timezone.now().year
    if effects is None:
        effects = _effects(worksheet)
    items = []
    for effect in effects:
        try:
            valuation = effect.valuation
        except EffectValuation.DoesNotExist:
            valuation = None
        items.append(_valued(effect, valuation))
    valued_pairs = [(item.effect, item.valuation) for item in items if item.valuation]
    doubles = double_counting(valued_pairs)
    for item in items:
        if item.valuation is None:
            continue
        item.warnings = effect_warnings(
            item.effect, item.valuation, item.quantity, this_year=this_year
        )
        if item.effect.pk in doubles:
            item.warnings.append(doubles[item.effect.pk])
    values = [item.value for item in items if item.value is not None]
    calculation = None
    warnings: list[Honesty] = []
    if values:
        calculation = calc.calculate(
            values,
            inputs=value_step.inputs,
            discount_rate=value_step.discount_rate,
            perspective=value_step.perspective,
        )
        results = {result.effect.key: result for result in calculation.effects}
        for item in items:
            if item.value is not None:
                item.result = results[item.value.key]
        if (warning := ratio_warning(calculation.ratio)) is not None:
            warnings.append(warning)
        if value_step.inputs <= 0:
            warnings.append(
                Honesty(
                    "no_inputs",
                    _("Fill in the inputs in euros: without them there is no ratio."),
                )
            )
    return ValueOverview(
        value_step=value_step, effects=items, calculation=calculation, warnings=warnings
    )


def active_proxies() -> list[ValueProxy]:
    """The library's active proxies, for every effect's form at once (one query)."""
    return list(ValueProxy.objects.filter(is_active=True))
