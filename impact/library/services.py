"""The starter kit in use: turning a suggestion into a row of a worksheet."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from impact.library.starter_kit import NEGATIVE
from impact.models import Effect, Indicator, Stakeholder, Suggestion, SuggestionUse, Worksheet
from impact.rows import ROW_TYPES
from impact.worksheet.services import add_row
from organisations.models import User


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


def use_suggestion(
    *,
    worksheet: Worksheet,
    suggestion: Suggestion,
    author: User,
    stakeholder: Stakeholder | None = None,
    effect: Effect | None = None,
) -> tuple[str, models.Model]:
    """Add a prefilled row from a suggestion, as a row added by hand is (``add_row``: its
    revision, and its step now in progress), and record the use (``SuggestionUse``, which
    the programme view counts); returns (row_type, row).

    An effect needs one of the worksheet's stakeholders, an indicator one of its effects;
    the caller's form checked that they belong to this worksheet.
    """
    row_type = ROW_TYPES[suggestion.kind]
    parent: Effect | None = None
    values: dict[str, Any]
    if suggestion.kind == Suggestion.Kind.STAKEHOLDER:
        category = (
            suggestion.category
            if suggestion.category in Stakeholder.Category.values
            else Stakeholder.Category.PARTNERS
        )
        values = {
            "name": suggestion.title,
            "category": category,
            "relation": suggestion.relation or Stakeholder.Relation.EXPERIENCES,
            # Why this stakeholder matters: what the suggestion says about them.
            "materiality_reason": suggestion.description,
        }
    elif suggestion.kind == Suggestion.Kind.EFFECT:
        if stakeholder is None or stakeholder.worksheet_id != worksheet.pk:
            raise ValueError("An effect needs a stakeholder of the same worksheet.")
        values = {
            "stakeholder": stakeholder,
            "description": _effect_text(suggestion),
            "is_positive": suggestion.is_positive,
            # The kit's negative effects are side effects nobody aims for.
            "is_intended": suggestion.is_positive,
        }
    else:
        if effect is None or effect.worksheet_id != worksheet.pk:
            raise ValueError("An indicator needs an effect of the same worksheet.")
        method = (
            suggestion.method
            if suggestion.method in Indicator.Method.values
            else Indicator.Method.REGISTRATION
        )
        parent = effect
        values = {
            "name": suggestion.title,
            "definition": suggestion.description,
            "kind": _indicator_kind(suggestion.unit),
            "unit": suggestion.unit,
            "direction": suggestion.direction,
            "method": method,
        }
    with transaction.atomic():
        row = add_row(
            worksheet=worksheet, row_type=row_type, values=values, parent=parent, author=author
        )
        record_suggestion_use(
            worksheet=worksheet, suggestion=suggestion, row_type=row_type.slug, row=row
        )
    return row_type.slug, row


def record_suggestion_use(
    *, worksheet: Worksheet, suggestion: Suggestion, row_type: str, row: models.Model
) -> SuggestionUse:
    """Note that ``row`` of the worksheet came from ``suggestion``; once per row (the demo
    records its rows again on every run). One or two queries."""
    use, _created = SuggestionUse.objects.get_or_create(
        row_type=row_type,
        row_id=row.pk,
        defaults={"worksheet": worksheet, "suggestion": suggestion},
    )
    return use
