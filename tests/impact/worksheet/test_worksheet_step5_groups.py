"""Step 5 folds per effect once it is long: each effect's summary counts what is inside,
and an effect that is being edited, has open feedback or still needs an indicator stays
unfolded."""

import re

import pytest
from django.urls import reverse

from tests.factories import CommentFactory, EffectFactory, IndicatorFactory, ResultFactory

pytestmark = pytest.mark.django_db


def groups(page: str) -> dict[int, str]:
    """Each effect's <details> opening tag and summary, by effect id."""
    found = re.findall(
        r'(<details class="ws-effect-group" id="effect-(\d+)"[^>]*>.*?</summary>)', page, re.S
    )
    return {int(pk): html for html, pk in found}


def is_open(html: str) -> bool:
    return html.split(">", 1)[0].endswith(" open")


def step_5(client, worksheet, **params) -> str:
    url = reverse("impact:worksheet_step", args=[worksheet.pk, 5])
    response = client.get(url, params)
    assert response.status_code == 200
    return response.text


def effects_with_indicators(worksheet, count: int, results: int = 1) -> list:
    effects = EffectFactory.create_batch(count, worksheet=worksheet)
    for effect in effects:
        indicator = IndicatorFactory(effect=effect)
        ResultFactory.create_batch(results, indicator=indicator)
    return effects


def test_step_5_without_effects_links_to_step_4(client_for, participant, worksheet):
    page = step_5(client_for(participant), worksheet)
    step_4 = reverse("impact:worksheet_step", args=[worksheet.pk, 4])
    assert f'Beschrijf eerst effecten in <a href="{step_4}">stap 4</a>;' in page


def test_a_short_step_5_shows_every_effect_unfolded(client_for, participant, worksheet):
    effects_with_indicators(worksheet, 2)
    page = step_5(client_for(participant), worksheet)
    assert len(groups(page)) == 2
    assert all(is_open(html) for html in groups(page).values())


def test_a_long_step_5_folds_each_effect_with_a_count(client_for, participant, worksheet):
    effects = effects_with_indicators(worksheet, 4, results=2)
    IndicatorFactory(effect=effects[0])
    page = step_5(client_for(participant), worksheet)
    folded = groups(page)
    assert not any(is_open(html) for html in folded.values())
    assert "2 indicatoren, 2 resultaten" in folded[effects[0].pk]
    assert "1 indicator, 2 resultaten" in folded[effects[1].pk]
    # Folded is not gone: the rows are in the page, for find-in-page and without JavaScript.
    assert page.count('class="ws-row ws-row--indicator') == 5


def test_a_long_step_5_keeps_open_what_needs_attention(client_for, participant, trainer, worksheet):
    edited, discussed, empty, quiet = effects_with_indicators(worksheet, 4, results=2)
    empty.indicators.all().delete()
    discussed_indicator = discussed.indicators.get()
    CommentFactory(
        worksheet=worksheet,
        step=5,
        author=trainer,
        row_type="indicator",
        row_id=discussed_indicator.pk,
    )
    EffectFactory.create_batch(2, worksheet=worksheet)  # more to keep the step long
    effects_with_indicators(worksheet, 2, results=2)
    indicator = edited.indicators.get()
    page = step_5(client_for(participant), worksheet, bewerken=f"indicator-{indicator.pk}")
    found = groups(page)
    assert is_open(found[edited.pk])  # the row opened for editing is visible
    assert f'name="indicator-{indicator.pk}-name"' in page
    assert is_open(found[discussed.pk]) and "1 open opmerking" in found[discussed.pk]
    assert is_open(found[empty.pk])  # an effect without an indicator shows its add link
    assert not is_open(found[quiet.pk])
