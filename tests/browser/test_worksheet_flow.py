"""A participant fills in the worksheet in the browser; a colleague's old copy gets a
conflict instead of overwriting; the worksheet works with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from impact.models import Activity, Effect, Indicator, Output, Result, Stakeholder, TargetGroup
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    IndicatorFactory,
    StakeholderFactory,
    SuggestionFactory,
)
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_row(page, list_id: str, fields: dict, checks: tuple = ()) -> None:
    section = page.locator(f"#{list_id}")
    add_link = section.locator("xpath=./p[contains(@class, 'ws-add--link')]/a")
    if add_link.count():
        # Sub-rows: the add form loads when asked for.
        add_link.click()
    details = page.locator(f"#{list_id}").locator("xpath=./details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    for name, value in fields.items():
        field = form.locator(f"[name$='-{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for label in checks:
        form.get_by_label(label).check()
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    # The new row comes back with its form open, for the rest of its fields.
    page.locator(f"#{list_id} > .ws-row--editing").last.wait_for()


def tab_to(page, target, name: str, presses: int = 80) -> None:
    """Press Tab until ``target`` has the focus; fail if it cannot be reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{name} cannot be reached with Tab")


def test_participant_fills_the_steps_and_a_colleague_gets_a_conflict(
    page, browser, live_server, sign_in, participant, colleague, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    step = f"{live_server.url}/werkbladen/{worksheet.pk}/stap"
    sign_in(page, participant)

    # Step 1: autosave while typing, without pressing a button.
    page.goto(f"{step}/1/")
    goal = page.locator(f"#id_scope-{worksheet.pk}-impact_goal")
    goal.fill("Mensen doen werkervaring op en één op drie vindt betaald werk. 🚲")
    page.locator("#ws-status.ws-status--ok").wait_for()
    add_row(page, "list-targetgroup", {"name": "Mensen met een arbeidsbeperking", "size": "12"})

    page.goto(f"{step}/2/")
    add_row(
        page,
        "list-stakeholder",
        {"name": "Deelnemers werkleerplek", "category": "target_group", "group_size": "12"},
    )
    stakeholder = Stakeholder.objects.get(worksheet=worksheet)

    page.goto(f"{step}/3/")
    add_row(
        page,
        "list-activity",
        {"title": "Werkleerplekken in restaurant Deksels"},
        checks=("Deelnemers werkleerplek",),
    )
    activity = Activity.objects.get(worksheet=worksheet)
    add_row(
        page, f"list-output-{activity.pk}", {"description": "werkleerplekken", "quantity": "12"}
    )

    page.goto(f"{step}/4/")
    add_row(
        page,
        "list-effect",
        {"stakeholder": str(stakeholder.pk), "description": "Ik durf meer te zeggen in het team."},
        checks=("Werkleerplekken in restaurant Deksels",),
    )
    effect = Effect.objects.get(worksheet=worksheet)

    page.goto(f"{step}/5/")
    add_row(
        page,
        f"list-indicator-{effect.pk}",
        {"name": "Score zelfvertrouwen", "baseline": "5,2", "target": "7", "source": "Vragenlijst"},
    )
    indicator = Indicator.objects.get(effect=effect)
    add_row(page, f"list-result-{indicator.pk}", {"period": "voorjaar 2026", "value": "6,1"})

    page.goto(f"{step}/6/")
    page.locator(f"#id_learning-{worksheet.pk}-key_message").fill("Bij ons ontdek je wat je kunt.")
    page.locator(f"#id_learning-{worksheet.pk}-key_message").blur()
    page.locator("#ws-status.ws-status--ok").wait_for()

    worksheet.refresh_from_db()
    assert worksheet.impact_goal.endswith("🚲")
    assert worksheet.key_message == "Bij ons ontdek je wat je kunt."
    assert TargetGroup.objects.filter(worksheet=worksheet).count() == 1
    assert Output.objects.get().quantity == 12
    assert list(effect.activities.all()) == [activity]
    assert str(Result.objects.get().value) == "6.10"

    # Both open step 2; the colleague's copy is then out of date.
    other = browser.new_context(locale="nl-NL")
    colleague_page = other.new_page()
    sign_in(colleague_page, colleague)
    row = f"#row-stakeholder-{stakeholder.pk}"
    colleague_page.goto(f"{step}/2/")
    colleague_page.locator(f"{row} .ws-edit-link").click()
    page.goto(f"{step}/2/")
    page.locator(f"{row} .ws-edit-link").click()
    name = f"#id_stakeholder-{stakeholder.pk}-name"
    page.locator(name).fill("Deelnemers (Dewi)")
    page.locator(name).blur()
    page.locator("#ws-status.ws-status--ok").wait_for()

    colleague_page.locator(name).fill("Deelnemers (Kees)")
    colleague_page.locator(name).blur()
    conflict = colleague_page.locator(f"#row-stakeholder-{stakeholder.pk} .ws-conflict")
    conflict.wait_for()
    assert "Deelnemers (Dewi)" in conflict.inner_text()
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Deelnemers (Dewi)"

    # The colleague takes the saved text over and saves on top of the current version.
    conflict.locator("[data-use-value]").click()
    colleague_page.locator(f"#row-stakeholder-{stakeholder.pk} button[type=submit]").first.click()
    colleague_page.locator("#ws-status.ws-status--ok").wait_for()
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.version) == ("Deelnemers (Dewi)", 3)
    other.close()


