from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    InvitationBase,
    Organisation,
    Role,
    TimeStampedModel,
    accepted_by_field,
)
from organisations.models import InvitationQuerySet as BaseInvitationQuerySet
from organisations.models import hash_token as hash_token  # the tests' factories use it
from trainings.agenda import AgendaItem, parse_agenda


class Step(models.IntegerChoices):
    """The six steps of the impact worksheet: the one list, kept here in the lower app so that
    a session can name the steps it works on without importing ``impact``, whose models
    re-export it as ``impact.models.Step``."""

    SCOPE = 1, _("Scope and impact goal")
    STAKEHOLDERS = 2, _("Stakeholders")
    ACTIVITIES = 3, _("Activities")
    EFFECTS = 4, _("Effects")
    INDICATORS = 5, _("Indicators and measurement")
    LEARNING = 6, _("Learning and communication")


def default_steps(session_number: int) -> list[int]:
    """The steps session n of a cohort usually works on: [2n-1, 2n], within 1-6."""
    return [step for step in (2 * session_number - 1, 2 * session_number) if step in Step.values]


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Coordinators see every programme; trainers those they train in."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(
            Q(trainings__trainers=user) | Q(trainings__cohorts__trainers=user)
        ).distinct()

    def with_cohort_summary(self) -> ProgrammeQuerySet:
        """Programmes with their trainings and current cohorts; three queries in all."""
        cohorts = Cohort.objects.current().with_counts().order_by("-starts_on")
        return self.prefetch_related(
            models.Prefetch(
                "trainings",
                queryset=Training.objects.select_related("project").prefetch_related(
                    models.Prefetch("cohorts", queryset=cohorts)
                ),
            )
        )


class Programme(TimeStampedModel):
    """A programme of the cooperative, such as Programma Impact."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    introduced_by = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduced_programmes",
        verbose_name=_("introduced by"),
        help_text=_("The member organisation that brought this programme into the cooperative."),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trainings:programme_detail", args=[self.pk])


class Project(TimeStampedModel):
    """A project that trainings can run in, such as "Met Kringloop meer werk!"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("partner"),
        help_text=_("For example the branch association whose members take part."),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrainingQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(Q(trainers=user) | Q(cohorts__trainers=user)).distinct()

    def open_for_cohorts_by(self, user) -> TrainingQuerySet:
        """The trainings in which the person may start a cohort: coordinators every one,
        trainers those they are a trainer of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(trainers=user)


class Training(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("programme")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("project"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trainings",
        verbose_name=_("trainers"),
        limit_choices_to={"memberships__role": Role.TRAINER},
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["programme__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="trainings_training_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trainings:training_detail", args=[self.pk])


def participating_cohort_ids(user) -> models.QuerySet:
    """Ids of the cohorts in which one of the person's organisations takes part (a subquery)."""
    return Enrolment.objects.filter(
        organisation__memberships__person=user,
        organisation__memberships__role=Role.PARTICIPANT,
        withdrawn_at__isnull=True,
    ).values("cohort_id")


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        """Coordinators: all; trainers: the cohorts they train; participants: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        # A subquery, not a join, so that annotations over enrolments still count them all.
        return self.filter(
            Q(pk__in=Cohort.trainers.through.objects.filter(user=user).values("cohort_id"))
            | Q(pk__in=participating_cohort_ids(user))
        )

    def managed_by(self, user) -> CohortQuerySet:
        """The cohorts this person may change: coordinators all, trainers their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(trainers=user).distinct()

    def trained_by(self, user) -> CohortQuerySet:
        return self.filter(trainers=user)

    def attended_by(self, user) -> CohortQuerySet:
        """Cohorts in which one of the person's organisations takes part."""
        return self.filter(pk__in=participating_cohort_ids(user))

    def current(self) -> CohortQuerySet:
        return self.exclude(status=Cohort.Status.ARCHIVED)

    def with_counts(self) -> CohortQuerySet:
        """Annotate organisation and session counts and the training, in the same query."""
        return (
            self.select_related("training__programme")
            .annotate(
                organisation_count=models.Count(
                    "enrolments",
                    filter=Q(enrolments__withdrawn_at__isnull=True),
                    distinct=True,
                ),
                session_count=models.Count("sessions", distinct=True),
            )
            .order_by("-starts_on", "name")
        )


