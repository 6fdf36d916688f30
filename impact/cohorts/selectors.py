"""Reads across a cohort's sessions and worksheets for the participant's dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from impact.models import Step, StepReview
from impact.worksheet.services import WorksheetEntry
from trainings.models import Session

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class PreparationStep:
    number: int
    label: StrOrPromise
    state: str
    state_label: StrOrPromise
    url: str


@dataclass
class NextSession:
    """The next dagdeel of a worksheet's cohort, with the state of the steps it works on."""

    entry: WorksheetEntry
    session: Session
    steps: list[PreparationStep]


def next_sessions(entries: list[WorksheetEntry], *, today: dt.date) -> list[NextSession]:
    """Per worksheet, the first dagdeel from today on and its steps; one query for all."""
    cohort_ids = {entry.enrolment.cohort_id for entry in entries}
    if not cohort_ids:
        return []
    first: dict[int, Session] = {}
    for session in Session.objects.filter(cohort_id__in=cohort_ids).upcoming(today):
        first.setdefault(session.cohort_id, session)
    labels = dict(StepReview.State.choices)
    result = []
    for entry in entries:
        session = first.get(entry.enrolment.cohort_id)
        if session is None:
            continue
        steps = []
        for number in session.steps:
            if number not in Step.values:
                continue
            state = entry.states[number]
            if entry.worksheet is not None:
                url = reverse("impact:worksheet_step", args=[entry.worksheet.pk, number])
            else:
                url = reverse("impact:worksheet_open", args=[entry.enrolment.pk])
            steps.append(PreparationStep(number, Step(number).label, state, labels[state], url))
        result.append(NextSession(entry=entry, session=session, steps=steps))
    return result
