"""Ids that arrive as request text: only plain ASCII digits a database column can hold."""

import pytest
from django.urls import reverse

from impact.models import Output
from tests.factories import ActivityFactory
from tests.impact.worksheet_helpers import new_data

pytestmark = pytest.mark.django_db

ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def _create_output_url(worksheet, parent: str) -> str:
    return reverse("impact:row_create", args=[worksheet.pk, "output"]) + f"?parent={parent}"


@pytest.mark.parametrize(
    "spell",
    [
        lambda pk: str(pk).translate(ARABIC_INDIC_DIGITS),
        lambda pk: f"+{pk}",
        lambda pk: f"{pk}_",
        lambda pk: "9" * 30,
    ],
    ids=["arabic-indic digits", "plus sign", "underscore", "beyond 64 bits"],
)
def test_a_sub_row_refuses_a_parent_id_that_is_not_plain_digits(client, worksheet, spell):
    activity = ActivityFactory(worksheet=worksheet)
    data = new_data("output", {"description": "werkleerplekken", "quantity": "3"}, activity)
    response = client.post(_create_output_url(worksheet, spell(activity.pk)), data)
    assert response.status_code == 404
    assert not Output.objects.exists()
    # The same id in plain digits is the parent.
    response = client.post(_create_output_url(worksheet, str(activity.pk)), data)
    assert response.status_code == 302
    assert Output.objects.get().activity == activity


@pytest.mark.parametrize("session", ["9" * 30, "٣", "-1"])
def test_a_report_for_an_odd_session_id_is_the_report_of_now(client, worksheet, session):
    url = reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    response = client.get(url, {"session": session})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_huge_row_id_in_the_edit_link_opens_no_form(client, worksheet):
    response = client.get(
        reverse("impact:worksheet_step", args=[worksheet.pk, 3]),
        {"bewerken": f"activity-{'9' * 30}", "toevoegen": f"output-{'9' * 30}"},
    )
    assert response.status_code == 200
