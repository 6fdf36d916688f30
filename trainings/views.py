"""Programmes, trainings and rounds in the browser: thin views over forms and services.

Access: every object is fetched through ``visible_to`` (an outsider gets 404); changing a
cohort needs ``Cohort.objects.managed_by`` (a reader gets 403). The helpers that say so live
in ``trainings/access.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from organisations import invitations
from organisations.fields import parse_id
from organisations.invitations import link_base
from organisations.models import Membership, Organisation, Role
from trainings import services
from trainings.access import (
    can_create_cohort,
    can_manage,
    managed_cohort,
    managed_in_cohort,
    require_coordinator,
)
from trainings.forms import (
    CohortForm,
    CopyCohortForm,
    EnrolForm,
    InviteForm,
    ProgrammeForm,
    SessionForm,
    TrainingForm,
)
from trainings.ical import render_calendar
from trainings.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    Programme,
    Session,
    Training,
    default_steps,
)

# ---------------------------------------------------------------------------------------------
# Programmes and trainings


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_coordinator or request.user.is_trainer):
        raise PermissionDenied
    trainings = Training.objects.visible_to(request.user).select_related("project")
    programmes = Programme.objects.visible_to(request.user).prefetch_related(
        Prefetch("trainings", queryset=trainings)
    )
    return render(request, "trainings/programme_list.html", {"programmes": programmes})


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    form = ProgrammeForm(request.POST or None)
    if form.is_valid():
        programme = form.save()
        messages.success(request, _("Programme “%(name)s” created.") % {"name": programme})
        return redirect(programme)
    return render(request, "trainings/programme_form.html", {"form": form})


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trainings = Training.objects.visible_to(request.user).select_related("project")
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("introduced_by")
        .prefetch_related(Prefetch("trainings", queryset=trainings)),
        pk=pk,
    )
    return render(
        request,
        "trainings/programme_detail.html",
        {"programme": programme, "can_edit": request.user.is_coordinator},
    )


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    require_coordinator(request.user)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if form.is_valid():
        form.save()
        messages.success(request, _("The programme is saved."))
        return redirect(programme)
    return render(request, "trainings/programme_form.html", {"form": form, "programme": programme})


@login_required
def training_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    require_coordinator(request.user)
    form = TrainingForm(request.POST or None, initial={"programme": programme})
    if form.is_valid():
        training = form.save()
        messages.success(request, _("Training “%(name)s” created.") % {"name": training})
        return redirect(training)
    return render(request, "trainings/training_form.html", {"form": form, "programme": programme})


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("programme", "project"), pk=pk
    )
    cohorts = Cohort.objects.visible_to(request.user).filter(training=training).with_counts()
    return render(
        request,
        "trainings/training_detail.html",
        {
            "training": training,
            "cohorts": cohorts,
            "trainers": training.trainers.all(),
            "can_edit": request.user.is_coordinator,
            "can_create_cohort": can_create_cohort(request.user, training),
        },
    )


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.visible_to(request.user), pk=pk)
    require_coordinator(request.user)
    form = TrainingForm(request.POST or None, instance=training)
    if form.is_valid():
        form.save()
        messages.success(request, _("The training is saved."))
        return redirect(training)
    return render(request, "trainings/training_form.html", {"form": form, "training": training})


# ---------------------------------------------------------------------------------------------
# Cohorts


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.visible_to(request.user).with_counts()
    can_create = Training.objects.open_for_cohorts_by(request.user).exists()
    return render(
        request, "trainings/cohort_list.html", {"cohorts": cohorts, "can_create": can_create}
    )


@login_required
@require_GET
def cohort_new(request: HttpRequest) -> HttpResponse:
    """ "New cohort" from the cohort list: the form of the one training the person may start
    cohorts in, or first the choice between several."""
    trainings = list(
        Training.objects.open_for_cohorts_by(request.user).select_related("programme", "project")
    )
    if not trainings:
        raise PermissionDenied
    if len(trainings) == 1:
        return redirect("trainings:cohort_create", trainings[0].pk)
    return render(request, "trainings/cohort_choose_training.html", {"trainings": trainings})


@login_required
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.visible_to(request.user), pk=pk)
    if not can_create_cohort(request.user, training):
        raise PermissionDenied
    initial = {"trainers": [request.user]} if request.user.is_trainer else {}
    form = CohortForm(request.POST or None, training=training, initial=initial)
    if form.is_valid():
        cohort = form.save()
        messages.success(request, _("Cohort “%(name)s” created.") % {"name": cohort.name})
        return redirect(cohort)
    return render(request, "trainings/cohort_form.html", {"form": form, "training": training})


@login_required
def cohort_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = managed_cohort(request.user, pk)
    initial = {
        "capacity": source.capacity,
        "location": source.location,
        "description": source.description,
        "trainers": list(source.trainers.all()),
    }
    form = CopyCohortForm(request.POST or None, source=source, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        cohort = services.copy_cohort(
            source=source,
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            capacity=data["capacity"],
            location=data["location"],
            description=data["description"],
            trainers=data["trainers"],
        )
        messages.success(
            request,
            _("Cohort “%(name)s” created from %(source)s, with its sessions on new dates.")
            % {"name": cohort.name, "source": source.name},
        )
        return redirect(cohort)
    return render(
        request,
        "trainings/cohort_form.html",
        {"form": form, "training": source.training, "source": source},
    )


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort page: everything for those who run it; schedule and fellows for the rest.

    Queries: cohort with training, trainers, sessions with host and attendance count,
    enrolments with organisation (and whether it is the person's own), and for managers
    invitations, expected attendance and the managed check.
    """
    user = request.user
    sessions = Session.objects.select_related("host").annotate(
        attendance_count=Count("attendances")
    )
    own_membership = Membership.objects.filter(
        person=user, role=Role.PARTICIPANT, organisation=OuterRef("organisation")
    )
    cohort = get_object_or_404(
        Cohort.objects.visible_to(user)
        .select_related("training__programme", "training__project")
        .prefetch_related(
            "trainers",
            Prefetch("sessions", queryset=sessions),
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("organisation").annotate(
                    is_own=Exists(own_membership)
                ),
            ),
        ),
        pk=pk,
    )
    is_manager = can_manage(user, cohort)
    enrolments = list(cohort.enrolments.all())
    context = {
        "cohort": cohort,
        "is_manager": is_manager,
        "sessions": cohort.sessions.all(),
        "trainers": cohort.trainers.all(),
        "active_enrolments": [e for e in enrolments if e.is_active],
        # The person's own organisations here: their next step is that worksheet.
        "own_enrolments": [e for e in enrolments if e.is_active and e.is_own],
    }
    if is_manager:
        context |= {
            "withdrawn_enrolments": [e for e in enrolments if not e.is_active],
            "invitations": cohort.invitations.select_related("organisation", "accepted_by"),
            "expected_attendance": Membership.objects.filter(
                role=Role.PARTICIPANT,
                organisation__enrolments__cohort=cohort,
                organisation__enrolments__withdrawn_at__isnull=True,
            )
            .values("person")
            .distinct()
            .count(),
        }
    return render(request, "trainings/cohort_detail.html", context)


