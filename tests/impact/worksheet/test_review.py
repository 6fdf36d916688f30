"""Review states per step: draft, submitted, returned or approved, and reopened."""

import pytest
from django.urls import reverse

from impact.models import IllegalTransition, StepReview
from tests.factories import WorksheetFactory

pytestmark = pytest.mark.django_db


def act(client, worksheet, step, action, **data):
    return client.post(reverse("impact:step_review", args=[worksheet.pk, step, action]), data)


def state(worksheet, step):
    return StepReview.objects.states_for([worksheet])[worksheet.pk][step]


def test_participant_submits_and_trainer_returns_with_a_note_then_approves(
    client_for, participant, trainer, worksheet
):
    assert act(client_for(participant), worksheet, 2, "submit").status_code == 302
    assert state(worksheet, 2) == "submitted"
    act(client_for(trainer), worksheet, 2, "return", note="Wie zijn de financiers?")
    review = StepReview.objects.get(worksheet=worksheet, step=2)
    assert (review.state, review.note, review.changed_by) == (
        "returned",
        "Wie zijn de financiers?",
        trainer,
    )
    act(client_for(participant), worksheet, 2, "submit")
    act(client_for(trainer), worksheet, 2, "approve")
    assert state(worksheet, 2) == "approved"


def test_coordinator_may_approve_and_reopen(client_for, participant, coordinator, worksheet):
    act(client_for(participant), worksheet, 4, "submit")
    act(client_for(coordinator), worksheet, 4, "approve")
    assert state(worksheet, 4) == "approved"
    act(client_for(coordinator), worksheet, 4, "reopen")
    assert state(worksheet, 4) == "draft"


def test_participant_cannot_approve_or_return(client_for, participant, worksheet):
    act(client_for(participant), worksheet, 1, "submit")
    assert act(client_for(participant), worksheet, 1, "approve").status_code == 403
    assert act(client_for(participant), worksheet, 1, "return").status_code == 403
    assert state(worksheet, 1) == "submitted"


def test_participant_may_take_a_submitted_step_back_but_not_reopen_an_approved_one(
    client_for, participant, trainer, worksheet
):
    act(client_for(participant), worksheet, 3, "submit")
    act(client_for(participant), worksheet, 3, "reopen")
    assert state(worksheet, 3) == "draft"
    act(client_for(participant), worksheet, 3, "submit")
    act(client_for(trainer), worksheet, 3, "approve")
    assert act(client_for(participant), worksheet, 3, "reopen").status_code == 403
    assert state(worksheet, 3) == "approved"


def test_trainer_cannot_submit_for_the_participants(client_for, trainer, worksheet):
    assert act(client_for(trainer), worksheet, 1, "submit").status_code == 403


@pytest.mark.parametrize("role", ["outsider", "other_trainer", "fellow"])
def test_others_get_404(client_for, request, role, worksheet):
    person = request.getfixturevalue(role)
    assert act(client_for(person), worksheet, 1, "approve").status_code == 404


def test_illegal_transitions_change_nothing(client_for, trainer, participant, worksheet):
    # Approving a draft is not possible: the step was never submitted.
    response = act(client_for(trainer), worksheet, 5, "approve")
    assert response.status_code == 302
    assert state(worksheet, 5) == "not_started"
    review = StepReview.for_step(worksheet, 5)
    with pytest.raises(IllegalTransition):
        review.return_for_revision(by=trainer)
    with pytest.raises(IllegalTransition):
        review.reopen(by=trainer)
    review.submit(by=participant)
    with pytest.raises(IllegalTransition):
        review.submit(by=participant)
    review.approve(by=trainer)
    with pytest.raises(IllegalTransition):
        review.approve(by=trainer)
    assert review.state == "approved"


def test_unknown_action_or_step_is_404(client_for, trainer, worksheet):
    assert act(client_for(trainer), worksheet, 1, "publish").status_code == 404
    assert act(client_for(trainer), worksheet, 9, "approve").status_code == 404


def test_states_for_many_worksheets_in_one_query(django_assert_num_queries, trainer):
    sheets = WorksheetFactory.create_batch(3)
    StepReview.objects.create(worksheet=sheets[0], step=1, state="approved")
    StepReview.objects.create(worksheet=sheets[2], step=6, state="submitted")
    with django_assert_num_queries(1):
        states = StepReview.objects.states_for(sheets)
    assert states[sheets[0].pk][1] == "approved"
    assert states[sheets[1].pk] == dict.fromkeys(range(1, 7), "not_started")
    assert states[sheets[2].pk][6] == "submitted"


def test_editing_a_step_puts_it_in_draft(client_for, participant, worksheet):
    from tests.impact.worksheet_helpers import update_data

    client_for(participant).post(
        reverse("impact:worksheet_step", args=[worksheet.pk, 6]),
        update_data("learning", worksheet, {"findings": "Iets geleerd."}),
    )
    assert state(worksheet, 6) == "draft"


def test_step_state_reads_as_a_sentence_with_who_changed_it(
    client_for, participant, trainer, worksheet
):
    participant.last_name = "Jansen"
    participant.save()
    client = client_for(participant)
    act(client, worksheet, 2, "submit")
    page = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2])).text
    assert "ingediend voor feedback</span>" in page
    assert "door Dewi Jansen," in page
    act(client, worksheet, 2, "reopen")
    page = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2])).text
    # Not "bezig door Dewi Jansen": an in-progress step was last changed by someone.
    assert "– laatst gewijzigd door Dewi Jansen," in page
