"""Taking a trainer or coordinator role away (the Team page).

This lives in the project package because a trainer's places in trainings and cohorts go
with their last trainer role: the access to a cohort follows those places, not the role,
and ``organisations`` may not reach into ``trainings``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Membership, Role, User


def is_own_last_coordinator_role(*, membership: Membership, by: User) -> bool:
    """Whether ``by`` would take away their own last coordinator role (one query)."""
    return (
        membership.person_id == by.pk
        and membership.role == Role.COORDINATOR
        and not Membership.objects.filter(person_id=by.pk, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


def is_last_trainer_role(membership: Membership) -> bool:
    """Whether the person trains nowhere else once this role is gone (one query)."""
    return (
        membership.role == Role.TRAINER
        and not Membership.objects.filter(person_id=membership.person_id, role=Role.TRAINER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def take_away_role(*, membership: Membership, by: User) -> None:
    """Remove the trainer or coordinator role; with the person's last trainer role, they
    leave the trainings and cohorts they train (and so lose access to them).

    Raises ValidationError when ``by`` would take away their own last coordinator role.
    """
    # Lock the person's roles, so that two coordinators cannot each take the other's last.
    list(Membership.objects.select_for_update().filter(person_id=membership.person_id))
    if is_own_last_coordinator_role(membership=membership, by=by):
        raise ValidationError(
            _("This is your last coordinator role. Ask another coordinator to take it away."),
            code="own_last",
        )
    last_trainer_role = is_last_trainer_role(membership)
    membership.delete()
    if last_trainer_role:
        person = membership.person
        person.trained_cohorts.clear()
        person.trainings.clear()
