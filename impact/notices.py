"""What the impact worksheet mails: who hears that something waits for them, and the
reminder to trainers of steps waiting for review. Sending goes through
``trainings.notifications`` (impact calls it explicitly; trainings knows nothing of impact).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import QuerySet
from django.tasks import task, task_backends
from django.urls import reverse
from django.utils import timezone

from impact.models import Comment, StepReview, Worksheet
from organisations.models import Role, User
from trainings import notifications
from trainings.models import Cohort, MailKind, Notice


def _participants(worksheet: Worksheet, *, besides: User | None) -> QuerySet[User]:
    people = User.objects.filter(
        is_active=True,
        memberships__organisation=worksheet.enrolment.organisation_id,
        memberships__role=Role.PARTICIPANT,
    ).distinct()
    return people.exclude(pk=besides.pk) if besides else people


def _trainers(worksheet: Worksheet, *, besides: User | None) -> QuerySet[User]:
    people = worksheet.enrolment.cohort.trainers.filter(is_active=True)
    return people.exclude(pk=besides.pk) if besides else people


def _step_url(worksheet: Worksheet, step: int) -> str:
    return reverse("impact:worksheet_step", args=[worksheet.pk, step])


def step_moved(*, review: StepReview, action: str, by: User) -> None:
    """A submitted step waits for the trainers; a returned one for the participants."""
    worksheet = review.worksheet
    if worksheet.enrolment.withdrawn_at is not None:
        return
    if action == "submit":
        people, what = _trainers(worksheet, besides=by), Notice.What.SUBMITTED
    elif action == "return":
        people, what = _participants(worksheet, besides=by), Notice.What.RETURNED
    else:
        return
    notifications.notify(
        people=people,
        what=what,
        organisation=worksheet.enrolment.organisation.name,
        step=review.step,
        url=_step_url(worksheet, review.step),
    )


def feedback_added(*, comment: Comment, peer: bool = False) -> None:
    """New feedback, from a trainer or a fellow organisation, waits for the participants."""
    worksheet = comment.worksheet
    if worksheet.enrolment.withdrawn_at is not None:
        return
    notifications.notify(
        people=_participants(worksheet, besides=comment.author),
        what=Notice.What.PEER_REVIEW if peer else Notice.What.FEEDBACK,
        organisation=worksheet.enrolment.organisation.name,
        step=comment.step,
        url=reverse("impact:step_comments", args=[worksheet.pk, comment.step]),
    )


def send_review_reminders(*, now: dt.datetime | None = None) -> int:
    """Once a week, mail each trainer the steps of their active cohorts that have waited
    for review more than ``IMPACTLAB_REVIEW_REMINDER_DAYS`` days; returns how many mails."""
    now = now or timezone.now()
    days = settings.IMPACTLAB_REVIEW_REMINDER_DAYS
    waiting = (
        StepReview.objects.filter(
            state=StepReview.State.SUBMITTED,
            updated_at__lt=now - dt.timedelta(days=days),
            worksheet__enrolment__withdrawn_at__isnull=True,
        )
        .exclude(
            worksheet__enrolment__cohort__status__in=[
                Cohort.Status.ARCHIVED,
                Cohort.Status.FINISHED,
            ]
        )
        .select_related("worksheet__enrolment__organisation", "worksheet__enrolment__cohort")
        .order_by("updated_at")
    )
    per_cohort: dict[int, list[StepReview]] = defaultdict(list)
    for review in waiting:
        per_cohort[review.worksheet.enrolment.cohort_id].append(review)
    if not per_cohort:
        return 0
    per_trainer: dict[int, list[StepReview]] = defaultdict(list)
    trainers: dict[int, User] = {}
    through = Cohort.trainers.through.objects.filter(cohort_id__in=per_cohort)
    for link in through.select_related("user__mail_preferences"):
        trainers[link.user_id] = link.user
        per_trainer[link.user_id].extend(per_cohort[link.cohort_id])
    year, week, _weekday = timezone.localdate(now).isocalendar()
    sent = 0
    for trainer_id, reviews in per_trainer.items():
        claim = notifications.send_once(
            person=trainers[trainer_id],
            kind=MailKind.REVIEW_REMINDER,
            occasion=f"{year}-W{week:02d}",
            template="impact/email/review_reminder",
            context={"reviews": reviews, "days": days},
            now=now,
        )
        sent += claim is not None
    return sent


def send_due_mails(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every kind of mail that is due now; the worker's periodic task and ``manage.py
    send_mails`` both run this. Returns how many mails of each kind went out."""
    now = now or timezone.now()
    return {
        MailKind.SESSION_REMINDER: notifications.send_session_reminders(now=now),
        MailKind.ACTIVITY: notifications.send_activity_digests(now=now),
        MailKind.REVIEW_REMINDER: send_review_reminders(now=now),
    }


@task()
def send_due_mails_task(repeat: bool = False) -> dict[str, int]:
    """The worker's periodic task: send what is due, then (``repeat``) queue the next run
    ``IMPACTLAB_MAIL_INTERVAL_MINUTES`` from now."""
    counts = {str(kind): count for kind, count in send_due_mails().items()}
    if repeat:
        schedule_mail_task()
    return counts


def schedule_mail_task() -> bool:
    """Queue the next periodic run, unless one is waiting already or the task backend
    cannot run tasks later (the immediate backend of the tests); returns whether it did."""
    backend = task_backends["default"]
    if not backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path=send_due_mails_task.module_path)
    if waiting.exists():
        return False
    later = timezone.now() + dt.timedelta(minutes=settings.IMPACTLAB_MAIL_INTERVAL_MINUTES)
    send_due_mails_task.using(run_after=later).enqueue(repeat=True)
    return True
