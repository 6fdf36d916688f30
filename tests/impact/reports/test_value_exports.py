"""The value step in the exports: the worksheet's JSON, the cohort CSV (a row per
organisation, or per valued effect) and Excel; Dutch numbers in the Excel CSV, control
characters left out, and a constant number of queries."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from impact.models import EffectValuation, ValueProxy
from tests.factories import (
    EffectValuationFactory,
    EnrolmentFactory,
    ValueProxyFactory,
    ValueStepFactory,
    WorksheetFactory,
    make_worksheet_content,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worksheet(organisation):
    return make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))


@pytest.fixture
def fellow_worksheet(fellow_organisation):
    return make_worksheet_content(WorksheetFactory(enrolment=fellow_organisation.enrolments.get()))


PROXY = "Bijstandsuitkering alleenstaande 2025"


def value(worksheet, *, enabled: bool = True, **step):
    """Effect 1 valued by hand, effect 2 from the library (a transfer); effect 3 not."""
    first, second = worksheet.effects.order_by("pk")[:2]
    EffectValuationFactory(
        effect=first,
        quantity=10,
        proxy_amount=Decimal("1000"),
        duration=1,
        drop_off=0,
        deadweight_reason="Sommigen hadden zelf werk gevonden",
    )
    proxy = ValueProxy.objects.filter(title=PROXY).first() or ValueProxyFactory(title=PROXY)
    EffectValuationFactory(
        effect=second,
        quantity=Decimal("2.5"),
        proxy=proxy,
        proxy_description=proxy.title,
        proxy_amount=proxy.amount,
        proxy_source=proxy.source,
        attribution=Decimal("12.5"),
        beneficiary="municipality",
        is_transfer=True,
    )
    return ValueStepFactory(
        worksheet=worksheet,
        is_enabled=enabled,
        input_money=Decimal(10000),
        input_in_kind=Decimal("2500.50"),
        **step,
    )


def read_csv(content: bytes, delimiter: str) -> list[dict]:
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter)
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_url(cohort, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("impact:cohort_csv", args=[cohort.pk]) + (f"?{query}" if query else "")


# --- JSON ------------------------------------------------------------------------------


def test_the_json_holds_the_value_step_and_every_valuation(
    client_for, participant, trainer, worksheet
):
    value(worksheet, approved_by=trainer, approved_at=timezone.now())
    response = client_for(participant).get(reverse("impact:worksheet_json", args=[worksheet.pk]))

    assert response.status_code == 200
    step = json.loads(response.content)["value_step"]
    assert step["is_enabled"] is True
    assert step["status"] == "approved"
    assert step["approved_by"] == trainer.get_full_name()
    assert step["approved_at"].startswith(str(timezone.localdate().year))
    assert (step["input_money"], step["input_in_kind"]) == ("10000", "2500.5")
    assert step["discount_rate"] == "2.25"
    assert step["perspective"] == "society"
    first, second = step["valuations"]
    effects = list(worksheet.effects.order_by("pk").values_list("pk", flat=True))
    assert [first["effect_id"], second["effect_id"]] == effects[:2]
    assert first["quantity"] == "10"
    assert first["proxy_amount"] == "1000"
    assert first["deadweight"] == "25"
    assert first["deadweight_reason"] == "Sommigen hadden zelf werk gevonden"
    assert first["proxy"] is None
    assert second["proxy"]["title"] == "Bijstandsuitkering alleenstaande 2025"
    assert second["attribution"] == "12.5"
    assert second["is_transfer"] is True
    assert second["beneficiary"] == "municipality"


def test_the_json_keeps_the_figures_of_a_switched_off_value_step(
    client_for, participant, worksheet
):
    value(worksheet, enabled=False)
    data = json.loads(
        client_for(participant).get(reverse("impact:worksheet_json", args=[worksheet.pk])).content
    )
    assert data["value_step"]["is_enabled"] is False
    assert data["value_step"]["status"] == "off"
    assert len(data["value_step"]["valuations"]) == 2


# --- CSV -------------------------------------------------------------------------------


def test_the_csv_gets_the_value_steps_settings_in_dutch_numbers(
    client_for, coordinator, worksheet, fellow_worksheet
):
    value(worksheet)
    content = client_for(coordinator).get(csv_url(worksheet.cohort, variant="excel")).content

    rows = {row["organisatie"]: row for row in read_csv(content, ";")}
    zwolle = rows["Kringloop Zwolle"]
    assert zwolle["waardestap"] == "ja, indicatief"
    assert zwolle["geïnvesteerd geld (euro)"] == "10000,00"
    assert zwolle["tijd en in natura, gewaardeerd (euro)"] == "2500,50"
    assert zwolle["discontovoet (%)"] == "2,25"
    assert zwolle["perspectief"] == "de samenleving als geheel"
    assert zwolle["gewaardeerde effecten"] == "2"
    assert zwolle["goedgekeurd door"] == ""
    vlinder = rows["Kringloopcentrum De Vlinder"]
    assert vlinder["waardestap"] == "nee"
    assert vlinder["geïnvesteerd geld (euro)"] == ""

    plain = client_for(coordinator).get(csv_url(worksheet.cohort, variant="plain")).content
    [zwolle] = [row for row in read_csv(plain, ",") if row["organisatie"] == "Kringloop Zwolle"]
    assert zwolle["geïnvesteerd geld (euro)"] == "10000.00"
    assert zwolle["discontovoet (%)"] == "2.25"


def test_the_csv_has_no_value_columns_while_nobody_switched_the_step_on(
    client_for, coordinator, worksheet
):
    value(worksheet, enabled=False)
    content = client_for(coordinator).get(csv_url(worksheet.cohort, variant="excel")).content
    header = content.decode("utf-8-sig").splitlines()[0]
    assert "waardestap" not in header
    assert "discontovoet" not in header


def test_the_value_csv_has_a_row_per_valued_effect(
    client_for, coordinator, worksheet, fellow_worksheet
):
    value(worksheet)
    value(fellow_worksheet, enabled=False)  # switched off: its figures stay out
    response = client_for(coordinator).get(
        csv_url(worksheet.cohort, table="value", variant="excel")
    )

    assert response.status_code == 200
    assert 'filename="waarde-per-effect-' in response["Content-Disposition"]
    first, second = read_csv(response.content, ";")
    assert first["organisatie"] == "Kringloop Zwolle"
    assert first["effect"] == "Meer zelfvertrouwen en werkritme bij deelnemers (1)"
    assert first["stakeholder"] == "Deelnemers"
    assert first["aantal"] == "10,00"
    assert first["bedrag (euro)"] == "1000,00"
    assert first["deadweight (%)"] == "25,00"
    assert first["waarom: deadweight"] == "Sommigen hadden zelf werk gevonden"
    assert first["overdracht"] == "nee"
    assert first["telt mee in de uitkomst"] == "ja"
    assert second["aantal"] == "2,50"
    assert second["uit de bibliotheek"] == "Bijstandsuitkering alleenstaande 2025"
    assert second["bedrag (euro)"] == "16140,00"
    assert second["attributie (%)"] == "12,50"
    assert second["wie de waarde ontvangt"] == "de gemeente"
    assert second["overdracht"] == "ja"

    plain = client_for(coordinator).get(csv_url(worksheet.cohort, table="value", variant="plain"))
    assert read_csv(plain.content, ",")[1]["bedrag (euro)"] == "16140.00"


def test_the_value_csv_takes_the_quantity_from_a_result_and_says_so(
    client_for, coordinator, worksheet
):
    value(worksheet)
    EffectValuation.objects.filter(effect__worksheet=worksheet, quantity=10).update(quantity=None)
    content = client_for(coordinator).get(csv_url(worksheet.cohort, table="value")).content
    first = read_csv(content, ";")[0]
    # the latest of make_worksheet_content's results of indicator 1: 20 + 6 = 26
    assert first["aantal"] == "26,00"
    assert first["waar het aantal vandaan komt"] == (
        "uit het resultaat “2025” van “Deelnemers met betaald werk 1”"
    )


def test_participants_may_not_take_the_value_csv(client_for, participant, worksheet):
    value(worksheet)
    response = client_for(participant).get(csv_url(worksheet.cohort, table="value"))
    assert response.status_code == 403


# --- Excel -----------------------------------------------------------------------------


def test_excel_gets_a_value_step_sheet_and_a_sheet_per_effect(
    client_for, trainer, worksheet, fellow_worksheet
):
    value(worksheet)
    response = client_for(trainer).get(
        reverse("impact:cohort_xlsx", args=[worksheet.cohort.pk]),
        headers={"accept-language": "en"},
    )

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[-2:] == ["Value step", "Value per effect"]
    steps = list(workbook["Value step"].values)
    by_name = {row[0]: dict(zip(steps[0], row, strict=True)) for row in steps[1:]}
    assert by_name["Kringloop Zwolle"]["value step"] == "yes, indicative"
    assert by_name["Kringloop Zwolle"]["money invested (euro)"] == 10000
    assert by_name["Kringloop Zwolle"]["discount rate (%)"] == 2.25
    assert by_name["Kringloopcentrum De Vlinder"]["value step"] == "no"
    effects = list(workbook["Value per effect"].values)
    header = effects[0]
    rows = [dict(zip(header, row, strict=True)) for row in effects[1:]]
    assert [row["amount (euro)"] for row in rows] == [1000, 16140]
    assert [row["transfer"] for row in rows] == ["no", "yes"]
    assert rows[1]["attribution (%)"] == 12.5
    assert workbook["Value per effect"].freeze_panes == "A2"


# --- Control characters and formulas ----------------------------------------------------


def test_value_exports_leave_out_control_characters_and_guard_formulas(
    client_for, participant, coordinator, worksheet
):
    value(worksheet)
    # Straight into the database, as an older version or the admin shell could have stored.
    EffectValuation.objects.filter(effect__worksheet=worksheet).update(
        deadweight_reason="Zelf\x0b werk\x01 gevonden", proxy_source='=HYPERLINK("x")'
    )
    client = client_for(coordinator)
    for variant in ("excel", "plain"):
        content = client.get(csv_url(worksheet.cohort, table="value", variant=variant)).content
        text = content.decode("utf-8-sig")
        assert "\x0b" not in text and "\x01" not in text
        [first, *_rest] = read_csv(content, ";" if variant == "excel" else ",")
        assert first["waarom: deadweight"] == "Zelf werk gevonden"
        assert first["bron van de proxy"] == '\'=HYPERLINK("x")'
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("impact:cohort_xlsx", args=[worksheet.cohort.pk])).content)
    )
    cells = [cell for row in workbook["Waarde per effect"].values for cell in row]
    assert "Zelf werk gevonden" in cells
    assert '\'=HYPERLINK("x")' in cells
    exported = client_for(participant).get(reverse("impact:worksheet_json", args=[worksheet.pk]))
    reason = json.loads(exported.content)["value_step"]["valuations"][0]["deadweight_reason"]
    assert reason == "Zelf\x0b werk\x01 gevonden"  # escaped by json, kept as it was
    for name in ("worksheet_report_pdf", "worksheet_summary_pdf"):
        response = client_for(participant).get(reverse(f"impact:{name}", args=[worksheet.pk]))
        assert response.status_code == 200, name


# --- The export page -------------------------------------------------------------------


def test_the_export_page_offers_the_value_csv_once_the_step_is_on(client_for, trainer, worksheet):
    step = value(worksheet, enabled=False)
    client = client_for(trainer)
    url = reverse("impact:cohort_reports", args=[worksheet.cohort.pk])
    assert "table=value" not in client.get(url).text
    step.is_enabled = True
    step.save()
    page = client.get(url).text
    assert "table=value&amp;variant=excel" in page
    assert "De waardestap" in page


# --- Queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 8])
def test_value_exports_queries_are_constant(
    django_assert_max_num_queries, client_for, coordinator, cohort, size
):
    for _number in range(size):
        value(make_worksheet_content(WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort))))
    client = client_for(coordinator)
    # As without a value step (see test_exports): the value step and the valuations come
    # with the worksheets and their effects.
    for url in (
        csv_url(cohort),
        csv_url(cohort, table="value"),
        reverse("impact:cohort_xlsx", args=[cohort.pk]),
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200
    assert response.content.startswith(b"PK")  # the workbook, last


@pytest.mark.parametrize("effects", [3, 9])
def test_the_json_queries_do_not_grow_with_valuations(
    django_assert_max_num_queries, client_for, participant, organisation, effects
):
    worksheet = make_worksheet_content(
        WorksheetFactory(enrolment=organisation.enrolments.get()), effects=effects
    )
    value(worksheet)
    for effect in worksheet.effects.order_by("pk")[2:]:
        EffectValuationFactory(effect=effect)
    client = client_for(participant)
    client.get(reverse("impact:worksheet_json", args=[worksheet.pk]))  # warm up
    with django_assert_max_num_queries(16):
        response = client.get(reverse("impact:worksheet_json", args=[worksheet.pk]))
    assert len(json.loads(response.content)["value_step"]["valuations"]) == effects
