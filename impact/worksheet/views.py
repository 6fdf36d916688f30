"""Editing the impact worksheet: six step pages with inline rows, autosave and history.

Reading goes through ``Worksheet.objects.visible_to`` (others get 404); writing also needs
``editable_by`` (readers get 403); both through ``impact.access``. Every write works three
ways: a plain form POST that redirects, an htmx request that gets the same partial the page
renders, and an autosave request (``X-Autosave: 1``) that gets JSON. A save based on an old
version answers 409 with the person's own text beside the current one.

Rows show as text; a row's form is loaded when someone edits it (htmx GET of ``row_edit``,
or ``?bewerken=<type>-<id>`` on the step page without JavaScript), and the same for the
"add" forms of sub-rows (``?toevoegen=<type>-<parent id>``). Which forms are open is a dict
``open_forms``: key ``(type, row id)`` or ``(type, "new-<parent id>")``, value the bound
form and conflict to show, or ``OPEN`` for a fresh form.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact import notices
from impact.access import access_worksheet, is_editor, is_reviewer
from impact.feedback.views import step_thread
from impact.models import (
    Effect,
    IllegalTransition,
    Indicator,
    Progress,
    Result,
    Revision,
    Stakeholder,
    Step,
    StepReview,
    Suggestion,
    Worksheet,
)
from impact.worksheet import selectors, services
from impact.worksheet.chain import chain_svg
from impact.worksheet.data import report_worksheets, worksheet_data
from impact.worksheet.display import RowDisplay, row_display
from impact.worksheet.forms import ReviewForm
from impact.worksheet.health import chain_health
from impact.worksheet.history import (
    ROW_MODELS,
    current_state,
    diff,
    display_value,
    field_changes,
    json_value,
    names_of,
    same_value,
    serialize,
)
from impact.worksheet.services import ROW_TYPES, RowType, VersionConflict
from organisations.fields import blank_choice, parse_id
from organisations.models import Role
from trainings.models import Enrolment

# Which sub-rows are edited under a row, on the step pages.
CHILD_TYPES = {"activity": "output", "indicator": "result"}
PARENT_PREFETCH = {"activity": ("outputs",), "indicator": ("results",)}
# An entry of ``open_forms`` that asks for a fresh form (no bound data, no conflict).
OPEN = (None, None)


# Looking up rows -----------------------------------------------------------------------


def _row_type(slug: str) -> RowType:
    try:
        return ROW_TYPES[slug]
    except KeyError:
        raise Http404 from None


def _row(row_type: RowType, worksheet: Worksheet, row_id: int) -> models.Model:
    return get_object_or_404(services.rows_of(row_type, worksheet), pk=row_id)


def _is_autosave(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


# Building what the pages show -----------------------------------------------------------


@dataclass
class Conflict:
    current: models.Model
    author: str
    saved_at: object
    fields: list[dict]


@dataclass
class RowView:
    """One row: a form while it is edited (``form``), else its text (``display``)."""

    row_type: RowType
    worksheet: Worksheet
    obj: models.Model
    form: object
    editable: bool
    first: bool = False
    last: bool = False
    conflict: Conflict | None = None
    children: RowList | None = None
    progress: Progress | None = None  # of an indicator with a measured result
    latest_result: Result | None = None
    display: RowDisplay | None = None
    focus: bool = False  # the keyboard goes here when htmx brings the row in
    comments: selectors.RowComments | None = None  # feedback on this row, if any

    @property
    def dom_id(self) -> str:
        return _row_anchor(self.row_type, self.obj)

    @property
    def name(self) -> str:
        """What the row is called, for the edit link's accessible name."""
        if self.display and self.display.title:
            return self.display.title
        return str(self.row_type.model._meta.verbose_name)

    @property
    def always_open(self) -> bool:
        """The worksheet's own fields (steps 1 and 6) are the page's main form."""
        return self.row_type.model is Worksheet

    # A row's URLs all extend its own (see impact/urls.py), so a page of many rows reverses
    # one URL per row rather than seven.
    @cached_property
    def update_url(self) -> str:
        return reverse(
            "impact:row_update", args=[self.worksheet.pk, self.row_type.slug, self.obj.pk]
        )

    @property
    def edit_url(self) -> str:
        return f"{self.update_url}bewerken/"

    @property
    def delete_url(self) -> str:
        return f"{self.update_url}verwijderen/"

    @property
    def history_url(self) -> str:
        return f"{self.update_url}geschiedenis/"

    @property
    def up_url(self) -> str:
        return f"{self.update_url}verplaatsen/up/"

    @property
    def down_url(self) -> str:
        return f"{self.update_url}verplaatsen/down/"

    @property
    def edit_href(self) -> str:
        """The step page with this row's form open: the edit link without JavaScript."""
        wanted = f"{self.row_type.slug}-{self.obj.pk}"
        return _step_url(self.worksheet, self.row_type.step, self.dom_id, bewerken=wanted)


