"""The answer options of each answer type: the value stored, the words under it, its image.

The words are interface text in the respondent's language (easy-read Dutch by default).
Values run from the least to the most positive, so a mean and a change can be read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from impact.questionnaire.models import Question

T = Question.AnswerType


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    image: str  # a file under static/questionnaire/


def _faces(names: list[str], labels: list) -> list[Option]:
    return [
        Option(index, label, f"questionnaire/face-{name}.svg")
        for index, (name, label) in enumerate(zip(names, labels, strict=True), start=1)
    ]


SMILEY3 = _faces(
    ["sad", "neutral", "happy"],
    [_("No"), _("A bit"), _("Yes")],
)
SMILEY5 = _faces(
    ["very-sad", "sad", "neutral", "happy", "very-happy"],
    [_("Not at all"), _("Not really"), _("A bit"), _("Yes"), _("Yes, very much")],
)
YES_NO = [
    Option(1, _("No"), "questionnaire/answer-no.svg"),
    Option(2, _("A bit"), "questionnaire/answer-a-bit.svg"),
    Option(3, _("Yes"), "questionnaire/answer-yes.svg"),
]


def options_for(question: Question) -> list[Option]:
    """The options a respondent picks from; [] for a number or an open question."""
    if question.answer_type == T.SMILEY3:
        return SMILEY3
    if question.answer_type == T.SMILEY5:
        return SMILEY5
    if question.answer_type == T.YES_NO:
        return YES_NO
    if question.answer_type == T.CHOICE:
        return [
            Option(
                index,
                choice.get("label", ""),
                f"questionnaire/icon-{choice.get('icon') or 'other'}.svg",
            )
            for index, choice in enumerate(question.choices or [], start=1)
        ]
    return []


def positive_values(question: Question) -> set[int]:
    """The answers that count as positive for the share shown beside the mean."""
    if question.answer_type == T.SMILEY5:
        return {4, 5}
    if question.answer_type in (T.SMILEY3, T.YES_NO):
        return {3}
    return set()
