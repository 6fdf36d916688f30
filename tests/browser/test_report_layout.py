"""Layout of the report pages as people see them: "Wie deelt wat" with eight organisations
and long names fits the window, and the header of every role stays on one line on a laptop
and wraps, without sideways scrolling, on a phone."""

import pytest
from django.urls import reverse

from tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    WorksheetFactory,
    make_worksheet_content,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAMES = [
    "Kringloopcentrum De Vlinder",
    "Kringloopbedrijf Omnia",
    "Kringloopwinkel De Schakel",
    "Kringloop Midden-Drenthe",
    "Kringloop Het Warenhuis",
    "Kringloop Tweede Leven",
    "Kringloop Hengelo",
]


@pytest.fixture
def eight_organisations(cohort, organisation):
    make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))
    for name in LONG_NAMES:
        enrolment = EnrolmentFactory(cohort=cohort, organisation=OrganisationFactory(name=name))
        make_worksheet_content(WorksheetFactory(enrolment=enrolment))
    return cohort


@pytest.mark.parametrize("width", [1280, 390])
def test_who_shares_what_fits_the_window_with_every_organisation_reachable(
    browser, browser_context_args, live_server, sign_in, coordinator, eight_organisations, width
):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 900}}
    )
    page = context.new_page()
    sign_in(page, coordinator)

    page.goto(
        live_server.url + reverse("impact:cohort_collaboration", args=[eight_organisations.pk])
    )

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    headers = page.locator("table.matrix th.org")
    assert headers.count() == 8
    last = headers.last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # reachable inside its box
    # The shared items stay in view while the organisations scroll past.
    label = page.locator("table.matrix tbody th[scope=row]").first.bounding_box()
    assert label["x"] >= 0
    if width == 1280:  # all eight at once on a laptop
        page.evaluate("document.querySelector('.matrix-scroll').scrollLeft = 0")
        assert headers.last.bounding_box()["x"] + box["width"] <= width
    context.close()


@pytest.mark.parametrize("role", ["coordinator", "trainer", "participant"])
def test_header_is_one_row_on_a_laptop_and_wraps_on_a_phone(
    request, browser, browser_context_args, live_server, sign_in, role
):
    user = request.getfixturevalue(role)
    for width in (1280, 390):
        context = browser.new_context(
            **{**browser_context_args, "viewport": {"width": width, "height": 900}}
        )
        page = context.new_page()
        sign_in(page, user)
        links = page.locator(".site-header nav > ul:last-child > li")
        boxes = [links.nth(i).bounding_box() for i in range(links.count())]
        middles = [box["y"] + box["height"] / 2 for box in boxes]
        brand = page.locator(".site-header .brand").bounding_box()
        line_counts = page.evaluate(
            "[...document.querySelectorAll('.site-header nav ul:last-child > li > a,"
            " .site-header summary')].map(e => {"
            " const r = document.createRange(); r.selectNodeContents(e);"
            " return r.getClientRects().length; })"
        )
        if width == 1280:
            assert max(middles) - min(middles) < 12, middles  # one row of menu items
            first = links.first.bounding_box()
            assert abs(first["y"] + first["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
            assert first["x"] > brand["x"] + brand["width"]  # beside the brand, not into it
        # A menu item is one line, never broken between its words ("Mijn / exports").
        assert set(line_counts) == {1}, line_counts
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
