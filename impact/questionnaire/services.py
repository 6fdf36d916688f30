"""Workflows of the questionnaires: building one from indicators, sharing it per measurement
moment, answering it, and turning the answers into results of the indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from impact.models import Indicator, Result, Worksheet
from impact.questionnaire import kit
from impact.questionnaire.models import (
    Answer,
    AnswerTally,
    MeasurementMoment,
    Question,
    Questionnaire,
    Response,
    ShareLink,
    hash_session_key,
)
from impact.rows import ROW_TYPES
from impact.worksheet import services as worksheet_services
from impact.worksheet.display import number_text
from organisations.models import User


class ResponseClosed(Exception):
    """The response was sent, or its link closed: its answers can no longer change."""


class TooManyResponses(Exception):
    """The link started more responses in a short time than a room full of people would."""


# --- Building ------------------------------------------------------------------------------


def create_questionnaire(
    *, worksheet: Worksheet, title: str, intro: str, indicators: Iterable[Indicator]
) -> Questionnaire:
    """A questionnaire with the kit's proposed questions for each indicator (one draft
    question named after an indicator the kit has nothing for)."""
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            worksheet=worksheet, title=title, intro=intro or kit.INTRO
        )
        questions = []
        for indicator in indicators:
            proposals = kit.proposals_for(indicator.name) or [
                kit.Proposal(indicator.name, Question.AnswerType.SMILEY3, "")
            ]
            for proposal in proposals:
                questions.append(
                    Question(
                        questionnaire=questionnaire,
                        indicator=indicator,
                        text=proposal.text,
                        answer_type=proposal.answer_type,
                        source=proposal.source,
                        choices=[
                            {"label": label, "icon": icon} for label, icon in proposal.choices
                        ],
                        number_max=proposal.number_max,
                        position=len(questions),
                    )
                )
        Question.objects.bulk_create(questions)
    return questionnaire


def add_question(*, questionnaire: Questionnaire, question: Question) -> Question:
    """Save a new question at the end of the list."""
    last = questionnaire.questions.aggregate(last=Max("position"))["last"]
    question.questionnaire = questionnaire
    question.position = 0 if last is None else last + 1
    question.save()
    return question


def move_question(*, question: Question, up: bool) -> None:
    """Swap the question with its neighbour above or below (no-op at either end)."""
    siblings = list(question.questionnaire.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                Question.objects.filter(pk=sibling.pk).update(position=position)


def share_at_moment(
    *,
    questionnaire: Questionnaire,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> ShareLink:
    """The questionnaire's link for the worksheet's moment of this name (made when new).

    A second moment asks the same questions as the first, so begin and end compare."""
    with transaction.atomic():
        moment, _created = MeasurementMoment.objects.get_or_create(
            worksheet=questionnaire.worksheet,
            name=name,
            defaults={"starts_on": starts_on, "ends_on": ends_on},
        )
        link, _created = ShareLink.objects.get_or_create(questionnaire=questionnaire, moment=moment)
    return link


def next_moment_proposal(questionnaire: Questionnaire) -> dict:
    """Initial values for the next moment: a voormeting first, then a nameting half a year
    after the latest moment; one query."""
    latest = (
        MeasurementMoment.objects.filter(links__questionnaire=questionnaire)
        .order_by("-starts_on")
        .first()
    )
    today = timezone.localdate()
    if latest is None:
        return {"name": "Voormeting", "starts_on": today, "ends_on": today + dt.timedelta(days=30)}
    starts = latest.ends_on + dt.timedelta(days=152)
    return {"name": "Nameting", "starts_on": starts, "ends_on": starts + dt.timedelta(days=30)}


# --- Answering -----------------------------------------------------------------------------


def _rate_key(link: ShareLink) -> str:
    return f"questionnaire-starts:{link.pk}:{int(timezone.now().timestamp()) // 600}"


def start_response(*, link: ShareLink, session_key: str) -> Response:
    """The session's response to the link, started now if it has none.

    Raises TooManyResponses past ``IMPACTLAB_QUESTIONNAIRE_STARTS`` new responses per link
    in ten minutes (counted in the shared cache), and ResponseClosed on a closed link."""
    if not link.is_open:
        raise ResponseClosed
    key_hash = hash_session_key(session_key)
    existing = Response.objects.filter(link=link, session_key_hash=key_hash).first()
    if existing is not None:
        return existing
    limit = getattr(settings, "IMPACTLAB_QUESTIONNAIRE_STARTS", 60)
    key = _rate_key(link)
    cache.add(key, 0, timeout=600)
    if cache.incr(key) > limit:
        raise TooManyResponses
    try:
        with transaction.atomic():
            return Response.objects.create(link=link, session_key_hash=key_hash)
    except IntegrityError:  # the same browser, twice at once
        return Response.objects.get(link=link, session_key_hash=key_hash)


def save_answer(
    *, response: Response, question: Question, number: Decimal | int | None, text: str = ""
) -> Answer | None:
    """Store (or replace) the answer to one question, in one statement (an insert that
    updates the answer already given); an empty answer removes it.

    Raises ResponseClosed once the response was sent or its link closed (as ``response``
    and its ``link`` were loaded)."""
    if response.is_finished or response.link.closed_at is not None:
        raise ResponseClosed
    if number is None and not text:
        Answer.objects.filter(response=response, question=question).delete()
        return None
    answer = Answer(response=response, question=question, number=number, text=text)
    Answer.objects.bulk_create(
        [answer],
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["number", "text", "saved_at"],
    )
    return answer


def finish_response(*, response: Response) -> None:
    """Send the response: from now on nobody can change it (a conditional update)."""
    if response.link.closed_at is not None:
        raise ResponseClosed
    updated = Response.objects.filter(pk=response.pk, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    if not updated:
        raise ResponseClosed
    response.refresh_from_db(fields=["finished_at"])


def enter_paper_response(
    *, link: ShareLink, answers: Mapping[Question, tuple[Decimal | int | None, str]]
) -> Response:
    """A filled-in paper form typed in afterwards: a finished response marked as from paper."""
    with transaction.atomic():
        response = Response.objects.create(
            link=link, entered_from_paper=True, finished_at=timezone.now()
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=question, number=number, text=text)
            for question, (number, text) in answers.items()
            if number is not None or text
        )
    return response


# --- What flows back -----------------------------------------------------------------------


def result_values(question: Question, summary) -> dict:
    """The fields of the Result that a question's summary at a moment becomes."""
    moment = summary.moment
    words = ", ".join(f"{row.label}: {row.count}" for row in summary.rows)
    value = summary.mean
    if question.answer_type == Question.AnswerType.YES_NO:
        value = summary.positive_percent
    if question.answer_type == Question.AnswerType.CHOICE:
        value = None
    return {
        "moment": str(moment.pk),
        "period": moment.name,
        "value": number_text(value),
        "measured_on": moment.ends_on.isoformat(),
        "respondents": str(summary.n),
        "evidence": f"vragenlijst {moment.name}"[:300],
        "narrative": f"{question.text} ({words})"[:3000],
        "comment": "",
    }


