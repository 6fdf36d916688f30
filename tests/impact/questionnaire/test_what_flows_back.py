"""What flows back: summaries per question and moment, privacy for small groups, results
in the worksheet's history, and the raw answers as CSV for the organisation."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from impact.models import Result, Revision
from impact.questionnaire.models import Question
from impact.questionnaire.selectors import questionnaire_results
from tests.impact.questionnaire.conftest import answer_all

pytestmark = pytest.mark.django_db


def _first(results):
    return results[0]


def test_distribution_mean_and_change_from_begin_to_end(link, end_link):
    answer_all(link, [1, 2, 2, 3, 5])
    answer_all(end_link, [3, 4, 4, 5, 5, 5])
    result = _first(questionnaire_results(link.questionnaire, full=False))
    before, after = result.summaries
    assert (before.n, after.n) == (5, 6)
    assert [row.count for row in before.rows] == [1, 2, 1, 0, 1]
    assert [row.percent for row in before.rows] == [20, 40, 20, 0, 20]
    assert before.mean == Decimal("2.6") and after.mean == Decimal("4.3")
    assert before.positive_percent == 20 and after.positive_percent == 83
    assert result.change.mean == Decimal("1.7") and result.change.positive == 63


def test_small_groups_are_hidden_from_trainers_but_not_from_the_organisation(
    client_for, participant, trainer, coordinator, link
):
    answer_all(link, [1, 2, 3, 4])
    url = reverse("impact:questionnaire_results", args=[link.questionnaire.pk])
    for person in (trainer, coordinator):
        page = client_for(person).get(url).content.decode()
        assert "Te weinig antwoorden om te tonen." in page
        assert "Gemiddelde" not in page and "q-chart" not in page
    page = client_for(participant).get(url).content.decode()
    assert "Te weinig antwoorden om te tonen." not in page and "Gemiddelde: 2,5" in page


def test_open_answers_reach_the_organisation_only(client_for, participant, trainer, link):
    question = Question.objects.create(
        questionnaire=link.questionnaire, text="Wat wil je zeggen?", answer_type="open", position=9
    )
    assert question.pk
    answer_all(link, [1, 2, 3, 4, 5, 5])
    url = reverse("impact:questionnaire_results", args=[link.questionnaire.pk])
    assert "Antwoord 4" in client_for(participant).get(url).content.decode()
    assert "Antwoord 4" not in client_for(trainer).get(url).content.decode()


def test_turning_answers_into_a_result_goes_through_the_history(
    client_for, participant, link, indicators
):
    answer_all(link, [3, 4, 4, 5, 5])
    question = link.questionnaire.questions.get(position=0)
    response = client_for(participant).post(
        reverse("impact:question_result", args=[question.pk, link.pk])
    )
    assert response.status_code == 302
    result = Result.objects.get(indicator=indicators[0])
    assert result.value == Decimal("4.2") and result.respondents == 5
    assert result.period == "Voormeting" and result.evidence == "vragenlijst Voormeting"
    assert str(result.measured_on) == "2026-03-31"
    assert "Ik durf nieuwe dingen te proberen." in result.narrative
    assert Revision.objects.filter(row_type="result", row_id=result.pk, action="create").exists()


def test_a_question_without_answers_becomes_no_result(client_for, participant, link):
    question = link.questionnaire.questions.first()
    client_for(participant).post(reverse("impact:question_result", args=[question.pk, link.pk]))
    assert not Result.objects.exists()


def test_csv_has_a_row_per_response_for_dutch_excel_and_defuses_formulas(
    client_for, participant, trainer, link
):
    Question.objects.create(
        questionnaire=link.questionnaire, text="=cmd|' /C calc'!A0", answer_type="open", position=9
    )
    answer_all(link, [1, 3])
    response = client_for(participant).get(
        reverse("impact:questionnaire_answers_csv", args=[link.questionnaire.pk])
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["antwoord", "meetmoment", "begonnen", "verstuurd", "van papier"]
    assert rows[0][-1] == "'=cmd|' /C calc'!A0"
    assert len(rows) == 3 and rows[1][4] == "ja" and rows[1][5] == "Helemaal niet"
    assert (
        client_for(trainer)
        .get(reverse("impact:questionnaire_answers_csv", args=[link.questionnaire.pk]))
        .status_code
        == 403
    )


def test_results_page_query_count(
    client_for, participant, link, end_link, django_assert_max_num_queries
):
    answer_all(link, [1, 2, 3, 4, 5])
    client = client_for(participant)
    url = reverse("impact:questionnaire_results", args=[link.questionnaire.pk])
    # session, user, questionnaire, organisation right, editor right, links, questions,
    # answer counts, open answers, link counts
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    answer_all(end_link, [1, 2, 3, 4, 5, 5, 5])
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
