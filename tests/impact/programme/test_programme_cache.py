"""The programme view comes from the cache, and every change in any ronde reaches it: each
test below would fail with a key that does not follow that change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from impact.models import StepReview
from tests.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    OrganisationFactory,
    ResultFactory,
    SessionFactory,
    WorksheetFactory,
    make_person,
)
from tests.impact.programme.helpers import answer_questionnaire, make_ronde
from tests.impact.programme.test_programme_view import overview_url, row_text
from trainings.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.IMPACTLAB_PAGE_CACHE = True


@pytest.fixture
def rondes(training):
    """Two rondes of three organisations, two dagdelen each, nothing approved yet."""
    first = make_ronde(training, "Ronde A", organisations=3, sessions=2, days_ago=200)
    second = make_ronde(training, "Ronde B", organisations=3, sessions=2, days_ago=100)
    return first, second


@pytest.fixture
def page(client_for, coordinator, training):
    client = client_for(coordinator)

    def get(ronde: str = "Ronde B") -> str:
        response = client.get(overview_url(training.programme))
        assert response.status_code == 200
        return row_text(response.text, ronde)

    return get


def main_of(html: str) -> str:
    """The page's main part: the header around it carries a fresh CSRF token each time."""
    return html[html.index("<main") : html.index("</main>")]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_second_view_is_served_from_the_cache_with_fewer_queries(
    client_for, coordinator, training, rondes
):
    client = client_for(coordinator)
    url = overview_url(training.programme)
    first = main_of(client.get(url).text)
    assert queries(client, url) < 21
    assert main_of(client.get(url).text) == first


def test_the_query_counts_stay_the_same_for_2_and_20_rondes(
    client_for, coordinator, training, django_assert_max_num_queries
):
    """Served from the cache: the session, the person and their roles (3); the programme
    (1); the key: trainings and rondes, enrolments with organisations and worksheets,
    sessions with attendance, memberships (4): 8. Rendered: the key and the 17 of the body
    besides: 25."""
    client = client_for(coordinator)
    url = overview_url(training.programme)
    for size in (2, 20):
        for number in range(Cohort.objects.count(), size):
            make_ronde(training, f"Ronde {number}", organisations=2, answered=1, value_on=1)
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.text.count('<th scope="row">') == size + 1
        with django_assert_max_num_queries(8):
            assert main_of(client.get(url).text) == main_of(response.text)


def test_an_approved_step_reaches_the_cached_page(page, rondes):
    _first, second = rondes
    assert "0 % 0 van 18" in page()
    worksheet = second.enrolments.first().worksheet
    StepReview.objects.create(worksheet=worksheet, step=1, state=StepReview.State.APPROVED)
    assert "6 % 1 van 18" in page()


def test_a_result_added_reaches_the_cached_page(page, rondes):
    _first, second = rondes
    # Each worksheet has two effects, one with an indicator that has a result already.
    assert "100 % 3 van 3" in page()
    indicator = second.enrolments.first().worksheet.effects.first().indicators.first()
    indicator.results.all().delete()
    assert "67 % 2 van 3" in page()
    ResultFactory(indicator=indicator)
    assert "100 % 3 van 3" in page()


def test_an_organisation_joining_or_withdrawing_reaches_the_cached_page(page, rondes):
    _first, second = rondes
    assert " weg 3 ±0 sinds Ronde A 2 van 2 " in page()
    newcomer = EnrolmentFactory(cohort=second, organisation=OrganisationFactory())
    assert " weg 4 +1 sinds Ronde A 2 van 2 " in page()
    WorksheetFactory(enrolment=newcomer)
    newcomer.withdraw()
    assert " weg 3 ±0 sinds Ronde A 2 van 2 " in page()


def test_a_session_held_reaches_the_cached_page_without_a_save(page, rondes, monkeypatch):
    """The dagdeel of this afternoon counts once it has ended, with nothing saved."""
    _first, second = rondes
    today = timezone.localdate()
    SessionFactory(cohort=second, date=today, starts_at=dt.time(13, 0), ends_at=dt.time(16, 0))
    at = {"time": dt.time(14, 0)}
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: timezone.make_aware(dt.datetime.combine(today, at["time"])),
    )
    assert " 2 van 3 ±0 sinds Ronde A " in page()
    at["time"] = dt.time(16, 30)
    assert " 3 van 3 +1 sinds Ronde A " in page()


def test_attendance_and_answers_reach_the_cached_page(page, rondes):
    _first, second = rondes
    session = SessionFactory(cohort=second, date=timezone.localdate() - dt.timedelta(days=1))
    assert "67 % 6 van 9" in page()  # three organisations at two of three dagdelen
    organisation = second.enrolments.first().organisation
    AttendanceFactory(session=session, person=organisation.memberships.first().person)
    assert "78 % 7 van 9" in page()
    # A colleague who joins the organisation later: still one organisation present.
    AttendanceFactory(session=session, person=make_person(organisation))
    assert "78 % 7 van 9" in page()
    assert "0 % 0 van 3" in page()  # no questionnaire answered yet
    answer_questionnaire(organisation.enrolments.get(cohort=second).worksheet)
    assert "33 % 1 van 3 1 antwoord" in page()


def test_a_renamed_or_archived_ronde_reaches_the_cached_page(client_for, coordinator, rondes):
    first, second = rondes
    client = client_for(coordinator)
    url = overview_url(first.training.programme)
    assert ">Ronde A<" in client.get(url).text
    first.name = "Ronde Voorjaar"
    first.save()
    assert ">Ronde Voorjaar<" in client.get(url).text
    second.status = Cohort.Status.ARCHIVED
    second.save()
    assert ">Ronde B<" not in client.get(url).text


def test_each_language_gets_its_own_page(client_for, coordinator, training, rondes):
    client = client_for(coordinator)
    url = overview_url(training.programme)
    assert "Thema's in het hele programma" in client.get(url).text
    client.cookies["django_language"] = "en"
    english = client.get(url).text
    assert "Themes across the programme" in english
    assert "Thema's in het hele programma" not in english
