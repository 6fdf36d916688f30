from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impact.services import participant_worksheets
from trainings.models import Cohort, Programme, Session


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One home page with a section for each role the person holds."""
    user = request.user
    today = timezone.localdate()
    context: dict = {"today": today}
    if user.is_coordinator:
        context["programmes"] = Programme.objects.with_cohort_summary()
        context["upcoming_sessions"] = Session.objects.visible_to(user).upcoming(today)[:5]
    if user.is_trainer:
        context["trained_cohorts"] = Cohort.objects.trained_by(user).current().with_counts()
        context["next_trainer_session"] = (
            Session.objects.filter(cohort__trainers=user).upcoming(today).first()
        )
    if user.is_participant:
        context["participant_cohorts"] = Cohort.objects.attended_by(user).current().with_counts()
        context["next_participant_session"] = (
            Session.objects.attended_by(user).upcoming(today).first()
        )
        context["worksheets"] = participant_worksheets(user)
    return render(request, "dashboard.html", context)
