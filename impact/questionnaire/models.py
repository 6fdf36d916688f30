"""Easy-read questionnaires: asking the people an indicator is about, and what they answered.

A worksheet's questionnaire has questions, each optionally about one of its indicators. A
measurement moment ("voormeting maart 2026") is a period of the worksheet; a questionnaire
is shared per moment through a link with an unguessable token, which the participant can
close. A response belongs to one link (so to one questionnaire and one moment) and to one
browser session; it holds at most one answer per question. Nothing identifies a respondent:
the session key is stored only as a hash, to keep one response per browser.

These models belong to the ``impact`` app; ``impact/models.py`` imports them.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import TimeStampedModel

# Languages a question may be written in besides Dutch, with their writing direction.
EXTRA_LANGUAGES = {"en": "ltr", "ar": "rtl", "ti": "ltr"}


def new_token() -> str:
    """An unguessable, URL-safe token of 128 bits."""
    return secrets.token_urlsafe(16)


def hash_session_key(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionnaireQuerySet:
        """The questionnaires of the worksheets the person may read (see Worksheet)."""
        from impact.models import Worksheet

        return self.filter(worksheet__in=Worksheet.objects.visible_to(user))


class Questionnaire(TimeStampedModel):
    worksheet = models.ForeignKey(
        "impact.Worksheet",
        on_delete=models.CASCADE,
        related_name="questionnaires",
        verbose_name=_("worksheet"),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        max_length=1000,
        blank=True,
        help_text=_("A few short sentences: what it is for and who asks."),
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("impact:questionnaire", args=[self.pk])


class Question(TimeStampedModel):
    class AnswerType(models.TextChoices):
        SMILEY3 = "smiley3", _("3 smileys")
        SMILEY5 = "smiley5", _("5 smileys")
        YES_NO = "yes_no", _("yes / a bit / no")
        NUMBER = "number", _("a number")
        CHOICE = "choice", _("a choice with pictures")
        OPEN = "open", _("an open question")

    # Answer types whose values are points on a scale, so a mean means something.
    SCALES = {AnswerType.SMILEY3: 3, AnswerType.SMILEY5: 5, AnswerType.YES_NO: 3}

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    indicator = models.ForeignKey(
        "impact.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("indicator"),
    )
    text = models.CharField(_("question (Dutch)"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    text_ar = models.CharField(_("question in Arabic"), max_length=300, blank=True)
    text_ti = models.CharField(_("question in Tigrinya"), max_length=300, blank=True)
    answer_type = models.CharField(
        _("answer"), max_length=10, choices=AnswerType, default=AnswerType.SMILEY3
    )
    # For a choice: [{"label": "Met de fiets", "icon": "bike"}, …].
    choices = models.JSONField(_("choices"), default=list, blank=True)
    number_max = models.PositiveIntegerField(_("highest number"), default=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str) -> str:
        """The question in one of EXTRA_LANGUAGES, or "" when none was written."""
        return getattr(self, f"text_{language}", "") if language in EXTRA_LANGUAGES else ""

    @property
    def is_scale(self) -> bool:
        return self.answer_type in self.SCALES

    @property
    def scale_points(self) -> int | None:
        return self.SCALES.get(self.answer_type)


class MeasurementMoment(TimeStampedModel):
    """A period in which a worksheet measures, e.g. a voormeting and a nameting."""

    worksheet = models.ForeignKey(
        "impact.Worksheet",
        on_delete=models.CASCADE,
        related_name="measurement_moments",
        verbose_name=_("worksheet"),
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("measurement moment")
        verbose_name_plural = _("measurement moments")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="impact_measurementmoment_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["worksheet", "name"], name="impact_measurementmoment_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShareLinkQuerySet(models.QuerySet):
    def open(self) -> ShareLinkQuerySet:
        return self.filter(closed_at__isnull=True)


class ShareLink(TimeStampedModel):
    """The anonymous link of one questionnaire at one measurement moment."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("questionnaire"),
    )
    moment = models.ForeignKey(
        MeasurementMoment,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("measurement moment"),
    )
    # Kept as typed so that the participant can show the link and its QR code again.
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The responses erased after the retention period (see AnswerTally): still counted.
    erased_started = models.PositiveIntegerField(_("erased responses"), default=0)
    erased_finished = models.PositiveIntegerField(_("erased responses that were sent"), default=0)
    erased_from_paper = models.PositiveIntegerField(
        _("erased responses entered from paper"), default=0
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire link")
        verbose_name_plural = _("questionnaire links")
        ordering = ["moment__starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "moment"], name="impact_sharelink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.moment}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def get_respondent_url(self) -> str:
        return reverse("impact:respond_start", args=[self.token])

    def close(self) -> None:
        ShareLink.objects.filter(pk=self.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        self.refresh_from_db(fields=["closed_at"])

    def reopen(self) -> None:
        ShareLink.objects.filter(pk=self.pk).update(closed_at=None)
        self.closed_at = None


class Response(TimeStampedModel):
    """One person's answers to a questionnaire at one moment: anonymous by construction."""

    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="responses", verbose_name=_("link")
    )
    # sha256 of the browser session's key; empty for a response typed in from paper.
    session_key_hash = models.CharField(max_length=64, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    entered_from_paper = models.BooleanField(_("entered from paper"), default=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "session_key_hash"],
                condition=~Q(session_key_hash=""),
                name="impact_response_one_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.link} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(models.Model):
    """The answer to one question: a number (the scale point, the choice or the number
    typed) or, for an open question, a text."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    number = models.DecimalField(_("value"), max_digits=10, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="impact_answer_unique")
        ]

    def __str__(self) -> str:
        return self.text[:40] if self.text else str(self.number)

    @property
    def value(self) -> Decimal | str | None:
        return self.text or self.number


class AnswerTally(models.Model):
    """How many erased answers a question had at a link with one value: what is left of the
    answers once ``IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS`` have passed, so that the
    summaries, charts and comparisons stay while the answers themselves are gone. An open
    question's tally has no value: only how many answered is kept, never the text."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("question")
    )
    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("link")
    )
    number = models.DecimalField(_("value"), max_digits=10, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(_("number of answers"), default=0)

    class Meta:
        verbose_name = _("answer tally")
        verbose_name_plural = _("answer tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "link", "number"],
                condition=Q(number__isnull=False),
                name="impact_answertally_unique",
            ),
            models.UniqueConstraint(
                fields=["question", "link"],
                condition=Q(number__isnull=True),
                name="impact_answertally_unique_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.number} × {self.count}"
