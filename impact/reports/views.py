"""Reports and exports: PDF reports, the chain diagram, data exports and the export list."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from impact.access import access_worksheet
from impact.models import ReportExport, Snapshot, ValueStep, Worksheet
from impact.reports import exports, pdf
from impact.reports.limits import limited
from impact.reports.tasks import export_filename, queue_report_export
from impact.worksheet import services
from impact.worksheet.chain import chain_svg
from impact.worksheet.data import cohort_report_worksheets, collaboration, worksheet_data
from organisations.fields import parse_id, printable
from trainings.access import managed_cohort
from trainings.models import Cohort

logger = logging.getLogger(__name__)
# The chain's column width on the Rapporten page, in SVG units: at the page's 1180 px the
# diagram then draws its words at about 13 px.
PAGE_COLUMN_WIDTH = 180


def _session_id(request: HttpRequest) -> int | None:
    return parse_id(request.GET.get("session"))


def _file_response(content: bytes, filename: str, content_type: str, *, inline: bool = False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _org_slug(worksheet: Worksheet) -> str:
    return slugify(worksheet.enrolment.organisation.name)[:60] or "organisation"


# --- One organisation ---------------------------------------------------------------


@login_required
@require_GET
def worksheet_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """The impact chain as a stand-alone SVG image."""
    worksheet = access_worksheet(request.user, pk)
    # XML 1.0 has no place for control characters, not even as character references.
    svg = printable(chain_svg(worksheet))
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )


@login_required
@require_GET
def worksheet_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The choice of reports and exports for one worksheet."""
    worksheet = access_worksheet(request.user, pk)
    # A dagdeel that ended is offered at once; its report folds the revisions when
    # take_snapshots has not stored the snapshot yet (a GET never writes).
    snapshots = services.session_snapshots(worksheet=worksheet)[::-1]
    return render(
        request,
        "impact/export_worksheet.html",
        {
            "worksheet": worksheet,
            "snapshots": snapshots,
            # Inline, so it is drawn in the page's Source Sans 3 that its line breaks are
            # measured for (an <img> cannot load web fonts); the page's full width gives
            # its columns room for more words a line.
            "chain_svg": chain_svg(worksheet, column_width=PAGE_COLUMN_WIDTH),
        },
    )


def _render_or_message(request, worksheet, render, filename):
    try:
        content = render()
    except Snapshot.DoesNotExist as error:
        raise Http404 from error
    except pdf.ReportRenderError as error:
        messages.error(request, str(error))
        return redirect("impact:worksheet_reports", pk=worksheet.pk)
    return _file_response(content, filename, "application/pdf", inline=True)


@login_required
@require_GET
@limited("impact:worksheet_reports")
def worksheet_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's impact report, rendered at once (it takes about a second)."""
    worksheet = access_worksheet(request.user, pk)
    session_id = _session_id(request)
    include_feedback = request.GET.get("feedback") == "1"
    return _render_or_message(
        request,
        worksheet,
        lambda: pdf.render_organisation_pdf(
            worksheet, session_id=session_id, include_feedback=include_feedback
        ),
        _("impact-report") + f"-{_org_slug(worksheet)}.pdf",
    )


@login_required
@require_GET
@limited("impact:worksheet_reports")
def worksheet_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = access_worksheet(request.user, pk)
    session_id = _session_id(request)
    return _render_or_message(
        request,
        worksheet,
        lambda: pdf.render_summary_pdf(worksheet, session_id=session_id),
        _("impact-summary") + f"-{_org_slug(worksheet)}.pdf",
    )


@login_required
@require_GET
@limited("impact:worksheet_reports", renders=False)
def worksheet_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The complete worksheet as JSON, in the shape of ``worksheet_data``."""
    worksheet = access_worksheet(request.user, pk)
    return _file_response(
        exports.worksheet_json(exports.worksheet_export_data(worksheet)),
        _("worksheet") + f"-{_org_slug(worksheet)}.json",
        "application/json; charset=utf-8",
    )


# --- The cohort ---------------------------------------------------------------------


def _background_threshold() -> int:
    return getattr(settings, "IMPACTLAB_BACKGROUND_REPORT_THRESHOLD", 8)


@login_required
@require_GET
def cohort_reports(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    organisation_count = cohort.enrolments.filter(withdrawn_at__isnull=True).count()
    return render(
        request,
        "impact/export_cohort.html",
        {
            "cohort": cohort,
            "organisation_count": organisation_count,
            "in_background": organisation_count >= _background_threshold(),
            "sessions": services.ended_sessions(cohort=cohort),
            # The value step's export once an organisation switched it on (one query).
            "value_on": ValueStep.objects.filter(
                worksheet__enrolment__cohort=cohort,
                worksheet__enrolment__withdrawn_at__isnull=True,
                is_enabled=True,
            ).exists(),
        },
    )


def _chosen_session(request: HttpRequest, cohort: Cohort):
    """The ended session of the cohort named by ``session`` in the form, or None for "now";
    any other value is a 404."""
    value = request.POST.get("session", "")
    if not value:
        return None
    session_id = parse_id(value)
    if session_id is None:
        raise Http404
    for session in services.ended_sessions(cohort=cohort):
        if session.pk == session_id:
            return session
    raise Http404


@login_required
@require_POST
@limited("impact:cohort_reports")
def cohort_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Small cohorts render at once; from eight organisations on, in the background."""
    cohort = managed_cohort(request.user, pk)
    session = _chosen_session(request, cohort)
    organisation_count = cohort.enrolments.filter(withdrawn_at__isnull=True).count()
    export = ReportExport(
        kind=ReportExport.Kind.COHORT_PDF,
        cohort=cohort,
        session=session,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=request.user,
    )
    if organisation_count < _background_threshold():
        try:
            content = pdf.render_cohort_pdf(cohort, session=session)
        except pdf.ReportRenderError as error:
            messages.error(request, str(error))
            return redirect("impact:cohort_reports", pk=cohort.pk)
        return _file_response(content, export_filename(export), "application/pdf", inline=True)
    export.save()
    queue_report_export(export)
    messages.success(
        request, _("The cohort report is being made. It appears here when it is ready.")
    )
    return redirect("impact:export_list")


