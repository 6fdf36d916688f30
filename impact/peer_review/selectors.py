"""Reads of peer review for the trainer's round page and the participant's list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from impact.peer_review.models import (
    PeerReview,
    PeerReviewAssignment,
    PeerReviewOptOut,
    PeerReviewRound,
)
from impact.peer_review.services import reciprocal_pairs
from organisations.models import Organisation, Role, User
from trainings.models import Cohort, Enrolment


@dataclass
class OrganisationProgress:
    """What one organisation gave and received in a round."""

    enrolment: Enrolment
    opted_out: bool
    to_give: int = 0
    given: int = 0
    received: list[PeerReview] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.to_give > 0 and self.given >= self.to_give


@dataclass
class RoundView:
    round: PeerReviewRound
    assignments: list[PeerReviewAssignment]
    organisations: list[OrganisationProgress]
    reciprocal: set[int]
    reviews: list[PeerReview]

    @property
    def reviewed_count(self) -> int:
        return sum(1 for row in self.organisations if row.done)


def cohort_rounds(cohort: Cohort) -> QuerySet[PeerReviewRound]:
    """The cohort's rounds with their session (one query)."""
    return PeerReviewRound.objects.filter(cohort=cohort).select_related("session")


def round_view(round_: PeerReviewRound) -> RoundView:
    """Everything the trainer's round page shows; four queries: the assignments with both
    organisations, their reviews with who wrote them, the opt-outs and the enrolments."""
    assignments = list(
        round_.assignments.select_related(
            "reviewer__organisation", "reviewed__organisation"
        ).prefetch_related(
            Prefetch(
                "reviews",
                queryset=PeerReview.objects.select_related("submitted_by").order_by("step"),
            )
        )
    )
    opted_out = set(
        PeerReviewOptOut.objects.filter(round=round_).values_list("enrolment_id", flat=True)
    )
    enrolments = (
        Enrolment.objects.active()
        .filter(cohort=round_.cohort)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    rows = {
        e.pk: OrganisationProgress(enrolment=e, opted_out=e.pk in opted_out) for e in enrolments
    }
    reviews: list[PeerReview] = []
    steps = len(round_.steps)
    for assignment in assignments:
        assignment.opted_out = assignment.reviewed_id in opted_out
        assignment.reviews_done = len(assignment.reviews.all())
        assignment.complete = assignment.reviews_done >= steps
        if giver := rows.get(assignment.reviewer_id):
            if not assignment.opted_out:
                giver.to_give += steps
            giver.given += assignment.reviews_done
        for review in assignment.reviews.all():
            review.assignment = assignment
            reviews.append(review)
            if receiver := rows.get(assignment.reviewed_id):
                receiver.received.append(review)
    return RoundView(
        round=round_,
        assignments=assignments,
        organisations=list(rows.values()),
        reciprocal=reciprocal_pairs(assignments),
        reviews=reviews,
    )


def reviewer_assignments(user: User | AnonymousUser) -> list[PeerReviewAssignment]:
    """The open assignments of the person's organisations, with the reviews already given
    (two queries)."""
    return list(
        PeerReviewAssignment.objects.open_to_reviewer(user)
        .select_related("round__session", "reviewed__organisation", "reviewer__organisation")
        .prefetch_related("reviews")
        .order_by("round__closes_at", "reviewed__organisation__name")
    )


def own_rounds(user: User | AnonymousUser) -> list[tuple[PeerReviewRound, Enrolment, bool]]:
    """The rounds, not yet closed, of the cohorts the person's organisations are enrolled
    in, each with that enrolment and whether it opted out (three queries)."""
    if not user.is_authenticated or not user.is_participant:
        return []
    own = Organisation.objects.filter(memberships__person=user, memberships__role=Role.PARTICIPANT)
    enrolments = {
        e.cohort_id: e
        for e in Enrolment.objects.active()
        .filter(organisation__in=own)
        .select_related("organisation")
    }
    rounds = [
        r
        for r in PeerReviewRound.objects.filter(
            cohort_id__in=enrolments, closed_at__isnull=True
        ).select_related("session", "cohort")
        if r.state() != PeerReviewRound.State.CLOSED
    ]
    opted = set(
        PeerReviewOptOut.objects.filter(round__in=rounds).values_list("round_id", "enrolment_id")
    )
    return [
        (r, enrolments[r.cohort_id], (r.pk, enrolments[r.cohort_id].pk) in opted) for r in rounds
    ]
