"""Programmes, the training Social Impact meting and its two rounds."""

import datetime as dt
import secrets

from django.utils import timezone

from impactlab.demo.organisations import KRINGLOOP_RONDE_1, KRINGLOOP_RONDE_2
from organisations.models import Organisation, Role, User
from trainings.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    Programme,
    Project,
    Session,
    Training,
    hash_token,
)

PROGRAMMES = [
    (
        "Programma Impact",
        "Evenaar & Partners",
        "Sociaal ondernemers leren hun maatschappelijke waarde zichtbaar maken: wat is je "
        "impactdoel, wie zijn je stakeholders, doe je de juiste dingen en doe je ze goed?",
    ),
    (
        "Kennis Infrastructuur",
        None,
        "Een community of practice van en voor docenten die het onderwijsaanbod over sociaal "
        "ondernemen willen vergroten.",
    ),
    (
        "Sociaal ondernemerschap in de zorg",
        None,
        "Leren van good practices en de value en business cases van zorginitiatieven ontwikkelen.",
    ),
]

TRAINING_NAME = "Training Social Impact meting"
PROJECT_NAME = "Met Kringloop meer werk!"

# (title, days from the cohort's first day, start, end, host, location, agenda, steps)
RONDE_2_SESSIONS = [
    (
        "Dagdeel 1: impactdoel en stakeholders",
        0,
        dt.time(9, 30),
        dt.time(13, 0),
        None,
        "Se.lab, Zwolle",
        "Kennismaking. Wat willen we bereiken, voor wie, en waarom meten we: verantwoorden, "
        "sturen, financiering of communicatie? Daarna de stakeholderkaart.",
        [1, 2],
    ),
    (
        "Dagdeel 2: de juiste dingen doen",
        21,
        dt.time(10, 0),
        dt.time(14, 0),
        "Kringloop Zwolle",
        "Kringloop Zwolle, Restaurant Deksels",
        "Activiteiten: doen we de juiste dingen, voor én met onze stakeholders? Effecten per "
        "stakeholder, ook de negatieve. Met lunch in Restaurant Deksels.",
        [3, 4],
    ),
    (
        "Dagdeel 3: de dingen goed doen",
        42,
        dt.time(9, 30),
        dt.time(13, 0),
        None,
        "Se.lab, Zwolle",
        "Indicatoren en een meetplan, de eerste resultaten, en wat we ervan leren: waar werken "
        "we samen, welke financiering past, en wat is onze kernboodschap?",
        [5, 6],
    ),
]


