"""Background tasks (Django's Tasks framework; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from impact.models import ReportExport

logger = logging.getLogger(__name__)


def export_filename(export: ReportExport) -> str:
    """A readable file name in the active language: ``ronderapport-ronde-2.pdf``, with the
    dagdeel when the report shows the end of one; the same names as the direct downloads."""
    if export.cohort_id:
        subject = export.cohort.name
    else:
        subject = export.worksheet.enrolment.organisation.name
    # The stem names the kind without its file type: the extension says that already.
    stem, extension = {
        ReportExport.Kind.ORGANISATION_PDF: (_("impact-report"), "pdf"),
        ReportExport.Kind.SUMMARY_PDF: (_("impact-summary"), "pdf"),
        ReportExport.Kind.COHORT_PDF: (_("cohort-report"), "pdf"),
        ReportExport.Kind.COHORT_CSV: (_("worksheets"), "csv"),
        ReportExport.Kind.COHORT_XLSX: (_("worksheets"), "xlsx"),
    }[export.kind]
    parts = [slugify(stem)[:40], slugify(subject)[:60]]
    if export.session_id:
        parts.append(slugify(export.session.title)[:60])
    return "-".join(part for part in parts if part) + f".{extension}"


def render_export_file(export: ReportExport) -> bytes:
    """Render the export's file; updates ``progress`` on the row as the work goes on."""
    from impact.reports import exports, pdf

    def progress(percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent > export.progress:
            export.progress = percent
            ReportExport.objects.filter(pk=export.pk).update(progress=percent)

    if export.kind == ReportExport.Kind.COHORT_PDF:
        return pdf.render_cohort_pdf(export.cohort, session=export.session, progress=progress)
    if export.kind == ReportExport.Kind.COHORT_CSV:
        return exports.cohort_csv(export.cohort)
    if export.kind == ReportExport.Kind.COHORT_XLSX:
        return exports.cohort_xlsx(export.cohort)
    if export.kind == ReportExport.Kind.ORGANISATION_PDF:
        return pdf.render_organisation_pdf(export.worksheet, session_id=export.session_id)
    if export.kind == ReportExport.Kind.SUMMARY_PDF:
        return pdf.render_summary_pdf(export.worksheet, session_id=export.session_id)
    raise ValueError(f"unknown export kind {export.kind!r}")


@task()
def render_report_export(export_id: int) -> str:
    """Render a queued ReportExport, store the file and mark it done (or failed)."""
    from impact.reports.pdf import ReportRenderError

    export = (
        ReportExport.objects.select_related(
            "cohort__training", "session", "worksheet__enrolment__organisation"
        )
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        return "missing"
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.RUNNING, progress=0, error=""
    )
    export.progress = 0
    try:
        with translation.override(export.language):
            content = render_export_file(export)
            name = export_filename(export)
    except ReportRenderError as error:
        _fail(export, str(error))
        return "failed"
    except Exception:
        logger.exception("Export %s failed", export.pk)
        with translation.override(export.language):
            _fail(export, _("The report could not be made. The error has been logged."))
        return "failed"
    export.file.save(name, ContentFile(content), save=False)
    export.status = ReportExport.Status.DONE
    export.progress = 100
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + dt.timedelta(
        days=settings.IMPACTLAB_EXPORT_RETENTION_DAYS
    )
    export.save(
        update_fields=["file", "status", "progress", "finished_at", "expires_at", "updated_at"]
    )
    return "done"


def _fail(export: ReportExport, message: str) -> None:
    export.status = ReportExport.Status.FAILED
    export.error = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at", "updated_at"])


def queue_report_export(export: ReportExport) -> ReportExport:
    """Reset the export to queued and hand it to the task backend (a retry uses this too)."""
    export.status = ReportExport.Status.QUEUED
    export.progress = 0
    export.error = ""
    export.finished_at = None
    export.save(update_fields=["status", "progress", "error", "finished_at", "updated_at"])
    result = render_report_export.enqueue(export.pk)
    ReportExport.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    export.refresh_from_db()
    return export


@task()
def take_snapshots_task() -> int:
    """Store the snapshots of the sessions that have ended (see ``services.take_snapshots``);
    ``manage.py take_snapshots --in-background`` hands it to the worker. Returns how many."""
    from impact.worksheet.services import take_snapshots

    return take_snapshots()
