"""One empty choice in every select box, and an admin that speaks Dutch throughout."""

import re

import pytest
from django.urls import reverse

from impact.models import Stakeholder
from tests.factories import StakeholderFactory, UserFactory
from tests.impact.worksheet_helpers import worksheet_of

EMPTY_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')


def empty_choices(response) -> set[str]:
    assert response.status_code == 200
    return set(EMPTY_OPTION.findall(response.text))


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_forms_of_the_app_share_one_empty_choice(
    client_for, coordinator, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    StakeholderFactory(worksheet=worksheet, category=Stakeholder.Category.TARGET_GROUP)
    coordinator_client = client_for(coordinator)
    pages = {
        # A model form: category, relation and method.
        "suggestion": coordinator_client.get(reverse("impact:suggestion_create")),
        # A ModelChoiceField that may stay empty, and a required one.
        "enrol": coordinator_client.get(reverse("trainings:enrolment_create", args=[cohort.pk])),
        "invite": coordinator_client.get(reverse("trainings:invitation_create", args=[cohort.pk])),
        # The effect form's stakeholder, with choices the step page builds itself.
        "effect": client_for(participant).get(
            reverse("impact:worksheet_step", args=[worksheet.pk, 4]), {"toevoegen": "effect"}
        ),
    }
    for name, response in pages.items():
        assert empty_choices(response) == {"– kies –"}, name


def test_the_empty_choice_speaks_english_too(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("impact:suggestion_create"), headers={"accept-language": "en"}
    )
    assert empty_choices(response) == {"– choose –"}


def test_admin_foreign_keys_use_the_same_empty_choice(client_for, admin_user):
    response = client_for(admin_user).get(reverse("admin:trainings_cohort_add"))
    assert empty_choices(response) == {"– kies –"}


def test_admin_index_names_every_section_in_dutch(client_for, admin_user):
    page = client_for(admin_user).get(reverse("admin:index")).text
    for english in ["Tasks Database Backend", "Task Results", "Authenticators", ">MFA<"]:
        assert english not in page
    for dutch in ["Achtergrondtaken", "Taakresultaten", "Tweestapsverificatie"]:
        assert dutch in page
    assert "Verificatiemethoden" in page


def test_admin_section_page_is_named_too(client_for, admin_user):
    page = client_for(admin_user).get(reverse("admin:app_list", args=["mfa"])).text
    assert "Tweestapsverificatie" in page and "Verificatiemethoden" in page
