from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from impact.worksheet.selectors import steps_to_review
from impact.worksheet.services import participant_worksheets
from impactlab.privacy import erase_person, personal_data
from organisations.models import User
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
    if user.is_coordinator or user.is_trainer:
        context["steps_to_review"] = steps_to_review(user=user)
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
        context["worksheets"] = participant_worksheets(user=user)
    return render(request, "dashboard.html", context)


@login_required
@require_GET
@never_cache
def personal_data_download(request: HttpRequest) -> HttpResponse:
    """Everything impactlab stores about the signed-in person, as a JSON file."""
    response = JsonResponse(
        personal_data(request.user),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    filename = f"impactlab-{_('my-data')}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators only: erase a person after a confirmation step."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    person = get_object_or_404(User.objects.filter(is_active=True), pk=pk)
    if person == request.user:
        messages.error(request, _("You cannot erase yourself; ask another coordinator."))
        return redirect("organisations:list")
    if request.method == "POST":
        erase_person(person=person, erased_by=request.user)
        messages.success(request, _("The person was erased. Their worksheets were kept."))
        return redirect("organisations:list")
    context = {
        "person": person,
        "memberships": person.memberships.select_related("organisation"),
        "comment_count": person.worksheet_comments.count(),
    }
    return render(request, "impactlab/person_erase.html", context)