@dataclass
class RowList:
    row_type: RowType
    worksheet: Worksheet
    parent: models.Model | None
    rows: list[RowView]
    new_form: object  # None until someone asks to add a row
    editable: bool
    label: str = ""
    add_label: str = ""
    message: str = ""

    @property
    def dom_id(self) -> str:
        suffix = f"-{self.parent.pk}" if self.parent is not None else ""
        return f"list-{self.row_type.slug}{suffix}"

    @property
    def create_url(self) -> str:
        url = reverse("impact:row_create", args=[self.worksheet.pk, self.row_type.slug])
        return f"{url}?parent={self.parent.pk}" if self.parent is not None else url

    @property
    def add_href(self) -> str:
        """The step page with this list's add form open: the add link without JavaScript."""
        wanted = self.row_type.slug + (f"-{self.parent.pk}" if self.parent is not None else "")
        return _step_url(self.worksheet, self.row_type.step, self.dom_id, toevoegen=wanted)


@dataclass
class EffectGroup:
    """Step 5: one effect with its indicators, folded away unless there is a reason to
    show it (see ``_unfold``)."""

    effect: Effect
    list: RowList
    open: bool = True

    # Reads as the pair ``(effect, list)`` that step 5 had before it folded.
    def __iter__(self):
        return iter((self.effect, self.list))

    def __getitem__(self, index: int):
        return (self.effect, self.list)[index]

    @property
    def indicator_count(self) -> int:
        return len(self.list.rows)

    @property
    def result_count(self) -> int:
        return sum(len(row.children.rows) for row in self.list.rows if row.children)

    @property
    def open_comments(self) -> int:
        return sum(row.comments.open for row in _rows_within(self.list.rows) if row.comments)

    @property
    def editing(self) -> bool:
        """Whether a form is open in it: a row being edited, or an add form."""
        lists = [self.list, *(row.children for row in self.list.rows if row.children)]
        return any(lst.new_form for lst in lists) or any(
            row.form for row in _rows_within(self.list.rows)
        )


# A step 5 with no more indicators and results than this shows every effect unfolded.
SHORT_STEP_ROWS = 8


def _rows_within(rows):
    for row in rows:
        yield row
        if row.children:
            yield from row.children.rows


def _unfold(groups: list[EffectGroup]) -> None:
    """Fold a long step 5 per effect; an effect stays open while it has no indicator yet,
    is edited or has open feedback. No queries."""
    rows = sum(group.indicator_count + group.result_count for group in groups)
    for group in groups:
        group.open = (
            rows <= SHORT_STEP_ROWS
            or group.indicator_count == 0  # where an indicator is still to be added
            or group.editing
            or group.open_comments > 0
        )


ADD_LABELS = {
    "targetgroup": gettext_lazy("Add a target group"),
    "stakeholder": gettext_lazy("Add a stakeholder"),
    "activity": gettext_lazy("Add an activity"),
    "output": gettext_lazy("Add an output"),
    "effect": gettext_lazy("Add an effect"),
    "indicator": gettext_lazy("Add an indicator"),
    "result": gettext_lazy("Add a result"),
}


def _add_label(slug: str) -> str:
    return str(ADD_LABELS[slug])


class LinkedRowChoices(Mapping):
    """Choices of linked rows, built once for all forms of the page (a query per kind), and
    only when a form asks: rows that show as text need none."""

    def __init__(self, worksheet: Worksheet, slugs: set[str]) -> None:
        self.worksheet, self.slugs = worksheet, slugs

    @cached_property
    def _data(self) -> dict:
        choices: dict = {}
        if self.slugs & {"activity", "effect"}:
            stakeholders = list(self.worksheet.stakeholders.values_list("pk", "name"))
            choices["stakeholders"] = stakeholders
            choices["stakeholder"] = [*blank_choice(), *stakeholders]
        if "effect" in self.slugs:
            choices["activities"] = list(self.worksheet.activities.values_list("pk", "title"))
        return choices

    def __getitem__(self, key: str) -> list:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _latest_result(indicator: Indicator):
    """The latest result with a value (dated ones last by date), from prefetched results."""
    results = [r for r in indicator.results.all() if r.value is not None]
    if not results:
        return None
    return max(results, key=lambda r: (r.measured_on is not None, r.measured_on, r.pk))


def _row_view(
    row_type: RowType,
    worksheet: Worksheet,
    obj: models.Model,
    *,
    editable: bool,
    choices: dict,
    open_forms: dict,
    first: bool = False,
    last: bool = False,
) -> RowView:
    key = (row_type.slug, obj.pk)
    form, conflict = open_forms.get(key, OPEN)
    editing = editable and (key in open_forms or row_type.model is Worksheet)
    if editing and form is None:
        form = services.make_form(
            row_type, worksheet, instance=obj, choices=choices, prefix=f"{row_type.slug}-{obj.pk}"
        )
    view = RowView(
        row_type,
        worksheet,
        obj,
        form if editing else None,
        editable,
        first=first,
        last=last,
        conflict=conflict,
        display=None if editing else row_display(row_type.slug, row_type.form, obj),
    )
    child_slug = CHILD_TYPES.get(row_type.slug)
    if child_slug:
        children = list(getattr(obj, PARENT_PREFETCH[row_type.slug][0]).all())
        view.children = _row_list(
            ROW_TYPES[child_slug],
            worksheet,
            children,
            parent=obj,
            editable=editable,
            choices=choices,
            open_forms=open_forms,
        )
    if isinstance(obj, Indicator):
        view.latest_result = _latest_result(obj)
        if view.latest_result is not None:
            view.progress = obj.progress(view.latest_result.value)
    return view


