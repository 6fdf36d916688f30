"""Page latency under load: gunicorn with production settings against a scaled-up demo.

    .venv/bin/python bench/latency.py                  # SQLite in a temporary folder
    DATABASE_URL=postgres://user@host:5432/x .venv/bin/python bench/latency.py
    .venv/bin/python bench/latency.py --duration 5 --concurrency 20 --json out.json

It builds a throwaway database (SQLite in a temporary folder; on PostgreSQL its own database
``impactlab_bench`` on the server that DATABASE_URL names, dropped at the end), migrates,
loads the demo and scales it up to 200 organisations and 40 cohorts, starts gunicorn with
two workers and DJANGO_DEBUG=0 on 127.0.0.1, then loads every page in PAGES with 20
concurrent users for a fixed time. It prints requests per second, p50 and p95 latency, each
page's throughput as a share of the trivial /healthz in the same run, and p95 against the
150 ms target. It uses ``wrk`` when installed, else a thread pool of keep-alive
http.client connections (slower: the client then competes with the server for the CPU).

Production settings mark the session cookie Secure; a browser would not send it over plain
http, so the script signs people in by creating their session rows directly and sends the
cookie itself. The respondent's question and answer pages are loaded by people who each
started the questionnaire once (a session and a response of their own per connection): wrk
then runs one thread per connection, each with its own cookie (a Lua ``setup``). Exit
status: 0, or 1 when a page answered anything but what it should (200, or a redirect after a
POST).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "impactlab_bench"
TARGET_P95_MS = 150.0
ORGANISATIONS = 200
WORKER_NICENESS = 10
COHORTS = 40
# The programme view is measured on a programme of its own: 20 rondes of one training with
# 200 organisations, each with a filled-in worksheet (see scale_up_programme).
PROGRAMME_RONDES = 20
PROGRAMME_ORGANISATIONS = 200


@dataclass(frozen=True)
class Page:
    """One page of a journey: who asks for it (a key of `people`) and how to reach it."""

    name: str
    person: str | None
    path: Callable[[dict], str]
    # A POST of this form (with each user's CSRF token), answered with a redirect.
    form: dict[str, str] | None = None
    # Every user holds a respondent session of their own (see respondent_sessions).
    respondent: bool = False

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"

    @property
    def expected_status(self) -> int:
        return 200 if self.form is None else 302


def step(number: int):
    return lambda o: f"/werkbladen/{o['worksheet'].pk}/stap/{number}/"


def respondent_question(o: dict) -> str:
    """The first question of the link (five smileys in the demo)."""
    from django.urls import reverse

    return reverse("impact:respond_question", args=[o["respondent_link"].token, 1])


# The pages to measure, in order; `objects` holds what the paths need (see scale_up).
PAGES = [
    Page("/healthz (baseline)", None, lambda o: "/healthz"),
    # A room of people opening the questionnaire's link at once (no account, no cookie).
    Page("respondent: questionnaire", None, lambda o: o["respondent_link"].get_respondent_url()),
    # The same room going through the questions: each person in a session of their own,
    # started once on the link; a question, and the answer to it (saved, then the next one).
    Page("respondent: question 1", None, respondent_question, respondent=True),
    Page(
        "respondent: answer (POST)",
        None,
        respondent_question,
        form={"answer": "4"},
        respondent=True,
    ),
    Page("participant: dashboard", "participant", lambda o: "/"),
    Page("participant: cohort", "participant", lambda o: o["cohort"].get_absolute_url()),
    Page(
        "participant: organisation",
        "participant",
        lambda o: o["organisation"].get_absolute_url(),
    ),
    Page("trainer: dashboard", "trainer", lambda o: "/"),
    Page("trainer: cohort", "trainer", lambda o: o["cohort"].get_absolute_url()),
    Page("trainer: organisation", "trainer", lambda o: o["organisation"].get_absolute_url()),
    Page("participant: worksheet step 1", "participant", step(1)),
    Page("participant: worksheet step 2", "participant", step(2)),
    Page("participant: worksheet step 3", "participant", step(3)),
    Page("participant: worksheet step 4", "participant", step(4)),
    Page("participant: worksheet step 5", "participant", step(5)),
    Page("participant: worksheet step 6", "participant", step(6)),
    Page("trainer: worksheet step 4", "trainer", step(4)),
    Page(
        "trainer: cohort worksheets",
        "trainer",
        lambda o: f"/rondes/{o['cohort'].pk}/werkbladen/",
    ),
    Page(
        "coordinator: programme",
        "coordinator",
        lambda o: f"/programmas/{o['programme'].pk}/rondes-naast-elkaar/",
    ),
]


# The speed targets of the worksheet pages (the step pages and the cohort overview): at least
# a quarter of /healthz's throughput in the same run, and at least five times what the same
# page managed before the step pages kept their rendered rows. The "before" figures are one
# run of this script (these same pages and data) on commit 7d287d8, on the shared 2-CPU
# machine, recorded here so that every run prints the comparison without the old checkout.
TARGET_SHARE_OF_HEALTHZ = 0.25
TARGET_SPEED_UP = 5.0
BEFORE_LABEL = "7d287d8, measured 2026-12-03"
BEFORE = {  # page: (req/s, p95 ms)
    "/healthz (baseline)": (1547.0, 50.5),
    "participant: dashboard": (42.3, 643.3),
    "participant: cohort": (49.6, 480.4),
    "participant: organisation": (87.0, 444.0),
    "trainer: dashboard": (47.1, 644.5),
    "trainer: cohort": (33.3, 838.8),
    "trainer: organisation": (89.6, 419.9),
    "participant: worksheet step 1": (32.6, 657.3),
    "participant: worksheet step 2": (34.7, 723.7),
    "participant: worksheet step 3": (28.5, 1047.8),
    "participant: worksheet step 4": (30.9, 1016.0),
    "participant: worksheet step 5": (18.9, 1167.2),
    "participant: worksheet step 6": (39.9, 853.2),
    "trainer: worksheet step 4": (23.0, 1083.4),
    "trainer: cohort worksheets": (32.8, 789.0),
}


def chosen_pages(args) -> list[Page]:
    """PAGES, or with ``--only`` the baseline and the pages whose name contains one of its
    comma-separated parts."""
    parts = [part.strip() for part in getattr(args, "only", "").split(",")]
    return [page for n, page in enumerate(PAGES) if n == 0 or any(p in page.name for p in parts)]


def worksheet_page(name: str) -> bool:
    """The pages the throughput targets are about."""
    return "worksheet" in name


@dataclass
class Result:
    page: str
    path: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    extra: dict = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------------------------
# The throwaway database


@contextlib.contextmanager
def bench_database(data_dir: Path) -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh database; drop it afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base or base.startswith("sqlite"):
        yield f"sqlite:///{data_dir / 'bench.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(base)
    maintenance = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DATABASE}", parts.query, ""))

    def admin(sql: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        yield bench_url
    finally:
        admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        print(f"dropped database {BENCH_DATABASE}")


def production_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a production server, on loopback and plain http."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "impactlab.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "IMPACTLAB_DATA_DIR": str(data_dir),
    }


def prepare(database_url: str, data_dir: Path) -> tuple[dict, dict[str, str], dict]:
    """Migrate, load and scale the demo in this process; return objects, cookies and counts."""
    os.environ.update(production_environment(database_url, data_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    objects, counts = scale_up()
    set_up_two_factor(objects["people"]["coordinator"])
    cookies = {role: session_cookie(person) for role, person in objects["people"].items()}
    connections.close_all()
    for connection in connections.all():
        # psycopg's pool keeps connections open; the database is dropped at the end.
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    return objects, cookies, counts


def set_up_two_factor(person) -> None:
    """An authenticator app for the person: production sends a coordinator without one to
    the set-up page (``IMPACTLAB_COORDINATOR_MFA``) before any other page."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(person, generate_totp_secret())


