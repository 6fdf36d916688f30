"""Reads across a cohort's sessions and worksheets: the participant's dashboard and the
trainer's presentation of one step."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

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


def anonymous_label(number: int) -> str:
    """What the ``number``-th organisation is called while names are hidden: "Organisatie B"."""
    return gettext("Organisation %(letter)s") % {"letter": organisation_letter(number)}


def name_replacer(labels: dict[str, str]) -> Callable[[str], str]:
    """A function that puts the label of each name of ``labels`` (name → label) in its
    place in a text: whatever the case, however the spaces between its words run, as a
    whole word ("Kringloop Zwolle-medewerkers" and "Kringloop Zwolle's" count, the "Goed"
    in "Goede" does not), the longest name first (so "Kringloop Zwolle-Zuid" is not read as
    "Kringloop Zwolle" and a stray "-Zuid"). No queries."""
    names = sorted((name for name in labels if name.split()), key=len, reverse=True)
    if not names:
        return lambda text: text
    # One group per name: which one matched says which label goes in.
    pattern = re.compile(
        "|".join(
            rf"(?P<n{index}>(?<!\w){r'\s+'.join(map(re.escape, name.split()))}(?!\w))"
            for index, name in enumerate(names)
        ),
        re.IGNORECASE,
    )
    by_group = {f"n{index}": labels[name] for index, name in enumerate(names)}

    def label_of(match: re.Match[str]) -> str:
        return by_group[match.lastgroup or ""]

    return lambda text: pattern.sub(label_of, text)


def anonymise(obj: models.Model, replace: Callable[[str], str]) -> None:
    """Replace the names in every text of ``obj`` and of the rows loaded with it (joined
    through ``select_related`` and prefetched), in place: what the presentation shows is
    read from these instances, and they are never saved (the page only reads). Walking what
    is loaded, rather than naming fields, keeps a text added to a step's rows covered. No
    queries."""
    seen: set[int] = set()
    todo = [obj]
    while todo:
        instance = todo.pop()
        if id(instance) in seen:
            continue
        seen.add(id(instance))
        for model_field in instance._meta.concrete_fields:
            if isinstance(model_field, (models.CharField, models.TextField)) and not (
                model_field.choices
            ):
                # A deferred field is left alone: reading it would cost a query.
                value = instance.__dict__.get(model_field.attname)
                if isinstance(value, str) and value:
                    setattr(instance, model_field.attname, replace(value))
        todo.extend(
            related
            for related in instance._state.fields_cache.values()
            if isinstance(related, models.Model)
        )
        for rows in getattr(instance, "_prefetched_objects_cache", {}).values():
            todo.extend(rows)


@dataclass
class Presentation:
    """One organisation's step on the projector, with the agenda of a dagdeel beside it:
    the one in the room, or the one the presenter chose."""

    worksheet: Worksheet | None
    number: int
    total: int
    session: Session | None
    agenda: list[AgendaItem]
    current: int | None
    is_today: bool
    now: dt.datetime
    sessions: list[Session] = dataclasses.field(default_factory=list)  # to choose from
    in_the_room: Session | None = None
    hide_names: bool = False

    @property
    def letter(self) -> str:
        return organisation_letter(self.number)

    @property
    def label(self) -> str:
        return anonymous_label(self.number)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.total else None


def presentation(
    *,
    cohort: Cohort,
    step: int,
    number: int,
    now: dt.datetime,
    hide_names: bool = False,
    session_id: int | None = None,
) -> Presentation:
    """The ``number``-th worksheet of the cohort (by organisation name; kept within range)
    with the rows of ``step``, and a dagdeel's agenda: the one with ``session_id`` among
    the cohort's, else the one in the room at ``now`` (local time).

    With ``hide_names``, every organisation of the ronde is its label ("Organisatie B", by
    its place in the order) in everything shown: the worksheet's texts, its rows, the
    dagdeel's title and agenda.

    Two queries more than ``side_by_side`` for one worksheet, whatever the cohort's size:
    the ordered worksheets' ids and names, and the cohort's sessions.
    """
    ordered = list(
        worksheet_selectors.active_cohort_worksheets(cohort=cohort)
        .order_by("enrolment__organisation__name", "pk")
        .values_list("pk", "enrolment__organisation__name")
    )
    number = min(max(number, 1), len(ordered)) if ordered else 0
    worksheet = None
    if ordered:
        shown = worksheet_selectors.side_by_side(
            cohort=cohort, step=step, only=ordered[number - 1][0]
        )
        worksheet = shown[0] if shown else None
    sessions = sorted(Session.objects.filter(cohort=cohort), key=lambda s: (s.date, s.starts_at))
    in_the_room = session_in_the_room(sessions, now)
    chosen = next((s for s in sessions if s.pk == session_id), None)
    session = chosen or in_the_room
    if hide_names:
        replace = name_replacer(
            {name: anonymous_label(place) for place, (_pk, name) in enumerate(ordered, 1)}
        )
        for instance in [*([worksheet] if worksheet else []), *sessions]:
            anonymise(instance, replace)
    agenda = session.timeboxes() if session else []
    is_today = session is not None and session.date == now.date()
    return Presentation(
        worksheet=worksheet,
        number=number,
        total=len(ordered),
        session=session,
        agenda=agenda,
        current=current_index(agenda, now.time()) if is_today else None,
        is_today=is_today,
        now=now,
        sessions=sessions,
        in_the_room=in_the_room,
        hide_names=hide_names,
    )
