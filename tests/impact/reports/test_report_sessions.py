"""Reports "as at the end of a dagdeel": the choice on the report pages, the ronde report
from the snapshots (at once and in the background), file names and the demo's snapshots."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from impact.models import ReportExport, Snapshot, Worksheet
from impact.worksheet.history import current_state
from tests.factories import (
    EnrolmentFactory,
    SessionFactory,
    WorksheetFactory,
    make_worksheet_content,
)
from trainings.models import Cohort

EN = {"headers": {"accept-language": "en"}}
HINT_NL = "Zodra een dagdeel voorbij is, kun je hier ook het rapport kiezen"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def worksheet(organisation):
    return make_worksheet_content(WorksheetFactory(enrolment=organisation.enrolments.get()))


def keep_snapshot(worksheet, session) -> None:
    """The snapshot take_snapshots stores at the end of the session."""
    Snapshot.objects.create(
        worksheet=worksheet,
        session=session,
        data={"until": session.ends.isoformat(), "rows": current_state(worksheet)},
    )


def rewrite_goal(worksheet, text: str) -> None:
    Worksheet.objects.filter(pk=worksheet.pk).update(impact_goal=text)


# --- The worksheet's reports page ------------------------------------------------------


def test_reports_page_explains_the_choice_before_any_session_has_ended(
    client_for, participant, worksheet, cohort
):
    SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=3))

    response = client_for(participant).get(reverse("impact:worksheet_reports", args=[worksheet.pk]))

    html = response.content.decode()
    assert HINT_NL in html
    assert 'name="session"' not in html


def test_reports_page_offers_a_session_that_ended_without_waiting_for_take_snapshots(
    client_for, participant, worksheet, session
):
    response = client_for(participant).get(reverse("impact:worksheet_reports", args=[worksheet.pk]))

    html = response.content.decode()
    assert HINT_NL not in html
    assert html.count(f'<option value="{session.pk}">') == 2  # the report and the summary
    assert "zoals aan het eind van Dagdeel 1: impactdoel en stakeholders" in html
    # Offered from the history: the page itself stores nothing.
    assert not Snapshot.objects.filter(worksheet=worksheet, session=session).exists()


# --- The ronde report -------------------------------------------------------------------


def test_cohort_reports_page_offers_the_ended_sessions_only(client_for, trainer, cohort):
    ended = SessionFactory(cohort=cohort, title="Dagdeel 1")
    SessionFactory(cohort=cohort, title="Dagdeel 3", date=timezone.localdate() + dt.timedelta(1))

    html = client_for(trainer).get(reverse("impact:cohort_reports", args=[cohort.pk])).content
    html = html.decode()

    assert f'<option value="{ended.pk}">' in html
    assert "zoals aan het eind van Dagdeel 1" in html
    assert "Dagdeel 3" not in html


def test_cohort_reports_page_explains_the_choice_before_the_first_session(
    client_for, coordinator, cohort
):
    html = client_for(coordinator).get(reverse("impact:cohort_reports", args=[cohort.pk]))
    assert HINT_NL in html.content.decode()


def test_cohort_report_at_the_end_of_a_session_shows_the_worksheets_as_they_were(
    client_for, trainer, worksheet, session
):
    keep_snapshot(worksheet, session)
    rewrite_goal(worksheet, "Een nieuw doel, na het dagdeel geschreven.")
    client = client_for(trainer)
    url = reverse("impact:cohort_report_pdf", args=[worksheet.cohort.pk])

    then = client.post(url, {"session": session.pk}, **EN)
    now = client.post(url, **EN)

    assert then.status_code == 200
    then_text = pdf_text(then.content)
    assert "Mensen met een afstand tot de arbeidsmarkt" in then_text
    assert "Een nieuw doel" not in then_text
    assert "at the end of Dagdeel 1: impactdoel en stakeholders" in then_text
    assert "Een nieuw doel, na het dagdeel geschreven." in pdf_text(now.content)
    assert then["Content-Disposition"] == (
        'inline; filename="cohort-report-ronde-2-dagdeel-1-impactdoel-en-stakeholders.pdf"'
    )
    assert now["Content-Disposition"] == 'inline; filename="cohort-report-ronde-2.pdf"'


def test_cohort_report_reads_a_missing_snapshot_from_the_history(
    client_for, coordinator, worksheet, session
):
    # No revisions and no snapshot: at the end of the session the worksheet was still empty.
    response = client_for(coordinator).post(
        reverse("impact:cohort_report_pdf", args=[worksheet.cohort.pk]),
        {"session": session.pk},
        **EN,
    )

    text = pdf_text(response.content)
    assert "Kringloop Zwolle" in text
    assert "Mensen met een afstand tot de arbeidsmarkt" not in text


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1" * 30])
def test_cohort_report_refuses_an_unknown_session(client_for, trainer, cohort, value):
    response = client_for(trainer).post(
        reverse("impact:cohort_report_pdf", args=[cohort.pk]), {"session": value}
    )
    assert response.status_code == 404


def test_cohort_report_refuses_a_session_of_another_cohort_or_still_to_come(
    client_for, trainer, cohort, other_cohort
):
    client = client_for(trainer)
    url = reverse("impact:cohort_report_pdf", args=[cohort.pk])
    elsewhere = SessionFactory(cohort=other_cohort)
    upcoming = SessionFactory(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=2))

    assert client.post(url, {"session": elsewhere.pk}).status_code == 404
    assert client.post(url, {"session": upcoming.pk}).status_code == 404
    assert not ReportExport.objects.exists()


def test_background_cohort_report_carries_the_session(settings, client_for, trainer, cohort):
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 2
    session = SessionFactory(cohort=cohort, title="Dagdeel 1")
    for number in range(2):
        worksheet = make_worksheet_content(
            WorksheetFactory(
                enrolment=EnrolmentFactory(cohort=cohort), impact_goal=f"Doel toen {number}"
            )
        )
        keep_snapshot(worksheet, session)
        rewrite_goal(worksheet, f"Doel nu {number}")

    response = client_for(trainer).post(
        reverse("impact:cohort_report_pdf", args=[cohort.pk]), {"session": session.pk}, **EN
    )

    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.session == session
    assert export.status == ReportExport.Status.DONE
    assert export.file.name.rsplit("/", 1)[-1].startswith("cohort-report-ronde-2-dagdeel-1")
    with export.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Doel toen 0" in text and "Doel toen 1" in text
    assert "Doel nu" not in text


def test_background_report_file_names_say_pdf_once(settings, client_for, trainer, cohort):
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 1
    make_worksheet_content(WorksheetFactory(enrolment=EnrolmentFactory(cohort=cohort)))

    client_for(trainer).post(reverse("impact:cohort_report_pdf", args=[cohort.pk]))

    name = ReportExport.objects.get().file.name.rsplit("/", 1)[-1]
    assert name.startswith("ronderapport-ronde-2")
    assert name.endswith(".pdf")
    assert name.count("pdf") == 1


# --- The demo ----------------------------------------------------------------------------


def test_demo_keeps_the_ronde_2_worksheets_at_the_end_of_each_past_session(db):
    call_command("seed_demo", stdout=io.StringIO())

    ronde_2 = Cohort.objects.get(name="Ronde 2")
    worksheets = Worksheet.objects.filter(enrolment__cohort=ronde_2)
    past = [s for s in ronde_2.sessions.all() if s.ends <= timezone.now()]
    assert len(past) == 2
    for session in past:
        assert Snapshot.objects.filter(session=session).count() == worksheets.count()
    zwolle = Snapshot.objects.get(
        session=past[0], worksheet__enrolment__organisation__name="Kringloop Zwolle"
    )
    assert any(row["type"] == "stakeholder" for row in zwolle.data["rows"].values())