def session_cookie(person) -> str:
    """A signed-in session for the person, as the login form would create it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


CITIES = [
    "Zwolle", "Deventer", "Apeldoorn", "Enschede", "Hengelo", "Almelo", "Kampen", "Assen",
    "Meppel", "Emmen", "Groningen", "Leeuwarden", "Sneek", "Heerenveen", "Zutphen", "Arnhem",
    "Nijmegen", "Ede", "Amersfoort", "Utrecht", "Harderwijk", "Lelystad", "Hoorn", "Alkmaar",
    "Haarlem", "Leiden", "Delft", "Gouda", "Dordrecht", "Breda", "Tilburg", "Eindhoven",
    "Helmond", "Venlo", "Roermond", "Maastricht", "Den Bosch", "Oss", "Middelburg", "Goes",
]  # fmt: skip
KINDS = ["Kringloop", "Kringloopwinkel", "Kringloopcentrum", "Kringloopbedrijf", "Het Goed"]
FIRST_NAMES = [
    "Anouk", "Bram", "Daan", "Eva", "Fleur", "Hanneke", "Ilse", "Jeroen", "Joost", "Karin",
    "Lotte", "Marieke", "Mohamed", "Noor", "Pieter", "Rik", "Sanne", "Sem", "Yasmin", "Wouter",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos",
    "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kaya", "El Amrani",
]  # fmt: skip


def scale_up() -> tuple[dict, dict]:
    """Grow the demo to 200 organisations and 40 cohorts, each with sessions, people,
    attendance and invitations; returns the journeys' people and objects, and row counts."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from impact.models import ShareLink, Worksheet
    from organisations.models import Membership, Organisation, Role, User
    from trainings.models import (
        Attendance,
        Cohort,
        Enrolment,
        Invitation,
        Session,
        Training,
        hash_token,
    )

    rng = random.Random(2026)
    today = timezone.localdate()
    password = make_password("impactlab-bench")  # one hash for everybody: PBKDF2 is slow
    participant = User.objects.get(email="deelnemer@example.org")
    trainer = User.objects.get(email="trainer@example.org")
    training = Training.objects.get(name="Training Social Impact meting")
    member = Organisation.objects.get(name="Evenaar & Partners")

    with transaction.atomic():
        trainers = User.objects.bulk_create(
            User(
                email=f"trainer{n}@bench.example.org",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=password,
            )
            for n in range(8)
        )
        Membership.objects.bulk_create(
            Membership(person=person, organisation=member, role=Role.TRAINER) for person in trainers
        )

        names = set(Organisation.objects.values_list("name", flat=True))
        new_organisations = []
        while len(names) + len(new_organisations) < ORGANISATIONS:
            city = rng.choice(CITIES)
            name = f"{rng.choice(KINDS)} {city} {rng.randint(2, 99)}"
            if name in names or any(o.name == name for o in new_organisations):
                continue
            new_organisations.append(
                Organisation(
                    name=name,
                    city=city,
                    kind=Organisation.Kind.PARTICIPANT,
                    sector="Kringloop",
                    mission="Mensen aan het werk helpen en spullen een tweede leven geven. "
                    "(Fictief, voor de benchmark.)",
                )
            )
        new_organisations = Organisation.objects.bulk_create(new_organisations)

        people = User.objects.bulk_create(
            User(
                email=f"deelnemer{n}@bench.example.org",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=password,
            )
            for n in range(len(new_organisations) * 3)
        )
        Membership.objects.bulk_create(
            Membership(
                person=person,
                organisation=new_organisations[n // 3],
                role=Role.PARTICIPANT,
                job_title=rng.choice(["coördinator", "jobcoach", "directeur", "teamleider"]),
            )
            for n, person in enumerate(people)
        )

        existing = Cohort.objects.count()
        cohorts = []
        for n in range(COHORTS - existing):
            starts_on = today + dt.timedelta(days=rng.randint(-400, 120))
            status = (
                Cohort.Status.PLANNED
                if starts_on > today
                else Cohort.Status.RUNNING
                if starts_on > today - dt.timedelta(days=42)
                else Cohort.Status.FINISHED
            )
            cohorts.append(
                Cohort(
                    training=training,
                    name=f"Ronde {n + 3}",
                    starts_on=starts_on,
                    ends_on=starts_on + dt.timedelta(days=42),
                    capacity=8,
                    location=rng.choice(CITIES),
                    description="Een ronde van drie dagdelen over het meten van social impact.",
                    status=status,
                )
            )
        cohorts = Cohort.objects.bulk_create(cohorts)
        Through = Cohort.trainers.through
        Through.objects.bulk_create(
            # The demo trainer trains every fourth cohort: a busy trainer's dashboard.
            Through(cohort=cohort, user=trainer if n % 4 == 0 else trainers[n % len(trainers)])
            for n, cohort in enumerate(cohorts)
        )
        sessions = Session.objects.bulk_create(
            Session(
                cohort=cohort,
                title=f"Dagdeel {k + 1}",
                date=cohort.starts_on + dt.timedelta(days=21 * k),
                starts_at=dt.time(9, 30),
                ends_at=dt.time(13, 0),
                location=cohort.location,
                agenda="Impactdoel, stakeholders, activiteiten en effecten.",
                steps=[2 * k + 1, 2 * k + 2],
            )
            for cohort in cohorts
            for k in range(3)
        )
        enrolments = [
            Enrolment(cohort=cohorts[n % len(cohorts)], organisation=organisation)
            for n, organisation in enumerate(new_organisations)
        ]
        Enrolment.objects.bulk_create(enrolments)
        people_of = {}
        for n, person in enumerate(people):
            people_of.setdefault(new_organisations[n // 3].pk, []).append(person)
        by_cohort = {}
        for enrolment in enrolments:
            by_cohort.setdefault(enrolment.cohort.pk, []).extend(
                people_of[enrolment.organisation.pk]
            )
        Attendance.objects.bulk_create(
            Attendance(session=session, person=person)
            for session in sessions
            if session.date < today
            for person in by_cohort.get(session.cohort.pk, [])
            if rng.random() < 0.8
        )
        now = timezone.now()
        Invitation.objects.bulk_create(
            Invitation(
                cohort=enrolment.cohort,
                organisation=enrolment.organisation,
                email=f"nieuw{n}@bench.example.org",
                token_hash=hash_token(secrets.token_urlsafe(16)),
                sent_at=now - dt.timedelta(days=3),
                expires_at=now + dt.timedelta(days=11),
            )
            for n, enrolment in enumerate(enrolments)
        )

    programme = scale_up_programme(rng, password, today)
    cohort = Cohort.objects.get(training=training, name="Ronde 2")
    objects = {
        "people": {
            "participant": participant,
            "trainer": trainer,
            "coordinator": User.objects.get(email="coordinator@example.org"),
        },
        "programme": programme,
        "cohort": cohort,
        "worksheet": Worksheet.objects.get(
            enrolment__cohort=cohort, enrolment__organisation__name="Kringloop Zwolle"
        ),
        "organisation": Organisation.objects.get(name="Kringloop Zwolle"),
        # An open link of the demo's questionnaires (Restaurant Deksels).
        "respondent_link": ShareLink.objects.open().order_by("pk").first(),
    }
    counts = {
        "organisations": Organisation.objects.count(),
        "cohorts": Cohort.objects.count(),
        "sessions": Session.objects.count(),
        "people": User.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attendance": Attendance.objects.count(),
        "invitations": Invitation.objects.count(),
        "cohorts of the trainer": Cohort.objects.trained_by(trainer).count(),
        "rondes of the benchmark programme": Cohort.objects.filter(
            training__programme=programme
        ).count(),
        "worksheets": Worksheet.objects.count(),
    }
    return objects, counts


TARGET_GROUPS = [
    "Werkleerdeelnemers met een arbeidsbeperking", "Jongeren zonder startkwalificatie",
    "Nieuwkomers", "Statushouders", "Mensen in de bijstand", "Vrijwilligers",
    "Ouderen in de wijk", "Mensen met een psychische kwetsbaarheid", "Schoolverlaters",
    "Vrouwen met een grote afstand tot de arbeidsmarkt", "Inwoners", "Leerlingen van het ROC",
]  # fmt: skip


def scale_up_programme(rng: random.Random, password: str, today: dt.date):
    """A programme of its own with PROGRAMME_RONDES rondes of one training and
    PROGRAMME_ORGANISATIONS new organisations, one participant each; every organisation's
    worksheet has target groups, stakeholders, an activity, effects, indicators, results and
    step reviews, one in ten answered a questionnaire and one in seven switched the value
    step on. Returns the programme."""
    from django.db import transaction
    from django.utils import timezone

    from impact.models import (
        Activity,
        Effect,
        Indicator,
        Response,
        Result,
        Stakeholder,
        StepReview,
        Suggestion,
        SuggestionUse,
        TargetGroup,
        ValueStep,
        Worksheet,
    )
    from impact.questionnaire import services as questionnaire_services
    from organisations.models import Membership, Organisation, Role, User
    from trainings.models import Attendance, Cohort, Enrolment, Programme, Session, Training

    per_ronde = PROGRAMME_ORGANISATIONS // PROGRAMME_RONDES
    states = [s for s in StepReview.State.values if s != StepReview.State.NOT_STARTED]
    categories = Stakeholder.Category.values
    kit = list(Suggestion.objects.filter(kind=Suggestion.Kind.STAKEHOLDER)[:8])
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Programma Benchmark", description="Fictief, voor de benchmark."
        )
        training = Training.objects.create(programme=programme, name="Training Impact in de wijk")
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Wijkbedrijf {n + 1} {rng.choice(CITIES)}",
                city=rng.choice(CITIES),
                kind=Organisation.Kind.PARTICIPANT,
                sector="Kringloop",
            )
            for n in range(PROGRAMME_ORGANISATIONS)
        )
        people = User.objects.bulk_create(
            User(
                email=f"wijk{n}@bench.example.org",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=password,
            )
            for n in range(len(organisations))
        )
        Membership.objects.bulk_create(
            Membership(person=person, organisation=organisation, role=Role.PARTICIPANT)
            for person, organisation in zip(people, organisations, strict=True)
        )
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                training=training,
                name=f"Ronde {n + 1}",
                starts_on=today - dt.timedelta(days=30 * (PROGRAMME_RONDES - n)),
                ends_on=today - dt.timedelta(days=30 * (PROGRAMME_RONDES - n) - 28),
                capacity=per_ronde,
                status=Cohort.Status.FINISHED,
            )
            for n in range(PROGRAMME_RONDES)
        )
        sessions = Session.objects.bulk_create(
            Session(
                cohort=cohort,
                title=f"Dagdeel {k + 1}",
                date=cohort.starts_on + dt.timedelta(days=14 * k),
                starts_at=dt.time(9, 30),
                ends_at=dt.time(13, 0),
                steps=[2 * k + 1, 2 * k + 2],
            )
            for cohort in cohorts
            for k in range(3)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(cohort=cohorts[n // per_ronde], organisation=organisation)
            for n, organisation in enumerate(organisations)
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, person=people[n])
            for n, enrolment in enumerate(enrolments)
            for session in sessions
            if session.cohort_id == enrolment.cohort_id and rng.random() < 0.85
        )
        worksheets = Worksheet.objects.bulk_create(
            Worksheet(enrolment=enrolment, impact_goal="Fictief, voor de benchmark.")
            for enrolment in enrolments
        )
        StepReview.objects.bulk_create(
            StepReview(worksheet=worksheet, step=step, state=rng.choice(states))
            for worksheet in worksheets
            for step in range(1, 7)
            if rng.random() < 0.8
        )
        TargetGroup.objects.bulk_create(
            TargetGroup(worksheet=worksheet, name=name, position=k)
            for worksheet in worksheets
            for k, name in enumerate(rng.sample(TARGET_GROUPS, 2))
        )
        stakeholders = Stakeholder.objects.bulk_create(
            Stakeholder(
                worksheet=worksheet,
                name=f"Stakeholder {k + 1}",
                category=rng.choice(categories),
                position=k,
            )
            for worksheet in worksheets
            for k in range(4)
        )
        Activity.objects.bulk_create(
            Activity(worksheet=worksheet, title="Werkleerplekken", position=0)
            for worksheet in worksheets
        )
        effects = Effect.objects.bulk_create(
            Effect(
                worksheet=stakeholder.worksheet,
                stakeholder=stakeholder,
                description=f"Deelnemers krijgen meer zelfvertrouwen ({k + 1})",
                position=k,
            )
            for stakeholder in stakeholders[::4]
            for k in range(3)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                effect=effect,
                name="Zelfvertrouwen op een schaal van 1 tot 5",
                baseline=2 if rng.random() < 0.7 else None,
                target=4,
                source="Vragenlijst" if rng.random() < 0.6 else "",
            )
            for effect in effects
            if rng.random() < 0.6
        )
        Result.objects.bulk_create(
            Result(indicator=indicator, period="2026", value=3)
            for indicator in indicators
            if rng.random() < 0.5
        )
        ValueStep.objects.bulk_create(
            ValueStep(worksheet=worksheet, is_enabled=True)
            for worksheet in worksheets
            if rng.random() < 1 / 7
        )
        SuggestionUse.objects.bulk_create(
            SuggestionUse(
                suggestion=rng.choice(kit), worksheet=stakeholder.worksheet,
                row_type="stakeholder", row_id=stakeholder.pk,
            )
            for stakeholder in stakeholders
            if kit and rng.random() < 0.3
        )  # fmt: skip
        measured = {indicator.effect.worksheet_id: indicator for indicator in indicators}
        for worksheet in worksheets[::10]:
            if worksheet.pk not in measured:
                continue
            questionnaire = questionnaire_services.create_questionnaire(
                worksheet=worksheet,
                title="Hoe gaat het?",
                intro="",
                indicators=[measured[worksheet.pk]],
            )
            link = questionnaire_services.share_at_moment(
                questionnaire=questionnaire,
                name="Voormeting",
                starts_on=today - dt.timedelta(days=60),
                ends_on=today,
            )
            Response.objects.bulk_create(
                Response(link=link, finished_at=timezone.now(), entered_from_paper=True)
                for _ in range(rng.randint(5, 25))
            )
    return programme


