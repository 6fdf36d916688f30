"""The questionnaires section of step 5, so that the step page needs no view changes."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q

from impact.questionnaire.models import Questionnaire

register = template.Library()


@register.inclusion_tag("impact/questionnaire/_step5.html")
def step5_questionnaires(worksheet, editable: bool) -> dict:
    """The worksheet's questionnaires with their sent responses; one query."""
    questionnaires = Questionnaire.objects.filter(worksheet=worksheet).annotate(
        sent=Count("links__responses", filter=Q(links__responses__finished_at__isnull=False))
    )
    return {"worksheet": worksheet, "questionnaires": questionnaires, "editable": editable}
