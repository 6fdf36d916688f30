"""Peer review: the trainer's rounds and the reviewing organisation's pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impact.models import Step
from impact.peer_review import selectors, services
from impact.peer_review.forms import AssignmentForm, ReviewForm, RoundForm
from impact.peer_review.models import PeerReview, PeerReviewAssignment, PeerReviewRound
from impact.worksheet.selectors import side_by_side
from organisations.models import Organisation, Role
from trainings.access import cohort_managed_by
from trainings.models import Cohort, Enrolment, Session

# --- the trainer's side ------------------------------------------------------------------


def _managed_round(request: HttpRequest, pk: int) -> PeerReviewRound:
    """A round of a cohort the person trains or coordinates; 404 for everyone else."""
    return get_object_or_404(
        PeerReviewRound.objects.filter(
            cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("cohort__training", "session"),
        pk=pk,
    )


@login_required
def round_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's peer-review rounds and the form for a new one."""
    cohort = cohort_managed_by(request.user, pk)
    initial: dict = {}
    upcoming = Session.objects.filter(cohort=cohort).upcoming(timezone.localdate()).first()
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"opens_at": now, "closes_at": now + dt.timedelta(days=7)}
    if upcoming is not None:
        initial |= {
            "session": upcoming,
            "steps": upcoming.steps,
            "closes_at": max(upcoming.starts - dt.timedelta(hours=12), now + dt.timedelta(hours=1)),
        }
    form = RoundForm(
        request.POST if request.method == "POST" else None, cohort=cohort, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.open_round(
            cohort=cohort,
            steps=data["steps"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            allocation=data["allocation"],
            avoid_reciprocal=data["avoid_reciprocal"],
            questions=data["questions"],
            with_checks=data["with_checks"],
            session=data["session"],
            created_by=request.user,
        )
        messages.success(request, _("The peer-review round was created."))
        return redirect("impact:peer_round", round_.pk)
    return render(
        request,
        "impact/peer_review/round_list.html",
        {"cohort": cohort, "rounds": selectors.cohort_rounds(cohort), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reads whom, who has reviewed and every review, hidden ones included."""
    round_ = _managed_round(request, pk)
    view = selectors.round_view(round_)
    return render(
        request,
        "impact/peer_review/round_detail.html",
        {
            "round": round_,
            "cohort": round_.cohort,
            "view": view,
            "add_form": AssignmentForm(round_=round_),
            "enrolments": [row.enrolment for row in view.organisations],
            "step_labels": [Step(step).label for step in round_.steps],
        },
    )


@login_required
@require_POST
def round_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    try:
        count = services.allocate(round_=round_)
    except services.AllocationRefused:
        messages.error(request, _("Reviews were given already; change the pairs by hand."))
    else:
        messages.success(request, _("%(count)s assignments were drawn.") % {"count": count})
    return redirect("impact:peer_round", round_.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    if round_.is_open() or round_.state() == PeerReviewRound.State.PLANNED:
        round_.close()
        messages.success(request, _("The round is closed. Reviewers no longer see the work."))
    return redirect("impact:peer_round", round_.pk)


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    form = AssignmentForm(request.POST, round_=round_)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Choose two organisations.")]:
            messages.error(request, error)
        return redirect("impact:peer_round", round_.pk)
    PeerReviewAssignment.objects.create(
        round=round_,
        reviewer=form.cleaned_data["reviewer"],
        reviewed=form.cleaned_data["reviewed"],
    )
    messages.success(request, _("The assignment was added."))
    return redirect("impact:peer_round", round_.pk)


def _managed_assignment(request: HttpRequest, pk: int) -> PeerReviewAssignment:
    return get_object_or_404(
        PeerReviewAssignment.objects.filter(
            round__cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("round"),
        pk=pk,
    )


@login_required
@require_POST
def assignment_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the assignment another reviewer (the trainer's swap)."""
    assignment = _managed_assignment(request, pk)
    reviewer = (
        Enrolment.objects.active()
        .filter(cohort=assignment.round.cohort_id, pk=request.POST.get("reviewer") or 0)
        .first()
    )
    if reviewer is None or reviewer.pk == assignment.reviewed_id:
        messages.error(request, _("Choose another organisation than the one reviewed."))
    elif PeerReviewAssignment.objects.filter(
        round=assignment.round, reviewer=reviewer, reviewed=assignment.reviewed_id
    ).exists():
        messages.error(request, _("This organisation already reviews that one."))
    elif assignment.reviews.exists():
        messages.error(request, _("This assignment has reviews already; add a new one instead."))
    else:
        assignment.reviewer = reviewer
        assignment.save(update_fields=["reviewer", "updated_at"])
        messages.success(request, _("The reviewer was changed."))
    return redirect("impact:peer_round", assignment.round_id)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _managed_assignment(request, pk)
    if assignment.reviews.exists():
        messages.error(request, _("This assignment has reviews already; hide them instead."))
    else:
        assignment.delete()
        messages.success(request, _("The assignment was removed."))
    return redirect("impact:peer_round", assignment.round_id)


def _managed_review(request: HttpRequest, pk: int) -> PeerReview:
    return get_object_or_404(
        PeerReview.objects.filter(
            assignment__round__cohort__in=Cohort.objects.managed_by(request.user)
        ).select_related("assignment__round", "assignment__reviewed"),
        pk=pk,
    )


@login_required
@require_POST
def review_hide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _managed_review(request, pk)
    if review.hidden_at is None:
        services.hide_review(review=review, by=request.user)
    messages.success(request, _("The review is hidden from the organisation."))
    return redirect("impact:peer_round", review.assignment.round_id)


@login_required
@require_POST
def review_show(request: HttpRequest, pk: int) -> HttpResponse:
    review = _managed_review(request, pk)
    if review.hidden_at is not None:
        services.show_review(review=review)
    messages.success(request, _("The organisation sees the review again."))
    return redirect("impact:peer_round", review.assignment.round_id)


# --- the reviewing organisation's side ---------------------------------------------------


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The work of fellow organisations the person may read now, and the rounds in which
    their own organisation may opt out."""
    return render(
        request,
        "impact/peer_review/my_reviews.html",
        {
            "assignments": selectors.reviewer_assignments(request.user),
            "own_rounds": selectors.own_rounds(request.user),
        },
    )


@login_required
def review_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """One step of a fellow organisation's worksheet, read-only, with the review form.

    Only while the round is open, only the round's steps, only for the reviewing
    organisation and only if the reviewed one did not opt out: otherwise 404."""
    assignment = get_object_or_404(
        PeerReviewAssignment.objects.open_to_reviewer(request.user).select_related(
            "round__cohort", "reviewed__organisation", "reviewer__organisation"
        ),
        pk=pk,
    )
    round_ = assignment.round
    if step not in round_.steps:
        raise Http404
    review = PeerReview.objects.filter(assignment=assignment, step=step).first()
    initial = ReviewForm.initial_from(review.answers) if review else None
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        round_=round_,
        step=step,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        services.submit_review(
            assignment=assignment, step=step, answers=form.answers(), by=request.user
        )
        messages.success(request, _("Thank you! Your review was sent."))
        later = [s for s in round_.steps if s > step]
        if later:
            return redirect("impact:peer_review_step", assignment.pk, later[0])
        return redirect("impact:peer_reviews")
    worksheet_id = (
        assignment.reviewed.worksheet.pk if hasattr(assignment.reviewed, "worksheet") else None
    )
    worksheets = (
        side_by_side(cohort=round_.cohort, step=step, only=worksheet_id) if worksheet_id else []
    )
    return render(
        request,
        "impact/peer_review/review_step.html",
        {
            "assignment": assignment,
            "round": round_,
            "step": step,
            "step_label": Step(step).label,
            "steps": [(s, Step(s).label) for s in round_.steps],
            "worksheet": worksheets[0] if worksheets else None,
            "form": form,
            "review": review,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def opt_out(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation keeps its work out of the round, or takes part again."""
    if not request.user.is_participant:
        raise Http404
    own = Organisation.objects.filter(
        memberships__person=request.user, memberships__role=Role.PARTICIPANT
    )
    round_ = get_object_or_404(
        PeerReviewRound.objects.filter(
            cohort__enrolments__organisation__in=own,
            cohort__enrolments__withdrawn_at__isnull=True,
        ).distinct(),
        pk=pk,
    )
    enrolment = Enrolment.objects.active().filter(cohort=round_.cohort_id, organisation__in=own)
    enrolment = enrolment.first()
    if enrolment is None:  # pragma: no cover - the round lookup above needs an enrolment
        raise PermissionDenied
    opted_out = request.POST.get("opt_out") == "1"
    services.set_opt_out(round_=round_, enrolment=enrolment, opted_out=opted_out)
    if opted_out:
        messages.success(request, _("Your work stays out of this round."))
    else:
        messages.success(request, _("Fellow organisations may read your work in this round."))
    return redirect("impact:peer_reviews")
