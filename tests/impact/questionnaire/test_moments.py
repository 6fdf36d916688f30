"""A result made from a questionnaire names its measurement moment (``Result.moment``), and
step 5 and the organisation report compare the first moment with the last."""

import datetime as dt

import pytest
from django.urls import reverse

from impact.models import Indicator, Result
from impact.questionnaire.models import MeasurementMoment
from tests.factories import ResultFactory
from tests.impact.questionnaire.conftest import answer_all
from tests.impact.reports.test_pdf import flat, pdf_text
from tests.impact.worksheet_helpers import row_url

pytestmark = pytest.mark.django_db


def make_result(client, question, link):
    response = client.post(reverse("impact:question_result", args=[question.pk, link.pk]))
    assert response.status_code == 302


@pytest.fixture
def measured(client_for, participant, link, end_link):
    """The self-confidence question answered at both moments and made into two results."""
    answer_all(link, [1, 2, 2, 3, 5])
    answer_all(end_link, [3, 4, 4, 5, 5, 5])
    question = link.questionnaire.questions.get(position=0)
    client = client_for(participant)
    make_result(client, question, link)
    make_result(client, question, end_link)
    return question


def step_5(client, worksheet) -> str:
    response = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 5]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_result_from_the_questionnaire_names_its_moment(measured, link, end_link):
    results = Result.objects.filter(indicator=measured.indicator).order_by("pk")
    assert [r.moment for r in results] == [link.moment, end_link.moment]
    assert [r.period for r in results] == ["Voormeting", "Nameting"]


def test_step_5_compares_the_first_moment_with_the_last(
    client_for, participant, trainer, worksheet, measured
):
    for person in (participant, trainer):
        page = step_5(client_for(person), worksheet)
        assert "Van begin tot eind: Voormeting → Nameting: 2,6 → 4,3 (+1,7, beter)" in page


def test_lower_is_better_reads_a_rise_as_worse(client_for, participant, worksheet, measured):
    Indicator.objects.filter(pk=measured.indicator_id).update(
        direction=Indicator.Direction.DECREASE
    )
    page = step_5(client_for(participant), worksheet)
    assert "2,6 → 4,3 (+1,7, slechter)" in page


def test_the_latest_result_of_a_moment_counts_and_moments_go_by_their_dates(
    client_for, participant, worksheet, measured, link
):
    # A later result of the voormeting (typed over by hand, say) is the one that counts.
    ResultFactory(indicator=measured.indicator, moment=link.moment, value=3, period="Voormeting")
    # A moment with an earlier start that was added later still comes first.
    earlier = MeasurementMoment.objects.create(
        worksheet=worksheet,
        name="Nulmeting",
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2025, 9, 30),
    )
    ResultFactory(indicator=measured.indicator, moment=earlier, value=2, period="Nulmeting")
    page = step_5(client_for(participant), worksheet)
    assert "Nulmeting → Nameting: 2 → 4,3 (+2,3, beter)" in page


def test_results_typed_in_by_hand_are_not_compared(client_for, participant, worksheet, indicators):
    ResultFactory(indicator=indicators[0], period="Voormeting", value=2)
    ResultFactory(indicator=indicators[0], period="Nameting", value=4)
    assert "Van begin tot eind" not in step_5(client_for(participant), worksheet)


def test_one_moment_is_no_comparison(client_for, participant, worksheet, link):
    answer_all(link, [1, 2, 3, 4, 5])
    make_result(client_for(participant), link.questionnaire.questions.get(position=0), link)
    assert "Van begin tot eind" not in step_5(client_for(participant), worksheet)


def test_the_organisation_report_compares_begin_and_end(
    client_for, participant, worksheet, measured
):
    response = client_for(participant).get(
        reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    )
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert "Van begin tot eind" in text
    assert "Voormeting: 2,6 Nameting: 4,3 +1,7, beter" in text


def test_a_put_back_result_whose_moment_went_comes_back_without_it(
    client_for, participant, worksheet, measured, link
):
    result = Result.objects.get(indicator=measured.indicator, moment=link.moment)
    client = client_for(participant)
    removed = client.post(
        row_url("delete", worksheet, "result", result.pk),
        {"version": result.version, "confirm": "1"},
    )
    assert removed.status_code == 302 and not Result.objects.filter(pk=result.pk).exists()
    link.moment.delete()  # with its link and answers
    assert client.post(row_url("put_back", worksheet, "result", result.pk)).status_code == 302
    back = Result.objects.get(pk=result.pk)
    assert back.moment is None and back.period == "Voormeting"


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_the_results_the_questionnaire_made_before():
    """0009 finds the earlier questionnaire results by their period and evidence on the
    moment's own worksheet; results typed in by hand keep no moment."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import EffectFactory, IndicatorFactory, WorksheetFactory

    worksheet, other = WorksheetFactory(), WorksheetFactory()
    indicator = IndicatorFactory(effect=EffectFactory(worksheet=worksheet))
    elsewhere = IndicatorFactory(effect=EffectFactory(worksheet=other))
    moment = MeasurementMoment.objects.create(
        worksheet=worksheet,
        name="Voormeting",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    made = ResultFactory(
        indicator=indicator, period="Voormeting", evidence="vragenlijst Voormeting"
    )
    by_hand = ResultFactory(indicator=indicator, period="Voormeting", evidence="onze registratie")
    other_sheet = ResultFactory(
        indicator=elsewhere, period="Voormeting", evidence="vragenlijst Voormeting"
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("impact", "0008_peer_review")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moments = dict(
        Result.objects.filter(pk__in=[made.pk, by_hand.pk, other_sheet.pk]).values_list(
            "pk", "moment_id"
        )
    )
    assert moments == {made.pk: moment.pk, by_hand.pk: None, other_sheet.pk: None}
