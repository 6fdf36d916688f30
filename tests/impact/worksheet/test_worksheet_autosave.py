"""The autosave endpoint: JSON answers for saved, invalid and conflicting drafts."""

import pytest
from django.urls import reverse

from impact.models import Revision
from tests.factories import StakeholderFactory
from tests.impact.worksheet_helpers import STAKEHOLDER, row_url, update_data

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


def test_autosave_answers_with_the_new_version_and_time(client_for, participant, worksheet):
    client = client_for(participant)
    url = row_url("update", worksheet, "scope", worksheet.pk)
    response = client.post(
        url, update_data("scope", worksheet, {"impact_goal": "Eerste zin."}), **AUTOSAVE
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "saved" and body["version"] == 2
    assert body["saved_at_display"]
    # The next draft builds on the version it got back.
    response = client.post(
        url,
        update_data("scope", worksheet, {"impact_goal": "Eerste zin. Tweede zin."}, version=2),
        **AUTOSAVE,
    )
    assert response.json()["version"] == 3
    worksheet.refresh_from_db()
    assert worksheet.impact_goal == "Eerste zin. Tweede zin."
    assert Revision.objects.filter(worksheet=worksheet).count() == 2


def test_autosave_of_invalid_input_names_the_fields_and_saves_nothing(
    client_for, participant, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Klanten")
    response = client_for(participant).post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "group_size": "-3"}),
        **AUTOSAVE,
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [f"id_stakeholder-{stakeholder.pk}-group_size"]
    stakeholder.refresh_from_db()
    assert (stakeholder.group_size, stakeholder.version) == (12, 1)


def test_autosave_without_a_version_is_refused(client_for, participant, worksheet):
    data = update_data("scope", worksheet, {"impact_goal": "Zonder versie"})
    data.pop(f"scope-{worksheet.pk}-version")
    response = client_for(participant).post(
        reverse("impact:row_update", args=[worksheet.pk, "scope", worksheet.pk]), data, **AUTOSAVE
    )
    assert response.status_code == 422
    worksheet.refresh_from_db()
    assert worksheet.impact_goal != "Zonder versie"


def test_autosave_is_refused_to_readers(client_for, trainer, worksheet):
    response = client_for(trainer).post(
        row_url("update", worksheet, "scope", worksheet.pk),
        update_data("scope", worksheet, {"impact_goal": "Van de trainer"}),
        **AUTOSAVE,
    )
    assert response.status_code == 403
