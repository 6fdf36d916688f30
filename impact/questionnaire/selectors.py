"""What flows back from a questionnaire: per question and moment the number of answers,
their distribution, the mean where the scale allows it, and the change from the first to
the last moment (paired by nothing personal: two distributions compared).

Privacy by construction: a group of fewer than ``MIN_GROUP`` answers is summarised only for
the organisation itself (``full``); trainers, coordinators and reports get nothing for it,
and open answers reach the organisation only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from impact.questionnaire.models import (
    Answer,
    AnswerTally,
    Question,
    Questionnaire,
    Response,
    ShareLink,
)
from impact.questionnaire.scales import options_for, positive_values

MIN_GROUP = 5


def worksheet_questionnaires(*, worksheet) -> list[Questionnaire]:
    """The worksheet's questionnaires, each with its number of sent responses (``sent``),
    for the questionnaires section of step 5; one query."""
    questionnaires = Questionnaire.objects.filter(worksheet=worksheet).annotate(
        kept=Count("links__responses", filter=Q(links__responses__finished_at__isnull=False)),
        # A subquery: summed over the join with the responses it would count each link's
        # erased responses once per kept response.
        erased=Coalesce(
            Subquery(
                ShareLink.objects.filter(questionnaire=OuterRef("pk"))
                .values("questionnaire")
                .annotate(total=Sum("erased_finished"))
                .values("total")
            ),
            0,
        ),
    )
    for questionnaire in questionnaires:
        # Responses erased after the retention period still count.
        questionnaire.sent = questionnaire.kept + questionnaire.erased
    return list(questionnaires)


@dataclass
class Row:
    value: int
    label: str
    image: str
    count: int
    percent: int


@dataclass
class Summary:
    question: Question
    link: ShareLink
    n: int
    hidden: bool  # too few answers to show to this reader
    rows: list[Row] = field(default_factory=list)
    mean: Decimal | None = None
    positive_percent: int | None = None
    lowest: Decimal | None = None
    highest: Decimal | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def moment(self):
        return self.link.moment

    @property
    def can_become_result(self) -> bool:
        return (
            not self.hidden
            and self.n > 0
            and self.question.indicator_id is not None
            and self.question.answer_type != Question.AnswerType.OPEN
        )


@dataclass
class Change:
    before: Summary
    after: Summary

    @property
    def mean(self) -> Decimal | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean

    @property
    def positive(self) -> int | None:
        if self.before.positive_percent is None or self.after.positive_percent is None:
            return None
        return self.after.positive_percent - self.before.positive_percent


@dataclass
class QuestionResults:
    question: Question
    summaries: list[Summary]
    change: Change | None


@dataclass
class LinkCounts:
    link: ShareLink
    started: int
    finished: int
    from_paper: int


def _percent(part: int, whole: int) -> int:
    if not whole:
        return 0
    return int((Decimal(part) * 100 / whole).to_integral_value(rounding=ROUND_HALF_UP))


def _mean(total: Decimal, n: int) -> Decimal | None:
    if not n:
        return None
    return (total / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise(
    question: Question,
    link: ShareLink,
    counts: dict[Decimal, int],
    texts: list[str],
    *,
    full: bool,
) -> Summary:
    """The summary of one question at one link from its answer counts (no queries)."""
    n = sum(counts.values())
    summary = Summary(question=question, link=link, n=n, hidden=not full and n < MIN_GROUP)
    if summary.hidden or not n:
        return summary
    if question.answer_type == Question.AnswerType.OPEN:
        summary.texts = texts if full else []
        return summary
    numbers = [value for value in counts if value is not None]
    if numbers:
        summary.lowest, summary.highest = min(numbers), max(numbers)
    options = options_for(question)
    summary.rows = [
        Row(
            option.value,
            str(option.label),
            option.image,
            counts.get(Decimal(option.value), 0),
            _percent(counts.get(Decimal(option.value), 0), n),
        )
        for option in options
    ]
    if question.is_scale or question.answer_type == Question.AnswerType.NUMBER:
        total = sum(
            (value * count for value, count in counts.items() if value is not None), Decimal(0)
        )
        summary.mean = _mean(total, n)
    positives = positive_values(question)
    if positives:
        summary.positive_percent = _percent(
            sum(count for value, count in counts.items() if value in positives), n
        )
    return summary


def questionnaire_results(
    questionnaire: Questionnaire, *, full: bool, until: dt.datetime | None = None
) -> list[QuestionResults]:
    """Every question with a summary per link, oldest moment first; four queries (five
    once answers were erased, see ``results_by_questionnaire``).

    ``full``: the reader belongs to the organisation (small groups and open answers shown).
    """
    return results_by_questionnaire([questionnaire], full=full, until=until)[questionnaire.pk]


def results_by_questionnaire(
    questionnaires: list[Questionnaire], *, full: bool, until: dt.datetime | None = None
) -> dict[int, list[QuestionResults]]:
    """``questionnaire_results`` of several questionnaires at once, by questionnaire id; four
    queries however many, and a fifth for the tallies of erased answers when a link has any.

    ``until``: only the answers of responses started by then (a report as at the end of a
    dagdeel); the tallies of erased answers, long past, always count.
    """
    ids = [questionnaire.pk for questionnaire in questionnaires]
    # 1 the links with their moments, 2 the questions with their indicators
    links = list(
        ShareLink.objects.filter(questionnaire_id__in=ids)
        .select_related("moment")
        .order_by("moment__starts_on", "pk")
    )
    questions = list(
        Question.objects.filter(questionnaire_id__in=ids)
        .select_related("indicator")
        .order_by("position", "pk")
    )
    answers = Answer.objects.filter(question__questionnaire_id__in=ids)
    if until is not None:
        answers = answers.filter(response__created_at__lte=until)
    # 3 the answer counts per question, link and value
    counts: dict[tuple[int, int], dict[Decimal, int]] = defaultdict(dict)
    rows = (
        answers.exclude(question__answer_type=Question.AnswerType.OPEN)
        .values_list("question_id", "response__link_id", "number")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for question_id, link_id, number, count in rows:
        counts[(question_id, link_id)][number] = count
    # 4 the open answers (only their number for readers outside the organisation)
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    open_answers = answers.filter(question__answer_type=Question.AnswerType.OPEN).exclude(text="")
    for question_id, link_id, text in open_answers.values_list(
        "question_id", "response__link_id", "text"
    ).order_by("pk"):
        texts[(question_id, link_id)].append(text)
    # 5 what is left of erased answers: counts without the answers (never their texts)
    erased_open: dict[tuple[int, int], int] = defaultdict(int)
    if any(link.erased_started for link in links):
        tallies = AnswerTally.objects.filter(question__questionnaire_id__in=ids).values_list(
            "question_id", "link_id", "number", "count"
        )
        for question_id, link_id, number, count in tallies:
            if number is None:
                erased_open[(question_id, link_id)] += count
            else:
                known = counts[(question_id, link_id)]
                known[number] = known.get(number, 0) + count
    links_of: dict[int, list[ShareLink]] = defaultdict(list)
    for link in links:
        links_of[link.questionnaire_id].append(link)
    results: dict[int, list[QuestionResults]] = {pk: [] for pk in ids}
    for question in questions:
        summaries = []
        for link in links_of[question.questionnaire_id]:
            key = (question.pk, link.pk)
            if question.answer_type == Question.AnswerType.OPEN:
                answered = len(texts[key]) + erased_open[key]
                n_counts = {Decimal(0): answered} if answered else {}
            else:
                n_counts = counts.get(key, {})
            summaries.append(summarise(question, link, n_counts, texts[key], full=full))
        results[question.questionnaire_id].append(
            QuestionResults(question, summaries, _change(question, summaries))
        )
    return results


def _change(question: Question, summaries: list[Summary]) -> Change | None:
    """From the first moment to the last, when both are shown and the scale allows."""
    if len(summaries) < 2 or not (
        question.is_scale or question.answer_type == Question.AnswerType.NUMBER
    ):
        return None
    first, last = summaries[0], summaries[-1]
    if first.hidden or last.hidden or not first.n or not last.n:
        return None
    return Change(first, last)


def worksheet_results(
    *, worksheet, until: dt.datetime | None = None
) -> list[tuple[Questionnaire, list[QuestionResults]]]:
    """The worksheet's questionnaires that were shared, each with its results as a report
    shows them (never small groups or open answers); five queries, six after an erasure."""
    questionnaires = [
        q
        for q in Questionnaire.objects.filter(worksheet=worksheet).annotate(shared=Count("links"))
        if q.shared
    ]
    if not questionnaires:
        return []
    results = results_by_questionnaire(questionnaires, full=False, until=until)
    return [(q, results[q.pk]) for q in questionnaires]


@dataclass
class MomentResponses:
    """How many responses were sent at one moment of a questionnaire."""

    link: ShareLink
    responses: int

    @property
    def moment(self):
        return self.link.moment

    @property
    def hidden(self) -> bool:
        """Too few responses to show anything of them, the count included."""
        return self.responses < MIN_GROUP


@dataclass
class PositiveChange:
    """The share of positive answers at the first moment and at the last, over the scale
    questions shown at both: two groups compared, nobody's answers paired."""

    before: int  # percent
    after: int
    questions: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass
