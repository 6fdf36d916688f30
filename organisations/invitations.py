"""What every invitation by mail shares, whatever it invites to (a cohort, a role on the Team
page): the link, the mail, taking the link up, and the page behind it.

The models share ``organisations.models.InvitationBase``; the workflows of each kind live in
their app's ``services.py`` (``trainings.services``, ``organisations.services``) and build on
these helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.forms import AcceptInvitationForm
from organisations.models import InvitationBase, User


class InvitationUnusable(Exception):
    """The link is expired, withdrawn or already used."""


def link_base(request: HttpRequest) -> str:
    """The site's address as this person reached it, for the links in the mails they send."""
    return request.build_absolute_uri("/")


def absolute_link(path: str, *, base_url: str | None = None) -> str:
    """The absolute link to ``path`` for a mail.

    ``base_url`` is the site's address as the inviter reached it (scheme, host and port);
    a configured ``IMPACTLAB_SITE_URL`` takes precedence, and is the only address there is
    for mail sent without a request.
    """
    base = settings.SITE_URL or base_url
    if not base:
        raise ImproperlyConfigured(
            "An invitation sent without a request needs IMPACTLAB_SITE_URL for its link."
        )
    return base.rstrip("/") + path


def send_invitation_mail(
    *, email: str, template: str, context: dict[str, Any], language: str | None = None
) -> None:
    """Mail ``template``_subject.txt and _message.txt in ``language`` (the site's by
    default), through the account adapter and MAILERS."""
    with translation.override(language or settings.LANGUAGE_CODE):
        message = get_adapter().render_mail(template, email, context)
    message.send()


def lock_usable[I: InvitationBase](invitation: I, *related: str) -> I:
    """The invitation again, locked for the transaction; raises InvitationUnusable when its
    link is expired, withdrawn or used (one query)."""
    locked = (
        # Lock the invitation only: a nullable join cannot be locked on PostgreSQL.
        type(invitation)
        ._default_manager.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=invitation.pk)
    )
    if not locked.can_be_used:
        raise InvitationUnusable(locked.state)
    return locked


def create_invited_account(
    *, invitation: InvitationBase, first_name: str, last_name: str, password: str
) -> User:
    """The account for the invited address; ValidationError when it has one already (that
    person signs in and accepts instead)."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("This address already has an account. Sign in to accept."))
    return User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )


@dataclass
class AcceptPage:
    """How one kind of invitation is taken up on the page behind its link.

    ``accept(invitation, person)`` accepts for a signed-in person; ``register(invitation,
    first_name=…, last_name=…, password=…)`` makes the account and accepts, returning the
    new person. Both raise InvitationUnusable when the link stopped working meanwhile.
    ``welcome`` is the message and ``landing`` the address after accepting.
    """

    template: str
    unusable_template: str
    accept: Callable[[Any, User], object]
    register: Callable[..., User]
    welcome: Callable[[Any], str]
    landing: Callable[[Any], str]
    context: Callable[[Any], dict[str, Any]] = lambda invitation: {}


def accept_page(
    request: HttpRequest, invitation: InvitationBase | None, page: AcceptPage
) -> HttpResponse:
    """The page behind the link in the mail; works signed in or not.

    New address: set a name and password, then land signed in. Address with an account: sign
    in as that person, then accept with one click. Someone else signed in: sign out first.
    An unknown, expired, withdrawn or used link gets 410.
    """
    user = request.user
    if invitation is not None and user.is_authenticated and invitation.accepted_by_id == user.pk:
        return redirect(page.landing(invitation))
    if invitation is None or not invitation.can_be_used:
        return unusable(request, invitation, page)
    account = User.objects.filter(email__iexact=invitation.email).first()
    context: dict = {"invitation": invitation, "account": account} | page.context(invitation)
    if user.is_authenticated and user.email.lower() != invitation.email:
        return render(request, page.template, context | {"mode": "other"})
    if account is not None:
        if not user.is_authenticated:
            login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
            return render(
                request, page.template, context | {"mode": "sign_in", "login_url": login_url}
            )
        if request.method == "POST":
            try:
                page.accept(invitation, user)
            except InvitationUnusable:
                invitation.refresh_from_db()
                return unusable(request, invitation, page)
            messages.success(request, page.welcome(invitation))
            return redirect(page.landing(invitation))
        return render(request, page.template, context | {"mode": "confirm"})
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if form.is_valid():
        try:
            person = page.register(
                invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationUnusable:
            invitation.refresh_from_db()
            return unusable(request, invitation, page)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, page.template, context | {"mode": "register", "form": form})
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, page.welcome(invitation))
        return redirect(page.landing(invitation))
    return render(request, page.template, context | {"mode": "register", "form": form})


def unusable(
    request: HttpRequest, invitation: InvitationBase | None, page: AcceptPage
) -> HttpResponse:
    return render(
        request,
        page.unusable_template,
        {"invitation": invitation, "state": invitation.state if invitation else None},
        status=410,
    )
