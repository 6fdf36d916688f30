"""The presentation of side by side on a projector: keys, buttons, plain links, hidden
names, the agenda's clock, accessibility, valid HTML and the width of the screen."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import audit_context, axe_violations, describe
from tests.browser.test_html_validity import nu_errors
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    EnrolmentFactory,
    OrganisationFactory,
    SessionFactory,
    StakeholderFactory,
    WorksheetFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENDA = """Koffie bij binnenkomst
13:00 Welkom en terugblik op dagdeel 1
13:20–14:00 Effecten naast elkaar
- elke organisatie twee minuten
- wat valt op?
14:00 Pauze
14:15 Indicatoren kiezen
16:00–16:30 Afsluiting en huiswerk"""

ORGANISATIONS = [
    (
        "Kringloop Zwolle",
        "Restaurant Deksels",
        [
            ("Werkleerplekken", "Meer zelfvertrouwen bij deelnemers"),
            ("Werkleerplekken", "Deelnemers vinden vaker een betaalde baan"),
            ("Gemeente Zwolle", "Minder uitkeringen in de wijk"),
            ("Buurtbewoners", "Een plek om elkaar te ontmoeten"),
        ],
    ),
    (
        "Het Goed Apeldoorn",
        "Fietsenwerkplaats",
        [("Jongeren", "Jongeren leren een vak met echte klanten")],
    ),
    (
        "Kringloopcentrum De Vlinder",
        "Upcycle-atelier textiel",
        [("Nieuwkomers", "Nieuwkomers spreken beter Nederlands op de werkvloer")],
    ),
]
NAMES_IN_ORDER = ["Het Goed Apeldoorn", "Kringloop Zwolle", "Kringloopcentrum De Vlinder"]


@pytest.fixture
def room(cohort, trainer):
    """Ronde 2 with three organisations, today's dagdeel with its agenda and the one of
    three weeks ago."""
    for name, practice, effects in ORGANISATIONS:
        enrolment = EnrolmentFactory(cohort=cohort, organisation=OrganisationFactory(name=name))
        worksheet = WorksheetFactory(enrolment=enrolment, good_practice=practice)
        activity = ActivityFactory(worksheet=worksheet)
        for stakeholder_name, description in effects:
            stakeholder = StakeholderFactory(worksheet=worksheet, name=stakeholder_name)
            activity.effects.add(
                EffectFactory(worksheet=worksheet, stakeholder=stakeholder, description=description)
            )
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 1: impactdoel en stakeholders",
        date=timezone.localdate() - dt.timedelta(days=21),
        agenda="09:30 Kennismaken\n10:00 De stakeholderkaart",
    )
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 2: de juiste dingen doen",
        date=timezone.localdate(),
        starts_at=dt.time(13, 0),
        ends_at=dt.time(16, 30),
        agenda=AGENDA,
    )
    return f"/rondes/{cohort.pk}/naast-elkaar/4/presenteren/"


def heading(page) -> str:
    return page.locator("h1").inner_text()


def test_arrow_keys_and_buttons_move_through_the_organisations(
    page, live_server, sign_in, trainer, cohort, room
):
    sign_in(page, trainer)
    page.goto(f"{live_server.url}/rondes/{cohort.pk}/naast-elkaar/4/")
    page.get_by_role("button", name="Presenteren op groot scherm").click()
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[0])
    expect(page.locator(".presentation-count")).to_have_text("Organisatie 1 van 3")
    page.keyboard.press("ArrowLeft")  # nothing before the first
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[0])
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[1])
    expect(page.locator(".presentation-content")).to_contain_text("Meer zelfvertrouwen")
    expect(page.locator(".presentation-content")).not_to_contain_text("Jongeren leren")
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[2])
    page.keyboard.press("ArrowRight")  # nothing after the last
    expect(page.locator(".presentation-count")).to_have_text("Organisatie 3 van 3")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[1])
    # The buttons on the screen do the same.
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[2])
    page.get_by_role("button", name="Vorige").click()
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[1])


def test_hidden_names_stay_hidden_while_moving_on(page, live_server, sign_in, trainer, room):
    sign_in(page, trainer)
    page.goto(f"{live_server.url}{room}")
    page.get_by_role("link", name="Namen verbergen").click()
    expect(page.locator("h1")).to_have_text("Organisatie A")
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Organisatie B")
    body = page.locator("body").inner_text()
    for name, practice, _effects in ORGANISATIONS:
        assert name not in body and practice not in body
    assert not any(name in page.title() for name in NAMES_IN_ORDER)
    expect(page.locator(".presentation-content")).to_contain_text("Meer zelfvertrouwen")
    page.get_by_role("link", name="Namen tonen").click()
    expect(page.locator("h1")).to_have_text("Kringloop Zwolle")


def test_without_javascript_the_links_move_on(
    browser, browser_context_args, live_server, trainer, room
):
    context = audit_context(
        browser, browser_context_args, live_server, trainer, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{room}")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text(NAMES_IN_ORDER[1])
    page.get_by_role("link", name="Namen verbergen").click()
    expect(page.locator("h1")).to_have_text("Organisatie B")
    page.get_by_role("button", name="Vorige").click()
    expect(page.locator("h1")).to_have_text("Organisatie A")
    context.close()


def test_without_javascript_another_dagdeels_agenda_can_be_shown(
    browser, browser_context_args, live_server, trainer, room
):
    context = audit_context(
        browser, browser_context_args, live_server, trainer, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{room}?anoniem=1")
    agenda = page.locator(".presentation-agenda")
    expect(agenda).to_contain_text("Effecten naast elkaar")
    page.get_by_text("Ander dagdeel").click()
    page.get_by_role("link", name="Dagdeel 1: impactdoel en stakeholders").click()
    expect(agenda).to_contain_text("De stakeholderkaart")
    expect(agenda).not_to_contain_text("Effecten naast elkaar")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_have_text("Organisatie B")
    expect(agenda).to_contain_text("De stakeholderkaart")  # the choice stays while moving on
    page.get_by_text("Ander dagdeel").click()
    page.get_by_role("link", name="Dagdeel 2: de juiste dingen doen").click()
    expect(agenda).to_contain_text("Effecten naast elkaar")
    assert "dagdeel=" not in page.url  # back to the one in the room
    context.close()


def test_the_clock_moves_the_current_agenda_item(page, live_server, sign_in, trainer, room):
    twenty_five_past_one = dt.datetime.combine(timezone.localdate(), dt.time(13, 25))
    page.clock.install(time=timezone.make_aware(twenty_five_past_one))
    sign_in(page, trainer)
    page.goto(f"{live_server.url}{room}")
    current = page.locator(".agenda > li[aria-current='time']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Effecten naast elkaar")
    expect(current.locator(".agenda-now")).to_be_visible()
    expect(page.locator("[data-clock]")).to_have_text("13:25")
    page.clock.run_for("40:00")  # 14:05
    expect(current).to_contain_text("Pauze")
    expect(page.locator("[data-clock]")).to_have_text("14:05")
    # Items that are not current do not say "nu".
    expect(page.locator(".agenda-now:visible")).to_have_count(1)


@pytest.mark.parametrize("query", ["", "?anoniem=1&nr=2"])
def test_the_presentation_has_no_serious_accessibility_violations(
    browser, browser_context_args, live_server, trainer, room, query
):
    context = audit_context(browser, browser_context_args, live_server, trainer)
    page = context.new_page()
    # Half past one: the agenda shows its current item, in its own colours.
    page.clock.install(
        time=timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(13, 30)))
    )
    assert page.goto(f"{live_server.url}{room}{query}").status == 200
    expect(page.locator(".agenda > li[aria-current]")).to_have_count(1)
    violations = axe_violations(page)
    context.close()
    assert not violations, describe(violations)


def test_the_presentation_is_valid_html(client_for, trainer, room, tmp_path):
    client = client_for(trainer)
    files = {}
    for number, query in enumerate(["", "?anoniem=1&nr=3"]):
        response = client.get(room + query)
        assert response.status_code == 200
        path = tmp_path / f"presentation-{number}.html"
        path.write_bytes(response.content)
        files[path] = f"presentation{query}"
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_large_type_fits_the_projector_without_sideways_scroll(
    browser, browser_context_args, live_server, trainer, room, tmp_path, width, height
):
    context = audit_context(
        browser,
        browser_context_args,
        live_server,
        trainer,
        viewport={"width": width, "height": height},
    )
    page = context.new_page()
    page.clock.install(
        time=timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(13, 30)))
    )
    # Kringloop Zwolle has the most effects: the longest screen of the three.
    page.goto(f"{live_server.url}{room}?nr=2")
    sizes = page.evaluate(
        """() => {
          const size = (selector) =>
            parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
          return {
          scroll: document.documentElement.scrollWidth,
          body: size('.presentation-content'),
          heading: size('h1'),
          agenda: size('.agenda'),
          next: document.querySelector('a[rel=next]').getBoundingClientRect().bottom,
        };
        }"""
    )
    # IMPACTLAB_SCREENSHOTS=folder keeps the pictures, to look at them.
    folder = Path(os.environ.get("IMPACTLAB_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(folder / f"presentation-{width}x{height}.png"))
    context.close()
    assert sizes["scroll"] <= width, sizes
    # Large type: the text at least 24 px on a 1280 px projector (the site's is 16 px),
    # growing with the screen; the agenda beside it at least 16 px.
    assert sizes["body"] >= 24 * width / 1280 * 0.9, sizes
    assert sizes["heading"] >= 1.5 * sizes["body"], sizes
    assert sizes["agenda"] >= 16, sizes
    # The next button stays on the first screen however long the step is.
    assert sizes["next"] <= height, sizes


def test_a_very_long_word_does_not_widen_the_screen(
    browser, browser_context_args, live_server, trainer, cohort, room
):
    worksheet = WorksheetFactory(
        enrolment=EnrolmentFactory(cohort=cohort, organisation=OrganisationFactory(name="Aaa"))
    )
    EffectFactory(worksheet=worksheet, description="Zelf" + "vertrouwen" * 30)
    context = audit_context(
        browser, browser_context_args, live_server, trainer, viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{room}")
    expect(page.locator("h1")).to_have_text("Aaa")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll <= 1280
