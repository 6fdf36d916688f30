"""The cohort overview's grid, from the cache where it can.

The grid (every organisation by step, last activity, open feedback, attendance) costs five
queries and a large template. It is kept rendered in the ``fragments`` cache of the process,
under a key made of everything it shows that can change: each active worksheet's
``content_version`` (bumped by every row, review, comment and revision,
``impact.signals``), the organisations' and enrolments' last change, the cohort's sessions
(and how many are held by now), its attendance and the participants' memberships, and the
language. Building the key takes three small queries; a save by anyone changes it, so the
grid is never shown stale. Entries also expire after ``GRID_SECONDS``, for what the key
does not follow (the name of the person who made the last change).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from impact.models import StepReview
from impact.worksheet import selectors
from impact.worksheet.presenters import fragments
from organisations.models import Membership, Role
from trainings.models import Cohort, Session

GRID_SECONDS = 600
# Part of the key: a deploy that changes the grid's template starts afresh.
GRID_REVISION = 1


@dataclass(frozen=True)
class Grid:
    html: SafeString
    organisations: int
    held: int


def grid_version(*, cohort: Cohort) -> str:
    """A digest of everything the grid shows that can change (three queries)."""
    worksheets = list(
        selectors.active_cohort_worksheets(cohort=cohort)
        .order_by("pk")
        .values_list(
            "pk",
            "content_version",
            "enrolment__updated_at",
            "enrolment__organisation_id",
            "enrolment__organisation__updated_at",
        )
    )
    now = timezone.localtime()
    held = Q(date__lt=now.date()) | Q(date=now.date(), ends_at__lte=now.time())
    # Sessions and their attendance in one query: the join repeats a session per attendance,
    # so the session counts are distinct.
    sessions = Session.objects.filter(cohort=cohort).aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        held=Count("pk", filter=held, distinct=True),
        attendance=Count("attendances", distinct=True),
        last_attendance=Max("attendances__pk"),
    )
    memberships = Membership.objects.filter(
        role=Role.PARTICIPANT, organisation__in=[row[3] for row in worksheets]
    ).aggregate(count=Count("pk"), changed=Max("updated_at"))
    parts = (worksheets, sessions, memberships, cohort.updated_at)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _render(request: HttpRequest, cohort: Cohort) -> Grid:
    overview = selectors.cohort_overview(cohort=cohort)
    html = render_to_string(
        "impact/_cohort_grid.html",
        {"cohort": cohort, "overview": overview, "states": StepReview.State},
        request,
    )
    return Grid(html=mark_safe(html), organisations=len(overview.rows), held=overview.held)


def cohort_grid(request: HttpRequest, cohort: Cohort) -> Grid:
    """The grid of the cohort, rendered or from the cache (``IMPACTLAB_PAGE_CACHE``)."""
    if not settings.IMPACTLAB_PAGE_CACHE:
        return _render(request, cohort)
    key = (
        f"cohort-grid:{GRID_REVISION}:{cohort.pk}:{cohort.created_at.timestamp()}:"
        f"{get_language()}:{grid_version(cohort=cohort)}"
    )
    grid = fragments().get(key)
    if grid is None:
        grid = _render(request, cohort)
        fragments().set(key, grid, GRID_SECONDS)
    return grid
