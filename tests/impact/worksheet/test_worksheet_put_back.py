"""Putting a removed row back, from its history, with what was removed along with it."""

import pytest
from django.urls import reverse

from impact.models import Effect, Indicator, Output, Result, Revision, Stakeholder
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    IndicatorFactory,
    OutputFactory,
    ResultFactory,
    StakeholderFactory,
)
from tests.impact.worksheet_helpers import STAKEHOLDER, row_url, update_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def remove(client, worksheet, row_type, obj, confirm=True):
    data = {"version": obj.version, **({"confirm": "1"} if confirm else {})}
    response = client.post(row_url("delete", worksheet, row_type, obj.pk), data)
    assert response.status_code == 302


def put_back(client, worksheet, row_type, row_id):
    return client.post(row_url("put_back", worksheet, row_type, row_id))


def test_a_stakeholder_comes_back_with_its_effects_indicators_and_results(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Vrijwilligers")
    activity = ActivityFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder, description="Zinvol")
    effect.activities.add(activity)
    indicator = IndicatorFactory(effect=effect, name="Uren per week")
    result = ResultFactory(indicator=indicator, period="Voorjaar")
    remove(client, worksheet, "stakeholder", stakeholder)
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    assert not Result.objects.filter(pk=result.pk).exists()

    response = put_back(client, worksheet, "stakeholder", stakeholder.pk)

    assert response.status_code == 302
    assert f"?bewerken=stakeholder-{stakeholder.pk}" in response["Location"]
    back = Stakeholder.objects.get(pk=stakeholder.pk)
    assert back.name == "Vrijwilligers"
    assert back.version == stakeholder.version + 1
    effect_back = Effect.objects.get(pk=effect.pk)
    assert effect_back.stakeholder == back
    assert list(effect_back.activities.all()) == [activity]
    assert Indicator.objects.get(pk=indicator.pk).effect == effect_back
    assert Result.objects.get(pk=result.pk).period == "Voorjaar"
    created = Revision.objects.filter(worksheet=worksheet, action="create")
    assert {(r.row_type, r.row_id) for r in created} == {
        ("stakeholder", stakeholder.pk),
        ("effect", effect.pk),
        ("indicator", indicator.pk),
        ("result", result.pk),
    }
    page = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2]))
    assert "Vrijwilligers" in page.text


def test_links_to_rows_that_are_gone_are_left_out(client, worksheet):
    kept = ActivityFactory(worksheet=worksheet, title="Koken")
    gone = ActivityFactory(worksheet=worksheet, title="Weg")
    effect = EffectFactory(worksheet=worksheet)
    effect.activities.add(kept, gone)
    remove(client, worksheet, "effect", effect)
    remove(client, worksheet, "activity", gone)
    put_back(client, worksheet, "effect", effect.pk)
    assert list(Effect.objects.get(pk=effect.pk).activities.all()) == [kept]


def test_a_sub_row_needs_its_row_back_first(client, worksheet):
    activity = ActivityFactory(worksheet=worksheet)
    output = OutputFactory(activity=activity)
    remove(client, worksheet, "output", output)
    remove(client, worksheet, "activity", activity)
    response = put_back(client, worksheet, "output", output.pk)
    assert response.status_code == 302
    assert response["Location"] == row_url("history", worksheet, "output", output.pk)
    assert not Output.objects.filter(pk=output.pk).exists()
    put_back(client, worksheet, "activity", activity.pk)
    put_back(client, worksheet, "output", output.pk)
    assert Output.objects.get(pk=output.pk).activity_id == activity.pk


def test_a_row_that_is_not_removed_stays_as_it_is(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, STAKEHOLDER),
    )
    before = Revision.objects.count()
    response = put_back(client, worksheet, "stakeholder", stakeholder.pk)
    assert response.status_code == 302
    assert Revision.objects.count() == before
    assert put_back(client, worksheet, "stakeholder", 10**12).status_code == 404


def test_the_history_of_a_removed_row_offers_it_back_to_editors_only(
    client, client_for, trainer, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    remove(client, worksheet, "stakeholder", stakeholder)
    history = row_url("history", worksheet, "stakeholder", stakeholder.pk)
    button = row_url("put_back", worksheet, "stakeholder", stakeholder.pk)
    assert button in client.get(history).text
    assert button not in client_for(trainer).get(history).text
    assert client_for(trainer).post(button).status_code == 403
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
