"""Rough edges a new trainer and participant meet in their first hour: the name in the menu,
the step states on the dashboard, an error under a password's help text."""

import pytest

from tests.factories import InvitationFactory
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def middle(box: dict) -> float:
    return box["y"] + box["height"] / 2


@pytest.mark.parametrize("width", [1280, 390])
def test_the_name_in_the_menu_sits_in_the_middle_of_its_box(
    page, live_server, sign_in, trainer, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, trainer)
    summary = page.locator(".site-header .dropdown > summary")
    box = summary.bounding_box()
    # Where the name itself is drawn, as the range around its text.
    text = summary.evaluate(
        "el => { const range = document.createRange(); range.selectNodeContents(el);"
        " const r = range.getClientRects()[0]; return {y: r.y, height: r.height}; }"
    )
    # In the middle of its box, not lifted to the top with an empty band under it.
    assert abs(middle(text) - middle(box)) <= 2.5


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_step_state_sits_under_the_step_name(
    page, live_server, sign_in, participant, organisation, cohort, width
):
    worksheet_of(organisation, cohort)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, participant)
    steps = page.locator(".ws-mini-steps li")
    assert steps.count() == 6
    for index in range(6):
        label = steps.nth(index).locator(".ws-mini-label").bounding_box()
        state = steps.nth(index).locator(".state")
        box = state.bounding_box()
        # In the name's column, wide enough for its words, not squeezed beside it.
        assert abs(box["x"] - label["x"]) < 1
        assert box["y"] >= label["y"] + label["height"] - 1
        assert state.evaluate("el => el.scrollWidth <= el.clientWidth + 1")


def test_a_password_error_keeps_its_distance_from_the_next_field(
    page, live_server, cohort, organisation
):
    InvitationFactory(cohort=cohort, organisation=organisation, token="walk-token")
    page.goto(f"{live_server.url}/uitnodiging/walk-token/")
    page.fill("#id_first_name", "Noor")
    page.fill("#id_last_name", "de Vries")
    page.fill("#id_password1", "kort")
    page.fill("#id_password2", "kort")
    page.locator("main form button[type=submit]").click()
    error = page.locator("#id_password1_error")
    error.wait_for()
    assert "te kort" in error.inner_text()
    help_box = page.locator("#id_password1_helptext").bounding_box()
    error_box = error.bounding_box()
    next_label = page.locator("label[for=id_password2]").bounding_box()
    assert error_box["y"] >= help_box["y"] + help_box["height"]
    # At least half a line between the error and the next field's label.
    assert next_label["y"] - (error_box["y"] + error_box["height"]) >= 8
