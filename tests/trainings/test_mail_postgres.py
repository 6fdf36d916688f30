"""Two workers sending the same mails at the same moment, on PostgreSQL: every person gets
each mail exactly once, because each sender first claims a SentMail row whose unique
constraint only one of them can insert.

Needs PostgreSQL (SQLite serialises writers, so it proves nothing there): run with
``DATABASE_URL=postgres://… .venv/bin/pytest tests/trainings/test_mail_postgres.py``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, connections
from django.utils import timezone

from impact.models import StepReview
from impact.notices import send_due_mails
from tests.factories import SessionFactory, StepReviewFactory, enrol_organisations
from tests.impact.worksheet_helpers import worksheet_of
from trainings import notifications
from trainings.models import SentMail

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: set DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_send_every_mail_exactly_once(cohort, trainer, monkeypatch):
    enrolments = enrol_organisations(cohort, 4, people=3)
    SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=2))
    for enrolment in enrolments:
        worksheet = worksheet_of(enrolment.organisation, cohort)
        review = StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
        StepReview.objects.filter(pk=review.pk).update(
            updated_at=timezone.now() - dt.timedelta(days=8)
        )
        people = enrolment.organisation.memberships.values_list("person", flat=True)
        for person in notifications.User.objects.filter(pk__in=people):
            notifications.notify(
                people=[person], what="feedback", organisation="X", step=2, url="/x/"
            )
    # Sending takes a moment, as SMTP does, so that the two workers overlap.
    send = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: time.sleep(0.02) or send(self))
    now = timezone.now()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            send_due_mails(now=now)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # 12 participants: a session reminder and an activity mail each; the trainer one reminder.
    expected = 12 * 2 + 1
    kinds = Counter((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert len(mail.outbox) == expected, kinds
    assert all(count == 1 for count in kinds.values())
    assert SentMail.objects.filter(sent_at__isnull=False).count() == expected
