"""A trainer plans a round in the browser and a new participant joins through the mail link."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from impact.models import Worksheet
from trainings.models import Cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSIONS = [
    ("Dagdeel 1: impactdoel en stakeholders", 0, "09:30", "13:00"),
    ("Dagdeel 2: de juiste dingen doen", 21, "10:00", "14:00"),
    ("Dagdeel 3: de dingen goed doen", 42, "09:30", "13:00"),
]


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_trainer_plans_a_cohort_and_a_participant_joins(
    page, browser, live_server, sign_in, trainer, training
):
    training.trainers.add(trainer)
    start = timezone.localdate() + dt.timedelta(days=30)

    sign_in(page, trainer)
    page.goto(f"{live_server.url}{training.get_absolute_url()}")
    page.click(f"a[href$='/trainingen/{training.pk}/rondes/nieuw/']")
    page.fill("input[name=name]", "Ronde 5")
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("input[name=ends_on]", (start + dt.timedelta(days=42)).isoformat())
    page.fill("input[name=location]", "Zwolle")
    submit(page)
    cohort = Cohort.objects.get(name="Ronde 5")
    assert page.url.endswith(cohort.get_absolute_url())

    for title, offset, starts_at, ends_at in SESSIONS:
        page.click("a[href$='/dagdelen/nieuw/']")
        page.fill("input[name=title]", title)
        page.fill("input[name=date]", (start + dt.timedelta(days=offset)).isoformat())
        page.fill("input[name=starts_at]", starts_at)
        page.fill("input[name=ends_at]", ends_at)
        submit(page)
    assert cohort.sessions.count() == 3
    assert [s.steps for s in cohort.sessions.order_by("date")] == [[1, 2], [3, 4], [5, 6]]

    page.click("a[href$='/organisaties/nieuw/']")
    page.fill("input[name=new_name]", "Kringloop Zwolle")
    page.fill("input[name=new_city]", "Zwolle")
    submit(page)
    page.locator("a[href*='/uitnodigen/']").first.click()
    page.wait_for_load_state()
    page.fill("textarea[name=addresses]", "nadia.bos@kringloopzwolle.example.org")
    submit(page)
    assert (
        page.locator("#invitations")
        .get_by_text("nadia.bos@kringloopzwolle.example.org")
        .is_visible()
    )

    assert len(mail.outbox) == 1
    # The link in the mail points at the server the trainer used, port and all.
    link = re.search(r"https?://\S+/uitnodiging/[\w-]+/", mail.outbox[0].body).group(0)
    assert link.startswith(f"{live_server.url}/uitnodiging/")

    participant_page = browser.new_context(locale="nl-NL").new_page()
    participant_page.goto(link)
    participant_page.fill("input[name=first_name]", "Nadia")
    participant_page.fill("input[name=last_name]", "Bos")
    participant_page.fill("input[name=password1]", "Kringloop-werkt-2026")
    participant_page.fill("input[name=password2]", "Kringloop-werkt-2026")
    submit(participant_page)
    assert participant_page.url.endswith(cohort.get_absolute_url())
    for title, *_ in SESSIONS:
        assert participant_page.get_by_text(title).is_visible()
    assert participant_page.get_by_text("Kringloop Zwolle").first.is_visible()
    assert participant_page.locator("a[href$='/agenda.ics']").count() == 1
    # A participant sees no trainer actions.
    assert participant_page.locator("a[href$='/bewerken/']").count() == 0

    # The next step is one obvious button: the worksheet.
    with participant_page.expect_navigation():
        participant_page.get_by_role("button", name="Ga naar je werkblad").click()
    worksheet = Worksheet.objects.get(enrolment__cohort=cohort)
    assert participant_page.url.endswith(worksheet.get_absolute_url())
    participant_page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/")
    with participant_page.expect_navigation():
        participant_page.get_by_role("button", name="Indienen voor feedback").click()

    # On the dashboard the same button, and each step numbered once.
    participant_page.goto(f"{live_server.url}/")
    assert participant_page.get_by_role("button", name="Ga naar je werkblad").is_visible()
    steps = participant_page.locator("ol.ws-mini-steps")
    assert steps.evaluate("list => getComputedStyle(list).listStyleType") == "none"
    first_step = steps.locator("li").first.inner_text()
    assert first_step.split()[0] == "1" and first_step.count("1") == 1, first_step
    assert "Afbakening en impactdoel" in first_step
    participant_page.context.close()

    # The trainer finds the submitted step on the dashboard and opens it.
    page.goto(f"{live_server.url}/")
    queue = page.locator(".review-queue")
    assert queue.get_by_text("Kringloop Zwolle", exact=True).is_visible()
    assert queue.get_by_text("Stap 2: Stakeholders").is_visible()
    with page.expect_navigation():
        queue.get_by_role("button", name="Beoordelen").click()
    assert page.url.endswith(f"/werkbladen/{worksheet.pk}/stap/2/")
    assert page.get_by_role("button", name="Goedkeuren").is_visible()
