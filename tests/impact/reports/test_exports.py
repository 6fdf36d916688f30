"""Data exports (CSV, Excel, JSON), the formula guard, the collaboration view and the
cohort reports page: contents, permissions and queries."""

import codecs
import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from impact.models import Worksheet
from impact.reports.exports import csv_value, safe_cell
from impact.worksheet.data import worksheet_data
from organisations.models import Organisation
from tests.factories import (
    EnrolmentFactory,
    WorksheetFactory,
    make_worksheet_content,
)


@pytest.fixture
def worksheet(organisation):
    return make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))


@pytest.fixture
def fellow_worksheet(fellow_organisation):
    worksheet = WorksheetFactory(
        enrolment=fellow_organisation.enrolments.get(),
        impact_goal='=HYPERLINK("http://evil.example","klik")',
        good_practice="@SUM(A1:A9)",
    )
    return make_worksheet_content(
        worksheet,
        stakeholders=("UWV", "+31 38 123", "-Kringloopwinkel"),
        target_groups=("Jongeren",),
    )


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Gewoon", "Gewoon"),
        (12, 12),
        (None, None),
    ],
)
def test_formula_guard(value, expected):
    assert safe_cell(value) == expected


def test_cohort_csv_has_a_row_per_organisation(
    client_for, coordinator, worksheet, fellow_worksheet
):
    response = client_for(coordinator).get(
        reverse("impact:cohort_csv", args=[worksheet.cohort.pk]),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, *body = rows
    assert header[:4] == ["organisation", "city", "good practice", "impact goal"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {"Kringloop Zwolle", "Kringloopcentrum De Vlinder"}
    zwolle = by_name["Kringloop Zwolle"]
    assert zwolle["good practice"] == "Restaurant Deksels"
    assert zwolle["target groups"] == "Jongeren; Nieuwkomers"
    assert zwolle["stakeholders"] == "4"
    assert zwolle["effects"] == "3"
    assert zwolle["measured effects"] == "3"
    vlinder = by_name["Kringloopcentrum De Vlinder"]
    assert vlinder["impact goal"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert vlinder["good practice"] == "'@SUM(A1:A9)"


def test_cohort_xlsx_has_a_sheet_per_step(client_for, trainer, worksheet, fellow_worksheet):
    response = client_for(trainer).get(
        reverse("impact:cohort_xlsx", args=[worksheet.cohort.pk]),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Goals",
        "Stakeholders",
        "Activities",
        "Effects",
        "Indicators",
        "Learning",
    ]
    goals = list(workbook["Goals"].values)
    assert goals[0][0] == "organisation"
    assert {row[0] for row in goals[1:]} == {"Kringloop Zwolle", "Kringloopcentrum De Vlinder"}
    stakeholders = [row[1] for row in list(workbook["Stakeholders"].values)[1:]]
    assert "UWV" in stakeholders
    assert "'+31 38 123" in stakeholders
    assert "'-Kringloopwinkel" in stakeholders
    indicators = list(workbook["Indicators"].values)
    header = indicators[0]
    first = dict(zip(header, indicators[1], strict=True))
    assert first["indicator"] == "Deelnemers met betaald werk 1"
    assert first["target"] == 40
    assert first["value"] == 20
    # 3 indicators × 2 periods per organisation
    assert len(indicators) - 1 == 2 * 3 * 2
    assert all(
        not (isinstance(cell, str) and cell.startswith("="))
        for sheet in workbook
        for row in sheet.values
        for cell in row
    )


def get_csv(client, cohort, query: str = "", language: str = "nl") -> bytes:
    url = reverse("impact:cohort_csv", args=[cohort.pk]) + query
    return client.get(url, headers={"accept-language": language}).content


def test_dutch_interface_gets_the_semicolon_csv_for_excel(client_for, coordinator, worksheet):
    Worksheet.objects.filter(pk=worksheet.pk).update(
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31)
    )

    content = get_csv(client_for(coordinator), worksheet.cohort)

    assert content.startswith(codecs.BOM_UTF8)
    header, row = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    assert header[:4] == ["organisatie", "plaats", "good practice", "impactdoel"]
    zwolle = dict(zip(header, row, strict=True))
    assert zwolle["doelgroepen"] == "Jongeren; Nieuwkomers"
    assert zwolle["periode vanaf"] == "01-01-2025"
    assert zwolle["periode tot en met"] == "31-12-2025"
    assert zwolle["stakeholders"] == "4"


def test_csv_variants_can_be_chosen_in_either_language(client_for, coordinator, worksheet):
    client = client_for(coordinator)

    plain = get_csv(client, worksheet.cohort, "?variant=plain").decode("utf-8-sig")
    excel = get_csv(client, worksheet.cohort, "?variant=excel", "en").decode("utf-8-sig")
    english = get_csv(client, worksheet.cohort, "?variant=nonsense", "en").decode("utf-8-sig")

    assert next(csv.reader(io.StringIO(plain)))[:2] == ["organisatie", "plaats"]
    assert next(csv.reader(io.StringIO(excel), delimiter=";"))[:2] == ["organisation", "city"]
    assert next(csv.reader(io.StringIO(english)))[:2] == ["organisation", "city"]


def test_formula_guard_holds_in_the_semicolon_csv(client_for, coordinator, fellow_worksheet):
    content = get_csv(client_for(coordinator), fellow_worksheet.cohort, "?variant=excel")

    header, row = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    vlinder = dict(zip(header, row, strict=True))
    assert vlinder["impactdoel"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert vlinder["good practice"] == "'@SUM(A1:A9)"


@pytest.mark.parametrize(
    ("language", "variant", "value", "expected"),
    [
        ("nl", "excel", Decimal("1234.5"), "1234,5"),
        ("nl", "excel", Decimal("-2.25"), "-2,25"),  # a number, not a formula
        ("nl", "plain", Decimal("1234.5"), "1234.5"),
        ("en", "excel", Decimal("1234.5"), "1234.5"),
        ("nl", "excel", dt.date(2025, 6, 30), "30-06-2025"),
        ("nl", "plain", dt.date(2025, 6, 30), "2025-06-30"),
        ("nl", "excel", "-2", "'-2"),
        ("nl", "excel", None, ""),
    ],
)
def test_csv_values_are_written_as_the_variant_reads_them(language, variant, value, expected):
    with translation.override(language):
        assert csv_value(value, variant) == expected


def test_cohort_xlsx_has_a_learning_sheet_and_fitting_columns(
    client_for, trainer, worksheet, fellow_worksheet
):
    Worksheet.objects.filter(pk=worksheet.pk).update(findings="Heel lang. " * 40)
    response = client_for(trainer).get(
        reverse("impact:cohort_xlsx", args=[worksheet.cohort.pk]),
        headers={"accept-language": "en"},
    )

    workbook = load_workbook(io.BytesIO(response.content))
    learning = workbook["Learning"]
    rows = list(learning.values)
    assert rows[0][:2] == ("organisation", "findings")
    zwolle = dict(zip(rows[0], next(r for r in rows if r[0] == "Kringloop Zwolle"), strict=True))
    assert zwolle["key message"] == "Elke werkleerplek is een stap naar een baan."
    assert zwolle["quote or story"].startswith("Hier ben ik weer iemand")
    widths = {letter: dim.width for letter, dim in learning.column_dimensions.items()}
    assert widths["A"] == len("Kringloopcentrum De Vlinder") + 2
    assert widths["B"] == 60  # the long findings, capped
    assert learning["B2"].alignment.wrap_text
    goals = workbook["Goals"]
    assert goals.column_dimensions["B"].width == len("Restaurant Deksels") + 2
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])


def test_worksheet_json_is_the_complete_worksheet(client_for, participant, worksheet):
    response = client_for(participant).get(reverse("impact:worksheet_json", args=[worksheet.pk]))

    assert response.status_code == 200
    data = json.loads(response.content)
    # worksheet_data, and the value step (none here: the worksheet never opened it)
    assert data == json.loads(json.dumps({**worksheet_data(worksheet), "value_step": None}))
    assert data["schema"] == 1
    assert data["organisation"]["name"] == "Kringloop Zwolle"
    assert [s["name"] for s in data["stakeholders"]] == [
        "Deelnemers",
        "Jobcoaches",
        "UWV",
        "Gemeente Zwolle",
    ]
    effect = data["effects"][0]
    assert effect["indicators"][0]["target"] == "40"
    assert [r["value"] for r in effect["indicators"][0]["results"]] == ["20", "26"]
    activity = data["activities"][0]
    assert activity["outputs"][0]["quantity"] == "12"
    assert len(activity["stakeholder_ids"]) == 2


# --- Permissions for the cohort exports ----------------------------------------------

COHORT_VIEWS = ["impact:cohort_csv", "impact:cohort_xlsx", "impact:cohort_reports"]


@pytest.mark.parametrize("name", COHORT_VIEWS)
def test_anonymous_is_sent_to_login(client, cohort, name):
    response = client.get(reverse(name, args=[cohort.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", [*COHORT_VIEWS, "impact:cohort_collaboration"])
@pytest.mark.parametrize("person", ["outsider", "other_trainer"])
def test_people_outside_the_cohort_get_404(request, client_for, cohort, name, person):
    response = client_for(request.getfixturevalue(person)).get(reverse(name, args=[cohort.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", COHORT_VIEWS)
def test_participants_get_403_for_cohort_exports(client_for, participant, cohort, name):
    response = client_for(participant).get(reverse(name, args=[cohort.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", COHORT_VIEWS)
@pytest.mark.parametrize("person", ["trainer", "coordinator"])
def test_trainers_and_coordinators_export_the_cohort(request, client_for, worksheet, name, person):
    response = client_for(request.getfixturevalue(person)).get(
        reverse(name, args=[worksheet.cohort.pk])
    )
    assert response.status_code == 200


def test_participant_cannot_request_a_cohort_report(client_for, participant, cohort):
    response = client_for(participant).post(reverse("impact:cohort_report_pdf", args=[cohort.pk]))
    assert response.status_code == 403


def test_cohort_report_refuses_get(client_for, coordinator, cohort):
    response = client_for(coordinator).get(reverse("impact:cohort_report_pdf", args=[cohort.pk]))
    assert response.status_code == 405


# --- Collaboration ----------------------------------------------------------------------


@pytest.mark.parametrize("person", ["participant", "fellow", "trainer", "coordinator"])
def test_collaboration_shows_who_shares_what(
    request, client_for, worksheet, fellow_worksheet, person
):
    response = client_for(request.getfixturevalue(person)).get(
        reverse("impact:cohort_collaboration", args=[worksheet.cohort.pk]),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    collaboration = response.context["collaboration"]
    assert [o["name"] for o in collaboration.organisations] == [
        "Kringloop Zwolle",
        "Kringloopcentrum De Vlinder",
    ]
    shared = {row["label"]: row["flags"] for row in collaboration.rows}
    assert shared["UWV"] == [True, True]
    assert shared["Jongeren"] == [True, True]
    assert "Nieuwkomers" not in shared
    assert collaboration.pairings == [
        {
            "first": "Kringloop Zwolle",
            "second": "Kringloopcentrum De Vlinder",
            "reason": "both work with Jongeren and UWV",
        }
    ]
    assert "both work with Jongeren and UWV" in response.text


def test_collaboration_escapes_names(client_for, coordinator, organisation, fellow_organisation):
    for org in (organisation, fellow_organisation):
        make_worksheet_content(
            WorksheetFactory(enrolment=org.enrolments.get()),
            stakeholders=("<b>UWV</b>",),
            target_groups=(),
        )
    response = client_for(coordinator).get(
        reverse("impact:cohort_collaboration", args=[organisation.enrolments.get().cohort_id])
    )
    assert "<b>UWV</b>" not in response.text
    assert "&lt;b&gt;UWV&lt;/b&gt;" in response.text


def test_collaboration_names_break_where_dutch_hyphenates_them(
    client_for, coordinator, worksheet, fellow_worksheet
):
    Organisation.objects.filter(pk=fellow_worksheet.enrolment.organisation_id).update(
        name="<i>Kringloopcentrum</i> De Vlinder"
    )

    html = (
        client_for(coordinator)
        .get(reverse("impact:cohort_collaboration", args=[worksheet.cohort.pk]))
        .text
    )

    assert "Kring\u00adloop\u00adcen\u00adtrum" in html  # soft hyphens, not "Kringloopcent-rum"
    assert "<i>" not in html
    assert "&lt;i&gt;" in html


def add_organisations(cohort, count: int) -> None:
    for _number in range(count):
        make_worksheet_content(WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort)))


@pytest.mark.parametrize("size", [2, 8])
def test_cohort_exports_queries_are_constant(
    django_assert_max_num_queries, client_for, coordinator, cohort, size
):
    add_organisations(cohort, size)
    client = client_for(coordinator)
    # session, user, roles (x2: visible_to and managed_by), cohort, managed_by check; the
    # worksheets with organisation and cohort; target groups; stakeholders; activities,
    # their stakeholders and outputs; effects, their activities, indicators and results.
    for name in ("impact:cohort_csv", "impact:cohort_xlsx", "impact:cohort_collaboration"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name, args=[cohort.pk])).status_code == 200


# --- control characters: refused by the forms, left out by every exporter ------------------

VERTICAL_TAB = "Vrijwilligers\x0bmet verticale tab"


def test_a_vertical_tab_in_a_stakeholder_name_is_refused_and_the_export_still_works(
    client_for, participant, trainer, coordinator, worksheet
):
    from tests.impact.worksheet_helpers import STAKEHOLDER, row_url, update_data

    stakeholder = worksheet.stakeholders.order_by("pk").first()
    response = client_for(participant).post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": VERTICAL_TAB}),
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 422
    [message] = response.json()["errors"][f"id_stakeholder-{stakeholder.pk}-name"]
    assert "onzichtbaar stuurteken (U+000B)" in message
    stakeholder.refresh_from_db()
    assert stakeholder.name != VERTICAL_TAB
    for person in (trainer, coordinator):
        response = client_for(person).get(reverse("impact:cohort_xlsx", args=[worksheet.cohort.pk]))
        assert response.status_code == 200


def test_exports_leave_out_control_characters_that_reached_the_database(
    client_for, participant, trainer, coordinator, worksheet
):
    stakeholder = worksheet.stakeholders.order_by("pk").first()
    # Straight into the database, as an older version or the admin shell could have stored.
    type(stakeholder).objects.filter(pk=stakeholder.pk).update(name=VERTICAL_TAB + "\x01\x85\ufffe")
    Worksheet.objects.filter(pk=worksheet.pk).update(impact_goal="Werk\x0c voor \x1fiedereen")
    cohort = worksheet.cohort
    for person in (trainer, coordinator):
        client = client_for(person)
        response = client.get(reverse("impact:cohort_xlsx", args=[cohort.pk]))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content))
        names = [row[1] for row in workbook.worksheets[1].iter_rows(values_only=True)]
        assert "Vrijwilligersmet verticale tab" in names
        csv_response = client.get(reverse("impact:cohort_csv", args=[cohort.pk]))
        assert csv_response.status_code == 200
        assert "\x0b" not in csv_response.content.decode("utf-8-sig")
        assert client.post(reverse("impact:cohort_report_pdf", args=[cohort.pk])).status_code == 200
    client = client_for(participant)
    exported = client.get(reverse("impact:worksheet_json", args=[worksheet.pk]))
    assert exported.status_code == 200
    data = json.loads(exported.content)
    assert "'Werk\\x0c voor \\x1fiedereen'" in str(data)  # escaped by json, kept as it was
    assert data["stakeholders"][0]["name"] == VERTICAL_TAB + "\x01\x85"
    chain = client.get(reverse("impact:worksheet_chain", args=[worksheet.pk]))
    assert chain.status_code == 200
    assert b"\x0b" not in chain.content
    import xml.etree.ElementTree as ET

    ET.fromstring(chain.content)  # well-formed XML
    for name in ("worksheet_report_pdf", "worksheet_summary_pdf"):
        response = client.get(reverse(f"impact:{name}", args=[worksheet.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf", name


def test_the_spreadsheet_rule_leaves_out_everything_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    everything = "".join(chr(code) for code in range(0x20000) if not 0xD800 <= code <= 0xDFFF)
    cell = safe_cell("a" + everything)
    assert not ILLEGAL_CHARACTERS_RE.search(cell)
    assert "\t" in cell and "\n" in cell and "é" in cell and "💪" in cell
    assert safe_cell("\ud800x\udfff") == "x"
