"""A coordinator asks for a cohort report, follows it on the exports page and downloads it."""

import pytest
from django.urls import reverse
from pypdf import PdfReader

from impact.models import ReportExport
from tests.factories import EnrolmentFactory, WorksheetFactory, make_worksheet_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_exports_a_cohort_report(
    page, live_server, sign_in, settings, tmp_path, coordinator, cohort
):
    settings.MEDIA_ROOT = tmp_path
    # Background rendering from two organisations on, to keep the test quick.
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 2
    for number in range(2):
        make_worksheet_content(
            WorksheetFactory(
                enrolment=EnrolmentFactory(cohort=cohort),
                impact_goal=f"Doel van kringloop {number}",
            ),
            effects=2,
            results=1,
        )
    sign_in(page, coordinator)

    page.goto(live_server.url + reverse("impact:cohort_reports", args=[cohort.pk]))
    page.locator(
        f"form[action='{reverse('impact:cohort_report_pdf', args=[cohort.pk])}'] button"
    ).click()

    page.wait_for_url(live_server.url + reverse("impact:export_list"))
    export = ReportExport.objects.get()
    row = page.locator(f"#export-{export.pk}")
    assert row.get_attribute("data-status") == "done"
    with page.expect_download() as download_info:
        row.locator(f"a[href='{reverse('impact:export_download', args=[export.pk])}']").click()
    path = download_info.value.path()
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Doel van kringloop 0" in text
    assert "Doel van kringloop 1" in text
    page.screenshot(path=str(tmp_path / "exports.png"))


def test_rows_in_progress_poll_until_ready(page, live_server, sign_in, coordinator, cohort):
    export = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        requested_by=coordinator,
        status=ReportExport.Status.RUNNING,
        progress=30,
    )
    sign_in(page, coordinator)
    page.goto(live_server.url + reverse("impact:export_list"))
    row = page.locator(f"#export-{export.pk}")
    assert row.locator("progress").get_attribute("value") == "30"

    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.FAILED, error="Het lukte niet."
    )

    page.wait_for_selector(f"#export-{export.pk}[data-status='failed']", timeout=6000)
    assert "Het lukte niet." in page.locator(f"#export-{export.pk}").inner_text()
