import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership, Role, User
from tests.factories import PASSWORD, InvitationFactory, make_person
from trainings.models import Enrolment, Invitation
from trainings.services import (
    accept_invitation,
    invite_participant,
    parse_addresses,
    resend_invitation,
)

NEW_PASSWORD = "Kringloop-werkt-2026"


def link_from_last_mail() -> str:
    match = re.search(r"https?://\S+/uitnodiging/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return reverse("trainings:invitation_accept", args=[match.group(1)])


@pytest.fixture
def invite(cohort, organisation, trainer):
    def invite(email="nieuw@kringloopzwolle.example.org"):
        return invite_participant(
            cohort=cohort,
            organisation=organisation,
            email=email,
            invited_by=trainer,
            base_url="http://testserver",
        )

    return invite


def register(client, url, *, follow=False, environ=None, **overrides):
    data = {
        "first_name": "Nadia",
        "last_name": "Bos",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post(url, data | overrides, follow=follow, **(environ or {}))


def test_trainer_invites_by_mail_with_a_single_use_link(client_for, trainer, cohort, organisation):
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "Nadia.Bos@Example.org"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nadia.bos@example.org"
    assert invitation.invited_by == trainer
    assert invitation.state == Invitation.State.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.bos@example.org"]
    assert cohort.name in message.subject
    assert organisation.name in message.body
    token = link_from_last_mail().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def link_in_last_mail() -> str:
    match = re.search(r"https?://\S+/uitnodiging/[\w-]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


DEV_SERVER = {"HTTP_HOST": "127.0.0.1:8801", "SERVER_PORT": "8801"}


def test_invitation_link_points_at_the_host_and_port_the_trainer_uses(
    client_for, client, settings, trainer, cohort, organisation
):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "nadia@example.org"},
        **DEV_SERVER,
    )
    assert response.status_code == 302
    link = link_in_last_mail()
    assert link.startswith("http://127.0.0.1:8801/uitnodiging/")
    path = link.removeprefix("http://127.0.0.1:8801")
    assert client.get(path, **DEV_SERVER).status_code == 200
    response = register(client, path, environ=DEV_SERVER)
    assert response.status_code == 302
    assert Invitation.objects.get().accepted_by.email == "nadia@example.org"


def test_resent_link_points_at_the_host_the_trainer_uses(client_for, settings, trainer, invite):
    settings.ALLOWED_HOSTS = ["impactlab.example.org", "testserver"]
    invitation = invite()
    response = client_for(trainer).post(
        reverse("trainings:invitation_resend", args=[invitation.pk]),
        HTTP_HOST="impactlab.example.org",
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )
    assert response.status_code == 302
    assert link_in_last_mail().startswith("https://impactlab.example.org/uitnodiging/")


def test_configured_site_url_wins_over_the_request(
    client_for, settings, trainer, cohort, organisation
):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.SITE_URL = "https://impactlab.example.org"
    client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "nadia@example.org"},
        **DEV_SERVER,
    )
    assert link_in_last_mail().startswith("https://impactlab.example.org/uitnodiging/")


def test_mail_without_a_request_uses_the_configured_site_url(
    settings, trainer, cohort, organisation
):
    settings.SITE_URL = "https://impactlab.example.org"
    invite_participant(
        cohort=cohort, organisation=organisation, email="nadia@example.org", invited_by=trainer
    )
    assert link_in_last_mail().startswith("https://impactlab.example.org/uitnodiging/")


def test_mail_without_a_request_or_site_url_is_refused_and_nothing_is_kept(
    settings, trainer, cohort, organisation
):
    settings.SITE_URL = ""
    with pytest.raises(ImproperlyConfigured):
        invite_participant(
            cohort=cohort,
            organisation=organisation,
            email="nadia@example.org",
            invited_by=trainer,
        )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invited_person_sets_a_password_and_lands_on_the_cohort(
    client, invite, cohort, organisation
):
    invitation = invite()
    url = link_from_last_mail()
    assert client.get(url).status_code == 200
    response = register(client, url)
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()
    person = User.objects.get(email="nieuw@kringloopzwolle.example.org")
    assert person.first_name == "Nadia"
    assert person.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(
        person=person, organisation=organisation, role=Role.PARTICIPANT
    ).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_by == person
    # Signed in: the cohort page opens.
    assert client.get(cohort.get_absolute_url()).status_code == 200


