"""Chain health: gentle warnings about weak links, shown on the step pages."""

import pytest
from django.urls import reverse

from impact.worksheet.health import chain_health, looks_like_output
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    IndicatorFactory,
    StakeholderFactory,
    WorksheetFactory,
)

pytestmark = pytest.mark.django_db


def codes(worksheet, steps=None):
    return {(w.code, w.row_id) for w in chain_health(worksheet, steps)}


@pytest.mark.parametrize(
    "text",
    [
        "12 werkleerplekken",
        "Aantal deelnemers dat start",
        "900 kg textiel ingezameld",
        "number of visitors",
    ],
)
def test_counts_read_as_outputs(text):
    assert looks_like_output(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ik durf meer te zeggen in het team.",
        "Deelnemers voelen zich sterker",
        "3 deelnemers krijgen betaald werk",
        "",
    ],
)
def test_changes_are_not_outputs(text):
    assert not looks_like_output(text)


def test_each_rule_finds_its_weak_link():
    worksheet = WorksheetFactory()
    lonely_activity = ActivityFactory(worksheet=worksheet)
    stakeholder = StakeholderFactory(worksheet=worksheet)
    forgotten = StakeholderFactory(worksheet=worksheet, is_material=True)
    StakeholderFactory(worksheet=worksheet, is_material=False, materiality_reason="klein")
    linked = ActivityFactory(worksheet=worksheet)
    effect = EffectFactory(
        worksheet=worksheet, stakeholder=stakeholder, description="12 werkleerplekken"
    )
    effect.activities.add(linked)
    measured = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
    indicator = IndicatorFactory(effect=measured, baseline=None, source="")
    assert codes(worksheet) == {
        ("activity_without_effect", lonely_activity.pk),
        ("stakeholder_without_effect", forgotten.pk),
        ("output_as_effect", effect.pk),
        ("effect_without_indicator", effect.pk),
        ("indicator_without_baseline", indicator.pk),
        ("indicator_without_source", indicator.pk),
    }
    assert codes(worksheet, {3}) == {("activity_without_effect", lonely_activity.pk)}
    assert ("stakeholder_without_effect", forgotten.pk) in codes(worksheet, {4})


def test_warnings_show_on_the_step_page(client_for, participant, organisation, cohort):
    from tests.impact.worksheet_helpers import worksheet_of

    worksheet = worksheet_of(organisation, cohort)
    activity = ActivityFactory(worksheet=worksheet, title="Fietsenwerkplaats")
    response = client_for(participant).get(reverse("impact:worksheet_step", args=[worksheet.pk, 3]))
    assert [w.row_id for w in response.context["warnings"]] == [activity.pk]
    assert f'href="/werkbladen/{worksheet.pk}/stap/3/#row-activity-{activity.pk}"' in response.text


def test_hint_counts_add_up_what_chain_health_finds_per_worksheet(
    django_assert_max_num_queries,
):
    """The programme view counts the same hints as the step pages show, for many worksheets
    in four queries."""
    from collections import Counter

    from impact.models import Worksheet
    from impact.worksheet.health import hint_counts

    sheets = []
    for number in range(3):
        worksheet = WorksheetFactory()
        stakeholder = StakeholderFactory(worksheet=worksheet)
        StakeholderFactory(worksheet=worksheet)  # material, no effect
        ActivityFactory(worksheet=worksheet)  # no effect
        EffectFactory(worksheet=worksheet, stakeholder=stakeholder, description="12 plekken")
        effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
        for _ in range(number):
            IndicatorFactory(effect=effect, baseline=None, source="")
        sheets.append(worksheet)
    expected_occurrences = Counter(w.code for sheet in sheets for w in chain_health(sheet))
    expected_organisations = Counter(
        code for sheet in sheets for code in {w.code for w in chain_health(sheet)}
    )
    with django_assert_max_num_queries(4):
        counts = hint_counts(worksheets=Worksheet.objects.filter(pk__in=[s.pk for s in sheets]))
    assert {c.code: c.occurrences for c in counts} == dict(expected_occurrences)
    assert {c.code: c.organisations for c in counts} == dict(expected_organisations)
    assert counts[0].organisations == 3  # most organisations first
    assert {c.code: c.organisations for c in counts}["indicator_without_baseline"] == 2