# ---------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, args: argparse.Namespace) -> Iterator[str]:
    """Run gunicorn on 127.0.0.1:port; yield its base URL; stop it afterwards."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "impactlab.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        "--log-level=warning",
    ]
    log = open(Path(env["IMPACTLAB_DATA_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {log.name}")
            with contextlib.suppress(OSError):
                status, _ = fetch(port, "/healthz")
                if status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 30 s")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        print("stopped gunicorn")


def fetch(
    port: int, path: str, cookie: str | None = None, body: str | None = None
) -> tuple[int, bytes]:
    """GET the path, or POST the url-encoded ``body``."""
    status, content, _cookies = exchange(port, path, cookie, body)
    return status, content


def exchange(
    port: int, path: str, cookie: str | None = None, body: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, the cookies the answer sets)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("GET" if body is None else "POST", path, body=body, headers=headers)
        response = connection.getresponse()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, response.read(), {k: m.value for k, m in cookies.items()}
    finally:
        connection.close()


@dataclass(frozen=True)
class RespondentSession:
    """A browser that started the questionnaire: its cookies and its form's CSRF token."""

    cookie: str
    csrf_token: str

    def body(self, form: dict[str, str]) -> str:
        return urlencode({**form, "csrfmiddlewaretoken": self.csrf_token})


