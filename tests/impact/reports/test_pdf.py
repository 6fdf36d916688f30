"""PDF reports: their text, metadata, safety, time limit, permissions and queries."""

import datetime as dt
import http.server
import io
import logging
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from impact.models import Comment, Snapshot, Step, Worksheet
from impact.reports import pdf
from impact.worksheet.history import current_state
from organisations.models import User
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    EnrolmentFactory,
    IndicatorFactory,
    ResultFactory,
    SessionFactory,
    StakeholderFactory,
    WorksheetFactory,
    make_worksheet_content,
)

EN = {"headers": {"accept-language": "en"}}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flatten(outline) -> list:
    items = []
    for item in outline:
        items.extend(flatten(item) if isinstance(item, list) else [item])
    return items


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def worksheet(organisation):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    return make_worksheet_content(worksheet)


def report_url(worksheet, **params) -> str:
    url = reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


# --- Content ----------------------------------------------------------------------------


def test_organisation_report_shows_the_whole_worksheet(client_for, participant, worksheet):
    response = client_for(participant).get(report_url(worksheet), **EN)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    for expected in [
        "Kringloop Zwolle",
        "Restaurant Deksels",
        "Ronde 2",
        "Mensen met een afstand tot de arbeidsmarkt",
        "Jongeren",
        "UWV",
        "Werkleertraject 1",
        "werkleerplekken (1)",
        "Meer zelfvertrouwen en werkritme bij deelnemers (1)",
        "Deelnemers met betaald werk 1",
        "Elke werkleerplek is een stap naar een baan.",
        "Participatiefonds van de gemeente",
        "Leerwerkbedrijf Zwolle",
        "Contents",
        "Impact chain",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert f"Page 2 of {pages}" in text


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"input_in_kind": "Ruimte van de gemeente"}, "Inputs Ruimte van de gemeente"),
        ({"input_time": "4 uur", "input_in_kind": "Ruimte"}, "Inputs 4 uur · Ruimte"),
        ({"input_money": 250}, "Inputs € 250"),
    ],
)
def test_activity_inputs_join_only_what_is_filled_in(
    client_for, participant, organisation, fields, expected
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    ActivityFactory(worksheet=worksheet, title="Taalcoaching", **fields)

    text = flat(pdf_text(client_for(participant).get(report_url(worksheet), **EN).content))

    assert expected in text
    assert "Inputs ·" not in text and "· ·" not in text


def test_report_has_metadata_language_and_tags(client_for, participant, worksheet):
    response = client_for(participant).get(report_url(worksheet), **EN)

    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Impact report Kringloop Zwolle"
    assert reader.metadata.author == "Kringloop Zwolle"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    titles = [item["/Title"] for item in flatten(reader.outline)]
    assert "Stakeholders" in titles  # bookmarks for the sections


def test_report_can_include_trainer_feedback(client_for, participant, trainer, worksheet):
    Comment.objects.create(
        worksheet=worksheet, step=Step.EFFECTS, author=trainer, body="Maak het effect meetbaar."
    )
    client = client_for(participant)

    without = flat(pdf_text(client.get(report_url(worksheet), **EN).content))
    with_feedback = flat(pdf_text(client.get(report_url(worksheet, feedback=1), **EN).content))

    assert "Maak het effect meetbaar." not in without
    assert "Maak het effect meetbaar." in with_feedback


def test_report_of_a_session_uses_the_snapshot(client_for, participant, worksheet, session):
    # The history's snapshot of the end of the session, as take_snapshots stores it.
    Snapshot.objects.create(
        worksheet=worksheet,
        session=session,
        data={"until": session.ends.isoformat(), "rows": current_state(worksheet)},
    )
    worksheet.impact_goal = "Een nieuw doel, na het dagdeel geschreven."
    worksheet.save()
    client = client_for(participant)

    then = flat(pdf_text(client.get(report_url(worksheet, session=session.pk), **EN).content))
    now = flat(pdf_text(client.get(report_url(worksheet), **EN).content))

    assert "Mensen met een afstand tot de arbeidsmarkt" in then
    assert "Deelnemers met betaald werk 1" in then  # rows, indicators and results too
    assert "Een nieuw doel" not in then
    assert "Een nieuw doel, na het dagdeel geschreven." in now


def test_report_of_a_session_that_has_not_ended_is_404(client_for, participant, worksheet, cohort):
    later = SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=2))
    response = client_for(participant).get(report_url(worksheet, session=later.pk))
    assert response.status_code == 404
    assert not Snapshot.objects.exists()


