"""The impact worksheet: one per enrolled organisation per cohort.

The steps follow the chain that established methods converge on (SVI value map, IMP's five
dimensions, Impactpad, theory of change): scope and goal → stakeholders → activities and
outputs → effects → indicators and results → learning. Every editable row carries a
``version`` for optimistic concurrency: a save based on an older version is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations.models import Role, TimeStampedModel

# The six steps are listed once, in trainings (a session names the steps it works on);
# impact's code imports them from here as ``impact.models.Step``.
from trainings.models import Cohort, Enrolment, Session, Step


class VersionedModel(TimeStampedModel):
    """A row edited by several people at once; ``version`` grows by one on every save."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class WorksheetQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorksheetQuerySet:
        """Coordinators: all; trainers: their cohorts'; participants: their organisation's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(
            Q(enrolment__cohort__trainers=user)
            | Q(
                enrolment__organisation__memberships__person=user,
                enrolment__organisation__memberships__role=Role.PARTICIPANT,
            )
        ).distinct()

    def editable_by(self, user) -> WorksheetQuerySet:
        """Only the organisation's own participants write, and only while enrolled."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(
                enrolment__organisation__memberships__person=user,
                enrolment__organisation__memberships__role=Role.PARTICIPANT,
                enrolment__withdrawn_at__isnull=True,
            )
            .exclude(enrolment__cohort__status=Cohort.Status.ARCHIVED)
            .distinct()
        )

    def with_trainer_tie(self, user) -> WorksheetQuerySet:
        """Annotate ``tie_trains``: the person trains the worksheet's cohort (a small EXISTS
        column), so that one worksheet and a trainer's rights on it are one query
        (``impact.access``). Whose participant a person is comes with their roles."""
        return self.annotate(
            tie_trains=models.Exists(
                Cohort.trainers.through.objects.filter(
                    cohort_id=models.OuterRef("enrolment__cohort_id"), user_id=user.pk
                )
            )
        )

    def with_value_on(self) -> WorksheetQuerySet:
        """Annotate ``value_on``: the opt-in value step is switched on, so the step menu
        shows it (a beginner never meets euros unless they choose to)."""
        return self.annotate(
            value_on=models.Exists(
                ValueStep.objects.filter(worksheet_id=models.OuterRef("pk"), is_enabled=True)
            )
        )

    def reviewable_by(self, user) -> WorksheetQuerySet:
        """Coordinators review every worksheet; trainers those of the cohorts they train."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(enrolment__cohort__trainers=user).distinct()

    def content_changed(self) -> int:
        """Count a change of what the worksheet's pages show: one UPDATE. The step pages
        keep their rendered rows per ``content_version`` (``impact.worksheet.presenters``),
        so a page rendered before the change is never shown after it."""
        return self.update(content_version=models.F("content_version") + 1)

    def with_last_activity(self) -> WorksheetQuerySet:
        """Annotate ``last_activity``: when the latest revision was saved (a subquery)."""
        latest = Revision.objects.filter(worksheet=models.OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return self.annotate(last_activity=models.Subquery(latest.values("created_at")[:1]))


class Worksheet(VersionedModel):
    """Step 1 (scope and goal) and step 6 (learning) live on the worksheet itself."""

    # The worksheet's own fields of step 1 and of step 6, in the order people fill them in.
    SCOPE_FIELDS = (
        "good_practice",
        "reasons",
        "audiences",
        "period_start",
        "period_end",
        "social_problem",
        "impact_goal",
        "themes",
        "mission_link",
    )
    LEARNING_FIELDS = (
        "findings",
        "next_steps",
        "quote",
        "partners_to_approach",
        "funding_opportunities",
        "key_message",
    )

    class Reason(models.TextChoices):
        ACCOUNTABILITY = "accountability", _("accountability")
        STEERING = "steering", _("steering our work")
        FUNDING = "funding", _("funding")
        COMMUNICATION = "communication", _("communication")

    class Theme(models.TextChoices):
        LABOUR = "labour", _("labour participation")
        CIRCULAR = "circular", _("circular economy")
        WELLBEING = "wellbeing", _("health and well-being")
        COMMUNITY = "community", _("social cohesion")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="worksheet", verbose_name=_("enrolment")
    )
    # Step 1: scope and impact goal.
    good_practice = models.CharField(_("good practice"), max_length=200, blank=True)
    reasons = models.JSONField(_("why we measure"), default=list, blank=True)
    audiences = models.CharField(
        _("for whom"),
        max_length=300,
        blank=True,
        help_text=_("For example the municipality, a fund or the branch association."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    social_problem = models.TextField(_("social problem"), blank=True, max_length=3000)
    impact_goal = models.TextField(_("impact goal"), blank=True, max_length=1000)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    mission_link = models.TextField(_("link to our mission"), blank=True, max_length=2000)
    # Step 6: learning and communication.
    findings = models.TextField(_("findings"), blank=True, max_length=4000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=4000)
    quote = models.TextField(_("quote or story"), blank=True, max_length=2000)
    partners_to_approach = models.TextField(_("partners to approach"), blank=True, max_length=2000)
    funding_opportunities = models.TextField(
        _("funding opportunities"), blank=True, max_length=2000
    )
    key_message = models.TextField(_("key message"), blank=True, max_length=1000)
    # Grows on every change of the worksheet's rows, reviews and feedback (see
    # ``impact.signals``): the key of the step pages' rendered rows.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = WorksheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")
        ordering = ["enrolment__organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="impact_worksheet_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        practice = f" – {self.good_practice}" if self.good_practice else ""
        return f"{self.enrolment.organisation}{practice}"

    def get_absolute_url(self) -> str:
        return reverse("impact:worksheet", args=[self.pk])

    @property
    def organisation(self):
        return self.enrolment.organisation

    @property
    def cohort(self) -> Cohort:
        return self.enrolment.cohort

    @cached_property
    def value_on(self) -> bool:
        """The opt-in value step is switched on, so the step menu shows it (a beginner never
        meets euros unless they choose to). Set by ``with_value_on`` on lists; otherwise it
        reads ``value_step`` (no query when that was selected with the worksheet)."""
        try:
            return self.value_step.is_enabled
        except ValueStep.DoesNotExist:
            return False


class TargetGroup(VersionedModel):
    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="target_groups",
        verbose_name=_("worksheet"),
    )
    name = models.CharField(_("target group"), max_length=200)
    size = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Stakeholder(VersionedModel):
    class Category(models.TextChoices):
        TARGET_GROUP = "target_group", _("participants and target group")
        STAFF = "staff", _("job coaches and staff")
        VOLUNTEERS = "volunteers", _("volunteers")
        CUSTOMERS = "customers", _("customers")
        SUPPLIERS = "suppliers", _("suppliers and donors of goods")
        FUNDERS = "funders", _("municipality and funders")
        PARTNERS = "partners", _("partners")
        ENVIRONMENT = "environment", _("environment")

    class Relation(models.TextChoices):
        INVESTS = "invests", _("invests")
        EXPERIENCES = "experiences", _("experiences effects")
        BOTH = "both", _("invests and experiences effects")

    class Involvement(models.TextChoices):
        INFORMED = "informed", _("informed")
        CONSULTED = "consulted", _("consulted")
        CO_DECIDING = "co_deciding", _("co-deciding")
        CO_CREATING = "co_creating", _("co-creating")

    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="stakeholders",
        verbose_name=_("worksheet"),
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    relation = models.CharField(
        _("relation"), max_length=20, choices=Relation, default=Relation.EXPERIENCES
    )
    group_size = models.PositiveIntegerField(_("group size"), null=True, blank=True)
    involvement = models.CharField(
        _("how they are involved"),
        max_length=20,
        choices=Involvement,
        default=Involvement.INFORMED,
    )
    is_material = models.BooleanField(_("material"), default=True)
    materiality_reason = models.TextField(_("reason"), blank=True, max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Activity(VersionedModel):
    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("worksheet"),
    )
    title = models.CharField(_("title"), max_length=200)
    stakeholders = models.ManyToManyField(
        Stakeholder,
        blank=True,
        related_name="activities",
        verbose_name=_("for and with which stakeholders"),
    )
    need = models.TextField(_("the need it addresses"), blank=True, max_length=2000)
    input_time = models.CharField(_("time"), max_length=200, blank=True)
    input_money = models.DecimalField(
        _("money (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    input_in_kind = models.CharField(_("in kind"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Output(VersionedModel):
    """A countable result of an activity: 12 work-experience places, 900 kg textile."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("activity")
    )
    description = models.CharField(_("output"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description


class Effect(VersionedModel):
    class Term(models.TextChoices):
        SHORT = "short", _("short term")
        MEDIUM = "medium", _("medium term")
        LONG = "long", _("long term")

    class Confidence(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="effects", verbose_name=_("worksheet")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.PROTECT,
        related_name="effects",
        verbose_name=_("stakeholder"),
    )
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="effects", verbose_name=_("from which activities")
    )
    description = models.TextField(
        _("the change"),
        max_length=2000,
        help_text=_("Describe the change in the stakeholder's own words."),
    )
    term = models.CharField(_("term"), max_length=10, choices=Term, default=Term.SHORT)
    is_positive = models.BooleanField(_("positive"), default=True)
    is_intended = models.BooleanField(_("intended"), default=True)
    assumptions = models.TextField(_("assumptions"), blank=True, max_length=2000)
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    confidence = models.CharField(
        _("how confident we are"), max_length=10, choices=Confidence, default=Confidence.MEDIUM
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("effect")
        verbose_name_plural = _("effects")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


@dataclass(frozen=True)
class Progress:
    """How far a measured value is on the way from an indicator's baseline to its target.

    ``status`` is one of ``reached``, ``on_the_way``, ``no_change``, ``wrong_way``,
    ``no_baseline`` (a target but nothing to measure the way from), ``no_target``, and for
    an indicator that keeps a level, ``at_level`` or ``off_level``. ``percent`` is the share
    of the way covered, 0 to 100, or None where there is no way to measure.
    """

    value: Decimal
    baseline: Decimal | None
    target: Decimal | None
    direction: str
    status: str
    percent: int | None = None

    @property
    def reached(self) -> bool:
        return self.status in ("reached", "at_level")

    @property
    def tone(self) -> str:
        """good, partial, poor or none: the colour the page and the chart give it."""
        if self.reached:
            return "good"
        if self.status == "on_the_way":
            return "partial"
        if self.status in ("no_change", "wrong_way", "off_level"):
            return "poor"
        return "none"

    @property
    def short(self) -> str:
        """A few words for where baseline and target already stand beside the value."""
        words = {
            "reached": gettext("target reached"),
            "on_the_way": gettext("%(percent)s%% of the way") % {"percent": self.percent},
            "no_change": gettext("still at the baseline"),
            "wrong_way": gettext("moved the wrong way"),
            "no_baseline": gettext("no baseline, so how far is unknown"),
            "no_target": "",
            "at_level": gettext("at the level"),
            "off_level": gettext("away from the level"),
        }
        return words[self.status]

    @property
    def text(self) -> str:
        """One sentence in the reader's language, with the numbers as the app writes them."""
        from impact.worksheet.display import number_text

        figures = {
            "value": number_text(self.value),
            "baseline": number_text(self.baseline),
            "target": number_text(self.target),
            "percent": self.percent,
        }
        sentences = {
            "reached": gettext("target of %(target)s reached"),
            "on_the_way": gettext(
                "%(percent)s%% of the way from the baseline %(baseline)s to the target %(target)s"
            ),
            "no_change": gettext("still at the baseline %(baseline)s; the target is %(target)s"),
            "wrong_way": gettext(
                "moved the wrong way: the baseline was %(baseline)s, the target is %(target)s"
            ),
            "no_baseline": gettext(
                "target %(target)s; without a baseline the share of the way is unknown"
            ),
            "no_target": gettext("no target set"),
            "at_level": gettext("at the level of %(target)s"),
            "off_level": gettext("away from the level of %(target)s"),
        }
        return sentences[self.status] % figures


@dataclass(frozen=True)
class MomentValue:
    """A result's value at a measurement moment, as :func:`moment_change` compares them."""

    moment_id: int
    moment_name: str
    starts_on: dt.date
    order: tuple  # which result of a moment is its latest (as Indicator.latest_result)
    value: Decimal


@dataclass(frozen=True)
class MomentChange:
    """An indicator from its first measurement moment to its last (a voormeting and a
    nameting): the latest result of each. Two groups compared, nobody's answers paired."""

    before: MomentValue
    after: MomentValue
    direction: str

    @property
    def difference(self) -> Decimal:
        return self.after.value - self.before.value

    @property
    def verdict(self) -> str:
        """better, worse or same in the indicator's direction; "" for one that keeps a level."""
        if self.direction == Indicator.Direction.MAINTAIN:
            return ""
        if self.difference == 0:
            return "same"
        higher = self.difference > 0
        return "better" if higher == (self.direction != Indicator.Direction.DECREASE) else "worse"

    @property
    def difference_text(self) -> str:
        """ "+0,7, better" in the reader's language."""
        from impact.worksheet.display import number_text

        difference = number_text(self.difference)
        if self.difference > 0:
            difference = f"+{difference}"
        words = {
            "better": gettext("better"),
            "worse": gettext("worse"),
            "same": gettext("unchanged"),
        }
        return f"{difference}, {words[self.verdict]}" if self.verdict else difference

    @property
    def text(self) -> str:
        """ "Voormeting → Nameting: 3,1 → 3,8 (+0,7, better)" in the reader's language."""
        from impact.worksheet.display import number_text

        return gettext("%(before)s → %(after)s: %(from)s → %(to)s (%(difference)s)") % {
            "before": self.before.moment_name,
            "after": self.after.moment_name,
            "from": number_text(self.before.value),
            "to": number_text(self.after.value),
            "difference": self.difference_text,
        }


def moment_change(values: Iterable[MomentValue], direction: str) -> MomentChange | None:
    """The change from the first measurement moment to the last (by start date), from the
    latest value at each; None with fewer than two moments. No queries."""
    latest: dict[int, MomentValue] = {}
    for value in values:
        if value.moment_id not in latest or value.order > latest[value.moment_id].order:
            latest[value.moment_id] = value
    if len(latest) < 2:
        return None
    ordered = sorted(latest.values(), key=lambda v: (v.starts_on, v.moment_id))
    return MomentChange(ordered[0], ordered[-1], direction or Indicator.Direction.INCREASE)


class Indicator(VersionedModel):
    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        PERCENTAGE = "percentage", _("percentage")
        SCALE = "scale", _("scale")
        QUALITATIVE = "qualitative", _("qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")
        MAINTAIN = "maintain", _("keep at the level")

    class Method(models.TextChoices):
        REGISTRATION = "registration", _("registration")
        SURVEY = "survey", _("survey")
        INTERVIEW = "interview", _("interview")
        OBSERVATION = "observation", _("observation")

    effect = models.ForeignKey(
        Effect, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("effect")
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True, max_length=2000)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.NUMBER)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.INCREASE
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    method = models.CharField(
        _("method"), max_length=20, choices=Method, default=Method.REGISTRATION
    )
    frequency = models.CharField(_("frequency"), max_length=100, blank=True)
    measured_by = models.CharField(_("who measures"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def latest_result(self) -> Result | None:
        """The latest result with a value (dated ones last, by date), from
        ``results.all()``: prefetched on the step pages, so no query there."""
        results = [r for r in self.results.all() if r.value is not None]
        if not results:
            return None
        return max(results, key=lambda r: (r.measured_on is not None, r.measured_on, r.pk))

    def moment_change(self) -> MomentChange | None:
        """The change from the first measurement moment to the last, from the results made
        at a moment, from ``results.all()`` with their ``moment`` (prefetched and selected
        on step 5, so no query there)."""
        values = [
            MomentValue(
                r.moment_id,
                r.moment.name,
                r.moment.starts_on,
                (r.measured_on is not None, r.measured_on, r.pk),
                r.value,
            )
            for r in self.results.all()
            if r.moment_id is not None and r.value is not None
        ]
        return moment_change(values, self.direction)

    def latest_progress(self) -> Progress | None:
        """How far the latest measured result is on the way to the target (``progress``),
        or None before anything is measured."""
        latest = self.latest_result()
        return None if latest is None else self.progress(latest.value)

    # A value that keeps its level may differ this much from it (a share of the level).
    LEVEL_TOLERANCE = Decimal("0.05")

    def progress(self, value: Decimal) -> Progress:
        """Where ``value`` stands between the baseline and the target, in the indicator's
        direction: the one rule behind the step page, the chart and the reports."""
        value = Decimal(value)
        baseline, target = self.baseline, self.target
        figures = {"value": value, "baseline": baseline, "target": target}
        direction = self.direction or self.Direction.INCREASE
        figures["direction"] = direction
        if target is None:
            return Progress(**figures, status="no_target")
        if direction == self.Direction.MAINTAIN:
            near = abs(value - target) <= abs(target) * self.LEVEL_TOLERANCE
            return Progress(**figures, status="at_level" if near else "off_level")
        lower_is_better = direction == self.Direction.DECREASE
        if (value <= target) if lower_is_better else (value >= target):
            return Progress(**figures, status="reached", percent=100)
        if baseline is None:
            return Progress(**figures, status="no_baseline")
        gained = (baseline - value) if lower_is_better else (value - baseline)
        if gained < 0 or baseline == target:
            return Progress(**figures, status="wrong_way", percent=0)
        if gained == 0:
            return Progress(**figures, status="no_change", percent=0)
        share = gained / abs(target - baseline) * 100
        # Not reached, so never 100 %; a step of any size is at least 1 %.
        percent = min(99, max(1, int(share.to_integral_value(rounding="ROUND_HALF_UP"))))
        return Progress(**figures, status="on_the_way", percent=percent)


class Result(VersionedModel):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True, max_length=3000)
    respondents = models.PositiveIntegerField(_("number of respondents"), null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # The worksheet's measurement moment the result belongs to ("Voormeting maart 2026",
    # with its dates), so begin and end compare: set by the questionnaire a result was made
    # from, or chosen in the result's form. Empty for a period that is only text.
    moment = models.ForeignKey(
        "impact.MeasurementMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("measurement moment"),
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period}"


class IllegalTransition(Exception):
    """A review state change that the current state does not allow."""


class StepReviewQuerySet(models.QuerySet):
    def states_for(self, worksheets) -> dict[int, dict[int, str]]:
        """Return {worksheet_id: {step: state}} for every step; one query.

        ``worksheets`` may be a queryset, worksheets or ids. A step without a review row is
        ``not_started``.
        """
        ids = [getattr(w, "pk", w) for w in worksheets]
        states = {pk: dict.fromkeys(Step.values, StepReview.State.NOT_STARTED) for pk in ids}
        rows = self.filter(worksheet_id__in=ids).values_list("worksheet_id", "step", "state")
        for worksheet_id, step, state in rows:
            states[worksheet_id][step] = state
        return states


class StepReview(TimeStampedModel):
    """The review state of one step of one worksheet.

    draft → submitted (by a participant) → returned or approved (by a trainer or
    coordinator); an approved or submitted step can be reopened to draft.
    """

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        DRAFT = "draft", _("in progress")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned for revision")
        APPROVED = "approved", _("approved")

    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="step_reviews",
        verbose_name=_("worksheet"),
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        help_text=_("A short explanation, for example what to improve."),
    )

    objects = StepReviewQuerySet.as_manager()

    # action: (states it may start from, state it leads to)
    TRANSITIONS = {
        "submit": ({"not_started", "draft", "returned"}, "submitted"),
        "approve": ({"submitted"}, "approved"),
        "return_for_revision": ({"submitted"}, "returned"),
        "reopen": ({"submitted", "approved"}, "draft"),
    }

    class Meta:
        verbose_name = _("step review")
        verbose_name_plural = _("step reviews")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "step"], name="impact_stepreview_unique")
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} – {self.get_step_display()}: {self.get_state_display()}"

    @classmethod
    def for_step(cls, worksheet: Worksheet, step: int) -> StepReview:
        """Return the review row of the step, creating it as not started; one or two queries."""
        review, _created = cls.objects.get_or_create(
            worksheet=worksheet, step=step, defaults={"state": cls.State.NOT_STARTED}
        )
        return review

    def _transition(self, action: str, *, by, note: str = "") -> None:
        """Move to the action's state with a conditional UPDATE, so that two reviewers
        acting at once cannot both succeed; raises IllegalTransition otherwise."""
        allowed, target = self.TRANSITIONS[action]

        updated = StepReview.objects.filter(pk=self.pk, state__in=allowed).update(
            state=target, changed_by=by, note=note, updated_at=timezone.now()
        )
        if not updated:
            self.refresh_from_db(fields=["state"])
            raise IllegalTransition(f"cannot {action} a step that is {self.state}")
        Worksheet.objects.filter(pk=self.worksheet_id).content_changed()
        self.refresh_from_db(fields=["state", "changed_by", "note", "updated_at"])

    def submit(self, *, by, note: str = "") -> None:
        self._transition("submit", by=by, note=note)

    def approve(self, *, by, note: str = "") -> None:
        self._transition("approve", by=by, note=note)

    def return_for_revision(self, *, by, note: str = "") -> None:
        self._transition("return_for_revision", by=by, note=note)

    def reopen(self, *, by, note: str = "") -> None:
        self._transition("reopen", by=by, note=note)

    def can(self, action: str) -> bool:
        return self.state in self.TRANSITIONS[action][0]


