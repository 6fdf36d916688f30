"""The starter kit in use: turning a suggestion into a row of a worksheet."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from impact.models import Effect, Indicator, Revision, Stakeholder, Step, Suggestion, Worksheet

SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version", "worksheet"}


def row_fields(instance: models.Model) -> dict:
    """The row's own fields as JSON-safe values, for a Revision."""
    data = {
        field.name: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_creation(*, worksheet: Worksheet, step: int, row_type: str, row, author) -> Revision:
    """The history line for a row someone added."""
    return Revision.objects.create(
        worksheet=worksheet,
        step=step,
        row_type=row_type,
        row_id=row.pk,
        row_version=row.version,
        action=Revision.Action.CREATE,
        data=row_fields(row),
        author=author,
    )


def _next_position(queryset: models.QuerySet) -> int:
    highest = queryset.aggregate(highest=models.Max("position"))["highest"]
    return 0 if highest is None else highest + 1


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
    author,
    stakeholder: Stakeholder | None = None,
    effect: Effect | None = None,
) -> tuple[str, models.Model]:
    """Add a prefilled row from a suggestion; returns (row_type, row).

    An effect needs one of the worksheet's stakeholders, an indicator one of its effects;
    the caller's form checked that they belong to this worksheet.
    """
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
            position=_next_position(worksheet.stakeholders.all()),
        )
        row_type, step = "stakeholder", Step.STAKEHOLDERS
    elif suggestion.kind == Suggestion.Kind.EFFECT:
        if stakeholder is None or stakeholder.worksheet_id != worksheet.pk:
            raise ValueError("An effect needs a stakeholder of the same worksheet.")
        row = Effect.objects.create(
            worksheet=worksheet,
            stakeholder=stakeholder,
            description=suggestion.title,
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
            method=method,
            position=_next_position(Indicator.objects.filter(effect__worksheet=worksheet)),
        )
        row_type, step = "indicator", Step.INDICATORS
    record_creation(worksheet=worksheet, step=step, row_type=row_type, row=row, author=author)
    return row_type, row


STEP_OF_KIND = {
    Suggestion.Kind.STAKEHOLDER: Step.STAKEHOLDERS,
    Suggestion.Kind.EFFECT: Step.EFFECTS,
    Suggestion.Kind.INDICATOR: Step.INDICATORS,
}
