"""Honesty warnings beside the figures (SVI principle 5: do not over-claim).

Each rule reads what the page already loaded; none runs a query. They warn, they do not
block: a participant may have good reasons, and the reason fields are where they go.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from impact.models import Effect, EffectValuation
from impact.worksheet.health import looks_like_output

PROXY_MAX_AGE = 5
LONG_DURATION = 5
RATIO_REVIEW = Decimal(10)


@dataclass(frozen=True)
class Honesty:
    code: str
    message: str


def effect_warnings(
    effect: Effect, valuation: EffectValuation, quantity: Decimal | None, *, this_year: int
) -> list[Honesty]:
    """The warnings of one valued effect (no queries: indicators and results prefetched)."""
    found: list[Honesty] = []

    def warn(code: str, message: str) -> None:
        found.append(Honesty(code, message))

    if valuation.deadweight == 0:
        warn(
            "deadweight_zero",
            _(
                "Deadweight is 0 %: would none of this have happened without you? "
                "Say why, or estimate what would have happened anyway."
            ),
        )
    if valuation.attribution == 0:
        warn(
            "attribution_zero",
            _(
                "Attribution is 0 %: did nobody else contribute (family, the municipality, "
                "other organisations)? Say why, or estimate their share."
            ),
        )
    if valuation.proxy_amount is not None and not valuation.proxy_source.strip():
        warn(
            "proxy_without_source",
            _("The proxy has no source. A funder will want to check where the amount comes from."),
        )
    if (valuation.proxy_currency or "EUR") != "EUR":
        warn(
            "proxy_currency",
            _(
                "The proxy is in %(currency)s, not in euros: convert it and say how, "
                "or choose a Dutch proxy."
            )
            % {"currency": valuation.proxy_currency},
        )
    if valuation.proxy_year and this_year - valuation.proxy_year > PROXY_MAX_AGE:
        warn(
            "proxy_old",
            _(
                "The price is from %(year)s, more than %(age)s years ago: look for a recent "
                "figure or correct it for inflation."
            )
            % {"year": valuation.proxy_year, "age": PROXY_MAX_AGE},
        )
    size = effect.stakeholder.group_size
    if quantity is not None and size is not None and quantity > size:
        warn(
            "quantity_above_group",
            _(
                "The quantity (%(quantity)s) is larger than the stakeholder group "
                "“%(group)s” (%(size)s people)."
            )
            % {"quantity": _number(quantity), "group": effect.stakeholder.name, "size": size},
        )
    if valuation.duration > LONG_DURATION and valuation.drop_off == 0:
        warn(
            "long_without_drop_off",
            _(
                "The effect lasts %(years)s years without drop-off: does it really stay as "
                "large every year?"
            )
            % {"years": valuation.duration},
        )
    indicators = list(effect.indicators.all())
    if not indicators:
        warn(
            "no_indicator",
            _("This effect has no indicator: the value rests on nothing you measure (step 5)."),
        )
    elif not any(indicator.results.all() for indicator in indicators):
        warn(
            "no_result",
            _("No result has been measured for this effect yet: the value is an expectation."),
        )
    if looks_like_output(effect.description):
        warn(
            "output_as_outcome",
            _(
                "This reads like an output (a count), not a change for someone: value what "
                "changes, not what you deliver."
            ),
        )
    return found


def double_counting(valued: list[tuple[Effect, EffectValuation]]) -> dict[int, Honesty]:
    """Effects valued twice for the same people: the same stakeholder with an indicator of
    the same name, or a transfer beside another effect of the same stakeholder (a paid
    job and the benefit saved for the same people). {effect id: warning}."""
    found: dict[int, Honesty] = {}
    for index, (effect, valuation) in enumerate(valued):
        names = {indicator.name.strip().lower() for indicator in effect.indicators.all()}
        for other, other_valuation in valued[index + 1 :]:
            if other.stakeholder_id != effect.stakeholder_id:
                continue
            other_names = {i.name.strip().lower() for i in other.indicators.all()}
            if names & other_names or valuation.is_transfer != other_valuation.is_transfer:
                for this, that in ((effect, other), (other, effect)):
                    found[this.pk] = Honesty(
                        "double_counting",
                        _(
                            "“%(other)s” is valued for the same people (%(group)s): make sure "
                            "you do not count the same change twice."
                        )
                        % {"other": _short(that.description), "group": effect.stakeholder.name},
                    )
    return found


def ratio_warning(ratio: Decimal | None) -> Honesty | None:
    if ratio is not None and ratio > RATIO_REVIEW:
        return Honesty(
            "ratio_high",
            _(
                "Every euro would return more than € 10: that is rare. Ask your trainer to "
                "review the assumptions before you show this figure."
            ),
        )
    return None


def _number(value: Decimal) -> str:
    from impact.worksheet.display import number_text

    return number_text(value)


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"
