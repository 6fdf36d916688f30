"""Reading a dagdeel's free-text agenda as timeboxes, and choosing the dagdeel in the room."""

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainings.agenda import AgendaItem, current_index, parse_agenda, session_in_the_room


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def boxes(items: list[AgendaItem]) -> list[tuple]:
    return [
        (item.starts and f"{item.starts:%H:%M}", item.ends and f"{item.ends:%H:%M}", item.title)
        for item in items
    ]


def test_a_start_time_ends_where_the_next_item_starts_and_the_last_with_the_dagdeel():
    items = parse_agenda("13:00 Welkom\n13:15 Terugblik\n14:00 Pauze", ends=t("16:30"))
    assert boxes(items) == [
        ("13:00", "13:15", "Welkom"),
        ("13:15", "14:00", "Terugblik"),
        ("14:00", "16:30", "Pauze"),
    ]
    assert [item.minutes for item in items] == [15, 45, 150]


@pytest.mark.parametrize(
    "line",
    [
        "13:00–13:30 Welkom",
        "13:00-13:30 Welkom",
        "13:00 — 13:30: Welkom",
        "13:00 - 13:30 Welkom",
        "13.00-13.30 uur Welkom",
        "13:00 tot 13:30 Welkom",
        "- 13:00–13:30 Welkom",
        "• 13:00–13:30 | Welkom",
    ],
)
def test_a_written_span_is_the_timebox(line):
    items = parse_agenda(f"{line}\n14:00 Pauze", ends=t("16:00"))
    assert boxes(items)[0] == ("13:00", "13:30", "Welkom")


@pytest.mark.parametrize(
    "line",
    ["13:00 Welkom", "13.00 uur: Welkom", "13:00 - Welkom", "13:00: Welkom", "* 13:00 Welkom"],
)
def test_a_start_time_with_separators_and_bullets(line):
    assert boxes(parse_agenda(line, ends=t("14:00"))) == [("13:00", "14:00", "Welkom")]


def test_a_single_digit_hour():
    assert boxes(parse_agenda("9:30 Koffie", ends=t("10:00"))) == [("09:30", "10:00", "Koffie")]


def test_lines_under_an_item_are_its_notes_and_blank_lines_are_skipped():
    items = parse_agenda("13:00 Terugblik\n\n- wat ging goed\n  * wat kan beter\n14:00 Pauze")
    assert items[0].notes == ("wat ging goed", "wat kan beter")
    assert items[1].notes == ()


def test_lines_before_the_first_time_are_items_without_a_time():
    items = parse_agenda("Koffie bij binnenkomst\n13:00 Welkom", ends=t("14:00"))
    assert boxes(items) == [(None, None, "Koffie bij binnenkomst"), ("13:00", "14:00", "Welkom")]
    assert items[0].minutes is None


def test_an_agenda_without_times_is_a_list_of_items():
    items = parse_agenda("Welkom\nTerugblik\nAfsluiting", ends=t("16:00"))
    assert [item.title for item in items] == ["Welkom", "Terugblik", "Afsluiting"]
    assert all(item.starts is None and item.ends is None for item in items)


@pytest.mark.parametrize(
    "line", ["1.000 bezoekers per week", "25:00 Later", "13:75 Raar", "2026.12"]
)
def test_what_only_looks_like_a_time_is_a_note(line):
    items = parse_agenda(f"13:00 Effecten\n{line}", ends=t("14:00"))
    assert len(items) == 1
    assert items[0].notes == (line,)


def test_an_end_before_its_start_is_ignored():
    items = parse_agenda("13:30–13:00 Welkom\n14:00 Pauze", ends=t("15:00"))
    assert boxes(items)[0] == ("13:30", "14:00", "Welkom")


def test_times_out_of_order_leave_an_open_end():
    items = parse_agenda("14:00 Pauze\n13:00 Welkom", ends=t("15:00"))
    assert boxes(items) == [("14:00", None, "Pauze"), ("13:00", "15:00", "Welkom")]


def test_without_the_dagdeels_end_the_last_item_stays_open():
    items = parse_agenda("13:00 Welkom\n13:15 Terugblik")
    assert boxes(items)[-1] == ("13:15", None, "Terugblik")


def test_a_time_alone_has_an_empty_title():
    assert boxes(parse_agenda("13:00", ends=t("14:00"))) == [("13:00", "14:00", "")]


def test_an_empty_agenda_has_no_items():
    assert parse_agenda("", ends=t("14:00")) == []
    assert parse_agenda("\n  \n", ends=t("14:00")) == []


AGENDA = parse_agenda(
    "Koffie\n13:00 Welkom\n13:15–13:45 Terugblik\n14:00 Pauze\n14:15 Effecten", ends=t("16:30")
)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("12:59", None),  # before the first item
        ("13:00", 1),  # a timebox includes its start…
        ("13:14", 1),
        ("13:15", 2),  # …and not its end
        ("13:50", None),  # a gap between two timeboxes
        ("14:00", 3),
        ("16:29", 4),
        ("16:30", None),  # the dagdeel is over
    ],
)
def test_the_current_item_is_the_one_whose_timebox_holds_the_time(now, expected):
    assert current_index(AGENDA, t(now)) == expected


def test_an_item_without_an_end_runs_until_a_later_one_starts():
    items = parse_agenda("14:00 Pauze\n13:00 Welkom")  # out of order, no dagdeel end
    assert current_index(items, t("13:30")) == 1
    assert current_index(items, t("14:30")) == 1  # both started; the later-listed one wins
    assert current_index(parse_agenda("13:00 Welkom"), t("23:00")) == 0


@given(st.text(max_size=400))
def test_any_text_parses_into_well_formed_timeboxes(text):
    items = parse_agenda(text, ends=t("16:00"))
    for item in items:
        assert item.title == item.title.strip()
        if item.ends is not None:
            assert item.starts is not None and item.ends > item.starts
            assert item.minutes > 0
    current_index(items, t("13:00"))


@dataclass
class FakeSession:
    name: str
    date: dt.date
    starts_at: dt.time = dt.time(9, 0)
    ends_at: dt.time = dt.time(12, 0)


def at(day: int, time: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 12, day), t(time))


MORNING = FakeSession("morning", dt.date(2026, 12, 2), t("09:00"), t("12:00"))
AFTERNOON = FakeSession("afternoon", dt.date(2026, 12, 2), t("13:00"), t("16:30"))
EARLIER = FakeSession("earlier", dt.date(2026, 11, 25))
LATER = FakeSession("later", dt.date(2026, 12, 9))
SESSIONS = [LATER, AFTERNOON, EARLIER, MORNING]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2, "08:00"), "morning"),  # today's first that has not ended
        (at(2, "12:30"), "afternoon"),
        (at(2, "18:00"), "afternoon"),  # all of today's are over: the last of today
        (at(1, "10:00"), "morning"),  # no dagdeel today: the next one
        (at(5, "10:00"), "later"),
        (at(20, "10:00"), "later"),  # all over: the latest
    ],
)
def test_the_dagdeel_in_the_room(now, expected):
    assert session_in_the_room(SESSIONS, now).name == expected


def test_no_dagdeel_without_sessions():
    assert session_in_the_room([], at(2, "10:00")) is None
