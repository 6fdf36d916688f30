"""Cohort-wide views of the worksheets: the trainer's overview and the side-by-side view."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from impact.cohorts.services import ensure_worksheets
from impact.models import Step, StepReview
from impact.worksheet import selectors
from trainings.access import cohort_managed_by


@login_required
def cohort_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid: organisations by worksheet step, with activity, feedback and attendance."""
    cohort = cohort_managed_by(request.user, pk)
    ensure_worksheets(cohort=cohort)
    overview = selectors.cohort_overview(cohort=cohort)
    return render(
        request,
        "impact/cohort_overview.html",
        {"cohort": cohort, "overview": overview, "states": StepReview.State},
    )


@login_required
def cohort_side_by_side(request: HttpRequest, pk: int, step: int = Step.SCOPE) -> HttpResponse:
    """All worksheets of the cohort next to each other, for one step."""
    if step not in Step.values:
        raise Http404
    cohort = cohort_managed_by(request.user, pk)
    ensure_worksheets(cohort=cohort)
    worksheets = selectors.side_by_side(cohort=cohort, step=step)
    return render(
        request,
        "impact/cohort_side_by_side.html",
        {
            "cohort": cohort,
            "worksheets": worksheets,
            "step": step,
            "step_label": Step(step).label,
            "steps": Step.choices,
        },
    )
