"""The presentation of side by side: one organisation per screen, with the dagdeel's agenda."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.cohorts.selectors import name_replacer
from impact.models import Step
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    EnrolmentFactory,
    OrganisationFactory,
    OutputFactory,
    SessionFactory,
    StakeholderFactory,
    TargetGroupFactory,
    WorksheetFactory,
)
from tests.impact.cohorts.test_cohort_overview import count_queries, grow

AGENDA = "13:00 Welkom\n13:15–13:45 Terugblik dagdeel 1\n- wat ging goed\n14:00 Effecten"


def present(cohort, step=Step.EFFECTS, **query) -> str:
    url = reverse("impact:cohort_presentation", args=[cohort.pk, step])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def three(cohort):
    """Three organisations with an effect each, enrolled out of alphabetical order."""
    worksheets = {}
    for name, practice, effect in [
        ("Kringloop Zwolle", "Restaurant Deksels", "Meer zelfvertrouwen"),
        ("Het Goed Apeldoorn", "Fietsenwerkplaats", "Een betaalde baan"),
        ("Kringloopcentrum De Vlinder", "", "Minder eenzaamheid"),
    ]:
        enrolment = EnrolmentFactory(cohort=cohort, organisation=OrganisationFactory(name=name))
        worksheet = WorksheetFactory(enrolment=enrolment, good_practice=practice)
        EffectFactory(worksheet=worksheet, description=effect)
        worksheets[name] = worksheet
    return worksheets


def shown_name(response) -> str:
    return re.search(r"<h1 data-organisation>(.*?)</h1>", response.text).group(1)


def test_the_first_organisation_by_name_comes_first_with_a_next_link(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    response = client_for(trainer).get(present(cohort))
    assert response.status_code == 200
    assert shown_name(response) == "Het Goed Apeldoorn"
    assert "Organisatie 1 van 3" in response.text
    assert "Een betaalde baan" in response.text
    assert "Meer zelfvertrouwen" not in response.text  # one organisation per screen
    assert 'href="?nr=2" rel="next"' in response.text
    assert 'rel="prev"' not in response.text


def test_plain_links_move_through_the_organisations(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    client = client_for(trainer)
    second = client.get(present(cohort, nr=2))
    assert shown_name(second) == "Kringloop Zwolle"
    assert "Restaurant Deksels" in second.text
    assert 'href="?nr=1" rel="prev"' in second.text
    assert 'href="?nr=3" rel="next"' in second.text
    last = client.get(present(cohort, nr=3))
    assert shown_name(last) == "Kringloopcentrum De Vlinder"
    assert 'rel="next"' not in last.text


@pytest.mark.parametrize(
    ("nr", "expected"),
    [("0", 1), ("-4", 1), ("99", 3), ("twee", 1), ("", 1), ("9" * 5000, 1), ("2.5", 1)],
)
def test_a_position_out_of_range_or_unreadable_is_kept_in_range(
    client_for, trainer, three, nr, expected
):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    response = client_for(trainer).get(present(cohort), {"nr": nr})
    assert response.status_code == 200
    assert f"Organisatie {expected} van 3" in response.text


def test_hidden_names_become_letters_and_stay_hidden_on_every_link(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    response = client_for(trainer).get(present(cohort, nr=2, anoniem=1))
    assert shown_name(response) == "Organisatie B"
    assert "Meer zelfvertrouwen" in response.text  # the content stays
    for name in [*three, "Restaurant Deksels", "Fietsenwerkplaats"]:
        assert name not in response.text
    assert 'href="?nr=1&amp;anoniem=1" rel="prev"' in response.text
    assert 'href="?nr=3&amp;anoniem=1" rel="next"' in response.text
    assert 'href="?nr=2">Namen tonen</a>' in response.text
    shown = client_for(trainer).get(present(cohort, nr=2))
    assert 'href="?nr=2&amp;anoniem=1">Namen verbergen</a>' in shown.text


def test_the_side_by_side_page_links_to_the_presentation_of_its_step(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    page = client_for(trainer).get(reverse("impact:cohort_side_by_side_step", args=[cohort.pk, 4]))
    assert f'href="{present(cohort, 4)}"' in page.text
    presentation = client_for(trainer).get(present(cohort, 4))
    back = reverse("impact:cohort_side_by_side_step", args=[cohort.pk, 4])
    assert f'href="{back}">Presentatie sluiten' in presentation.text


@pytest.mark.parametrize("step", list(Step.values))
def test_every_step_can_be_presented(client_for, trainer, three, step):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    assert client_for(trainer).get(present(cohort, step)).status_code == 200


def test_an_unknown_step_is_404_and_post_is_refused(client_for, trainer, cohort):
    client = client_for(trainer)
    assert client.get(present(cohort, 7)).status_code == 404
    assert client.post(present(cohort)).status_code == 405


def test_a_ronde_without_organisations_or_dagdelen_says_so(client_for, trainer, cohort):
    response = client_for(trainer).get(present(cohort))
    assert response.status_code == 200
    assert "Nog geen organisaties ingeschreven." in response.text
    assert "Nog geen dagdelen gepland." in response.text
    assert 'rel="next"' not in response.text


def agenda_items(response) -> list[tuple[bool, str]]:
    """(marked as current, text) of every agenda item."""
    return [
        ("aria-current" in attributes, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
        for attributes, body in re.findall(
            r'<li((?: [a-z-]+="[^"]*")*)>\s*(<span class="agenda-time">.*?)</li>\s*(?=<li|</ol>)',
            response.text,
            re.S,
        )
    ]


def test_the_agenda_of_todays_dagdeel_marks_the_item_of_the_clock(
    client_for, trainer, three, monkeypatch
):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    today = timezone.localdate()
    SessionFactory(cohort=cohort, date=today - dt.timedelta(days=7), agenda="09:30 Vorige keer")
    SessionFactory(
        cohort=cohort,
        date=today,
        title="Dagdeel 2",
        starts_at=dt.time(13, 0),
        ends_at=dt.time(16, 30),
        agenda=AGENDA,
    )
    twenty_past_one = timezone.make_aware(dt.datetime.combine(today, dt.time(13, 20)))
    monkeypatch.setattr(timezone, "now", lambda: twenty_past_one)
    response = client_for(trainer).get(present(cohort))
    assert "Dagdeel 2" in response.text
    assert "Vorige keer" not in response.text
    assert agenda_items(response) == [
        (False, "13:00–13:15 nu Welkom 15 min"),
        (True, "13:15–13:45 nu Terugblik dagdeel 1 30 min wat ging goed"),
        (False, "14:00–16:30 nu Effecten 150 min"),
    ]
    assert "<time data-clock>13:20</time>" in response.text
    assert f'data-today="{today:%Y-%m-%d}"' in response.text


def test_a_dagdeel_on_another_day_shows_its_agenda_without_a_current_item(
    client_for, trainer, three
):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    today = timezone.localdate()
    SessionFactory(cohort=cohort, date=today - dt.timedelta(days=7), agenda="09:30 Vorige keer")
    SessionFactory(cohort=cohort, date=today + dt.timedelta(days=7), agenda=AGENDA)
    response = client_for(trainer).get(present(cohort))
    items = agenda_items(response)
    assert [text.split(" ")[2] for _, text in items] == ["Welkom", "Terugblik", "Effecten"]
    assert not any(current for current, _ in items)
    assert "data-clock" not in response.text
    assert "data-today" not in response.text


def test_a_dagdeel_without_agenda_says_so(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    SessionFactory(cohort=cohort, date=timezone.localdate(), title="Dagdeel 3", agenda="")
    response = client_for(trainer).get(present(cohort))
    assert "Dagdeel 3" in response.text
    assert "Dit dagdeel heeft nog geen programma." in response.text


def test_queries_stay_the_same_for_8_and_40_organisations(
    client_for, django_assert_max_num_queries, trainer, cohort
):
    client = client_for(trainer)
    grow(cohort, 8)
    url = present(cohort, Step.EFFECTS, nr=5)
    eight = count_queries(client, url)
    grow(cohort, 32)
    response = client.get(present(cohort, Step.EFFECTS, nr=40))
    assert response.context["shown"].total == 40
    assert "Organisatie 40 van 40" in response.text
    forty = count_queries(client, url)
    assert eight == forty == 10
    # Session, user, roles, cohort, missing worksheets; the ordered worksheet ids; the one
    # worksheet, its review of the step, its effects with stakeholders; the sessions = 10.
    with django_assert_max_num_queries(10):
        client.get(url)


# --- Names hidden in everything shown ------------------------------------------------------


@pytest.fixture
def named(cohort, three):
    """Kringloop Zwolle (B) names itself and both others in its texts, across the steps."""
    worksheet = three["Kringloop Zwolle"]
    worksheet.impact_goal = (
        "KRINGLOOP ZWOLLE werkt samen met het goed apeldoorn en Kringloopcentrum\n"
        "De Vlinder <script>alert(1)</script>"
    )
    worksheet.save()
    TargetGroupFactory(worksheet=worksheet, name="Vrijwilligers van Kringloop Zwolle")
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Klanten van Het Goed Apeldoorn")
    activity = ActivityFactory(worksheet=worksheet, title="Kringloop Zwolle-leerwerkplekken")
    OutputFactory(activity=activity, description="Samen met Kringloopcentrum De Vlinder")
    EffectFactory(
        worksheet=worksheet,
        stakeholder=stakeholder,
        description="Kringloop Zwolle's klanten komen vaker terug",
    )
    SessionFactory(
        cohort=cohort,
        date=timezone.localdate(),
        title="Dagdeel 2 bij Kringloop Zwolle",
        agenda="13:00 Welkom\n14:00 Pitch van Het Goed Apeldoorn\n- vragen aan kringloop zwolle",
    )
    return worksheet


def test_hidden_names_are_labels_in_every_text_of_the_step(client_for, trainer, named):
    cohort = named.enrolment.cohort
    client = client_for(trainer)
    goal = client.get(present(cohort, Step.SCOPE, nr=2, anoniem=1)).text
    assert (
        "Organisatie B werkt samen met Organisatie A en Organisatie C "
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    ) in " ".join(re.sub(r"<br>", " ", goal).split())
    assert "Vrijwilligers van Organisatie B" in goal
    stakeholders = client.get(present(cohort, Step.STAKEHOLDERS, nr=2, anoniem=1)).text
    assert "Klanten van Organisatie A" in stakeholders
    activities = client.get(present(cohort, Step.ACTIVITIES, nr=2, anoniem=1)).text
    assert "Organisatie B-leerwerkplekken" in activities
    assert "Samen met Organisatie C" in activities
    effects = client.get(present(cohort, Step.EFFECTS, nr=2, anoniem=1)).text
    assert "Organisatie B&#x27;s klanten komen vaker terug" in effects
    assert "· Klanten van Organisatie A ·" in effects
    # The dagdeel beside it too: its title and its agenda.
    assert "Dagdeel 2 bij Organisatie B" in effects
    assert "Pitch van Organisatie A" in effects
    assert "vragen aan Organisatie B" in effects
    for page in (goal, stakeholders, activities, effects):
        lowered = page.lower()
        for name in ("kringloop zwolle", "het goed apeldoorn", "de vlinder"):
            assert name not in lowered, name
    named.refresh_from_db()  # nothing is saved
    assert named.impact_goal.startswith("KRINGLOOP ZWOLLE werkt samen")


def test_names_stay_when_they_are_not_hidden(client_for, trainer, named):
    cohort = named.enrolment.cohort
    page = client_for(trainer).get(present(cohort, Step.SCOPE, nr=2)).text
    assert "KRINGLOOP ZWOLLE werkt samen met het goed apeldoorn" in page
    assert "Dagdeel 2 bij Kringloop Zwolle" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bij Kringloop  Zwolle en kringloop zwolle-zuid", "Bij B en C"),
        ("Kringloop Zwollenaren", "Kringloop Zwollenaren"),  # another word
        ("(Her)Start!", "D!"),
        ("Niemand", "Niemand"),
    ],
)
def test_a_name_is_replaced_as_a_whole_word_the_longest_first(text, expected):
    replace = name_replacer(
        {"Kringloop Zwolle": "B", "Kringloop Zwolle-Zuid": "C", "(Her)Start": "D", " ": "E"}
    )
    assert replace(text) == expected


# --- Another dagdeel's agenda --------------------------------------------------------------


@pytest.fixture
def dagdelen(cohort, three):
    today = timezone.localdate()
    return {
        "before": SessionFactory(
            cohort=cohort,
            title="Dagdeel 1",
            date=today - dt.timedelta(days=14),
            agenda="09:30 Kennismaken\n10:00 Doelgroepen",
        ),
        "today": SessionFactory(
            cohort=cohort,
            title="Dagdeel 2",
            date=today,
            starts_at=dt.time(0, 0),
            ends_at=dt.time(23, 59),
            agenda=AGENDA,
        ),
        "after": SessionFactory(
            cohort=cohort,
            title="Dagdeel 3",
            date=today + dt.timedelta(days=14),
            agenda="13:00 Indicatoren kiezen",
        ),
    }


def choice_links(html: str) -> list[tuple[str, bool, str]]:
    """(href, shown now, title) of each link of the dagdeel choice."""
    block = re.search(r'<details class="agenda-choice">.*?</details>', html, re.S).group(0)
    return [
        (href.replace("&amp;", "&"), bool(current), title)
        for href, current, title in re.findall(
            r'<a href="([^"]*)"( aria-current="true")?>(.*?)</a>', block
        )
    ]


def test_the_dagdeel_in_the_room_is_shown_with_a_choice_of_the_others(
    client_for, trainer, dagdelen
):
    cohort = dagdelen["today"].cohort
    html = client_for(trainer).get(present(cohort, nr=2)).text
    assert "Terugblik dagdeel 1" in html
    assert choice_links(html) == [
        (f"?nr=2&dagdeel={dagdelen['before'].pk}", False, "Dagdeel 1"),
        ("?nr=2", True, "Dagdeel 2"),  # the default keeps no parameter
        (f"?nr=2&dagdeel={dagdelen['after'].pk}", False, "Dagdeel 3"),
    ]
    assert "Ander dagdeel" in html
    assert "standaard" in html


def test_another_dagdeel_shows_its_agenda_and_every_link_keeps_it(client_for, trainer, dagdelen):
    cohort = dagdelen["today"].cohort
    before = dagdelen["before"].pk
    response = client_for(trainer).get(present(cohort, nr=2, anoniem=1, dagdeel=before))
    html = response.text
    items = agenda_items(response)
    assert [text.split(" ", 1)[1] for _, text in items] == [
        "nu Kennismaken 30 min",
        "nu Doelgroepen 180 min",  # until the dagdeel ends (the factory: 9:30–13:00)
    ]
    assert not any(current for current, _ in items)
    assert "Terugblik dagdeel 1" not in html
    assert "data-clock" not in html  # not today's
    assert [current for _, current, _ in choice_links(html)] == [True, False, False]
    # Previous, next and the names' switch stay on this dagdeel; its own default drops it.
    assert f'href="?nr=1&amp;anoniem=1&amp;dagdeel={before}" rel="prev"' in html
    assert f'href="?nr=3&amp;anoniem=1&amp;dagdeel={before}" rel="next"' in html
    assert f'href="?nr=2&amp;dagdeel={before}">Namen tonen</a>' in html
    assert ("?nr=2&anoniem=1", False, "Dagdeel 2") in choice_links(html)


@pytest.mark.parametrize("value", ["abc", "", "-1", "99999999", "1" * 40])
def test_an_unknown_or_unreadable_dagdeel_is_the_one_in_the_room(
    client_for, trainer, dagdelen, value
):
    cohort = dagdelen["today"].cohort
    response = client_for(trainer).get(present(cohort), {"dagdeel": value})
    assert response.status_code == 200
    assert "Terugblik dagdeel 1" in response.text


def test_a_dagdeel_of_another_ronde_is_not_shown(client_for, trainer, coordinator, dagdelen):
    cohort = dagdelen["today"].cohort
    elsewhere = SessionFactory(title="Dagdeel van elders", agenda="10:00 Geheim programma")
    for person in (trainer, coordinator):
        html = client_for(person).get(present(cohort, dagdeel=elsewhere.pk)).text
        assert "Geheim programma" not in html
        assert "Dagdeel van elders" not in html
        assert "Terugblik dagdeel 1" in html


def test_a_single_dagdeel_offers_no_choice(client_for, trainer, three):
    cohort = three["Kringloop Zwolle"].enrolment.cohort
    SessionFactory(cohort=cohort, date=timezone.localdate(), agenda=AGENDA)
    html = client_for(trainer).get(present(cohort)).text
    assert "Terugblik dagdeel 1" in html
    assert "agenda-choice" not in html


def test_choosing_a_dagdeel_costs_no_query_more(
    client_for, django_assert_max_num_queries, trainer, dagdelen
):
    cohort = dagdelen["today"].cohort
    client = client_for(trainer)
    with django_assert_max_num_queries(10):
        client.get(present(cohort, Step.EFFECTS, nr=2, anoniem=1, dagdeel=dagdelen["after"].pk))
