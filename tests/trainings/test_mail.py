"""Mails between the dagdelen: the reminder two days ahead, the hourly mail of what waits,
each person's settings and the one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from impactlab.privacy import erase_person
from organisations.models import Role
from tests.factories import SessionFactory, make_person
from trainings import notifications
from trainings.models import MailKind, MailPreferences, Notice, SentMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(cohort, organisation):
    """A dagdeel two days from now with an agenda, a host and steps to prepare."""
    return SessionFactory(
        cohort=cohort,
        title="Dagdeel 2: de juiste dingen doen",
        date=timezone.localdate() + dt.timedelta(days=2),
        location="Kringloop Zwolle, Industrieweg 1",
        host=organisation,
        agenda="09:30 Welkom\n10:00 Stakeholders in tweetallen",
        steps=[2, 3],
    )


def _unsubscribe_link(message) -> str:
    return re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)


def test_reminder_two_days_ahead_has_place_time_agenda_steps_and_calendar(
    upcoming, participant, colleague
):
    sent = notifications.send_session_reminders()
    assert sent == 2
    message = next(m for m in mail.outbox if m.to == [participant.email])
    assert "Over twee dagen" in message.subject
    assert "Kringloop Zwolle, Industrieweg 1" in message.body
    assert "10:00 Stakeholders in tweetallen" in message.body
    assert "Stap 2: Stakeholders" in message.body
    assert "09:30" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("dagdeel.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and "SUMMARY:Dagdeel 2: de juiste dingen doen" in content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminder_goes_out_once_however_often_the_job_runs(upcoming, participant):
    notifications.send_session_reminders()
    notifications.send_session_reminders()
    assert len(mail.outbox) == 1
    assert SentMail.objects.get().sent_at is not None


def test_no_reminder_for_a_session_three_days_ahead(cohort, participant):
    SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=3))
    assert notifications.send_session_reminders() == 0


def test_reminder_is_in_the_persons_language(upcoming, participant):
    MailPreferences.objects.create(person=participant, language="en")
    notifications.send_session_reminders()
    [message] = mail.outbox
    assert message.subject.startswith("In two days")
    assert "Steps of your worksheet to prepare" in message.body


def test_no_reminder_to_a_withdrawn_organisation_or_an_erased_person(
    upcoming, participant, fellow, fellow_organisation, coordinator, cohort
):
    fellow_organisation.enrolments.get(cohort=cohort).withdraw()
    erase_person(person=participant, erased_by=coordinator)
    assert notifications.send_session_reminders() == 0
    assert mail.outbox == []


def test_one_click_unsubscribe_stops_only_that_kind(client, upcoming, participant):
    notifications.send_session_reminders()
    link = _unsubscribe_link(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    # Looking at the link changes nothing (mail scanners follow links).
    page = client.get(f"/{path}")
    assert page.status_code == 200 and "Ja, stop deze mails" in page.content.decode()
    assert notifications.preferences_for(participant).session_reminder is True
    # The mail program's one-click POST: no session, no CSRF token.
    response = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preferences = MailPreferences.objects.get(person=participant)
    assert (preferences.session_reminder, preferences.activity) == (False, True)


def test_a_forged_unsubscribe_token_is_refused(client, participant):
    token = notifications.unsubscribe_token(participant, MailKind.ACTIVITY)
    response = client.post(reverse("trainings:mail_unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert not MailPreferences.objects.exists()


def test_unsubscribed_people_get_no_reminder(upcoming, participant):
    notifications.unsubscribe(person=participant, kind=MailKind.SESSION_REMINDER)
    assert notifications.send_session_reminders() == 0


def test_person_chooses_their_mails_and_language(client_for, participant):
    client = client_for(participant)
    page = client.get(reverse("trainings:mail_settings"))
    assert page.status_code == 200
    response = client.post(
        reverse("trainings:mail_settings"), {"language": "en", "session_reminder": "on"}
    )
    assert response.status_code == 302
    preferences = MailPreferences.objects.get(person=participant)
    assert preferences.language == "en"
    assert (preferences.session_reminder, preferences.activity) == (True, False)


def test_mail_settings_need_a_sign_in(client):
    response = client.get(reverse("trainings:mail_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _notice(person, what=Notice.What.FEEDBACK, step=2):
    notifications.notify(
        people=[person], what=what, organisation="Kringloop Zwolle", step=step, url="/x/"
    )


def test_a_busy_hour_gives_one_mail(participant):
    now = timezone.now().replace(minute=5)
    for step in (1, 2, 3):
        _notice(participant, step=step)
    assert notifications.send_activity_digests(now=now) == 1
    _notice(participant, step=4)
    # Later in the same hour: the new notice waits for the next hour's mail.
    assert notifications.send_activity_digests(now=now + dt.timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1
    assert "Nieuwe feedback bij stap 3" in mail.outbox[0].body
    assert notifications.send_activity_digests(now=now + dt.timedelta(hours=1)) == 1
    assert "stap 4" in mail.outbox[1].body
    assert not Notice.objects.filter(mailed_in__isnull=True).exists()


def test_notices_of_people_who_turned_the_mail_off_are_dropped(participant):
    notifications.unsubscribe(person=participant, kind=MailKind.ACTIVITY)
    _notice(participant)
    assert notifications.send_activity_digests() == 0
    assert not Notice.objects.exists()


def test_trainer_and_coordinator_have_mail_settings_too(client_for, trainer, coordinator):
    for person in (trainer, coordinator):
        assert client_for(person).get(reverse("trainings:mail_settings")).status_code == 200


def test_an_inactive_person_gets_nothing(organisation):
    person = make_person(organisation, Role.PARTICIPANT, is_active=False)
    _notice(person)
    assert not Notice.objects.exists()


def test_the_hourly_mail_is_in_the_readers_language(participant):
    MailPreferences.objects.create(person=participant, language="en")
    _notice(participant, what=Notice.What.RETURNED, step=4)
    notifications.send_activity_digests()
    [message] = mail.outbox
    assert "Step 4 (Effects) was returned to you" in message.body
