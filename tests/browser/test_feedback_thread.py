"""The feedback thread swaps in place with htmx, and the participant resolves it."""

import pytest

from impact.models import Comment
from tests.factories import WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_gives_feedback_and_participant_resolves_it(
    browser, live_server, sign_in, trainer, participant, organisation, cohort
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))
    url = f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/feedback/"

    trainer_page = browser.new_page()
    sign_in(trainer_page, trainer)
    trainer_page.goto(url)
    trainer_page.fill("textarea[name=body]", "Wie ontbreekt er nog op je kaart?")
    with trainer_page.expect_response(lambda r: "/feedback/nieuw/" in r.url):
        trainer_page.locator(".comment-form button[type=submit]").click()
    trainer_page.locator(".comment-body", has_text="Wie ontbreekt er nog").wait_for()
    # htmx swapped the thread in place: still the same page, no redirect.
    assert trainer_page.url == url
    comment = Comment.objects.get()

    participant_page = browser.new_page()
    sign_in(participant_page, participant)
    participant_page.goto(url)
    participant_page.locator(f"#comment-{comment.pk} form[action$='/afgehandeld/'] button").click()
    participant_page.locator(f"#comment-{comment.pk}.comment-resolved").wait_for()
    comment.refresh_from_db()
    assert comment.resolved_by == participant
    trainer_page.close()
    participant_page.close()
