"""The value step in the reports: the organisation report's section, the summary's line and
the cohort report's column; only when the step is switched on, with the figures of the
page's own calculation and chart, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from impact.models import EffectValuation, Snapshot, ValueStep
from impact.reports import pdf
from impact.worksheet.history import current_state
from tests.factories import (
    EffectValuationFactory,
    EnrolmentFactory,
    ValueStepFactory,
    WorksheetFactory,
    make_worksheet_content,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def worksheet(organisation):
    return make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))


def value(worksheet, *, enabled: bool = True, **step) -> ValueStep:
    """The value step of the hand-worked example: effect 1 valued (10 × € 1.000, a quarter
    deadweight and a quarter attribution, one year), effect 2 a transfer to the gemeente
    with nothing taken off, effect 3 not valued; € 10.000 invested, 2,25 %."""
    first, second = worksheet.effects.order_by("pk")[:2]
    EffectValuationFactory(
        effect=first,
        quantity=10,
        proxy_amount=1000,
        duration=1,
        drop_off=0,
        deadweight_reason="Sommigen hadden zelf werk gevonden",
        attribution_reason="Het UWV helpt ook",
    )
    EffectValuationFactory(
        effect=second,
        quantity=2,
        proxy_description="Een jaar minder bijstand",
        proxy_amount=Decimal("16140"),
        proxy_source="Rijksoverheid, normbedragen 2025",
        duration=1,
        deadweight=0,
        attribution=0,
        drop_off=0,
        beneficiary="municipality",
        is_transfer=True,
    )
    return ValueStepFactory(
        worksheet=worksheet, is_enabled=enabled, input_money=Decimal(10000), **step
    )


def report_url(worksheet, **params) -> str:
    url = reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def summary_url(worksheet) -> str:
    return reverse("impact:worksheet_summary_pdf", args=[worksheet.pk])


# The hand-worked figures: impact 10 × 1.000 × 75 % × 75 % = 5.625, present value
# 5.625 / 1,0225 = 5.501,22. The range varies quantity, proxy and duration (the three
# largest swings) at once: 5 × 500 … = 1.375,31 up to 15 × 1.500 over two years = 24.483,13.
RANGE = "tussen € 1.375,31 en € 24.483,13"
RATIO_RANGE = "tussen € 0,14 en € 2,45"


def test_the_report_leaves_the_value_step_out_while_it_is_off(client_for, participant, worksheet):
    value(worksheet, enabled=False)
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)
    assert "Waarde in euro’s" not in text
    assert "5.501,22" not in text


def test_the_report_shows_the_range_inputs_net_value_and_label(client_for, participant, worksheet):
    value(worksheet)
    response = client_for(participant).get(report_url(worksheet))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Waarde in euro’s" in text  # the section and its line in the contents
    assert text.count("Waarde in euro’s") >= 2
    assert f"Maatschappelijke waarde per geïnvesteerde euro {RATIO_RANGE}" in text
    assert "(middelste schatting € 0,55)" in text
    assert f"Contante waarde (de samenleving als geheel) {RANGE}" in text
    assert "(middelste schatting € 5.501,22)" in text
    assert "Inzet € 10.000,00 (€ 10.000,00 geld, – tijd en in natura)" in text
    # the net value is a range too: the present value's range less the inputs
    assert "Netto contante waarde tussen −€ 8.624,69 en € 14.483,13" in text
    assert "(middelste schatting −€ 4.498,78)" in text
    assert "Overdrachten, weggelaten uit de blik van de samenleving € 31.569,68" in text
    assert "indicatief · Nog geen trainer heeft deze cijfers goedgekeurd." in text
    assert "Discontovoet 2,25 %" in text


def test_the_report_writes_out_every_assumption_per_effect(client_for, participant, worksheet):
    value(worksheet)
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)

    assert "De aannames per effect" in text
    per_effect = text.index("De aannames per effect")
    first = text[text.index("Effect 1: Meer zelfvertrouwen", per_effect) :]
    assert first.startswith(
        "Effect 1: Meer zelfvertrouwen en werkritme bij deelnemers (1) Deelnemers Aantal 10"
    )
    assert "Financiële proxy Waarde van meer zelfvertrouwen: € 1.000,00 per persoon per jaar" in (
        first
    )
    assert "Bron: Eigen schatting op basis van een vragenlijst" in first
    assert "Deadweight 25 % – Sommigen hadden zelf werk gevonden" in first
    assert "Verplaatsing 0 %" in first
    assert "Attributie 25 % – Het UWV helpt ook" in first
    assert "Afname 0 %" in first
    assert "Wie de waarde ontvangt de deelnemers zelf" in first
    assert "Contante waarde van dit effect € 5.501,22 (Impact per jaar € 5.625,00)" in first
    # the transfer is marked, and goes to the gemeente
    transfer = "Effect 2: Meer zelfvertrouwen en werkritme bij deelnemers (2) Jobcoaches overdracht"
    assert transfer in text
    assert "de gemeente · een overdracht: telt niet mee voor de samenleving als geheel" in text
    assert "1 effect heeft geen waarde in euro’s" in text  # effect 3
    # the sensitivity analysis, one line per effect
    assert (
        "Effect 1 (Meer zelfvertrouwen en werkritme bij deelnemers (1)): aantal 10, "
        "financiële proxy € 1.000,00, duur 1 jaar"
    ) in text


def test_the_report_lists_the_warnings_still_open(client_for, participant, worksheet):
    value(worksheet)
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)

    still_open = text[text.index("Nog open") : text.index("Waarde per baathebber")]
    assert "Effect 2: Deadweight staat op 0 %" in still_open
    assert "Effect 2: Attributie staat op 0 %" in still_open
    assert "Effect 1: Deadweight" not in still_open  # 25 %: nothing to warn about


def test_an_approved_value_step_says_who_approved_it_and_when(
    client_for, participant, trainer, worksheet
):
    value(worksheet, approved_by=trainer, approved_at=timezone.now())
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)

    assert f"goedgekeurd door {trainer.get_full_name()} op " in text
    assert "indicatief" not in text
    summary = pdf_text(client_for(participant).get(summary_url(worksheet)).content)
    assert f"Waarde in euro’s (goedgekeurd door {trainer.get_full_name()})" in summary


def _html(monkeypatch, render) -> str:
    """The HTML a report hands to WeasyPrint."""
    seen = []
    monkeypatch.setattr(pdf, "render_with_limit", lambda html, **kw: seen.append(html) or b"")
    render()
    return seen[0]


def test_the_report_draws_the_pages_own_chart(monkeypatch, client_for, participant, worksheet):
    value(worksheet)
    page = client_for(participant).get(reverse("impact:value_step", args=[worksheet.pk])).text
    [chart] = re.findall(r'<svg class="value-chart".*?</svg>', page, re.S)
    assert "de gemeente (incl. overdrachten)" in chart

    html = _html(monkeypatch, lambda: pdf.render_organisation_pdf(worksheet))

    assert chart in html


def test_hostile_value_text_is_printed_literally(client_for, participant, worksheet):
    value(worksheet)
    hostile = '<img src="http://evil.example/x.png"> & <b>vet</b>'
    EffectValuation.objects.filter(effect__worksheet=worksheet).update(proxy_source=hostile)
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)
    assert hostile.replace(" ", "") in text.replace(" ", "")


def test_a_report_of_a_past_dagdeel_says_the_value_step_is_not_kept(
    client_for, participant, worksheet, session
):
    value(worksheet)
    Snapshot.objects.create(
        worksheet=worksheet,
        session=session,
        data={"until": session.ends.isoformat(), "rows": current_state(worksheet)},
    )
    client = client_for(participant)

    then = pdf_text(client.get(report_url(worksheet, session=session.pk)).content)

    assert "Een rapport van het einde van een dagdeel laat de waardestap weg" in then
    assert "5.501,22" not in then
    ValueStep.objects.update(is_enabled=False)
    then = pdf_text(client.get(report_url(worksheet, session=session.pk)).content)
    assert "Waarde in euro’s" not in then


# --- The summary ---------------------------------------------------------------------


def test_the_summary_has_one_value_line_only_while_the_step_is_on(
    client_for, participant, worksheet
):
    step = value(worksheet)
    client = client_for(participant)

    text = pdf_text(client.get(summary_url(worksheet)).content)

    line = text[text.index("Waarde in euro’s") :]
    assert line.startswith(
        "Waarde in euro’s (indicatief): elke geïnvesteerde euro levert tussen € 0,14 en € 2,45 "
        "aan maatschappelijke waarde op. Grootste aannames: Meer zelfvertrouwen en werkritm…: "
        "aantal 10, financiële proxy € 1.000,00, duur 1 jaar."
    )
    assert len(PdfReader(io.BytesIO(client.get(summary_url(worksheet)).content)).pages) == 1
    step.is_enabled = False
    step.save()
    assert "Waarde in euro’s" not in pdf_text(client.get(summary_url(worksheet)).content)


def test_the_summary_gives_the_present_value_range_without_inputs(
    client_for, participant, worksheet
):
    value(worksheet)
    ValueStep.objects.update(input_money=None)
    text = pdf_text(client_for(participant).get(summary_url(worksheet)).content)
    assert f"Waarde in euro’s (indicatief): contante waarde {RANGE}." in text


# --- The cohort report ---------------------------------------------------------------


def test_the_cohort_report_says_who_made_a_value_step_never_its_amounts(
    client_for, trainer, worksheet, fellow_organisation, cohort
):
    value(worksheet, approved_by=trainer, approved_at=timezone.now())
    fellow = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    make_worksheet_content(fellow)
    third = make_worksheet_content(WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort)))
    value(third)

    response = client_for(trainer).post(reverse("impact:cohort_report_pdf", args=[cohort.pk]))

    assert response.status_code == 200
    text = pdf_text(response.content)
    # the second time: the first is in the contents
    start = text.index("De ronde in één oogopslag", text.index("De ronde in één oogopslag") + 1)
    overview = text[start : text.index("Wie deelt wat", start)]
    assert "Waardestap" in overview
    assert "ja, goedgekeurd" in overview
    assert "ja, indicatief" in overview
    assert fellow.organisation.name in overview
    assert "4 3 3 nee" in overview  # stakeholders, effects, measured; no value step
    assert "worden hier niet vergeleken" in overview
    # no figures of the value step anywhere: no league table, no section per organisation
    for figure in ("5.501,22", "1.375,31", "24.483,13", "0,14", "2,45", "Waarde in euro’s"):
        assert figure not in text, figure


def test_a_cohort_report_without_value_steps_has_no_column(client_for, trainer, worksheet, cohort):
    text = pdf_text(
        client_for(trainer).post(reverse("impact:cohort_report_pdf", args=[cohort.pk])).content
    )
    assert "Waardestap" not in text


# --- Queries ------------------------------------------------------------------------


def cohort_with_value_steps(cohort, organisations: int) -> None:
    for _number in range(organisations):
        worksheet = make_worksheet_content(
            WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort))
        )
        value(worksheet)


def test_cohort_report_queries_do_not_grow_with_value_steps(cohort, other_cohort):
    cohort_with_value_steps(cohort, 2)
    cohort_with_value_steps(other_cohort, 6)

    def count(of) -> int:
        with CaptureQueriesContext(connection) as queries:
            html, _logos = pdf.cohort_report_html(of)
        assert "ja, indicatief" in html
        return len(queries)

    assert count(cohort) == count(other_cohort) <= 12


@pytest.mark.parametrize("effects", [3, 9])
def test_organisation_report_and_summary_queries_stay_bounded_with_a_value_step(
    django_assert_max_num_queries, client_for, participant, organisation, effects
):
    worksheet = make_worksheet_content(
        WorksheetFactory(enrolment=organisation.enrolments.get()), effects=effects
    )
    value(worksheet)
    for effect in worksheet.effects.order_by("pk")[2:]:
        EffectValuationFactory(effect=effect)
    client = client_for(participant)
    client.get(report_url(worksheet))  # warm up: session and caches
    # As without a value step (see test_pdf): the value step and the valuations come with
    # the worksheet and its effects, so the value section adds no query.
    with django_assert_max_num_queries(16):
        assert client.get(report_url(worksheet)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(summary_url(worksheet)).status_code == 200


def test_the_value_overview_of_a_report_costs_no_query(worksheet, django_assert_num_queries):
    from impact.value.report import overview_of
    from impact.worksheet.data import report_worksheets

    value(worksheet)
    full = report_worksheets().get(pk=worksheet.pk)
    with django_assert_num_queries(0):
        overview = overview_of(full)
    assert overview is not None
    assert [item.result is not None for item in overview.effects] == [True, True, False]
    assert overview.calculation.present_value.quantize(Decimal("0.01")) == Decimal("5501.22")


def test_value_on_dates_stay_as_dutch_dates(client_for, participant, trainer, worksheet):
    value(worksheet, approved_by=trainer, approved_at=dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    text = pdf_text(client_for(participant).get(report_url(worksheet)).content)
    assert f"goedgekeurd door {trainer.get_full_name()} op 2 december 2026" in text


def test_a_cohort_report_of_a_past_dagdeel_has_no_value_column(worksheet, session):
    # The history keeps no value step: "as it was" cannot say who had made one then.
    value(worksheet)
    now, _logos = pdf.cohort_report_html(worksheet.cohort)
    then, _logos = pdf.cohort_report_html(worksheet.cohort, session=session)
    assert "ja, indicatief" in now
    assert "Waardestap" not in then
