"""The cohort overview's grid comes from the cache, and every change it shows reaches it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from impact.models import StepReview
from tests.factories import (
    AttendanceFactory,
    CommentFactory,
    SessionFactory,
    StakeholderFactory,
    StepReviewFactory,
    make_person,
)
from tests.impact.worksheet_helpers import worksheet_of


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.IMPACTLAB_PAGE_CACHE = True


@pytest.fixture
def worksheet(organisation, cohort):
    return worksheet_of(organisation, cohort)


@pytest.fixture
def page(client_for, trainer, cohort):
    client = client_for(trainer)
    url = reverse("impact:cohort_overview", args=[cohort.pk])

    def get() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_a_second_view_is_served_from_the_cache_with_fewer_queries(
    client_for, trainer, cohort, worksheet
):
    client = client_for(trainer)
    url = reverse("impact:cohort_overview", args=[cohort.pk])
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url).content
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(url).content
    assert len(second.captured_queries) < len(first.captured_queries)
    # Only the CSRF token of the page's one form differs.
    assert second_page.count(b"Kringloop Zwolle") == first_page.count(b"Kringloop Zwolle") > 0


def test_rows_reviews_and_comments_reach_the_cached_grid(page, worksheet, trainer):
    assert "1 regel" not in page()
    StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    assert "1 regel" in page()
    assert 'Stakeholders: ingediend voor feedback"' not in page()
    StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.SUBMITTED)
    assert 'Stakeholders: ingediend voor feedback"' in page()
    CommentFactory(worksheet=worksheet, step=2, author=trainer)
    assert 'class="badge badge-open">1<' in page()


def test_sessions_attendance_and_people_reach_the_cached_grid(
    page, cohort, organisation, participant, worksheet
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert "0 dagdelen gehouden" in page()
    session = SessionFactory(cohort=cohort, date=yesterday + dt.timedelta(days=8))
    assert "0 dagdelen gehouden" in page()
    session.date = yesterday  # moved to a day that has passed
    session.save()
    assert "1 dagdeel gehouden" in page()
    assert ">0/1<" in page()
    AttendanceFactory(session=session, person=make_person(organisation=_other_org(cohort)))
    assert ">0/1<" in page()  # someone of another organisation
    newcomer = make_person(organisation=organisation)
    AttendanceFactory(session=session, person=newcomer)
    assert ">1/1<" in page()


def test_a_renamed_or_withdrawn_organisation_reaches_the_cached_grid(
    page, organisation, worksheet, fellow_organisation, cohort
):
    worksheet_of(fellow_organisation, cohort)
    assert "Kringloop Zwolle" in page()
    organisation.name = "Kringloop Zwolle-Zuid"
    organisation.save()
    assert "Kringloop Zwolle-Zuid" in page()
    fellow_organisation.enrolments.get(cohort=cohort).withdraw()
    assert fellow_organisation.name not in page()


def test_each_language_gets_its_own_grid(client_for, trainer, cohort, worksheet):
    client = client_for(trainer)
    url = reverse("impact:cohort_overview", args=[cohort.pk])
    assert "Laatste activiteit" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Last activity" in english
    assert "Laatste activiteit" not in english


def _other_org(cohort):
    from tests.factories import EnrolmentFactory

    return EnrolmentFactory(cohort=cohort).organisation