def seed() -> dict[str, int]:
    created = {"programmes": 0, "cohorts": 0, "sessions": 0, "enrolments": 0, "invitations": 0}
    organisations = {o.name: o for o in Organisation.objects.all()}
    for name, introduced_by, description in PROGRAMMES:
        _, was_created = Programme.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "introduced_by": organisations.get(introduced_by) if introduced_by else None,
            },
        )
        created["programmes"] += was_created
    project, _ = Project.objects.get_or_create(
        name=PROJECT_NAME,
        defaults={
            "partner": organisations["BKN"],
            "description": "Good Practice project van Se.lab met de leden van de branchevereniging "
            "BKN: kringloopbedrijven die met hun good practices meer mensen aan het werk helpen.",
        },
    )
    training, _ = Training.objects.get_or_create(
        programme=Programme.objects.get(name="Programma Impact"),
        name=TRAINING_NAME,
        defaults={
            "project": project,
            "description": "Drie dagdelen waarin kringloopbedrijven de theorie van social "
            "impact meten praktisch toepassen op één van hun good practices.",
        },
    )
    trainer = User.objects.get(email="trainer@example.org")
    training.trainers.add(trainer)

    today = timezone.localdate()
    ronde_1, was_created = Cohort.objects.get_or_create(
        training=training,
        name="Ronde 1",
        defaults={
            "starts_on": today - dt.timedelta(days=300),
            "ends_on": today - dt.timedelta(days=258),
            "status": Cohort.Status.FINISHED,
            "capacity": 6,
            "location": "Se.lab, Zwolle",
            "description": "De eerste ronde, met vijf kringloopbedrijven die werken aan een "
            "horecagelegenheid of een upcycle-werkplaats voor fietsen of textiel.",
        },
    )
    created["cohorts"] += was_created
    ronde_2, was_created = Cohort.objects.get_or_create(
        training=training,
        name="Ronde 2",
        defaults={
            # Two dagdelen have passed (the second one three days ago); the third is coming.
            "starts_on": today - dt.timedelta(days=24),
            "ends_on": today + dt.timedelta(days=18),
            "status": Cohort.Status.RUNNING,
            "capacity": 8,
            "location": "Zwolle",
            "description": "Acht kringloopbedrijven, leden van BKN, in drie dagdelen aan de "
            "slag met hun impactdoel, stakeholders, activiteiten en effecten.",
        },
    )
    created["cohorts"] += was_created
    ronde_1.trainers.add(trainer)
    ronde_2.trainers.add(trainer, User.objects.get(email="trainer2@example.org"))

    for cohort, names in [(ronde_1, KRINGLOOP_RONDE_1), (ronde_2, KRINGLOOP_RONDE_2)]:
        for name, _city, _practice in names:
            _, was_created = Enrolment.objects.get_or_create(
                cohort=cohort, organisation=organisations[name]
            )
            created["enrolments"] += was_created
        for title, offset, starts_at, ends_at, host, location, agenda, steps in RONDE_2_SESSIONS:
            _, was_created = Session.objects.get_or_create(
                cohort=cohort,
                title=title,
                defaults={
                    "date": cohort.starts_on + dt.timedelta(days=offset),
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "host": organisations.get(host) if host else None,
                    "location": location,
                    "agenda": agenda,
                    "steps": steps,
                },
            )
            created["sessions"] += was_created
        record_attendance(cohort, today)
    created["invitations"] += seed_invitations(ronde_2, trainer)
    return created


# (email, organisation, days ago sent, accepted by)
RONDE_2_INVITATIONS = [
    ("collega@example.org", "Kringloop Zwolle", 30, "collega@example.org"),
    ("s.bos@tweedeleven.example.org", "Kringloop Tweede Leven", 3, None),
    ("info@kringloophengelo.example.org", "Kringloop Hengelo", 20, None),
]


def seed_invitations(cohort: Cohort, trainer: User) -> int:
    """One invitation accepted, one sent and one expired; returns how many were created."""
    created = 0
    now = timezone.now()
    for email, organisation, days_ago, accepted_by in RONDE_2_INVITATIONS:
        sent_at = now - dt.timedelta(days=days_ago)
        _, was_created = Invitation.objects.get_or_create(
            cohort=cohort,
            email=email,
            defaults={
                "organisation": Organisation.objects.get(name=organisation),
                "invited_by": trainer,
                # Random even in the demo: a known link would let anyone make an account.
                "token_hash": hash_token(secrets.token_urlsafe(32)),
                "sent_at": sent_at,
                "expires_at": sent_at + dt.timedelta(days=14),
                "accepted_at": sent_at + dt.timedelta(days=1) if accepted_by else None,
                "accepted_by": User.objects.get(email=accepted_by) if accepted_by else None,
            },
        )
        created += was_created
    return created


# (organisation, dagdeel) pairs nobody of the organisation came to.
ABSENT = {("Kringloop Lelystad", "Dagdeel 3: de dingen goed doen")}


def record_attendance(cohort: Cohort, today: dt.date) -> None:
    """Everyone of an enrolled organisation attended the sessions that have passed, except
    the absences in ABSENT."""
    participants = User.objects.filter(
        memberships__role=Role.PARTICIPANT,
        memberships__organisation__enrolments__cohort=cohort,
    ).distinct()
    organisation_of = dict(
        User.objects.filter(pk__in=participants, memberships__role=Role.PARTICIPANT).values_list(
            "pk", "memberships__organisation__name"
        )
    )
    for session in cohort.sessions.filter(date__lt=today):
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, person=person)
                for person in participants
                if (organisation_of.get(person.pk), session.title) not in ABSENT
            ],
            ignore_conflicts=True,
        )