def respondent_sessions(port: int, start_path: str, count: int) -> list[RespondentSession]:
    """Start the questionnaire ``count`` times, as that many people would on their phones:
    the start page (a CSRF cookie and token), then its button (a session holding the new
    response). Well under the link's limit of new responses in ten minutes
    (IMPACTLAB_QUESTIONNAIRE_STARTS, 60) when made once a run."""
    sessions = []
    for _ in range(count):
        status, page, cookies = exchange(port, start_path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"{start_path} answered {status} without a form to start")
        csrf = token.group(1).decode()
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        status, _page, started = exchange(
            port, start_path, cookie, urlencode({"csrfmiddlewaretoken": csrf})
        )
        if status != 302 or not started:
            raise RuntimeError(f"starting {start_path} answered {status}, not a redirect")
        cookie = "; ".join(f"{name}={value}" for name, value in {**cookies, **started}.items())
        sessions.append(RespondentSession(cookie, csrf))
    return sessions


# ---------------------------------------------------------------------------------------------
# Load


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("IMPACTLAB %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


# Pages whose users each hold a session of their own (a respondent's): wrk runs a thread per
# connection, and each thread takes one user's cookie (and, for a POST, form) in setup().
WRK_USERS_SCRIPT = """
local users = {
%s
}
local given = 0
function setup(thread)
  given = given + 1
  local user = users[(given - 1) %% #users + 1]
  thread:set("cookie", user[1])
  thread:set("body", user[2])
end
init = function(args)
  wrk.headers["Cookie"] = cookie
  if body ~= "" then
    wrk.method = "POST"
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end
"""


def lua_string(text: str) -> str:
    if any(ch in text for ch in '\\"\n\r'):
        raise ValueError(f"not a plain value for the wrk script: {text!r}")
    return f'"{text}"'


# A user of a page: (cookie, url-encoded form to POST or None for a GET).
User = tuple[str | None, str | None]


def load_with_wrk(
    port: int, path: str, users: list[User], args, script: Path, *, own_sessions: bool
) -> dict:
    threads = args.concurrency if own_sessions else min(args.concurrency, 2)
    if own_sessions:
        rows = ",\n".join(
            f"  {{{lua_string(cookie or '')}, {lua_string(body or '')}}}"
            for cookie, body in users[: args.concurrency]
        )
        script = script.with_name("users.lua")
        script.write_text(WRK_USERS_SCRIPT % rows + WRK_SCRIPT)
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={args.concurrency}",
        f"--duration={args.duration}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
    ]
    cookie = users[0][0]
    if cookie and not own_sessions:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 30
    ).stdout
    match = re.search(r"^IMPACTLAB (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    requests, duration_us, p50_us, p95_us, errors = map(int, match.groups())
    return {
        "requests": requests,
        "seconds": duration_us / 1e6,
        "p50_ms": p50_us / 1000,
        "p95_ms": p95_us / 1000,
        "errors": errors,
    }


def load_with_threads(port: int, path: str, users: list[User], args, expected: int) -> dict:
    """Each of `concurrency` threads sends requests on one keep-alive connection, as the
    next of `users` (its cookie, and its form for a POST)."""
    deadline = time.perf_counter() + args.duration
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user(number: int) -> None:
        cookie, body = users[number % len(users)]
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        method = "GET" if body is None else "POST"
        mine: list[float] = []
        failed = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != expected:
                    failed += 1
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "errors": errors[0],
    }


