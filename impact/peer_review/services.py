"""Peer-review workflows: opening a round, allocating, answering, hiding, opting out."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impact import notices
from impact.models import Comment, Worksheet
from impact.peer_review.models import (
    CHECKS,
    QUESTIONS,
    PeerReview,
    PeerReviewAssignment,
    PeerReviewOptOut,
    PeerReviewRound,
)
from organisations.models import User
from trainings.models import Cohort, Enrolment, Session


class AllocationRefused(Exception):
    """The round already has reviews, so its assignments can no longer be redrawn."""


def pairings(
    ids: Sequence[int], *, group_size: int, avoid_reciprocal: bool, seed: int | None = None
) -> list[tuple[int, int]]:
    """(reviewer, reviewed) pairs for the organisations ``ids``; nobody reviews itself.

    Without ``avoid_reciprocal`` the organisations form groups of ``group_size`` (a
    leftover one joins the last group) in which everyone reads everyone. With it they stand
    in a ring and each reads the next ``group_size - 1``: no two read each other once the
    ring is longer than twice that (two organisations in pairs cannot avoid it).
    """
    order = list(ids)
    random.Random(seed).shuffle(order)
    n = len(order)
    if n < 2:
        return []
    if avoid_reciprocal:
        reads = min(group_size - 1, n - 1)
        return [
            (order[i], order[(i + shift) % n]) for i in range(n) for shift in range(1, reads + 1)
        ]
    groups = [order[i : i + group_size] for i in range(0, n, group_size)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2].extend(groups.pop())
    return [(a, b) for group in groups for a in group for b in group if a != b]


@transaction.atomic
def open_round(
    *,
    cohort: Cohort,
    steps: list[int],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    allocation: str,
    avoid_reciprocal: bool,
    questions: list[str],
    with_checks: bool,
    session: Session | None,
    created_by: User,
    seed: int | None = None,
) -> PeerReviewRound:
    """A new round, allocated at once unless by hand (one insert plus the allocation)."""
    round_ = PeerReviewRound.objects.create(
        cohort=cohort,
        session=session,
        steps=sorted(steps),
        opens_at=opens_at,
        closes_at=closes_at,
        allocation=allocation,
        avoid_reciprocal=avoid_reciprocal,
        questions=[key for key in QUESTIONS if key in questions],
        with_checks=with_checks,
        created_by=created_by,
    )
    if allocation != PeerReviewRound.Allocation.MANUAL:
        allocate(round_=round_, seed=seed)
    return round_


@transaction.atomic
def allocate(*, round_: PeerReviewRound, seed: int | None = None) -> int:
    """Draw the assignments again from the active enrolments; returns how many.

    Refused once a review was given, so that nobody's work is thrown away."""
    if PeerReview.objects.filter(assignment__round=round_).exists():
        raise AllocationRefused
    ids = list(
        Enrolment.objects.active()
        .filter(cohort=round_.cohort)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = 3 if round_.allocation == PeerReviewRound.Allocation.TRIADS else 2
    pairs = pairings(ids, group_size=size, avoid_reciprocal=round_.avoid_reciprocal, seed=seed)
    round_.assignments.all().delete()
    PeerReviewAssignment.objects.bulk_create(
        [PeerReviewAssignment(round=round_, reviewer_id=a, reviewed_id=b) for a, b in pairs]
    )
    return len(pairs)


def reciprocal_pairs(assignments: Sequence[PeerReviewAssignment]) -> set[int]:
    """The ids of the assignments whose reviewed organisation reviews the reviewer too."""
    pairs = {(a.reviewer_id, a.reviewed_id) for a in assignments}
    return {a.pk for a in assignments if (a.reviewed_id, a.reviewer_id) in pairs}


def comment_body(*, step: int, answers: dict) -> str:
    """The review as the text of a feedback comment, in the active language."""
    parts = [f"{QUESTIONS[key]}\n{answers[key]}" for key in QUESTIONS if answers.get(key)]
    checks = answers.get("checks", {})
    lines = [
        f"{label} {_('yes') if checks[key] else _('no')}"
        for key, label in CHECKS.get(step, {}).items()
        if checks.get(key) is not None
    ]
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _deliver(review: PeerReview, worksheet: Worksheet) -> Comment:
    return Comment.objects.create(
        worksheet=worksheet,
        step=review.step,
        author=review.submitted_by,
        body=comment_body(step=review.step, answers=review.answers)[:4000],
        from_fellow_organisation=True,
    )


@transaction.atomic
def submit_review(
    *, assignment: PeerReviewAssignment, step: int, answers: dict, by: User
) -> PeerReview:
    """Save the answers and deliver them to the reviewed organisation as feedback on the
    step; a second submission replaces the first, comment included (a few queries)."""
    worksheet, _created = Worksheet.objects.get_or_create(enrolment=assignment.reviewed)
    review, created = PeerReview.objects.select_for_update().get_or_create(
        assignment=assignment, step=step, defaults={"answers": answers, "submitted_by": by}
    )
    if not created:
        review.answers = answers
        review.submitted_by = by
    if review.hidden_at is None:
        if review.comment_id:
            Comment.objects.filter(pk=review.comment_id).update(
                body=comment_body(step=step, answers=answers)[:4000],
                author=by,
                updated_at=timezone.now(),
            )
        else:
            review.comment = _deliver(review, worksheet)
            notices.feedback_added(comment=review.comment, peer=True)
    review.save()
    return review


@transaction.atomic
def hide_review(*, review: PeerReview, by: User) -> None:
    """Take an unkind review away from the reviewed organisation: its comment and the
    replies to it are removed; the trainer keeps the answers."""
    if review.comment_id:
        Comment.objects.filter(pk=review.comment_id).delete()
    review.comment = None
    review.hidden_at = timezone.now()
    review.hidden_by = by
    review.save(update_fields=["comment", "hidden_at", "hidden_by", "updated_at"])


@transaction.atomic
def show_review(*, review: PeerReview) -> None:
    """Deliver a hidden review after all (as a new comment)."""
    worksheet, _created = Worksheet.objects.get_or_create(enrolment=review.assignment.reviewed)
    review.comment = _deliver(review, worksheet)
    review.hidden_at = None
    review.hidden_by = None
    review.save(update_fields=["comment", "hidden_at", "hidden_by", "updated_at"])


def set_opt_out(*, round_: PeerReviewRound, enrolment: Enrolment, opted_out: bool) -> None:
    """Whether the organisation keeps its work out of the round (idempotent)."""
    if opted_out:
        PeerReviewOptOut.objects.get_or_create(round=round_, enrolment=enrolment)
    else:
        PeerReviewOptOut.objects.filter(round=round_, enrolment=enrolment).delete()
