"""Chain health: gentle warnings about weak links in a worksheet's impact chain.

They are hints, not blockers: an activity that leads to no effect, an effect nobody
measures, an indicator without baseline or source, a material stakeholder for whom no
change is described, and an output (a count) written down as if it were an effect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _

from impact.models import Activity, Effect, Indicator, Stakeholder, Step, Worksheet

# "12 werkleerplekken", "aantal bezoekers", "number of …": counts describe outputs.
COUNT_WORDS = re.compile(
    r"\b(aantal|aantallen|number of|amount of|count of|hoeveelheid|kg|kilo|ton|stuks|uur)\b",
    re.IGNORECASE,
)
CHANGE_WORDS = re.compile(
    r"\b(meer|minder|beter|sterker|zelfvertrouwen|voelt|voelen|krijgt|krijgen|groei|"
    r"more|less|better|feel|feels|gains?|improv\w*|increas\w*|confiden\w*)\b",
    re.IGNORECASE,
)


def looks_like_output(description: str) -> bool:
    """True when an effect reads like a count ("12 werkleerplekken") rather than a change."""
    text = description.strip()
    if not text:
        return False
    starts_with_number = bool(re.match(r"^[\d.,]+\s*\S", text))
    mentions_counts = bool(COUNT_WORDS.search(text))
    return (starts_with_number or mentions_counts) and not CHANGE_WORDS.search(text)


@dataclass(frozen=True)
class Warning:
    step: int
    code: str
    message: str
    row_type: str
    row_id: int
    label: str

    @property
    def anchor(self) -> str:
        return f"row-{self.row_type}-{self.row_id}"


MESSAGES = {
    "activity_without_effect": _(
        "No effect is linked to this activity yet. What changes for someone because of it?"
    ),
    "effect_without_indicator": _(
        "This effect has no indicator yet. How will you know it happens?"
    ),
    "indicator_without_baseline": _(
        "This indicator has no baseline. Without a value before, you cannot show a change."
    ),
    "indicator_without_source": _("Where do the figures for this indicator come from?"),
    "stakeholder_without_effect": _(
        "This stakeholder is material, but no effect for them is described yet."
    ),
    "output_as_effect": _(
        "This reads like an output (a count). An effect is a change for a person: "
        "for example more self-confidence, or a paid job."
    ),
}


# What a coordinator reads in a list of the hints left open across many worksheets.
LABELS = {
    "activity_without_effect": _("An activity without an effect"),
    "effect_without_indicator": _("An effect without an indicator"),
    "indicator_without_baseline": _("An indicator without a baseline"),
    "indicator_without_source": _("An indicator without a source"),
    "stakeholder_without_effect": _("A material stakeholder without an effect"),
    "output_as_effect": _("An output (a count) written as an effect"),
}


# The rules, each a queryset of the rows it flags within ``scope`` (a Q on the row's
# worksheet, prefixed for the row's path to it): chain_health asks them for one worksheet,
# hint_counts for many at once.
def _stakeholders_without_effect(scope: Callable[[str], Q]) -> QuerySet:
    return Stakeholder.objects.filter(scope("worksheet"), is_material=True, effects__isnull=True)


def _activities_without_effect(scope: Callable[[str], Q]) -> QuerySet:
    return Activity.objects.filter(scope("worksheet"), effects__isnull=True)


def _effects(scope: Callable[[str], Q]) -> QuerySet:
    """Every effect in scope, with ``has_indicator``; two rules read them."""
    return Effect.objects.filter(scope("worksheet")).annotate(
        has_indicator=Exists(Indicator.objects.filter(effect=OuterRef("pk")))
    )


def _weak_indicators(scope: Callable[[str], Q]) -> QuerySet:
    return Indicator.objects.filter(
        Q(baseline__isnull=True) | Q(source=""), scope("effect__worksheet")
    )


def chain_health(worksheet: Worksheet, steps: set[int] | None = None) -> list[Warning]:
    """The warnings for the given steps (all when None); one query per rule that applies."""
    every_step = steps is None
    steps = set(Step.values) if steps is None else steps
    warnings: list[Warning] = []

    def scope(path: str) -> Q:
        return Q(**{path: worksheet})

    def add(step: int, code: str, row_type: str, row_id: int, label: str) -> None:
        warnings.append(Warning(step, code, str(MESSAGES[code]), row_type, row_id, label))

    # Shown on step 2 and on step 4; once (at step 2) when all steps are asked for.
    stakeholder_steps = {Step.STAKEHOLDERS} if every_step else {2, 4} & steps
    if stakeholder_steps:
        for pk, name in _stakeholders_without_effect(scope).values_list("pk", "name"):
            for step in sorted(stakeholder_steps):
                add(step, "stakeholder_without_effect", "stakeholder", pk, name)
    if Step.ACTIVITIES in steps:
        for pk, title in _activities_without_effect(scope).values_list("pk", "title"):
            add(Step.ACTIVITIES, "activity_without_effect", "activity", pk, title)
    if Step.EFFECTS in steps:
        for pk, description, has_indicator in _effects(scope).values_list(
            "pk", "description", "has_indicator"
        ):
            label = description[:80]
            if looks_like_output(description):
                add(Step.EFFECTS, "output_as_effect", "effect", pk, label)
            if not has_indicator:
                add(Step.EFFECTS, "effect_without_indicator", "effect", pk, label)
    if Step.INDICATORS in steps:
        for pk, name, baseline, source in _weak_indicators(scope).values_list(
            "pk", "name", "baseline", "source"
        ):
            if baseline is None:
                add(Step.INDICATORS, "indicator_without_baseline", "indicator", pk, name)
            if not source.strip():
                add(Step.INDICATORS, "indicator_without_source", "indicator", pk, name)
    order = {code: i for i, code in enumerate(MESSAGES)}
    warnings.sort(key=lambda w: (w.step, order[w.code]))
    return warnings


@dataclass(frozen=True)
class HintCount:
    code: str
    label: str
    occurrences: int
    organisations: int


def hint_counts(*, worksheets: QuerySet[Worksheet]) -> list[HintCount]:
    """How often each hint is open across ``worksheets`` (a queryset, used as a subquery)
    and in how many organisations, most organisations first. Four queries, whatever the
    number of worksheets: the rules of :func:`chain_health`, each once for all of them,
    counted by the database except the effects (whether one reads like an output is
    Python's to say)."""

    def scope(path: str) -> Q:
        return Q(**{f"{path}__in": worksheets})

    organisation = "worksheet__enrolment__organisation"
    found: dict[str, tuple[int, int]] = {}
    for code, rows in (
        ("stakeholder_without_effect", _stakeholders_without_effect(scope)),
        ("activity_without_effect", _activities_without_effect(scope)),
    ):
        counted = rows.aggregate(n=Count("pk"), o=Count(organisation, distinct=True))
        found[code] = (counted["n"], counted["o"])
    # chain_health strips the source; a source of spaces counts as none here as well.
    without_baseline, without_source = Q(baseline__isnull=True), Q(bare_source="")
    weak = (
        _weak_indicators(scope)
        .annotate(bare_source=Trim("source"))
        .aggregate(
            no_baseline=Count("pk", filter=without_baseline),
            no_baseline_o=Count(f"effect__{organisation}", filter=without_baseline, distinct=True),
            no_source=Count("pk", filter=without_source),
            no_source_o=Count(f"effect__{organisation}", filter=without_source, distinct=True),
        )
    )
    found["indicator_without_baseline"] = (weak["no_baseline"], weak["no_baseline_o"])
    found["indicator_without_source"] = (weak["no_source"], weak["no_source_o"])
    outputs: list[int] = []
    unmeasured: list[int] = []
    for organisation_id, description, has_indicator in _effects(scope).values_list(
        f"{organisation}_id", "description", "has_indicator"
    ):
        if looks_like_output(description):
            outputs.append(organisation_id)
        if not has_indicator:
            unmeasured.append(organisation_id)
    found["output_as_effect"] = (len(outputs), len(set(outputs)))
    found["effect_without_indicator"] = (len(unmeasured), len(set(unmeasured)))
    counts = [
        HintCount(code, str(LABELS[code]), *found[code]) for code in MESSAGES if found[code][0]
    ]
    counts.sort(key=lambda hint: (-hint.organisations, -hint.occurrences, hint.code))
    return counts
