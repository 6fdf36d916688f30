"""The value calculation of the value step (SROI-light): pure Python, no Django.

It follows the formula of *A guide to Social Return on Investment* (Cabinet Office / The
SROI Network, 2009, updated 2012), stages 4 and 5, as the Social Value Map lays it out:

- impact per year = quantity × financial proxy × (1 − deadweight) × (1 − displacement)
  × (1 − attribution);
- drop-off takes a share off each year after the first: the value of year *t* is the
  impact × (1 − drop-off)^(t − 1);
- each year is discounted to today: year *t* is divided by (1 + discount rate)^t (the
  guide's value map discounts year 1 too);
- the total present value (PV) is the sum over effects and years; the net present value
  is PV − inputs; the ratio is PV / inputs.

A negative effect is valued the same way and subtracted. Two views, as the Dutch MKBA
makes them: the *society* view leaves transfers out (a benefit payment saved is the
gemeente's gain and the person's loss, nothing for society as a whole), and the *per
stakeholder* view shows every effect, transfers included, under the party that receives
it (the maatschappelijke business case's *baathebber*).

Money is ``Decimal`` throughout and rounded to cents only when shown (``cents``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Bounds that keep a typo from producing a figure nobody can read, and a form from
# saving one. A kringloop organisation values hundreds of people or tonnes, not billions.
MAX_QUANTITY = Decimal(10_000_000)
MAX_AMOUNT = Decimal(100_000_000)
MAX_YEARS = 30
MAX_DISCOUNT_RATE = Decimal(20)

SOCIETY = "society"


class ValueInputError(ValueError):
    """An input the calculation refuses (negative, over 100 %, absurdly large)."""


def cents(amount: Decimal) -> Decimal:
    """The amount rounded to cents, half up (as people round money)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(name: str, value: Decimal) -> Decimal:
    if not ZERO <= value <= HUNDRED:
        raise ValueInputError(f"{name} must lie between 0 and 100 %, not {value}")
    return value


@dataclass(frozen=True)
class EffectValue:
    """The value-map columns of one effect; percentages are 0–100."""

    label: str
    quantity: Decimal
    proxy: Decimal
    duration: int = 1
    deadweight: Decimal = ZERO
    displacement: Decimal = ZERO
    attribution: Decimal = ZERO
    drop_off: Decimal = ZERO
    negative: bool = False
    transfer: bool = False
    beneficiary: str = ""
    key: str = ""

    def __post_init__(self) -> None:
        if not ZERO <= self.quantity <= MAX_QUANTITY:
            raise ValueInputError(f"quantity must lie between 0 and {MAX_QUANTITY}")
        if not ZERO <= self.proxy <= MAX_AMOUNT:
            raise ValueInputError(f"the proxy must lie between 0 and {MAX_AMOUNT}")
        if not 1 <= self.duration <= MAX_YEARS:
            raise ValueInputError(f"duration must lie between 1 and {MAX_YEARS} years")
        for name in ("deadweight", "displacement", "attribution", "drop_off"):
            _percent(name, getattr(self, name))

    @property
    def sign(self) -> Decimal:
        return -ONE if self.negative else ONE

    @property
    def gross(self) -> Decimal:
        """Quantity × proxy: the value before anything is taken off (one year)."""
        return self.quantity * self.proxy

    @property
    def impact(self) -> Decimal:
        """The first year's impact, signed: gross × (1 − dw) × (1 − disp) × (1 − attr)."""
        kept = (
            (ONE - self.deadweight / HUNDRED)
            * (ONE - self.displacement / HUNDRED)
            * (ONE - self.attribution / HUNDRED)
        )
        return self.sign * self.gross * kept


@dataclass(frozen=True)
class Year:
    number: int
    value: Decimal  # after drop-off, before discounting
    factor: Decimal  # 1 / (1 + r)^t
    present: Decimal  # value × factor


@dataclass(frozen=True)
class EffectResult:
    effect: EffectValue
    impact: Decimal
    years: tuple[Year, ...]

    @property
    def present_value(self) -> Decimal:
        return sum((year.present for year in self.years), ZERO)


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Assumption:
    """One assumption varied in the sensitivity analysis, and what it does to the PV."""

    effect_key: str
    effect_label: str
    name: str  # quantity, proxy, duration, deadweight, displacement, attribution, drop_off
    value: Decimal
    swing: Decimal  # how far the society PV moves between its low and high setting


@dataclass(frozen=True)
class Calculation:
    effects: tuple[EffectResult, ...]
    inputs: Decimal
    discount_rate: Decimal
    perspective: str
    present_value: Decimal  # of the chosen perspective
    society_value: Decimal  # without transfers
    by_beneficiary: dict[str, Decimal]  # transfers included
    transfers: Decimal  # the present value of the transfers left out of the society view
    sensitivity: tuple[Assumption, ...] = field(default=())
    value_range: Range | None = None

    @property
    def net_present_value(self) -> Decimal:
        return self.present_value - self.inputs

    @property
    def ratio(self) -> Decimal | None:
        """PV / inputs, or None without inputs (a ratio of nothing invested means nothing)."""
        if self.inputs <= 0:
            return None
        return self.present_value / self.inputs

    @property
    def net_range(self) -> Range | None:
        """The range of the present value less the inputs: the net value, never one figure."""
        if self.value_range is None:
            return None
        return Range(self.value_range.low - self.inputs, self.value_range.high - self.inputs)

    @property
    def ratio_range(self) -> Range | None:
        if self.value_range is None or self.inputs <= 0:
            return None
        return Range(self.value_range.low / self.inputs, self.value_range.high / self.inputs)


