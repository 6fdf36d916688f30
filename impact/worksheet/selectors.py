"""Read-side queries for feedback, the starter kit and the cohort-wide views.

Each function says how many queries it costs; none grows with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impact.models import (
    Activity,
    Comment,
    Effect,
    Indicator,
    Result,
    Revision,
    Step,
    StepReview,
    Worksheet,
)
from impact.rows import LIST_ROW_TYPES
from organisations.models import Organisation, Role, User
from trainings.models import Attendance, Cohort, Session

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- rows a comment can be about ------------------------------------------------------


def step_rows(*, worksheet: Worksheet, step: int) -> dict[tuple[str, int], str]:
    """The rows of one step as {(row_type, pk): label}; one query per row type of the step."""
    rows: dict[tuple[str, int], str] = {}
    for row_type in LIST_ROW_TYPES.values():
        if row_type.step != step:
            continue
        verbose = row_type.model._meta.verbose_name
        queryset = row_type.rows_of(worksheet)
        for pk, label in queryset.values_list("pk", row_type.title_field or "pk"):
            text = str(label)
            rows[(row_type.slug, pk)] = f"{verbose}: {text[:70]}{'…' if len(text) > 70 else ''}"
    return rows


def label_rows(*, comments: Iterable[Comment]) -> None:
    """Set ``row_label`` on comments about a row; one query per row type that occurs."""
    wanted: dict[str, set[int]] = {}
    for comment in comments:
        if comment.row_type and comment.row_id:
            wanted.setdefault(comment.row_type, set()).add(comment.row_id)
    labels: dict[tuple[str, int | None], str] = {}
    for name, ids in wanted.items():
        kind = LIST_ROW_TYPES.get(name)
        if kind is None:
            continue
        verbose = kind.model._meta.verbose_name
        for pk, label in kind.model._default_manager.filter(pk__in=ids).values_list(
            "pk", kind.title_field or "pk"
        ):
            text = str(label)
            labels[(name, pk)] = f"{verbose}: {text[:70]}{'…' if len(text) > 70 else ''}"
    for comment in comments:
        comment.row_label = labels.get((comment.row_type, comment.row_id), "")


@dataclass(frozen=True)
class RowComments:
    """The feedback on one row: how many threads, how many still open, and the first one."""

    total: int
    open: int
    first_id: int


def row_comment_counts(*, worksheet: Worksheet, step: int) -> dict[tuple[str, int], RowComments]:
    """The feedback threads per row of one step, by (row type, row id); one query."""
    rows = (
        Comment.objects.filter(
            worksheet=worksheet, step=step, parent__isnull=True, row_id__isnull=False
        )
        .exclude(row_type="")
        .values("row_type", "row_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
            first_id=Min("pk"),
        )
        .order_by()
    )
    return {
        # The filter above leaves out comments on no row.
        (row["row_type"], cast(int, row["row_id"])): RowComments(
            row["total"], row["open"], row["first_id"]
        )
        for row in rows
    }


def row_belongs_to(*, worksheet: Worksheet, row_type: str, row_id: int) -> bool:
    """Whether the row exists in this worksheet (one query)."""
    kind = LIST_ROW_TYPES.get(row_type)
    if kind is None:
        return False
    return kind.rows_of(worksheet).filter(pk=row_id).exists()


# --- feedback -------------------------------------------------------------------------

OPEN = Q(parent__isnull=True, resolved_at__isnull=True)


def open_comment_counts(*, worksheets: Iterable[int] | models.QuerySet) -> dict[int, int]:
    """Open feedback (unresolved top-level comments) per worksheet id, in one query."""
    rows = (
        Comment.objects.filter(OPEN, worksheet__in=worksheets)
        .order_by()
        .values("worksheet")
        .annotate(open=Count("pk"))
    )
    return {row["worksheet"]: row["open"] for row in rows}


def open_comment_counts_by_step(*, worksheet: Worksheet) -> dict[int, int]:
    """Open feedback of one worksheet per step (one query)."""
    rows = (
        Comment.objects.filter(OPEN, worksheet=worksheet)
        .order_by()
        .values("step")
        .annotate(open=Count("pk"))
    )
    return {row["step"]: row["open"] for row in rows}


def with_open_comment_count(*, queryset: models.QuerySet) -> models.QuerySet:
    """Annotate worksheets with ``open_comment_count`` in the same query."""
    open_comments = (
        Comment.objects.filter(OPEN, worksheet=OuterRef("pk"))
        .order_by()
        .values("worksheet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(open_comment_count=Coalesce(Subquery(open_comments), 0))


def thread_comments(
    *, worksheet: Worksheet, step: int | None = None, only_open: bool = False
) -> models.QuerySet[Comment]:
    """Top-level comments with authors and replies: two queries."""
    comments = Comment.objects.filter(worksheet=worksheet, parent__isnull=True)
    if step is not None:
        comments = comments.filter(step=step)
    if only_open:
        comments = comments.filter(resolved_at__isnull=True)
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return comments.select_related("author", "resolved_by").prefetch_related(
        Prefetch("replies", queryset=replies)
    )


# --- the cohort overview --------------------------------------------------------------

# Any filled field of the worksheet's own steps counts as content (a ticked reason too).
SCOPE_FIELDS = Worksheet.SCOPE_FIELDS
LEARNING_FIELDS = Worksheet.LEARNING_FIELDS


def _row_count(model: type[models.Model], path: str) -> Coalesce:
    rows = (
        model._default_manager.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def step_state(*, review_state: str | None, has_content: bool) -> str:
    """A step's state: the StepReview's if there is one, else in progress once it has content.

    Kept simple on purpose: a participant who typed something is "in progress" until
    they submit; a StepReview row always wins.
    """
    if review_state and not (review_state == StepReview.State.NOT_STARTED and has_content):
        return review_state
    return StepReview.State.DRAFT if has_content else StepReview.State.NOT_STARTED


# Short words for the grid's cells; the legend above the grid gives the full names.
SHORT_STATE_LABELS: dict[str, StrOrPromise] = {
    StepReview.State.NOT_STARTED: "–",
    StepReview.State.DRAFT: _("in progress"),
    StepReview.State.SUBMITTED: _("submitted"),
    StepReview.State.RETURNED: _("returned"),
    StepReview.State.APPROVED: _("approved"),
}


# Short step names for the grid's column heads; the full name is in their title.
SHORT_STEP_LABELS: dict[int, StrOrPromise] = {
    Step.SCOPE: _("Goal"),
    Step.STAKEHOLDERS: _("Stakeholders"),
    Step.ACTIVITIES: _("Activities"),
    Step.EFFECTS: _("Effects"),
    Step.INDICATORS: _("Indicators"),
    Step.LEARNING: _("Learning"),
}


@dataclass
class StepCell:
    step: int
    label: StrOrPromise
    state: str
    state_label: StrOrPromise
    short_label: StrOrPromise
    rows: int | None
    url: str


@dataclass
class OverviewRow:
    worksheet: Worksheet
    cells: list[StepCell]
    open_feedback: int
    last_activity: Revision | None
    attended: int
    held: int

    @property
    def organisation(self) -> Organisation:
        return self.worksheet.enrolment.organisation


@dataclass
class CohortOverview:
    cohort: Cohort
    rows: list[OverviewRow]
    held: int
    steps: list[tuple[int, StrOrPromise, StrOrPromise]] = field(
        default_factory=lambda: [
            (step, label, SHORT_STEP_LABELS[step]) for step, label in Step.choices
        ]
    )

    def waiting_for_review(self) -> list[int]:
        """Per step, how many worksheets wait for the trainer."""
        return [
            sum(1 for row in self.rows if row.cells[i].state == StepReview.State.SUBMITTED)
            for i in range(len(self.steps))
        ]


def sessions_held(*, cohort: Cohort, now: dt.datetime | None = None) -> models.QuerySet:
    """Sessions of the cohort that have ended."""
    now = timezone.localtime(now)
    return Session.objects.filter(cohort=cohort).filter(
        Q(date__lt=now.date()) | Q(date=now.date(), ends_at__lte=now.time())
    )


def active_cohort_worksheets(*, cohort: Cohort) -> models.QuerySet:
    """The worksheets of the cohort's active enrolments, organisation joined in: what the
    cohort-wide pages list (no rows; reports read ``data.cohort_report_worksheets``)."""
    return Worksheet.objects.filter(
        enrolment__cohort=cohort, enrolment__withdrawn_at__isnull=True
    ).select_related("enrolment__organisation")


def cohort_overview(*, cohort: Cohort) -> CohortOverview:
    """The trainer's grid of a cohort. Five queries, whatever the number of organisations:

    1. worksheets with organisation, row counts per step, open feedback and last revision id;
    2. the step reviews of those worksheets;
    3. the last revisions with their authors;
    4. the number of sessions held;
    5. sessions attended per organisation.
    """
    # A step's rows, for the grid: those its page lists at the top (see ``RowType.heads_step``).
    counts = {
        f"rows_{rt.step}": _row_count(rt.model, rt.in_worksheet)
        for rt in LIST_ROW_TYPES.values()
        if rt.heads_step
    }
    last_revision = Revision.objects.filter(worksheet=OuterRef("pk")).order_by("-created_at", "-pk")
    worksheets = list(
        with_open_comment_count(queryset=active_cohort_worksheets(cohort=cohort))
        .annotate(**counts, last_revision_id=Subquery(last_revision.values("pk")[:1]))
        .order_by("enrolment__organisation__name")
    )
    reviews = {
        (review.worksheet_id, review.step): review.state
        for review in StepReview.objects.filter(worksheet__in=[w.pk for w in worksheets]).only(
            "worksheet_id", "step", "state"
        )
    }
    revision_ids = [w.last_revision_id for w in worksheets if w.last_revision_id]
    revisions = Revision.objects.select_related("author").in_bulk(revision_ids)
    held = sessions_held(cohort=cohort)
    held_count = held.count()
    organisation_ids = [w.enrolment.organisation_id for w in worksheets]
    attended = {
        row["person__memberships__organisation"]: row["sessions"]
        for row in Attendance.objects.filter(
            session__in=held,
            person__memberships__role=Role.PARTICIPANT,
            person__memberships__organisation__in=organisation_ids,
        )
        .order_by()
        .values("person__memberships__organisation")
        .annotate(sessions=Count("session", distinct=True))
    }
    states = dict(StepReview.State.choices)
    rows = []
    for worksheet in worksheets:
        cells = []
        for step, label in Step.choices:
            row_count = getattr(worksheet, f"rows_{step}", None)
            has_content = _has_content(worksheet, step, row_count)
            state = step_state(
                review_state=reviews.get((worksheet.pk, step)), has_content=has_content
            )
            cells.append(
                StepCell(
                    step=step,
                    label=label,
                    state=state,
                    state_label=states[state],
                    short_label=SHORT_STATE_LABELS[state],
                    rows=row_count,
                    url=reverse("impact:worksheet_step", args=[worksheet.pk, step]),
                )
            )
        rows.append(
            OverviewRow(
                worksheet=worksheet,
                cells=cells,
                open_feedback=worksheet.open_comment_count,
                last_activity=revisions.get(worksheet.last_revision_id),
                attended=attended.get(worksheet.enrolment.organisation_id, 0),
                held=held_count,
            )
        )
    return CohortOverview(cohort=cohort, rows=rows, held=held_count)


def _has_content(worksheet: Worksheet, step: int, row_count: int | None) -> bool:
    if step == Step.SCOPE:
        return bool(row_count) or any(getattr(worksheet, name) for name in SCOPE_FIELDS)
    if step == Step.LEARNING:
        return any(getattr(worksheet, name) for name in LEARNING_FIELDS)
    return bool(row_count)


# --- side by side ---------------------------------------------------------------------


def side_by_side(*, cohort: Cohort, step: int) -> list[Worksheet]:
    """All worksheets of the cohort with the rows of one step. At most six queries:

    worksheets with open feedback on the step; their review of the step; and the rows of
    the step (target groups; stakeholders; activities and outputs; effects with their
    stakeholder; effects, indicators and results).
    """
    open_on_step = (
        Comment.objects.filter(OPEN, worksheet=OuterRef("pk"), step=step)
        .order_by()
        .values("worksheet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    prefetches: list = [
        Prefetch(
            "step_reviews", queryset=StepReview.objects.filter(step=step), to_attr="step_review"
        )
    ]
    if step == Step.SCOPE:
        prefetches.append("target_groups")
    elif step == Step.STAKEHOLDERS:
        prefetches.append("stakeholders")
    elif step == Step.ACTIVITIES:
        prefetches.append(
            Prefetch(
                "activities",
                queryset=Activity.objects.prefetch_related("outputs"),
            )
        )
    elif step == Step.EFFECTS:
        prefetches.append(
            Prefetch("effects", queryset=Effect.objects.select_related("stakeholder"))
        )
    elif step == Step.INDICATORS:
        prefetches.append(
            Prefetch(
                "effects",
                queryset=Effect.objects.prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.prefetch_related(
                            Prefetch(
                                "results", queryset=Result.objects.order_by("-measured_on", "-pk")
                            )
                        ),
                    )
                ),
            )
        )
    worksheets = list(
        active_cohort_worksheets(cohort=cohort)
        .annotate(open_on_step=Coalesce(Subquery(open_on_step), 0))
        .prefetch_related(*prefetches)
        .order_by("enrolment__organisation__name")
    )
    states = dict(StepReview.State.choices)
    for worksheet in worksheets:
        review = worksheet.step_review[0].state if worksheet.step_review else None
        worksheet.step_state = step_state(
            review_state=review, has_content=_side_has_content(worksheet, step)
        )
        worksheet.step_state_label = states[worksheet.step_state]
    return worksheets


def _side_has_content(worksheet: Worksheet, step: int) -> bool:
    """Whether the step has content, from what side_by_side prefetched (no queries)."""
    if step == Step.SCOPE:
        return bool(worksheet.target_groups.all()) or any(
            getattr(worksheet, name) for name in SCOPE_FIELDS
        )
    if step == Step.STAKEHOLDERS:
        return bool(worksheet.stakeholders.all())
    if step == Step.ACTIVITIES:
        return bool(worksheet.activities.all())
    if step == Step.EFFECTS:
        return bool(worksheet.effects.all())
    if step == Step.INDICATORS:
        return any(effect.indicators.all() for effect in worksheet.effects.all())
    return any(getattr(worksheet, name) for name in LEARNING_FIELDS)


# --- the reviewer's dashboard --------------------------------------------------------


def steps_to_review(*, user: User | AnonymousUser) -> list[StepReview]:
    """Steps submitted for review in the worksheets the person reviews, oldest first.

    One query. A coordinator sees every cohort's, a trainer those of the cohorts they train;
    worksheets of withdrawn organisations and archived cohorts wait for nobody. A review's
    ``updated_at`` is when it was submitted: only state changes touch the row.
    """
    worksheets = (
        Worksheet.objects.reviewable_by(user)
        .filter(enrolment__withdrawn_at__isnull=True)
        .exclude(enrolment__cohort__status=Cohort.Status.ARCHIVED)
    )
    return list(
        StepReview.objects.filter(state=StepReview.State.SUBMITTED, worksheet__in=worksheets)
        .select_related(
            "worksheet__enrolment__organisation", "worksheet__enrolment__cohort", "changed_by"
        )
        .order_by("updated_at", "pk")
    )
