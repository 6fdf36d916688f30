"""Review in the browser: the participant submits a step, the trainer returns it with
feedback (the thread swaps in place with htmx), and the participant resolves it."""

import pytest

from impact.models import Comment, StepReview
from tests.factories import StakeholderFactory, WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_returns_a_step_with_feedback_and_participant_resolves_it(
    browser, live_server, sign_in, trainer, participant, organisation, cohort
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))
    StakeholderFactory(worksheet=worksheet, name="Werkleerdeelnemers")
    step_url = f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/"
    feedback_url = f"{step_url}feedback/"

    participant_page = browser.new_page()
    sign_in(participant_page, participant)
    participant_page.goto(step_url)
    participant_page.locator("form[action$='/stap/2/submit/'] button").click()
    participant_page.wait_for_load_state()
    assert StepReview.objects.get(worksheet=worksheet, step=2).state == "submitted"

    trainer_page = browser.new_page()
    sign_in(trainer_page, trainer)
    trainer_page.goto(step_url)
    trainer_page.fill("#review-note", "Wie ontbreekt er nog op je kaart?")
    trainer_page.locator("form.ws-review-form button[formaction$='/return/']").click()
    trainer_page.wait_for_load_state()
    review = StepReview.objects.get(worksheet=worksheet, step=2)
    assert (review.state, review.note) == ("returned", "Wie ontbreekt er nog op je kaart?")

    trainer_page.goto(feedback_url)
    trainer_page.fill("textarea[name=body]", "Denk ook aan de vrijwilligers.")
    with trainer_page.expect_response(lambda r: "/feedback/nieuw/" in r.url):
        trainer_page.locator(".comment-form button[type=submit]").click()
    trainer_page.locator(".comment-body", has_text="Denk ook aan de vrijwilligers").wait_for()
    # htmx swapped the thread in place: still the same page, no redirect.
    assert trainer_page.url == feedback_url
    comment = Comment.objects.get()

    participant_page.goto(step_url)
    assert participant_page.get_by_text("Wie ontbreekt er nog op je kaart?").is_visible()
    participant_page.goto(feedback_url)
    participant_page.locator(f"#comment-{comment.pk} form[action$='/afgehandeld/'] button").click()
    participant_page.locator(f"#comment-{comment.pk}.comment-resolved").wait_for()
    comment.refresh_from_db()
    assert comment.resolved_by == participant
    trainer_page.close()
    participant_page.close()


def test_posting_feedback_after_resizing_the_box_keeps_the_content_security_policy(
    browser, live_server, sign_in, trainer, organisation, cohort, fail_on_csp_violation
):
    """htmx settles the attributes of swapped elements; a textarea someone made larger has
    a style attribute, which htmx must not copy (the policy forbids inline styles)."""
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))
    page = browser.new_page()
    sign_in(page, trainer)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/feedback/")
    box = page.locator(".comment-form textarea[name=body]")
    # What the browser does when someone drags the corner of the box.
    box.evaluate("textarea => { textarea.style.height = '12rem'; }")
    box.fill("Kijk ook naar de vrijwilligers.")
    with page.expect_response(lambda r: "/feedback/nieuw/" in r.url):
        page.locator(".comment-form button[type=submit]").click()
    page.locator(".comment-body", has_text="Kijk ook naar de vrijwilligers").wait_for()
    page.wait_for_timeout(100)  # htmx settles the swapped elements 20 ms after the swap
    assert fail_on_csp_violation == []
    assert Comment.objects.get().body == "Kijk ook naar de vrijwilligers."
