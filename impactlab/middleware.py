"""Coordinators use two-factor authentication before they reach anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

# What setting up an authenticator app needs: allauth's two-factor pages (activation, the
# recovery codes it shows after), confirming the password first, signing out, choosing the
# language, the static files and the health check.
ALLOWED_URL_NAMES = ("mfa_index", "account_reauthenticate", "account_logout", "set_language")
ALLOWED_PREFIXES = ("/healthz",)


class CoordinatorTwoFactorMiddleware:
    """Send a signed-in coordinator without an authenticator (an app, or a security key) to
    allauth's activation page, with a message, when ``IMPACTLAB_COORDINATOR_MFA`` is on.

    Costs one query per request of such a coordinator, none for anyone else (the roles are
    read once per request anyway).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.IMPACTLAB_COORDINATOR_MFA and self.must_set_up(request):
            return self.to_activation(request)
        return self.get_response(request)

    def allowed_paths(self) -> tuple[str, ...]:
        if self.allowed is None:
            self.allowed = (
                *(reverse(name) for name in ALLOWED_URL_NAMES),
                settings.STATIC_URL
                if settings.STATIC_URL.startswith("/")
                else "/" + settings.STATIC_URL,
                *ALLOWED_PREFIXES,
            )
        return self.allowed

    def must_set_up(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.allowed_paths()):
            return False
        if not user.is_coordinator:
            return False
        return not Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()

    def to_activation(self, request: HttpRequest) -> HttpResponse:
        url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            # htmx would put the page in a fragment; it loads the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        messages.warning(
            request,
            _(
                "As a coordinator you sign in with two-factor authentication. Set it up now "
                "with an authenticator app on your phone; then you can carry on."
            ),
        )
        return HttpResponseRedirect(url)
