"""Revisions, snapshots per session, the readable diff, and restoring an earlier version."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import Activity, Output, Revision, Snapshot, Stakeholder
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


def test_take_snapshots_after_a_session_takes_it_from_revisions_up_to_its_end(
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
    assert not Snapshot.objects.exists()  # viewing stores nothing
    call_command("take_snapshots")
    snapshot = Snapshot.objects.get()
    assert snapshot.session == session
    row = snapshot.data["rows"][f"stakeholder:{stakeholder.pk}"]
    assert row["data"]["name"] == "Deelnemers werkleerplek"
    assert not Snapshot.objects.filter(session=later).exists()
    # Running again takes no second snapshot.
    call_command("take_snapshots")
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


ACTIVITY = {
    "title": "Werkleerplekken in keuken en bediening",
    "need": "",
    "input_time": "",
    "input_money": "85000",
    "input_in_kind": "",
}


def test_what_changed_compares_amounts_by_value_and_writes_them_in_dutch(
    client_for, client, trainer, worksheet, cohort
):
    # A save through a form stores "85000" and "14"; the database gives back "85000.00" and
    # "14.00". Neither is a change.
    client.post(create_url(worksheet, "activity"), new_data("activity", ACTIVITY))
    activity = Activity.objects.get()
    client.post(
        create_url(worksheet, "output", activity),
        new_data("output", {"description": "werkleerplekken", "quantity": "14"}, activity),
    )
    output = Output.objects.get()
    client.post(
        create_url(worksheet, "output", activity),
        new_data("output", {"description": "maaltijden", "quantity": "7800"}, activity),
    )
    meals = Output.objects.exclude(pk=output.pk).get()
    backdate(5)
    SessionFactory(cohort=cohort, date=timezone.localdate() - dt.timedelta(days=2))
    meals.refresh_from_db()
    client.post(
        row_url("update", worksheet, "output", meals.pk),
        update_data("output", meals, {"description": "maaltijden", "quantity": "7800,5"}),
    )
    response = client_for(trainer).get(reverse("impact:worksheet_history", args=[worksheet.pk]))
    changes = response.context["changes"]
    assert [(c.row_type, c.label) for c in changes] == [("output", "maaltijden")]
    [quantity] = changes[0].fields
    assert (quantity.old, quantity.new) == ("7.800", "7.800,5")
    assert "<del>7.800</del>" in response.text
    assert "85000" not in response.text
    # The row's own history shows only the real change, and restoring the field still works.
    history = client.get(row_url("history", worksheet, "output", meals.pk))
    latest = history.context["revisions"][0]
    assert [(c.name, c.old, c.new) for c in latest.changes] == [("quantity", "7.800", "7.800,5")]
    first = Revision.objects.filter(row_type="output", row_id=meals.pk).earliest("pk")
    meals.refresh_from_db()
    client.post(
        row_url("restore", worksheet, "output", meals.pk),
        {"revision": first.pk, "field": "quantity", "version": meals.version},
    )
    meals.refresh_from_db()
    assert meals.quantity == Decimal("7800")


def test_a_conflict_does_not_list_an_amount_written_another_way(client, worksheet):
    client.post(create_url(worksheet, "activity"), new_data("activity", ACTIVITY))
    activity = Activity.objects.get()
    client.post(
        row_url("update", worksheet, "activity", activity.pk),
        update_data("activity", activity, {**ACTIVITY, "input_time": "2 jobcoaches"}),
    )
    stale = update_data("activity", activity, ACTIVITY, version=1)
    response = client.post(row_url("update", worksheet, "activity", activity.pk), stale)
    assert response.status_code == 409
    conflict = response.context["lists"][0].rows[0].conflict
    assert [f["name"] for f in conflict.fields] == ["input_time"]


def test_the_latest_version_offers_no_restore_of_what_is_already_there(client, worksheet):
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    stakeholder = Stakeholder.objects.get()
    url = row_url("history", worksheet, "stakeholder", stakeholder.pk)
    assert "Dit veld terugzetten" not in client.get(url).text
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Jobcoaches"}),
    )
    response = client.get(url)
    # Version 1 can come back, field by field; version 2 is what the row holds now.
    older = response.context["revisions"][1]
    assert response.text.count("Dit veld terugzetten") == len(older.changes) > 0