class Comment(TimeStampedModel):
    """Trainer feedback on a step or on one row, with replies and a resolved mark."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="comments", verbose_name=_("worksheet")
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step)
    # A row comment names the row by model and primary key, e.g. ("effect", 12).
    row_type = models.CharField(_("row type"), max_length=30, blank=True)
    row_id = models.PositiveBigIntegerField(_("row"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="worksheet_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=4000)
    # Peer review: written by a fellow organisation of the cohort rather than a trainer.
    from_fellow_organisation = models.BooleanField(
        _("from a fellow organisation"), default=False, editable=False
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    # What the comment is about, e.g. "Effect: Meer zelfvertrouwen"; set on the comments of a
    # page by ``impact.worksheet.selectors.label_rows``, not stored.
    row_label: str

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class Revision(models.Model):
    """One saved change of a worksheet row: who, when, and the row's fields after it."""

    class Action(models.TextChoices):
        CREATE = "create", _("added")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("removed")
        RESTORE = "restore", _("restored")

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("worksheet")
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step)
    row_type = models.CharField(_("row type"), max_length=30)
    row_id = models.PositiveBigIntegerField(_("row"))
    row_version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=10, choices=Action)
    data = models.JSONField(_("fields"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["worksheet", "row_type", "row_id"])]

    def __str__(self) -> str:
        return f"{self.row_type} {self.row_id} v{self.row_version}"


