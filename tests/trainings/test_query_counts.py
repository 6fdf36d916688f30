"""The cohort page costs the same number of queries for 8 organisations as for 40."""

import pytest

from tests.factories import InvitationFactory, SessionFactory, enrol_organisations


def fill(cohort, organisations: int) -> None:
    cohort.capacity = organisations + 2
    cohort.save()
    enrolments = enrol_organisations(cohort, organisations, people=2)
    for enrolment in enrolments:
        InvitationFactory(cohort=cohort, organisation=enrolment.organisation)
    enrolments[0].withdraw()
    for number in range(3):
        session = SessionFactory(cohort=cohort, title=f"Dagdeel {number}")
        for membership in enrolments[1].organisation.memberships.all():
            session.attendances.create(person=membership.person)


# Trainer, 10 queries:
#  1 django session, 2 user, 3 the person's roles,
#  4 cohort with training, programme and project (visible_to), 5 trainers,
#  6 sessions with host and attendance count, 7 enrolments with organisation,
#  8 managed check, 9 expected attendance (distinct participants), 10 invitations.
TRAINER_QUERIES = 10
# Participant, 8 queries: the first eight above, without expected attendance and invitations.
PARTICIPANT_QUERIES = 8


@pytest.mark.parametrize("organisations", [8, 40])
def test_cohort_page_for_the_trainer_has_constant_queries(
    client_for, trainer, cohort, organisations, django_assert_num_queries
):
    fill(cohort, organisations)
    client = client_for(trainer)
    with django_assert_num_queries(TRAINER_QUERIES):
        response = client.get(cohort.get_absolute_url())
    assert len(response.context["active_enrolments"]) == organisations - 1


@pytest.mark.parametrize("organisations", [8, 40])
def test_cohort_page_for_a_participant_has_constant_queries(
    client_for, participant, cohort, organisations, django_assert_num_queries
):
    fill(cohort, organisations)
    client = client_for(participant)
    with django_assert_num_queries(PARTICIPANT_QUERIES):
        client.get(cohort.get_absolute_url())


@pytest.mark.parametrize("organisations", [8, 40])
def test_attendance_page_has_constant_queries(
    client_for, trainer, cohort, organisations, django_assert_max_num_queries
):
    fill(cohort, organisations)
    session = cohort.sessions.first()
    client = client_for(trainer)
    # session, user, roles, session with cohort (visible_to), managed check, candidates,
    # present people: 7, plus slack for the messages framework.
    with django_assert_max_num_queries(8):
        client.get(f"/dagdelen/{session.pk}/aanwezigheid/")
