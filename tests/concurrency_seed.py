"""Minimal rows for tests/test_concurrent_servers.py, written into a dedicated database.

Run in a subprocess against that database (``manage.py shell -c``); prints JSON with the
worksheet, its rows and one signed-in session key per client.
"""

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from impact.models import TargetGroup, Worksheet
from organisations.models import Membership, Organisation, Role, User
from trainings.models import Cohort, Enrolment, Programme, Training


def seed(*, people: int, rows: int) -> None:
    organisation = Organisation.objects.create(name="Kringloop Gelijktijdig", city="Zwolle")
    training = Training.objects.create(
        programme=Programme.objects.create(name="Programma Impact"), name="Training Impact"
    )
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        training=training,
        name="Ronde 1",
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=35),
        status=Cohort.Status.RUNNING,
        capacity=8,
    )
    enrolment = Enrolment.objects.create(cohort=cohort, organisation=organisation)
    worksheet = Worksheet.objects.create(enrolment=enrolment)
    row_ids = [
        TargetGroup.objects.create(worksheet=worksheet, name=f"Doelgroep {n}", position=n).pk
        for n in range(rows)
    ]
    sessions = []
    for n in range(people):
        person = User.objects.create_user(f"deelnemer{n}@example.org", first_name=f"Deelnemer {n}")
        Membership.objects.create(person=person, organisation=organisation, role=Role.PARTICIPANT)
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.save()
        sessions.append(store.session_key)
    print(json.dumps({"worksheet": worksheet.pk, "rows": row_ids, "sessions": sessions}))
