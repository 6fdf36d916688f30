"""The questionnaire's models and the starter kit's proposed questions."""

import pytest
from django.db import IntegrityError

from impact.library.starter_kit import INDICATORS
from impact.models import Worksheet
from impact.questionnaire import kit
from impact.questionnaire.models import (
    Answer,
    MeasurementMoment,
    Question,
    Questionnaire,
    Response,
    ShareLink,
)
from impact.questionnaire.selectors import questionnaire_results

pytestmark = pytest.mark.django_db


def test_every_kit_proposal_names_an_indicator_of_the_starter_kit():
    titles = {row[1] for row in INDICATORS}
    assert set(kit.BY_INDICATOR) <= titles
    assert {title for _word, title in kit.BY_WORD} <= set(kit.BY_INDICATOR)


def test_kit_questions_are_short_and_speak_to_the_respondent():
    for proposals in kit.BY_INDICATOR.values():
        for proposal in proposals:
            assert len(proposal.text.split()) <= 10, proposal.text
            assert proposal.source, proposal.text
            lowered = f" {proposal.text.lower()} "
            assert " u " not in lowered and " uw " not in lowered, proposal.text
            if proposal.answer_type == Question.AnswerType.CHOICE:
                assert all(icon in kit.ICONS for _label, icon in proposal.choices)


def test_indicators_named_otherwise_are_matched_on_a_word():
    assert (
        kit.proposals_for("Gemiddelde score zelfvertrouwen")
        == kit.BY_INDICATOR["Zelfvertrouwen op een schaal van 1 tot 5"]
    )
    assert kit.proposals_for("Kilo's textiel") == []


def test_questionnaire_proposes_the_kit_questions_and_a_draft_for_the_rest(questionnaire):
    questions = list(questionnaire.questions.all())
    texts = [q.text for q in questions]
    assert texts[:3] == [p.text for p in kit.BY_INDICATOR[questions[0].indicator.name]]
    assert texts[3] == "Aantal werkleerplekken"  # no kit questions: a draft to rewrite
    assert [q.position for q in questions] == [0, 1, 2, 3]
    assert questionnaire.intro == kit.INTRO


def test_second_moment_shares_the_questions_and_gets_its_own_token(link, end_link):
    assert end_link.questionnaire == link.questionnaire
    assert end_link.token != link.token and len(link.token) >= 20
    assert MeasurementMoment.objects.filter(worksheet=link.questionnaire.worksheet).count() == 2


def test_one_response_per_session_and_one_answer_per_question(link):
    Response.objects.create(link=link, session_key_hash="a" * 64)
    with pytest.raises(IntegrityError):
        Response.objects.create(link=link, session_key_hash="a" * 64)


def test_paper_responses_need_no_session(link):
    Response.objects.create(link=link, entered_from_paper=True)
    Response.objects.create(link=link, entered_from_paper=True)
    assert link.responses.count() == 2


def test_erasing_the_worksheet_erases_the_answers(link):
    response = Response.objects.create(link=link, entered_from_paper=True)
    Answer.objects.create(
        response=response, question=link.questionnaire.questions.first(), number=3
    )
    worksheet = Worksheet.objects.get(pk=link.questionnaire.worksheet_id)
    worksheet.effects.all().delete()  # effects protect their stakeholders: they go first
    worksheet.delete()
    assert not Answer.objects.exists()
    assert not ShareLink.objects.exists()
    assert not MeasurementMoment.objects.exists()


def test_closing_and_reopening_a_link(link):
    link.close()
    assert not ShareLink.objects.open().filter(pk=link.pk).exists()
    link.reopen()
    assert ShareLink.objects.open().filter(pk=link.pk).exists()


def test_demo_has_a_begin_and_end_measurement_for_deksels(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    questionnaire = Questionnaire.objects.get(worksheet__good_practice="Restaurant Deksels")
    counts = [
        link.responses.filter(finished_at__isnull=False).count()
        for link in questionnaire.links.all()
    ]
    assert len(counts) == 2 and min(counts) >= 12
    results = questionnaire_results(questionnaire, full=False)
    assert results[0].change.mean > 0
