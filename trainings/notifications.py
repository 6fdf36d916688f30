"""Mails between the dagdelen: sent once per person and occasion, in the person's
language, each kind with its own one-click unsubscribe.

``send_once`` claims a ``SentMail`` row before sending: its unique constraint lets only one
of two workers through. ``send_session_reminders`` and ``send_activity_digests`` are the
trainings' own mails; ``impact`` adds the reminder of steps waiting for review and
records what waits for people through ``notify``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import Role, User
from trainings.ical import render_calendar
from trainings.models import (
    Cohort,
    MailKind,
    MailPreferences,
    Notice,
    SentMail,
    Session,
    Step,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "impactlab.mail.unsubscribe"
REMINDER_DAYS_AHEAD = 2


def site_url() -> str:
    """The address links in mail point to (mail sent by the worker has no request)."""
    return settings.SITE_URL or "http://127.0.0.1:8000"


def preferences_for(person: User) -> MailPreferences:
    """The person's choices, or the defaults (not saved) when they never chose; no query
    when ``mail_preferences`` was selected along with the person."""
    try:
        return person.mail_preferences
    except MailPreferences.DoesNotExist:
        return MailPreferences(person=person)


def unsubscribe_token(person: User, kind: str) -> str:
    return signing.dumps([person.pk, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(person id, kind) from a signed token, or None when it was tampered with."""
    try:
        person_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in MailKind.values:
        return None
    return int(person_id), kind


def unsubscribe_url(person: User, kind: str) -> str:
    token = unsubscribe_token(person, kind)
    return site_url() + reverse("trainings:mail_unsubscribe", args=[token])


def unsubscribe(*, person: User, kind: str) -> MailPreferences:
    """Stop one kind of mail for the person (idempotent; one or two queries)."""
    preferences, _created = MailPreferences.objects.get_or_create(person=person)
    setattr(preferences, kind, False)
    preferences.save(update_fields=[kind])
    return preferences


def send_once(
    *,
    person: User,
    kind: str,
    occasion: str,
    template: str,
    context: dict,
    attachments: Sequence[tuple[str, str, str]] = (),
    now: dt.datetime | None = None,
) -> SentMail | None:
    """Mail ``template``_subject.txt and _message.txt to the person, unless they do not want
    this kind, are no longer active, or the mail for this occasion went out already.

    The claim (an insert) commits before sending, so a second worker's claim fails on the
    unique constraint. When sending fails the claim is removed, for a later run to retry.
    """
    if not person.is_active or not person.email:
        return None
    preferences = preferences_for(person)
    if not preferences.wants(kind):
        return None
    try:
        with transaction.atomic():
            claim = SentMail.objects.create(kind=kind, person=person, occasion=occasion)
    except IntegrityError:
        return None
    link = unsubscribe_url(person, kind)
    try:
        with translation.override(preferences.language):
            full_context = {
                **context,
                "person": person,
                "site_url": site_url(),
                "unsubscribe_url": link,
                "settings_url": site_url() + reverse("trainings:mail_settings"),
                "kind_label": MailKind(kind).label,
            }
            subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
            body = render_to_string(f"{template}_message.txt", full_context)
        message = EmailMessage(
            subject,
            body,
            to=[person.email],
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        message.send()
    except Exception:
        SentMail.objects.filter(pk=claim.pk).delete()
        raise
    claim.sent_at = now or timezone.now()
    SentMail.objects.filter(pk=claim.pk).update(sent_at=claim.sent_at)
    return claim


def _people(queryset: QuerySet[User]) -> QuerySet[User]:
    return queryset.filter(is_active=True).select_related("mail_preferences").distinct()


def session_participants(session: Session) -> QuerySet[User]:
    """The active participants of the organisations still enrolled in the session's cohort."""
    return _people(
        User.objects.filter(
            memberships__role=Role.PARTICIPANT,
            memberships__organisation__enrolments__cohort=session.cohort_id,
            memberships__organisation__enrolments__withdrawn_at__isnull=True,
        )
    )


def send_session_reminders(*, now: dt.datetime | None = None) -> int:
    """Mail the participants of every dagdeel two days ahead: place, time, agenda, the
    steps to prepare and the dagdeel as ``.ics``. Returns how many mails went out."""
    now = now or timezone.now()
    day = timezone.localdate(now) + dt.timedelta(days=REMINDER_DAYS_AHEAD)
    sessions = (
        Session.objects.filter(date=day)
        .exclude(cohort__status__in=[Cohort.Status.ARCHIVED, Cohort.Status.FINISHED])
        .select_related("cohort__training", "host")
    )
    sent = 0
    labels = dict(Step.choices)
    for session in sessions:
        url = site_url() + session.cohort.get_absolute_url()
        calendar = render_calendar(session.cohort, [session], now=now, url=url)
        for person in session_participants(session):
            claim = send_once(
                person=person,
                kind=MailKind.SESSION_REMINDER,
                occasion=f"session:{session.pk}:{session.date.isoformat()}",
                template="trainings/email/session_reminder",
                context={
                    "session": session,
                    "cohort": session.cohort,
                    "steps": [(step, labels[step]) for step in session.steps if step in labels],
                    "url": url,
                },
                attachments=[("dagdeel.ics", calendar, "text/calendar")],
                now=now,
            )
            sent += claim is not None
    return sent


def notify(
    *, people: Iterable[User], what: str, organisation: str, step: int | None, url: str
) -> None:
    """Record that something waits for these people; ``send_activity_digests`` mails it."""
    Notice.objects.bulk_create(
        [
            Notice(person=person, what=what, organisation=organisation[:200], step=step, url=url)
            for person in people
            if person.is_active
        ]
    )


def send_activity_digests(*, now: dt.datetime | None = None) -> int:
    """One mail per person per hour with everything that waits for them.

    The hour is the occasion: notices that arrive after this hour's mail wait for the next
    hour's. Notices of people who turned this mail off are dropped."""
    now = now or timezone.now()
    hour = timezone.localtime(now).strftime("%Y-%m-%dT%H")
    pending: dict[int, list[Notice]] = defaultdict(list)
    for notice in Notice.objects.filter(mailed_in__isnull=True).select_related(
        "person__mail_preferences"
    ):
        pending[notice.person_id].append(notice)
    sent = 0
    labels = dict(Step.choices)
    for notices in pending.values():
        person = notices[0].person
        if not person.is_active or not preferences_for(person).wants(MailKind.ACTIVITY):
            Notice.objects.filter(pk__in=[n.pk for n in notices]).delete()
            continue
        for notice in notices:
            notice.step_label = labels.get(notice.step or 0, "")
            notice.link = site_url() + notice.url if notice.url.startswith("/") else notice.url
        claim = send_once(
            person=person,
            kind=MailKind.ACTIVITY,
            occasion=hour,
            template="trainings/email/activity",
            context={"notices": notices},
            now=now,
        )
        if claim is not None:
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(mailed_in=claim)
            sent += 1
    return sent
