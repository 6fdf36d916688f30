"""A peer-review round: organisations of a ronde read one or more steps of each other's
worksheet and answer a short form; the answers reach the reviewed organisation as feedback.

The models belong to the ``impact`` app (``impact/models.py`` imports this module).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Role, TimeStampedModel
from trainings.models import Cohort, Enrolment, Session

# The open questions a trainer may put in the form, in the order the form shows them.
QUESTIONS = {
    "strong": _("What is strong?"),
    "missing": _("What is missing or unclear?"),
    "question": _("One question for you"),
}

# Per step, yes/no checks that mirror the chain-health hints (impact/worksheet/health.py).
CHECKS: dict[int, dict[str, object]] = {
    1: {
        "goal_is_change": _("Is the impact goal a change for people?"),
        "target_group_clear": _("Is it clear for whom (the target group)?"),
    },
    2: {
        "reason_given": _("Does it say why each stakeholder matters?"),
        "material_has_effect": _("Does every important stakeholder have an effect?"),
    },
    3: {
        "activity_leads_to_effect": _("Does every activity lead to an effect?"),
        "outputs_countable": _("Can you count the outputs?"),
    },
    4: {
        "effect_is_change": _("Is every effect a change for a person, not a count?"),
        "effect_measurable": _("Is every effect measurable?"),
    },
    5: {
        "has_baseline": _("Does every indicator have a baseline?"),
        "has_source": _("Does it say where the figures come from?"),
    },
    6: {
        "message_clear": _("Is the key message clear in one sentence?"),
        "next_steps_concrete": _("Are the next steps concrete?"),
    },
}


class PeerReviewRoundQuerySet(models.QuerySet):
    def open(self, now: dt.datetime | None = None) -> PeerReviewRoundQuerySet:
        """Rounds that have started, have not reached their deadline and were not closed."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)


class PeerReviewRound(TimeStampedModel):
    """A trainer's round of peer review for some steps, usually ahead of a dagdeel."""

    class Allocation(models.TextChoices):
        PAIRS = "pairs", _("in pairs")
        TRIADS = "triads", _("in groups of three")
        MANUAL = "manual", _("by hand")

    class State(models.TextChoices):
        PLANNED = "planned", _("not yet open")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="peer_review_rounds",
        verbose_name=_("cohort"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_review_rounds",
        verbose_name=_("for session"),
    )
    steps = models.JSONField(_("worksheet steps"), default=list)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    allocation = models.CharField(
        _("allocation"), max_length=10, choices=Allocation, default=Allocation.PAIRS
    )
    avoid_reciprocal = models.BooleanField(
        _("avoid organisations reviewing each other"),
        default=False,
        help_text=_("A reviews B, B reviews C: nobody reviews the one that reviews them."),
    )
    questions = models.JSONField(_("questions"), default=list)
    with_checks = models.BooleanField(_("with yes/no checks per step"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = PeerReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer-review round")
        verbose_name_plural = _("peer-review rounds")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="impact_peerreviewround_closes_after_opening",
                violation_error_message=_("The deadline must be after the start."),
            )
        ]

    def __str__(self) -> str:
        steps = ", ".join(str(step) for step in self.steps)
        return f"{self.cohort} – {_('steps')} {steps}"

    def state(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.closed_at is not None or now >= self.closes_at:
            return self.State.CLOSED
        if now < self.opens_at:
            return self.State.PLANNED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.state(now) == self.State.OPEN

    def question_items(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in QUESTIONS.items() if key in self.questions]

    def close(self, now: dt.datetime | None = None) -> None:
        """Close the round now (one update); reviewers lose access at once."""
        self.closed_at = now or timezone.now()
        self.save(update_fields=["closed_at", "updated_at"])


class PeerReviewOptOut(models.Model):
    """An organisation that does not want its work read by others in this round."""

    round = models.ForeignKey(
        PeerReviewRound, on_delete=models.CASCADE, related_name="opt_outs", verbose_name=_("round")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer-review opt-out")
        verbose_name_plural = _("peer-review opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "enrolment"], name="impact_peerreviewoptout_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.enrolment}"


class PeerReviewAssignmentQuerySet(models.QuerySet):
    def open_to_reviewer(self, user, now: dt.datetime | None = None):
        """The assignments this participant may work on now: their organisation reviews,
        the round is open, both organisations are still enrolled and the reviewed one has
        not opted out. Everything else is invisible to a reviewer."""
        if not user.is_authenticated or not user.is_participant:
            return self.none()
        now = now or timezone.now()
        own = Organisation.objects.filter(
            memberships__person=user, memberships__role=Role.PARTICIPANT
        )
        opted_out = PeerReviewOptOut.objects.filter(
            round=OuterRef("round"), enrolment=OuterRef("reviewed")
        )
        return self.filter(
            reviewer__organisation__in=own,
            reviewer__withdrawn_at__isnull=True,
            reviewed__withdrawn_at__isnull=True,
            round__opens_at__lte=now,
            round__closes_at__gt=now,
            round__closed_at__isnull=True,
        ).filter(~Exists(opted_out))


class PeerReviewAssignment(TimeStampedModel):
    """One organisation reads the work of another in a round."""

    round = models.ForeignKey(
        PeerReviewRound,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("round"),
    )
    reviewer = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewer")
    )
    reviewed = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("reviewed")
    )

    objects = PeerReviewAssignmentQuerySet.as_manager()
    # Set on the assignments of the trainer's round page by ``selectors.round_view``.
    opted_out: bool
    reviews_done: int
    complete: bool

    class Meta:
        verbose_name = _("peer-review assignment")
        verbose_name_plural = _("peer-review assignments")
        ordering = ["reviewer__organisation__name", "reviewed__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reviewer", "reviewed"],
                name="impact_peerreviewassignment_unique",
                violation_error_message=_("This organisation already reviews that one."),
            ),
            models.CheckConstraint(
                condition=~Q(reviewer=models.F("reviewed")),
                name="impact_peerreviewassignment_not_self",
                violation_error_message=_("An organisation cannot review itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer.organisation} → {self.reviewed.organisation}"


class PeerReview(TimeStampedModel):
    """The answers of a reviewing organisation about one step; delivered as a comment."""

    assignment = models.ForeignKey(
        PeerReviewAssignment,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("assignment"),
    )
    step = models.PositiveSmallIntegerField(_("step"))
    answers = models.JSONField(_("answers"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # The feedback comment the reviewed organisation reads; none while hidden.
    comment = models.OneToOneField(
        "impact.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_review",
        verbose_name=_("comment"),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
        ordering = ["assignment", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "step"], name="impact_peerreview_unique_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.step}"

    def check_items(self) -> list[tuple[str, bool | None]]:
        """The yes/no checks of the step with the answer given (None: not answered)."""
        given = self.answers.get("checks", {})
        return [(str(label), given.get(key)) for key, label in CHECKS.get(self.step, {}).items()]

    def question_items(self) -> list[tuple[str, str]]:
        return [
            (str(label), self.answers.get(key, ""))
            for key, label in QUESTIONS.items()
            if self.answers.get(key)
        ]
