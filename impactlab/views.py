import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from impact.cohorts.selectors import next_sessions
from impact.peer_review.selectors import reviewer_assignments
from impact.worksheet.selectors import steps_to_review
from impact.worksheet.services import participant_worksheets
from impactlab.privacy import erase_person, personal_data
from impactlab.team import is_last_trainer_role, is_own_last_coordinator_role, take_away_role
from organisations.access import require_coordinator
from organisations.fields import encodable
from organisations.models import STAFF_ROLES, Membership, User
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
        context["prepare_for"] = next_sessions(context["worksheets"], today=today)
        context["peer_assignments"] = reviewer_assignments(user)
    return render(request, "dashboard.html", context)


@login_required
@require_GET
@never_cache
def personal_data_download(request: HttpRequest) -> HttpResponse:
    """Everything impactlab stores about the signed-in person, as a JSON file."""
    text = json.dumps(
        personal_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )
    # json escapes control characters itself; what no UTF-8 encoder takes is left out.
    response = HttpResponse(encodable(text), content_type="application/json")
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


@login_required
@require_http_methods(["GET", "POST"])
def role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators only: take a trainer or coordinator role away, after a confirmation."""
    require_coordinator(request.user)
    membership = get_object_or_404(
        Membership.objects.filter(role__in=STAFF_ROLES).select_related("person", "organisation"),
        pk=pk,
    )
    team = reverse("organisations:team")
    if request.method == "POST":
        try:
            take_away_role(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(team)
        messages.success(
            request,
            _("%(person)s is no longer %(role)s at %(organisation)s.")
            % {
                "person": membership.person,
                "role": membership.get_role_display(),
                "organisation": membership.organisation,
            },
        )
        return redirect(team)
    context = {
        "membership": membership,
        "own_last": is_own_last_coordinator_role(membership=membership, by=request.user),
        "last_trainer_role": is_last_trainer_role(membership),
    }
    return render(request, "organisations/membership_confirm_delete.html", context)
