from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    TRAINER = "trainer", _("trainer")
    PARTICIPANT = "participant", _("participant")


# The roles of the cooperative's own people, given on the Team page.
STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address; roles come from memberships."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @cached_property
    def _memberships(self) -> frozenset[tuple[str, int]]:
        """(role, organisation id) of every membership: one query a request, which answers
        both the roles and whose participant the person is."""
        return frozenset(self.memberships.values_list("role", "organisation_id"))

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this person holds in any organisation (the query of ``_memberships``)."""
        roles = frozenset(role for role, _organisation in self._memberships)
        return roles | {Role.COORDINATOR} if self.is_superuser else roles

    def participates_in(self, organisation_id: int) -> bool:
        """A participant of this organisation (no query beyond the roles' one)."""
        return (Role.PARTICIPANT, organisation_id) in self._memberships

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def is_trainer(self) -> bool:
        return Role.TRAINER in self.roles

    @property
    def is_participant(self) -> bool:
        return Role.PARTICIPANT in self.roles

    # Coordinators manage everything in the admin, without per-model permission rows.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and (self.is_coordinator or super().has_perm(perm, obj))

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and (self.is_coordinator or super().has_module_perms(app_label))


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations a person may know of: their own, and those they meet in a cohort."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.all()
        return self.filter(
            Q(memberships__person=user)
            | Q(enrolments__cohort__trainers=user)
            | Q(
                enrolments__cohort__enrolments__organisation__memberships__person=user,
                enrolments__cohort__enrolments__withdrawn_at__isnull=True,
            )
        ).distinct()

    def staff_homes(self) -> OrganisationQuerySet:
        """Where trainers and coordinators work: the cooperative and its members."""
        return self.filter(kind__in=[Organisation.Kind.COOPERATIVE, Organisation.Kind.MEMBER])


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("cooperative")
        MEMBER = "member", _("member of the cooperative")
        PARTICIPANT = "participant", _("participant organisation")
        NETWORK = "network", _("network")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PARTICIPANT)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    mission = models.TextField(_("mission and vision"), blank=True, max_length=4000)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk])

    def can_be_edited_by(self, user) -> bool:
        """Coordinators and the organisation's own people edit its profile (one query)."""
        return user.is_coordinator or self.memberships.filter(person=user).exists()


class MembershipQuerySet(models.QuerySet):
    def staff(self) -> MembershipQuerySet:
        """Trainer and coordinator roles, with person and organisation (one query)."""
        return (
            self.filter(role__in=STAFF_ROLES)
            .select_related("person", "organisation")
            .order_by("person__first_name", "person__last_name", "person__email", "role")
        )


class Membership(TimeStampedModel):
    """Links a person to an organisation in one role; a person may hold several."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                name="organisations_membership_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation} ({self.get_role_display()})"


# ---------------------------------------------------------------------------------------------
# Invitations by mail: the cohort's (trainings.Invitation) and the Team page's (StaffInvitation)
# share the token, its expiry and the states.


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def by_token(self, token: str):
        """The invitation whose link carries this token, or None (one query)."""
        return self.filter(token_hash=hash_token(token)).first()

    def open(self):
        """Invitations that are not withdrawn: sent, expired or accepted."""
        return self.filter(withdrawn_at__isnull=True)

    def pending(self):
        """Invitations still waiting for an answer: sent or expired."""
        return self.filter(withdrawn_at__isnull=True, accepted_at__isnull=True)


def accepted_by_field(*, related_name: str) -> models.ForeignKey:
    """The person who accepted an invitation (a model may keep an older reverse name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("accepted by"),
    )


class InvitationBase(TimeStampedModel):
    """An invitation by email with a personal link that works once, until it expires.

    Only a hash of the token is stored: the link in the mail is the only copy.
    """

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = accepted_by_field(related_name="accepted_%(class)ss")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("sent_at")),
                name="%(app_label)s_%(class)s_expires_after_sent",
                violation_error_message=_("An invitation must expire after it is sent."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def new_token(self) -> str:
        """Give the invitation a fresh token and expiry; returns the token for the mail."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + dt.timedelta(days=settings.IMPACTLAB_INVITATION_DAYS)
        return token

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.withdrawn_at:
            return self.State.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.SENT

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def can_be_used(self) -> bool:
        return self.state == self.State.SENT

    @property
    def can_be_resent(self) -> bool:
        return self.state in {self.State.SENT, self.State.EXPIRED}

    def withdraw(self) -> None:
        """Withdraw an invitation that is not yet accepted; its link stops working."""
        if self.accepted_at is None and self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.save(update_fields=["withdrawn_at", "updated_at"])

    def mark_accepted(self, *, by: User) -> None:
        self.accepted_at = timezone.now()
        self.accepted_by = by
        self.save(update_fields=["accepted_at", "accepted_by", "updated_at"])


class StaffInvitationQuerySet(InvitationQuerySet):
    def visible_to(self, user) -> StaffInvitationQuerySet:
        """Giving people a role is the coordinators' business."""
        if not user.is_authenticated or not user.is_coordinator:
            return self.none()
        return self.all()


class StaffInvitation(InvitationBase):
    """An invitation to become a trainer (of the cooperative or a member organisation) or a
    coordinator (of the cooperative), sent from the Team page."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    language = models.CharField(
        _("language of the mail"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    objects = StaffInvitationQuerySet.as_manager()

    class Meta(InvitationBase.Meta):
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            *InvitationBase.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "role", "email"],
                condition=Q(withdrawn_at__isnull=True, accepted_at__isnull=True),
                name="organisations_staffinvitation_unique_pending",
                violation_error_message=_("This address is already invited in this role."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=STAFF_ROLES),
                name="organisations_staffinvitation_staff_role",
                violation_error_message=_("The Team page invites trainers and coordinators."),
            ),
        ]
