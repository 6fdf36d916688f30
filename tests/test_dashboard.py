import datetime as dt

import pytest
from django.urls import reverse

from organisations.models import Role
from tests.factories import CohortFactory, EnrolmentFactory, SessionFactory, make_person


def test_participant_sees_their_cohort_and_next_session(client_for, participant, cohort):
    SessionFactory(cohort=cohort, title="Dagdeel 0", date=cohort.starts_on)
    session = SessionFactory(cohort=cohort, date=cohort.starts_on + dt.timedelta(days=14))
    response = client_for(participant).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Mijn training" in response.text
    assert cohort.name in response.text
    assert response.context["next_participant_session"] == session
    assert session.title in response.text
    assert "Rondes die ik train" not in response.text


def test_trainer_sees_the_cohorts_they_train_only(client_for, trainer, cohort, other_cohort):
    response = client_for(trainer).get(reverse("dashboard"))
    assert "Rondes die ik train" in response.text
    assert list(response.context["trained_cohorts"]) == [cohort]


def test_coordinator_sees_every_programme_and_cohort(client_for, coordinator, cohort, other_cohort):
    response = client_for(coordinator).get(reverse("dashboard"))
    assert "Programma's en rondes" in response.text
    assert cohort.name in response.text and other_cohort.name in response.text


def test_person_with_two_roles_sees_both_sections(client_for, trainer, cohort, organisation):
    EnrolmentFactory(cohort=CohortFactory(), organisation=organisation)
    from tests.factories import MembershipFactory

    MembershipFactory(person=trainer, organisation=organisation, role=Role.PARTICIPANT)
    response = client_for(trainer).get(reverse("dashboard"))
    assert "Rondes die ik train" in response.text
    assert "Mijn training" in response.text


def test_person_without_a_role_is_told_how_to_join(client_for, db):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("dashboard"))
    assert "nog niet gekoppeld" in response.text


def grow(cohort, organisations: int, sessions: int) -> None:
    for _ in range(organisations):
        organisation = EnrolmentFactory(cohort=cohort).organisation
        make_person(organisation)
    for _ in range(sessions):
        SessionFactory(cohort=cohort)


@pytest.mark.parametrize("who", ["coordinator", "trainer", "participant"])
def test_dashboard_queries_do_not_grow_with_rows(
    client_for, request, who, cohort, participant, coordinator, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    grow(cohort, organisations=2, sessions=1)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("dashboard"))
    for _ in range(5):
        CohortFactory(training=cohort.training, trainers=list(cohort.trainers.all()))
    grow(cohort, organisations=20, sessions=6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_participant_card_counts_every_organisation_of_the_cohort(
    client_for, participant, fellow_organisation
):
    response = client_for(participant).get(reverse("dashboard"))
    [cohort] = response.context["participant_cohorts"]
    assert cohort.organisation_count == 2


def test_trainer_sees_the_latest_cohort_first(client_for, trainer, cohort, training):
    earlier = CohortFactory(
        training=training,
        trainers=[trainer],
        starts_on=cohort.starts_on - dt.timedelta(days=300),
        ends_on=cohort.starts_on - dt.timedelta(days=250),
    )
    response = client_for(trainer).get(reverse("dashboard"))
    assert list(response.context["trained_cohorts"]) == [cohort, earlier]
