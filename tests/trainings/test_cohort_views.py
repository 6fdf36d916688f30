import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from impact.models import Worksheet
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    InvitationFactory,
    SessionFactory,
    TrainingFactory,
    enrol_organisations,
)
from trainings.models import Cohort, Enrolment, Session

EN = {"headers": {"accept-language": "en"}}


def cohort_data(**overrides):
    data = {
        "name": "Ronde 4",
        "starts_on": "2026-03-02",
        "ends_on": "2026-04-13",
        "capacity": "8",
        "location": "Zwolle",
        "description": "Voorjaar",
    }
    return data | overrides


def test_trainer_of_the_training_creates_a_cohort(client_for, trainer, training):
    training.trainers.add(trainer)
    response = client_for(trainer).post(
        reverse("trainings:cohort_create", args=[training.pk]),
        cohort_data(trainers=[trainer.pk]),
    )
    cohort = Cohort.objects.get(name="Ronde 4")
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()
    assert cohort.status == Cohort.Status.PLANNED
    assert list(cohort.trainers.all()) == [trainer]
    assert cohort.starts_on == dt.date(2026, 3, 2)


def test_cohort_needs_a_trainer_and_ordered_dates(client_for, coordinator, training):
    response = client_for(coordinator).post(
        reverse("trainings:cohort_create", args=[training.pk]),
        cohort_data(starts_on="2026-05-01", ends_on="2026-04-01"),
        **EN,
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "trainers" in form.errors
    assert "ends_on" in form.errors
    assert not Cohort.objects.filter(name="Ronde 4").exists()


def test_cohort_name_is_unique_within_the_training(client_for, coordinator, trainer, cohort):
    response = client_for(coordinator).post(
        reverse("trainings:cohort_create", args=[cohort.training_id]),
        cohort_data(name=cohort.name, trainers=[trainer.pk]),
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_database_refuses_a_cohort_that_ends_before_it_starts(training):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            training=training,
            name="Fout",
            starts_on=dt.date(2026, 5, 1),
            ends_on=dt.date(2026, 4, 1),
        )


def test_trainer_edits_the_cohort(client_for, trainer, cohort):
    response = client_for(trainer).post(
        reverse("trainings:cohort_edit", args=[cohort.pk]),
        cohort_data(
            name="Ronde 2 (najaar)",
            starts_on=cohort.starts_on.isoformat(),
            ends_on=cohort.ends_on.isoformat(),
            trainers=[trainer.pk],
        ),
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Ronde 2 (najaar)"


def test_cohort_dates_must_keep_its_sessions_inside(client_for, trainer, cohort, session):
    response = client_for(trainer).post(
        reverse("trainings:cohort_edit", args=[cohort.pk]),
        cohort_data(
            name=cohort.name,
            starts_on=(session.date + dt.timedelta(days=1)).isoformat(),
            ends_on=cohort.ends_on.isoformat(),
            trainers=[trainer.pk],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    cohort.refresh_from_db()
    assert cohort.starts_on == session.date


def test_capacity_cannot_drop_below_the_enrolled_organisations(client_for, trainer, cohort):
    enrol_organisations(cohort, 3, people=0)
    response = client_for(trainer).post(
        reverse("trainings:cohort_edit", args=[cohort.pk]),
        cohort_data(
            name=cohort.name,
            starts_on=cohort.starts_on.isoformat(),
            ends_on=cohort.ends_on.isoformat(),
            capacity="2",
            trainers=[trainer.pk],
        ),
    )
    assert "capacity" in response.context["form"].errors


def test_status_moves_forward(client_for, trainer, cohort):
    client = client_for(trainer)
    url = reverse("trainings:cohort_status", args=[cohort.pk])
    assert client.post(url).status_code == 302
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FINISHED
    client.post(url)
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FINISHED


def test_status_button_and_message_say_what_happens_in_dutch(client_for, trainer, training):
    cohort = CohortFactory(training=training, status=Cohort.Status.PLANNED, trainers=[trainer])
    client = client_for(trainer)
    url = reverse("trainings:cohort_status", args=[cohort.pk])
    page = client.get(cohort.get_absolute_url()).text
    assert ">Ronde starten</button>" in page
    assert "Zet op" not in page
    response = client.post(url, follow=True)
    assert "De ronde is gestart." in response.text
    assert ">Ronde afronden</button>" in response.text
    response = client.post(url, follow=True)
    assert "De ronde is afgerond." in response.text
    assert "Ronde afronden" not in response.text


def test_the_invite_link_of_an_organisation_and_of_the_section_say_the_same(
    client_for, trainer, cohort, organisation
):
    page = client_for(trainer).get(cohort.get_absolute_url()).text
    assert page.count("Deelnemers uitnodigen") == 2
    assert "Mensen uitnodigen" not in page


def test_copying_a_cohort_moves_its_sessions_to_the_new_dates(
    client_for, trainer, cohort, organisation, participant
):
    host = organisation
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 1",
        date=cohort.starts_on,
        host=host,
        agenda="Kennismaking",
        steps=[1, 2],
    )
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 2",
        date=cohort.starts_on + dt.timedelta(days=21),
        starts_at=dt.time(10),
        ends_at=dt.time(14),
        steps=[3, 4],
    )
    new_start = cohort.starts_on + dt.timedelta(days=200)
    response = client_for(trainer).post(
        reverse("trainings:cohort_copy", args=[cohort.pk]),
        {
            "name": "Ronde 3 (kopie)",
            "starts_on": new_start.isoformat(),
            "ends_on": "",
            "capacity": "10",
            "location": "Deventer",
            "trainers": [trainer.pk],
        },
    )
    copy = Cohort.objects.get(name="Ronde 3 (kopie)")
    assert response.status_code == 302
    assert copy.copied_from == cohort
    assert copy.status == Cohort.Status.PLANNED
    assert copy.ends_on == cohort.ends_on + (new_start - cohort.starts_on)
    assert copy.enrolments.count() == 0
    sessions = list(copy.sessions.order_by("date"))
    assert [s.title for s in sessions] == ["Dagdeel 1", "Dagdeel 2"]
    assert sessions[0].date == new_start
    assert sessions[0].host == host
    assert sessions[0].agenda == "Kennismaking"
    assert sessions[1].date == new_start + dt.timedelta(days=21)
    assert (sessions[1].starts_at, sessions[1].ends_at) == (dt.time(10), dt.time(14))
    assert sessions[1].steps == [3, 4]
    assert cohort.sessions.count() == 2


def test_a_cohort_without_worksheets_is_deleted(client_for, trainer, cohort, organisation):
    response = client_for(trainer).post(reverse("trainings:cohort_delete", args=[cohort.pk]))
    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


def test_a_cohort_with_worksheets_is_archived_not_deleted(
    client_for, trainer, cohort, organisation
):
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    Worksheet.objects.create(enrolment=enrolment)
    response = client_for(trainer).post(reverse("trainings:cohort_delete", args=[cohort.pk]))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.ARCHIVED
    assert Worksheet.objects.filter(enrolment=enrolment).exists()


# Sessions


def session_data(cohort, **overrides):
    data = {
        "title": "Dagdeel 2: de juiste dingen doen",
        "date": (cohort.starts_on + dt.timedelta(days=21)).isoformat(),
        "starts_at": "10:00",
        "ends_at": "14:00",
        "location": "Kringloop Zwolle, Restaurant Deksels",
        "agenda": "Activiteiten; effecten, ook de negatieve",
        "steps": ["3", "4"],
    }
    return data | overrides


def test_new_session_form_suggests_the_next_steps(client_for, trainer, cohort, session):
    response = client_for(trainer).get(reverse("trainings:session_create", args=[cohort.pk]))
    assert response.context["form"].initial["steps"] == [3, 4]


def test_trainer_adds_a_session_hosted_by_an_organisation(
    client_for, trainer, cohort, organisation
):
    response = client_for(trainer).post(
        reverse("trainings:session_create", args=[cohort.pk]),
        session_data(cohort, host=organisation.pk),
    )
    assert response.status_code == 302
    session = cohort.sessions.get()
    assert session.host == organisation
    assert session.steps == [3, 4]
    assert session.agenda == "Activiteiten; effecten, ook de negatieve"


def test_session_must_end_after_it_starts(client_for, trainer, cohort):
    response = client_for(trainer).post(
        reverse("trainings:session_create", args=[cohort.pk]),
        session_data(cohort, starts_at="14:00", ends_at="10:00"),
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not cohort.sessions.exists()


def test_session_must_lie_within_the_cohort(client_for, trainer, cohort):
    late = (cohort.ends_on + dt.timedelta(days=1)).isoformat()
    response = client_for(trainer).post(
        reverse("trainings:session_create", args=[cohort.pk]), session_data(cohort, date=late)
    )
    assert "date" in response.context["form"].errors
    assert not cohort.sessions.exists()


def test_database_refuses_a_session_that_ends_before_it_starts(cohort):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(cohort=cohort, starts_at=dt.time(14), ends_at=dt.time(10))


def test_trainer_edits_a_session(client_for, trainer, cohort, session):
    response = client_for(trainer).post(
        reverse("trainings:session_edit", args=[session.pk]),
        session_data(cohort, title="Dagdeel 1 (verplaatst)", steps=["1"]),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Dagdeel 1 (verplaatst)"
    assert session.steps == [1]


def test_trainer_deletes_a_session_without_records(client_for, trainer, session):
    response = client_for(trainer).post(reverse("trainings:session_delete", args=[session.pk]))
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_a_session_with_attendance_is_kept(client_for, trainer, session, participant):
    session.attendances.create(person=participant)
    client_for(trainer).post(reverse("trainings:session_delete", args=[session.pk]))
    assert Session.objects.filter(pk=session.pk).exists()


def test_participant_cannot_change_a_session(client_for, participant, session):
    response = client_for(participant).post(
        reverse("trainings:session_edit", args=[session.pk]),
        session_data(session.cohort, title="Gekaapt"),
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title != "Gekaapt"


# What each role sees on the cohort page


def test_participant_sees_schedule_trainers_and_fellow_organisations_only(
    client_for, participant, fellow, cohort, session, fellow_organisation, trainer
):
    response = client_for(participant).get(cohort.get_absolute_url())
    assert response.context["is_manager"] is False
    assert session.title in response.text
    assert fellow_organisation.name in response.text
    assert escape(str(trainer)) in response.text  # names like "van 't Riet" are escaped
    assert fellow.email not in response.text
    assert "invitations" not in response.context
    assert reverse("trainings:cohort_calendar", args=[cohort.pk]) in response.text
    assert reverse("trainings:cohort_edit", args=[cohort.pk]) not in response.text


def test_trainer_sees_invitations_and_actions(client_for, trainer, cohort, organisation):
    response = client_for(trainer).get(cohort.get_absolute_url())
    assert response.context["is_manager"] is True
    assert 'id="invitations"' in response.text
    assert reverse("trainings:cohort_edit", args=[cohort.pk]) in response.text


def test_withdrawn_organisations_disappear_for_participants(
    client_for, participant, cohort, organisation
):
    gone = EnrolmentFactory(cohort=cohort)
    gone.withdraw()
    response = client_for(participant).get(cohort.get_absolute_url())
    assert gone.organisation.name not in response.text


def test_archived_cohort_remains_readable(client_for, coordinator):
    cohort = CohortFactory(status=Cohort.Status.ARCHIVED)
    assert client_for(coordinator).get(cohort.get_absolute_url()).status_code == 200


def test_short_dates_read_as_each_language_writes_them(
    client_for, trainer, cohort, organisation, settings
):
    sent = dt.datetime(2026, 10, 29, 10, 0, tzinfo=dt.UTC)
    InvitationFactory(cohort=cohort, organisation=organisation, sent_at=sent)
    client = client_for(trainer)
    url = cohort.get_absolute_url()
    assert "29 okt 2026" in client.get(url).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "29 Oct 2026" in client.get(url).text


def test_participant_sees_the_way_to_their_own_worksheet_only(
    client_for, participant, trainer, cohort, organisation, fellow_organisation
):
    own = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    fellows = Enrolment.objects.get(cohort=cohort, organisation=fellow_organisation)
    response = client_for(participant).get(cohort.get_absolute_url())
    assert response.context["own_enrolments"] == [own]
    assert reverse("impact:worksheet_open", args=[own.pk]) in response.text
    assert reverse("impact:worksheet_open", args=[fellows.pk]) not in response.text
    assert "Ga naar je werkblad" in response.text

    trainer_page = client_for(trainer).get(cohort.get_absolute_url())
    assert trainer_page.context["own_enrolments"] == []
    assert "Ga naar je werkblad" not in trainer_page.text


# A new cohort from the cohort list


def test_cohort_list_offers_a_new_cohort_to_the_trainings_trainer(
    client_for, trainer, cohort, training
):
    training.trainers.add(trainer)
    response = client_for(trainer).get(reverse("trainings:cohort_list"))
    assert f'href="{reverse("trainings:cohort_new")}" role="button">Nieuwe ronde' in response.text


@pytest.mark.parametrize("who", ["participant", "other_trainer"])
def test_cohort_list_offers_no_new_cohort_to_who_may_not_start_one(
    client_for, request, who, cohort, other_cohort
):
    # other_trainer trains a cohort of the training, but is not one of its trainers.
    response = client_for(request.getfixturevalue(who)).get(reverse("trainings:cohort_list"))
    assert response.status_code == 200
    assert not response.context["can_create"]
    assert "Nieuwe ronde" not in response.text


def test_new_cohort_with_one_training_goes_straight_to_the_form(
    client_for, trainer, training, cohort
):
    training.trainers.add(trainer)
    TrainingFactory(name="Een training van anderen")
    response = client_for(trainer).get(reverse("trainings:cohort_new"))
    assert response.status_code == 302
    assert response.url == reverse("trainings:cohort_create", args=[training.pk])


def test_new_cohort_with_several_trainings_asks_which_first(client_for, coordinator, training):
    other = TrainingFactory(name="Sociaal ondernemen in de zorg")
    response = client_for(coordinator).get(reverse("trainings:cohort_new"))
    assert response.status_code == 200
    assert "Van welke training is de nieuwe ronde?" in response.text
    for choice in (training, other):
        assert reverse("trainings:cohort_create", args=[choice.pk]) in response.text


def test_new_cohort_is_refused_to_who_may_not_start_one(client_for, participant, other_trainer):
    assert client_for(participant).get(reverse("trainings:cohort_new")).status_code == 403
    assert client_for(other_trainer).get(reverse("trainings:cohort_new")).status_code == 403


# Suggested dates of a new session


def new_session_initial(client, cohort) -> dict:
    response = client.get(reverse("trainings:session_create", args=[cohort.pk]))
    return response.context["form"].initial


def test_first_session_is_suggested_on_the_cohorts_first_day(client_for, trainer, cohort):
    initial = new_session_initial(client_for(trainer), cohort)
    assert initial["date"] == cohort.starts_on
    assert (initial["starts_at"], initial["ends_at"]) == (dt.time(9, 30), dt.time(13, 0))


def test_next_session_is_suggested_a_week_after_the_latest_at_its_times(
    client_for, trainer, cohort
):
    client = client_for(trainer)
    SessionFactory(cohort=cohort, date=cohort.starts_on, starts_at=dt.time(9, 30))
    latest = SessionFactory(
        cohort=cohort,
        date=cohort.starts_on + dt.timedelta(days=14),
        starts_at=dt.time(13, 30),
        ends_at=dt.time(17, 0),
    )
    initial = new_session_initial(client, cohort)
    assert initial["date"] == latest.date + dt.timedelta(days=7)
    assert (initial["starts_at"], initial["ends_at"]) == (dt.time(13, 30), dt.time(17, 0))
    page = client.get(reverse("trainings:session_create", args=[cohort.pk])).text
    assert f'value="{(latest.date + dt.timedelta(days=7)).isoformat()}"' in page
    assert 'value="13:30"' in page


def test_next_session_is_not_suggested_after_the_cohort_ends(client_for, trainer, cohort):
    SessionFactory(cohort=cohort, date=cohort.ends_on - dt.timedelta(days=2))
    assert new_session_initial(client_for(trainer), cohort)["date"] == cohort.ends_on
