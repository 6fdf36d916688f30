"""The measurement loop in the browser: a participant builds a questionnaire from two
indicators and shares it; one respondent answers on a phone with the keyboard only, a
second with the mouse; the participant sees the counts and turns them into results that
appear on step 5 and in the PDF report."""

import io
import re

import pytest
from pypdf import PdfReader

from impact.models import Indicator, Result
from tests.browser.test_accessibility import axe_violations, describe
from tests.factories import EffectFactory, IndicatorFactory, WorksheetFactory
from trainings.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def worksheet(organisation):
    worksheet = WorksheetFactory(enrolment=Enrolment.objects.get(organisation=organisation))
    effect = EffectFactory(worksheet=worksheet, description="Deelnemers krijgen zelfvertrouwen")
    IndicatorFactory(
        effect=effect,
        name="Zelfvertrouwen op een schaal van 1 tot 5",
        method=Indicator.Method.SURVEY,
        baseline=3,
        target=4,
    )
    IndicatorFactory(
        effect=effect,
        name="Welbevinden op een schaal van 1 tot 5",
        method=Indicator.Method.SURVEY,
        position=1,
    )
    return worksheet


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the focused element's text or value is ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"no focusable element {name!r}")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_whole_loop(
    browser, browser_context_args, live_server, sign_in, participant, worksheet
):
    # The participant builds the questionnaire on step 5.
    page = browser.new_page(**browser_context_args)
    sign_in(page, participant)
    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/5/")
    page.get_by_role("link", name="Nieuwe vragenlijst").click()
    page.get_by_label("Titel").fill("Hoe gaat het met je?")
    assert page.get_by_label("Zelfvertrouwen op een schaal van 1 tot 5").is_checked()
    assert page.get_by_label("Welbevinden op een schaal van 1 tot 5").is_checked()
    page.get_by_role("button", name="Maak de vragenlijst").click()
    page.get_by_text("Ik durf nieuwe dingen te proberen.", exact=True).wait_for()
    questions = page.locator(".q-questions > li").count()
    assert questions == 6
    page.get_by_label("Naam").fill("Voormeting maart")
    page.get_by_role("button", name="Maak de link").click()
    link_url = page.locator(".q-link-url").input_value()
    assert re.fullmatch(rf"{live_server.url}/v/[\w-]{{20,}}/", link_url)
    # The QR code loads after the page: wait for it (fails after 5 s if it never draws).
    page.wait_for_function(
        "() => { const img = document.querySelector('img.q-qr');"
        " return img && img.complete && img.naturalWidth > 0; }",
        timeout=5000,
    )

    # Respondent 1: a phone, the keyboard only.
    phone = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    first = phone.new_page()
    first.goto(link_url)
    assert no_sideways_scroll(first)
    tab_to(first, "Begin")
    first.keyboard.press("Enter")
    first.get_by_text(f"Vraag 1 van {questions}").wait_for()
    audit = browser.new_context(**{**browser_context_args, "viewport": PHONE}, bypass_csp=True)
    audit_page = audit.new_page()
    for number in range(1, questions + 1):
        first.get_by_text(f"Vraag {number} van {questions}").wait_for()
        assert no_sideways_scroll(first), f"question {number} scrolls sideways at 320 px"
        if number == 1:
            audit_page.goto(link_url)
            assert not (found := axe_violations(audit_page)), describe(found)
        # Into the options (the first gets focus), two to the right, then "Volgende".
        tab_to(first, "Lees voor") if first.locator("[data-read-aloud]").is_visible() else None
        first.keyboard.press("Tab")
        first.keyboard.press("ArrowRight")
        first.keyboard.press("ArrowRight")
        tab_to(first, "Klaar" if number == questions else "Volgende")
        first.keyboard.press("Enter")
    first.get_by_text("Bijna klaar").wait_for()
    tab_to(first, "Versturen")
    first.keyboard.press("Enter")
    first.get_by_text("Dank je wel!").wait_for()
    # The audit browser (no CSP, for axe) answers the same screens once.
    audit_page.goto(link_url)
    audit_page.get_by_role("button", name="Begin").click()
    assert not (found := axe_violations(audit_page)), describe(found)
    audit_page.goto(link_url.rstrip("/") + "x/")
    assert not (found := axe_violations(audit_page)), describe(found)
    audit.close()

    # Respondent 2: the mouse.
    second = browser.new_context(**browser_context_args).new_page()
    second.goto(link_url)
    second.get_by_role("button", name="Begin").click()
    for number in range(1, questions + 1):
        second.get_by_text(f"Vraag {number} van {questions}").wait_for()
        second.locator(".q-option").last.click()
        second.get_by_role("button", name="Klaar" if number == questions else "Volgende").click()
    second.get_by_role("button", name="Versturen").click()
    second.get_by_text("Dank je wel!").wait_for()

    # The participant sees the counts and turns them into results.
    page.reload()
    assert "2 antwoorden verstuurd" in page.locator(".q-counts").inner_text()
    page.get_by_role("button", name="Wat er terugkwam").click()
    first_chart = page.locator(".q-result").first
    assert first_chart.locator("svg.q-chart").count() == 1
    assert "Gemiddelde: 4" in first_chart.inner_text()  # 3 (keyboard) and 5 (mouse)
    make_result = "Maak er een resultaat van voor Voormeting maart"
    first_chart.get_by_role("button", name=make_result).click()
    page.get_by_text("staat nu bij stap 5").wait_for()
    welbevinden = page.locator(".q-result", has_text="Ik voel me goed als ik hier werk.")
    welbevinden.get_by_role("button", name=re.compile("Maak er een resultaat van")).click()
    page.get_by_text("staat nu bij stap 5").wait_for()
    assert Result.objects.filter(period="Voormeting maart", respondents=2).count() == 2

    page.goto(f"{live_server.url}/werkbladen/{worksheet.pk}/stap/5/")
    step = page.locator("main").inner_text()
    assert "Voormeting maart" in step and "vragenlijst Voormeting maart" in step
    pdf = page.request.get(f"{live_server.url}/werkbladen/{worksheet.pk}/rapport.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Voormeting maart" in text
    phone.close()


def test_questionnaire_pages_are_valid_html_and_pass_axe(
    client, browser, browser_context_args, live_server, participant, worksheet, tmp_path
):
    import datetime as dt

    from impact.questionnaire import services
    from tests.browser.test_accessibility import session_cookie
    from tests.browser.test_html_validity import nu_errors
    from tests.impact.questionnaire.conftest import answer_all

    questionnaire = services.create_questionnaire(
        worksheet=worksheet, title="Hoe gaat het?", intro="", indicators=Indicator.objects.all()
    )
    link = services.share_at_moment(
        questionnaire=questionnaire,
        name="Voormeting",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    answer_all(link, [1, 2, 3, 4, 5])
    question = questionnaire.questions.first()
    # A second moment made into results: step 5 then compares begin and end.
    end_link = services.share_at_moment(
        questionnaire=questionnaire,
        name="Nameting",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
    )
    answer_all(end_link, [3, 4, 5, 5, 5])
    from impact.questionnaire.selectors import questionnaire_results

    for summary in questionnaire_results(questionnaire, full=True)[0].summaries:
        services.record_result(question=question, summary=summary, author=participant)
    participant_pages = [
        f"/werkbladen/{worksheet.pk}/vragenlijsten/",
        f"/werkbladen/{worksheet.pk}/vragenlijsten/nieuw/",
        questionnaire.get_absolute_url(),
        f"/vragenlijsten/{questionnaire.pk}/uitkomsten/",
        f"/vragenlijsten/{questionnaire.pk}/vragen/nieuw/",
        f"/vragen/{question.pk}/bewerken/",
        f"/vragenlijst-links/{link.pk}/papier/",
        f"/werkbladen/{worksheet.pk}/stap/5/",
    ]
    respondent_pages = [link.get_respondent_url(), f"{link.get_respondent_url()}vraag/1/"]
    files = {}
    client.force_login(participant)
    for number, url in enumerate(participant_pages):
        path = tmp_path / f"page-{number}.html"
        path.write_text(client.get(url).content.decode())
        files[path] = url
    respondent = type(client)()
    respondent.post(link.get_respondent_url())
    for number, url in enumerate(respondent_pages):
        path = tmp_path / f"respond-{number}.html"
        path.write_text(respondent.get(url).content.decode())
        files[path] = url
    assert nu_errors(files) == []

    context = browser.new_context(**browser_context_args, bypass_csp=True)
    context.add_cookies([{**session_cookie(participant), "url": live_server.url}])
    page = context.new_page()
    for url in [*participant_pages[:4], participant_pages[-1]]:  # with step 5
        page.goto(live_server.url + url)
        assert not (found := axe_violations(page)), f"{url}\n{describe(found)}"
    context.close()
