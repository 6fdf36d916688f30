"""A coordinator invites a trainer from the Team page and the trainer joins through the mail."""

import re

import pytest
from django.core import mail

from organisations.models import Membership, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_invites_a_trainer_who_joins_with_the_link(
    page, browser, live_server, sign_in, coordinator, member_organisation, trainer
):
    sign_in(page, coordinator)
    page.get_by_role("link", name="Team", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/team/")
    assert page.get_by_role("heading", name="Team", level=1).is_visible()
    assert page.locator("table.team").get_by_text(trainer.email).is_visible()

    page.get_by_label("E-mailadres").fill("ruben.de.wit@example.org")
    page.get_by_label("Trainer", exact=True).check()
    page.get_by_label("Organisatie").select_option(label="Evenaar & Partners")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur de uitnodiging").click()
    assert page.locator(".message-success").get_by_text("ruben.de.wit@example.org").is_visible()
    assert page.locator("#invitations").get_by_text("ruben.de.wit@example.org").is_visible()

    [message] = mail.outbox
    # The link points at the server the coordinator used, port and all.
    link = re.search(r"https?://\S+/team/uitnodiging/[\w-]+/", message.body).group(0)
    assert link.startswith(f"{live_server.url}/team/uitnodiging/")

    newcomer = browser.new_context(locale="nl-NL").new_page()
    newcomer.goto(link)
    assert newcomer.get_by_text("Kom in het team als trainer bij Evenaar & Partners").is_visible()
    newcomer.fill("input[name=first_name]", "Ruben")
    newcomer.fill("input[name=last_name]", "de Wit")
    newcomer.fill("input[name=password1]", "Kringloop-werkt-2026")
    newcomer.fill("input[name=password2]", "Kringloop-werkt-2026")
    with newcomer.expect_navigation():
        newcomer.get_by_role("button", name="Kom in het team").click()
    assert newcomer.url == f"{live_server.url}/"
    assert newcomer.get_by_text(
        "Welkom in het team: je bent nu trainer bij Evenaar & Partners."
    ).is_visible()
    assert newcomer.get_by_role("heading", name="Rondes die ik train").is_visible()
    ruben = User.objects.get(email="ruben.de.wit@example.org")
    assert Membership.objects.filter(
        person=ruben, organisation=member_organisation, role=Role.TRAINER
    ).exists()

    page.reload()
    assert page.locator("table.team").get_by_text("ruben.de.wit@example.org").is_visible()
    assert page.locator("#invitations").get_by_text("ruben.de.wit@example.org").count() == 0