class Snapshot(models.Model):
    """The whole worksheet as it was at the end of a session, for diffs and reports."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("worksheet")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("session")
    )
    data = models.JSONField(_("worksheet data"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["session__date"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "session"], name="impact_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} @ {self.session}"


class Suggestion(TimeStampedModel):
    """A starter-kit item that participants pick and then edit; managed by coordinators."""

    class Kind(models.TextChoices):
        STAKEHOLDER = "stakeholder", _("stakeholder")
        EFFECT = "effect", _("effect")
        INDICATOR = "indicator", _("indicator")

    class Theme(models.TextChoices):
        LABOUR = "labour", _("labour participation")
        CIRCULAR = "circular", _("circular economy")
        GENERAL = "general", _("general")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme, default=Theme.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    # Stakeholder category for stakeholders; the stakeholder it is about for effects.
    category = models.CharField(_("category"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # What a stakeholder does for the practice: invests, experiences effects, or both.
    relation = models.CharField(
        _("relation"), max_length=20, choices=Stakeholder.Relation, blank=True
    )
    # Effects only: the kit's negative effects are unintended side effects.
    is_positive = models.BooleanField(_("positive"), default=True)
    # Indicator details: method, unit and kind to prefill the indicator form.
    method = models.CharField(_("method"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Indicator.Direction,
        default=Indicator.Direction.INCREASE,
    )
    source = models.CharField(_("source"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["kind", "theme", "title"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "title"], name="impact_suggestion_unique")
        ]

    def __str__(self) -> str:
        return self.title


class SuggestionUse(models.Model):
    """A starter-kit suggestion taken into a worksheet (``use_suggestion``): the row it
    became, and when. Kept when the row is edited or removed later: it counts what the kit
    was used for, which the programme view shows. Nothing about the person is stored."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="uses", verbose_name=_("suggestion")
    )
    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="suggestion_uses",
        verbose_name=_("worksheet"),
    )
    row_type = models.CharField(_("row type"), max_length=30)
    row_id = models.PositiveBigIntegerField(_("row"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("use of a suggestion")
        verbose_name_plural = _("uses of suggestions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["row_type", "row_id"], name="impact_suggestionuse_one_per_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} → {self.row_type} {self.row_id}"


class ReportExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportExportQuerySet:
        """People see the exports they asked for; coordinators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(requested_by=user)


class ReportExport(TimeStampedModel):
    """A report or data export, rendered in the background and kept for a while."""

    class Kind(models.TextChoices):
        ORGANISATION_PDF = "organisation_pdf", _("organisation impact report (PDF)")
        SUMMARY_PDF = "summary_pdf", _("one-page impact summary (PDF)")
        COHORT_PDF = "cohort_pdf", _("cohort report (PDF)")
        COHORT_CSV = "cohort_csv", _("cohort worksheets (CSV)")
        COHORT_XLSX = "cohort_xlsx", _("cohort worksheets (Excel)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("rendering")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("cohort"),
    )
    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("worksheet"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("as at the end of session"),
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="impact_reportexport_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


# The value step (SROI-light) ----------------------------------------------------------------

PERCENT_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")


class Beneficiary(models.TextChoices):
    """Who receives the value: the maatschappelijke business case's *baathebber*."""

    TARGET_GROUP = "target_group", _("the participants themselves")
    MUNICIPALITY = "municipality", _("the municipality")
    ORGANISATION = "organisation", _("our own organisation")
    STATE = "state", _("national government, UWV or health insurers")
    ENVIRONMENT = "environment", _("environment and society")
    OTHER = "other", _("someone else")


class ValueProxy(TimeStampedModel):
    """A financial proxy of the starter kit, with a source a funder can check."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("what it values"), max_length=2000)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    unit = models.CharField(_("per"), max_length=100)
    year = models.PositiveSmallIntegerField(_("price year"))
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    beneficiary = models.CharField(
        _("who receives it"), max_length=20, choices=Beneficiary, default=Beneficiary.OTHER
    )
    is_transfer = models.BooleanField(
        _("transfer"),
        default=False,
        help_text=_("Money moving from one party to another, such as a benefit payment."),
    )
    caveat = models.TextField(_("take care"), blank=True, max_length=1000)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("financial proxy")
        verbose_name_plural = _("financial proxies")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="impact_valueproxy_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ValueStep(VersionedModel):
    """The opt-in value step of a worksheet: its inputs, discount rate and perspective."""

    class Perspective(models.TextChoices):
        SOCIETY = "society", _("society as a whole")
        MUNICIPALITY = "municipality", _("the municipality")
        ORGANISATION = "organisation", _("our own organisation")

    DUTCH_RATE = Decimal("2.25")
    DUTCH_RATE_SOURCE = (
        "Rapport Werkgroep discontovoet 2020; standaard voor MKBA's sinds 2021 (Rijksoverheid)"
    )
    GREEN_BOOK_RATE = Decimal("3.50")
    GREEN_BOOK_RATE_SOURCE = "HM Treasury, The Green Book (2022): social time preference rate"

    worksheet = models.OneToOneField(
        Worksheet, on_delete=models.CASCADE, related_name="value_step", verbose_name=_("worksheet")
    )
    is_enabled = models.BooleanField(_("value step switched on"), default=False)
    input_money = models.DecimalField(
        _("money invested (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    input_in_kind = models.DecimalField(
        _("time and in kind, valued (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    inputs_note = models.TextField(_("how the inputs were valued"), blank=True, max_length=2000)
    discount_rate = models.DecimalField(
        _("discount rate (%)"), max_digits=5, decimal_places=2, default=DUTCH_RATE
    )
    discount_rate_source = models.CharField(
        _("source of the discount rate"), max_length=300, default=DUTCH_RATE_SOURCE
    )
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective, default=Perspective.SOCIETY
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("value step")
        verbose_name_plural = _("value steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0) & Q(discount_rate__lte=20),
                name="impact_valuestep_discount_rate_range",
            ),
            models.CheckConstraint(
                condition=(Q(input_money__isnull=True) | Q(input_money__gte=0))
                & (Q(input_in_kind__isnull=True) | Q(input_in_kind__gte=0)),
                name="impact_valuestep_inputs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet}: {self._meta.verbose_name}"

    @property
    def inputs(self) -> Decimal:
        return (self.input_money or Decimal(0)) + (self.input_in_kind or Decimal(0))

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class EffectValuation(VersionedModel):
    """The value-map columns of one effect: quantity, duration, proxy and the reductions."""

    effect = models.OneToOneField(
        Effect, on_delete=models.CASCADE, related_name="valuation", verbose_name=_("effect")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("How many people or units experience the change."),
    )
    duration = models.PositiveSmallIntegerField(_("duration (years)"), default=1)
    proxy = models.ForeignKey(
        ValueProxy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="valuations",
        verbose_name=_("from the library"),
    )
    proxy_description = models.CharField(_("financial proxy"), max_length=300, blank=True)
    proxy_amount = models.DecimalField(
        _("amount (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    proxy_unit = models.CharField(_("per"), max_length=100, blank=True)
    proxy_year = models.PositiveSmallIntegerField(_("price year"), null=True, blank=True)
    proxy_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    proxy_source = models.CharField(_("source of the proxy"), max_length=500, blank=True)
    deadweight = models.DecimalField(_("deadweight (%)"), max_digits=5, decimal_places=2, default=0)
    deadweight_reason = models.CharField(_("why"), max_length=500, blank=True)
    displacement = models.DecimalField(
        _("displacement (%)"), max_digits=5, decimal_places=2, default=0
    )
    displacement_reason = models.CharField(_("why"), max_length=500, blank=True)
    attribution = models.DecimalField(
        _("attribution (%)"), max_digits=5, decimal_places=2, default=0
    )
    attribution_reason = models.CharField(_("why"), max_length=500, blank=True)
    drop_off = models.DecimalField(_("drop-off (%)"), max_digits=5, decimal_places=2, default=0)
    drop_off_reason = models.CharField(_("why"), max_length=500, blank=True)
    beneficiary = models.CharField(
        _("who receives the value"),
        max_length=20,
        choices=Beneficiary,
        default=Beneficiary.TARGET_GROUP,
    )
    is_transfer = models.BooleanField(
        _("transfer"),
        default=False,
        help_text=_(
            "Money that moves from one party to another, such as a benefit payment saved: "
            "the society view leaves it out."
        ),
    )

    class Meta:
        verbose_name = _("effect valuation")
        verbose_name_plural = _("effect valuations")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": 100}),
                    name=f"impact_effectvaluation_{name}_percent",
                )
                for name in PERCENT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(duration__gte=1) & Q(duration__lte=30),
                name="impact_effectvaluation_duration_range",
            ),
            models.CheckConstraint(
                condition=(Q(quantity__isnull=True) | Q(quantity__gte=0))
                & (Q(proxy_amount__isnull=True) | Q(proxy_amount__gte=0)),
                name="impact_effectvaluation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effect}: {self.proxy_description}"


# The questionnaires are part of this app; their models live in their own module.
# The peer-review models live in their own module of this app.
from impact.peer_review.models import (  # noqa: E402, F401
    PeerReview,
    PeerReviewAssignment,
    PeerReviewOptOut,
    PeerReviewRound,
)
from impact.questionnaire.models import (  # noqa: E402, F401
    Answer,
    AnswerTally,
    MeasurementMoment,
    Question,
    Questionnaire,
    Response,
    ShareLink,
)
