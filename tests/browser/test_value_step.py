"""The value step in the browser: a participant switches it on, values two effects from the
proxy library and one by hand, sees the warnings change as the assumptions are filled in;
a trainer approves; the range of the page is the range of the PDF report."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from impact.models import EffectValuation, ValueStep
from tests.browser.test_accessibility import audit_context, axe_violations, describe
from tests.factories import ValueProxyFactory, WorksheetFactory, make_worksheet_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def effect_section(page, effect):
    return page.locator(f"#value-effect-{effect.pk}")


def open_form(page, effect):
    """The effect's form, opened (it sits folded in a details element)."""
    section = effect_section(page, effect)
    details = section.locator("details.value-form")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return section.locator("form.value-effect-form")


def field(form, effect, name: str):
    return form.locator(f"[name='effect-{effect.pk}-{name}']")


def save(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def warning_codes(page, effect) -> set[str]:
    items = effect_section(page, effect).locator(".value-warnings li")
    return {items.nth(i).get_attribute("data-code") for i in range(items.count())}


def test_participant_values_effects_and_the_approved_range_is_in_the_report(
    page,
    browser,
    browser_context_args,
    live_server,
    sign_in,
    tmp_path,
    organisation,
    participant,
    trainer,
):
    worksheet = make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))
    work = ValueProxyFactory(
        title="Jaar betaald werk op het minimumloon",
        amount=Decimal("26301.60"),
        unit="persoon per jaar",
        source="SZW, minimumloon 1 januari 2025",
        beneficiary="target_group",
        is_transfer=False,
    )
    benefit = ValueProxyFactory(title="Bijstandsuitkering alleenstaande")
    first, second, third = worksheet.effects.order_by("pk")
    url = live_server.url + reverse("impact:value_step", args=[worksheet.pk])
    sign_in(page, participant)

    # Switched off at first: a button, and no euros.
    page.goto(url)
    assert page.locator(".value-result").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Waardestap aanzetten").click()
    assert page.locator(".value-result").is_visible()

    # The inputs, typed the Dutch way.
    settings_form = page.locator(".value-settings form")
    settings_form.locator("[name=input_money]").fill("€ 40.000")
    with page.expect_navigation():
        settings_form.locator("button[type=submit]").click()

    # Effect 1 from the library, with nothing taken off yet: the page asks why.
    form = open_form(page, first)
    field(form, first, "proxy").select_option(label=work.title)
    field(form, first, "quantity").fill("3")
    field(form, first, "duration").fill("2")
    field(form, first, "deadweight_choice").select_option("0")
    field(form, first, "attribution_choice").select_option("0")
    save(page, form)
    assert {"deadweight_zero", "attribution_zero"} <= warning_codes(page, first)
    assert effect_section(page, first).locator(".value-sum").is_visible()

    # Effect 2 from the library too: a benefit saved, a transfer.
    form = open_form(page, second)
    field(form, second, "proxy").select_option(label=benefit.title)
    field(form, second, "quantity").fill("2")
    field(form, second, "deadweight_choice").select_option("25")
    field(form, second, "attribution_choice").select_option("25")
    save(page, form)
    assert effect_section(page, second).locator(".badge", has_text="overdracht").is_visible()

    # Effect 3 by hand, first without a source for its amount.
    form = open_form(page, third)
    field(form, third, "proxy_description").fill("Waarde van meer zelfvertrouwen")
    field(form, third, "proxy_amount").fill("1.250,50")
    field(form, third, "proxy_unit").fill("persoon per jaar")
    field(form, third, "proxy_year").fill("2025")
    field(form, third, "quantity").fill("12")
    field(form, third, "deadweight_choice").select_option("25")
    field(form, third, "attribution_choice").select_option("50")
    field(form, third, "drop_off_choice").select_option("50")
    save(page, form)
    assert "proxy_without_source" in warning_codes(page, third)
    assert EffectValuation.objects.get(effect=third).proxy_amount == Decimal("1250.50")

    # Filling in the assumptions takes the warnings away.
    form = open_form(page, third)
    field(form, third, "proxy_source").fill("Eigen vragenlijst, 24 deelnemers (2025)")
    save(page, form)
    assert "proxy_without_source" not in warning_codes(page, third)
    form = open_form(page, first)
    field(form, first, "deadweight_choice").select_option("25")
    field(form, first, "deadweight_reason").fill("Door de krapte vindt een kwart zelf werk.")
    field(form, first, "attribution_choice").select_option("25")
    save(page, form)
    assert not {"deadweight_zero", "attribution_zero"} & warning_codes(page, first)
    assert page.locator(".value-result .badge", has_text="indicatief").is_visible()
    page_range = page.locator(".value-result .value-range").inner_text()
    assert page_range.startswith("tussen € ")
    page.screenshot(path=str(tmp_path / "value-step.png"), full_page=True)

    # A trainer of the ronde approves.
    trainer_page = browser.new_page()
    sign_in(trainer_page, trainer)
    trainer_page.goto(url)
    approve = reverse("impact:value_review", args=[worksheet.pk, "approve"])
    with trainer_page.expect_navigation():
        trainer_page.locator(f"form[action='{approve}'] button").click()
    assert ValueStep.objects.get(worksheet=worksheet).approved_by == trainer
    page.reload()
    assert page.locator(".state-approved").inner_text().startswith("goedgekeurd door")
    assert page.locator(".value-result .value-range").inner_text() == page_range

    # The report shows the page's range, approved, with the assumptions.
    response = page.request.get(
        live_server.url + reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    )
    assert response.status == 200
    text = pdf_text(response.body())
    assert page_range in text
    assert f"goedgekeurd door {trainer.get_full_name()}" in text
    assert "Door de krapte vindt een kwart zelf werk." in text
    assert "Bron: Eigen vragenlijst, 24 deelnemers (2025)" in text
    summary = page.request.get(
        live_server.url + reverse("impact:worksheet_summary_pdf", args=[worksheet.pk])
    )
    assert page_range.replace("tussen", "elke geïnvesteerde euro levert tussen") in pdf_text(
        summary.body()
    )

    # The page with its figures, and the ronde's export page with the value export, pass axe.
    for person, path in (
        (participant, reverse("impact:value_step", args=[worksheet.pk])),
        (trainer, reverse("impact:cohort_reports", args=[worksheet.cohort.pk])),
    ):
        context = audit_context(browser, browser_context_args, live_server, person)
        audited = context.new_page()
        audited.goto(live_server.url + path)
        violations = axe_violations(audited)
        context.close()
        assert not violations, describe(violations)


@pytest.mark.django_db
def test_the_value_pages_have_no_html_errors(client, tmp_path, organisation, participant, trainer):
    from tests.browser.test_html_validity import nu_errors
    from tests.factories import EffectValuationFactory, ValueStepFactory

    worksheet = make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))
    ValueStepFactory(worksheet=worksheet)
    first, second = worksheet.effects.order_by("pk")[:2]
    EffectValuationFactory(effect=first)
    EffectValuationFactory(effect=second, is_transfer=True, beneficiary="municipality")
    files = {}
    for number, (person, path) in enumerate(
        [
            (participant, reverse("impact:value_step", args=[worksheet.pk])),
            (trainer, reverse("impact:value_step", args=[worksheet.pk])),
            (trainer, reverse("impact:cohort_reports", args=[worksheet.cohort.pk])),
        ]
    ):
        client.force_login(person)
        response = client.get(path)
        assert response.status_code == 200
        page = tmp_path / f"value-{number}.html"
        page.write_bytes(response.content)
        files[page] = f"{path} as {person}"
    assert "table=value" in files_text(files)
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)


def files_text(files) -> str:
    return "".join(path.read_text() for path in files)