def _row_list(
    row_type: RowType,
    worksheet: Worksheet,
    objs: list,
    *,
    parent: models.Model | None = None,
    editable: bool,
    choices: dict,
    open_forms: dict,
) -> RowList:
    key = (row_type.slug, f"new-{parent.pk if parent is not None else ''}")
    new_form, _conflict = open_forms.get(key, OPEN)
    # An add form loads when asked for; an empty main list shows its form straight away.
    open_add = key in open_forms or (not objs and parent is None)
    if new_form is None and editable and open_add:
        new_form = services.make_form(
            row_type,
            worksheet,
            choices=choices,
            prefix=f"new-{row_type.slug}{'-' + str(parent.pk) if parent is not None else ''}",
        )
    rows = [
        _row_view(
            row_type,
            worksheet,
            obj,
            editable=editable,
            choices=choices,
            open_forms=open_forms,
            first=i == 0,
            last=i == len(objs) - 1,
        )
        for i, obj in enumerate(objs)
    ]
    return RowList(
        row_type,
        worksheet,
        parent,
        rows,
        new_form,
        editable,
        label=str(row_type.model._meta.verbose_name_plural),
        add_label=_add_label(row_type.slug),
    )


def _mark_comments(rows, counts: dict) -> None:
    """Give each row (and its sub-rows) its feedback counts; no queries."""
    for row in rows:
        row.comments = counts.get((row.row_type.slug, row.obj.pk))
        if row.children:
            _mark_comments(row.children.rows, counts)


def _objects(row_type: RowType, worksheet: Worksheet, parent=None) -> list:
    """The rows of one list with what their forms and sub-rows need; two or three queries."""
    queryset = services.rows_of(row_type, worksheet)
    if parent is not None:
        queryset = queryset.filter(**{row_type.parent: parent})
    if row_type.slug == "activity":
        queryset = queryset.prefetch_related("stakeholders", "outputs")
    elif row_type.slug == "effect":
        queryset = queryset.select_related("stakeholder").prefetch_related("activities")
    elif row_type.slug == "indicator":
        queryset = queryset.prefetch_related("results")
    elif row_type.slug == "stakeholder":
        queryset = queryset.annotate(effect_count=Count("effects"))
    return list(queryset)


def _list_for(
    row_type: RowType, worksheet: Worksheet, parent=None, *, editable: bool, open_forms=None
) -> RowList:
    slugs = {row_type.slug}
    return _row_list(
        row_type,
        worksheet,
        _objects(row_type, worksheet, parent),
        parent=parent,
        editable=editable,
        choices=LinkedRowChoices(worksheet, slugs),
        open_forms=open_forms or {},
    )


def _step_lists(worksheet: Worksheet, step: int, *, editable: bool, open_forms: dict) -> dict:
    """The rows and open forms of one step page; a constant number of queries."""
    context: dict = {}
    if step in (Step.SCOPE, Step.LEARNING):
        slug = "scope" if step == Step.SCOPE else "learning"
        context["sheet"] = _row_view(
            ROW_TYPES[slug],
            worksheet,
            worksheet,
            editable=editable,
            choices={},
            open_forms=open_forms,
        )
    main_list = {
        Step.SCOPE: "targetgroup",
        Step.STAKEHOLDERS: "stakeholder",
        Step.ACTIVITIES: "activity",
        Step.EFFECTS: "effect",
    }.get(step)
    if main_list:
        context["lists"] = [
            _list_for(ROW_TYPES[main_list], worksheet, editable=editable, open_forms=open_forms)
        ]
    elif step == Step.INDICATORS:
        effects = (
            Effect.objects.filter(worksheet=worksheet)
            .select_related("stakeholder")
            .prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("results"))
            )
        )
        context["effect_groups"] = [
            EffectGroup(
                effect,
                _row_list(
                    ROW_TYPES["indicator"],
                    worksheet,
                    list(effect.indicators.all()),
                    parent=effect,
                    editable=editable,
                    choices={},
                    open_forms=open_forms,
                ),
            )
            for effect in effects
        ]
    return context


def _steps_nav(worksheet: Worksheet, current: int | None) -> tuple[list[dict], dict, dict]:
    """Each step with its review state, for the step navigation, and the reviews by step
    (with who changed them, for the step page); one query."""
    reviews = {
        review.step: review
        for review in StepReview.objects.filter(worksheet=worksheet).select_related("changed_by")
    }
    states = {
        step: reviews[step].state if step in reviews else StepReview.State.NOT_STARTED
        for step in Step.values
    }
    labels = dict(StepReview.State.choices)
    nav = [
        {
            "number": step.value,
            "label": step.label,
            "state": states[step.value],
            "state_label": labels[states[step.value]],
            "url": reverse("impact:worksheet_step", args=[worksheet.pk, step.value]),
            "current": step.value == current,
        }
        for step in Step
    ]
    return nav, states, reviews


