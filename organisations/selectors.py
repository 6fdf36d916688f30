"""Reads for the pages of people and roles that need more than a queryset."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from organisations.models import Membership, Role, User


@dataclass
class TeamMember:
    person: User
    roles: list[Membership]
    has_two_factor: bool

    @property
    def coordinator_roles(self) -> int:
        return sum(1 for membership in self.roles if membership.role == Role.COORDINATOR)


def team_members() -> list[TeamMember]:
    """Everyone with a trainer or coordinator role, with those roles and whether they use
    two-factor authentication; one query, whatever the size of the team."""
    memberships = Membership.objects.staff().annotate(
        has_two_factor=Exists(
            Authenticator.objects.filter(
                user=OuterRef("person"),
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
            )
        )
    )
    return [
        TeamMember(person=roles[0].person, roles=roles, has_two_factor=roles[0].has_two_factor)
        for roles in (list(group) for _person, group in groupby(memberships, lambda m: m.person_id))
    ]