def effect_result(effect: EffectValue, discount_rate: Decimal) -> EffectResult:
    """The effect's value per year: drop-off from year 2, each year discounted."""
    if not ZERO <= discount_rate <= MAX_DISCOUNT_RATE:
        raise ValueInputError(f"the discount rate must lie between 0 and {MAX_DISCOUNT_RATE} %")
    impact = effect.impact
    kept = ONE - effect.drop_off / HUNDRED
    base = ONE + discount_rate / HUNDRED
    years = []
    value, factor = impact, ONE / base
    for number in range(1, effect.duration + 1):
        years.append(Year(number=number, value=value, factor=factor, present=value * factor))
        # Multiplied year by year rather than raised to a power: 0 ** 0 is undefined
        # for Decimal, and a drop-off of 100 % must simply end the value after year 1.
        value, factor = value * kept, factor / base
    return EffectResult(effect=effect, impact=impact, years=tuple(years))


def _counts(effect: EffectValue, perspective: str) -> bool:
    if perspective == SOCIETY:
        return not effect.transfer
    return effect.beneficiary == perspective


def _present_value(
    effects: Iterable[EffectValue], discount_rate: Decimal, perspective: str
) -> Decimal:
    return sum(
        (
            effect_result(effect, discount_rate).present_value
            for effect in effects
            if _counts(effect, perspective)
        ),
        ZERO,
    )


# Sensitivity: each assumption set to a less and a more favourable value, ±50 % of itself
# (percentages stay within 0–100; a duration of one year cannot shrink).
VARIED = ("quantity", "proxy", "duration", "deadweight", "displacement", "attribution", "drop_off")
TAKES_OFF = {"deadweight", "displacement", "attribution", "drop_off"}
SPREAD = Decimal("0.5")


def _settings(effect: EffectValue, name: str) -> tuple[EffectValue, EffectValue]:
    """The effect with one assumption at its less and at its more favourable value."""
    value = getattr(effect, name)
    if name == "duration":
        down = max(1, int((Decimal(value) * (ONE - SPREAD)).to_integral_value(ROUND_HALF_UP)))
        up = min(MAX_YEARS, int((Decimal(value) * (ONE + SPREAD)).to_integral_value(ROUND_HALF_UP)))
        return replace(effect, duration=down), replace(effect, duration=up)
    smaller, larger = value * (ONE - SPREAD), value * (ONE + SPREAD)
    if name in TAKES_OFF:
        larger = min(HUNDRED, larger)
        # More taken off is less favourable.
        return replace(effect, **{name: larger}), replace(effect, **{name: smaller})
    larger = min(MAX_QUANTITY if name == "quantity" else MAX_AMOUNT, larger)
    return replace(effect, **{name: smaller}), replace(effect, **{name: larger})


def sensitivity(
    effects: list[EffectValue], discount_rate: Decimal, perspective: str, *, top: int = 3
) -> tuple[tuple[Assumption, ...], Range]:
    """The ``top`` assumptions that move the PV most, and the PV with all of them at once
    at their less and more favourable values (for a negative effect the favourable value
    is the one that makes it smaller)."""
    base = _present_value(effects, discount_rate, perspective)
    candidates: list[tuple[Assumption, int, EffectValue, EffectValue]] = []
    for index, effect in enumerate(effects):
        if not _counts(effect, perspective):
            continue
        for name in VARIED:
            worse, better = _settings(effect, name)
            if effect.negative:
                worse, better = better, worse
            others = effects[:index] + effects[index + 1 :]
            low = _present_value([*others, worse], discount_rate, perspective)
            high = _present_value([*others, better], discount_rate, perspective)
            swing = abs(high - low)
            if swing == 0:
                continue
            assumption = Assumption(
                effect_key=effect.key or str(index),
                effect_label=effect.label,
                name=name,
                value=Decimal(getattr(effect, name)),
                swing=swing,
            )
            candidates.append((assumption, index, worse, better))
    candidates.sort(key=lambda item: item[0].swing, reverse=True)
    chosen = candidates[:top]
    low_effects, high_effects = list(effects), list(effects)
    for assumption, index, worse, better in chosen:
        low_effects[index] = replace(
            low_effects[index], **{assumption.name: getattr(worse, assumption.name)}
        )
        high_effects[index] = replace(
            high_effects[index], **{assumption.name: getattr(better, assumption.name)}
        )
    low = _present_value(low_effects, discount_rate, perspective)
    high = _present_value(high_effects, discount_rate, perspective)
    return tuple(item[0] for item in chosen), Range(low=min(low, base), high=max(high, base))


def calculate(
    effects: Iterable[EffectValue],
    *,
    inputs: Decimal,
    discount_rate: Decimal,
    perspective: str = SOCIETY,
) -> Calculation:
    """The whole calculation: per effect and year, the views, and the sensitivity range."""
    effects = list(effects)
    if not ZERO <= inputs <= MAX_AMOUNT:
        raise ValueInputError(f"inputs must lie between 0 and {MAX_AMOUNT}")
    results = tuple(effect_result(effect, discount_rate) for effect in effects)
    society = sum((r.present_value for r in results if not r.effect.transfer), ZERO)
    transfers = sum((r.present_value for r in results if r.effect.transfer), ZERO)
    by_beneficiary: dict[str, Decimal] = {}
    for result in results:
        name = result.effect.beneficiary
        by_beneficiary[name] = by_beneficiary.get(name, ZERO) + result.present_value
    chosen = _present_value(effects, discount_rate, perspective)
    assumptions, value_range = sensitivity(effects, discount_rate, perspective)
    return Calculation(
        effects=results,
        inputs=inputs,
        discount_rate=discount_rate,
        perspective=perspective,
        present_value=chosen,
        society_value=society,
        by_beneficiary=by_beneficiary,
        transfers=transfers,
        sensitivity=assumptions,
        value_range=value_range,
    )