def _base_context(request: HttpRequest, worksheet: Worksheet, step: int | None) -> dict:
    nav, states, reviews = _steps_nav(worksheet, step)
    return {
        "worksheet": worksheet,
        "steps_nav": nav,
        "step_states": states,
        "step_reviews": reviews,
        "editable": is_editor(request.user, worksheet),
        "reviewable": is_reviewer(request.user, worksheet),
    }


def _step_status(request: HttpRequest, worksheet: Worksheet, step: int) -> dict:
    """What a step shows about itself: the navigation with every step's state, the step's
    own state and its hints. One query for the states, one per hint rule that applies, and
    the rights (asked once per request)."""
    context = _base_context(request, worksheet, step)
    state = context["step_states"][step]
    context.update(
        step=step,
        review=context["step_reviews"].get(step),
        review_state=state,
        review_state_label=StepReview.State(state).label,
        warnings=chain_health(worksheet, {step}),
    )
    return context


def _step_status_html(request: HttpRequest, worksheet: Worksheet, step: int) -> str:
    """The hints, the navigation and the step's state as out-of-band swaps, for the answer
    to a save in place (see ``_step_status`` for its queries)."""
    context = {**_step_status(request, worksheet, step), "oob": True}
    return render_to_string("impact/_step_status.html", context, request=request)


def _step_context(
    request: HttpRequest, worksheet: Worksheet, step: int, *, open_forms: dict | None = None
) -> dict:
    context = _step_status(request, worksheet, step)
    context.update(
        step_label=Step(step).label,
        previous_step=step - 1 if step > 1 else None,
        next_step=step + 1 if step < 6 else None,
    )
    kind = {2: "stakeholder", 4: "effect", 5: "indicator"}.get(step)
    if kind:
        context.update(suggestions_kind=kind, suggestions_kind_label=Suggestion.Kind(kind).label)
    context.update(
        _step_lists(worksheet, step, editable=context["editable"], open_forms=open_forms or {})
    )
    groups = context.get("effect_groups", [])
    lists = context.get("lists", []) + [group.list for group in groups]
    if lists:
        # One query for the whole page: the feedback marker on each row.
        counts = selectors.row_comment_counts(worksheet, step)
        _mark_comments([row for row_list in lists for row in row_list.rows], counts)
    _unfold(groups)
    context["thread"] = step_thread(request.user, worksheet, step)
    return context


def _render_step(
    request: HttpRequest, worksheet: Worksheet, step: int, *, open_forms=None, status: int = 200
) -> HttpResponse:
    context = _step_context(request, worksheet, step, open_forms=open_forms)
    return render(request, f"impact/worksheet_step_{step}.html", context, status=status)


def _requested_forms(request: HttpRequest) -> dict:
    """The forms a step page opens on request: ``?bewerken=effect-12`` opens that row,
    ``?toevoegen=output-5`` the add form under row 5 (the links that work without
    JavaScript). Anything else is ignored."""

    open_forms = {}
    slug, _dash, row_id = request.GET.get("bewerken", "").partition("-")
    if slug in ROW_TYPES and (parsed := parse_id(row_id)) is not None:
        open_forms[(slug, parsed)] = OPEN
    slug, _dash, parent_id = request.GET.get("toevoegen", "").partition("-")
    if slug in ROW_TYPES and parent_id == "":
        open_forms[(slug, "new-")] = OPEN
    elif slug in ROW_TYPES and (parsed := parse_id(parent_id)) is not None:
        open_forms[(slug, f"new-{parsed}")] = OPEN
    return open_forms


def _step_url(worksheet: Worksheet, step: int, anchor: str = "", **params: str) -> str:
    # Every row of a page links to its step: reverse once per worksheet object and step.
    step_urls = worksheet.__dict__.setdefault("_step_urls", {})
    if step not in step_urls:
        step_urls[step] = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    url = step_urls[step]
    if params:
        url = f"{url}?{urlencode(params)}"
    return f"{url}#{anchor}" if anchor else url


# Pages ----------------------------------------------------------------------------------


