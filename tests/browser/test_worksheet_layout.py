"""How the worksheet looks at the widths people use: help text beside its field, the step
menu on a phone, long steps folded per effect."""

import pytest

from tests.factories import StakeholderFactory
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every help text and error under a field: how far it overlaps the field above it.
OVERLAPS = """
() => Array.from(document.querySelectorAll('.ws-field small')).flatMap((small) => {
  const field = small.previousElementSibling;
  if (!field || !field.matches('input, select, textarea')) return [];
  const overlap = field.getBoundingClientRect().bottom - small.getBoundingClientRect().top;
  return overlap > 0.5 ? [`${field.id}: ${overlap}px`] : [];
})
"""


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_help_text_sits_below_its_field_at_every_width(
    page, live_server, sign_in, participant, organisation, cohort, width
):
    worksheet = worksheet_of(organisation, cohort)
    worksheet.impact_goal = "Mensen met een afstand tot de arbeidsmarkt doen werkervaring op."
    worksheet.save()
    stakeholder = StakeholderFactory(worksheet=worksheet, is_material=False)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, participant)

    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/1/")
    goal = page.locator(f"#id_scope-{worksheet.pk}-impact_goal")
    help_text = page.locator(f"#id_scope-{worksheet.pk}-impact_goal_helptext")
    assert help_text.is_visible()
    assert page.evaluate(OVERLAPS) == []
    # The impact goal has room for its sentence: at least four lines of its own type.
    box = goal.bounding_box()
    line = goal.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert box["height"] >= 4 * line

    # The reason why a stakeholder is not material, on a phone.
    page.goto(
        f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/?bewerken=stakeholder-{stakeholder.pk}"
    )
    page.locator(f"#id_stakeholder-{stakeholder.pk}-materiality_reason_helptext").wait_for()
    assert page.evaluate(OVERLAPS) == []
