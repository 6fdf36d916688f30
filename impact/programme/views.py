"""The programme view for coordinators: the rondes side by side, the themes, and the
anonymised programme report (PDF and Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from impact.programme import report, selectors
from impact.programme.presenters import overview_body
from impact.reports.limits import limited
from impact.reports.pdf import ReportRenderError
from trainings.access import require_coordinator
from trainings.models import Programme


def _programme(request: HttpRequest, pk: int) -> Programme:
    """The programme for a coordinator: 404 for those who cannot see it, 403 for the
    trainers who can (one query)."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    require_coordinator(request.user)
    return programme


def _include_names(request: HttpRequest) -> bool:
    return request.GET.get("names") == "1"


def _filename(programme: Programme, extension: str) -> str:
    return f"{slugify(_('programme-report'))}-{slugify(programme.name)[:60]}.{extension}"


@login_required
@require_GET
def programme_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Every ronde of the programme side by side, and the themes across them (kept rendered
    per programme and language, ``impact.programme.presenters``)."""
    programme = _programme(request, pk)
    body = overview_body(request, programme, user=request.user)
    return render(request, "impact/programme/overview.html", {"programme": programme, "body": body})


@login_required
@require_GET
@limited("impact:programme_overview")
def programme_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymised programme report as PDF, rendered at once (aggregates only)."""
    programme = _programme(request, pk)
    overview = selectors.programme_overview(programme=programme, user=request.user)
    try:
        content = report.render_programme_pdf(overview, include_names=_include_names(request))
    except ReportRenderError as error:
        messages.error(request, str(error))
        return redirect("impact:programme_overview", pk=programme.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(programme, "pdf")}"'
    return response


@login_required
@require_GET
@limited("impact:programme_overview", renders=False)
def programme_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The same figures as an Excel workbook."""
    programme = _programme(request, pk)
    overview = selectors.programme_overview(programme=programme, user=request.user)
    response = HttpResponse(
        report.programme_xlsx(overview, include_names=_include_names(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, "xlsx")}"'
    return response
