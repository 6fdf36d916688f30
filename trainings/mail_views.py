"""Each person's mail settings, and the one-click unsubscribe link of every mail."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from organisations.models import User
from trainings import notifications
from trainings.models import MailKind, MailPreferences


class MailPreferencesForm(forms.ModelForm):
    class Meta:
        model = MailPreferences
        fields = ["language", "session_reminder", "activity", "review_reminder"]


@login_required
def mail_settings(request: HttpRequest) -> HttpResponse:
    """Which mails the person gets, and in which language."""
    preferences = notifications.preferences_for(request.user)
    form = MailPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your mail settings were saved."))
        return redirect("trainings:mail_settings")
    return render(request, "trainings/mail_settings.html", {"form": form})


# Mail programs send the one-click unsubscribe (RFC 8058) as a POST without a session or a
# CSRF token; the signed token in the URL is what proves who asks.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners only look); POST stops that kind of mail."""
    found = notifications.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    person = User.objects.filter(pk=found[0], is_active=True).first()
    if person is None:
        raise Http404
    kind = MailKind(found[1])
    done = request.method == "POST"
    if done:
        notifications.unsubscribe(person=person, kind=kind)
    return render(
        request,
        "trainings/mail_unsubscribe.html",
        {"kind": kind, "done": done, "email": person.email},
    )
