import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import strip_tags

from tests.factories import PASSWORD
from trainings.services import invite_participant


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()


def test_login_page_is_in_dutch_by_default(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Aanmelden" in response.text


def test_login_page_can_be_read_in_english(client, db):
    response = client.get(reverse("account_login"), headers={"accept-language": "en"})
    assert 'lang="en"' in response.text
    assert "Sign In" in response.text


def test_person_signs_in_with_email_and_password(client, participant):
    response = client.post(
        reverse("account_login"), {"login": "deelnemer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == participant


def test_wrong_password_gets_a_dutch_message(client, participant):
    response = client.post(
        reverse("account_login"), {"login": "deelnemer@example.org", "password": "fout"}
    )
    assert response.status_code == 200
    assert "niet correct" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post(client, participant):
    client.force_login(participant)
    client.get(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_dutch_mail_with_a_link(client, participant):
    response = client.post(reverse("account_reset_password"), {"email": "deelnemer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["deelnemer@example.org"]
    assert message.subject.startswith("[impactlab] ")
    assert "wachtwoord" in message.body.lower()
    assert "/accounts/password/reset/key/" in message.body


def test_repeated_failed_logins_are_rate_limited(client, participant):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": participant.email, "password": "fout"})
    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


def test_there_is_no_open_sign_up(client, db):
    response = client.get(reverse("account_signup"))
    assert "gesloten" in response.text.lower() or response.status_code == 404
    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "Een-goed-wachtwoord-1",
            "password2": "Een-goed-wachtwoord-1",
        },
    )
    from organisations.models import User

    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_anonymous_is_sent_to_login_from_the_dashboard(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_coordinator_reaches_the_admin(client_for, coordinator):
    assert client_for(coordinator).get("/admin/").status_code == 200


@pytest.mark.parametrize("who", ["trainer", "participant"])
def test_others_are_kept_out_of_the_admin(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response.url


def test_two_factor_overview_offers_an_authenticator_app(client_for, trainer):
    response = client_for(trainer).get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.text


def test_allauth_mail_goes_through_the_configured_mailer(client, participant, settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    client.post(reverse("account_reset_password"), {"email": participant.email})
    [written] = list(tmp_path.iterdir())
    assert "deelnemer@example.org" in written.read_text()


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("account_login")).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


# impactlab says "je" to people, also on the pages and in the mails that come from allauth
# and Django, whose own Dutch says "u".
FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    return strip_tags(html.split("<body", 1)[-1])


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_reset_password", "account_reset_password_done"],
)
def test_sign_in_pages_say_je(client, db, name):
    text = visible_text(client.get(reverse(name)).text)
    assert not FORMAL.findall(text), text


@pytest.mark.parametrize("name", ["account_change_password", "account_logout", "mfa_index"])
def test_account_pages_say_je(client_for, trainer, name):
    text = visible_text(client_for(trainer).get(reverse(name)).text)
    assert not FORMAL.findall(text), text


def test_password_rules_on_the_invitation_page_say_je(client, cohort, organisation, trainer):
    invite_participant(
        cohort=cohort,
        organisation=organisation,
        email="nieuw@example.org",
        invited_by=trainer,
        base_url="http://testserver",
    )
    path = "/uitnodiging/" + mail.outbox[-1].body.split("/uitnodiging/")[1].split("/")[0] + "/"
    page = client.get(path).text
    assert "Je wachtwoord mag niet te veel op je andere persoonlijke gegevens lijken." in page
    assert not FORMAL.findall(visible_text(page))
    english = client.get(path, headers={"accept-language": "en"}).text
    assert "Your password can’t be entirely numeric." in english


def test_password_reset_pages_and_mail_say_je(client, participant):
    client.post(reverse("account_reset_password"), {"email": participant.email})
    assert not FORMAL.findall(mail.outbox[-1].body), mail.outbox[-1].body
    done = visible_text(client.get(reverse("account_reset_password_done")).text)
    assert "We hebben je een e-mail gestuurd." in done