def test_summary_fits_on_one_page_even_when_full(client_for, participant, organisation):
    worksheet = WorksheetFactory(
        enrolment=organisation.enrolments.get(),
        impact_goal="Een heel lang impactdoel. " * 40,
        quote="Een lang citaat van een deelnemer. " * 30,
        key_message="Een lange kernboodschap. " * 20,
    )
    make_worksheet_content(
        worksheet,
        stakeholders=tuple(f"Stakeholder met een lange naam {n}" for n in range(20)),
        activities=14,
        effects=14,
        results=3,
    )

    response = client_for(participant).get(
        reverse("impact:worksheet_summary_pdf", args=[worksheet.pk]), **EN
    )

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = flat(pdf_text(response.content))
    assert "Kringloop Zwolle" in text
    assert "Key figures" in text


def test_summary_shows_goal_key_indicators_and_quote(client_for, participant, worksheet):
    response = client_for(participant).get(
        reverse("impact:worksheet_summary_pdf", args=[worksheet.pk]), **EN
    )

    text = flat(pdf_text(response.content))
    assert "Mensen met een afstand tot de arbeidsmarkt" in text
    assert "Deelnemers met betaald werk 1" in text
    assert "Hier ben ik weer iemand" in text


def summary_url(worksheet) -> str:
    return reverse("impact:worksheet_summary_pdf", args=[worksheet.pk])


