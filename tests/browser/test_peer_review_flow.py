"""Peer review end to end in the browser: the trainer opens a round for two organisations,
one reads the other's step and sends a review, the reviewed organisation finds it among its
feedback, the trainer hides it, and after the round closes the reviewer sees nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from impact.models import Comment
from impact.peer_review.models import PeerReview, PeerReviewRound
from tests.factories import StakeholderFactory, WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_peer_review_round_from_opening_to_closing(
    browser, live_server, sign_in, trainer, participant, fellow, organisation, cohort
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))
    StakeholderFactory(worksheet=worksheet, name="Werkleerdeelnemers")
    trainer_page = browser.new_page(locale="nl-NL")
    sign_in(trainer_page, trainer)
    trainer_page.goto(f"{live_server.url}/rondes/{cohort.pk}/werkbladen/")
    trainer_page.get_by_role("button", name="Leren van elkaar").click()
    trainer_page.locator("input[name=steps][value='2']").check()
    now = timezone.localtime()
    trainer_page.fill(
        "input[name=opens_at]", (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    trainer_page.fill(
        "input[name=closes_at]", (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    trainer_page.select_option("select[name=allocation]", "pairs")
    trainer_page.get_by_role("button", name="Open de ronde").click()
    trainer_page.wait_for_load_state()
    round_ = PeerReviewRound.objects.get()
    assert round_.assignments.count() == 2  # the two organisations read each other
    assert trainer_page.get_by_text("0 van 2 organisaties").is_visible()

    reviewer_page = browser.new_page(locale="nl-NL")
    sign_in(reviewer_page, fellow)
    reviewer_page.get_by_role("button", name="Lees en geef feedback").click()
    reviewer_page.get_by_role("link", name="Stap 2").click()
    assert reviewer_page.get_by_text("Werkleerdeelnemers").is_visible()
    reviewer_page.fill("textarea[name=strong]", "Jullie kaart is heel compleet.")
    reviewer_page.fill("textarea[name=question]", "Doen de vrijwilligers ook mee?")
    reviewer_page.locator("input[name=check_material_has_effect][value=no]").check()
    reviewer_page.get_by_role("button", name="Verstuur review").click()
    reviewer_page.get_by_text("Dank je! Je review is verstuurd.").wait_for()
    assignment_id = PeerReview.objects.get().assignment_id
    review_url = f"{live_server.url}/leren-van-elkaar/koppelingen/{assignment_id}/stap/2/"

    participant_page = browser.new_page(locale="nl-NL")
    sign_in(participant_page, participant)
    participant_page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/feedback/")
    comment = participant_page.locator(".comment", has_text="Jullie kaart is heel compleet.")
    assert comment.locator(".badge-peer").inner_text() == "van een andere organisatie"

    trainer_page.reload()
    assert trainer_page.get_by_text("1 van 2 organisaties").is_visible()
    trainer_page.get_by_role("button", name="Verberg voor de organisatie").click()
    trainer_page.wait_for_load_state()
    assert not Comment.objects.filter(worksheet=worksheet).exists()
    participant_page.reload()
    assert participant_page.get_by_text("Jullie kaart is heel compleet.").count() == 0
    # The trainer still reads the hidden review.
    assert trainer_page.get_by_text("Jullie kaart is heel compleet.").is_visible()

    trainer_page.get_by_role("button", name="Sluit de ronde nu").click()
    trainer_page.wait_for_load_state()
    assert trainer_page.locator(".peer-state").inner_text() == "gesloten"
    response = reviewer_page.goto(review_url)
    assert response.status == 404
    for page in (trainer_page, reviewer_page, participant_page):
        page.close()