def load(port: int, path: str, page: Page, users: list[User], args, wrk_script) -> dict:
    if wrk_script is not None:
        return load_with_wrk(port, path, users, args, wrk_script, own_sessions=page.respondent)
    return load_with_threads(port, path, users, args, page.expected_status)


def users_of(page: Page, port: int, objects: dict, cookies: dict, args) -> list[User]:
    """Who loads the page: one signed-in person on every connection, or for a respondent's
    page a respondent session per connection (started once a run, for every such page)."""
    if not page.respondent:
        return [(cookies[page.person] if page.person else None, None)]
    if "respondent_sessions" not in objects:
        start = objects["respondent_link"].get_respondent_url()
        objects["respondent_sessions"] = respondent_sessions(port, start, args.concurrency)
    return [
        (session.cookie, None if page.form is None else session.body(page.form))
        for session in objects["respondent_sessions"]
    ]


def measure(port: int, objects: dict, cookies: dict, args, work_dir: Path) -> list[Result]:
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    script = work_dir / "report.lua"
    script.write_text(WRK_SCRIPT)
    results = []
    for page in chosen_pages(args):
        path = page.path(objects)
        users = users_of(page, port, objects, cookies, args)
        status, body = fetch(port, path, *users[0])  # also warms up the workers
        if status != page.expected_status:
            raise RuntimeError(
                f"{page.name}: {page.method} {path} answered {status}, not {page.expected_status}"
            )
        for _ in range(5):
            fetch(port, path, *users[0])
        # One user alone first: the time a request takes without waiting in a queue.
        solo = argparse.Namespace(**{**vars(args), "concurrency": 1, "duration": 1})
        alone = load(port, path, page, users, solo, script if use_wrk else None)
        figures = load(port, path, page, users, args, script if use_wrk else None)
        extra = {"bytes": len(body), "alone_p50_ms": alone["p50_ms"]}
        result = Result(page=page.name, path=path, extra=extra, **figures)
        results.append(result)
        print(
            f"  {page.name:<28} {result.per_second:8.1f} req/s  p95 {result.p95_ms:6.1f} ms",
            flush=True,
        )
    return results


