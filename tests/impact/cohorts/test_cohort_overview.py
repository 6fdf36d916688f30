"""The trainer's cohort overview and the side-by-side view."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from impact.cohorts.services import ensure_worksheets
from impact.models import Revision, Step, StepReview, Worksheet
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CommentFactory,
    EffectFactory,
    EnrolmentFactory,
    SessionFactory,
    StakeholderFactory,
    StepReviewFactory,
    WorksheetFactory,
    make_person,
)


def overview(cohort):
    return reverse("impact:cohort_overview", args=[cohort.pk])


def side_by_side(cohort, step=Step.SCOPE):
    return reverse("impact:cohort_side_by_side_step", args=[cohort.pk, step])


@pytest.fixture
def worksheet(organisation, cohort):
    return WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))


def test_anonymous_is_sent_to_login(client, cohort):
    for url in [overview(cohort), side_by_side(cohort)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["participant", "fellow", "outsider", "other_trainer"])
def test_only_the_cohorts_trainers_and_coordinators_get_in(client_for, request, who, cohort):
    client = client_for(request.getfixturevalue(who))
    assert client.get(overview(cohort)).status_code == 404
    assert client.get(side_by_side(cohort)).status_code == 404


@pytest.mark.parametrize("who", ["trainer", "coordinator"])
def test_reviewers_see_every_organisation(client_for, request, who, cohort, organisation, fellow):
    response = client_for(request.getfixturevalue(who)).get(overview(cohort))
    assert response.status_code == 200
    names = [row.organisation.name for row in response.context["overview"].rows]
    assert names == ["Kringloop Zwolle", "Kringloopcentrum De Vlinder"]
    assert client_for(request.getfixturevalue(who)).get(side_by_side(cohort)).status_code == 200


def test_unknown_step_is_404(client_for, trainer, cohort):
    assert client_for(trainer).get(side_by_side(cohort, 7)).status_code == 404


def test_worksheets_are_made_for_active_enrolments_only(cohort, organisation, fellow_organisation):
    EnrolmentFactory(cohort=cohort, withdrawn_at=timezone.now())
    assert ensure_worksheets(cohort=cohort) == 2
    assert ensure_worksheets(cohort=cohort) == 0
    assert Worksheet.objects.filter(enrolment__cohort=cohort).count() == 2


def test_step_states_come_from_reviews_and_content(client_for, trainer, cohort, worksheet):
    worksheet.impact_goal = "Werk en leren voor iedereen"
    worksheet.save()
    StakeholderFactory(worksheet=worksheet)
    StepReviewFactory(worksheet=worksheet, step=Step.STAKEHOLDERS, state="approved")
    StepReviewFactory(worksheet=worksheet, step=Step.ACTIVITIES, state="returned")
    ActivityFactory(worksheet=worksheet)
    response = client_for(trainer).get(overview(cohort))
    (row,) = response.context["overview"].rows
    assert [cell.state for cell in row.cells] == [
        StepReview.State.DRAFT,  # content but no review: in progress
        StepReview.State.APPROVED,
        StepReview.State.RETURNED,
        StepReview.State.NOT_STARTED,
        StepReview.State.NOT_STARTED,
        StepReview.State.NOT_STARTED,
    ]
    assert row.cells[1].rows == 1
    assert row.cells[0].url == reverse("impact:worksheet_step", args=[worksheet.pk, 1])


def test_a_ticked_reason_or_a_period_alone_puts_a_step_in_progress(
    client_for, trainer, cohort, worksheet
):
    worksheet.reasons = ["funding"]
    worksheet.save()
    response = client_for(trainer).get(overview(cohort))
    (row,) = response.context["overview"].rows
    assert row.cells[0].state == StepReview.State.DRAFT
    response = client_for(trainer).get(side_by_side(cohort))
    (sheet,) = [w for w in response.context["worksheets"] if w.pk == worksheet.pk]
    assert sheet.step_state == StepReview.State.DRAFT


def test_last_activity_feedback_and_attendance(
    client_for, trainer, cohort, worksheet, participant, colleague
):
    old = Revision.objects.create(
        worksheet=worksheet,
        step=1,
        row_type="worksheet",
        row_id=worksheet.pk,
        row_version=1,
        action="update",
        author=colleague,
    )
    Revision.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    latest = Revision.objects.create(
        worksheet=worksheet,
        step=2,
        row_type="stakeholder",
        row_id=1,
        row_version=1,
        action="create",
        author=participant,
    )
    CommentFactory(worksheet=worksheet, author=trainer)
    CommentFactory(worksheet=worksheet, author=trainer, resolved_at=timezone.now())
    today = timezone.localdate()
    held = [SessionFactory(cohort=cohort, date=today - dt.timedelta(days=d)) for d in (20, 10)]
    SessionFactory(cohort=cohort, date=today + dt.timedelta(days=10))  # not held yet
    AttendanceFactory(session=held[0], person=participant)
    AttendanceFactory(session=held[0], person=colleague)  # same session counts once
    response = client_for(trainer).get(overview(cohort))
    (row,) = response.context["overview"].rows
    assert row.last_activity == latest
    assert row.last_activity.author == participant
    assert row.open_feedback == 1
    assert (row.attended, row.held) == (1, 2)


def grow(cohort, organisations: int) -> None:
    """Organisations with people, worksheets with rows, reviews, history and feedback."""
    sessions = [SessionFactory(cohort=cohort, date=cohort.starts_on) for _ in range(3)]
    for _ in range(organisations):
        enrolment = EnrolmentFactory(cohort=cohort)
        person = make_person(enrolment.organisation)
        worksheet = WorksheetFactory(enrolment=enrolment, impact_goal="Meer mensen aan het werk")
        effect = EffectFactory(worksheet=worksheet)
        ActivityFactory(worksheet=worksheet)
        StepReviewFactory(worksheet=worksheet, step=1, state="approved")
        StepReviewFactory(worksheet=worksheet, step=2, state="submitted")
        CommentFactory(worksheet=worksheet, step=4, row_type="effect", row_id=effect.pk)
        Revision.objects.create(
            worksheet=worksheet,
            step=4,
            row_type="effect",
            row_id=effect.pk,
            row_version=1,
            action="create",
            author=person,
        )
        AttendanceFactory(session=sessions[0], person=person)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["overview", "side_by_side"])
def test_queries_stay_the_same_for_8_and_40_organisations(
    client_for, django_assert_max_num_queries, trainer, cohort, page
):
    client = client_for(trainer)
    urls = {"overview": overview(cohort), "side_by_side": side_by_side(cohort, Step.EFFECTS)}
    grow(cohort, 8)
    eight = count_queries(client, urls[page])
    grow(cohort, 32)
    response = client.get(urls[page])
    shown = (
        response.context["overview"].rows if page == "overview" else response.context["worksheets"]
    )
    assert len(shown) == 40
    forty = count_queries(client, urls[page])
    assert eight == forty == {"overview": 10, "side_by_side": 8}[page]
    # Overview: session, user, roles, cohort, missing worksheets; worksheets with counts,
    # reviews, last revisions, sessions held, attendance = 10.
    # Side by side (effects): the same first five; worksheets, their review of the step,
    # their effects with stakeholders = 8.
    with django_assert_max_num_queries({"overview": 10, "side_by_side": 8}[page]):
        client.get(urls[page])


@pytest.mark.parametrize("step", list(Step.values))
def test_side_by_side_shows_each_step(client_for, trainer, cohort, worksheet, step):
    worksheet.impact_goal = "Werk voor iedereen"
    worksheet.key_message = "Bij ons telt iedereen mee"
    worksheet.save()
    effect = EffectFactory(worksheet=worksheet, description="Meer zelfvertrouwen")
    response = client_for(trainer).get(side_by_side(cohort, step))
    assert response.status_code == 200
    expected = {
        1: "Werk voor iedereen",
        2: effect.stakeholder.name,
        4: "Meer zelfvertrouwen",
        6: "Bij ons telt iedereen mee",
    }
    if step in expected:
        assert expected[step] in response.text
    assert response.context["worksheets"][0].step_state in StepReview.State.values


def test_side_by_side_without_step_starts_at_the_goal(client_for, trainer, cohort, worksheet):
    response = client_for(trainer).get(reverse("impact:cohort_side_by_side", args=[cohort.pk]))
    assert response.context["step"] == Step.SCOPE
