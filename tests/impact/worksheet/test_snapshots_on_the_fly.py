"""A GET never writes: the state at the end of a dagdeel that take_snapshots has not stored
yet is worked out from the history, and gives what the stored snapshot gives."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from impact.models import Revision, Snapshot, Stakeholder
from impact.reports.tasks import take_snapshots_task
from tests.factories import SessionFactory
from tests.impact.worksheet_helpers import (
    STAKEHOLDER,
    create_url,
    new_data,
    row_url,
    update_data,
)

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
EN = {"headers": {"accept-language": "en"}}


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


@pytest.fixture
def ended(cohort):
    """A dagdeel three days ago, whose snapshot nobody has stored yet."""
    return SessionFactory(
        cohort=cohort, title="Dagdeel 1", date=timezone.localdate() - dt.timedelta(days=3)
    )


@pytest.fixture
def changed_since(client, worksheet, ended):
    """A stakeholder written before the dagdeel and renamed after it."""
    client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER))
    Revision.objects.update(created_at=timezone.now() - dt.timedelta(days=10))
    stakeholder = Stakeholder.objects.get()
    client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Na het dagdeel"}),
    )
    return stakeholder


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.parametrize("who", ["participant", "trainer"])
def test_worksheet_pages_write_nothing(request, client_for, worksheet, changed_since, who):
    client = client_for(request.getfixturevalue(who))
    urls = [
        reverse("impact:worksheet", args=[worksheet.pk]),
        *[reverse("impact:worksheet_step", args=[worksheet.pk, step]) for step in range(1, 7)],
        reverse("impact:worksheet_history", args=[worksheet.pk]),
        reverse("impact:worksheet_reports", args=[worksheet.pk]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert _writes(queries.captured_queries) == [], url
    assert not Snapshot.objects.exists()


def _changes(response) -> list:
    return [
        (c.action, c.key, c.label, [(f.name, f.old, f.new) for f in c.fields])
        for c in response.context["changes"]
    ]


def test_history_diff_is_the_same_before_and_after_take_snapshots(
    client, worksheet, ended, changed_since
):
    url = reverse("impact:worksheet_history", args=[worksheet.pk])
    on_the_fly = client.get(url, {"since": ended.pk})
    assert on_the_fly.context["chosen"].session == ended
    assert not Snapshot.objects.exists()
    call_command("take_snapshots")
    stored = client.get(url, {"since": ended.pk})
    assert stored.context["chosen"].pk is not None
    assert _changes(on_the_fly) == _changes(stored)
    assert ("changed", f"stakeholder:{changed_since.pk}") in [c[:2] for c in _changes(stored)]
    name = next(f for f in stored.context["changes"][0].fields if f.name == "name")
    assert (name.old, name.new) == ("Deelnemers werkleerplek", "Na het dagdeel")


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("name", ["impact:worksheet_report_pdf", "impact:worksheet_summary_pdf"])
def test_report_as_at_the_end_of_a_dagdeel_works_before_take_snapshots(
    client, worksheet, ended, changed_since, name
):
    url = reverse(name, args=[worksheet.pk])
    reports = client.get(reverse("impact:worksheet_reports", args=[worksheet.pk]))
    assert f'<option value="{ended.pk}">' in reports.text
    on_the_fly = _text(client.get(url, {"session": ended.pk}, **EN))
    assert not Snapshot.objects.exists()
    call_command("take_snapshots")
    assert Snapshot.objects.count() == 1
    stored = _text(client.get(url, {"session": ended.pk}, **EN))
    assert on_the_fly == stored
    assert "at the end of Dagdeel 1" in stored
    now = _text(client.get(url, **EN))
    if name == "impact:worksheet_report_pdf":  # the summary does not list stakeholders
        assert "Deelnemers werkleerplek" in stored
        assert "Na het dagdeel" in now
    assert "Na het dagdeel" not in stored


def test_the_background_task_and_the_command_store_the_snapshots(worksheet, ended, capsys):
    # Tests run tasks at once (the immediate backend); the db_worker runs them in production.
    result = take_snapshots_task.enqueue()
    assert result.return_value == 1
    assert Snapshot.objects.get().session == ended
    Snapshot.objects.all().delete()
    call_command("take_snapshots", "--in-background")
    assert "queued" in capsys.readouterr().out
    assert Snapshot.objects.get().session == ended
