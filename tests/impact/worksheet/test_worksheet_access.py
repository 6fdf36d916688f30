"""Who may read and who may write a worksheet: every view against every role."""

import pytest
from django.urls import reverse

from impact.models import Stakeholder, StepReview
from tests.factories import ResultFactory, StakeholderFactory
from tests.impact.worksheet_helpers import (
    STAKEHOLDER,
    create_url,
    new_data,
    row_url,
    update_data,
    worksheet_of,
)

pytestmark = pytest.mark.django_db

HIDDEN = ["outsider", "fellow", "other_trainer"]
READERS = ["trainer", "coordinator"]
EDITORS = ["participant", "colleague"]


@pytest.fixture
def stakeholder(worksheet):
    return StakeholderFactory(worksheet=worksheet, name="Jobcoaches")


@pytest.fixture
def cast(request, participant, colleague, fellow, outsider, trainer, other_trainer, coordinator):
    return {
        "participant": participant,
        "colleague": colleague,
        "fellow": fellow,
        "outsider": outsider,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "coordinator": coordinator,
    }


def page_urls(worksheet, stakeholder) -> list[str]:
    return [
        reverse("impact:worksheet", args=[worksheet.pk]),
        *[reverse("impact:worksheet_step", args=[worksheet.pk, step]) for step in range(1, 7)],
        reverse("impact:worksheet_history", args=[worksheet.pk]),
        row_url("history", worksheet, "stakeholder", stakeholder.pk),
    ]


def test_anonymous_is_sent_to_login(client, worksheet, stakeholder):
    for url in page_urls(worksheet, stakeholder):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", HIDDEN)
def test_people_outside_the_organisation_and_its_trainers_get_404(
    client_for, cast, role, worksheet, stakeholder
):
    client = client_for(cast[role])
    for url in page_urls(worksheet, stakeholder):
        assert client.get(url).status_code == 404, url
    response = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Gekaapt"}),
    )
    assert response.status_code == 404
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Jobcoaches"


@pytest.mark.parametrize("role", READERS + EDITORS)
def test_trainer_coordinator_and_participants_can_read_every_page(
    client_for, cast, role, worksheet, stakeholder
):
    client = client_for(cast[role])
    for url in page_urls(worksheet, stakeholder):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", READERS)
def test_readers_get_403_on_every_write(client_for, cast, role, worksheet, stakeholder):
    client = client_for(cast[role])
    writes = [
        (
            row_url("update", worksheet, "stakeholder", stakeholder.pk),
            update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Overschreven"}),
        ),
        (create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER)),
        (row_url("delete", worksheet, "stakeholder", stakeholder.pk), {"version": 1}),
        (row_url("move", worksheet, "stakeholder", stakeholder.pk, "down"), {}),
        (row_url("restore", worksheet, "stakeholder", stakeholder.pk), {"revision": 1}),
        (reverse("impact:worksheet_step", args=[worksheet.pk, 1]), {}),
        (reverse("impact:step_review", args=[worksheet.pk, 2, "submit"]), {}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert (
        client.get(row_url("delete", worksheet, "stakeholder", stakeholder.pk)).status_code == 403
    )
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Jobcoaches"
    assert Stakeholder.objects.filter(worksheet=worksheet).count() == 1
    assert not StepReview.objects.filter(worksheet=worksheet, step=2).exists()


@pytest.mark.parametrize("role", EDITORS)
def test_participants_of_the_organisation_can_edit(client_for, cast, role, worksheet, stakeholder):
    client = client_for(cast[role])
    response = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data(
            "stakeholder", stakeholder, {**STAKEHOLDER, "name": "Jobcoaches en begeleiders"}
        ),
    )
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Jobcoaches en begeleiders"
    assert stakeholder.version == 2


def test_post_only_endpoints_refuse_get(client_for, participant, worksheet, stakeholder):
    client = client_for(participant)
    for url in [
        row_url("move", worksheet, "stakeholder", stakeholder.pk, "up"),
        row_url("restore", worksheet, "stakeholder", stakeholder.pk),
        reverse("impact:step_review", args=[worksheet.pk, 2, "submit"]),
    ]:
        assert client.get(url).status_code == 405, url


def test_rows_of_another_worksheet_are_not_found_through_this_one(
    client_for, participant, worksheet, fellow_organisation, cohort
):
    other = worksheet_of(fellow_organisation, cohort)
    foreign = StakeholderFactory(worksheet=other, name="Vreemd")
    response = client_for(participant).post(
        row_url("update", worksheet, "stakeholder", foreign.pk),
        update_data("stakeholder", foreign, {**STAKEHOLDER, "name": "Gekaapt"}),
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Vreemd"


def test_a_sub_row_cannot_be_added_under_another_worksheets_row(
    client_for, participant, worksheet, fellow_organisation, cohort
):
    other = worksheet_of(fellow_organisation, cohort)
    result = ResultFactory(indicator__effect__worksheet=other)
    response = client_for(participant).post(
        create_url(worksheet, "result", result.indicator),
        new_data("result", {"period": "2026", "value": "3"}, result.indicator),
    )
    assert response.status_code == 404
    assert result.indicator.results.count() == 1


def test_participant_of_an_archived_cohort_can_read_but_not_write(
    client_for, participant, worksheet, stakeholder, cohort
):
    cohort.status = cohort.Status.ARCHIVED
    cohort.save()
    client = client_for(participant)
    assert client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2])).status_code == 200
    response = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, STAKEHOLDER),
    )
    assert response.status_code == 403


def test_opening_an_enrolment_creates_its_worksheet_once(client_for, participant, organisation):
    enrolment = organisation.enrolments.get()
    client = client_for(participant)
    url = reverse("impact:worksheet_open", args=[enrolment.pk])
    first = client.get(url)
    assert first.status_code == 302
    enrolment.refresh_from_db()
    assert first["Location"] == enrolment.worksheet.get_absolute_url()
    assert client.get(url)["Location"] == first["Location"]


@pytest.mark.parametrize("role", ["fellow", "outsider", "other_trainer"])
def test_others_cannot_open_an_enrolments_worksheet(client_for, cast, role, organisation):
    enrolment = organisation.enrolments.get()
    response = client_for(cast[role]).get(reverse("impact:worksheet_open", args=[enrolment.pk]))
    assert response.status_code == 404
    assert not hasattr(enrolment, "worksheet") or enrolment.worksheet is None


def test_dashboard_lists_the_participants_worksheets(client_for, participant, organisation):
    response = client_for(participant).get(reverse("dashboard"))
    entries = response.context["worksheets"]
    assert [e.enrolment.organisation for e in entries] == [organisation]
    assert entries[0].worksheet is None
    assert reverse("impact:worksheet_open", args=[entries[0].enrolment.pk]) in response.text