def test_new_participant_lands_where_the_worksheet_is_one_click_away(
    client, invite, cohort, organisation
):
    invite()
    response = register(client, link_from_last_mail(), follow=True)
    assert response.redirect_chain[-1][0] == cohort.get_absolute_url()
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    worksheet_url = reverse("impact:worksheet_open", args=[enrolment.pk])
    assert f'<a role="button" href="{worksheet_url}">Ga naar je werkblad</a>' in response.text
    worksheet_page = client.get(worksheet_url, follow=True)
    assert worksheet_page.status_code == 200
    assert worksheet_page.context["worksheet"].enrolment == enrolment


def test_the_link_works_once(client, client_for, invite):
    invite()
    url = link_from_last_mail()
    register(client, url)
    other = client_for(None)
    response = other.get(url)
    assert response.status_code == 410
    assert register(other, url, first_name="Kaper").status_code == 410
    assert User.objects.filter(email="nieuw@kringloopzwolle.example.org").count() == 1


def test_weak_password_is_refused_and_nothing_is_created(client, invite):
    invitation = invite()
    url = link_from_last_mail()
    response = register(client, url, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT


def test_too_short_password_is_explained_in_dutch(client, invite):
    invite()
    response = register(client, link_from_last_mail(), password1="kort", password2="kort")
    assert "Dit wachtwoord is te kort: het moet minstens 8 tekens lang zijn." in response.text
    assert "too short" not in response.text


def test_passwords_must_match(client, invite):
    invite()
    response = register(client, link_from_last_mail(), password2="iets-anders-2026")
    assert "password2" in response.context["form"].errors


def test_expired_link_gives_a_friendly_page(client, invite):
    invitation = invite()
    url = link_from_last_mail()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 410
    assert response.context["state"] == Invitation.State.EXPIRED
    assert "expired" in response.text
    assert register(client, url).status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_withdrawn_invitation_link_stops_working(client, client_for, trainer, invite):
    invitation = invite()
    url = link_from_last_mail()
    response = client_for(trainer).post(
        reverse("trainings:invitation_withdraw", args=[invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert client.get(url).status_code == 410


def test_unknown_link_gives_a_friendly_page(client, db):
    response = client.get(reverse("trainings:invitation_accept", args=["niet-bestaand"]))
    assert response.status_code == 410
    assert response.context["state"] is None


def test_resending_kills_the_old_link(client, client_for, trainer, invite):
    invitation = invite()
    old_url = link_from_last_mail()
    old_hash = invitation.token_hash
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )
    response = client_for(trainer).post(
        reverse("trainings:invitation_resend", args=[invitation.pk])
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_url = link_from_last_mail()
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert invitation.state == Invitation.State.SENT
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert client.get(old_url).status_code == 410
    assert client.get(new_url).status_code == 200


def test_an_accepted_invitation_cannot_be_resent(invite, participant):
    invitation = invite()
    accept_invitation(invitation=invitation, person=participant)
    with pytest.raises(ValidationError):
        resend_invitation(invitation=invitation)


def test_existing_account_is_asked_to_sign_in_not_to_register(client, invite, fellow):
    invite(email=fellow.email.upper())
    url = link_from_last_mail()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["mode"] == "sign_in"
    assert f"?next={url}".replace("/", "%2F") in response.text
    # Posting a registration does not create a second account.
    register(client, url)
    assert User.objects.filter(email=fellow.email).count() == 1


def test_signed_in_existing_person_accepts_directly(
    client_for, invite, fellow, organisation, cohort
):
    invitation = invite(email=fellow.email)
    url = link_from_last_mail()
    client = client_for(fellow)
    assert client.get(url).context["mode"] == "confirm"
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()
    assert Membership.objects.filter(person=fellow, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == fellow
    assert User.objects.filter(email=fellow.email).count() == 1
    # Opening the used link again just brings the person to the cohort.
    assert client.get(url).status_code == 302


def test_existing_person_signs_in_and_comes_back_to_accept(client, invite, fellow):
    invite(email=fellow.email)
    url = link_from_last_mail()
    response = client.post(
        reverse("account_login") + f"?next={url}",
        {"login": fellow.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == url
    assert client.post(url).status_code == 302
    assert Invitation.objects.get().accepted_by == fellow


def test_someone_else_signed_in_cannot_accept(client_for, invite, outsider):
    invitation = invite()
    url = link_from_last_mail()
    client = client_for(outsider)
    assert client.get(url).context["mode"] == "other"
    client.post(url, {"first_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT


def test_an_address_is_invited_once_per_cohort(invite):
    invite()
    with pytest.raises(ValidationError):
        invite(email="NIEUW@kringloopzwolle.example.org")


def test_database_refuses_two_open_invitations_for_one_address(cohort, organisation):
    InvitationFactory(cohort=cohort, organisation=organisation, email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(cohort=cohort, organisation=organisation, email="a@example.org")


def test_a_withdrawn_address_may_be_invited_again(invite):
    invite().withdraw()
    assert invite().state == Invitation.State.SENT


def test_only_enrolled_organisations_get_invitations(cohort, other_organisation, trainer):
    with pytest.raises(ValidationError):
        invite_participant(
            cohort=cohort,
            organisation=other_organisation,
            email="x@example.org",
            invited_by=trainer,
        )


# Bulk invitations


def test_parse_addresses_splits_on_newlines_commas_and_semicolons():
    parsed = parse_addresses(
        "a@example.org, b@example.org;c@example.org\n\n"
        "Dewi Jansen <D@Example.org>; geen-adres; A@example.org"
    )
    assert parsed.valid == ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]
    assert parsed.invalid == ["geen-adres"]
    assert parsed.duplicates == ["a@example.org"]


def test_bulk_invite_sends_valid_reports_invalid_and_skips_duplicates(
    client_for, trainer, cohort, organisation, invite
):
    invite(email="al@example.org")
    mail.outbox.clear()
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {
            "organisation": organisation.pk,
            "addresses": "een@example.org\ntwee@example.org; al@example.org, "
            "een@example.org, kapot@, ook fout",
        },
    )
    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == ["een@example.org", "twee@example.org"]
    form = response.context["form"]
    assert "kapot@" in form.errors["addresses"][0]
    assert form.data["addresses"].split("\n") == ["kapot@", "ook", "fout"]
    assert Invitation.objects.filter(cohort=cohort).count() == 3


def test_bulk_invite_of_only_valid_addresses_returns_to_the_cohort(
    client_for, trainer, cohort, organisation
):
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "een@example.org;twee@example.org"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_invite_form_offers_only_enrolled_organisations(
    client_for, trainer, cohort, organisation, other_organisation
):
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": other_organisation.pk, "addresses": "een@example.org"},
    )
    assert "organisation" in response.context["form"].errors
    assert not mail.outbox


def test_invitation_mail_is_in_dutch_and_escapes_nothing(client_for, trainer, cohort, organisation):
    organisation.name = "Kringloop Zwolle & Co"
    organisation.save()
    client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "een@example.org"},
        headers={"accept-language": "en"},
    )
    assert "Kringloop Zwolle & Co" in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].body


def test_new_participant_is_counted_once(invite, participant, organisation):
    make_person(organisation, email="extra@example.org")
    invitation = invite(email=participant.email)
    accept_invitation(invitation=invitation, person=participant)
    assert Membership.objects.filter(person=participant, organisation=organisation).count() == 1


def test_an_invitation_subject_is_one_clean_line_whatever_the_ronde_is_called(
    client_for, trainer, cohort, organisation
):
    # Straight into the database: the cohort form refuses control characters.
    type(cohort).objects.filter(pk=cohort.pk).update(name="Ronde\x0b 2\n\x1b(Zwolle)")
    response = client_for(trainer).post(
        reverse("trainings:invitation_create", args=[cohort.pk]),
        {"organisation": organisation.pk, "addresses": "nadia.bos@example.org"},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Ronde 2 (Zwolle)" in message.subject
    assert message.message()["Subject"]  # a header Python's mail package can write


def test_the_subject_shows_an_ampersand_as_typed(cohort, organisation, trainer):
    cohort.name = "Ronde Eten & Drinken"
    cohort.save()
    invite_participant(
        cohort=cohort,
        organisation=organisation,
        email="nieuw@example.org",
        invited_by=trainer,
        base_url="http://testserver",
    )
    assert "Ronde Eten & Drinken" in mail.outbox[-1].subject
    assert "&amp;" not in mail.outbox[-1].subject