@login_required
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    form = CohortForm(request.POST or None, instance=cohort, training=cohort.training)
    if form.is_valid():
        form.save()
        messages.success(request, _("The cohort is saved."))
        return redirect(cohort)
    return render(
        request,
        "trainings/cohort_form.html",
        {"form": form, "training": cohort.training, "cohort": cohort},
    )


@login_required
@require_POST
def cohort_advance_status(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    if cohort.next_status is None:
        messages.error(request, _("This cohort cannot move on to another status."))
    else:
        cohort.advance_status()
        messages.success(request, cohort.get_status_reached_message())
    return redirect(cohort)


@login_required
def cohort_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    if request.method == "POST":
        training = cohort.training
        if services.remove_cohort(cohort=cohort):
            messages.success(request, _("The cohort is deleted."))
            return redirect(training)
        messages.success(
            request,
            _("The cohort has worksheets, so it is archived instead of deleted."),
        )
        return redirect(cohort)
    return render(
        request,
        "trainings/cohort_confirm_delete.html",
        {"cohort": cohort, "has_worksheets": cohort.has_worksheets()},
    )


@login_required
def cohort_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("training"), pk=pk
    )
    sessions = cohort.sessions.select_related("host")
    body = render_calendar(
        cohort,
        sessions,
        now=timezone.now(),
        url=request.build_absolute_uri(cohort.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = slugify(f"{cohort.training.name} {cohort.name}") or "agenda"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


# ---------------------------------------------------------------------------------------------
# Sessions


def host_choices(user, current: Organisation | None = None) -> QuerySet[Organisation]:
    visible = Organisation.objects.visible_to(user).values("pk")
    return Organisation.objects.filter(Q(pk__in=visible) | Q(pk=getattr(current, "pk", None)))


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    number = cohort.sessions.count() + 1
    date, starts_at, ends_at = cohort.next_session_slot()
    initial = {
        "title": _("Session %(number)s") % {"number": number},
        "date": date,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": cohort.location,
        "steps": default_steps(number),
    }
    form = SessionForm(
        request.POST or None, cohort=cohort, hosts=host_choices(request.user), initial=initial
    )
    if form.is_valid():
        session = form.save()
        messages.success(request, _("Session “%(title)s” added.") % {"title": session.title})
        return redirect(cohort)
    return render(request, "trainings/session_form.html", {"form": form, "cohort": cohort})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = managed_in_cohort(request.user, Session.objects.select_related("host"), pk)
    form = SessionForm(
        request.POST or None,
        instance=session,
        cohort=session.cohort,
        hosts=host_choices(request.user, session.host),
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("The session is saved."))
        return redirect(session.cohort)
    return render(
        request,
        "trainings/session_form.html",
        {"form": form, "cohort": session.cohort, "session": session},
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = managed_in_cohort(request.user, Session.objects.all(), pk)
    if session.has_records():
        messages.error(
            request,
            _("“%(title)s” has attendance or worksheet records, so it cannot be deleted.")
            % {"title": session.title},
        )
    else:
        session.delete()
        messages.success(request, _("The session is deleted."))
    return redirect(session.cohort)


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = managed_in_cohort(request.user, Session.objects.all(), pk)
    candidates = services.attendance_candidates(session)
    if request.method == "POST":
        ids = (parse_id(value) for value in request.POST.getlist("present"))
        present = {pk for pk in ids if pk is not None}
        count = services.record_attendance(session=session, present=present)
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)s person attended.",
                "Attendance saved: %(count)s people attended.",
                count,
            )
            % {"count": count},
        )
        return redirect(session.cohort)
    present = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    return render(
        request,
        "trainings/session_attendance.html",
        {
            "session": session,
            "cohort": session.cohort,
            "candidates": candidates,
            "present": present,
        },
    )


