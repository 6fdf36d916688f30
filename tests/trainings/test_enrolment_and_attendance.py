import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisations.models import Membership, Organisation, Role
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
    enrol_organisations,
    make_person,
)
from trainings.models import Attendance, Enrolment, Invitation


def enrol(client, cohort, **data):
    return client.post(reverse("trainings:enrolment_create", args=[cohort.pk]), data)


def test_trainer_enrols_an_existing_organisation(client_for, trainer, cohort):
    kringloop = OrganisationFactory(name="Kringloop Hengelo")
    response = enrol(client_for(trainer), cohort, organisation=kringloop.pk)
    assert response.status_code == 302
    assert Enrolment.objects.filter(cohort=cohort, organisation=kringloop).exists()


def test_enrolment_form_says_plainly_how_to_add_a_new_organisation(client_for, trainer, cohort):
    response = client_for(trainer).get(reverse("trainings:enrolment_create", args=[cohort.pk]))
    page = response.text
    assert '<label for="id_new_name">Naam van een nieuwe organisatie:</label>' in page
    assert "Staat de organisatie niet in de lijst hierboven?" in page
    assert 'aria-describedby="id_new_name_helptext"' in page
    assert '<label for="id_new_city">Plaats van de nieuwe organisatie:</label>' in page
    assert "Of een nieuwe organisatie: naam" not in page


def test_trainer_creates_a_new_organisation_on_the_spot(client_for, trainer, cohort):
    response = enrol(client_for(trainer), cohort, new_name="Kringloop Omnia", new_city="Almelo")
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Kringloop Omnia")
    assert organisation.kind == Organisation.Kind.PARTICIPANT
    assert organisation.city == "Almelo"
    assert cohort.enrolments.filter(organisation=organisation).exists()


def test_enrol_needs_exactly_one_choice(client_for, trainer, cohort, organisation):
    client = client_for(trainer)
    other = OrganisationFactory()
    assert enrol(client, cohort, new_name="").context["form"].non_field_errors()
    both = enrol(client, cohort, organisation=other.pk, new_name="Nieuw")
    assert both.context["form"].non_field_errors()
    existing_name = enrol(client, cohort, new_name="kringloop zwolle")
    assert "new_name" in existing_name.context["form"].errors


def test_an_organisation_is_enrolled_once(client_for, trainer, cohort, organisation):
    response = enrol(client_for(trainer), cohort, organisation=organisation.pk)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert cohort.enrolments.filter(organisation=organisation).count() == 1


def test_database_refuses_a_second_enrolment(cohort, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(cohort=cohort, organisation=organisation)


def test_capacity_is_respected_with_a_clear_message(client_for, trainer, cohort):
    cohort.capacity = 2
    cohort.save()
    enrol_organisations(cohort, 2, people=0)
    response = enrol(client_for(trainer), cohort, new_name="Eén te veel")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["is_full"] is True
    # The organisation typed in is not left half-created.
    assert not Organisation.objects.filter(name="Eén te veel").exists()
    assert cohort.enrolments.count() == 2


def test_withdrawing_keeps_the_enrolment_and_closes_open_invitations(
    client_for, trainer, cohort, organisation, participant
):
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    invitation = InvitationFactory(cohort=cohort, organisation=organisation)
    response = client_for(trainer).post(
        reverse("trainings:enrolment_withdraw", args=[enrolment.pk])
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    # Participants of a withdrawn organisation no longer see the cohort.
    assert client_for(participant).get(cohort.get_absolute_url()).status_code == 404


def test_a_withdrawn_organisation_can_be_enrolled_again(client_for, trainer, cohort, organisation):
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    enrolment.withdraw()
    enrol(client_for(trainer), cohort, organisation=organisation.pk)
    enrolment.refresh_from_db()
    assert enrolment.is_active
    assert cohort.enrolments.count() == 1


# Attendance


def test_attendance_page_groups_participants_by_organisation(
    client_for, trainer, session, participant, colleague, fellow, outsider
):
    response = client_for(trainer).get(reverse("trainings:session_attendance", args=[session.pk]))
    people = [m.person for m in response.context["candidates"]]
    assert set(people) == {participant, colleague, fellow}
    assert outsider not in people
    assert response.text.count('name="present"') == 3


def test_one_post_saves_all_attendance(
    client_for, trainer, session, participant, colleague, fellow, outsider
):
    session.attendances.create(person=colleague)
    response = client_for(trainer).post(
        reverse("trainings:session_attendance", args=[session.pk]),
        {"present": [participant.pk, fellow.pk, outsider.pk, "x"]},
    )
    assert response.status_code == 302
    present = set(Attendance.objects.filter(session=session).values_list("person", flat=True))
    assert present == {participant.pk, fellow.pk}


def test_participant_cannot_record_attendance(client_for, participant, session):
    response = client_for(participant).post(
        reverse("trainings:session_attendance", args=[session.pk]), {"present": [participant.pk]}
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_cohort_page_summarises_attendance_per_session(
    client_for, trainer, cohort, session, participant, colleague
):
    session.attendances.create(person=participant)
    SessionFactory(cohort=cohort, title="Later")
    response = client_for(trainer).get(cohort.get_absolute_url())
    counts = {s.title: s.attendance_count for s in response.context["sessions"]}
    assert counts == {session.title: 1, "Later": 0}
    assert response.context["expected_attendance"] == 2


def test_attendance_of_people_in_two_organisations_is_counted_once(
    client_for, trainer, cohort, participant, fellow_organisation
):
    make_person(fellow_organisation, email="dubbel@example.org")
    Membership.objects.create(
        person=participant, organisation=fellow_organisation, role=Role.PARTICIPANT
    )
    response = client_for(trainer).get(cohort.get_absolute_url())
    assert response.context["expected_attendance"] == 2
