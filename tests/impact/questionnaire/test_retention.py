"""Answers are erased once IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS have passed, by a command
and by the worker's daily task; the summaries, charts, counts and results stay."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import Result
from impact.questionnaire import services
from impact.questionnaire.models import Answer, AnswerTally, Question, Response
from impact.questionnaire.selectors import (
    link_counts,
    questionnaire_results,
    worksheet_questionnaires,
)
from impact.questionnaire.tasks import erase_old_answers_task, schedule_erasure_task
from tests.impact.questionnaire.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_question(questionnaire):
    return Question.objects.create(
        questionnaire=questionnaire, text="Wat wil je nog zeggen?", answer_type="open", position=9
    )


def age(responses, days: int) -> None:
    """Make the responses as old as this (started that many days ago)."""
    Response.objects.filter(pk__in=[r.pk for r in responses]).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def erase(*args) -> str:
    out = io.StringIO()
    call_command("erase_old_answers", *args, stdout=out)
    return out.getvalue()


def summary_figures(questionnaire):
    """What the page shows of each question at each moment: n, mean, counts per answer."""
    return [
        [(s.n, s.mean, [row.count for row in s.rows]) for s in result.summaries]
        for result in questionnaire_results(questionnaire, full=True)
    ]


def test_old_answers_go_and_the_summaries_stay(
    settings, client_for, participant, questionnaire, link, end_link, open_question
):
    settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = 730
    answer_all(link, [1, 2, 2, 3, 5])
    age(Response.objects.filter(link=link), 731)
    answer_all(end_link, [3, 4, 4, 5, 5, 5])
    before = summary_figures(questionnaire)
    counts_before = [(c.started, c.finished, c.from_paper) for c in link_counts(questionnaire)]

    out = erase()

    assert "Erased 5 response(s) with 25 answer(s) older than 730 days." in out
    assert not Response.objects.filter(link=link).exists()
    assert not Answer.objects.filter(response__link=link).exists()
    assert Response.objects.filter(link=end_link).count() == 6  # not old enough
    assert summary_figures(questionnaire) == before
    assert [(c.started, c.finished, c.from_paper) for c in link_counts(questionnaire)] == (
        counts_before
    )
    assert worksheet_questionnaires(worksheet=questionnaire.worksheet)[0].sent == 11
    page = client_for(participant).get(
        reverse("impact:questionnaire_results", args=[questionnaire.pk])
    )
    text = page.content.decode()
    assert "Gemiddelde: 2,6" in text and "q-chart" in text
    assert "Antwoord 1" not in text and "Antwoord 4" in text  # the texts of the old ones go


def test_the_open_answers_text_is_not_kept_only_how_many(
    settings, questionnaire, link, open_question
):
    answer_all(link, [1, 2, 3, 4, 5])
    age(Response.objects.all(), 800)
    erase()
    tally = AnswerTally.objects.get(question=open_question)
    assert (tally.number, tally.count) == (None, 5)
    summary = next(
        r for r in questionnaire_results(questionnaire, full=True) if r.question == open_question
    ).summaries[0]
    assert summary.n == 5 and summary.texts == []


def test_results_made_from_the_answers_stay(client_for, participant, questionnaire, link):
    answer_all(link, [3, 4, 4, 5, 5])
    question = questionnaire.questions.get(position=0)
    client_for(participant).post(reverse("impact:question_result", args=[question.pk, link.pk]))
    age(Response.objects.all(), 800)
    erase()
    result = Result.objects.get(indicator=question.indicator)
    assert result.value == Decimal("4.2") and result.respondents == 5
    assert result.moment == link.moment


def test_a_second_run_counts_nothing_twice_and_new_answers_add_up(questionnaire, link):
    answer_all(link, [1, 2, 3, 4, 5])
    age(Response.objects.all(), 800)
    erase()
    assert "Erased 0 response(s)" in erase()
    answer_all(link, [5])  # given today, at the same moment
    first = questionnaire_results(questionnaire, full=True)[0].summaries[0]
    assert first.n == 6 and [row.count for row in first.rows] == [1, 1, 1, 1, 2]
    age(Response.objects.all(), 800)
    erase()
    again = questionnaire_results(questionnaire, full=True)[0].summaries[0]
    assert again.n == 6 and [row.count for row in again.rows] == [1, 1, 1, 1, 2]
    assert link_counts(questionnaire)[0].finished == 6


def test_a_dry_run_only_counts(questionnaire, link):
    answer_all(link, [1, 2, 3])
    age(Response.objects.all(), 800)
    assert "Would erase 3 response(s) older than 730 days." in erase("--dry-run")
    assert Response.objects.count() == 3 and not AnswerTally.objects.exists()


def test_zero_days_keeps_the_answers(settings, questionnaire, link):
    settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = 0
    answer_all(link, [1, 2, 3])
    age(Response.objects.all(), 5000)
    assert "answers are kept" in erase()
    assert services.erase_old_answers().responses == 0
    assert Response.objects.count() == 3


def test_the_setting_decides_how_old_is_too_old(settings, questionnaire, link):
    settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = 30
    answer_all(link, [1, 2])
    age(Response.objects.all(), 29)
    erase()
    assert Response.objects.count() == 2
    age(Response.objects.all(), 31)
    erase()
    assert Response.objects.count() == 0


def test_the_workers_task_erases_too(questionnaire, link):
    answer_all(link, [1, 2, 3])
    age(Response.objects.all(), 800)
    result = erase_old_answers_task.enqueue()  # the tests' backend runs it at once
    assert result.return_value == {"responses": 3, "answers": 12}
    assert not Response.objects.exists()


def test_the_command_hands_a_run_to_the_worker(questionnaire, link):
    answer_all(link, [1])
    age(Response.objects.all(), 800)
    assert "Erasure queued as task" in erase("--in-background")
    assert not Response.objects.exists()


def test_the_daily_run_is_scheduled_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert schedule_erasure_task() is True
    assert schedule_erasure_task() is False
    assert "Erasure was scheduled already." in erase("--schedule")
    waiting = DBTaskResult.objects.get(task_path=erase_old_answers_task.module_path)
    assert waiting.run_after > timezone.now() + dt.timedelta(hours=23)
    assert waiting.args_kwargs["kwargs"] == {"repeat": True}


def test_the_immediate_backend_schedules_nothing(questionnaire):
    assert schedule_erasure_task() is False


def test_a_question_with_erased_answers_keeps_its_kind_of_answer(
    client_for, participant, questionnaire, link
):
    question = questionnaire.questions.get(position=0)
    answer_all(link, [1, 2, 3])
    age(Response.objects.all(), 800)
    erase()
    response = client_for(participant).post(
        reverse("impact:question_edit", args=[question.pk]),
        {"text": question.text, "answer_type": "open", "indicator": question.indicator_id},
    )
    assert response.status_code == 422
    question.refresh_from_db()
    assert question.answer_type == "smiley5"


def test_the_respondent_is_told_how_long_answers_are_kept(settings, client, link):
    settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = 730
    page = client.get(link.get_respondent_url()).content.decode()
    assert "Na 2 jaar wissen we je antwoorden. Alleen de totalen blijven." in page
    settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = 0
    assert "wissen we je antwoorden" not in client.get(link.get_respondent_url()).content.decode()


@pytest.mark.parametrize("responses", [5, 25])
def test_after_an_erasure_the_results_page_costs_one_query_more(
    client_for, participant, questionnaire, link, end_link, django_assert_max_num_queries, responses
):
    answer_all(link, [3] * responses)
    age(Response.objects.all(), 800)
    erase()
    answer_all(end_link, [4] * responses)
    client = client_for(participant)
    url = reverse("impact:questionnaire_results", args=[questionnaire.pk])
    # session, user, roles, questionnaire, organisation right, editor right, links,
    # questions, answer counts, open answers, the tallies of erased answers, link counts
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
