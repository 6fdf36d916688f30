import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import StepReview
from organisations.models import Role
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    SessionFactory,
    StepReviewFactory,
    WorksheetFactory,
    make_person,
)
from trainings.models import Enrolment


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


# The participant's next step: their worksheet


def test_participant_dashboard_has_a_button_to_each_worksheet(
    client_for, participant, cohort, organisation
):
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    response = client_for(participant).get(reverse("dashboard"))
    url = reverse("impact:worksheet_open", args=[enrolment.pk])
    assert f'<a role="button" href="{url}">Ga naar je werkblad' in response.text


def test_dashboard_loads_the_styles_of_its_step_list(client_for, participant):
    # Without them the list numbered each step twice ("1. 1 Afbakening …").
    response = client_for(participant).get(reverse("dashboard"))
    assert "css/worksheet.css" in response.text
    assert "css/dashboard.css" in response.text
    assert '<span class="ws-step-number" aria-hidden="true">1</span>' in response.text


# Steps waiting for review


def submitted(cohort, step: int, *, days_ago: int, organisation=None, by=None):
    extra = {"organisation": organisation} if organisation else {}
    enrolment = EnrolmentFactory(cohort=cohort, **extra)
    worksheet = WorksheetFactory(enrolment=enrolment)
    review = StepReviewFactory(worksheet=worksheet, step=step, changed_by=by)
    StepReview.objects.filter(pk=review.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return review


def test_trainer_sees_steps_waiting_for_review_oldest_first(
    client_for, trainer, cohort, other_cohort
):
    newer = submitted(cohort, 4, days_ago=1, organisation=OrganisationFactory(name="Omnia"))
    older = submitted(cohort, 2, days_ago=5, organisation=OrganisationFactory(name="De Schakel"))
    submitted(other_cohort, 3, days_ago=9)  # not their cohort
    StepReviewFactory(worksheet=newer.worksheet, step=1, state=StepReview.State.APPROVED)
    withdrawn = submitted(cohort, 1, days_ago=20)
    withdrawn.worksheet.enrolment.withdraw()

    response = client_for(trainer).get(reverse("dashboard"))
    assert response.context["steps_to_review"] == [older, newer]
    text = response.text
    assert "Te beoordelen" in text
    assert text.index("De Schakel") < text.index("Omnia")
    assert "Stap 2: Stakeholders" in text
    step_url = reverse("impact:worksheet_step", args=[older.worksheet_id, 2])
    assert f'href="{step_url}"' in text


def test_the_review_link_opens_the_submitted_step_for_review(client_for, trainer, cohort):
    review = submitted(cohort, 2, days_ago=1)
    client = client_for(trainer)
    response = client.get(reverse("dashboard"))
    step_url = reverse("impact:worksheet_step", args=[review.worksheet_id, 2])
    assert step_url in response.text
    step_page = client.get(step_url)
    assert step_page.status_code == 200
    approve = reverse("impact:step_review", args=[review.worksheet_id, 2, "approve"])
    assert approve in step_page.text


def test_coordinator_sees_steps_waiting_in_every_cohort(
    client_for, coordinator, cohort, other_cohort
):
    reviews = [submitted(cohort, 1, days_ago=2), submitted(other_cohort, 5, days_ago=3)]
    response = client_for(coordinator).get(reverse("dashboard"))
    assert response.context["steps_to_review"] == [reviews[1], reviews[0]]


def test_trainer_without_waiting_steps_is_told_so(client_for, trainer, cohort):
    response = client_for(trainer).get(reverse("dashboard"))
    assert "Er wachten geen stappen op je beoordeling." in response.text


def test_participant_has_no_review_list(client_for, participant, cohort):
    submitted(cohort, 1, days_ago=1)
    response = client_for(participant).get(reverse("dashboard"))
    assert "steps_to_review" not in response.context
    assert "Te beoordelen" not in response.text


# One query for the whole list, however long: 4 below.
# Trainer, 6 queries: 1 django session, 2 user, 3 roles, 4 submitted steps with worksheet,
# organisation, cohort and submitter, 5 trained cohorts with counts, 6 next session.
# Coordinator, 8 queries: 1-4 the same, 5-7 programmes, trainings and current cohorts,
# 8 upcoming sessions.
REVIEW_DASHBOARD_QUERIES = {"trainer": 6, "coordinator": 8}


@pytest.mark.parametrize("who", ["trainer", "coordinator"])
def test_review_list_costs_the_same_queries_for_many_steps(
    client_for, request, who, cohort, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(who))
    submitted(cohort, 1, days_ago=1, by=make_person(EnrolmentFactory(cohort=cohort).organisation))
    with django_assert_num_queries(REVIEW_DASHBOARD_QUERIES[who]):
        response = client.get(reverse("dashboard"))
    assert len(response.context["steps_to_review"]) == 1
    for number in range(12):
        organisation = EnrolmentFactory(cohort=cohort).organisation
        submitted(cohort, number % 6 + 1, days_ago=number, by=make_person(organisation))
    with django_assert_num_queries(REVIEW_DASHBOARD_QUERIES[who]):
        response = client.get(reverse("dashboard"))
    assert len(response.context["steps_to_review"]) == 13


def test_participant_sees_the_steps_of_the_next_session_with_their_state(
    client_for, participant, organisation, cohort
):

    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))
    StepReviewFactory(worksheet=worksheet, step=3, state=StepReview.State.APPROVED)
    today = timezone.localdate()
    SessionFactory(cohort=cohort, title="Dagdeel 1", date=today - dt.timedelta(days=2))
    SessionFactory(cohort=cohort, title="Dagdeel 3", date=today + dt.timedelta(days=9))
    SessionFactory(
        cohort=cohort, title="Dagdeel 2", date=today + dt.timedelta(days=2), steps=[3, 4]
    )
    response = client_for(participant).get(reverse("dashboard"))
    [upcoming] = response.context["prepare_for"]
    assert upcoming.session.title == "Dagdeel 2"
    assert [(s.number, s.state) for s in upcoming.steps] == [(3, "approved"), (4, "not_started")]
    text = response.content.decode()
    assert "Voor het volgende dagdeel" in text
    assert f"/werkbladen/{worksheet.pk}/stap/4/" in text


def test_trainer_dashboard_has_no_preparation_list(client_for, trainer, cohort, session):
    response = client_for(trainer).get(reverse("dashboard"))
    assert "prepare_for" not in response.context
