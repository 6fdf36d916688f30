"""Who may see, edit and review a worksheet: the one home of these rules.

Reading goes through ``Worksheet.objects.visible_to`` (everyone else gets a 404, so the app
never confirms that a worksheet exists); writing needs ``editable_by`` (a reader gets 403).
A page asks for the same right several times (the step, its feedback thread, the starter
kit): each answer is remembered on the worksheet object, so it costs one query a request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from impact.models import Worksheet
from organisations.models import User
from trainings.models import Cohort


def access_worksheet(
    user: User | AnonymousUser, pk: int, *, edit: bool = False, rights: bool = False
) -> Worksheet:
    """The worksheet with its organisation and cohort (one query); 404 when the person may
    not see it, 403 when ``edit`` and the person may not edit it (one query more). With
    ``rights`` (the worksheet's own pages, which ask both) whether the person may edit and
    review it come from the same query, so ``is_editor`` and ``is_reviewer`` ask none."""
    if not user.is_authenticated:
        raise Http404
    # Not ``visible_to(user)``: its joins and DISTINCT cost more to build than the page
    # costs to serve from the cache. The same rules, from the person's memberships (read
    # with their roles) and, for trainers only, one EXISTS column (the authorization tests
    # of every worksheet page hold them to the same answers).
    worksheets = Worksheet.objects.select_related(
        "enrolment__organisation", "enrolment__cohort__training", "value_step"
    )
    if user.is_trainer:
        worksheets = worksheets.with_trainer_tie(user)
    worksheet = get_object_or_404(worksheets, pk=pk)
    member = user.participates_in(worksheet.enrolment.organisation_id)
    trains = getattr(worksheet, "tie_trains", False)
    if not (user.is_coordinator or member or trains):
        raise Http404
    if rights:
        known = worksheet.__dict__.setdefault("_rights", {})
        enrolment = worksheet.enrolment
        # As ``editable_by``: a participant of the organisation, still enrolled, in a
        # cohort that is not archived.
        known[(user.pk, "edit")] = bool(
            member
            and enrolment.withdrawn_at is None
            and enrolment.cohort.status != Cohort.Status.ARCHIVED
        )
        if not user.is_coordinator:
            known[(user.pk, "review")] = trains
    if edit and not is_editor(user, worksheet):
        raise PermissionDenied
    return worksheet


def _remembered(worksheet: Worksheet, user: User, right: str, ask: Callable[[], bool]) -> bool:
    """A right of this person on this worksheet object, asked once per object."""
    rights = worksheet.__dict__.setdefault("_rights", {})
    key = (user.pk, right)
    if key not in rights:
        rights[key] = ask()
    return rights[key]


def is_reviewer(user: User | AnonymousUser, worksheet: Worksheet) -> bool:
    """Coordinators and the cohort's trainers give feedback (one query for trainers)."""
    if not user.is_authenticated:
        return False
    if user.is_coordinator:
        return True
    return _remembered(
        worksheet,
        user,
        "review",
        lambda: worksheet.enrolment.cohort.trainers.filter(pk=user.pk).exists(),
    )


def is_editor(user: User | AnonymousUser, worksheet: Worksheet) -> bool:
    """The organisation's participants edit the worksheet (one query, none for people who
    participate nowhere: ``editable_by`` asks for a participant's membership)."""
    if not user.is_authenticated or not user.is_participant:
        return False
    return _remembered(
        worksheet,
        user,
        "edit",
        lambda: Worksheet.objects.editable_by(user).filter(pk=worksheet.pk).exists(),
    )


def can_respond(user: User | AnonymousUser, worksheet: Worksheet) -> bool:
    """Reviewers and the participants who may edit the worksheet reply to feedback and
    resolve it (at most the queries of ``is_reviewer`` and ``is_editor``)."""
    return is_reviewer(user, worksheet) or is_editor(user, worksheet)
