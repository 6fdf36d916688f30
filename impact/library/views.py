"""The starter kit: coordinators manage the suggestions, participants take them over."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impact.access import access_worksheet, is_editor
from impact.library import services as services_library
from impact.library.forms import SOURCES, PickForm, SuggestionFilterForm, SuggestionForm
from impact.models import Effect, Indicator, Stakeholder, Suggestion, Worksheet
from impact.rows import ROW_TYPES
from trainings.access import require_coordinator


def _may_use_library(user) -> bool:
    return user.is_coordinator or user.is_trainer or user.is_participant


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """The library with filters; coordinators also see inactive items and manage them."""
    if not _may_use_library(request.user):
        raise PermissionDenied
    may_manage = request.user.is_coordinator
    filters = SuggestionFilterForm(request.GET or None)
    suggestions = list(filters.filter(Suggestion.objects.all(), may_manage=may_manage))
    categories = dict(Stakeholder.Category.choices)
    methods = dict(Indicator.Method.choices)
    for suggestion in suggestions:
        suggestion.category_label = categories.get(suggestion.category, suggestion.category)
        suggestion.method_label = methods.get(suggestion.method, suggestion.method)
    return render(
        request,
        "impact/suggestion_list.html",
        {"suggestions": suggestions, "filters": filters, "may_manage": may_manage},
    )


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestion = form.save()
        messages.success(
            request, _("“%(title)s” was added to the library.") % {"title": suggestion}
        )
        return redirect(f"{reverse('impact:suggestion_list')}?kind={suggestion.kind}")
    return render(request, "impact/suggestion_form.html", {"form": form, "sources": SOURCES})


@login_required
def suggestion_update(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = SuggestionForm(request.POST or None, instance=suggestion)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(title)s” was saved.") % {"title": suggestion})
        return redirect(f"{reverse('impact:suggestion_list')}?kind={suggestion.kind}")
    return render(
        request,
        "impact/suggestion_form.html",
        {"form": form, "suggestion": suggestion, "sources": SOURCES},
    )


@login_required
@require_POST
def suggestion_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a suggestion (it stays in worksheets that used it), or activate it again."""
    require_coordinator(request.user)
    suggestion = get_object_or_404(Suggestion, pk=pk)
    suggestion.is_active = not suggestion.is_active
    suggestion.save(update_fields=["is_active", "updated_at"])
    if suggestion.is_active:
        messages.success(request, _("“%(title)s” is active again.") % {"title": suggestion})
    else:
        messages.success(
            request,
            _("“%(title)s” is deactivated: participants no longer see it.") % {"title": suggestion},
        )
    return redirect(f"{reverse('impact:suggestion_list')}?kind={suggestion.kind}")


@login_required
def suggestion_picker(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The suggestions of one kind for one worksheet, as a page or an htmx fragment."""
    worksheet = access_worksheet(request.user, pk)
    if kind not in Suggestion.Kind.values:
        kind = Suggestion.Kind.STAKEHOLDER
    return _render_picker(request, worksheet, kind)


@dataclass
class Picker:
    """The starter kit's suggestions of one kind, as the person viewing them may use them."""

    worksheet: Worksheet
    kind: str
    kind_label: str
    groups: list[tuple[str, list[Suggestion]]] = field(default_factory=list)
    can_pick: bool = False
    targets: list = field(default_factory=list)
    target_field: str = ""
    form: PickForm | None = None
    count: int = 0


def suggestion_picker_for(user, worksheet: Worksheet, kind: str, *, form=None) -> Picker:
    """The active suggestions of a kind, grouped by theme, and whether the person may pick.

    Three queries: the suggestions, the right to edit (asked once per request), and the
    worksheet's stakeholders or effects that an effect or indicator hangs on.
    """
    kind = Suggestion.Kind(kind)
    suggestions = list(Suggestion.objects.filter(kind=kind, is_active=True))
    themes = dict(Suggestion.Theme.choices)
    groups = [
        (themes[theme], [s for s in suggestions if s.theme == theme])
        for theme in Suggestion.Theme.values
        if any(s.theme == theme for s in suggestions)
    ]
    picker = Picker(
        worksheet=worksheet,
        kind=kind,
        kind_label=kind.label,
        groups=groups,
        count=len(suggestions),
        can_pick=is_editor(user, worksheet),
        form=form,
    )
    if kind == Suggestion.Kind.EFFECT:
        picker.target_field = "stakeholder"
        picker.targets = list(Stakeholder.objects.filter(worksheet=worksheet))
    elif kind == Suggestion.Kind.INDICATOR:
        picker.target_field = "effect"
        picker.targets = list(
            Effect.objects.filter(worksheet=worksheet).select_related("stakeholder")
        )
    return picker


def _render_picker(
    request: HttpRequest, worksheet: Worksheet, kind: str, *, form=None, status: int = 200
) -> HttpResponse:
    context = {
        "worksheet": worksheet,
        "kind": kind,
        "kinds": Suggestion.Kind,
        "pick_form": form,
        "picker": suggestion_picker_for(request.user, worksheet, kind, form=form),
    }
    if request.htmx:
        return render(request, "impact/_suggestions_picker.html", context)
    return render(request, "impact/suggestion_pick.html", context, status=status)


@login_required
@require_POST
def suggestion_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a prefilled row from a suggestion; only people who edit the worksheet may."""
    worksheet = access_worksheet(request.user, pk, edit=True)
    form = PickForm(request.POST, worksheet=worksheet)
    if not form.is_valid():
        suggestion = form.cleaned_data.get("suggestion")
        kind = suggestion.kind if suggestion else request.POST.get("kind", "stakeholder")
        if kind not in Suggestion.Kind.values:
            kind = Suggestion.Kind.STAKEHOLDER
        return _render_picker(request, worksheet, kind, form=form, status=400)
    suggestion = form.cleaned_data["suggestion"]
    row_type, row = services_library.use_suggestion(
        worksheet=worksheet,
        suggestion=suggestion,
        author=request.user,
        stakeholder=form.cleaned_data.get("stakeholder"),
        effect=form.cleaned_data.get("effect"),
    )
    messages.success(
        request,
        _("“%(title)s” was added to your worksheet. Now adapt it to your own situation.")
        % {"title": suggestion},
    )
    step = ROW_TYPES[row_type].step
    # The new row opens with its form: the suggestion is a start to adapt.
    url = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    return redirect(f"{url}?bewerken={row_type}-{row.pk}#row-{row_type}-{row.pk}")
