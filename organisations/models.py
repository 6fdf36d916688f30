from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
    def roles(self) -> frozenset[str]:
        """The roles this person holds in any organisation (one query, cached)."""
        if self.is_superuser:
            return frozenset({Role.COORDINATOR}) | frozenset(
                self.memberships.values_list("role", flat=True)
            )
        return frozenset(self.memberships.values_list("role", flat=True))

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
