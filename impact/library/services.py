"""The starter kit in use: turning a suggestion into a row of a worksheet."""

from __future__ import annotations

from django.db import models, transaction

from impact.library.starter_kit import NEGATIVE
from impact.models import Effect, Indicator, Revision, Stakeholder, Step, Suggestion, Worksheet
from impact.worksheet.services import mark_step_started, record_revision
from organisations.models import User


def _next_position(queryset: models.QuerySet) -> int:
    highest = queryset.aggregate(highest=models.Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _effect_text(suggestion: Suggestion) -> str:
    """The change as the suggestion words it: its title, then its explanation.

    A negative effect arrives marked as negative, so the "Negatief:" of its title goes.
    """
    title = suggestion.title
    if not suggestion.is_positive and title.startswith(NEGATIVE):
        title = title.removeprefix(NEGATIVE).strip()
        title = title[:1].upper() + title[1:]
    if not suggestion.description:
        return title
    if not title.endswith((".", "!", "?")):
        title += "."
    return f"{title} {suggestion.description}"


def _indicator_kind(unit: str) -> str:
    if "%" in unit:
        return Indicator.Kind.PERCENTAGE
    if unit.startswith("score"):
        return Indicator.Kind.SCALE
    if not unit:
        return Indicator.Kind.QUALITATIVE
    return Indicator.Kind.NUMBER


@transaction.atomic
def use_suggestion(
    *,
    worksheet: Worksheet,
    suggestion: Suggestion,
    author: User,
    stakeholder: Stakeholder | None = None,
    effect: Effect | None = None,
) -> tuple[str, models.Model]:
    """Add a prefilled row from a suggestion; returns (row_type, row).

    An effect needs one of the worksheet's stakeholders, an indicator one of its effects;
    the caller's form checked that they belong to this worksheet.
    """
    row: Stakeholder | Effect | Indicator
    if suggestion.kind == Suggestion.Kind.STAKEHOLDER:
        category = (
            suggestion.category
            if suggestion.category in Stakeholder.Category.values
            else Stakeholder.Category.PARTNERS
        )
        row = Stakeholder.objects.create(
            worksheet=worksheet,
            name=suggestion.title,
            category=category,
            relation=suggestion.relation or Stakeholder.Relation.EXPERIENCES,
            # Why this stakeholder matters: what the suggestion says about them.
            materiality_reason=suggestion.description,
            position=_next_position(worksheet.stakeholders.all()),
        )
        row_type, step = "stakeholder", Step.STAKEHOLDERS
    elif suggestion.kind == Suggestion.Kind.EFFECT:
        if stakeholder is None or stakeholder.worksheet_id != worksheet.pk:
            raise ValueError("An effect needs a stakeholder of the same worksheet.")
        row = Effect.objects.create(
            worksheet=worksheet,
            stakeholder=stakeholder,
            description=_effect_text(suggestion),
            is_positive=suggestion.is_positive,
            # The kit's negative effects are side effects nobody aims for.
            is_intended=suggestion.is_positive,
            position=_next_position(worksheet.effects.all()),
        )
        row_type, step = "effect", Step.EFFECTS
    else:
        if effect is None or effect.worksheet_id != worksheet.pk:
            raise ValueError("An indicator needs an effect of the same worksheet.")
        method = (
            suggestion.method
            if suggestion.method in Indicator.Method.values
            else Indicator.Method.REGISTRATION
        )
        row = Indicator.objects.create(
            effect=effect,
            name=suggestion.title,
            definition=suggestion.description,
            kind=_indicator_kind(suggestion.unit),
            unit=suggestion.unit,
            direction=suggestion.direction,
            method=method,
            position=_next_position(Indicator.objects.filter(effect__worksheet=worksheet)),
        )
        row_type, step = "indicator", Step.INDICATORS
    record_revision(
        worksheet=worksheet,
        row_type=row_type,
        obj=row,
        action=Revision.Action.CREATE,
        author=author,
        step=step,
    )
    # As when a row is added by hand: the step is now in progress.
    mark_step_started(worksheet, step)
    return row_type, row


STEP_OF_KIND = {
    Suggestion.Kind.STAKEHOLDER: Step.STAKEHOLDERS,
    Suggestion.Kind.EFFECT: Step.EFFECTS,
    Suggestion.Kind.INDICATOR: Step.INDICATORS,
}
