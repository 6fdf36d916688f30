"""What the reports say of the value step: its status, and the biggest assumptions in
words, one line per effect."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from impact.models import ValueStep
from impact.value import report
from impact.value.calculation import Assumption


def _assumption(key: str, label: str, name: str, value: D) -> Assumption:
    return Assumption(effect_key=key, effect_label=label, name=name, value=value, swing=D(1))


def test_the_biggest_assumptions_are_grouped_per_effect_in_the_order_of_their_swing():
    work = "Deelnemers stromen door naar betaald werk of een opleiding."
    assumptions = [
        _assumption("12", work, "quantity", D(3)),
        _assumption("7", "Minder uitval", "deadweight", D("12.5")),
        _assumption("12", work, "proxy", D("15780.96")),
        _assumption("12", work, "duration", D(3)),
    ]
    with translation.override("nl"):
        lines = report.assumption_texts(assumptions, {12: 4})

    assert lines == [
        "Effect 4 (Deelnemers stromen door naar betaald werk of een opleiding): aantal 3, "
        "financiële proxy € 15.780,96, duur 3 jaar",
        "Minder uitval: deadweight 12,5 %",  # not numbered in the report: no number
    ]


def test_a_long_effect_is_shortened_to_the_room_given():
    long = "Nieuwkomers spreken beter Nederlands en durven vaker het woord te nemen."
    with translation.override("nl"):
        [line] = report.assumption_texts(
            [_assumption("3", long, "drop_off", D(50))], {}, label_length=20
        )
    assert line == "Nieuwkomers spreken…: afname 50 %"


@pytest.mark.parametrize(
    ("fields", "code", "label"),
    [
        ({"is_enabled": False}, "off", "nee"),
        ({"is_enabled": True}, "indicative", "ja, indicatief"),
        ({"is_enabled": True, "approved_at": "2026-12-02T10:00Z"}, "approved", "ja, goedgekeurd"),
    ],
)
def test_status_says_whether_a_value_step_was_made_and_approved(fields, code, label):
    step = ValueStep(**fields)
    assert report.status(step) == code
    with translation.override("nl"):
        assert report.status_label(code) == label


def test_no_value_step_is_no():
    assert report.status(None) == "off"
