"""Each step page costs the same number of queries for 3 rows as for 30."""

import pytest
from django.urls import reverse

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

# Queries of a step page, roughly: session and user (2), worksheet (1), may edit (1),
# trains this cohort (0-1), ended sessions without snapshot (1), step states (1), this
# step's review (1), choices of linked rows (0-2), the rows with their prefetches (1-4),
# chain health (1-4), the step's feedback thread (2), and on steps 2, 4 and 5 the
# starter-kit picker: suggestions (1) and the rows a pick attaches to (0-2).
MAX_QUERIES = {1: 14, 2: 17, 3: 18, 4: 23, 5: 20, 6: 13}


def fill(worksheet, n: int) -> None:
    stakeholders = StakeholderFactory.create_batch(n, worksheet=worksheet)
    TargetGroupFactory.create_batch(n, worksheet=worksheet)
    for i in range(n):
        activity = ActivityFactory(worksheet=worksheet)
        activity.stakeholders.add(stakeholders[i])
        OutputFactory(activity=activity)
        effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholders[i])
        effect.activities.add(activity)
        ResultFactory(indicator=IndicatorFactory(effect=effect))


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("step", range(1, 7))
def test_step_page_queries_do_not_grow_with_rows(
    client_for, participant, organisation, cohort, django_assert_max_num_queries, step, rows
):
    worksheet = worksheet_of(organisation, cohort)
    fill(worksheet, rows)
    client = client_for(participant)
    url = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    with django_assert_max_num_queries(MAX_QUERIES[step]):
        response = client.get(url)
    assert response.status_code == 200


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
