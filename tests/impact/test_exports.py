"""Data exports (CSV, Excel, JSON), the formula guard, the collaboration view and the
cohort reports page: contents, permissions and queries."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from impact.exports import safe_cell
from impact.selectors_report import worksheet_data
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
    assert workbook.sheetnames == ["Goals", "Stakeholders", "Activities", "Effects", "Indicators"]
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


def test_worksheet_json_is_the_complete_worksheet(client_for, participant, worksheet):
    response = client_for(participant).get(reverse("impact:worksheet_json", args=[worksheet.pk]))

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data == json.loads(json.dumps(worksheet_data(worksheet)))
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