class QuestionnaireLine:
    """A questionnaire in one line, as the one-page summary shows it."""

    questionnaire: Questionnaire
    moments: list[MomentResponses]
    change: PositiveChange | None


def questionnaire_lines(*, worksheet, until: dt.datetime | None = None) -> list[QuestionnaireLine]:
    """The worksheet's shared questionnaires with the responses sent per moment and, where a
    first and a last moment both have enough, the change in the share of positive answers;
    as reports show it (nothing of a group of fewer than ``MIN_GROUP``). ``until``: as at
    the end of a dagdeel (see ``results_by_questionnaire``). Six queries, seven after an
    erasure; one when the worksheet has no questionnaire."""
    shared = worksheet_results(worksheet=worksheet, until=until)
    if not shared:
        return []
    sent = Q(responses__finished_at__isnull=False)
    if until is not None:
        sent &= Q(responses__created_at__lte=until)
    # The links in the order of the summaries: by their moments' dates.
    links = (
        ShareLink.objects.filter(questionnaire__in=[q for q, _results in shared])
        .select_related("moment")
        .annotate(sent=Count("responses", filter=sent) + F("erased_finished"))
        .order_by("moment__starts_on", "pk")
    )
    moments_of: dict[int, list[MomentResponses]] = defaultdict(list)
    for link in links:
        moments_of[link.questionnaire_id].append(MomentResponses(link, link.sent))
    lines = []
    for questionnaire, results in shared:
        moments = moments_of[questionnaire.pk]
        change = None
        if len(moments) >= 2 and not (moments[0].hidden or moments[-1].hidden):
            change = _positive_change(results)
        lines.append(QuestionnaireLine(questionnaire, moments, change))
    return lines


