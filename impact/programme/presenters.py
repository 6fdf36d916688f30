"""The programme view's body, from the cache where it can.

The rondes side by side and the themes cost seventeen queries and a table of some 160
figures. They are kept rendered in the ``fragments`` cache of the process (the step pages'
and the cohort grid's), one entry per programme and language, under a key made of
everything they show that can change:

- the programme itself (its name is in the text), its trainings, and its rondes (name,
  dates, status: each row's ``updated_at``; archiving one changes how many are current);
- the enrolments (an organisation joining, one withdrawing), the organisations' names, and
  each worksheet's ``content_version``, which every row, review, result, answered
  questionnaire and value step moves on (``impact.signals``): steps approved, effects,
  indicators with a result, target groups, stakeholders and the hints left open;
- the sessions (how many, their last change, and how many are held by *now*, so a dagdeel
  that ends counts without anyone saving anything) and their attendance;
- the participants' memberships, which decide for which organisation a person was present.

Building the key takes four small queries, against seventeen for the body; any save that
the page shows changes it, so the page is never shown stale. Entries also expire after
``OVERVIEW_SECONDS``, for what the key does not follow: a starter-kit suggestion renamed in
the library. Only coordinators reach the page, and they all see every ronde, so the person
is no part of the key. The report's "include the names" choice is no part of the page
(it goes with the PDF and Excel, which are rendered each time).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from impact.programme import selectors
from impact.worksheet.presenters import fragments
from organisations.models import Membership, Role, User
from trainings.models import Cohort, Enrolment, Programme, Session, Training

OVERVIEW_SECONDS = 600
# Part of the key: a deploy that changes the body's templates starts afresh.
OVERVIEW_REVISION = 1


def overview_version(*, programme: Programme) -> str:
    """A digest of everything the body shows that can change (four queries). Sums and
    counts rather than a row per ronde or organisation: a ``content_version`` only grows, so
    its sum grows with any change, and a ``Max("updated_at")`` moves with any save."""
    in_programme = Q(cohort__training__programme=programme)
    now = timezone.localtime()
    held = Q(date__lt=now.date()) | Q(date=now.date(), ends_at__lte=now.time())
    rondes = Training.objects.filter(programme=programme).aggregate(
        trainings=Count("pk", distinct=True),
        trainings_changed=Max("updated_at"),
        current=Count("cohorts", filter=~Q(cohorts__status=Cohort.Status.ARCHIVED), distinct=True),
        rondes_changed=Max("cohorts__updated_at"),
    )
    enrolments = Enrolment.objects.filter(in_programme).aggregate(
        count=Count("pk"),
        active=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        changed=Max("updated_at"),
        organisations_changed=Max("organisation__updated_at"),
        worksheets=Count("worksheet"),
        content=Sum("worksheet__content_version"),
    )
    # Sessions and their attendance in one query: the join repeats a session per
    # attendance, so the session counts are distinct.
    sessions = Session.objects.filter(in_programme).aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        held=Count("pk", filter=held, distinct=True),
        attendance=Count("attendances", distinct=True),
        last_attendance=Max("attendances__pk"),
    )
    memberships = Membership.objects.filter(
        role=Role.PARTICIPANT,
        organisation__enrolments__cohort__training__programme=programme,
    ).aggregate(count=Count("pk", distinct=True), changed=Max("updated_at"))
    parts = (rondes, enrolments, sessions, memberships, programme.name, programme.updated_at)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _render(request: HttpRequest, programme: Programme, user: User) -> SafeString:
    overview = selectors.programme_overview(programme=programme, user=user)
    html = render_to_string(
        "impact/programme/_overview_body.html",
        {"programme": programme, "overview": overview, "small_group": selectors.SMALL_GROUP},
        request,
    )
    return mark_safe(html)


def overview_body(request: HttpRequest, programme: Programme, *, user: User) -> SafeString:
    """The rondes side by side, the themes and the report's form, as ``user`` (a
    coordinator) sees them, rendered or from the cache (``IMPACTLAB_PAGE_CACHE``)."""
    if not settings.IMPACTLAB_PAGE_CACHE:
        return _render(request, programme, user)
    key = (
        f"programme-overview:{OVERVIEW_REVISION}:{programme.pk}:"
        f"{programme.created_at.timestamp()}:{get_language()}:"
        f"{overview_version(programme=programme)}"
    )
    body = fragments().get(key)
    if body is None:
        body = _render(request, programme, user)
        fragments().set(key, body, OVERVIEW_SECONDS)
    return body