def test_a_row_is_edited_with_the_keyboard_alone(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/")
    row = page.locator(f"#row-stakeholder-{stakeholder.pk}")
    edit = row.locator(".ws-edit-link")
    # Tab until the row's Edit link has the focus, then follow it with Enter.
    tab_to(page, edit, "the Edit link")
    page.keyboard.press("Enter")
    # The form opens with the focus in its first field.
    name = page.locator(f"#id_stakeholder-{stakeholder.pk}-name")
    expect(name).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Jobcoaches en begeleiders")
    close = row.locator("button[data-done]")
    tab_to(page, close, "Save and close")
    page.keyboard.press("Enter")
    # The row reads as text again, with the new name, and the focus back on its Edit link.
    page.locator(
        f"#row-stakeholder-{stakeholder.pk}:not(.ws-row--editing) .ws-edit-link"
    ).wait_for()
    assert page.locator(f"#row-stakeholder-{stakeholder.pk} .ws-view-title").inner_text() == (
        "Jobcoaches en begeleiders"
    )
    expect(row.locator(".ws-edit-link")).to_be_focused()
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Jobcoaches en begeleiders"


def test_a_suggestion_from_the_starter_kit_opens_as_a_row_to_adapt(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    SuggestionFactory(title="Vrijwilligers in de winkel", category="volunteers")
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/")
    picker = page.locator(".suggestions-picker")
    picker.locator("summary").click()
    use = picker.locator("button[name=suggestion]")
    use.wait_for()
    use.click()
    stakeholder = Stakeholder.objects.get(worksheet=worksheet)
    name = page.locator(f"#id_stakeholder-{stakeholder.pk}-name")
    name.wait_for()
    assert name.input_value() == "Vrijwilligers in de winkel"


def test_save_and_close_keeps_a_row_open_while_it_does_not_save(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Buren", is_material=True)
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/2/")
    row = page.locator(f"#row-stakeholder-{stakeholder.pk}")
    row.locator(".ws-edit-link").click()
    material = page.locator(f"#id_stakeholder-{stakeholder.pk}-is_material")
    material.uncheck()
    # Not material without a reason: the autosave is refused with the reason.
    page.locator("#ws-status.ws-status--error").wait_for()
    row.locator("button[data-done]").click()
    page.locator("#ws-status.ws-status--error").wait_for()
    page.wait_for_timeout(500)
    expect(row).to_have_class(re.compile("ws-row--editing"))
    expect(material).not_to_be_checked()
    stakeholder.refresh_from_db()
    assert stakeholder.is_material is True


def test_redrawing_a_list_asks_before_a_typed_new_row_is_lost(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    first = ActivityFactory(worksheet=worksheet, title="Koken", position=0)
    ActivityFactory(worksheet=worksheet, title="Bedienen", position=1)
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/3/")
    outputs = page.locator(f"#list-output-{first.pk}")
    outputs.locator(".ws-add--link a").click()
    description = page.locator(f"#id_new-output-{first.pk}-description")
    description.fill("maaltijden")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator(f"#row-activity-{first.pk} > form button[aria-label]").nth(1).click()
    page.wait_for_timeout(500)
    assert questions and "maaltijden" not in questions[0]
    expect(description).to_have_value("maaltijden")
    titles = page.locator("#list-activity > .ws-row .ws-view-title").all_inner_texts()
    assert titles == ["Koken", "Bedienen"]


def test_hints_and_step_states_follow_saves_without_a_reload(
    page, live_server, sign_in, participant, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Buren", is_material=True)
    indicator = IndicatorFactory(effect=EffectFactory(worksheet=worksheet), baseline=None)
    step = f"{live_server.url}/werkbladen/{worksheet.pk}/stap"
    sign_in(page, participant)
    # Nothing may reload the page: a marker on the window would be gone.
    mark_page = "() => { window.notReloaded = true; }"
    not_reloaded = "() => window.notReloaded === true"

    # Step 1, untouched: its badge says not started, until the first autosave.
    page.goto(f"{step}/1/")
    page.evaluate(mark_page)
    current = page.locator('.ws-steps-full [aria-current="step"] .state')
    expect(current).to_have_text("niet begonnen")
    expect(page.locator("#ws-review .state")).to_have_text("niet begonnen")
    page.locator(f"#id_scope-{worksheet.pk}-good_practice").fill("Restaurant Deksels")
    page.locator("#ws-status.ws-status--ok").wait_for()
    expect(current).to_have_text("bezig")
    expect(page.locator("#ws-review .state")).to_have_text("bezig")
    assert page.evaluate(not_reloaded)

    # Step 2: the hint names the stakeholder; renaming it renames the hint.
    page.goto(f"{step}/2/")
    page.evaluate(mark_page)
    hint = page.locator(f'#ws-health a[href$="#row-stakeholder-{stakeholder.pk}"]')
    expect(hint).to_have_text("Buren")
    page.locator(f"#row-stakeholder-{stakeholder.pk} .ws-edit-link").click()
    name = page.locator(f"#id_stakeholder-{stakeholder.pk}-name")
    expect(name).to_be_focused()
    name.fill("Buurtbewoners")
    page.locator("#ws-status.ws-status--ok").wait_for()
    expect(hint).to_have_text("Buurtbewoners")
    # Step 2 is started now, in the navigation too.
    expect(page.locator('.ws-steps-full [aria-current="step"] .state')).to_have_text("bezig")
    # A stakeholder added in place (htmx) gets its hint straight away.
    add_row(
        page,
        "list-stakeholder",
        {"name": "Jobcoaches", "category": "staff"},
        checks=("Materieel",),
    )
    expect(page.locator("#ws-health a", has_text="Jobcoaches")).to_have_count(1)
    assert page.evaluate(not_reloaded)

    # Step 5: "no baseline" goes once the baseline is filled.
    page.goto(f"{step}/5/")
    page.evaluate(mark_page)
    no_baseline = page.locator(f'#ws-health a[href$="#row-indicator-{indicator.pk}"]')
    expect(no_baseline).to_have_count(1)
    page.locator(f"#row-indicator-{indicator.pk} .ws-edit-link").first.click()
    # The form is in place once the keyboard is in its first field.
    expect(page.locator(f"#id_indicator-{indicator.pk}-name")).to_be_focused()
    baseline = page.locator(f"#id_indicator-{indicator.pk}-baseline")
    with page.expect_response(lambda r: r.request.method == "POST" and r.ok):
        baseline.fill("5,2")
        baseline.blur()
    expect(no_baseline).to_have_count(0)
    assert page.evaluate(not_reloaded)
