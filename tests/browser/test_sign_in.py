import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_signs_in_and_sees_their_dashboard(page, live_server, sign_in, participant):
    sign_in(page, participant)
    assert page.locator("h1").inner_text().startswith("Welkom")
    assert page.get_by_role("heading", name="Mijn training").is_visible()


def test_language_switch_turns_the_page_english(page, live_server, sign_in, participant):
    sign_in(page, participant)
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="My training").is_visible()
