"""Coordinators set up two-factor authentication before they reach anything else
(impactlab/middleware.py, ``IMPACTLAB_COORDINATOR_MFA``; off in the rest of the suite)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD

ACTIVATE = reverse("mfa_activate_totp")
MESSAGE = "Als coördinator log je in met tweestapsverificatie."


@pytest.fixture
def mfa_required(settings):
    settings.IMPACTLAB_COORDINATOR_MFA = True
    # One time step either side, so that a code made at the end of a 30-second window still
    # counts when the request arrives in the next one.
    settings.MFA_TOTP_TOLERANCE = 1


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/team/",
        "/organisaties/",
        "/rondes/",
        "/mail/instellingen/",
        "/mijn-gegevens.json",
        "/accounts/password/change/",
        "/admin/",
    ],
)
def test_a_coordinator_without_an_authenticator_goes_to_the_activation_page(
    client_for, coordinator, mfa_required, path
):
    response = client_for(coordinator).get(path)
    assert response.status_code == 302
    assert response.url == ACTIVATE


def test_the_activation_page_says_why_in_dutch(client, coordinator, mfa_required):
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    response = client.get("/", follow=True)
    # The activation page first asks for the password again (allauth), then shows the QR code.
    assert response.redirect_chain[0] == (ACTIVATE, 302)
    assert MESSAGE in response.text


def test_a_state_change_is_refused_too(client_for, coordinator, mfa_required, member_organisation):
    response = client_for(coordinator).post(
        "/team/",
        {
            "email": "ruben@example.org",
            "role": "trainer",
            "organisation": member_organisation.pk,
            "language": "nl",
        },
    )
    assert response.url == ACTIVATE
    assert not member_organisation.staff_invitations.exists()


def test_htmx_requests_load_the_activation_page_whole(client_for, coordinator, mfa_required):
    response = client_for(coordinator).get("/rondes/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == ACTIVATE


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/accounts/2fa/"),
        ("get", "/accounts/2fa/totp/activate/"),
        ("get", "/accounts/reauthenticate/"),
        ("get", "/healthz"),
        ("get", "/static/geen-bestand.css"),
        ("post", "/accounts/logout/"),
        ("post", "/i18n/setlang/"),
    ],
)
def test_what_setting_it_up_needs_stays_open(client_for, coordinator, mfa_required, method, path):
    response = getattr(client_for(coordinator), method)(
        path, {"language": "en"} if "i18n" in path else {}
    )
    assert response.get("Location") != ACTIVATE
    assert response.status_code in {200, 302, 404}


@pytest.mark.parametrize("role", ["trainer", "participant"])
def test_others_are_not_asked(request, client_for, mfa_required, role):
    person = request.getfixturevalue(role)
    assert client_for(person).get("/").status_code == 200


def test_off_by_default_in_development_and_in_the_tests(client_for, coordinator, settings):
    assert settings.IMPACTLAB_COORDINATOR_MFA is False
    assert client_for(coordinator).get("/").status_code == 200


def test_a_coordinator_who_activates_totp_gets_through_and_then_signs_in_with_a_code(
    client, coordinator, mfa_required
):
    signed_in = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert signed_in.url == reverse("dashboard")
    assert client.get("/").url == ACTIVATE

    # allauth asks for the password once more before a new authenticator is added.
    reauthenticate = client.get(ACTIVATE)
    assert reauthenticate.url.startswith(reverse("account_reauthenticate"))
    client.post(reauthenticate.url, {"password": PASSWORD})
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = page.context["form"].secret

    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=coordinator).exists()

    activated = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200
    assert client.get("/team/").status_code == 200

    # From now on, signing in asks for the code from the app after the password.
    client.post(reverse("account_logout"))
    password_step = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert password_step.url == reverse("mfa_authenticate")
    assert client.get("/").url.startswith(reverse("account_login"))  # not signed in yet
    refused = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert refused.status_code == 200
    assert client.get("/").url.startswith(reverse("account_login"))
    code_step = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert code_step.url == reverse("dashboard")
    assert client.get("/").status_code == 200
