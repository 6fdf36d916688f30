"""Workflows of a training round that touch several rows, mail, or both.

Every service is keyword-only and runs inside one transaction; a rule that is broken raises
``ValidationError`` with a message for the person, so views can show it as a form error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations import invitations
from organisations.invitations import InvitationUnusable as InvitationUnusable
from organisations.models import Membership, Organisation, Role, User
from trainings.models import Attendance, Cohort, Enrolment, Invitation, Session

# ---------------------------------------------------------------------------------------------
# Cohorts


@transaction.atomic
def copy_cohort(*, source: Cohort, name: str, starts_on: dt.date, **fields: Any) -> Cohort:
    """A new cohort of the same training with the source's sessions moved to the new dates.

    The sessions keep their titles, times, agenda, steps, host and location and their distance
    from the first day; nobody is enrolled. ``fields`` are further cohort fields (ends_on,
    capacity, location, description); ``trainers`` default to the source's.
    """
    trainers = fields.pop("trainers", None)
    shift = starts_on - source.starts_on
    values = {
        "ends_on": source.ends_on + shift,
        "capacity": source.capacity,
        "location": source.location,
        "description": source.description,
    } | fields
    cohort = Cohort.objects.create(
        training=source.training,
        name=name,
        starts_on=starts_on,
        status=Cohort.Status.PLANNED,
        copied_from=source,
        **values,
    )
    cohort.trainers.set(trainers if trainers is not None else source.trainers.all())
    Session.objects.bulk_create(
        Session(
            cohort=cohort,
            title=session.title,
            date=session.date + shift,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            location=session.location,
            host_id=session.host_id,
            agenda=session.agenda,
            steps=list(session.steps),
        )
        for session in source.sessions.all()
    )
    return cohort


@transaction.atomic
def remove_cohort(*, cohort: Cohort) -> bool:
    """Delete the cohort, or archive it when worksheets hang on it; True when deleted."""
    if cohort.has_worksheets():
        cohort.status = Cohort.Status.ARCHIVED
        cohort.save(update_fields=["status", "updated_at"])
        return False
    cohort.delete()
    return True


# ---------------------------------------------------------------------------------------------
# Enrolment


@transaction.atomic
def enrol_organisation(*, cohort: Cohort, organisation: Organisation) -> Enrolment:
    """Enrol the organisation, or take a withdrawn enrolment back; checks place and duplicates.

    Locks the cohort row so that two trainers cannot both take the last place.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    existing = Enrolment.objects.filter(cohort=cohort, organisation=organisation).first()
    if existing is not None and existing.is_active:
        raise ValidationError(
            _("%(organisation)s is already enrolled in this cohort.")
            % {"organisation": organisation},
            code="duplicate",
        )
    if cohort.is_full():
        raise ValidationError(
            _(
                "This cohort is full: %(capacity)s organisations take part. Raise the capacity "
                "or withdraw an organisation first."
            )
            % {"capacity": cohort.capacity},
            code="full",
        )
    if existing is not None:
        existing.withdrawn_at = None
        existing.save(update_fields=["withdrawn_at", "updated_at"])
        return existing
    return Enrolment.objects.create(cohort=cohort, organisation=organisation)


@transaction.atomic
def withdraw_enrolment(*, enrolment: Enrolment) -> None:
    """Withdraw the organisation and its open invitations; worksheets and attendance stay."""
    enrolment.withdraw()
    for invitation in Invitation.objects.filter(
        cohort=enrolment.cohort,
        organisation=enrolment.organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    ):
        invitation.withdraw()


# ---------------------------------------------------------------------------------------------
# Invitations

ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


@dataclasses.dataclass
class ParsedAddresses:
    valid: list[str]
    invalid: list[str]
    duplicates: list[str]


def parse_addresses(text: str) -> ParsedAddresses:
    """Split pasted addresses on newlines, commas, semicolons and spaces.

    Accepts ``Name <address>`` too; addresses are lower-cased, repeats are reported once.
    """
    # The name part starts after a separator or a previous address, so the scan stays linear.
    text = re.sub(r"(?:^|(?<=[,;\n>]))[^<>,;\n]*<([^<>]+)>", r" \1 ", text)
    valid: list[str] = []
    invalid: list[str] = []
    duplicates: list[str] = []
    max_length = Invitation._meta.get_field("email").max_length
    for item in ADDRESS_SEPARATORS.split(text):
        item = item.strip().strip("<>\"'")
        if not item:
            continue
        address = item.lower()
        try:
            validate_email(address)
            if max_length is not None and len(address) > max_length:
                raise ValidationError("too long for the database")
        except ValidationError:
            invalid.append(item)
            continue
        if address in valid:
            if address not in duplicates:
                duplicates.append(address)
        else:
            valid.append(address)
    return ParsedAddresses(valid=valid, invalid=invalid, duplicates=duplicates)


def invitation_url(token: str, *, base_url: str | None = None) -> str:
    """The absolute link behind an invitation (see ``invitations.absolute_link``)."""
    path = reverse("trainings:invitation_accept", args=[token])
    return invitations.absolute_link(path, base_url=base_url)


