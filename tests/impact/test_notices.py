"""What the worksheet mails: who hears of a submitted or returned step, of feedback and of a
peer review, and the weekly reminder of steps waiting for review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import StepReview
from impact.notices import send_due_mails, send_review_reminders
from tests.factories import CommentFactory, StepReviewFactory
from tests.impact.worksheet_helpers import worksheet_of
from trainings.models import Notice

pytestmark = pytest.mark.django_db


def test_submitting_a_step_waits_for_the_trainer(client_for, participant, trainer, worksheet):
    client_for(participant).post(reverse("impact:step_review", args=[worksheet.pk, 2, "submit"]))
    [notice] = Notice.objects.all()
    assert (notice.person, notice.what, notice.step) == (trainer, "submitted", 2)
    send_due_mails()
    [message] = mail.outbox
    assert message.to == [trainer.email]
    assert "Kringloop Zwolle heeft stap 2 (Stakeholders) ingediend" in message.body
    assert f"/werkbladen/{worksheet.pk}/stap/2/" in message.body


def test_returning_a_step_and_feedback_wait_for_the_participants(
    client_for, participant, colleague, trainer, worksheet
):
    StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
    client = client_for(trainer)
    client.post(reverse("impact:step_review", args=[worksheet.pk, 2, "return"]), {"note": "x"})
    client.post(reverse("impact:comment_create", args=[worksheet.pk, 2]), {"body": "Mooi!"})
    people = set(Notice.objects.values_list("person__email", "what"))
    assert people == {
        (participant.email, "returned"),
        (colleague.email, "returned"),
        (participant.email, "feedback"),
        (colleague.email, "feedback"),
    }
    send_due_mails()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, colleague.email])


def test_a_withdrawn_organisation_hears_nothing(client_for, trainer, participant, worksheet):
    worksheet.enrolment.withdraw()
    CommentFactory(worksheet=worksheet)  # directly, as a trainer's old comment
    client_for(trainer).post(
        reverse("impact:comment_create", args=[worksheet.pk, 2]), {"body": "x"}
    )
    assert not Notice.objects.exists()


def test_trainers_hear_of_steps_waiting_longer_than_three_days_once_a_week(
    trainer, other_trainer, participant, organisation, cohort, settings
):
    settings.IMPACTLAB_REVIEW_REMINDER_DAYS = 3
    worksheet = worksheet_of(organisation, cohort)
    old = StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
    StepReviewFactory(worksheet=worksheet, step=3, state=StepReview.State.SUBMITTED)
    StepReview.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=5))
    assert send_review_reminders() == 1
    [message] = mail.outbox
    assert message.to == [trainer.email]
    assert "1 stap wacht op je beoordeling" in message.subject
    assert "stap 2" in message.body and "stap 3" not in message.body
    assert send_review_reminders() == 0


def test_the_command_sends_what_is_due(trainer, participant, organisation, cohort):
    worksheet = worksheet_of(organisation, cohort)
    old = StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
    StepReview.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=9))
    call_command("send_mails")
    call_command("send_mails")
    assert len(mail.outbox) == 1


def test_the_command_hands_a_run_to_the_worker(trainer, organisation, cohort, capsys):
    worksheet = worksheet_of(organisation, cohort)
    old = StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
    StepReview.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=9))
    call_command("send_mails", "--in-background")  # the tests' backend runs it at once
    assert "queued" in capsys.readouterr().out
    assert len(mail.outbox) == 1
