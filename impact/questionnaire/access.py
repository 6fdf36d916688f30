"""Who may do what with a questionnaire: the worksheet's rules (impact/access.py), plus
one of its own: only the organisation itself sees small groups, open answers and the raw
answers."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from impact.access import _remembered, is_editor
from impact.models import Worksheet
from impact.questionnaire.models import Question, Questionnaire, ShareLink
from organisations.models import Role, User


def is_own_organisation(user: User | AnonymousUser, worksheet: Worksheet) -> bool:
    """The organisation's own participants (also after a withdrawal); one query."""
    if not user.is_authenticated or not user.is_participant:
        return False
    return _remembered(
        worksheet,
        user,
        "organisation",
        lambda: worksheet.enrolment.organisation.memberships.filter(
            person=user, role=Role.PARTICIPANT
        ).exists(),
    )


def access_questionnaire(
    user: User | AnonymousUser, pk: int, *, edit: bool = False
) -> Questionnaire:
    """The questionnaire with its worksheet (one query); 404 for who may not read the
    worksheet, 403 when ``edit`` and the person may not edit it (one query more)."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.visible_to(user).select_related(
            "worksheet__enrolment__organisation", "worksheet__enrolment__cohort"
        ),
        pk=pk,
    )
    if edit and not is_editor(user, questionnaire.worksheet):
        raise PermissionDenied
    return questionnaire


def access_question(user: User | AnonymousUser, pk: int, *, edit: bool = False) -> Question:
    question = get_object_or_404(
        Question.objects.filter(questionnaire__in=Questionnaire.objects.visible_to(user))
        .select_related("questionnaire__worksheet__enrolment__organisation")
        .select_related("questionnaire__worksheet__enrolment__cohort"),
        pk=pk,
    )
    if edit and not is_editor(user, question.questionnaire.worksheet):
        raise PermissionDenied
    return question


def access_link(user: User | AnonymousUser, pk: int, *, edit: bool = False) -> ShareLink:
    link = get_object_or_404(
        ShareLink.objects.filter(questionnaire__in=Questionnaire.objects.visible_to(user))
        .select_related("moment", "questionnaire__worksheet__enrolment__organisation")
        .select_related("questionnaire__worksheet__enrolment__cohort"),
        pk=pk,
    )
    if edit and not is_editor(user, link.questionnaire.worksheet):
        raise PermissionDenied
    return link
