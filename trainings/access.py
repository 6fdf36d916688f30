"""Who may change a cohort and what hangs on it: the one home of these rules.

Every object is fetched through ``visible_to`` (an outsider gets 404); changing a cohort,
or a session, enrolment or invitation of it, needs ``Cohort.objects.managed_by`` (a reader
gets 403). The worksheet views of ``impact`` use the same helpers.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from organisations.access import require_coordinator as require_coordinator
from organisations.models import User
from trainings.models import Cohort, Enrolment, Invitation, Session, Training


def can_manage(user: User | AnonymousUser, cohort: Cohort) -> bool:
    """Whether the person may change the cohort (one query unless coordinator)."""
    return Cohort.objects.managed_by(user).filter(pk=cohort.pk).exists()


def managed_cohort(user: User | AnonymousUser, pk: int) -> Cohort:
    """The cohort to change, with its training and programme: 404 when not visible, 403 when
    only readable (two queries)."""
    cohort = get_object_or_404(
        Cohort.objects.visible_to(user).select_related("training__programme"), pk=pk
    )
    if not can_manage(user, cohort):
        raise PermissionDenied
    return cohort


def cohort_managed_by(user: User | AnonymousUser, pk: int) -> Cohort:
    """The cohort with its training and programme, for pages only its managers have
    (the trainer's overview of the worksheets): everyone else gets a 404 (one query)."""
    return get_object_or_404(
        Cohort.objects.managed_by(user).select_related("training__programme"), pk=pk
    )


def managed_in_cohort[T: (Session, Enrolment, Invitation)](
    user: User | AnonymousUser, queryset: QuerySet[T], pk: int
) -> T:
    """A session, enrolment or invitation of a cohort the person manages (404, then 403;
    two queries)."""
    obj = get_object_or_404(
        queryset.filter(cohort__in=Cohort.objects.visible_to(user)).select_related(
            "cohort__training"
        ),
        pk=pk,
    )
    if not can_manage(user, obj.cohort):
        raise PermissionDenied
    return obj


def can_create_cohort(user: User, training: Training) -> bool:
    """Whether the person may start a cohort of the training (see ``open_for_cohorts_by``;
    one query unless coordinator)."""
    return user.is_coordinator or training.trainers.filter(pk=user.pk).exists()
