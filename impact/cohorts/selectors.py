"""Reads across a cohort's sessions and worksheets: the participant's dashboard and the
trainer's presentation of one step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from impact.models import Step, StepReview, Worksheet
from impact.worksheet import selectors as worksheet_selectors
from impact.worksheet.services import WorksheetEntry
from trainings.agenda import AgendaItem, current_index, session_in_the_room
from trainings.models import Cohort, Session

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


def organisation_letter(number: int) -> str:
    """The stand-in name of the ``number``-th organisation (1 → A, 26 → Z, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Presentation:
    """One organisation's step on the projector, with the agenda of the dagdeel beside it."""

    worksheet: Worksheet | None
    number: int
    total: int
    session: Session | None
    agenda: list[AgendaItem]
    current: int | None
    is_today: bool
    now: dt.datetime

    @property
    def letter(self) -> str:
        return organisation_letter(self.number)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.total else None


def presentation(*, cohort: Cohort, step: int, number: int, now: dt.datetime) -> Presentation:
    """The ``number``-th worksheet of the cohort (by organisation name; kept within range)
    with the rows of ``step``, and the dagdeel in the room at ``now`` (local time).

    Two queries more than ``side_by_side`` for one worksheet, whatever the cohort's size:
    the ordered worksheet ids, and the cohort's sessions.
    """
    ids = list(
        worksheet_selectors.active_cohort_worksheets(cohort=cohort)
        .order_by("enrolment__organisation__name", "pk")
        .values_list("pk", flat=True)
    )
    number = min(max(number, 1), len(ids)) if ids else 0
    worksheet = None
    if ids:
        shown = worksheet_selectors.side_by_side(cohort=cohort, step=step, only=ids[number - 1])
        worksheet = shown[0] if shown else None
    session = session_in_the_room(list(Session.objects.filter(cohort=cohort)), now)
    agenda = session.timeboxes() if session else []
    is_today = session is not None and session.date == now.date()
    return Presentation(
        worksheet=worksheet,
        number=number,
        total=len(ids),
        session=session,
        agenda=agenda,
        current=current_index(agenda, now.time()) if is_today else None,
        is_today=is_today,
        now=now,
    )
