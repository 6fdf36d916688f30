"""Numbers and amounts in the worksheet forms: typed as people write them in their language,
refused with an example when unreadable, and shown back the way the app writes them."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from impact.models import Activity, Indicator, Output
from tests.factories import ActivityFactory, IndicatorFactory, ResultFactory
from tests.impact.worksheet_helpers import create_url, new_data, row_url, update_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def activity_data(money: str) -> dict:
    return {"title": "Werkleerplekken", "input_money": money}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("35.000", Decimal("35000")),
        ("35.000,50", Decimal("35000.50")),
        ("€ 35.000", Decimal("35000")),
        ("35.000 €", Decimal("35000")),
        ("1.250.000", Decimal("1250000")),
        ("35000,5", Decimal("35000.50")),
        ("35000", Decimal("35000")),
    ],
)
def test_amounts_take_dutch_notation(client, worksheet, typed, stored):
    response = client.post(
        create_url(worksheet, "activity"), new_data("activity", activity_data(typed))
    )
    assert response.status_code == 302
    assert Activity.objects.get().input_money == stored


@pytest.mark.parametrize(("typed", "stored"), [("5,2", Decimal("5.2")), ("7.800", Decimal("7800"))])
def test_numbers_take_dutch_notation(client, worksheet, typed, stored):
    activity = ActivityFactory(worksheet=worksheet)
    data = new_data("output", {"description": "maaltijden", "quantity": typed}, activity)
    assert client.post(create_url(worksheet, "output", activity), data).status_code == 302
    assert Output.objects.get().quantity == stored


def test_english_interface_takes_english_notation(client, worksheet):
    url = create_url(worksheet, "activity")
    client.post(url, new_data("activity", activity_data("35,000.50")), **ENGLISH)
    assert Activity.objects.get().input_money == Decimal("35000.50")
    # "5,2" is not a grouping of thousands: refused, not read as 52.
    activity = Activity.objects.get()
    data = new_data("output", {"description": "maaltijden", "quantity": "5,2"}, activity)
    response = client.post(create_url(worksheet, "output", activity), data, **ENGLISH)
    assert response.status_code == 422
    assert "Enter a number, for example 5.2." in response.text
    assert not Output.objects.exists()


def test_an_unreadable_amount_is_refused_with_an_example_in_dutch(client, worksheet):
    activity = ActivityFactory(worksheet=worksheet, input_money=Decimal("1000"))
    url = row_url("update", worksheet, "activity", activity.pk)
    for typed in ("35 duizend", "35,000.50", "3.50.000"):
        data = update_data("activity", activity, activity_data(typed))
        response = client.post(url, data, **HTMX)
        assert response.status_code == 422
        assert "Vul een bedrag in euro in, bijvoorbeeld 35.000,50." in response.text
        autosave = client.post(url, data, **AUTOSAVE)
        assert autosave.status_code == 422
        [errors] = json.loads(autosave.content)["errors"].values()
        assert errors == ["Vul een bedrag in euro in, bijvoorbeeld 35.000,50."]
    activity.refresh_from_db()
    assert activity.input_money == Decimal("1000")


def test_a_saved_value_shows_in_the_form_as_the_app_writes_it_and_saves_back_unchanged(
    client, worksheet
):
    activity = ActivityFactory(worksheet=worksheet, input_money=Decimal("35000"))
    indicator = IndicatorFactory(
        effect__worksheet=worksheet, baseline=Decimal("5.20"), target=Decimal("1250")
    )
    form = client.get(row_url("edit", worksheet, "activity", activity.pk), **HTMX)
    assert 'value="35.000,00"' in form.text
    assert 'inputmode="decimal"' in form.text
    form = client.get(row_url("edit", worksheet, "indicator", indicator.pk), **HTMX)
    assert 'value="5,2"' in form.text and 'value="1.250"' in form.text
    # Autosave posts what the form shows: the same amount comes back.
    data = update_data("activity", activity, activity_data("35.000,00"))
    assert (
        client.post(
            row_url("update", worksheet, "activity", activity.pk), data, **AUTOSAVE
        ).status_code
        == 200
    )
    activity.refresh_from_db()
    assert activity.input_money == Decimal("35000")
    indicator_data = {
        "name": indicator.name,
        "kind": "scale",
        "direction": "increase",
        "method": "survey",
        "baseline": "5,2",
        "target": "1.250",
    }
    data = update_data("indicator", indicator, indicator_data)
    assert (
        client.post(
            row_url("update", worksheet, "indicator", indicator.pk), data, **AUTOSAVE
        ).status_code
        == 200
    )
    indicator = Indicator.objects.get()
    assert (indicator.baseline, indicator.target) == (Decimal("5.2"), Decimal("1250"))


# Progress of an indicator: one rule (Indicator.progress) for the page, chart and reports.


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "value", "status", "percent", "text"),
    [
        ("5.2", "7", "increase", "6.1", "on_the_way", 50, "50% van de weg van nulmeting 5,2"),
        ("5.2", "7", "increase", "7.4", "reached", 100, "doel gehaald (streefwaarde 7)"),
        ("5.2", "7", "increase", "4.8", "wrong_way", 0, "de verkeerde kant op"),
        ("5.2", "7", "increase", "5.2", "no_change", 0, "nog op de nulmeting 5,2"),
        (None, "7", "increase", "6", "no_baseline", None, "zonder nulmeting"),
        ("7", "7", "increase", "6", "wrong_way", 0, "de verkeerde kant op"),
        ("7", "7", "increase", "7", "reached", 100, "doel gehaald"),
        ("18", "10", "decrease", "12", "on_the_way", 75, "75% van de weg van nulmeting 18"),
        ("18", "10", "decrease", "20", "wrong_way", 0, "de verkeerde kant op"),
        ("18", "10", "decrease", "9", "reached", 100, "doel gehaald"),
        ("5", None, "increase", "6", "no_target", None, "geen streefwaarde ingevuld"),
        ("90", "95", "maintain", "94", "at_level", None, "op het niveau van 95"),
    ],
)
def test_progress_runs_from_baseline_to_target_in_the_indicators_direction(
    client, worksheet, baseline, target, direction, value, status, percent, text
):
    indicator = IndicatorFactory(
        effect__worksheet=worksheet,
        baseline=None if baseline is None else Decimal(baseline),
        target=None if target is None else Decimal(target),
        direction=direction,
    )
    ResultFactory(indicator=indicator, value=Decimal(value))
    response = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 5]))
    progress = response.context["effect_groups"][0][1].rows[0].progress
    assert (progress.status, progress.percent) == (status, percent)
    assert text in response.text
    # The bar appears only where there is a share of the way, and never beyond full.
    assert ("<meter" in response.text) is (percent is not None)


def test_report_and_chart_use_the_same_progress_and_number_format(client, worksheet):
    indicator = IndicatorFactory(
        effect__worksheet=worksheet, name="Zelfvertrouwen", baseline=Decimal("5.20"), target=7
    )
    ResultFactory(indicator=indicator, value=Decimal("6.10"))
    response = client.get(reverse("impact:worksheet_report_pdf", args=[worksheet.pk]))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    # The indicator line and the chart: the same numbers, the same share of the way.
    assert "Gemeten 6,1 (2025) · 50% van de weg" in text
    assert "6,1 · 50%" in text
    assert "5,20" not in text and "6,10" not in text