def record_result(*, question: Question, summary, author: User) -> Result:
    """Make the summary a Result of the question's indicator at the summary's measurement
    moment (``Result.moment``) through the worksheet's own service, so it is in the history
    like any save (ResultForm validates the values)."""
    if question.indicator is None:
        raise ValueError("the question measures no indicator")
    row_type = ROW_TYPES["result"]
    worksheet = question.questionnaire.worksheet
    form = worksheet_services.make_form(
        row_type=row_type, worksheet=worksheet, data=result_values(question, summary)
    )
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return worksheet_services.add_row(
        worksheet=worksheet,
        row_type=row_type,
        values=form.values,
        parent=question.indicator,
        author=author,
    )


# --- Retention -----------------------------------------------------------------------------


@dataclass
class Erased:
    responses: int = 0
    answers: int = 0


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime | None:
    """Responses started before this are erased; None when answers are kept for good
    (``IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS`` is 0)."""
    days = settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS
    if days <= 0:
        return None
    return (now or timezone.now()) - dt.timedelta(days=days)


def old_responses(now: dt.datetime | None = None) -> QuerySet[Response]:
    """The responses whose retention has passed (none when answers are kept for good)."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return Response.objects.none()
    return Response.objects.filter(created_at__lt=cutoff)


def erase_old_answers(*, now: dt.datetime | None = None) -> Erased:
    """Erase the responses started more than ``IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS`` ago,
    with their answers, and keep what the summaries are made of: per question, link and value
    how many answered (``AnswerTally``; for an open question only how many, never the text)
    and per link how many responses there were. The results made from them stay as they are.

    One transaction per link, which is locked meanwhile so that two runs never count a
    response twice; a few queries per link and value, and one per erased response (the
    worksheet's cached pages learn of it)."""
    cutoff = retention_cutoff(now)
    erased = Erased()
    if cutoff is None:
        return erased
    link_ids = list(
        Response.objects.filter(created_at__lt=cutoff)
        .order_by("link_id")
        .values_list("link_id", flat=True)
        .distinct()
    )
    for link_id in link_ids:
        with transaction.atomic():
            link = ShareLink.objects.select_for_update().filter(pk=link_id).first()
            if link is None:  # erased with its worksheet meanwhile
                continue
            responses = Response.objects.filter(link=link, created_at__lt=cutoff)
            answers = Answer.objects.filter(response__in=responses)
            tallies = list(
                answers.exclude(question__answer_type=Question.AnswerType.OPEN)
                .values_list("question_id", "number")
                .annotate(count=Count("pk"))
                .order_by()
            )
            tallies += [
                (question_id, None, count)
                for question_id, count in answers.filter(
                    question__answer_type=Question.AnswerType.OPEN
                )
                .exclude(text="")
                .values_list("question_id")
                .annotate(count=Count("pk"))
                .order_by()
            ]
            for question_id, number, count in tallies:
                kept = AnswerTally.objects.filter(question_id=question_id, link=link)
                if number is None:
                    kept = kept.filter(number__isnull=True)
                else:
                    kept = kept.filter(number=number)
                if not kept.update(count=F("count") + count):
                    AnswerTally.objects.create(
                        question_id=question_id, link=link, number=number, count=count
                    )
            counts = responses.aggregate(
                started=Count("pk"),
                finished=Count("pk", filter=Q(finished_at__isnull=False)),
                from_paper=Count("pk", filter=Q(entered_from_paper=True)),
            )
            ShareLink.objects.filter(pk=link.pk).update(
                erased_started=F("erased_started") + counts["started"],
                erased_finished=F("erased_finished") + counts["finished"],
                erased_from_paper=F("erased_from_paper") + counts["from_paper"],
            )
            _total, per_model = responses.delete()
            erased.responses += per_model.get(Response._meta.label, 0)
            erased.answers += per_model.get(Answer._meta.label, 0)
    return erased
