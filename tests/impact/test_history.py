"""Revisions, snapshots per session, the readable diff, and restoring an earlier version."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import Revision, Snapshot, Stakeholder
from tests.factories import SessionFactory
from tests.impact.worksheet_helpers import (
    STAKEHOLDER,
    create_url,
    new_data,
    row_url,
    update_data,
    worksheet_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def backdate(days: int) -> None:
    """Move every revision so far back in time, as if it was saved before a session ended."""
    Revision.objects.update(created_at=timezone.now() - dt.timedelta(days=days))


def test_every_change_is_a_revision_with_author_step_and_fields(client, participant, worksheet):
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    stakeholder = Stakeholder.objects.get()
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Jobcoaches"}),
    )
    client.post(
        row_url("delete", worksheet, "stakeholder", stakeholder.pk),
        {f"stakeholder-{stakeholder.pk}-version": 2},
    )
    revisions = list(Revision.objects.order_by("pk"))
    assert [(r.action, r.row_version) for r in revisions] == [
        ("create", 1),
        ("update", 2),
        ("delete", 2),
    ]
    assert {(r.author, r.step, r.row_type, r.row_id) for r in revisions} == {
        (participant, 2, "stakeholder", stakeholder.pk)
    }
    assert revisions[1].data["name"] == "Jobcoaches"
    assert revisions[1].data["involvement"] == "co_deciding"


def test_viewing_after_a_session_takes_its_snapshot_from_revisions_up_to_its_end(
    client, worksheet, cohort
):
    session = SessionFactory(cohort=cohort, date=timezone.localdate() - dt.timedelta(days=3))
    later = SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=7))
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    backdate(10)
    stakeholder = Stakeholder.objects.get()
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Na de sessie"}),
    )
    client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2]))
    snapshot = Snapshot.objects.get()
    assert snapshot.session == session
    row = snapshot.data["rows"][f"stakeholder:{stakeholder.pk}"]
    assert row["data"]["name"] == "Deelnemers werkleerplek"
    assert not Snapshot.objects.filter(session=later).exists()
    # Viewing again takes no second snapshot.
    client.get(reverse("impact:worksheet", args=[worksheet.pk]))
    assert Snapshot.objects.count() == 1


def test_take_snapshots_command_covers_every_worksheet(worksheet, cohort, fellow_organisation):
    worksheet_of(fellow_organisation, cohort)
    SessionFactory(cohort=cohort, date=timezone.localdate() - dt.timedelta(days=1))
    call_command("take_snapshots")
    assert Snapshot.objects.count() == 2
    call_command("take_snapshots")
    assert Snapshot.objects.count() == 2


def test_what_changed_since_the_session_shows_a_field_level_diff(
    client_for, client, trainer, worksheet, cohort
):
    long_before = (
        "Mensen met een afstand tot de arbeidsmarkt doen werkervaring op in ons restaurant."
    )
    client.post(
        reverse("impact:worksheet_step", args=[worksheet.pk, 1]),
        update_data("scope", worksheet, {"impact_goal": long_before, "good_practice": "Deksels"}),
    )
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    backdate(5)
    SessionFactory(cohort=cohort, date=timezone.localdate() - dt.timedelta(days=2))
    worksheet.refresh_from_db()
    long_after = long_before.replace("werkervaring op", "werkervaring en zelfvertrouwen op")
    client.post(
        reverse("impact:worksheet_step", args=[worksheet.pk, 1]),
        update_data("scope", worksheet, {"impact_goal": long_after, "good_practice": "Deksels"}),
    )
    client.post(
        create_url(worksheet, "stakeholder"),
        new_data("stakeholder", {**STAKEHOLDER, "name": "Gemeente Zwolle", "category": "funders"}),
    )
    response = client_for(trainer).get(reverse("impact:worksheet_history", args=[worksheet.pk]))
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(c.step, c.action, c.label) for c in changes] == [
        (1, "changed", "Deksels"),
        (2, "added", "Gemeente Zwolle"),
    ]
    field = changes[0].fields[0]
    assert field.name == "impact_goal"
    assert ("insert", "en zelfvertrouwen") in field.segments
    assert "<ins>en zelfvertrouwen</ins>" in response.text


def test_restore_an_earlier_field_is_a_new_save(client, participant, worksheet):
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    stakeholder = Stakeholder.objects.get()
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data(
            "stakeholder", stakeholder, {**STAKEHOLDER, "name": "Fout", "group_size": "40"}
        ),
    )
    first = Revision.objects.get(action="create")
    history = client.get(row_url("history", worksheet, "stakeholder", stakeholder.pk))
    assert history.status_code == 200
    assert [r.action for r in history.context["revisions"]] == ["update", "create"]
    response = client.post(
        row_url("restore", worksheet, "stakeholder", stakeholder.pk),
        {"revision": first.pk, "field": "name", "version": 2},
    )
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.group_size, stakeholder.version) == (
        "Deelnemers werkleerplek",
        40,
        3,
    )
    restore = Revision.objects.latest("pk")
    assert (restore.action, restore.author, restore.row_version) == ("restore", participant, 3)
    # A whole row, based on an old version, is refused.
    response = client.post(
        row_url("restore", worksheet, "stakeholder", stakeholder.pk),
        {"revision": first.pk, "version": 2},
    )
    stakeholder.refresh_from_db()
    assert stakeholder.group_size == 40
    client.post(
        row_url("restore", worksheet, "stakeholder", stakeholder.pk),
        {"revision": first.pk, "version": 3},
    )
    stakeholder.refresh_from_db()
    assert (stakeholder.group_size, stakeholder.version) == (12, 4)


def test_restore_refuses_a_revision_of_another_row(client, worksheet):
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    first, second = Stakeholder.objects.all()
    other_revision = Revision.objects.get(row_id=second.pk)
    response = client.post(
        row_url("restore", worksheet, "stakeholder", first.pk),
        {"revision": other_revision.pk, "version": 1},
    )
    assert response.status_code == 404


def test_last_activity_comes_from_the_latest_revision(client, worksheet):
    from impact.models import Worksheet

    assert Worksheet.objects.with_last_activity().get(pk=worksheet.pk).last_activity is None
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    latest = Revision.objects.get().created_at
    assert Worksheet.objects.with_last_activity().get(pk=worksheet.pk).last_activity == latest
