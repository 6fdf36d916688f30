"""A dagdeel's agenda, free text, read as timeboxes; and the dagdeel that is in the room.

Pure functions: no Django, no database. A line that starts with a time ("13:00 Welkom",
"13.00 uur: Welkom") or a span ("13:00–13:30 Welkom", "13:00 - 13:30 Welkom", "13:00 tot
13:30 Welkom") opens an item; the lines under it, up to the next time, are its notes. An
item ends at its own end time, else where the next item starts, else when the dagdeel ends.
Lines before the first time (or an agenda without any) are items without a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

_TIME = r"([01]?\d|2[0-3])[:.]([0-5]\d)(?!\d)"
_LINE = re.compile(
    rf"(?:[-*•·]\s*)?{_TIME}"
    rf"(?:\s*(?:[-–—]|tot)\s*{_TIME})?"
    r"(?:\s*uur\b)?"
    r"\s*[-–—:|]?\s*(?P<title>.*)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"[-*•·]\s+")


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda: its title, its timebox (when it has one) and its notes."""

    title: str
    starts: dt.time | None = None
    ends: dt.time | None = None
    notes: tuple[str, ...] = ()

    @property
    def minutes(self) -> int | None:
        """The length of the timebox in minutes, when it has a start and an end."""
        if self.starts is None or self.ends is None:
            return None
        return _minutes(self.ends) - _minutes(self.starts)


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _time(hours: str | None, minutes: str | None) -> dt.time | None:
    if hours is None or minutes is None:
        return None
    return dt.time(int(hours), int(minutes))


def parse_agenda(text: str, *, ends: dt.time | None = None) -> list[AgendaItem]:
    """The agenda's items, in the order written; ``ends`` is when the dagdeel ends, the end
    of the last item that names none. Linear in the length of the text."""
    drafts: list[dict] = []
    timed_yet = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match:
            start_h, start_m, end_h, end_m = match.group(1, 2, 3, 4)
            drafts.append(
                {
                    "title": match.group("title").strip(),
                    "starts": _time(start_h, start_m),
                    "ends": _time(end_h, end_m),
                    "notes": [],
                }
            )
            timed_yet = True
        elif timed_yet:
            drafts[-1]["notes"].append(_BULLET.sub("", line, count=1))
        else:
            drafts.append({"title": line, "starts": None, "ends": None, "notes": []})

    timed = [draft for draft in drafts if draft["starts"] is not None]
    for index, draft in enumerate(timed):
        start = draft["starts"]
        following = timed[index + 1]["starts"] if index + 1 < len(timed) else ends
        # A written end must come after the start; else the next start (or the dagdeel's end).
        for candidate in (draft["ends"], following):
            if candidate is not None and candidate > start:
                draft["ends"] = candidate
                break
        else:
            draft["ends"] = None
    return [
        AgendaItem(
            title=draft["title"],
            starts=draft["starts"],
            ends=draft["ends"],
            notes=tuple(draft["notes"]),
        )
        for draft in drafts
    ]


def current_index(items: Sequence[AgendaItem], now: dt.time) -> int | None:
    """The position of the item whose timebox holds ``now``, or None. An item without an end
    runs until a later item starts; where timeboxes overlap, the one that started last."""
    found = None
    for index, item in enumerate(items):
        if item.starts is None or item.starts > now:
            continue
        if item.ends is None or now < item.ends:
            found = index
    return found


class _Scheduled(Protocol):
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time


def session_in_the_room[S: _Scheduled](sessions: Sequence[S], now: dt.datetime) -> S | None:
    """The dagdeel a trainer presents in at ``now`` (local time): today's that has not ended
    yet (else today's last), else the next one, else the latest one; None without any."""
    ordered = sorted(sessions, key=lambda s: (s.date, s.starts_at))
    today = [s for s in ordered if s.date == now.date()]
    if today:
        return next((s for s in today if now.time() < s.ends_at), today[-1])
    later = [s for s in ordered if s.date > now.date()]
    if later:
        return later[0]
    return ordered[-1] if ordered else None
