from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trainings.models import Cohort, Enrolment, Programme, Training


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_coordinator or request.user.is_trainer):
        raise PermissionDenied
    programmes = Programme.objects.visible_to(request.user).prefetch_related(
        Prefetch("trainings", queryset=Training.objects.select_related("project"))
    )
    return render(request, "trainings/programme_list.html", {"programmes": programmes})


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.visible_to(request.user).with_counts()
    return render(request, "trainings/cohort_list.html", {"cohorts": cohorts})


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user)
        .select_related("training__programme", "training__project")
        .prefetch_related(
            "trainers",
            "sessions__host",
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.active().select_related("organisation"),
            ),
        ),
        pk=pk,
    )
    return render(request, "trainings/cohort_detail.html", {"cohort": cohort})
