"""Peer review between the organisations of a cohort: rounds, allocation, reviewing,
delivery as feedback, hiding and opting out."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import Comment
from impact.peer_review.models import PeerReview, PeerReviewAssignment, PeerReviewRound
from impact.peer_review.services import pairings
from tests.factories import (
    PeerReviewAssignmentFactory,
    PeerReviewRoundFactory,
    SessionFactory,
    StakeholderFactory,
    enrol_organisations,
)
from tests.impact.worksheet_helpers import worksheet_of
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer_round(cohort, organisation, fellow_organisation):
    """An open round for step 2 in which the fellow organisation reads the participant's."""
    round_ = PeerReviewRoundFactory(cohort=cohort, steps=[2])
    PeerReviewAssignmentFactory(
        round=round_,
        reviewer=Enrolment.objects.get(cohort=cohort, organisation=fellow_organisation),
        reviewed=Enrolment.objects.get(cohort=cohort, organisation=organisation),
    )
    return round_


@pytest.fixture
def assignment(peer_round):
    return peer_round.assignments.get()


@pytest.fixture
def reviewed_worksheet(organisation, cohort):
    worksheet = worksheet_of(organisation, cohort)
    StakeholderFactory(worksheet=worksheet, name="Werkleerdeelnemers")
    worksheet.impact_goal = "Geheim doel van stap 1"
    worksheet.save()
    return worksheet


def _review_url(assignment, step=2) -> str:
    return reverse("impact:peer_review_step", args=[assignment.pk, step])


ANSWERS = {
    "strong": "Jullie stakeholderkaart is heel compleet.",
    "missing": "De gemeente ontbreekt.",
    "question": "Hoe betrekken jullie de vrijwilligers?",
    "check_reason_given": "yes",
    "check_material_has_effect": "no",
}


# --- allocation -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("count", [2, 3, 5, 8])
def test_groups_never_pair_an_organisation_with_itself_and_everyone_reads(size, count):
    pairs = pairings(range(count), group_size=size, avoid_reciprocal=False, seed=7)
    assert all(a != b for a, b in pairs)
    assert len(set(pairs)) == len(pairs)
    assert {a for a, _b in pairs} == set(range(count)) == {b for _a, b in pairs}


@pytest.mark.parametrize(("size", "count"), [(2, 3), (2, 8), (3, 5), (3, 8)])
def test_a_ring_avoids_organisations_reviewing_each_other(size, count):
    pairs = pairings(range(count), group_size=size, avoid_reciprocal=True, seed=3)
    assert not any((b, a) in pairs for a, b in pairs)
    assert Counter(a for a, _b in pairs) == dict.fromkeys(range(count), size - 1)
    assert Counter(b for _a, b in pairs) == dict.fromkeys(range(count), size - 1)


def test_pairs_without_the_ring_read_each_other():
    pairs = set(pairings(range(8), group_size=2, avoid_reciprocal=False, seed=1))
    assert all((b, a) in pairs for a, b in pairs)
    assert len(pairs) == 8


