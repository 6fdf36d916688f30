"""Giving the cooperative's people their role: invitations from the Team page.

Every service is keyword-only; those that write run in one transaction. A rule that is
broken raises ``ValidationError`` with a message for the person, so views can show it as a
form error. The link, the mail and the accept page are shared with the cohort invitations
(``organisations/invitations.py``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations import invitations
from organisations.models import STAFF_ROLES, Membership, Organisation, Role, StaffInvitation, User

# Where each role works.
ROLE_HOMES = {
    Role.TRAINER: {Organisation.Kind.COOPERATIVE, Organisation.Kind.MEMBER},
    Role.COORDINATOR: {Organisation.Kind.COOPERATIVE},
}


def staff_invitation_url(token: str, *, base_url: str | None = None) -> str:
    """The absolute link behind a Team invitation (see ``invitations.absolute_link``)."""
    path = reverse("organisations:staff_invitation_accept", args=[token])
    return invitations.absolute_link(path, base_url=base_url)


def send_staff_invitation_mail(
    *, invitation: StaffInvitation, token: str, base_url: str | None = None
) -> None:
    """Mail the link in the language chosen for the invitation."""
    inviter = invitation.invited_by
    invitations.send_invitation_mail(
        email=invitation.email,
        template="organisations/email/staff_invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": inviter.get_full_name() if inviter else "",
            "url": staff_invitation_url(token, base_url=base_url),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
    )


@transaction.atomic
def invite_staff(
    *,
    email: str,
    role: str,
    organisation: Organisation,
    invited_by: User,
    language: str,
    base_url: str | None = None,
) -> StaffInvitation:
    """Invite one address as a trainer or coordinator of the organisation and mail the link.

    ``base_url`` is where the link points (see ``invitations.absolute_link``). Raises
    ValidationError when the role does not fit the organisation, the address holds the role
    there already, or an invitation for it is still waiting.
    """
    email = email.strip().lower()
    validate_email(email)
    if role not in STAFF_ROLES or organisation.kind not in ROLE_HOMES[Role(role)]:
        raise ValidationError(
            _("A coordinator works for the cooperative; a trainer for it or a member."),
            code="wrong_home",
        )
    label = Role(role).label
    if Membership.objects.filter(
        person__email__iexact=email, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            _("%(email)s is already %(role)s at %(organisation)s.")
            % {"email": email, "role": label, "organisation": organisation},
            code="member",
        )
    if (
        StaffInvitation.objects.pending()
        .filter(organisation=organisation, role=role, email=email)
        .exists()
    ):
        raise ValidationError(
            _("%(email)s is already invited as %(role)s at %(organisation)s.")
            % {"email": email, "role": label, "organisation": organisation},
            code="duplicate",
        )
    invitation = StaffInvitation(
        email=email,
        role=role,
        organisation=organisation,
        invited_by=invited_by,
        language=language,
    )
    token = invitation.new_token()
    invitation.save()
    # Sent inside the transaction: when the mail fails, no invitation without a link remains.
    send_staff_invitation_mail(invitation=invitation, token=token, base_url=base_url)
    return invitation


@transaction.atomic
def resend_staff_invitation(
    *, invitation: StaffInvitation, base_url: str | None = None
) -> StaffInvitation:
    """A new token and expiry, mailed again; the old link stops working."""
    invitation = (
        StaffInvitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    if not invitation.can_be_resent:
        raise ValidationError(_("Only an open or expired invitation can be sent again."))
    token = invitation.new_token()
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "updated_at"])
    send_staff_invitation_mail(invitation=invitation, token=token, base_url=base_url)
    return invitation


def _give_role(*, invitation: StaffInvitation, person: User) -> None:
    Membership.objects.get_or_create(
        person=person, organisation=invitation.organisation, role=invitation.role
    )
    invitation.mark_accepted(by=person)


@transaction.atomic
def accept_staff_invitation(*, invitation: StaffInvitation, person: User) -> StaffInvitation:
    """A signed-in person with the invited address accepts and gets the role.

    Raises InvitationUnusable when the link is expired, withdrawn or used.
    """
    invitation = invitations.lock_usable(invitation, "organisation")
    _give_role(invitation=invitation, person=person)
    return invitation


@transaction.atomic
def accept_staff_invitation_with_new_account(
    *, invitation: StaffInvitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account for the invited address, with the role; returns the new person.

    Raises InvitationUnusable when the link is expired, withdrawn or used, and ValidationError
    when the address has an account already.
    """
    invitation = invitations.lock_usable(invitation, "organisation")
    person = invitations.create_invited_account(
        invitation=invitation, first_name=first_name, last_name=last_name, password=password
    )
    _give_role(invitation=invitation, person=person)
    return person