@login_required
@require_GET
@limited("impact:cohort_reports")
def cohort_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The worksheets as CSV: ``?variant=excel`` (semicolons, decimal commas) or ``plain``
    (commas); without it, the variant of the interface's language. ``?table=value`` gives
    the value step's valuations, a row per effect, instead of a row per organisation."""
    cohort = managed_cohort(request.user, pk)
    variant = request.GET.get("variant", "")
    if variant not in exports.CsvVariant.ALL:
        variant = exports.default_csv_variant()
    if request.GET.get("table") == "value":
        content, stem = exports.cohort_value_csv(cohort, variant=variant), _("value-per-effect")
    else:
        content, stem = exports.cohort_csv(cohort, variant=variant), _("worksheets")
    return _file_response(
        content, stem + f"-{slugify(cohort.name)[:60]}.csv", "text/csv; charset=utf-8"
    )


@login_required
@require_GET
@limited("impact:cohort_reports")
def cohort_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    return _file_response(
        exports.cohort_xlsx(cohort),
        _("worksheets") + f"-{slugify(cohort.name)[:60]}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def cohort_collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Who shares which stakeholders and target groups, with suggested pairings.

    Everyone who can see the cohort may see it, participants included: it shows only the
    organisations' names, stakeholder names and categories and target groups, and its
    purpose is that organisations find each other.
    """
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("training"), pk=pk
    )
    datasets = [worksheet_data(w) for w in cohort_report_worksheets(cohort=cohort)]
    return render(
        request,
        "impact/cohort_collaboration.html",
        {"cohort": cohort, "collaboration": collaboration(datasets)},
    )


# --- The export list ----------------------------------------------------------------


def _exports_for(request: HttpRequest):
    return (
        ReportExport.objects.visible_to(request.user)
        .filter(requested_by=request.user)
        .select_related("cohort", "worksheet__enrolment__organisation")
    )


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """The person's own exports, newest first; rows in progress refresh themselves."""
    exports_ = _exports_for(request).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )[:50]
    return render(
        request,
        "impact/export_list.html",
        {"exports": exports_, "retention_days": settings.IMPACTLAB_EXPORT_RETENTION_DAYS},
    )


@login_required
@require_GET
def export_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One row of the export list, for htmx polling."""
    export = get_object_or_404(_exports_for(request), pk=pk)
    return render(request, "impact/export_list.html#export_row", {"export": export})


def _may_use(request: HttpRequest, export: ReportExport) -> bool:
    """The underlying cohort or worksheet must still be open to the person."""
    if export.cohort_id:
        return Cohort.objects.managed_by(request.user).filter(pk=export.cohort_id).exists()
    if export.worksheet_id:
        return Worksheet.objects.visible_to(request.user).filter(pk=export.worksheet_id).exists()
    return False


@login_required
@require_GET
@limited("impact:export_list", renders=False, back_takes_pk=False)
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(
        ReportExport.objects.visible_to(request.user).select_related(
            "cohort", "worksheet__enrolment__organisation"
        ),
        pk=pk,
        status=ReportExport.Status.DONE,
    )
    expired = export.expires_at is not None and export.expires_at <= timezone.now()
    if expired or not export.file or not _may_use(request, export):
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(_exports_for(request), pk=pk)
    if export.status != ReportExport.Status.FAILED:
        messages.info(request, _("Only a failed export can be tried again."))
        return redirect("impact:export_list")
    if not _may_use(request, export):
        raise Http404
    queue_report_export(export)
    messages.success(request, _("The export is being made again."))
    return redirect(reverse("impact:export_list"))
