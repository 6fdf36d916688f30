"""How the worksheet looks at the widths people use: help text beside its field, the step
menu on a phone, long steps folded per effect."""

import pytest
from playwright.sync_api import expect

from tests.factories import EffectFactory, IndicatorFactory, ResultFactory, StakeholderFactory
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


@pytest.mark.parametrize("width", [390, 320])
def test_on_a_phone_the_step_menu_is_one_line_that_opens(
    page, live_server, sign_in, participant, organisation, cohort, width
):
    worksheet = worksheet_of(organisation, cohort)
    page.set_viewport_size({"width": width, "height": 700})
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/3/")
    menu = page.locator(".ws-steps-compact")
    summary = menu.locator("summary")
    expect(summary).to_contain_text("Stap 3 van 6")
    expect(summary).to_contain_text("Activiteiten")
    expect(page.locator(".ws-steps-full")).to_be_hidden()
    # The step itself starts on the first screen, under a menu of a few lines at most.
    assert summary.bounding_box()["height"] < 90
    heading = page.get_by_role("heading", name="Stap 3: Activiteiten")
    assert heading.bounding_box()["y"] + heading.bounding_box()["height"] < 700
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Opening it lists every step by name, with its state; one tap goes there.
    summary.click()
    links = menu.get_by_role("link")
    expect(links).to_have_count(7)
    expect(links.nth(5)).to_contain_text("Indicatoren")
    expect(links.nth(5)).to_contain_text("niet begonnen")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing of it sticks out on the right, where the page would cut it off.
    rights = menu.locator("summary > *, a, .state").evaluate_all(
        "els => els.map((el) => el.getBoundingClientRect().right)"
    )
    assert max(rights) <= width
    links.nth(5).click()
    page.wait_for_url(f"**/werkbladen/{worksheet.pk}/stap/5/")
    expect(page.locator(".ws-steps-compact summary")).to_contain_text("Stap 5 van 6")


def test_a_hint_about_a_folded_indicator_unfolds_its_effect(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    for effect in EffectFactory.create_batch(5, worksheet=worksheet):
        ResultFactory.create_batch(2, indicator=IndicatorFactory(effect=effect))
    last = IndicatorFactory(effect=EffectFactory(worksheet=worksheet), baseline=None)
    ResultFactory.create_batch(2, indicator=last)
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/5/")
    row = page.locator(f"#row-indicator-{last.pk}")
    group = page.locator(f"#effect-{last.effect_id}")
    expect(group.locator("summary")).to_contain_text("1 indicator, 2 resultaten")
    expect(row).to_be_hidden()
    page.locator(f'#ws-health a[href$="#row-indicator-{last.pk}"]').click()
    expect(row).to_be_visible()
    expect(row).to_be_in_viewport()
    # And by hand: a click on the summary folds and unfolds it, without JavaScript's help.
    group.locator("summary").click()
    expect(row).to_be_hidden()