@login_required
def worksheet_open(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    """Open (and on first use create) the worksheet of an enrolment."""
    user = request.user
    enrolments = Enrolment.objects.all()
    if not user.is_coordinator:
        enrolments = enrolments.filter(
            Q(cohort__trainers=user)
            | Q(
                organisation__memberships__person=user,
                organisation__memberships__role=Role.PARTICIPANT,
            )
        ).distinct()
    enrolment = get_object_or_404(enrolments, pk=enrolment_pk)
    worksheet = services.worksheet_for(enrolment)
    return redirect(worksheet)


@login_required
def worksheet_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The worksheet's start page: the steps, their state and the chain's weak links."""
    worksheet = access_worksheet(request.user, pk)
    context = _base_context(request, worksheet, None)
    warnings = chain_health(worksheet)
    for item in context["steps_nav"]:
        item["warnings"] = [w for w in warnings if w.step == item["number"]]
    # The same diagram as in the PDF report, from the same prefetched data (constant queries);
    # the row counts of the step cards come from that data too.
    data = worksheet_data(report_worksheets().get(pk=worksheet.pk))
    chain = chain_svg(data)
    counts = {
        "targetgroup": len(data["target_groups"]),
        "stakeholder": len(data["stakeholders"]),
        "activity": len(data["activities"]),
        "effect": len(data["effects"]),
        "indicator": sum(len(effect["indicators"]) for effect in data["effects"]),
    }
    context.update(
        counts=counts,
        warnings=warnings,
        chain_svg=chain,
        state_choices=StepReview.State.choices,
        on_overview=True,
    )
    return render(request, "impact/worksheet_overview.html", context)


@login_required
def worksheet_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    if step not in Step.values:
        raise Http404
    worksheet = access_worksheet(request.user, pk)
    if request.method == "POST":
        # The step-1 and step-6 forms post here too when JavaScript is off.
        slug = {Step.SCOPE: "scope", Step.LEARNING: "learning"}.get(step)
        if not slug:
            return HttpResponse(status=405)
        return row_update(request, pk, slug, worksheet.pk)
    return _render_step(request, worksheet, step, open_forms=_requested_forms(request))


# Writing rows ---------------------------------------------------------------------------


def _saved_json(request: HttpRequest, worksheet: Worksheet, rt: RowType, obj) -> JsonResponse:
    """The new version and time, and the step's hints and states as they are now (their
    HTML, which the page puts in place where it changed)."""
    saved_at = timezone.localtime(obj.updated_at)
    return JsonResponse(
        {
            "status": "saved",
            "version": obj.version,
            "saved_at": saved_at.isoformat(),
            "saved_at_display": formats.time_format(saved_at, "H:i"),
            "step_status": _step_status_html(request, worksheet, rt.step),
        }
    )


def _conflict(
    row_type: RowType, worksheet: Worksheet, form, current: models.Model
) -> tuple[object, Conflict]:
    """The person's own text beside the saved one, and a form to save a merged version."""
    theirs = serialize(current)
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current.version)
    # Validating a model form writes its data onto the instance: give it a copy.
    merge_form = type(form)(
        data=data,
        instance=copy.copy(current),
        prefix=form.prefix,
        **({"worksheet": worksheet} if row_type.needs_worksheet else {}),
    )
    merge_form.is_valid()
    names = {}
    for f in ("stakeholder", "stakeholders", "activities"):
        if f in merge_form.fields and hasattr(merge_form.fields[f], "queryset"):
            related = "stakeholder" if f.startswith("stakeholder") else "activity"
            for obj in merge_form.fields[f].queryset:
                names[f"{related}:{obj.pk}"] = str(obj)
    fields = []
    for name in row_type.form._meta.fields:
        bound_field = merge_form[name]
        mine_raw = merge_form.cleaned_data.get(name) if merge_form.is_bound else None
        mine = json_value(mine_raw)
        model = type(current)
        if same_value(model, name, mine, theirs.get(name)):
            continue
        is_text = isinstance(theirs.get(name), str) and not getattr(
            model._meta.get_field(name), "choices", None
        )
        fields.append(
            {
                "name": name,
                "label": bound_field.label,
                "mine": display_value(model, name, mine, names),
                "theirs": display_value(model, name, theirs.get(name), names),
                "theirs_raw": theirs.get(name) if is_text else None,
                "input_id": bound_field.auto_id,
            }
        )
    latest = (
        Revision.objects.filter(row_type=row_type.revision_type, row_id=current.pk)
        .select_related("author")
        .first()
    )
    author = ""
    if latest and latest.author:
        author = latest.author.get_full_name() or latest.author.email
    return merge_form, Conflict(
        current, author, latest.created_at if latest else current.updated_at, fields
    )


def _row_partial(
    request: HttpRequest,
    row: RowView,
    status: int = 200,
    *,
    focus: bool = False,
    changed: bool = False,
) -> HttpResponse:
    """The row; after a change (``changed``) also the step's hints and states, out of band.
    One query for the row's feedback marker."""
    if not row.always_open:
        _mark_comments([row], selectors.row_comment_counts(row.worksheet, row.row_type.step))
    response = render(request, "impact/_row.html", {"row": row, "focus": focus}, status=status)
    if changed:
        response.write(_step_status_html(request, row.worksheet, row.row_type.step))
    return response


def _list_partial(
    request: HttpRequest,
    row_list: RowList,
    status: int = 200,
    *,
    focus: bool = False,
    changed: bool = False,
) -> HttpResponse:
    """The list; after a change (``changed``) also the step's hints and states, out of band.
    One query for the rows' feedback markers."""
    if row_list.rows:
        counts = selectors.row_comment_counts(row_list.worksheet, row_list.row_type.step)
        _mark_comments(row_list.rows, counts)
    context = {"list": row_list, "focus": focus}
    response = render(request, "impact/_row_list.html", context, status=status)
    if changed:
        response.write(_step_status_html(request, row_list.worksheet, row_list.row_type.step))
    return response


