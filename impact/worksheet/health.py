"""Chain health: gentle warnings about weak links in a worksheet's impact chain.

They are hints, not blockers: an activity that leads to no effect, an effect nobody
measures, an indicator without baseline or source, a material stakeholder for whom no
change is described, and an output (a count) written down as if it were an effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
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


def chain_health(worksheet: Worksheet, steps: set[int] | None = None) -> list[Warning]:
    """The warnings for the given steps (all when None); one query per rule that applies."""
    every_step = steps is None
    steps = set(Step.values) if steps is None else steps
    warnings: list[Warning] = []

    def add(step: int, code: str, row_type: str, row_id: int, label: str) -> None:
        warnings.append(Warning(step, code, str(MESSAGES[code]), row_type, row_id, label))

    # Shown on step 2 and on step 4; once (at step 2) when all steps are asked for.
    stakeholder_steps = {Step.STAKEHOLDERS} if every_step else {2, 4} & steps
    if stakeholder_steps:
        for pk, name in Stakeholder.objects.filter(
            worksheet=worksheet, is_material=True, effects__isnull=True
        ).values_list("pk", "name"):
            for step in sorted(stakeholder_steps):
                add(step, "stakeholder_without_effect", "stakeholder", pk, name)
    if Step.ACTIVITIES in steps:
        for pk, title in Activity.objects.filter(
            worksheet=worksheet, effects__isnull=True
        ).values_list("pk", "title"):
            add(Step.ACTIVITIES, "activity_without_effect", "activity", pk, title)
    if Step.EFFECTS in steps:
        effects = Effect.objects.filter(worksheet=worksheet).values_list("pk", "description")
        without_indicator = set(
            Effect.objects.filter(worksheet=worksheet, indicators__isnull=True).values_list(
                "pk", flat=True
            )
        )
        for pk, description in effects:
            label = description[:80]
            if looks_like_output(description):
                add(Step.EFFECTS, "output_as_effect", "effect", pk, label)
            if pk in without_indicator:
                add(Step.EFFECTS, "effect_without_indicator", "effect", pk, label)
    if Step.INDICATORS in steps:
        for pk, name, baseline, source in Indicator.objects.filter(
            Q(baseline__isnull=True) | Q(source=""), effect__worksheet=worksheet
        ).values_list("pk", "name", "baseline", "source"):
            if baseline is None:
                add(Step.INDICATORS, "indicator_without_baseline", "indicator", pk, name)
            if not source.strip():
                add(Step.INDICATORS, "indicator_without_source", "indicator", pk, name)
    order = {code: i for i, code in enumerate(MESSAGES)}
    warnings.sort(key=lambda w: (w.step, order[w.code]))
    return warnings
