"""An iCalendar file (RFC 5545) of a cohort's sessions, written by hand: no dependency.

Times are written in UTC (``...Z``), which needs no VTIMEZONE block and which every calendar
converts to the reader's own zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings

from organisations.fields import printable
from trainings.models import Cohort, Session

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11); control
    characters other than tab are not allowed in TEXT at all and are left out."""
    return (
        printable(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def format_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_uid(session: Session) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "impactlab"
    return f"session-{session.pk}@{host}"


def session_description(session: Session) -> str:
    parts = [session.agenda.strip()] if session.agenda.strip() else []
    if session.host:
        parts.append(session.host.name)
    return "\n\n".join(parts)


def render_calendar(
    cohort: Cohort, sessions: Iterable[Session], *, now: dt.datetime, url: str = ""
) -> str:
    """The cohort's sessions as one VCALENDAR with a VEVENT each, lines ending in CRLF."""
    calendar_name = f"{cohort.training.name} – {cohort.name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Se.lab//impactlab//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    stamp = format_utc(now)
    for session in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{session_uid(session)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{format_utc(session.starts)}",
            f"DTEND:{format_utc(session.ends)}",
            f"SUMMARY:{escape_text(session.title)}",
        ]
        if session.location:
            lines.append(f"LOCATION:{escape_text(session.location)}")
        description = session_description(session)
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
