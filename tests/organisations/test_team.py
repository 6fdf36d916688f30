"""The Team page: coordinators give people a trainer or coordinator role by invitation, and
take it away again."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership, Organisation, Role, StaffInvitation, User
from tests.factories import (
    PASSWORD,
    CohortFactory,
    OrganisationFactory,
    StaffInvitationFactory,
    make_person,
)

NEW_PASSWORD = "Kringloop-werkt-2026"
TEAM = reverse("organisations:team")


def accept_url_from_last_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/team/uitnodiging/[\w-]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def invite(client, email: str, role: str, organisation: Organisation, language: str = "nl"):
    return client.post(
        TEAM,
        {"email": email, "role": role, "organisation": organisation.pk, "language": language},
    )


def register(client, url, **overrides):
    data = {
        "first_name": "Ruben",
        "last_name": "de Wit",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post(url, data | overrides)


# --- The page ---------------------------------------------------------------------------------


def test_team_shows_trainers_and_coordinators_with_their_organisation(
    client_for, coordinator, trainer, participant, cooperative, member_organisation
):
    response = client_for(coordinator).get(TEAM)
    assert response.status_code == 200
    members = {
        m.person: [(r.role, r.organisation) for r in m.roles] for m in response.context["members"]
    }
    assert members == {
        coordinator: [(Role.COORDINATOR, cooperative)],
        trainer: [(Role.TRAINER, member_organisation)],
    }
    text = response.text
    assert "Evenaar &amp; Partners" in text and "Se.lab" in text
    assert participant.email not in text
    assert "nog niet ingesteld" in text  # nobody here has two-factor authentication yet


def test_a_person_with_two_roles_is_one_row_with_both(client_for, coordinator, cooperative):
    both = make_person(cooperative, Role.COORDINATOR, first_name="Bea")
    Membership.objects.create(
        person=both,
        organisation=OrganisationFactory(name="Impact & Co", kind=Organisation.Kind.MEMBER),
        role=Role.TRAINER,
    )
    members = client_for(coordinator).get(TEAM).context["members"]
    [row] = [m for m in members if m.person == both]
    assert sorted(r.role for r in row.roles) == [Role.COORDINATOR, Role.TRAINER]


@pytest.mark.parametrize("role", ["trainer", "participant"])
def test_only_coordinators_see_the_team(request, client_for, role):
    person = request.getfixturevalue(role)
    assert client_for(person).get(TEAM).status_code == 403


def test_the_menu_and_dashboard_lead_coordinators_to_the_team(client_for, coordinator, trainer):
    dashboard = client_for(coordinator).get(reverse("dashboard")).text
    assert dashboard.count(f'href="{TEAM}"') == 2  # the menu and the dashboard
    assert f'href="{TEAM}"' not in client_for(trainer).get(reverse("dashboard")).text


# --- Inviting ---------------------------------------------------------------------------------


def test_coordinator_invites_a_trainer_of_a_member_by_mail(
    client_for, coordinator, member_organisation
):
    response = invite(
        client_for(coordinator), "Ruben.de.Wit@Example.org", Role.TRAINER, member_organisation
    )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "ruben.de.wit@example.org",
        Role.TRAINER,
        member_organisation,
    )
    assert invitation.invited_by == coordinator
    assert invitation.state == StaffInvitation.State.SENT
    [message] = mail.outbox
    assert message.to == ["ruben.de.wit@example.org"]
    assert message.subject == "[impactlab] Uitnodiging: trainer bij Evenaar & Partners"
    assert "nodigt je uit voor het team van impactlab, als trainer" in message.body
    token = accept_url_from_last_mail().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    page = client_for(coordinator).get(TEAM).text
    assert "ruben.de.wit@example.org" in page


def test_the_mail_is_in_the_language_chosen_for_the_person(client_for, coordinator, cooperative):
    client = client_for(coordinator)
    invite(client, "sam@example.org", Role.COORDINATOR, cooperative, "en")
    [message] = mail.outbox
    assert message.subject == "[impactlab] Invitation: coordinator at Se.lab"
    assert "invites you to the impactlab team as coordinator at Se.lab" in message.body
    assert "two-factor authentication" in message.body
    # The page of the coordinator who sent it stays in their own language.
    assert "Er is een uitnodiging als coördinator gestuurd" in client.get(TEAM).text


def test_the_link_expires_after_the_configured_days(
    client_for, coordinator, member_organisation, settings
):
    settings.IMPACTLAB_INVITATION_DAYS = 3
    invite(client_for(coordinator), "ruben@example.org", Role.TRAINER, member_organisation)
    invitation = StaffInvitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=3)
    StaffInvitation.objects.update(
        sent_at=timezone.now() - dt.timedelta(days=3, minutes=1),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    response = register(client_for(None), accept_url_from_last_mail())
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.text
    assert not User.objects.filter(email="ruben@example.org").exists()


def test_a_coordinator_is_invited_to_the_cooperative_only(
    client_for, coordinator, member_organisation
):
    response = invite(
        client_for(coordinator), "sam@example.org", Role.COORDINATOR, member_organisation
    )
    assert response.status_code == 200
    assert "Een coördinator werkt voor de coöperatie: kies de coöperatie." in response.text
    assert not StaffInvitation.objects.exists() and not mail.outbox


def test_a_participant_organisation_is_not_offered(client_for, coordinator, organisation):
    response = invite(client_for(coordinator), "sam@example.org", Role.TRAINER, organisation)
    assert response.status_code == 200
    assert "field-error" in response.text
    assert not StaffInvitation.objects.exists()


def test_an_address_already_invited_or_in_the_role_is_refused(
    client_for, coordinator, trainer, member_organisation
):
    client = client_for(coordinator)
    invite(client, "ruben@example.org", Role.TRAINER, member_organisation)
    again = invite(client, "ruben@example.org", Role.TRAINER, member_organisation)
    assert "is al uitgenodigd als trainer bij Evenaar &amp; Partners" in again.text
    already = invite(client, trainer.email, Role.TRAINER, member_organisation)
    assert "is al trainer bij Evenaar &amp; Partners" in already.text
    assert StaffInvitation.objects.count() == 1 and len(mail.outbox) == 1


def test_resending_mails_a_new_link_and_the_old_one_stops(
    client_for, coordinator, member_organisation
):
    client = client_for(coordinator)
    invite(client, "ruben@example.org", Role.TRAINER, member_organisation)
    old_link = accept_url_from_last_mail()
    invitation = StaffInvitation.objects.get()
    response = client.post(reverse("organisations:staff_invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_link = accept_url_from_last_mail()
    assert new_link != old_link
    assert client_for(None).get(old_link).status_code == 410
    assert client_for(None).get(new_link).status_code == 200


def test_withdrawing_stops_the_link(client_for, coordinator, member_organisation):
    client = client_for(coordinator)
    invite(client, "ruben@example.org", Role.TRAINER, member_organisation)
    link = accept_url_from_last_mail()
    invitation = StaffInvitation.objects.get()
    client.post(reverse("organisations:staff_invitation_withdraw", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state == StaffInvitation.State.WITHDRAWN
    response = client_for(None).get(link)
    assert response.status_code == 410
    assert "Deze uitnodiging is ingetrokken" in response.text
    assert list(client.get(TEAM).context["invitations"]) == []  # no longer waiting
    # Withdrawn, the address may be invited again.
    invite(client, "ruben@example.org", Role.TRAINER, member_organisation)
    assert StaffInvitation.objects.count() == 2


# --- Accepting --------------------------------------------------------------------------------


def test_a_new_address_chooses_name_and_password_and_is_signed_in_as_trainer(
    client_for, coordinator, member_organisation
):
    invite(client_for(coordinator), "ruben@example.org", Role.TRAINER, member_organisation)
    link = accept_url_from_last_mail()
    client = client_for(None)
    page = client.get(link)
    assert page.status_code == 200
    assert "Kom in het team als <strong>trainer</strong> bij" in page.text
    response = register(client, link)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    person = User.objects.get(email="ruben@example.org")
    assert person.get_full_name() == "Ruben de Wit"
    assert person.is_trainer and not person.is_coordinator
    assert Membership.objects.filter(
        person=person, organisation=member_organisation, role=Role.TRAINER
    ).exists()
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["user"] == person
    assert "Welkom in het team: je bent nu trainer bij Evenaar &amp; Partners." in dashboard.text
    invitation = StaffInvitation.objects.get()
    assert invitation.accepted_by == person
    # The link works once.
    assert client_for(None).get(link).status_code == 410


def test_an_existing_account_signs_in_and_then_accepts(
    client, client_for, coordinator, participant, cooperative
):
    invite(client_for(coordinator), participant.email, Role.COORDINATOR, cooperative)
    link = accept_url_from_last_mail()
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["mode"] == "sign_in"
    login_url = page.context["login_url"]
    signed_in = client.post(login_url, {"login": participant.email, "password": PASSWORD})
    assert signed_in.url == link
    assert client.get(link).context["mode"] == "confirm"
    response = client.post(link)
    assert response.url == reverse("dashboard")
    participant = User.objects.get(pk=participant.pk)
    assert participant.is_coordinator and participant.is_participant
    assert User.objects.filter(email__iexact=participant.email).count() == 1
    # Opening the link again leads them on, not to an error.
    assert client.get(link).url == reverse("dashboard")


def test_someone_else_signed_in_is_asked_to_sign_out(
    client_for, coordinator, trainer, member_organisation
):
    invite(client_for(coordinator), "ruben@example.org", Role.TRAINER, member_organisation)
    link = accept_url_from_last_mail()
    client = client_for(trainer)
    assert client.get(link).context["mode"] == "other"
    response = register(client, link)
    assert response.context["mode"] == "other"
    assert not User.objects.filter(email="ruben@example.org").exists()
    assert StaffInvitation.objects.get().accepted_at is None


def test_an_unknown_link_is_gone(client, db):
    response = client.get(reverse("organisations:staff_invitation_accept", args=["onzin"]))
    assert response.status_code == 410
    assert "Deze link werkt niet" in response.text


def test_a_cohort_invitation_token_does_not_open_a_team_invitation(client, db):
    from tests.factories import InvitationFactory

    InvitationFactory(token="zelfde-token")
    response = client.get(reverse("organisations:staff_invitation_accept", args=["zelfde-token"]))
    assert response.status_code == 410


# --- Taking a role away -----------------------------------------------------------------------


def role_url(membership: Membership) -> str:
    return reverse("role_remove", args=[membership.pk])


def test_taking_a_trainer_role_away_asks_first_and_ends_their_cohorts(
    client_for, coordinator, trainer, cohort, training
):
    training.trainers.add(trainer)
    membership = trainer.memberships.get()
    client = client_for(coordinator)
    confirm = client.get(role_url(membership))
    assert confirm.status_code == 200
    assert "Dit is de laatste rol als trainer" in confirm.text
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(role_url(membership))
    assert response.url == TEAM
    assert not Membership.objects.filter(pk=membership.pk).exists()
    trainer = User.objects.get(pk=trainer.pk)
    assert not trainer.is_trainer
    assert not cohort.trainers.filter(pk=trainer.pk).exists()
    assert not training.trainers.filter(pk=trainer.pk).exists()
    # The former trainer can no longer open the cohort they trained.
    assert client_for(trainer).get(cohort.get_absolute_url()).status_code == 404
    assert "is geen trainer meer bij Evenaar &amp; Partners" in client.get(TEAM).text


def test_a_trainer_with_another_trainer_role_keeps_their_cohorts(
    client_for, coordinator, trainer, cohort, cooperative
):
    Membership.objects.create(person=trainer, organisation=cooperative, role=Role.TRAINER)
    membership = trainer.memberships.get(organisation__kind=Organisation.Kind.MEMBER)
    client = client_for(coordinator)
    assert "Dit is de laatste rol als trainer" not in client.get(role_url(membership)).text
    client.post(role_url(membership))
    assert cohort.trainers.filter(pk=trainer.pk).exists()
    assert User.objects.get(pk=trainer.pk).is_trainer


def test_a_coordinator_cannot_take_away_their_own_last_coordinator_role(client_for, coordinator):
    membership = coordinator.memberships.get()
    client = client_for(coordinator)
    confirm = client.get(role_url(membership))
    assert "Dit is je laatste rol als coördinator" in confirm.text
    assert "Neem de rol af" not in confirm.text
    response = client.post(role_url(membership), follow=True)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "Dit is je laatste rol als coördinator" in response.text


def test_the_team_offers_no_take_away_for_ones_own_last_coordinator_role(
    client_for, coordinator, trainer
):
    page = client_for(coordinator).get(TEAM).text
    assert role_url(coordinator.memberships.get()) not in page
    assert role_url(trainer.memberships.get()) in page


def test_a_coordinator_takes_away_another_coordinators_role(client_for, coordinator, cooperative):
    colleague = make_person(cooperative, Role.COORDINATOR, email="collega-coordinator@example.org")
    membership = colleague.memberships.get()
    response = client_for(coordinator).post(role_url(membership))
    assert response.url == TEAM
    colleague = User.objects.get(pk=colleague.pk)
    assert not colleague.is_coordinator
    assert client_for(colleague).get(TEAM).status_code == 403


def test_a_coordinator_with_two_coordinator_roles_may_give_up_one(
    client_for, coordinator, cooperative
):
    other = OrganisationFactory(name="Se.lab Zuid", kind=Organisation.Kind.COOPERATIVE)
    second = Membership.objects.create(
        person=coordinator, organisation=other, role=Role.COORDINATOR
    )
    client_for(coordinator).post(role_url(second))
    assert not Membership.objects.filter(pk=second.pk).exists()
    assert User.objects.get(pk=coordinator.pk).is_coordinator


def test_a_participant_role_is_not_taken_away_here(client_for, coordinator, participant):
    membership = participant.memberships.get()
    assert client_for(coordinator).post(role_url(membership)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- What it costs ----------------------------------------------------------------------------


def fill_team(size: int) -> None:
    cooperative = Organisation.objects.get(kind=Organisation.Kind.COOPERATIVE)
    for number in range(size):
        member = OrganisationFactory(kind=Organisation.Kind.MEMBER)
        make_person(member, Role.TRAINER)
        make_person(cooperative, Role.COORDINATOR)
        StaffInvitationFactory(organisation=member, invited_by=None)
        StaffInvitationFactory(organisation=cooperative, role=Role.COORDINATOR)
        if number % 2:
            CohortFactory()


# Coordinator, 7 queries:
#  1 django session, 2 user, 3 the person's roles, 4 the team's roles with person,
#  organisation and two-factor state, 5 invitations waiting with organisation and inviter,
#  6 the organisations of the form's select, 7 its first option again (Django's Select
#  looks at it to decide on ``required``; there is no empty choice to find first).
TEAM_QUERIES = 7


@pytest.mark.parametrize("size", [3, 30])
def test_the_team_page_costs_the_same_for_a_small_and_a_large_team(
    client_for, coordinator, size, django_assert_max_num_queries
):
    fill_team(size)
    client = client_for(coordinator)
    with django_assert_max_num_queries(TEAM_QUERIES):
        response = client.get(TEAM)
    assert len(response.context["members"]) == 2 * size + 1
    assert len(response.context["invitations"]) == 2 * size