def _single_row(
    rt: RowType, worksheet: Worksheet, obj: models.Model, *, editable: bool, open_forms: dict
) -> RowView:
    """One row rendered on its own (after a save, or to open or close its form)."""
    return _row_view(
        rt,
        worksheet,
        obj,
        editable=editable,
        choices=LinkedRowChoices(worksheet, {rt.slug}) if rt.needs_worksheet else {},
        open_forms=open_forms,
    )


def _form_errors_json(form) -> JsonResponse:
    errors = {
        form[name].auto_id if name in form.fields else "__all__": [str(e) for e in errs]
        for name, errs in form.errors.items()
    }
    return JsonResponse({"status": "invalid", "errors": errors}, status=422)


def _row_anchor(rt: RowType, obj: models.Model) -> str:
    return f"row-{rt.slug}-{obj.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def row_update(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """GET: the row as text (htmx; closes its form). POST: save the row's form."""
    rt = _row_type(row_type)
    if request.method == "GET":
        worksheet = access_worksheet(request.user, pk)
        obj = _row(rt, worksheet, row_id)
        if not request.htmx:
            return redirect(_step_url(worksheet, rt.step, _row_anchor(rt, obj)))
        editable = is_editor(request.user, worksheet)
        view = _single_row(rt, worksheet, obj, editable=editable, open_forms={})
        return _row_partial(request, view, focus=True)
    worksheet = access_worksheet(request.user, pk, edit=True)
    obj = _row(rt, worksheet, row_id)
    key = (rt.slug, obj.pk)
    form = services.make_form(
        rt, worksheet, data=request.POST, instance=obj, prefix=f"{key[0]}-{key[1]}"
    )
    if not form.is_valid():
        if _is_autosave(request):
            return _form_errors_json(form)
        open_forms = {key: (form, None)}
        if request.htmx:
            view = _single_row(rt, worksheet, obj, editable=True, open_forms=open_forms)
            return _row_partial(request, view, status=422)
        return _render_step(request, worksheet, rt.step, open_forms=open_forms, status=422)
    try:
        saved = services.update_row(
            worksheet=worksheet, row_type=rt, form=form, author=request.user
        )
    except VersionConflict as conflict:
        if conflict.current is None:
            messages.error(request, _("This row was removed by someone else in the meantime."))
            return _redirect(request, _step_url(worksheet, rt.step))
        merge_form, details = _conflict(rt, worksheet, form, conflict.current)
        open_forms = {key: (merge_form, details)}
        if _is_autosave(request) or request.htmx:
            view = _single_row(
                rt, worksheet, conflict.current, editable=True, open_forms=open_forms
            )
            return _row_partial(request, view, status=409)
        return _render_step(request, worksheet, rt.step, open_forms=open_forms, status=409)
    if _is_autosave(request):
        return _saved_json(request, worksheet, rt, saved)
    # "Done" closes the form; "Save" keeps it open.
    done = "done" in request.POST
    if request.htmx:
        open_forms = {} if done else {key: OPEN}
        view = _single_row(rt, worksheet, saved, editable=True, open_forms=open_forms)
        return _row_partial(request, view, focus=done, changed=True)
    messages.success(request, _("Saved."))
    if done or rt.model is Worksheet:
        return redirect(_step_url(worksheet, rt.step, _row_anchor(rt, saved)))
    return redirect(
        _step_url(worksheet, rt.step, _row_anchor(rt, saved), bewerken=f"{rt.slug}-{saved.pk}")
    )