# ---------------------------------------------------------------------------------------------
# Report


# A second process that renders Ronde 2's cohort report over and over, as a coordinator's
# export would in the background worker, while the pages are measured again.
PDF_LOOP = """
import os, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from impact.reports.pdf import render_cohort_pdf
from trainings.models import Cohort
cohort = Cohort.objects.get(pk={cohort_pk})
deadline = time.monotonic() + {seconds}
renders = 0
while time.monotonic() < deadline and not os.path.exists({stop!r}):
    render_cohort_pdf(cohort)
    renders += 1
print(renders)
"""


@contextlib.contextmanager
def rendering_pdfs(env: dict[str, str], cohort_pk: int, seconds: int, work_dir: Path):
    """Render cohort PDFs in a separate process for at most `seconds`; stops on exit."""
    stop = work_dir / "stop-pdf"
    code = PDF_LOOP.format(root=str(ROOT), cohort_pk=cohort_pk, seconds=seconds, stop=str(stop))
    # At the report worker's CPU priority in production (README, Deploying: nice 10).
    process = subprocess.Popen(
        ["nice", "-n", str(WORKER_NICENESS), sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        stop.touch()
        try:
            out, _err = process.communicate(timeout=60)
            print(f"  cohort PDFs rendered meanwhile: {out.decode().strip() or '?'}")
        except subprocess.TimeoutExpired:
            process.kill()


def report_with_pdf(without: list[Result], with_pdf: list[Result]) -> str:
    lines = [f"{'page':<28} {'p95 ms alone':>12} {'p95 ms + PDF':>12} {'ratio':>6} {'≤ 2×':>5}"]
    for a, b in zip(without, with_pdf, strict=True):
        ratio = b.p95_ms / a.p95_ms if a.p95_ms else 0.0
        verdict = "ok" if ratio <= 2.0 else "MISS"
        lines.append(f"{a.page:<28} {a.p95_ms:12.1f} {b.p95_ms:12.1f} {ratio:6.2f} {verdict:>5}")
    return "\n".join(lines)


def report(results: list[Result], client: str) -> str:
    baseline = results[0].per_second or 1.0
    lines = [
        f"{'page':<28} {'path':<18} {'req/s':>8} {'× healthz':>9} {'alone':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p95 ≤ 150':>9} {'errors':>6}",
    ]
    for r in results:
        verdict = "ok" if r.p95_ms <= TARGET_P95_MS else "SLOW"
        lines.append(
            f"{r.page:<28} {r.path:<18} {r.per_second:8.1f} {r.per_second / baseline:9.2f} "
            f"{r.extra['alone_p50_ms']:6.1f} {r.p50_ms:7.1f} {r.p95_ms:7.1f} {verdict:>9} "
            f"{r.errors:6d}"
        )
    lines.append(
        "alone: p50 ms of one user on their own; p50/p95: with all users at once, no pauses"
    )
    lines.append(f"client: {client}")
    return "\n".join(lines)


def report_before_after(results: list[Result]) -> str:
    """Before (the recorded run of the old commit) against this run, with the targets."""
    now_base = results[0].per_second or 1.0
    then_base = BEFORE[results[0].page][0]
    lines = [
        f"before: {BEFORE_LABEL}; after: this run. Targets: worksheet pages ≥ "
        f"{TARGET_SHARE_OF_HEALTHZ:.2f}× /healthz and ≥ {TARGET_SPEED_UP:.0f}× before; "
        f"every page p95 < {TARGET_P95_MS:.0f} ms",
        f"{'page':<30} {'before':>7} {'×hz':>5} {'after':>7} {'×hz':>5} {'speed-up':>8} "
        f"{'per hz':>7} {'≥ 0.25×':>7} {'≥ 5×':>5} {'p95 before':>10} {'p95 after':>9} "
        f"{'< 150':>5}",
    ]
    for r in results:
        if r.page not in BEFORE:
            # A page added after the recorded run: this run's figures only.
            share = r.per_second / now_base
            p95_ok = "ok" if r.p95_ms < TARGET_P95_MS else "MISS"
            lines.append(
                f"{r.page:<30} {'-':>7} {'-':>5} {r.per_second:7.1f} {share:5.2f} {'-':>8} "
                f"{'-':>7} {'-':>7} {'-':>5} {'-':>10} {r.p95_ms:9.1f} {p95_ok:>5}"
            )
            continue
        then, then_p95 = BEFORE[r.page]
        speed_up = r.per_second / then if then else 0.0
        share = r.per_second / now_base
        # The speed-up with each run's /healthz as its yardstick: the machine is shared, and
        # a quieter run makes every page faster, the unchanged ones too.
        relative = share / (then / then_base) if then else 0.0
        targeted = worksheet_page(r.page)
        share_ok = ("ok" if share >= TARGET_SHARE_OF_HEALTHZ else "MISS") if targeted else "-"
        speed_ok = ("ok" if speed_up >= TARGET_SPEED_UP else "MISS") if targeted else "-"
        p95_ok = "ok" if r.p95_ms < TARGET_P95_MS else "MISS"
        lines.append(
            f"{r.page:<30} {then:7.1f} {then / then_base:5.2f} {r.per_second:7.1f} "
            f"{share:5.2f} {speed_up:7.1f}× {relative:6.1f}× {share_ok:>7} {speed_ok:>5} "
            f"{then_p95:10.1f} "
            f"{r.p95_ms:9.1f} {p95_ok:>5}"
        )
    lines.append(
        "speed-up: after ÷ before req/s (the target); per hz: the same with each run's share "
        "of /healthz, which discounts how busy the shared machine was in each run"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per page (default 5)")
    parser.add_argument("--concurrency", type=int, default=20, help="users at once (20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    # The README's deployment runs gunicorn's default sync workers: measure that.
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (a free one)")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--only",
        default="",
        help="measure only the pages whose name contains this (and /healthz); several "
        "separated by commas, e.g. 'programme,cohort worksheets'",
    )
    parser.add_argument(
        "--with-pdf",
        action="store_true",
        help="measure every page again while cohort PDFs render in another process",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 1 <= args.concurrency <= 200:
        parser.error("keep --duration within 1-120 s and --concurrency within 1-200")

    work_dir = Path(tempfile.mkdtemp(prefix="impactlab-bench-"))
    try:
        with bench_database(work_dir) as database_url:
            vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
            print(f"preparing the {vendor} database in {work_dir} …", flush=True)
            started = time.monotonic()
            objects, cookies, counts = prepare(database_url, work_dir)
            print(
                f"data ({time.monotonic() - started:.0f} s): "
                + ", ".join(f"{value} {key}" for key, value in counts.items())
            )
            env = dict(os.environ)
            port = args.port or free_port()
            client = (
                "wrk"
                if shutil.which("wrk") and not args.python_client
                else "python threads (http.client keep-alive)"
            )
            client += (
                f", {args.concurrency} connections, {args.duration} s per page; gunicorn "
                f"{args.workers} × {args.worker_class}"
                + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
                + f", {vendor}, DJANGO_DEBUG=0, {os.cpu_count()} CPUs shared with the client"
            )
            with gunicorn(env, port, args):
                results = measure(port, objects, cookies, args, work_dir)
                with_pdf = []
                if args.with_pdf:
                    print("again, with cohort PDFs rendering at the same time …", flush=True)
                    seconds = len(chosen_pages(args)) * (args.duration + 3) + 30
                    with rendering_pdfs(env, objects["cohort"].pk, seconds, work_dir):
                        with_pdf = measure(port, objects, cookies, args, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    print()
    print(report(results, client))
    print()
    print(report_before_after(results))
    if with_pdf:
        print()
        print(report_with_pdf(results, with_pdf))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "client": client,
                    "counts": counts,
                    "target_p95_ms": TARGET_P95_MS,
                    "pages": [
                        {
                            "page": r.page,
                            "path": r.path,
                            "requests_per_second": round(r.per_second, 1),
                            "ratio_to_healthz": round(r.per_second / results[0].per_second, 3),
                            "alone_p50_ms": round(r.extra["alone_p50_ms"], 1),
                            "p50_ms": round(r.p50_ms, 1),
                            "p95_ms": round(r.p95_ms, 1),
                            "errors": r.errors,
                        }
                        for r in results
                    ],
                },
                indent=2,
            )
        )
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
