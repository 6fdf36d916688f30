"""The participant builds a questionnaire, shares it per moment and opens or closes the link."""

import pytest
from django.urls import reverse

from impact.questionnaire.models import Question, Questionnaire, ShareLink
from tests.impact.questionnaire.conftest import answer_all

pytestmark = pytest.mark.django_db


def test_participant_builds_a_questionnaire_from_two_indicators(
    client_for, participant, worksheet, indicators
):
    client = client_for(participant)
    url = reverse("impact:questionnaire_create", args=[worksheet.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The survey indicator is proposed ticked, the registration one not.
    assert f'value="{indicators[0].pk}" id="id_indicators_0" checked' in page.content.decode()
    response = client.post(
        url,
        {"title": "Werk en jij", "intro": "", "indicators": [i.pk for i in indicators]},
    )
    questionnaire = Questionnaire.objects.get(worksheet=worksheet)
    assert response.status_code == 302 and response["Location"] == questionnaire.get_absolute_url()
    assert questionnaire.questions.filter(indicator=indicators[0]).count() == 3
    assert questionnaire.questions.filter(indicator=indicators[1]).count() == 1


def test_a_forged_indicator_of_another_worksheet_is_refused(
    client_for, participant, worksheet, indicators
):
    from tests.factories import IndicatorFactory

    foreign = IndicatorFactory()
    response = client_for(participant).post(
        reverse("impact:questionnaire_create", args=[worksheet.pk]),
        {"title": "Werk", "indicators": [foreign.pk]},
    )
    assert response.status_code == 422
    assert not Questionnaire.objects.exists()


def test_participant_edits_adds_moves_and_removes_questions(client_for, participant, questionnaire):
    client = client_for(participant)
    first, second = list(questionnaire.questions.all())[:2]
    response = client.post(
        reverse("impact:question_edit", args=[first.pk]),
        {
            "text": "Ik durf iets nieuws.",
            "answer_type": "smiley3",
            "indicator": first.indicator_id,
            "number_max": 100,
            "text_ar": "أجرؤ على تجربة أشياء جديدة.",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "Ik durf iets nieuws." and first.text_ar.startswith("أجرؤ")
    response = client.post(
        reverse("impact:question_create", args=[questionnaire.pk]),
        {
            "text": "Hoe kom je naar je werk?",
            "answer_type": "choice",
            "choices_text": "bike: Met de fiets\nLopend\n",
            "number_max": 100,
        },
    )
    assert response.status_code == 302
    added = questionnaire.questions.get(text="Hoe kom je naar je werk?")
    assert added.choices == [
        {"label": "Met de fiets", "icon": "bike"},
        {"label": "Lopend", "icon": "other"},
    ]
    assert added.position == questionnaire.questions.count() - 1
    client.post(reverse("impact:question_move", args=[second.pk, "op"]))
    assert list(questionnaire.questions.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    client.post(reverse("impact:question_delete", args=[added.pk]))
    assert not Question.objects.filter(pk=added.pk).exists()


def test_a_choice_needs_two_to_six_choices(client_for, participant, questionnaire):
    response = client_for(participant).post(
        reverse("impact:question_create", args=[questionnaire.pk]),
        {"text": "Kies", "answer_type": "choice", "choices_text": "Alleen deze", "number_max": 1},
    )
    assert response.status_code == 422
    assert "Geef 2 tot 6 keuzes" in response.content.decode()


def test_the_kind_of_answer_stays_once_there_are_answers(client_for, participant, link):
    answer_all(link, [3])
    question = link.questionnaire.questions.first()
    response = client_for(participant).post(
        reverse("impact:question_edit", args=[question.pk]),
        {"text": question.text, "answer_type": "open", "number_max": 100},
    )
    assert response.status_code == 422
    question.refresh_from_db()
    assert question.answer_type == "smiley5"


def test_moments_the_second_copies_the_first_and_each_has_a_link(
    client_for, participant, questionnaire
):
    client = client_for(participant)
    url = reverse("impact:moment_create", args=[questionnaire.pk])
    client.post(
        url, {"name": "Voormeting maart", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}
    )
    page = client.get(questionnaire.get_absolute_url()).content.decode()
    assert 'value="Nameting"' in page  # the next moment is proposed
    client.post(url, {"name": "Nameting", "starts_on": "2026-09-01", "ends_on": "2026-09-30"})
    links = list(ShareLink.objects.filter(questionnaire=questionnaire))
    assert [link.moment.name for link in links] == ["Voormeting maart", "Nameting"]
    page = client.get(questionnaire.get_absolute_url()).content.decode()
    for link in links:
        assert f"http://testserver/v/{link.token}/" in page
        assert reverse("impact:link_qr", args=[link.pk]) in page


def test_a_moment_must_not_end_before_it_starts(client_for, participant, questionnaire):
    response = client_for(participant).post(
        reverse("impact:moment_create", args=[questionnaire.pk]),
        {"name": "Omgekeerd", "starts_on": "2026-03-31", "ends_on": "2026-03-01"},
    )
    assert response.status_code == 422
    assert not ShareLink.objects.exists()


def test_qr_code_is_an_svg_of_the_link(client_for, participant, link):
    response = client_for(participant).get(reverse("impact:link_qr", args=[link.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and b"<path" in response.content


def test_close_and_reopen_the_link(client_for, participant, link):
    client = client_for(participant)
    url = reverse("impact:link_toggle", args=[link.pk])
    client.post(url)
    link.refresh_from_db()
    assert not link.is_open
    assert client.get(link.get_respondent_url()).status_code == 410
    client.post(url)
    link.refresh_from_db()
    assert link.is_open


def test_counts_of_sent_started_and_paper_responses(client_for, participant, link):
    answer_all(link, [1, 2, 3])
    page = client_for(participant).get(link.questionnaire.get_absolute_url()).content.decode()
    assert "3 antwoorden verstuurd" in page and "3 van papier" in page


def test_trainer_reads_but_does_not_edit(client_for, trainer, link):
    client = client_for(trainer)
    page = client.get(link.questionnaire.get_absolute_url())
    assert page.status_code == 200
    assert (
        reverse("impact:question_create", args=[link.questionnaire.pk]) not in page.content.decode()
    )
    assert client.post(reverse("impact:link_toggle", args=[link.pk])).status_code == 403


def test_step_5_links_to_the_questionnaires(client_for, participant, link, worksheet):
    answer_all(link, [3, 3])
    page = client_for(participant).get(reverse("impact:worksheet_step", args=[worksheet.pk, 5]))
    content = page.content.decode()
    assert reverse("impact:questionnaire_create", args=[worksheet.pk]) in content
    assert "Hoe gaat het?" in content and "2 antwoorden" in content


def test_detail_page_query_count(
    client_for, participant, link, end_link, django_assert_max_num_queries
):
    answer_all(link, [1, 2, 3, 4, 5])
    client = client_for(participant)
    client.get(link.questionnaire.get_absolute_url())
    # session, user, questionnaire+worksheet, editor right, organisation right,
    # link counts, next moment, questions with indicators, savepoint pairs
    with django_assert_max_num_queries(10):
        assert client.get(link.questionnaire.get_absolute_url()).status_code == 200