def _positive_change(results: list[QuestionResults]) -> PositiveChange | None:
    """The pooled share of positive answers at the first and last link, over the questions
    with positive answers that are shown at both; None without such a question."""
    totals = [[0, 0], [0, 0]]  # (positive, answers) at the first and at the last link
    questions = 0
    for result in results:
        positives = positive_values(result.question)
        ends = (result.summaries[0], result.summaries[-1])
        if not positives or any(s.hidden or not s.n for s in ends):
            continue
        questions += 1
        for total, summary in zip(totals, ends, strict=True):
            total[0] += sum(row.count for row in summary.rows if row.value in positives)
            total[1] += summary.n
    if not questions:
        return None
    before, after = (_percent(positive, n) for positive, n in totals)
    return PositiveChange(before, after, questions)


def link_counts(questionnaire: Questionnaire) -> list[LinkCounts]:
    """Per link: responses started, sent, and typed in from paper; one query."""
    links = questionnaire.links.select_related("moment").annotate(
        started=Count("responses"),
        finished=Count("responses", filter=Q(responses__finished_at__isnull=False)),
        from_paper=Count("responses", filter=Q(responses__entered_from_paper=True)),
    )
    # Erased responses (after the retention period) still count.
    return [
        LinkCounts(
            link,
            link.started + link.erased_started,
            link.finished + link.erased_finished,
            link.from_paper + link.erased_from_paper,
        )
        for link in links
    ]


def link_and_response(
    token: str, response_ids: list[int]
) -> tuple[ShareLink | None, Response | None]:
    """The link of the token (with its questionnaire and moment) and the one of the
    session's responses ``response_ids`` that was started on it, if any: one query when the
    session holds that response (it brings its link along), two when it does not."""
    if len(token) > 64:
        return None, None
    if response_ids:
        response = (
            Response.objects.select_related("link__questionnaire", "link__moment")
            .filter(pk__in=response_ids, link__token=token)
            .first()
        )
        if response is not None:
            return response.link, response
    link = ShareLink.objects.select_related("questionnaire", "moment").filter(token=token).first()
    return link, None


def response_of(link: ShareLink, response_id: int | None) -> Response | None:
    """The response kept in the respondent's session, if it is one of this link; one query."""
    if not response_id:
        return None
    return Response.objects.filter(pk=response_id, link=link).first()
