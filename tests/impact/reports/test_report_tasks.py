"""Background rendering of cohort reports: the task, progress, the stored file, the export
list with its polling rows, download, retry and pruning."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from impact.models import ReportExport
from impact.reports import pdf
from impact.reports.tasks import render_report_export
from tests.factories import EnrolmentFactory, WorksheetFactory, make_worksheet_content


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fill(cohort, count: int) -> None:
    for number in range(count):
        make_worksheet_content(
            WorksheetFactory(
                enrolment=EnrolmentFactory(cohort=cohort),
                impact_goal=f"Impactdoel van organisatie {number}",
            ),
            effects=2,
            results=1,
        )


def request_report(client, cohort):
    return client.post(
        reverse("impact:cohort_report_pdf", args=[cohort.pk]),
        headers={"accept-language": "en"},
    )


def test_large_cohort_report_renders_in_the_background(settings, client_for, trainer, cohort):
    fill(cohort, 8)

    response = request_report(client_for(trainer), cohort)

    assert response.status_code == 302
    assert response["Location"] == reverse("impact:export_list")
    export = ReportExport.objects.get()
    assert export.kind == ReportExport.Kind.COHORT_PDF
    assert export.cohort == cohort
    assert export.requested_by == trainer
    assert export.language == "en"
    assert export.status == ReportExport.Status.DONE
    assert export.progress == 100
    assert export.task_id
    assert export.error == ""
    assert export.expires_at - export.finished_at == dt.timedelta(
        days=settings.IMPACTLAB_EXPORT_RETENTION_DAYS
    )
    path = export.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    with open(path, "rb") as handle:
        reader = PdfReader(handle)
        text = "\n".join(page.extract_text() for page in reader.pages)
    for number in range(8):
        assert f"Impactdoel van organisatie {number}" in text
    assert "The cohort at a glance" in text  # the requester's language


def test_small_cohort_report_is_rendered_at_once(client_for, coordinator, cohort):
    fill(cohort, 2)

    response = request_report(client_for(coordinator), cohort)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not ReportExport.objects.exists()


def test_progress_rises_per_organisation_and_with_the_pages(cohort):
    fill(cohort, 4)
    seen: list[int] = []

    pdf.render_cohort_pdf(cohort, progress=seen.append)

    assert seen[:4] == [10, 20, 30, 40]  # one step per organisation's section
    assert seen == sorted(seen)
    assert max(seen) <= 95


def test_task_records_progress_on_the_export(monkeypatch, coordinator, cohort):
    fill(cohort, 2)
    export = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF, cohort=cohort, requested_by=coordinator
    )
    recorded: list[int] = []
    real = pdf.render_cohort_pdf

    def spy(cohort, *, progress, **kwargs):
        def record(percent):
            progress(percent)
            recorded.append(ReportExport.objects.get(pk=export.pk).progress)

        return real(cohort, progress=record)

    monkeypatch.setattr(pdf, "render_cohort_pdf", spy)
    render_report_export.enqueue(export.pk)

    assert recorded[:2] == [20, 40]
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE


def test_failed_task_shows_the_message_and_can_be_retried(
    settings, monkeypatch, caplog, client_for, trainer, cohort
):
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 2
    fill(cohort, 2)

    def broken(cohort, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(pdf, "render_cohort_pdf", broken)
    client = client_for(trainer)
    request_report(client, cohort)

    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.FAILED
    assert "could not be made" in export.error
    assert "fonts missing" in caplog.text
    page = client.get(reverse("impact:export_list"), headers={"accept-language": "en"})
    assert "could not be made" in page.text
    assert reverse("impact:export_retry", args=[export.pk]) in page.text

    monkeypatch.undo()
    response = client.post(reverse("impact:export_retry", args=[export.pk]))

    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    assert export.file


def test_polled_row_of_a_failed_export_offers_retry_without_internals_and_retry_downloads(
    settings, monkeypatch, client_for, trainer, cohort
):
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 2
    fill(cohort, 2)

    def broken(cohort, **kwargs):
        raise RuntimeError("fonts missing in /usr/share/fonts")

    monkeypatch.setattr(pdf, "render_cohort_pdf", broken)
    client = client_for(trainer)
    request_report(client, cohort)
    export = ReportExport.objects.get()

    row = client.get(reverse("impact:export_row", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    assert row.context["export"].status == ReportExport.Status.FAILED
    assert reverse("impact:export_retry", args=[export.pk]) in row.text
    assert "/usr/share/fonts" not in row.text

    monkeypatch.undo()
    client.post(reverse("impact:export_retry", args=[export.pk]))
    download = client.get(reverse("impact:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_retry_refuses_get(client_for, trainer, cohort):
    export = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        requested_by=trainer,
        status=ReportExport.Status.FAILED,
    )
    response = client_for(trainer).get(reverse("impact:export_retry", args=[export.pk]))
    assert response.status_code == 405


def test_someone_else_cannot_retry_an_export(client_for, trainer, other_trainer, cohort):
    export = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        requested_by=trainer,
        status=ReportExport.Status.FAILED,
    )
    response = client_for(other_trainer).post(reverse("impact:export_retry", args=[export.pk]))
    assert response.status_code == 404
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED


# --- The export list --------------------------------------------------------------------


def test_export_list_polls_rows_in_progress(client_for, trainer, cohort):
    running = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        requested_by=trainer,
        status=ReportExport.Status.RUNNING,
        progress=45,
    )
    client = client_for(trainer)

    page = client.get(reverse("impact:export_list"))
    row = client.get(
        reverse("impact:export_row", args=[running.pk]), headers={"HX-Request": "true"}
    )

    assert page.status_code == 200
    assert list(page.context["exports"]) == [running]
    assert 'hx-trigger="every 2s"' in page.text
    assert '<progress value="45" max="100"' in page.text
    assert row.status_code == 200
    assert row.text.strip().startswith(f'<tr id="export-{running.pk}"')
    assert 'hx-trigger="every 2s"' in row.text

    running.status = ReportExport.Status.DONE
    running.progress = 100
    running.save()
    done_row = client.get(reverse("impact:export_row", args=[running.pk]))
    assert "hx-trigger" not in done_row.text
    assert "<script" not in page.text.split("<main", 1)[1]


def test_export_list_shows_only_my_exports(client_for, trainer, coordinator, cohort):
    mine = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF, cohort=cohort, requested_by=trainer
    )
    ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF, cohort=cohort, requested_by=coordinator
    )

    response = client_for(trainer).get(reverse("impact:export_list"))

    assert list(response.context["exports"]) == [mine]


def test_export_list_needs_login(client):
    response = client.get(reverse("impact:export_list"))
    assert response.status_code == 302


@pytest.mark.parametrize("size", [1, 10])
def test_export_list_queries_are_constant(
    django_assert_max_num_queries, client_for, trainer, cohort, size
):
    for _number in range(size):
        ReportExport.objects.create(
            kind=ReportExport.Kind.COHORT_PDF, cohort=cohort, requested_by=trainer
        )
    client = client_for(trainer)
    # session, user, roles, the exports with cohort and worksheet
    with django_assert_max_num_queries(5):
        client.get(reverse("impact:export_list"))


# --- Download -------------------------------------------------------------------------


@pytest.fixture
def finished_export(settings, client_for, trainer, cohort):
    # Two organisations are enough here: the background path starts from two.
    settings.IMPACTLAB_BACKGROUND_REPORT_THRESHOLD = 2
    fill(cohort, 2)
    request_report(client_for(trainer), cohort)
    return ReportExport.objects.get()


def test_requester_downloads_the_finished_report(client_for, trainer, finished_export):
    response = client_for(trainer).get(reverse("impact:export_download", args=[finished_export.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(content)).pages) > 4


def test_coordinator_may_download_any_export(client_for, coordinator, finished_export):
    response = client_for(coordinator).get(
        reverse("impact:export_download", args=[finished_export.pk])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("person", ["other_trainer", "participant", "outsider"])
def test_others_cannot_download(request, client_for, finished_export, person):
    response = client_for(request.getfixturevalue(person)).get(
        reverse("impact:export_download", args=[finished_export.pk])
    )
    assert response.status_code == 404


def test_trainer_removed_from_the_cohort_cannot_download(client_for, trainer, finished_export):
    finished_export.cohort.trainers.remove(trainer)
    response = client_for(trainer).get(reverse("impact:export_download", args=[finished_export.pk]))
    assert response.status_code == 404


def test_expired_export_cannot_be_downloaded(client_for, trainer, finished_export):
    finished_export.expires_at = timezone.now() - dt.timedelta(minutes=1)
    finished_export.save()
    response = client_for(trainer).get(reverse("impact:export_download", args=[finished_export.pk]))
    assert response.status_code == 404


def test_prune_exports_removes_expired_files_and_rows(finished_export, trainer, cohort):
    path = finished_export.file.path
    fresh = ReportExport.objects.create(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        requested_by=trainer,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    finished_export.expires_at = timezone.now() - dt.timedelta(seconds=1)
    finished_export.save()
    out = io.StringIO()

    call_command("prune_exports", stdout=out)

    assert list(ReportExport.objects.all()) == [fresh]
    assert not os.path.exists(path)
    assert "Deleted 1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_under_its_old_import_path_still_runs(settings):
    """The queue stores each task's import path; tasks queued before ``impact`` was split into
    sub-packages point at ``impact.tasks`` and must still run after a deploy."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.create(
        task_path="impact.tasks.take_snapshots_task",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )

    call_command("db_worker", "--batch", "--no-startup-delay")

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
