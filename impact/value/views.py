"""The value step's pages: thin views over impact.value.services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impact.access import access_worksheet, is_editor, is_reviewer
from impact.models import Effect, EffectValuation, ValueProxy, ValueStep
from impact.value import selectors, services
from impact.value.chart import beneficiary_chart
from impact.value.forms import (
    PERCENT_LABELS,
    EffectValuationForm,
    ValueProxyForm,
    ValueStepForm,
    ValueSwitchForm,
)
from impact.value.report import assumption_texts
from impact.worksheet.presenters import steps_nav
from impact.worksheet.services import VersionConflict
from trainings.access import managed_cohort, require_coordinator


def _value_step(worksheet) -> ValueStep:
    """The worksheet's value step, without storing one for a page that is only looked at."""
    return ValueStep.objects.filter(worksheet=worksheet).first() or ValueStep(worksheet=worksheet)


def _render(
    request: HttpRequest,
    worksheet,
    *,
    value_step: ValueStep | None = None,
    settings_form: ValueStepForm | None = None,
    effect_forms: dict[int, EffectValuationForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    value_step = value_step or _value_step(worksheet)
    editable = is_editor(request.user, worksheet)
    context = {
        "worksheet": worksheet,
        "steps_nav": steps_nav(worksheet, None)[0],
        "on_value": True,
        "editable": editable,
        "reviewable": is_reviewer(request.user, worksheet),
        "value_step": value_step,
    }
    if value_step.is_enabled:
        overview = selectors.value_overview(worksheet, value_step)
        proxies = selectors.active_proxies() if editable else []
        forms = effect_forms or {}
        if editable:
            for item in overview.effects:
                if item.effect.pk not in forms:
                    forms[item.effect.pk] = EffectValuationForm(
                        instance=item.valuation or EffectValuation(effect=item.effect),
                        proxies=proxies,
                        prefix=f"effect-{item.effect.pk}",
                    )
            for item in overview.effects:
                item.form = forms[item.effect.pk]
        context.update(
            overview=overview,
            calculation=overview.calculation,
            chart=beneficiary_chart(overview.beneficiary_rows),
            # In the same words as the reports' "why this figure".
            assumptions=assumption_texts(
                overview.calculation.sensitivity if overview.calculation else (), {}
            ),
            settings_form=settings_form
            or (ValueStepForm(instance=value_step) if editable else None),
            proxies=proxies,
            percent_labels=PERCENT_LABELS,
        )
    return render(request, "impact/value/value_step.html", context, status=status)


@login_required
def value_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The value step: the switch, the figures per effect, the calculation written out."""
    worksheet = access_worksheet(request.user, pk)
    return _render(request, worksheet)


@login_required
@require_POST
def value_switch(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch the value step on or off for this worksheet (its participants only)."""
    worksheet = access_worksheet(request.user, pk, edit=True)
    form = ValueSwitchForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["enabled"]
    services.set_enabled(worksheet=worksheet, enabled=enabled)
    if enabled:
        messages.success(request, _("The value step is switched on."))
    else:
        messages.success(request, _("The value step is switched off; its figures are kept."))
    return redirect("impact:value_step", worksheet.pk)


@login_required
@require_POST
def value_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the inputs in euros, the discount rate and the perspective."""
    worksheet = access_worksheet(request.user, pk, edit=True)
    value_step = services.value_step_for(worksheet)
    if not value_step.is_enabled:
        raise Http404
    form = ValueStepForm(request.POST, instance=value_step)
    if not form.is_valid():
        return _render(request, worksheet, value_step=value_step, settings_form=form, status=422)
    try:
        services.save_settings(
            value_step=value_step, data=form.cleaned_data, version=form.cleaned_data["version"]
        )
    except VersionConflict:
        messages.error(
            request,
            _("Someone else saved these figures in the meantime; check them and save again."),
        )
        return redirect("impact:value_step", worksheet.pk)
    messages.success(request, _("The inputs and the discount rate were saved."))
    return redirect(f"{reverse('impact:value_step', args=[worksheet.pk])}#value-result")


@login_required
@require_POST
def value_effect(request: HttpRequest, pk: int, effect_id: int) -> HttpResponse:
    """Save the value-map columns of one effect of this worksheet."""
    worksheet = access_worksheet(request.user, pk, edit=True)
    value_step = services.value_step_for(worksheet)
    if not value_step.is_enabled:
        raise Http404
    effect = get_object_or_404(Effect.objects.filter(worksheet=worksheet), pk=effect_id)
    existing = EffectValuation.objects.filter(effect=effect).first()
    form = EffectValuationForm(
        request.POST,
        instance=existing or EffectValuation(effect=effect),
        prefix=f"effect-{effect.pk}",
    )
    if not form.is_valid():
        return _render(
            request,
            worksheet,
            value_step=value_step,
            effect_forms={effect.pk: form},
            status=422,
        )
    try:
        services.save_valuation(
            effect=effect,
            data=form.cleaned_data,
            version=form.cleaned_data["version"],
            author=request.user,
        )
    except VersionConflict:
        messages.error(
            request,
            _("Someone else saved this effect's value in the meantime; check it and save again."),
        )
        return redirect("impact:value_step", worksheet.pk)
    messages.success(request, _("The value of this effect was saved."))
    return redirect(f"{reverse('impact:value_step', args=[worksheet.pk])}#value-effect-{effect.pk}")


@login_required
@require_POST
def value_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A trainer or coordinator approves the value step, or takes the approval back."""
    worksheet = access_worksheet(request.user, pk)
    if action not in ("approve", "reopen"):
        raise Http404
    if not is_reviewer(request.user, worksheet):
        raise PermissionDenied
    value_step = get_object_or_404(ValueStep, worksheet=worksheet, is_enabled=True)
    if action == "approve":
        services.approve(value_step=value_step, by=request.user)
        messages.success(request, _("The value step is approved; it is no longer indicative."))
    else:
        services.reopen(value_step=value_step)
        messages.success(request, _("The approval is withdrawn; the value is indicative again."))
    return redirect("impact:value_step", worksheet.pk)


@login_required
@require_POST
def cohort_value_switch(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainer switches the value step on for every worksheet of the ronde."""
    cohort = managed_cohort(request.user, pk)
    count = services.enable_for_cohort(cohort=cohort)
    messages.success(
        request,
        _("The value step is switched on for %(count)s worksheets of this ronde.")
        % {"count": count},
    )
    return redirect("impact:cohort_overview", cohort.pk)


# The proxy library ------------------------------------------------------------------------


@login_required
def proxy_list(request: HttpRequest) -> HttpResponse:
    """The financial proxies of the starter kit, with their sources; coordinators manage."""
    user = request.user
    if not (user.is_coordinator or user.is_trainer or user.is_participant):
        raise PermissionDenied
    proxies = (
        ValueProxy.objects.all()
        if user.is_coordinator
        else ValueProxy.objects.filter(is_active=True)
    )
    return render(
        request,
        "impact/value/proxy_list.html",
        {"proxies": list(proxies), "may_manage": user.is_coordinator},
    )


@login_required
def proxy_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    form = ValueProxyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        proxy = form.save()
        messages.success(request, _("“%(title)s” was added to the library.") % {"title": proxy})
        return redirect("impact:proxy_list")
    return render(request, "impact/value/proxy_form.html", {"form": form}, status=_status(form))


@login_required
def proxy_update(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    proxy = get_object_or_404(ValueProxy, pk=pk)
    form = ValueProxyForm(request.POST if request.method == "POST" else None, instance=proxy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(title)s” was saved.") % {"title": proxy})
        return redirect("impact:proxy_list")
    return render(
        request,
        "impact/value/proxy_form.html",
        {"form": form, "proxy": proxy},
        status=_status(form),
    )


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200