def test_trainer_opens_a_round_for_a_session_and_it_is_allocated(client_for, trainer, cohort):
    enrol_organisations(cohort, 8, people=1)
    session = SessionFactory(
        cohort=cohort, steps=[2, 4], date=timezone.localdate() + dt.timedelta(days=3)
    )
    client = client_for(trainer)
    page = client.get(reverse("impact:peer_rounds", args=[cohort.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["steps"] == [2, 4]
    now = timezone.localtime()
    response = client.post(
        reverse("impact:peer_rounds", args=[cohort.pk]),
        {
            "session": session.pk,
            "steps": ["2", "4"],
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "allocation": "triads",
            "avoid_reciprocal": "on",
            "questions": ["strong", "question"],
            "with_checks": "on",
        },
    )
    round_ = PeerReviewRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "impact:peer_round", args=[round_.pk]
    )
    assert round_.steps == [2, 4] and round_.questions == ["strong", "question"]
    assignments = list(round_.assignments.all())
    assert len(assignments) == 16  # eight organisations, two reviews each
    pairs = {(a.reviewer_id, a.reviewed_id) for a in assignments}
    assert not any((b, a) in pairs for a, b in pairs)


def test_a_round_without_a_deadline_after_its_start_is_refused(client_for, trainer, cohort):
    now = timezone.localtime()
    response = client_for(trainer).post(
        reverse("impact:peer_rounds", args=[cohort.pk]),
        {
            "steps": ["2"],
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "allocation": "pairs",
            "questions": ["strong"],
        },
    )
    assert response.status_code == 400
    assert not PeerReviewRound.objects.exists()


def test_trainer_swaps_a_reviewer_and_cannot_make_one_review_itself(
    client_for, trainer, cohort, peer_round, assignment, organisation
):
    third = enrol_organisations(cohort, 1, people=1)[0]
    client = client_for(trainer)
    url = reverse("impact:peer_assignment_change", args=[assignment.pk])
    client.post(url, {"reviewer": assignment.reviewed_id})
    assignment.refresh_from_db()
    assert assignment.reviewer_id != assignment.reviewed_id
    client.post(url, {"reviewer": third.pk})
    assignment.refresh_from_db()
    assert assignment.reviewer_id == third.pk


def test_trainer_adds_and_removes_an_assignment_by_hand(
    client_for, trainer, peer_round, assignment
):
    client = client_for(trainer)
    add = reverse("impact:peer_assignment_add", args=[peer_round.pk])
    client.post(add, {"reviewer": assignment.reviewer_id, "reviewed": assignment.reviewer_id})
    assert peer_round.assignments.count() == 1
    client.post(add, {"reviewer": assignment.reviewed_id, "reviewed": assignment.reviewer_id})
    assert peer_round.assignments.count() == 2
    client.post(reverse("impact:peer_assignment_delete", args=[assignment.pk]))
    assert not PeerReviewAssignment.objects.filter(pk=assignment.pk).exists()


# --- the reviewer's view ----------------------------------------------------------------------


def test_reviewer_reads_the_step_under_review_only(
    client_for, fellow, assignment, reviewed_worksheet
):
    client = client_for(fellow)
    page = client.get(_review_url(assignment))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Werkleerdeelnemers" in text
    assert "Geheim doel van stap 1" not in text
    # No link into the worksheet itself, and the worksheet stays hidden.
    assert reviewed_worksheet.get_absolute_url() not in text
    assert client.get(reviewed_worksheet.get_absolute_url()).status_code == 404
    assert client.get(_review_url(assignment, step=1)).status_code == 404
    history = reverse("impact:worksheet_history", args=[reviewed_worksheet.pk])
    assert client.get(history).status_code == 404


def test_nobody_else_reads_through_the_assignment(
    client_for, participant, outsider, trainer, coordinator, assignment
):
    for person in (participant, outsider, trainer, coordinator):
        assert client_for(person).get(_review_url(assignment)).status_code == 404


@pytest.mark.parametrize("change", ["closed", "deadline", "planned", "opted_out", "withdrawn"])
def test_reviewer_sees_nothing_outside_an_open_round(
    client_for, fellow, peer_round, assignment, reviewed_worksheet, change
):
    now = timezone.now()
    if change == "closed":
        peer_round.close()
    elif change == "deadline":
        PeerReviewRound.objects.filter(pk=peer_round.pk).update(
            opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(minutes=1)
        )
    elif change == "planned":
        PeerReviewRound.objects.filter(pk=peer_round.pk).update(
            opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2)
        )
    elif change == "opted_out":
        peer_round.opt_outs.create(enrolment=assignment.reviewed)
    else:
        assignment.reviewed.withdraw()
    client = client_for(fellow)
    assert client.get(_review_url(assignment)).status_code == 404
    assert client.post(_review_url(assignment), ANSWERS).status_code == 404
    assert not PeerReview.objects.exists()
    listing = client.get(reverse("impact:peer_reviews"))
    assert listing.context["assignments"] == []


def test_a_review_reaches_the_organisation_as_feedback_from_a_fellow(
    client_for, fellow, participant, assignment, reviewed_worksheet
):
    response = client_for(fellow).post(_review_url(assignment), ANSWERS)
    assert response.status_code == 302
    review = PeerReview.objects.get()
    assert review.answers["checks"] == {"reason_given": True, "material_has_effect": False}
    comment = Comment.objects.get(worksheet=reviewed_worksheet, step=2)
    assert comment.from_fellow_organisation and comment.author == fellow
    assert "De gemeente ontbreekt." in comment.body
    assert "Heeft elke belangrijke stakeholder een effect? nee" in comment.body
    thread = client_for(participant).get(
        reverse("impact:step_comments", args=[reviewed_worksheet.pk, 2])
    )
    assert "van een andere organisatie" in thread.content.decode()
    assert "Hoe betrekken jullie de vrijwilligers?" in thread.content.decode()


def test_sending_again_replaces_the_review(client_for, fellow, assignment, reviewed_worksheet):
    client = client_for(fellow)
    client.post(_review_url(assignment), ANSWERS)
    client.post(_review_url(assignment), {**ANSWERS, "missing": "Toch niets."})
    assert PeerReview.objects.count() == 1
    assert "Toch niets." in Comment.objects.get(worksheet=reviewed_worksheet).body


def test_an_empty_review_is_refused(client_for, fellow, assignment, reviewed_worksheet):
    response = client_for(fellow).post(_review_url(assignment), {})
    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- the trainer's view -------------------------------------------------------------------


def test_trainer_hides_an_unkind_review_and_keeps_reading_it(
    client_for, fellow, participant, trainer, peer_round, assignment, reviewed_worksheet
):
    client_for(fellow).post(_review_url(assignment), {**ANSWERS, "strong": "Niets, slecht."})
    review = PeerReview.objects.get()
    trainer_client = client_for(trainer)
    trainer_client.post(reverse("impact:peer_hide", args=[review.pk]))
    review.refresh_from_db()
    assert review.hidden_at is not None and review.comment is None
    assert not Comment.objects.filter(worksheet=reviewed_worksheet).exists()
    thread = client_for(participant).get(
        reverse("impact:step_comments", args=[reviewed_worksheet.pk, 2])
    )
    assert "Niets, slecht." not in thread.content.decode()
    page = trainer_client.get(reverse("impact:peer_round", args=[peer_round.pk]))
    assert "Niets, slecht." in page.content.decode()
    trainer_client.post(reverse("impact:peer_show", args=[review.pk]))
    assert Comment.objects.filter(worksheet=reviewed_worksheet).count() == 1


def test_round_page_shows_who_has_reviewed(
    client_for, fellow, trainer, peer_round, assignment, reviewed_worksheet
):
    client = client_for(trainer)
    before = client.get(reverse("impact:peer_round", args=[peer_round.pk]))
    assert before.context["view"].reviewed_count == 0
    client_for(fellow).post(_review_url(assignment), ANSWERS)
    after = client.get(reverse("impact:peer_round", args=[peer_round.pk]))
    assert after.context["view"].reviewed_count == 1
    assert "1 van 2 organisaties" in after.content.decode()


def test_drawing_again_is_refused_once_reviews_exist(
    client_for, fellow, trainer, peer_round, assignment, reviewed_worksheet
):
    client_for(fellow).post(_review_url(assignment), ANSWERS)
    client_for(trainer).post(reverse("impact:peer_allocate", args=[peer_round.pk]))
    assert PeerReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_round_page_query_count_does_not_grow(
    client_for, trainer, cohort, django_assert_max_num_queries
):
    round_ = PeerReviewRoundFactory(cohort=cohort, allocation="pairs")
    enrol_organisations(cohort, 3, people=1)
    from impact.peer_review.services import allocate

    allocate(round_=round_)
    client = client_for(trainer)
    url = reverse("impact:peer_round", args=[round_.pk])
    # session, user, round, assignments, reviews, opt-outs, enrolments, add-form choices (2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    enrol_organisations(cohort, 9, people=1)
    allocate(round_=round_)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- opting out -----------------------------------------------------------------------------


def test_organisation_keeps_its_work_out_and_back_in(
    client_for, participant, fellow, peer_round, assignment, reviewed_worksheet
):
    client = client_for(participant)
    page = client.get(reverse("impact:peer_reviews"))
    assert [r.pk for r, _e, _o in page.context["own_rounds"]] == [peer_round.pk]
    client.post(reverse("impact:peer_opt_out", args=[peer_round.pk]), {"opt_out": "1"})
    assert peer_round.opt_outs.filter(enrolment=assignment.reviewed).exists()
    assert client_for(fellow).get(_review_url(assignment)).status_code == 404
    client.post(reverse("impact:peer_opt_out", args=[peer_round.pk]), {"opt_out": "0"})
    assert client_for(fellow).get(_review_url(assignment)).status_code == 200


def test_outsider_cannot_opt_out_of_another_cohorts_round(client_for, outsider, peer_round):
    response = client_for(outsider).post(
        reverse("impact:peer_opt_out", args=[peer_round.pk]), {"opt_out": "1"}
    )
    assert response.status_code == 404
    assert not peer_round.opt_outs.exists()


def test_dashboard_points_the_reviewer_to_the_work(client_for, fellow, assignment):
    page = client_for(fellow).get(reverse("dashboard"))
    assert reverse("impact:peer_reviews") in page.content.decode()
