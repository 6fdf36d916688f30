"""What impactlab mails between the dagdelen: each person's choices, the things waiting for
them, and a log of what was sent. The models belong to the ``trainings`` app
(``trainings/models.py`` imports this module)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    SESSION_REMINDER = "session_reminder", _("a reminder two days before a session")
    ACTIVITY = "activity", _("a short mail when something waits for you")
    REVIEW_REMINDER = "review_reminder", _("a reminder of steps waiting for your review")


class MailPreferences(models.Model):
    """One person's choices; a person without a row gets every kind, in Dutch."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_preferences",
        verbose_name=_("person"),
    )
    language = models.CharField(
        _("language of the mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    session_reminder = models.BooleanField(MailKind.SESSION_REMINDER.label, default=True)
    activity = models.BooleanField(MailKind.ACTIVITY.label, default=True)
    review_reminder = models.BooleanField(MailKind.REVIEW_REMINDER.label, default=True)

    class Meta:
        verbose_name = _("mail preferences")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return str(self.person)

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))


class Notice(models.Model):
    """Something that waits for a person (a submitted step, feedback…), mailed in a batch."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("person"),
    )

    class What(models.TextChoices):
        SUBMITTED = "submitted", _("a step was submitted for review")
        RETURNED = "returned", _("a step was returned")
        FEEDBACK = "feedback", _("new feedback")
        PEER_REVIEW = "peer_review", _("a review from a fellow organisation")

    what = models.CharField(_("what"), max_length=20, choices=What)
    organisation = models.CharField(_("organisation"), max_length=200)
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    mailed_in = models.ForeignKey(
        "trainings.SentMail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("mailed in"),
    )

    # Set for the mail by ``notifications.send_activity_digests``.
    step_label: str | Promise  # lazy: rendered in the reader's language
    link: str

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_what_display()}: {self.organisation}"


class SentMail(models.Model):
    """One mail to one person for one occasion. The row is claimed (inserted) before the
    mail goes out: the unique constraint lets only one of two workers send it."""

    kind = models.CharField(_("kind"), max_length=30, choices=MailKind)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_mails",
        verbose_name=_("person"),
    )
    # What the mail is about, e.g. "session:12", "2026-12-03T10" (an hour), "2026-W49".
    occasion = models.CharField(_("occasion"), max_length=100)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person", "occasion"], name="trainings_sentmail_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion} → {self.person_id}"
