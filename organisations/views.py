from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from organisations.forms import OrganisationForm
from organisations.models import Membership, Organisation


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
