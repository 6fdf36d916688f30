import datetime as dt

from django.db import connection
from django.urls import reverse

from tests.factories import SessionFactory
from trainings.ical import escape_text, fold


def unfold(body: str) -> list[str]:
    """Parse the file back: split on CRLF and join continuation lines (RFC 5545 3.1)."""
    assert "\n" not in body.replace("\r\n", "")
    lines: list[str] = []
    for raw in body.split("\r\n"):
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def calendar(client, cohort):
    response = client.get(reverse("trainings:cohort_calendar", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode()


def test_participant_downloads_the_sessions_as_icalendar(
    client_for, participant, cohort, organisation
):
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 2: lunch, effecten; en meer",
        date=dt.date(2026, 11, 20),
        starts_at=dt.time(10, 0),
        ends_at=dt.time(14, 0),
        location="Kringloop Zwolle, Restaurant Deksels",
        host=organisation,
        agenda="Activiteiten\nEffecten, ook de negatieve; met lunch " + "x" * 120,
    )
    SessionFactory(cohort=cohort, title="Dagdeel 3", date=dt.date(2026, 7, 1))
    body = calendar(client_for(participant), cohort)
    assert body.endswith("\r\n")
    for raw in body.split("\r\n"):
        assert len(raw.encode()) <= 75
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 2
    assert lines.count("END:VEVENT") == 2
    assert "SUMMARY:Dagdeel 2: lunch\\, effecten\\; en meer" in lines
    # 10:00 in Amsterdam in November (CET, UTC+1) is 09:00 UTC; in July (CEST) 09:30 is 07:30.
    assert "DTSTART:20261120T090000Z" in lines
    assert "DTEND:20261120T130000Z" in lines
    assert "DTSTART:20260701T073000Z" in lines
    assert "LOCATION:Kringloop Zwolle\\, Restaurant Deksels" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Activiteiten\\nEffecten\\, ook de negatieve\\; met")
    assert description.endswith("\\n\\nKringloop Zwolle")
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 2
    assert all("@" in uid for uid in uids)
    assert sum(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines) == 2


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "Coöperatie é" * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *[p[1:] for p in pieces[1:]]]) == line


def test_escape_text_handles_backslashes_first():
    assert escape_text("a\\b,c;d\r\ne") == "a\\\\b\\,c\\;d\\ne"


def test_outsider_cannot_download_the_calendar(client_for, outsider, cohort):
    url = reverse("trainings:cohort_calendar", args=[cohort.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_control_characters_that_reached_the_database_stay_out_of_the_calendar(
    client_for, participant, cohort
):
    session = SessionFactory(cohort=cohort, title="Dagdeel 1", date=dt.date(2026, 11, 20))
    # PostgreSQL refuses NUL in text itself; SQLite stores it.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    type(session).objects.filter(pk=session.pk).update(
        title="Dagdeel\x0b 1\x1b", agenda=f"Lunch{nul}\x85\x01 en\tmeer"
    )
    lines = unfold(calendar(client_for(participant), cohort))
    assert "SUMMARY:Dagdeel 1" in lines
    assert "DESCRIPTION:Lunch en\tmeer" in lines
