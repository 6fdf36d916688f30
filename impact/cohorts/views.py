"""Cohort-wide views of the worksheets: the trainer's overview and the side-by-side view."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from impact.cohorts import selectors as cohort_selectors
from impact.cohorts.presenters import cohort_grid
from impact.cohorts.services import ensure_worksheets
from impact.models import Step, StepReview
from impact.worksheet import selectors
from organisations.fields import parse_id
from trainings.access import cohort_managed_by


@login_required
def cohort_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid: organisations by worksheet step, with activity, feedback and attendance."""
    cohort = cohort_managed_by(request.user, pk)
    ensure_worksheets(cohort=cohort)
    grid = cohort_grid(request, cohort)
    return render(
        request,
        "impact/cohort_overview.html",
        {"cohort": cohort, "grid": grid, "states": StepReview.State},
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


def _position(value: str | None) -> int:
    """The organisation asked for in ``?nr=`` (1 when absent or unreadable)."""
    try:
        return int(value or 1)
    except ValueError:  # also a number of more than 4,300 digits
        return 1


@login_required
@require_GET
def cohort_presentation(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """Side by side on the projector: one organisation per screen (``?nr=2``), names hidden
    on request (``?anoniem=1``), with the agenda of the dagdeel in the room or of the one
    chosen (``?dagdeel=<session id>``; one of another ronde, or none, is the one in the
    room)."""
    if step not in Step.values:
        raise Http404
    cohort = cohort_managed_by(request.user, pk)
    ensure_worksheets(cohort=cohort)
    hide_names = request.GET.get("anoniem") == "1"
    shown = cohort_selectors.presentation(
        cohort=cohort,
        step=step,
        number=_position(request.GET.get("nr")),
        now=timezone.localtime(),
        hide_names=hide_names,
        session_id=parse_id(request.GET.get("dagdeel")),
    )
    return render(
        request,
        "impact/cohort_presentation.html",
        {
            "cohort": cohort,
            "shown": shown,
            "worksheet": shown.worksheet,
            "step": step,
            "step_label": Step(step).label,
            "hide_names": hide_names,
        },
    )