class Cohort(TimeStampedModel):
    """One round of a training with its group of organisations."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        ARCHIVED = "archived", _("archived")

    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("training")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=8, help_text=_("The most organisations that can take part.")
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="trained_cohorts", verbose_name=_("trainers")
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="trainings_cohort_ends_after_start",
                violation_error_message=_("The last day cannot lie before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="trainings_cohort_capacity_positive",
                violation_error_message=_("A cohort has room for at least one organisation."),
            ),
            models.UniqueConstraint(
                fields=["training", "name"],
                name="trainings_cohort_unique_name",
                violation_error_message=_("This training already has a cohort with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} – {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:cohort_detail", args=[self.pk])

    # The status moves forward one step at a time; archiving is what deleting does.
    NEXT_STATUS = {Status.PLANNED: Status.RUNNING, Status.RUNNING: Status.FINISHED}

    @property
    def next_status(self) -> str | None:
        return self.NEXT_STATUS.get(self.status)

    def get_next_status_display(self) -> str:
        return self.Status(self.next_status).label if self.next_status else ""

    # The status labels are adjectives ("running"); a button and its message need a verb.
    STATUS_ACTIONS = {
        Status.RUNNING: (_("Start the cohort"), _("The cohort has started.")),
        Status.FINISHED: (_("Finish the cohort"), _("The cohort is finished.")),
    }

    def get_next_status_action(self) -> str:
        """Return the label of the button that moves the cohort on, or "" at the end."""
        return self.STATUS_ACTIONS[self.next_status][0] if self.next_status else ""

    def get_status_reached_message(self) -> str:
        """Return the sentence that confirms the status the cohort has just reached."""
        return self.STATUS_ACTIONS[self.status][1]

    def advance_status(self) -> None:
        """Move planned → running → finished and save; raises ValueError at the end."""
        if self.next_status is None:
            raise ValueError(f"Cohort {self.pk} cannot move on from {self.status}.")
        self.status = self.next_status
        self.save(update_fields=["status", "updated_at"])

    def has_worksheets(self) -> bool:
        """Whether an enrolment has a worksheet (one query); then the cohort is archived."""
        return Enrolment.objects.filter(cohort=self, worksheet__isnull=False).exists()

    def is_full(self) -> bool:
        """Whether the active enrolments fill the capacity (one query)."""
        return self.enrolments.active().count() >= self.capacity

    # A first session without an earlier one to follow: a morning.
    FIRST_SESSION_TIMES = (dt.time(9, 30), dt.time(13, 0))

    def next_session_slot(self) -> tuple[dt.date, dt.time, dt.time]:
        """Date, start and end to suggest for a new session (one query).

        A week after the latest session at its times, but not past the cohort's last day;
        the cohort's first day in the morning when there is no session yet.
        """
        latest = self.sessions.order_by("-date", "-starts_at").first()
        if latest is None:
            return (self.starts_on, *self.FIRST_SESSION_TIMES)
        date = min(latest.date + dt.timedelta(weeks=1), max(self.ends_on, latest.date))
        return (date, latest.starts_at, latest.ends_at)


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        return self.filter(cohort__in=Cohort.objects.visible_to(user))

    def attended_by(self, user) -> SessionQuerySet:
        return self.filter(cohort__in=Cohort.objects.attended_by(user))

    def upcoming(self, today: dt.date) -> SessionQuerySet:
        """Sessions from today on, soonest first, with cohort and host in the same query."""
        return (
            self.filter(date__gte=today)
            .exclude(cohort__status=Cohort.Status.ARCHIVED)
            .select_related("cohort__training", "host")
            .order_by("date", "starts_at")
        )


class Session(TimeStampedModel):
    """A half-day session (dagdeel) of a cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_sessions",
        verbose_name=_("host organisation"),
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=4000)
    # Worksheet step numbers (1-6) this session works on; the impact app names them.
    steps = models.JSONField(_("worksheet steps"), default=list, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="trainings_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def get_steps_display(self) -> list[str]:
        labels = dict(Step.choices)
        return [f"{step}. {labels[step]}" for step in self.steps if step in labels]

    def has_records(self) -> bool:
        """Whether attendance or other records (e.g. worksheet snapshots) hang on this session.

        Runs one query per related model that would be deleted with the session.
        """
        for relation in self._meta.related_objects:
            if (
                relation.on_delete is models.CASCADE
                and not relation.many_to_many
                and getattr(self, relation.get_accessor_name()).exists()
            ):
                return True
        return False

    def timeboxes(self) -> list[AgendaItem]:
        """The agenda read as timeboxes, the last ending with the dagdeel (no queries)."""
        return parse_agenda(self.agenda, ends=self.ends_at)

    @property
    def starts(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.starts_at))

    @property
    def ends(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.ends_at))


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        return self.filter(cohort__in=Cohort.objects.visible_to(user))

    def active(self) -> EnrolmentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Enrolment(TimeStampedModel):
    """An organisation taking part in a cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("organisation"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"],
                name="trainings_enrolment_unique",
                violation_error_message=_("This organisation is already enrolled in the cohort."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def withdraw(self) -> None:
        """Mark the organisation as withdrawn; its data stays for the coordinator."""
        if self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.save(update_fields=["withdrawn_at", "updated_at"])


class InvitationQuerySet(BaseInvitationQuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        """Invitations are the business of those who run the cohort."""
        return self.filter(cohort__in=Cohort.objects.managed_by(user))

    def by_token(self, token: str) -> Invitation | None:
        """The invitation whose link carries this token, with its cohort and organisation,
        or None (one query)."""
        return super(
            InvitationQuerySet, self.select_related("cohort__training", "organisation")
        ).by_token(token)


class Invitation(InvitationBase):
    """An invitation by email for a person to join an enrolled organisation in a cohort.

    The token, expiry and states are those of every invitation (``InvitationBase``).
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("cohort")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    # The reverse name it had before the shared base.
    accepted_by = accepted_by_field(related_name="accepted_invitations")

    objects = InvitationQuerySet.as_manager()

    class Meta(InvitationBase.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(withdrawn_at__isnull=True),
                name="trainings_invitation_unique_open",
                violation_error_message=_("This address is already invited to the cohort."),
            ),
            *InvitationBase.Meta.constraints,
        ]


class Attendance(models.Model):
    """A person who attended a session; absence is the lack of a row."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("person"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="trainings_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"


# The mails between the dagdelen live in their own module of this app.
from trainings.mail_models import MailKind, MailPreferences, Notice, SentMail  # noqa: E402, F401
