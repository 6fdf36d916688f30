"""Restaurant Deksels asks its werkleerdeelnemers: a voormeting and a nameting of the same
easy-read questionnaire, with 14 and 13 responses. The answers are fictional."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from impact.models import Indicator, Worksheet
from impact.questionnaire import selectors, services
from impact.questionnaire.models import (
    Answer,
    Question,
    Questionnaire,
    Response,
    hash_session_key,
)
from organisations.models import User

TITLE = "Hoe gaat het met je in Deksels?"
INTRO = (
    "Wij willen weten hoe het met je gaat in Restaurant Deksels. Daarom stellen we je een "
    "paar korte vragen. Er zijn geen goede of foute antwoorden."
)

# Per response: the answers to the three zelfvertrouwen questions (1–5), to "collega's"
# (1–3), and an open answer or "". The nameting is clearly, not wildly, better.
BEGIN = [
    (2, 3, 2, 2, "Ik vind de keuken nog spannend."),
    (3, 2, 3, 2, ""),
    (2, 2, 1, 1, ""),
    (4, 3, 3, 3, "Ik help graag in de bediening."),
    (3, 3, 2, 2, ""),
    (1, 2, 2, 1, ""),
    (3, 4, 3, 3, ""),
    (2, 3, 3, 2, "Soms weet ik niet wat ik moet doen."),
    (3, 2, 2, 2, ""),
    (4, 4, 3, 3, ""),
    (2, 2, 2, 2, ""),
    (3, 3, 4, 2, ""),
    (2, 3, 2, 3, ""),
    (3, 2, 3, 2, ""),
]
END = [
    (4, 4, 3, 3, "Ik durf nu zelf gasten te helpen."),
    (3, 4, 4, 3, ""),
    (3, 3, 2, 2, ""),
    (5, 4, 4, 3, "Ik wil graag een opleiding in de horeca doen."),
    (4, 3, 3, 3, ""),
    (2, 3, 3, 2, ""),
    (4, 5, 4, 3, ""),
    (3, 4, 4, 3, ""),
    (4, 3, 3, 2, ""),
    (5, 5, 4, 3, "De collega's helpen mij als het druk is."),
    (3, 3, 3, 3, ""),
    (4, 4, 5, 3, ""),
    (3, 4, 3, 3, ""),
]


def deksels(worksheet: Worksheet, year: int, author: User) -> int:
    """Add the questionnaire with its two moments once, and the first question's answers at
    both as results of the indicator (step 5 compares them); returns the responses added."""
    if Questionnaire.objects.filter(worksheet=worksheet, title=TITLE).exists():
        return 0
    confidence = Indicator.objects.filter(
        effect__worksheet=worksheet, name="Zelfvertrouwen op een schaal van 1 tot 5"
    )
    questionnaire = services.create_questionnaire(
        worksheet=worksheet, title=TITLE, intro=INTRO, indicators=confidence
    )
    first = questionnaire.questions.first()
    first.text_en = "I dare to try new things."
    first.text_ar = "أجرؤ على تجربة أشياء جديدة."
    first.save()
    services.add_question(
        questionnaire=questionnaire,
        question=Question(
            text="Ik heb collega's met wie ik kan praten.",
            answer_type=Question.AnswerType.SMILEY3,
            source="naar de eenzaamheidsschaal van De Jong Gierveld (in eenvoudige woorden)",
        ),
    )
    services.add_question(
        questionnaire=questionnaire,
        question=Question(
            text="Wat heb je geleerd in Deksels?",
            answer_type=Question.AnswerType.OPEN,
            source="praktijk kringloopbranche",
        ),
    )
    questions = list(questionnaire.questions.all())
    moments = [
        ("Voormeting januari", dt.date(year, 1, 8), dt.date(year, 1, 31), BEGIN),
        ("Nameting december", dt.date(year, 12, 1), dt.date(year, 12, 19), END),
    ]
    added = 0
    for name, starts_on, ends_on, rows in moments:
        link = services.share_at_moment(
            questionnaire=questionnaire, name=name, starts_on=starts_on, ends_on=ends_on
        )
        for index, row in enumerate(rows):
            values = [*row[:4], None]
            texts = ["", "", "", "", row[4]]
            if index % 3 == 0:  # a job coach typed these in from the paper forms
                answers = dict(zip(questions, zip(values, texts, strict=True), strict=True))
                services.enter_paper_response(link=link, answers=answers)
            else:  # answered on a phone or the tablet in the canteen
                response = Response.objects.create(
                    link=link,
                    session_key_hash=hash_session_key(f"demo-{link.pk}-{index}"),
                    finished_at=timezone.now(),
                )
                Answer.objects.bulk_create(
                    Answer(response=response, question=q, number=v, text=t)
                    for q, v, t in zip(questions, values, texts, strict=True)
                    if v is not None or t
                )
            added += 1
    for summary in selectors.questionnaire_results(questionnaire, full=True)[0].summaries:
        services.record_result(question=first, summary=summary, author=author)
    return added