# ---------------------------------------------------------------------------------------------
# Enrolment


@login_required
def enrolment_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    form = EnrolForm(request.POST or None, cohort=cohort)
    if form.is_valid():
        try:
            with transaction.atomic():
                organisation = form.cleaned_data["organisation"]
                if organisation is None:
                    organisation = Organisation.objects.create(
                        name=form.cleaned_data["new_name"],
                        city=form.cleaned_data["new_city"],
                        kind=Organisation.Kind.PARTICIPANT,
                    )
                services.enrol_organisation(cohort=cohort, organisation=organisation)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(organisation)s is enrolled.") % {"organisation": organisation}
            )
            return redirect(cohort)
    return render(
        request,
        "trainings/enrolment_form.html",
        {"form": form, "cohort": cohort, "is_full": cohort.is_full()},
    )


@login_required
@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = managed_in_cohort(
        request.user, Enrolment.objects.select_related("organisation"), pk
    )
    services.withdraw_enrolment(enrolment=enrolment)
    messages.success(
        request,
        _("%(organisation)s is withdrawn from the cohort; its data is kept.")
        % {"organisation": enrolment.organisation},
    )
    return redirect(enrolment.cohort)


# ---------------------------------------------------------------------------------------------
# Invitations


def invitations_anchor(cohort_pk: int) -> str:
    return reverse("trainings:cohort_detail", args=[cohort_pk]) + "#invitations"