@login_required
@require_GET
def row_edit(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """The row's form (htmx), or the step page with it open."""
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk, edit=True)
    obj = _row(rt, worksheet, row_id)
    if not request.htmx:
        return redirect(
            _step_url(worksheet, rt.step, _row_anchor(rt, obj), bewerken=f"{rt.slug}-{obj.pk}")
        )
    view = _single_row(rt, worksheet, obj, editable=True, open_forms={(rt.slug, obj.pk): OPEN})
    return _row_partial(request, view, focus=True)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _parent(rt: RowType, worksheet: Worksheet, raw: str | None) -> models.Model | None:
    if not rt.parent:
        return None
    parent_rt = ROW_TYPES[rt.parent_type]
    parent_id = parse_id(raw)
    if parent_id is None:
        raise Http404
    return get_object_or_404(services.rows_of(parent_rt, worksheet), pk=parent_id)


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request: HttpRequest, pk: int, row_type: str) -> HttpResponse:
    """GET: the list with its add form open (htmx), or the step page so. POST: add a row,
    then show it with its form open for the rest of its fields."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True)
    parent = _parent(rt, worksheet, request.GET.get("parent") or request.POST.get("parent"))
    list_key = (rt.slug, f"new-{parent.pk if parent is not None else ''}")
    if request.method == "GET":
        row_list = _list_for(rt, worksheet, parent, editable=True, open_forms={list_key: OPEN})
        if not request.htmx:
            return redirect(row_list.add_href)
        return _list_partial(request, row_list, focus=True)
    prefix = f"new-{rt.slug}{'-' + str(parent.pk) if parent is not None else ''}"
    form = services.make_form(rt, worksheet, data=request.POST, prefix=prefix)
    if not form.is_valid():
        open_forms = {list_key: (form, None)}
        if request.htmx:
            row_list = _list_for(rt, worksheet, parent, editable=True, open_forms=open_forms)
            return _list_partial(request, row_list, status=422, focus=True)
        return _render_step(request, worksheet, rt.step, open_forms=open_forms, status=422)
    obj = services.create_row(
        worksheet=worksheet, row_type=rt, form=form, parent=parent, author=request.user
    )
    open_forms = {(rt.slug, obj.pk): OPEN}
    if request.htmx:
        row_list = _list_for(rt, worksheet, parent, editable=True, open_forms=open_forms)
        for row in row_list.rows:
            row.focus = row.obj.pk == obj.pk
        return _list_partial(request, row_list, changed=True)
    messages.success(request, _("Added."))
    return redirect(
        _step_url(worksheet, rt.step, _row_anchor(rt, obj), bewerken=f"{rt.slug}-{obj.pk}")
    )


@login_required
def row_delete(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """GET asks for confirmation (and says what goes with the row); POST removes it."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True)
    obj = _row(rt, worksheet, row_id)
    effects = list(obj.effects.all()) if isinstance(obj, Stakeholder) else []
    confirmed = request.POST.get("confirm") == "1"
    if request.method != "POST" or (effects and not confirmed):
        if request.method == "POST" and request.htmx:
            return _redirect(request, request.path)
        context = {
            "worksheet": worksheet,
            "row_type": rt,
            "obj": obj,
            "effects": effects,
            "type_label": rt.model._meta.verbose_name,
            "step_url": _step_url(worksheet, rt.step),
        }
        return render(request, "impact/row_confirm_delete.html", context)
    try:
        version = int(request.POST.get(f"{rt.slug}-{obj.pk}-version") or request.POST["version"])
    except (KeyError, ValueError):
        version = None
    parent = getattr(obj, rt.parent) if rt.parent else None
    try:
        services.delete_row(
            worksheet=worksheet, row_type=rt, obj=obj, version=version, author=request.user
        )
    except VersionConflict:
        message = _("Someone changed this row after you opened it. Look at it again first.")
        if request.htmx:
            row_list = _list_for(rt, worksheet, parent, editable=True)
            row_list.message = message
            return _list_partial(request, row_list, status=409)
        messages.error(request, message)
        return redirect(_step_url(worksheet, rt.step, _row_anchor(rt, obj)))
    if request.htmx and not effects:
        row_list = _list_for(rt, worksheet, parent, editable=True)
        return _list_partial(request, row_list, changed=True)
    messages.success(request, _("Removed."))
    return _redirect(request, _step_url(worksheet, rt.step))


@login_required
@require_POST
def row_move(
    request: HttpRequest, pk: int, row_type: str, row_id: int, direction: str
) -> HttpResponse:
    rt = _row_type(row_type)
    if not rt.orderable or direction not in ("up", "down"):
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True)
    obj = _row(rt, worksheet, row_id)
    services.move_row(worksheet=worksheet, row_type=rt, obj=obj, up=direction == "up")
    parent = getattr(obj, rt.parent) if rt.parent else None
    if request.htmx:
        row_list = _list_for(rt, worksheet, parent, editable=True)
        return _list_partial(request, row_list, changed=True)
    return redirect(_step_url(worksheet, rt.step, _row_anchor(rt, obj)))


# History --------------------------------------------------------------------------------


