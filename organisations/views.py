from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from organisations import invitations, selectors, services
from organisations.access import require_coordinator
from organisations.forms import OrganisationForm, StaffInviteForm
from organisations.invitations import link_base
from organisations.models import Membership, Organisation, Role, StaffInvitation


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.visible_to(request.user)
    kind = request.GET.get("kind")
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    return render(
        request,
        "organisations/organisation_list.html",
        {"organisations": organisations, "kinds": Organisation.Kind.choices, "kind": kind},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    user = request.user
    # Colleagues, trainers and coordinators see who works there; fellow participants do not.
    show_people = (
        user.is_coordinator
        or user.is_trainer
        or organisation.memberships.filter(person=user).exists()
    )
    memberships = (
        organisation.memberships.select_related("person").order_by("person__first_name")
        if show_people
        else Membership.objects.none()
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "show_people": show_people,
            "can_edit": organisation.can_be_edited_by(user),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation “%(name)s” created.") % {"name": organisation})
        return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    if not organisation.can_be_edited_by(request.user):
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        can_set_kind=request.user.is_coordinator,
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("The organisation’s details are saved."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


# ---------------------------------------------------------------------------------------------
# The Team: who holds a trainer or coordinator role, and invitations to one


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Coordinators only: the team with its roles, the invitations waiting for an answer,
    and the form that invites someone as trainer or coordinator."""
    require_coordinator(request.user)
    form = StaffInviteForm(request.POST or None)
    if form.is_valid():
        try:
            invitation = services.invite_staff(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                language=form.cleaned_data["language"],
                invited_by=request.user,
                base_url=link_base(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("An invitation as %(role)s is sent to %(email)s.")
                % {"role": invitation.get_role_display(), "email": invitation.email},
            )
            return redirect(reverse("organisations:team") + "#invitations")
    return render(
        request,
        "organisations/team.html",
        {
            "form": form,
            "members": selectors.team_members(),
            "invitations": StaffInvitation.objects.visible_to(request.user)
            .pending()
            .select_related("organisation", "invited_by"),
            "invitation_days": settings.IMPACTLAB_INVITATION_DAYS,
        },
    )


def _staff_invitation(request: HttpRequest, pk: int) -> StaffInvitation:
    """403 before any look-up for everyone but coordinators, then 404 for an unknown id."""
    require_coordinator(request.user)
    return get_object_or_404(
        StaffInvitation.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


@login_required
@require_POST
def staff_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _staff_invitation(request, pk)
    try:
        services.resend_staff_invitation(invitation=invitation, base_url=link_base(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("A new link is sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect(reverse("organisations:team") + "#invitations")


@login_required
@require_POST
def staff_invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _staff_invitation(request, pk)
    invitation.withdraw()
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect(reverse("organisations:team") + "#invitations")


def _welcome(invitation: StaffInvitation) -> str:
    return _("Welcome to the team: you are now %(role)s at %(organisation)s.") % {
        "role": invitation.get_role_display(),
        "organisation": invitation.organisation,
    }


STAFF_INVITATION_PAGE = invitations.AcceptPage(
    template="organisations/staffinvitation_accept.html",
    unusable_template="organisations/staffinvitation_unusable.html",
    accept=lambda invitation, person: services.accept_staff_invitation(
        invitation=invitation, person=person
    ),
    register=lambda invitation, **account: services.accept_staff_invitation_with_new_account(
        invitation=invitation, **account
    ),
    welcome=_welcome,
    landing=lambda invitation: reverse("dashboard"),
    context=lambda invitation: {
        "is_coordinator_role": invitation.role == Role.COORDINATOR,
        "two_factor_required": invitation.role == Role.COORDINATOR
        and settings.IMPACTLAB_COORDINATOR_MFA,
    },
)


@never_cache
def staff_invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the link in a Team invitation; works signed in or not (see
    ``invitations.accept_page``). A new coordinator sets up two-factor authentication next
    (``impactlab.middleware``)."""
    invitation = StaffInvitation.objects.select_related("organisation").by_token(token)
    return invitations.accept_page(request, invitation, STAFF_INVITATION_PAGE)