@login_required
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = managed_cohort(request.user, pk)
    initial = {"organisation": request.GET.get("organisation")}
    form = InviteForm(request.POST or None, cohort=cohort, initial=initial)
    if form.is_valid():
        parsed = form.parsed
        result = services.invite_many(
            cohort=cohort,
            organisation=form.cleaned_data["organisation"],
            emails=parsed.valid,
            invited_by=request.user,
            base_url=link_base(request),
        )
        if result.sent:
            messages.success(
                request,
                ngettext(
                    "%(count)s invitation sent.", "%(count)s invitations sent.", len(result.sent)
                )
                % {"count": len(result.sent)},
            )
        skipped = result.skipped + parsed.duplicates
        if skipped:
            messages.info(
                request,
                _("Skipped, already invited or listed twice: %(addresses)s")
                % {"addresses": ", ".join(skipped)},
            )
        if not parsed.invalid:
            return redirect(invitations_anchor(cohort.pk))
        # Keep the addresses that could not be sent, so nothing typed is lost.
        form = InviteForm(
            {
                "organisation": form.cleaned_data["organisation"].pk,
                "addresses": "\n".join(parsed.invalid),
            },
            cohort=cohort,
        )
        form.is_valid()
        form.add_error(
            "addresses",
            ngettext(
                "This is not a valid email address: %(addresses)s",
                "These are not valid email addresses: %(addresses)s",
                len(parsed.invalid),
            )
            % {"addresses": ", ".join(parsed.invalid)},
        )
    return render(
        request,
        "trainings/invitation_form.html",
        {"form": form, "cohort": cohort, "invitation_days": settings.IMPACTLAB_INVITATION_DAYS},
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = managed_in_cohort(request.user, Invitation.objects.all(), pk)
    try:
        services.resend_invitation(invitation=invitation, base_url=link_base(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("A new link is sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect(invitations_anchor(invitation.cohort_id))


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = managed_in_cohort(request.user, Invitation.objects.all(), pk)
    invitation.withdraw()
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect(invitations_anchor(invitation.cohort_id))


def _welcome(invitation: Invitation) -> str:
    return _("Welcome to %(cohort)s with %(organisation)s.") % {
        "cohort": invitation.cohort.name,
        "organisation": invitation.organisation,
    }


COHORT_INVITATION_PAGE = invitations.AcceptPage(
    template="trainings/invitation_accept.html",
    unusable_template="trainings/invitation_unusable.html",
    accept=lambda invitation, person: services.accept_invitation(
        invitation=invitation, person=person
    ),
    register=lambda invitation, **account: services.accept_invitation_with_new_account(
        invitation=invitation, **account
    ),
    welcome=_welcome,
    landing=lambda invitation: invitation.cohort.get_absolute_url(),
    context=lambda invitation: {"cohort": invitation.cohort},
)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in the mail; works signed in or not.

    New address: set a name and password, then land signed in on the cohort. Address with an
    account: sign in as that person, then accept with one click (``invitations.accept_page``).
    """
    invitation = Invitation.objects.by_token(token)
    return invitations.accept_page(request, invitation, COHORT_INVITATION_PAGE)
