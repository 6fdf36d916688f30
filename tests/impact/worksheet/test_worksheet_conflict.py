"""Two people on one row: a save based on an old version is refused, nothing is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client

from impact.models import Revision
from tests.factories import StakeholderFactory
from tests.impact.worksheet_helpers import STAKEHOLDER, row_url, update_data

HTMX = {"HTTP_HX_REQUEST": "true"}
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def stakeholder(worksheet):
    return StakeholderFactory(
        worksheet=worksheet, name="Jobcoaches", materiality_reason="Zij begeleiden."
    )


def save(client, worksheet, stakeholder, version, extra=None, **data):
    return client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, **data}, version=version),
        **(extra or {}),
    )


@pytest.mark.django_db
def test_second_save_on_an_old_version_gets_409_and_overwrites_nothing(
    client_for, participant, colleague, worksheet, stakeholder
):
    me, them = client_for(participant), client_for(colleague)
    assert save(them, worksheet, stakeholder, 1, name="Begeleiders (Kees)").status_code == 302
    response = save(me, worksheet, stakeholder, 1, name="Jobcoaches (Dewi)")
    assert response.status_code == 409
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.version) == ("Begeleiders (Kees)", 2)
    # Both texts are on the page, with a form that is now based on the current version.
    row = response.context["lists"][0].rows[0]
    assert row.conflict.author == colleague.get_full_name()
    assert [f["name"] for f in row.conflict.fields] == ["name"]
    assert row.conflict.fields[0]["mine"] == "Jobcoaches (Dewi)"
    assert row.conflict.fields[0]["theirs"] == "Begeleiders (Kees)"
    assert row.form["name"].value() == "Jobcoaches (Dewi)"
    assert row.form["version"].value() == "2"
    assert Revision.objects.filter(row_type="stakeholder", action="update").count() == 1
    # Saving the merged text on top of the current version succeeds.
    merged = save(me, worksheet, stakeholder, 2, name="Jobcoaches en begeleiders")
    assert merged.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.version) == ("Jobcoaches en begeleiders", 3)


@pytest.mark.django_db
def test_conflict_through_htmx_and_autosave_returns_the_row_with_both_texts(
    client_for, participant, colleague, worksheet, stakeholder
):
    save(client_for(colleague), worksheet, stakeholder, 1, name="Begeleiders")
    me = client_for(participant)
    for extra in (HTMX, AUTOSAVE):
        response = save(me, worksheet, stakeholder, 1, extra, name="Mijn tekst <b>vet</b>")
        assert response.status_code == 409
        assert f'id="row-stakeholder-{stakeholder.pk}"' in response.text
        assert "Mijn tekst &lt;b&gt;vet&lt;/b&gt;" in response.text
        assert "Begeleiders" in response.text
        assert 'data-use-value="id_stakeholder-' in response.text
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Begeleiders"


@pytest.mark.django_db
def test_save_on_a_row_removed_meanwhile_says_so(client_for, participant, worksheet, stakeholder):
    client = client_for(participant)
    update = row_url("update", worksheet, "stakeholder", stakeholder.pk)
    stakeholder.delete()
    response = client.post(update, update_data("stakeholder", stakeholder, STAKEHOLDER))
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_postgresql_let_exactly_one_win(
    participant, colleague, worksheet, stakeholder
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with one database lock; CI runs this on PostgreSQL")
    barrier = threading.Barrier(4)
    statuses: list[int] = []
    people = [participant, colleague, participant, colleague]

    def worker(person, name):
        try:
            client = Client()
            client.force_login(person)
            barrier.wait()
            statuses.append(save(client, worksheet, stakeholder, 1, name=name).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(person, f"Versie {i}"))
        for i, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409, 409, 409]
    stakeholder.refresh_from_db()
    assert stakeholder.version == 2
    assert Revision.objects.filter(row_type="stakeholder", action="update").count() == 1
