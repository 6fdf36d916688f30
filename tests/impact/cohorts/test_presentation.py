"""The presentation of side by side: one organisation per screen, with the dagdeel's agenda."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import Step
from tests.factories import (
    EffectFactory,
    EnrolmentFactory,
    OrganisationFactory,
    SessionFactory,
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
