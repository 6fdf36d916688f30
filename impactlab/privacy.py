"""Personal data: what impactlab stores about a person, and erasing a person.

This lives in the project package because it reads every app (organisations, trainings,
impact); the apps themselves never import it.
"""

from __future__ import annotations

import logging
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from impact.models import (
    Comment,
    PeerReview,
    PeerReviewRound,
    ReportExport,
    Revision,
    StepReview,
)
from organisations.models import Membership, StaffInvitation, User
from trainings.models import Attendance, Invitation, MailPreferences, Notice

logger = logging.getLogger(__name__)

# Stored data, not interface text: the interface is Dutch first and this is what colleagues
# see in place of the person's name in history and feedback.
ERASED_NAME = "Verwijderde persoon"
ERASED_EMAIL_DOMAIN = "example.invalid"


def personal_data(person: User) -> dict:
    """Everything stored about `person`, as plain JSON-ready values; a query per section."""
    return {
        "exported_at": timezone.now(),
        "profile": {
            "id": person.pk,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
            "is_active": person.is_active,
            "email_addresses": list(
                EmailAddress.objects.filter(user=person).values("email", "verified", "primary")
            ),
            "two_factor_methods": list(
                Authenticator.objects.filter(user=person).values("type", "created_at")
            ),
        },
        "memberships": list(
            Membership.objects.filter(person=person).values(
                "id", "organisation_id", "organisation__name", "role", "job_title", "created_at"
            )
        ),
        "cohorts_trained": list(
            person.trained_cohorts.values("id", "name", "training__name", "starts_on")
        ),
        # The address of the person invited is theirs, not this person's: left out.
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=person).values(
                "id", "cohort_id", "cohort__name", "organisation__name", "sent_at", "accepted_at"
            )
        ),
        "invitations_received": list(
            Invitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=person.email))
            .values(
                "id",
                "email",
                "cohort_id",
                "cohort__name",
                "organisation__name",
                "sent_at",
                "accepted_at",
                "withdrawn_at",
            )
            .order_by("sent_at")
        ),
        "team_invitations_sent": list(
            StaffInvitation.objects.filter(invited_by=person).values(
                "id", "role", "organisation__name", "sent_at", "accepted_at"
            )
        ),
        "team_invitations_received": list(
            StaffInvitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=person.email))
            .values(
                "id",
                "email",
                "role",
                "organisation__name",
                "language",
                "sent_at",
                "accepted_at",
                "withdrawn_at",
            )
            .order_by("sent_at")
        ),
        "attendance": list(
            Attendance.objects.filter(person=person)
            .values(
                "session_id",
                "session__title",
                "session__date",
                "session__cohort__name",
                "recorded_at",
            )
            .order_by("session__date")
        ),
        "comments": list(
            Comment.objects.filter(author=person).values(
                "id",
                "worksheet_id",
                "worksheet__enrolment__organisation__name",
                "step",
                "row_type",
                "row_id",
                "parent_id",
                "body",
                "created_at",
                "resolved_at",
            )
        ),
        "revisions": list(
            Revision.objects.filter(author=person)
            .values(
                "id",
                "created_at",
                "worksheet_id",
                "worksheet__enrolment__organisation__name",
                "step",
                "row_type",
                "row_id",
                "row_version",
                "action",
            )
            .order_by("created_at", "pk")
        ),
        "step_reviews": list(
            StepReview.objects.filter(changed_by=person).values(
                "id", "worksheet_id", "step", "state", "note", "updated_at"
            )
        ),
        "exports": list(
            ReportExport.objects.filter(requested_by=person)
            .values(
                "id",
                "kind",
                "status",
                "cohort_id",
                "worksheet_id",
                "language",
                "created_at",
                "finished_at",
            )
            .order_by("created_at")
        ),
    }


def erase_person(*, person: User, erased_by: User) -> None:
    """Remove a person's name, address and links, keeping the worksheets they worked on.

    In one transaction: the account keeps its id (so history rows stay consistent) but
    gets a neutral name, an unusable placeholder address and password, and is inactive;
    memberships, trainer places, addresses, two-factor keys, sessions and requested exports
    go; history, feedback, reviews and invitations lose the link to the person. Comment
    text stays with the worksheet it belongs to. Logs only ids.
    """
    old_email = person.email
    old_name = person.get_full_name()
    with transaction.atomic():
        placeholder = f"erased-{person.pk}-{secrets.token_hex(6)}@{ERASED_EMAIL_DOMAIN}"
        Revision.objects.filter(author=person).update(author=None)
        Comment.objects.filter(author=person).update(author=None)
        Comment.objects.filter(resolved_by=person).update(resolved_by=None)
        StepReview.objects.filter(changed_by=person).update(changed_by=None)
        Invitation.objects.filter(invited_by=person).update(invited_by=None)
        Invitation.objects.filter(accepted_by=person).update(accepted_by=None)
        Invitation.objects.filter(email__iexact=old_email).update(email=placeholder)
        StaffInvitation.objects.filter(invited_by=person).update(invited_by=None)
        StaffInvitation.objects.filter(accepted_by=person).update(accepted_by=None)
        StaffInvitation.objects.filter(email__iexact=old_email).update(email=placeholder)
        Membership.objects.filter(person=person).delete()
        PeerReview.objects.filter(submitted_by=person).update(submitted_by=None)
        PeerReview.objects.filter(hidden_by=person).update(hidden_by=None)
        PeerReviewRound.objects.filter(created_by=person).update(created_by=None)
        Notice.objects.filter(person=person).delete()
        MailPreferences.objects.filter(person=person).delete()
        person.trained_cohorts.clear()
        person.trainings.clear()
        for export in ReportExport.objects.filter(requested_by=person):
            if export.file:
                transaction.on_commit(lambda f=export.file: f.delete(save=False))
        ReportExport.objects.filter(requested_by=person).delete()
        EmailAddress.objects.filter(user=person).delete()
        Authenticator.objects.filter(user=person).delete()
        _delete_sessions(person)
        _scrub_admin_log(person, old_email=old_email, old_name=old_name)

        person.first_name = ERASED_NAME
        person.last_name = ""
        person.email = placeholder
        person.set_unusable_password()
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.last_login = None
        person.save()
    logger.info("person %s erased by person %s", person.pk, erased_by.pk)


def _delete_sessions(person: User) -> None:
    """Sessions store the user id encoded; reads every session (a small table)."""
    doomed = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(person.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()


def _scrub_admin_log(person: User, *, old_email: str, old_name: str) -> None:
    """The admin's history names objects by their text, which holds names and addresses."""
    named = Q(object_repr__icontains=old_email)
    if old_name:
        named |= Q(object_repr__icontains=old_name) | Q(change_message__icontains=old_name)
    LogEntry.objects.filter(named).update(object_repr=ERASED_NAME, change_message="")
