from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from impact.models import Worksheet


@login_required
def worksheet_overview(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_object_or_404(
        Worksheet.objects.visible_to(request.user).select_related(
            "enrolment__organisation", "enrolment__cohort__training"
        ),
        pk=pk,
    )
    return render(request, "impact/worksheet_overview.html", {"worksheet": worksheet})