def send_invitation_mail(
    *, invitation: Invitation, token: str, base_url: str | None = None
) -> None:
    """Mail the link, in the site's language, through the account adapter and MAILERS."""
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "organisation": invitation.organisation,
        "inviter": inviter.get_full_name() if inviter else "",
        "url": invitation_url(token, base_url=base_url),
        "expires_at": invitation.expires_at,
    }
    invitations.send_invitation_mail(
        email=invitation.email, template="trainings/email/invitation", context=context
    )


@transaction.atomic
def invite_participant(
    *,
    cohort: Cohort,
    organisation: Organisation,
    email: str,
    invited_by: User,
    base_url: str | None = None,
) -> Invitation:
    """Invite one address to an organisation enrolled in the cohort and mail the link.

    ``base_url`` is where the link points (see ``invitation_url``).

    Raises ValidationError when the organisation is not enrolled or the address already has
    an invitation to this cohort that is not withdrawn.
    """
    email = email.strip().lower()
    validate_email(email)
    if not Enrolment.objects.active().filter(cohort=cohort, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s is not enrolled in this cohort.") % {"organisation": organisation},
            code="not_enrolled",
        )
    if Invitation.objects.open().filter(cohort=cohort, email=email).exists():
        raise ValidationError(
            _("%(email)s is already invited to this cohort.") % {"email": email},
            code="duplicate",
        )
    invitation = Invitation(
        cohort=cohort, organisation=organisation, email=email, invited_by=invited_by
    )
    token = invitation.new_token()
    invitation.save()
    # Sent inside the transaction: when the mail fails, no invitation without a link remains.
    send_invitation_mail(invitation=invitation, token=token, base_url=base_url)
    return invitation


@dataclasses.dataclass
class BulkInviteResult:
    sent: list[Invitation]
    skipped: list[str]


def invite_many(
    *,
    cohort: Cohort,
    organisation: Organisation,
    emails: Iterable[str],
    invited_by: User,
    base_url: str | None = None,
) -> BulkInviteResult:
    """Invite each address; those already invited are skipped, the rest are sent."""
    sent: list[Invitation] = []
    skipped: list[str] = []
    for email in emails:
        try:
            sent.append(
                invite_participant(
                    cohort=cohort,
                    organisation=organisation,
                    email=email,
                    invited_by=invited_by,
                    base_url=base_url,
                )
            )
        except ValidationError as error:
            if error.code != "duplicate":
                raise
            skipped.append(email)
    return BulkInviteResult(sent=sent, skipped=skipped)


@transaction.atomic
def resend_invitation(*, invitation: Invitation, base_url: str | None = None) -> Invitation:
    """A new token and expiry, mailed again; the old link stops working."""
    invitation = (
        # Lock the invitation only: invited_by is a nullable join that cannot be locked.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("cohort__training", "organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    if not invitation.can_be_resent:
        raise ValidationError(_("Only an open or expired invitation can be sent again."))
    token = invitation.new_token()
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "updated_at"])
    # Sent inside the transaction: when the mail fails, no invitation without a link remains.
    send_invitation_mail(invitation=invitation, token=token, base_url=base_url)
    return invitation


def _lock_usable(invitation: Invitation) -> Invitation:
    return invitations.lock_usable(invitation, "cohort", "organisation")


def _join(*, invitation: Invitation, person: User) -> None:
    Membership.objects.get_or_create(
        person=person, organisation=invitation.organisation, role=Role.PARTICIPANT
    )
    invitation.mark_accepted(by=person)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, person: User) -> Invitation:
    """An existing, signed-in person accepts: they become a participant of the organisation.

    Raises InvitationUnusable when the link is expired, withdrawn or used.
    """
    invitation = _lock_usable(invitation)
    _join(invitation=invitation, person=person)
    return invitation


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account for the invited address and accept; returns the new person.

    Raises InvitationUnusable when the link is expired, withdrawn or used, and ValidationError
    when the address has an account already (that person signs in and accepts instead).
    """
    invitation = _lock_usable(invitation)
    person = invitations.create_invited_account(
        invitation=invitation, first_name=first_name, last_name=last_name, password=password
    )
    _join(invitation=invitation, person=person)
    return person


# ---------------------------------------------------------------------------------------------
# Attendance


def attendance_candidates(session: Session) -> list[Membership]:
    """Participants of the organisations enrolled in the session's cohort (one query)."""
    return list(
        Membership.objects.filter(
            role=Role.PARTICIPANT,
            organisation__enrolments__cohort_id=session.cohort_id,
            organisation__enrolments__withdrawn_at__isnull=True,
        )
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__first_name", "person__last_name")
    )


@transaction.atomic
def record_attendance(*, session: Session, present: Iterable[int]) -> int:
    """Save who attended among the session's candidates in one go; returns how many did.

    Rows of people who are no longer candidates (e.g. a withdrawn organisation) are kept.
    """
    candidates = {m.person_id for m in attendance_candidates(session)}
    present_ids = set(present) & candidates
    Attendance.objects.filter(session=session, person_id__in=candidates - present_ids).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, person_id=pk) for pk in present_ids],
        ignore_conflicts=True,
    )
    return len(present_ids)
