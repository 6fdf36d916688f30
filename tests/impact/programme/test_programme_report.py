"""The anonymised programme report: PDF and Excel, aggregates only, nothing for fewer than
five organisations, names only when asked for."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from impact.programme import report, selectors
from impact.reports.pdf import ReportRenderError
from organisations.models import Organisation
from tests.impact.programme.helpers import make_ronde

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _slots(settings, tmp_path):
    settings.IMPACTLAB_RENDER_SLOT_DIR = tmp_path / "slots"


def pdf_url(programme, **query) -> str:
    url = reverse("impact:programme_report_pdf", args=[programme.pk])
    return url + ("?names=1" if query.get("names") else "")


def xlsx_url(programme, **query) -> str:
    url = reverse("impact:programme_report_xlsx", args=[programme.pk])
    return url + ("?names=1" if query.get("names") else "")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def rondes(training):
    """A big ronde (6), a small one (3) after it and a big one (5) after that, each of whose
    organisations name a target group of their own ronde."""
    big = make_ronde(
        training,
        "Ronde Groot",
        organisations=6,
        days_ago=300,
        approved=3,
        target_group="Werkleerdeelnemers",
    )
    small = make_ronde(
        training,
        "Ronde Klein",
        organisations=3,
        days_ago=200,
        approved=6,
        target_group="Vrouwen in het atelier",
    )
    last = make_ronde(
        training,
        "Ronde Laatst",
        organisations=5,
        days_ago=100,
        approved=6,
        target_group="Statushouders",
    )
    for number, enrolment in enumerate(small.enrolments.all()):
        Organisation.objects.filter(pk=enrolment.organisation_id).update(
            name=f"Kringloop Klein {number}"
        )
    Organisation.objects.filter(pk=last.enrolments.order_by("pk").first().organisation_id).update(
        name='=HYPERLINK("http://example.org")'
    )
    return big, small, last


def test_the_pdf_shows_the_rondes_without_names(client_for, coordinator, training, rondes):
    response = client_for(coordinator).get(pdf_url(training.programme))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="programmarapport-')
    text = pdf_text(response.content)
    assert "PROGRAMMARAPPORT" in text and training.programme.name in text
    assert "3 rondes · 1 training" in text
    # The big ronde: 18 of 36 steps approved; the small one shows nothing of its own.
    assert "50 % 18 van 36" in text
    assert "Ronde Klein" in text
    assert "100 % 9 van 18" not in text  # the small ronde's 6 of 6 steps for 3 organisations
    assert text.count("minder dan 5") >= 8
    # The last ronde is compared with no ronde: the one before it is hidden.
    assert "verandering sinds Ronde Klein" not in text
    assert "1 ronde heeft minder dan 5 organisaties" in text
    # The total adds up the rondes shown: 11 organisations, not 14.
    assert "Alle getoonde rondes 11 " in text
    # No names without asking; target groups of five or more organisations, not of three.
    assert "Kringloop Klein" not in text and "HYPERLINK" not in text
    assert "Werkleerdeelnemers 6 6" in text and "Statushouders 5 5" in text
    assert "Vrouwen in het atelier" not in text
    assert "1 andere doelgroep staat er niet in" in text


def test_the_pdf_names_the_organisations_when_asked(client_for, coordinator, training, rondes):
    text = pdf_text(client_for(coordinator).get(pdf_url(training.programme, names=True)).content)
    assert "De organisaties per ronde" in text
    assert "Kringloop Klein" in text
    # Names, not figures: the small ronde's figures stay out.
    assert "100 % 9 van 18" not in text


def test_the_workbook_holds_the_same_figures(client_for, coordinator, training, rondes):
    response = client_for(coordinator).get(xlsx_url(training.programme))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="programmarapport-')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Rondes", "Thema's"]
    rows = list(workbook["Rondes"].iter_rows(values_only=True))
    assert rows[0][:5] == ("training", "ronde", "periode", "cijfer", "aantal")
    steps = [row for row in rows if row[3] == "Stappen goedgekeurd"]
    by_ronde = {row[1]: row for row in steps}
    assert by_ronde["Ronde Groot"][4:7] == (18, 36, 50)
    assert by_ronde["Ronde Klein"][4:] == ("minder dan 5", None, None, None, None, None)
    assert by_ronde["Ronde Laatst"][4:9] == (30, 30, 100, None, None)  # nothing to compare
    assert by_ronde["Alle getoonde rondes"][4:7] == (48, 66, 73)
    themes = [row[1] for row in workbook["Thema's"].iter_rows(values_only=True)]
    assert "Werkleerdeelnemers" in themes
    assert "Vrouwen in het atelier" not in themes


def test_the_workbook_names_the_organisations_when_asked_and_guards_formulas(
    client_for, coordinator, training, rondes
):
    response = client_for(coordinator).get(xlsx_url(training.programme, names=True))
    workbook = load_workbook(io.BytesIO(response.content))
    names = [row[2] for row in workbook["Organisaties"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 14
    assert "Kringloop Klein 0" in names
    assert '\'=HYPERLINK("http://example.org")' in names


@pytest.mark.parametrize("url", [pdf_url, xlsx_url])
def test_only_coordinators_get_the_report(client_for, trainer, participant, cohort, url):
    programme = cohort.training.programme
    assert client_for(trainer).get(url(programme)).status_code == 403
    assert client_for(participant).get(url(programme)).status_code == 404
    response = client_for(None).get(url(programme))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_report_counts_against_the_persons_rate(client_for, coordinator, training, settings):
    make_ronde(training, "Ronde Een", organisations=5, effects=0)
    settings.IMPACTLAB_REPORT_RATE = "1/300"
    client = client_for(coordinator)
    assert client.get(xlsx_url(training.programme)).status_code == 200
    refused = client.get(pdf_url(training.programme))
    assert refused.status_code == 429
    assert reverse("impact:programme_overview", args=[training.programme_id]) in refused.text


def test_a_failed_render_says_so_on_the_page(client_for, coordinator, training, monkeypatch):
    def fail(*args, **kwargs):
        raise ReportRenderError("Het rapport kon niet worden gemaakt.")

    monkeypatch.setattr(report, "render_with_limit", fail)
    response = client_for(coordinator).get(pdf_url(training.programme), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "impact:programme_overview", args=[training.programme_id]
    )
    assert "Het rapport kon niet worden gemaakt." in response.text


def test_user_text_is_escaped_in_the_pdf(client_for, coordinator, training):
    make_ronde(training, "<b>Ronde & co</b>", organisations=5, effects=0)
    overview = selectors.programme_overview(programme=training.programme, user=coordinator)
    html = render_to_string(
        "impact/programme/report.html", report.report_context(overview, include_names=True)
    )
    assert "&lt;b&gt;Ronde &amp; co&lt;/b&gt;" in html
    assert "<b>Ronde" not in html
