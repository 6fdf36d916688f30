"""Each step page costs the same number of queries for 3 rows as for 30."""

import datetime as dt

import pytest
from django.urls import reverse

from impact.models import MeasurementMoment
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    IndicatorFactory,
    OutputFactory,
    ResultFactory,
    StakeholderFactory,
    TargetGroupFactory,
)
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = pytest.mark.django_db

# Queries of a step page, roughly: session, user and roles (3), worksheet (1), may edit (1),
# trains this cohort (1), the step reviews with who
# changed them (1), the rows with their prefetches (1-4), the feedback marker of every row
# (1, on the steps with rows), chain health (0-4) and the step's feedback thread (2). Rows
# show as text and forms and the starter kit load when asked for, so none of them adds
# queries per row or per suggestion. A trainer's page also has the feedback form, which
# offers the step's rows. Step 5 also lists the questionnaires with their responses (1).
MAX_QUERIES = {
    "participant": {1: 10, 2: 11, 3: 13, 4: 14, 5: 14, 6: 8},
    "trainer": {1: 10, 2: 11, 3: 14, 4: 14, 5: 15, 6: 7},
}


def fill(worksheet, n: int) -> None:
    begin, end = (
        MeasurementMoment.objects.create(worksheet=worksheet, name=name, starts_on=day, ends_on=day)
        for name, day in (("Voormeting", dt.date(2026, 3, 1)), ("Nameting", dt.date(2026, 9, 1)))
    )
    stakeholders = StakeholderFactory.create_batch(n, worksheet=worksheet)
    TargetGroupFactory.create_batch(n, worksheet=worksheet)
    for i in range(n):
        activity = ActivityFactory(worksheet=worksheet)
        activity.stakeholders.add(stakeholders[i])
        OutputFactory(activity=activity)
        effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholders[i])
        effect.activities.add(activity)
        indicator = IndicatorFactory(effect=effect)
        ResultFactory(indicator=indicator)
        # Measured at two moments, so step 5 compares begin and end (no query per row).
        ResultFactory(indicator=indicator, moment=begin, value=3)
        ResultFactory(indicator=indicator, moment=end, value=4)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("step", range(1, 7))
@pytest.mark.parametrize("who", ["participant", "trainer"])
def test_step_page_queries_do_not_grow_with_rows(
    request, client_for, organisation, cohort, django_assert_max_num_queries, who, step, rows
):
    worksheet = worksheet_of(organisation, cohort)
    fill(worksheet, rows)
    client = client_for(request.getfixturevalue(who))
    url = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    with django_assert_max_num_queries(MAX_QUERIES[who][step]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_opening_and_closing_a_row_costs_the_same_for_any_number_of_rows(
    client_for, participant, organisation, cohort, django_assert_max_num_queries, rows
):
    worksheet = worksheet_of(organisation, cohort)
    fill(worksheet, rows)
    client = client_for(participant)
    effect = worksheet.effects.last()
    args = [worksheet.pk, "effect", effect.pk]
    htmx = {"HX-Request": "true"}
    # Session, user, roles, worksheet, may edit, the row, its choices (2), prefetches (2),
    # the row's feedback marker (1).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("impact:row_edit", args=args), headers=htmx)
    assert response.status_code == 200
    with django_assert_max_num_queries(11):
        response = client.get(reverse("impact:row_update", args=args), headers=htmx)
    assert response.status_code == 200
    page = reverse("impact:worksheet_step", args=[worksheet.pk, 4])
    # The page with that row open: plus the stakeholders and activities its form offers.
    with django_assert_max_num_queries(MAX_QUERIES["participant"][4] + 2):
        response = client.get(page, {"bewerken": f"effect-{effect.pk}"})
    assert f'name="effect-{effect.pk}-description"' in response.text


@pytest.mark.parametrize("rows", [3, 30])
def test_overview_and_history_queries_do_not_grow_with_rows(
    client_for, trainer, organisation, cohort, django_assert_max_num_queries, rows
):
    worksheet = worksheet_of(organisation, cohort)
    fill(worksheet, rows)
    client = client_for(trainer)
    # The start page: 14 for the steps and hints, and 10 for the chain diagram's data (the
    # worksheet with its organisation and cohort, and one prefetch per kind of row).
    with django_assert_max_num_queries(24):
        assert client.get(reverse("impact:worksheet", args=[worksheet.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("impact:worksheet_history", args=[worksheet.pk])).status_code == 200
        )
