"""A worksheet with two indicators, a questionnaire about them, and a link per moment."""

import datetime as dt

import pytest

from impact.models import Indicator
from impact.questionnaire import services
from tests.factories import EffectFactory, IndicatorFactory


@pytest.fixture
def indicators(worksheet):
    effect = EffectFactory(worksheet=worksheet, description="Deelnemers krijgen zelfvertrouwen")
    return [
        IndicatorFactory(
            effect=effect,
            name="Zelfvertrouwen op een schaal van 1 tot 5",
            method=Indicator.Method.SURVEY,
            baseline=3,
            target=4,
        ),
        IndicatorFactory(effect=effect, name="Aantal werkleerplekken", position=1),
    ]


@pytest.fixture
def questionnaire(worksheet, indicators):
    return services.create_questionnaire(
        worksheet=worksheet, title="Hoe gaat het?", intro="", indicators=indicators
    )


@pytest.fixture
def link(questionnaire):
    return services.share_at_moment(
        questionnaire=questionnaire,
        name="Voormeting",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )


@pytest.fixture
def end_link(questionnaire, link):
    return services.share_at_moment(
        questionnaire=questionnaire,
        name="Nameting",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
    )


def answer_all(link, values: list[int], *, paper: bool = True) -> None:
    """One finished response per value, every scale question answered with that value."""
    questions = list(link.questionnaire.questions.all())
    for value in values:
        answers = {}
        for question in questions:
            if question.is_scale:
                answers[question] = (min(value, question.scale_points), "")
            elif question.answer_type == "open":
                answers[question] = (None, f"Antwoord {value}")
        services.enter_paper_response(link=link, answers=answers)
