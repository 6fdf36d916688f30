"""Proposed questions for the starter kit's indicators, in easy-read Dutch (A2–B1).

Short sentences, one idea per question, "je" and "ik", concrete words. Like the starter
kit itself these are Dutch content, not interface text. Where a question follows an
existing instrument the source says so ("naar …": the idea, in our own simple words); the
others come from practice in the kringloop branch. A participant always edits them.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.library.starter_kit import ARBEID, PRAKTIJK
from impact.questionnaire.models import Question

T = Question.AnswerType

ROSENBERG = "naar de zelfwaardeschaal van Rosenberg (in eenvoudige woorden)"
POSITIEVE_GEZONDHEID = "naar Positieve Gezondheid, het spinnenweb (in eenvoudige woorden)"
WEMWBS = "naar de Warwick-Edinburgh-schaal voor welbevinden (in eenvoudige woorden)"
EENZAAMHEID = "naar de eenzaamheidsschaal van De Jong Gierveld (in eenvoudige woorden)"
WERKVAARDIGHEDEN = f"{ARBEID}: werknemersvaardigheden"


@dataclass(frozen=True)
class Proposal:
    text: str
    answer_type: str
    source: str
    choices: tuple[tuple[str, str], ...] = ()  # (label, icon) for a choice
    number_max: int = 100


P = Proposal

# Per indicator of the starter kit (by its title): the questions it proposes.
BY_INDICATOR: dict[str, list[Proposal]] = {
    "Zelfvertrouwen op een schaal van 1 tot 5": [
        P("Ik durf nieuwe dingen te proberen.", T.SMILEY5, ROSENBERG),
        P("Ik ben trots op wat ik kan.", T.SMILEY5, ROSENBERG),
        P("Ik durf hulp te vragen als ik iets niet weet.", T.SMILEY5, PRAKTIJK),
    ],
    "Welbevinden op een schaal van 1 tot 5": [
        P("Ik voel me goed als ik hier werk.", T.SMILEY5, WEMWBS),
        P("Ik heb collega's met wie ik kan praten.", T.SMILEY3, EENZAAMHEID),
        P("Ik slaap goed.", T.SMILEY3, POSITIEVE_GEZONDHEID),
    ],
    "Score op de checklist werknemersvaardigheden": [
        P("Ik weet wat ik moet doen op mijn werk.", T.SMILEY3, WERKVAARDIGHEDEN),
        P("Ik ben op tijd op mijn werk.", T.YES_NO, WERKVAARDIGHEDEN),
        P("Ik werk goed samen met anderen.", T.SMILEY3, WERKVAARDIGHEDEN),
    ],
    "Uitstroom naar betaald werk binnen 12 maanden": [
        P("Heb je nu betaald werk?", T.YES_NO, ARBEID),
        P(
            "Wat doe je nu het meest?",
            T.CHOICE,
            ARBEID,
            choices=(
                ("Betaald werk", "work"),
                ("Een opleiding", "school"),
                ("Vrijwilligerswerk", "heart"),
                ("Iets anders", "other"),
            ),
        ),
    ],
    "Uitstroom naar opleiding of plaatsing": [
        P("Wil je een opleiding gaan doen?", T.YES_NO, ARBEID),
    ],
    "Vooruitgang in taalniveau": [
        P("Ik praat Nederlands op mijn werk.", T.SMILEY3, PRAKTIJK),
        P("Ik begrijp wat mijn collega's zeggen.", T.SMILEY3, PRAKTIJK),
    ],
    "Ervaren zingeving van vrijwilligers": [
        P("Mijn werk hier is nuttig.", T.SMILEY5, POSITIEVE_GEZONDHEID),
        P("Ik kom hier graag.", T.SMILEY3, PRAKTIJK),
        P("Hoeveel uur per week werk je hier?", T.NUMBER, PRAKTIJK, number_max=60),
    ],
    "Verhalen van deelnemers over hun ontwikkeling": [
        P("Wat heb je hier geleerd?", T.OPEN, PRAKTIJK),
    ],
    "Aandeel klanten met een laag inkomen": [
        P(
            "Waarom koop je hier?",
            T.CHOICE,
            PRAKTIJK,
            choices=(
                ("Het is goedkoop", "euro"),
                ("Goed voor het milieu", "leaf"),
                ("Ik vind mooie dingen", "star"),
                ("Iets anders", "other"),
            ),
        ),
    ],
    "Tevredenheid van gasten": [
        P("Het eten was lekker.", T.SMILEY5, PRAKTIJK),
        P("Kom je nog een keer?", T.YES_NO, PRAKTIJK),
    ],
}

# Indicators named otherwise (written by hand, or renamed) are matched on a word.
BY_WORD: list[tuple[str, str]] = [
    ("zelfvertrouwen", "Zelfvertrouwen op een schaal van 1 tot 5"),
    ("welbevinden", "Welbevinden op een schaal van 1 tot 5"),
    ("vaardigheden", "Score op de checklist werknemersvaardigheden"),
    ("werkritme", "Score op de checklist werknemersvaardigheden"),
    ("betaald werk", "Uitstroom naar betaald werk binnen 12 maanden"),
    ("taal", "Vooruitgang in taalniveau"),
    ("zingeving", "Ervaren zingeving van vrijwilligers"),
    ("verhalen", "Verhalen van deelnemers over hun ontwikkeling"),
    ("tevredenheid", "Tevredenheid van gasten"),
]

# Icons for a choice: the project's own SVGs in static/questionnaire/icons/.
ICONS = ["work", "school", "heart", "home", "bike", "euro", "leaf", "star", "food", "other"]
# The names a Dutch participant types for them.
DUTCH_ICON_NAMES = {
    "werk": "work",
    "school": "school",
    "hart": "heart",
    "huis": "home",
    "fiets": "bike",
    "euro": "euro",
    "blad": "leaf",
    "ster": "star",
    "eten": "food",
    "anders": "other",
}

INTRO = (
    "Wij willen weten hoe het met je gaat. Daarom stellen we je een paar korte vragen. "
    "Er zijn geen goede of foute antwoorden."
)


def proposals_for(indicator_name: str) -> list[Proposal]:
    """The kit's questions for an indicator, found by title or by a word in its name."""
    if indicator_name in BY_INDICATOR:
        return BY_INDICATOR[indicator_name]
    lowered = indicator_name.lower()
    for word, title in BY_WORD:
        if word in lowered:
            return BY_INDICATOR[title]
    return []