def unbroken(text: str) -> str:
    """The text with the chain's line-end hyphens ("praktijk- verklaring") joined again."""
    return flat(text).replace("- ", "")


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def test_summary_of_the_demo_shows_the_whole_chain_and_the_key_figures(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    worksheet = Worksheet.objects.get(good_practice="Restaurant Deksels")
    client.force_login(User.objects.get(email="deelnemer@example.org"))

    response = client.get(summary_url(worksheet))

    assert response.status_code == 200
    assert page_count(response.content) == 1
    text = unbroken(pdf_text(response.content))
    effects = list(worksheet.effects.values_list("description", flat=True))
    assert len(effects) == 8
    for description in effects:  # every effect in full: nothing folded into "+ nog 3"
        assert unbroken(description) in text, description
    for stakeholder in worksheet.stakeholders.values_list("name", flat=True):
        assert unbroken(stakeholder) in text, stakeholder
    assert "Niet op deze pagina" not in text
    for expected in [
        "Voor wie",
        "Werkleerdeelnemers met een arbeidsbeperking (14 mensen)",
        "Kerncijfers",
        "resultaten over 2e halfjaar 2025",
        "Zelfvertrouwen op een schaal van 1 tot 5 (score 1-5) 2,6 3,4 3,5 89% van de weg",
        "Geserveerde maaltijden per halfjaar (maaltijden) 3.400 4.080 3.900 streefwaarde gehaald",
        "7.800 maaltijden",  # outputs with their numbers as Dutch writes them
        "Bij Deksels eet je goed en help je mensen aan het werk.",
        # The questionnaire in one line, with its begin and end.
        "Vragenlijst “Hoe gaat het met je in Deksels?”: Voormeting januari n = 14 · Nameting "
        "december n = 13 · positieve antwoorden 16% → 60% (4 vragen)",
    ]:
        assert expected in text, expected


def test_summary_of_a_large_worksheet_stays_on_one_page_and_names_what_it_leaves_out(
    client_for, participant, organisation
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    make_worksheet_content(
        worksheet,
        stakeholders=tuple(f"Stakeholder {n}" for n in range(15)),
        activities=12,
        effects=20,  # with an indicator each
        results=2,
    )

    response = client_for(participant).get(summary_url(worksheet))

    assert page_count(response.content) == 1
    text = flat(pdf_text(response.content))
    assert "Niet op deze pagina: nog" in text
    assert "effecten" in text.split("Niet op deze pagina")[1]
    assert "Het volledige rapport toont de hele keten." in text
    assert "En nog 14 indicatoren: zie het volledige rapport." in text
    assert "Meer zelfvertrouwen en werkritme bij deelnemers (1)" in text


def test_summary_of_an_empty_worksheet_says_what_is_still_to_fill_in(
    client_for, participant, organisation
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())

    response = client_for(participant).get(summary_url(worksheet))

    assert page_count(response.content) == 1
    text = flat(pdf_text(response.content))
    assert "Nog geen impactdoel." in text
    assert "Nog in te vullen" in text
    for expected in [
        "Stap 1 · Afbakening en impactdoel: het impactdoel, de doelgroepen",
        "Stap 2 · Stakeholders: de stakeholders",
        "Stap 4 · Effecten: de effecten",
        "Stap 6 · Leren en communiceren: de kernboodschap",
    ]:
        assert expected in text, expected
    assert "Impactketen" not in text  # no empty grid of five headings
    assert "Kerncijfers" not in text


def test_summary_names_only_what_is_missing(client_for, participant, worksheet):
    text = flat(pdf_text(client_for(participant).get(summary_url(worksheet)).content))

    assert "Stap 2" not in text
    assert "Impactketen" in text


def test_logo_is_read_from_media_only_for_the_organisation(
    settings, tmp_path, client_for, participant, worksheet, organisation
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    Image.new("RGB", (40, 20), "navy").save(tmp_path / "logos" / "zwolle.png")
    organisation.logo = "logos/zwolle.png"
    organisation.save()

    response = client_for(participant).get(report_url(worksheet), **EN)

    first_page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert first_page["/Resources"]["/XObject"]  # the logo image


def test_cohort_report_has_overview_collaboration_and_sections(client_for, trainer, cohort):
    for number, stakeholders in enumerate([("UWV", "Gemeente"), ("UWV", "Voedselbank")]):
        enrolment = EnrolmentFactory(cohort=cohort)
        make_worksheet_content(
            WorksheetFactory(enrolment=enrolment, impact_goal=f"Doel van organisatie {number}"),
            stakeholders=stakeholders,
            target_groups=("Jongeren",),
        )

    response = client_for(trainer).post(reverse("impact:cohort_report_pdf", args=[cohort.pk]), **EN)

    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert "The cohort at a glance" in text
    assert "Who shares what" in text
    assert "Doel van organisatie 0" in text
    assert "Doel van organisatie 1" in text
    assert "both work with Jongeren and UWV" in text


# --- Safety -------------------------------------------------------------------------


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        RecordingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    RecordingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_hostile_worksheet_text_is_printed_literally_and_fetches_nothing(
    client_for, participant, organisation, local_server
):
    hostile = [
        '<img src="file:///etc/passwd">',
        f'<link rel="attachment" href="{local_server}/attach">',
        f'<img src="{local_server}/img.png">',
        f"url({local_server}/css-url)",
        f'@import "{local_server}/import.css";',
        "<style>body{background:url(file:///etc/hostname)}</style>",
    ]
    worksheet = WorksheetFactory(
        enrolment=organisation.enrolments.get(),
        impact_goal=hostile[0],
        good_practice=hostile[1][:200],
        key_message=hostile[3],
        findings=hostile[4],
        quote=hostile[5],
    )
    stakeholder = StakeholderFactory(worksheet=worksheet, name=hostile[2][:200])
    EffectFactory(worksheet=worksheet, stakeholder=stakeholder, description=hostile[1])
    client = client_for(participant)

    report = client.get(report_url(worksheet), **EN)
    summary = client.get(reverse("impact:worksheet_summary_pdf", args=[worksheet.pk]), **EN)

    assert RecordingHandler.requests == []
    for response in (report, summary):
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        assert reader.attachments == {}
        assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    text = flat(pdf_text(report.content)).replace(" ", "")
    for snippet in hostile:
        assert snippet.replace(" ", "") in text, snippet
    summary_text = flat(pdf_text(summary.content)).replace(" ", "")
    for snippet in (hostile[0], hostile[3], hostile[5]):  # goal, key message, quote
        assert snippet.replace(" ", "") in summary_text, snippet


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = pdf.safe_url_fetcher()
    css = fetcher.fetch((pdf.STATIC_DIR / "pdf" / "report.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    data = fetcher.fetch("data:text/plain;base64,aGFsbG8=")
    assert data.read() == b"hallo"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://" + str(Path(django_settings.BASE_DIR) / "static" / ".." / "manage.py"),
        "file://" + str(Path(django_settings.BASE_DIR) / "impactlab" / "settings.py"),
        "file://evil.example.org/etc/passwd",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        pdf.safe_url_fetcher().fetch(url)


def test_fetcher_refuses_http_without_a_request(local_server):
    with pytest.raises(ValueError):
        pdf.safe_url_fetcher().fetch(local_server + "/x")
    assert RecordingHandler.requests == []


def test_fetcher_serves_an_allowed_media_file_only(tmp_path):
    allowed = tmp_path / "logo.png"
    other = tmp_path / "other.png"
    for path in (allowed, other):
        Image.new("RGB", (4, 4)).save(path)
    fetcher = pdf.safe_url_fetcher(allowed_files=[allowed])

    assert fetcher.fetch(allowed.as_uri()).content_type == "image/png"
    with pytest.raises(ValueError):
        fetcher.fetch(other.as_uri())


def test_slow_rendering_stops_with_a_clear_message(
    settings, monkeypatch, caplog, client_for, participant, worksheet
):
    settings.IMPACTLAB_PDF_TIMEOUT = 0.2

    def slow(html, **kwargs):
        time.sleep(1)
        return b""

    monkeypatch.setattr(pdf, "html_to_pdf", slow)
    with caplog.at_level(logging.ERROR, logger="impact.reports.pdf"):
        response = client_for(participant).get(report_url(worksheet), follow=True, **EN)

    assert response.redirect_chain[-1][0] == reverse(
        "impact:worksheet_reports", args=[worksheet.pk]
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("took too long" in m for m in messages)
    assert "longer than" in caplog.text


def test_broken_rendering_is_logged_and_explained(
    monkeypatch, caplog, client_for, participant, worksheet
):
    def broken(html, **kwargs):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    response = client_for(participant).get(report_url(worksheet), follow=True, **EN)

    messages = [str(m) for m in response.context["messages"]]
    assert any("could not be made" in m for m in messages)
    assert "pango exploded" in caplog.text


# --- Permissions --------------------------------------------------------------------

ORGANISATION_VIEWS = [
    "impact:worksheet_report_pdf",
    "impact:worksheet_summary_pdf",
    "impact:worksheet_json",
    "impact:worksheet_reports",
]


@pytest.mark.parametrize("name", ORGANISATION_VIEWS)
def test_anonymous_is_sent_to_login(client, worksheet, name):
    response = client.get(reverse(name, args=[worksheet.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ORGANISATION_VIEWS)
@pytest.mark.parametrize("person", ["outsider", "fellow", "other_trainer"])
def test_people_outside_the_organisation_get_404(request, client_for, worksheet, name, person):
    response = client_for(request.getfixturevalue(person)).get(reverse(name, args=[worksheet.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ORGANISATION_VIEWS)
@pytest.mark.parametrize("person", ["participant", "colleague", "trainer", "coordinator"])
def test_organisation_trainer_and_coordinator_get_reports(
    request, client_for, worksheet, name, person
):
    response = client_for(request.getfixturevalue(person)).get(reverse(name, args=[worksheet.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ORGANISATION_VIEWS)
def test_reports_refuse_post(client_for, participant, worksheet, name):
    response = client_for(participant).post(reverse(name, args=[worksheet.pk]))
    assert response.status_code == 405


# --- Queries ------------------------------------------------------------------------


def cohort_with(cohort, organisations: int) -> None:
    for _number in range(organisations):
        worksheet = WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort))
        make_worksheet_content(worksheet)
        indicator = IndicatorFactory(effect=worksheet.effects.first())
        ResultFactory(indicator=indicator, measured_on=dt.date(2025, 6, 30))


def count_queries(cohort) -> int:
    with CaptureQueriesContext(connection) as queries:
        pdf.cohort_report_html(cohort)
    return len(queries)


def test_cohort_report_queries_do_not_grow_with_organisations(cohort, other_cohort):
    cohort_with(cohort, 2)
    cohort_with(other_cohort, 6)

    small = count_queries(cohort)
    large = count_queries(other_cohort)

    assert small == large
    assert large <= 12


def test_organisation_report_queries_are_bounded(
    django_assert_max_num_queries, client_for, participant, worksheet
):
    client = client_for(participant)
    client.get(report_url(worksheet))  # warm up: session and caches
    # session, user, roles, worksheet; then the report: worksheet with organisation and
    # cohort, target groups, stakeholders, activities (+ their stakeholders and outputs),
    # effects (+ activities, indicators, results)
    with django_assert_max_num_queries(16):
        client.get(report_url(worksheet))