@login_required
def worksheet_history(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed since a session (the latest that ended, unless another is chosen)."""
    worksheet = access_worksheet(request.user, pk)
    context = _base_context(request, worksheet, None)
    # A session that ended before take_snapshots ran is folded from the revisions here,
    # without storing it: a GET never writes.
    snapshots = services.session_snapshots(worksheet)
    chosen = None
    if request.GET.get("since"):
        chosen = next((s for s in snapshots if str(s.session_id) == request.GET["since"]), None)
    chosen = chosen or (snapshots[0] if snapshots else None)
    now = current_state(worksheet)
    before = services.snapshot_rows(chosen) if chosen else {}
    changes = diff(before, now) if chosen else []
    revisions = list(worksheet.revisions.select_related("author")[:30])
    names = names_of(now, before)
    for revision in revisions:
        key = f"{revision.row_type}:{revision.row_id}"
        revision.label = names.get(key, "")
    context.update(
        snapshots=snapshots,
        chosen=chosen,
        changes=changes,
        changes_by_step=_group_by_step(changes),
        revisions=revisions,
    )
    return render(request, "impact/worksheet_history.html", context)


def _group_by_step(changes) -> list[tuple[int, str, list]]:
    groups: dict[int, list] = {}
    for change in changes:
        # The worksheet's own fields are edited through the step-1 or step-6 form.
        change.row_type = (
            {Step.SCOPE: "scope", Step.LEARNING: "learning"}.get(change.step, "scope")
            if change.row_type == "worksheet"
            else change.row_type
        )
        groups.setdefault(change.step, []).append(change)
    return [(step, Step(step).label, rows) for step, rows in sorted(groups.items())]


@login_required
def row_history(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """Every saved version of one row, each with what changed; restore buttons for editors."""
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk)
    revisions = list(
        worksheet.revisions.filter(row_type=rt.revision_type, row_id=row_id)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    if not revisions and not services.rows_of(rt, worksheet).filter(pk=row_id).exists():
        raise Http404
    current = services.rows_of(rt, worksheet).filter(pk=row_id).first()
    model = ROW_MODELS[rt.revision_type]
    names = names_of(current_state(worksheet))
    fields_in_form = set(rt.form._meta.fields)
    previous: dict = {}
    shown = []
    for revision in revisions:
        data = {k: v for k, v in revision.data.items() if k in fields_in_form}
        revision.changes = field_changes(model, previous, data, names)
        previous = data
        # A worksheet revision of the other step changes nothing on this one.
        if revision.changes or revision.action != Revision.Action.UPDATE:
            shown.append(revision)
    revisions = shown[::-1]
    context = _base_context(request, worksheet, rt.step)
    context.update(
        row_type=rt,
        row_id=row_id,
        current=current,
        revisions=revisions,
        type_label=rt.model._meta.verbose_name,
        # The row may be removed: its anchor comes from the id in the URL.
        step_url=_step_url(worksheet, rt.step, f"row-{rt.slug}-{row_id}"),
    )
    return render(request, "impact/row_history.html", context)


@login_required
@require_POST
def row_restore(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk, edit=True)
    obj = _row(rt, worksheet, row_id)
    revision_id = parse_id(request.POST.get("revision"))
    if revision_id is None:
        raise Http404
    revision = get_object_or_404(
        worksheet.revisions.filter(row_type=rt.revision_type, row_id=obj.pk), pk=revision_id
    )
    field_name = request.POST.get("field") or None
    if field_name and field_name not in rt.form._meta.fields:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.restore_revision(
            worksheet=worksheet,
            row_type=rt,
            obj=obj,
            revision=revision,
            version=version,
            author=request.user,
            field_name=field_name,
        )
    except VersionConflict:
        messages.error(request, _("Someone changed this row after you opened it. Look again."))
        return redirect(reverse("impact:row_history", args=[pk, rt.slug, obj.pk]))
    messages.success(request, _("The earlier version is back."))
    return redirect(_step_url(worksheet, rt.step, _row_anchor(rt, obj)))


@login_required
@require_POST
def row_put_back(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """Put a removed row back, with the rows that were removed along with it."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True)
    if not worksheet.revisions.filter(row_type=rt.revision_type, row_id=row_id).exists():
        raise Http404
    try:
        restored = services.restore_removed_row(
            worksheet=worksheet, row_type=rt, row_id=row_id, author=request.user
        )
    except services.CannotRestore as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("impact:row_history", args=[pk, rt.slug, row_id]))
    others = len(restored) - 1
    if others:
        messages.success(
            request,
            ngettext(
                "The row is back, with %(count)s row that was removed along with it.",
                "The row is back, with %(count)s rows that were removed along with it.",
                others,
            )
            % {"count": others},
        )
    else:
        messages.success(request, _("The row is back."))
    anchor = _row_anchor(rt, restored[0])
    return redirect(_step_url(worksheet, rt.step, anchor, bewerken=f"{rt.slug}-{row_id}"))


# Review ---------------------------------------------------------------------------------

REVIEW_ACTIONS = {
    "submit": "submit",
    "approve": "approve",
    "return": "return_for_revision",
    "reopen": "reopen",
}


@login_required
@require_POST
def step_review(request: HttpRequest, pk: int, step: int, action: str) -> HttpResponse:
    if step not in Step.values or action not in REVIEW_ACTIONS:
        raise Http404
    worksheet = access_worksheet(request.user, pk)
    can_edit = is_editor(request.user, worksheet)
    can_review = is_reviewer(request.user, worksheet)
    state = StepReview.objects.states_for([worksheet])[worksheet.pk][step]
    allowed = {
        "submit": can_edit,
        "approve": can_review,
        "return": can_review,
        "reopen": can_review or (can_edit and state == StepReview.State.SUBMITTED),
    }[action]
    if not allowed:
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # A note that is too long or holds NUL characters: say why, change nothing.
        for error in form.errors.get("note", []):
            messages.error(request, error)
        return _redirect(request, _step_url(worksheet, step))
    review = StepReview.for_step(worksheet, step)
    note = form.cleaned_data["note"]
    try:
        getattr(review, REVIEW_ACTIONS[action])(by=request.user, note=note)
    except IllegalTransition:
        messages.error(request, _("This step cannot make that move from its current state."))
        return _redirect(request, _step_url(worksheet, step))
    notices.step_moved(review=review, action=action, by=request.user)
    messages.success(
        request,
        _("Step %(step)s is now: %(state)s.") % {"step": step, "state": review.get_state_display()},
    )
    return _redirect(request, _step_url(worksheet, step))
