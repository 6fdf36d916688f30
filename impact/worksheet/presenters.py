"""What the step pages show: rows as ``RowView``s in ``RowList``s, step 5's effects as
``EffectGroup``s, the linked rows a form offers (``LinkedRowChoices``), the step's status,
and the page itself, built once per content version.

Rows show as text; a row's form is loaded when someone edits it (htmx GET of ``row_edit``,
or ``?bewerken=<type>-<id>`` on the step page without JavaScript), and the same for the
"add" forms of sub-rows (``?toevoegen=<type>-<parent id>``). Which forms are open is a dict
``open_forms``: key ``(type, row id)`` or ``(type, "new-<parent id>")``, value the bound
form and conflict to show, or ``OPEN`` for a fresh form.

A step page is two parts: the *region* (the step navigation and everything in the step's
column: hints, rows, feedback thread) and the *shell* around it (the site header with the
person's name, the breadcrumbs and the worksheet's title). Both are kept rendered in the
``fragments`` cache of the process:

- the region per worksheet, ``content_version``, step, language and role (may edit, may
  review): colleagues with the same role share it;
- the shell per person as well, with a slot where the region goes.

``Worksheet.content_version`` grows with every write to the worksheet's rows, reviews and
feedback, in the same transaction (``impact.signals``), and it is read with the worksheet
in the request's access query, so a page rendered before a colleague's save is never
served after it and checking costs no query. Neither part holds a secret: every CSRF token
is rendered as ``CSRF_SLOT`` and the request's own token is put in when the page is served.
Only a plain GET (no query string, no htmx, no pending messages for the shell) is served
from or stored in the cache; the rest renders as before.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from impact.access import is_editor, is_reviewer
from impact.feedback.views import step_thread
from impact.models import (
    Effect,
    Indicator,
    MomentChange,
    Progress,
    Result,
    Revision,
    Step,
    StepReview,
    Suggestion,
    Worksheet,
)
from impact.questionnaire.selectors import worksheet_questionnaires
from impact.rows import ROW_TYPES, RowType, heading_step, sheet_of_step, starter_kit_type
from impact.worksheet import selectors, services
from impact.worksheet.display import RowDisplay, row_display
from impact.worksheet.forms import NO_MOMENT
from impact.worksheet.health import chain_health
from impact.worksheet.history import (
    RELATED_TYPES,
    display_value,
    json_value,
    same_value,
    serialize,
)
from organisations.fields import blank_choice, parse_id

OPEN = (None, None)


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
    moment_change: MomentChange | None = None  # of an indicator measured at two moments
    display: RowDisplay | None = None
    focus: bool = False  # the keyboard goes here when htmx brings the row in
    comments: selectors.RowComments | None = None  # feedback on this row, if any

    @property
    def dom_id(self) -> str:
        return row_anchor(self.row_type, self.obj)

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
        return step_url(self.worksheet, self.row_type.step, self.dom_id, bewerken=wanted)


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
        return step_url(self.worksheet, self.row_type.step, self.dom_id, toevoegen=wanted)


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
        if "result" in self.slugs:
            moments = self.worksheet.measurement_moments.values_list("pk", "name")
            choices["moment"] = [("", NO_MOMENT), *moments]
        return choices

    def __getitem__(self, key: str) -> list:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def row_view(
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
            row_type=row_type,
            worksheet=worksheet,
            instance=obj,
            choices=choices,
            prefix=f"{row_type.slug}-{obj.pk}",
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
    for child_type in row_type.children:
        children = list(getattr(obj, child_type.accessor).all())
        view.children = row_list(
            child_type,
            worksheet,
            children,
            parent=obj,
            editable=editable,
            choices=choices,
            open_forms=open_forms,
        )
    if isinstance(obj, Indicator):
        view.latest_result = obj.latest_result()
        if view.latest_result is not None:
            view.progress = obj.progress(view.latest_result.value)
        view.moment_change = obj.moment_change()
    return view


def row_list(
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
            row_type=row_type,
            worksheet=worksheet,
            choices=choices,
            prefix=f"new-{row_type.slug}{'-' + str(parent.pk) if parent is not None else ''}",
        )
    rows = [
        row_view(
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
        add_label=str(row_type.add_label),
    )


def mark_comments(rows, counts: dict) -> None:
    """Give each row (and its sub-rows) its feedback counts; no queries."""
    for row in rows:
        row.comments = counts.get((row.row_type.slug, row.obj.pk))
        if row.children:
            mark_comments(row.children.rows, counts)


def _objects(row_type: RowType, worksheet: Worksheet, parent=None) -> list:
    """The rows of one list with what their forms and sub-rows need; two or three queries."""
    queryset = services.rows_of(row_type=row_type, worksheet=worksheet)
    if parent is not None:
        queryset = queryset.filter(**{row_type.parent: parent})
    return list(row_type.for_list(queryset))


def list_for(
    row_type: RowType, worksheet: Worksheet, parent=None, *, editable: bool, open_forms=None
) -> RowList:
    slugs = {row_type.slug}
    return row_list(
        row_type,
        worksheet,
        _objects(row_type, worksheet, parent),
        parent=parent,
        editable=editable,
        choices=LinkedRowChoices(worksheet, slugs),
        open_forms=open_forms or {},
    )


def step_lists(worksheet: Worksheet, step: int, *, editable: bool, open_forms: dict) -> dict:
    """The rows and open forms of one step page; a constant number of queries."""
    context: dict = {}
    sheet = sheet_of_step(step)
    if sheet:
        context["sheet"] = row_view(
            sheet,
            worksheet,
            worksheet,
            editable=editable,
            choices={},
            open_forms=open_forms,
        )
    main_list = heading_step(step)
    if main_list and not main_list.parent:
        context["lists"] = [
            list_for(main_list, worksheet, editable=editable, open_forms=open_forms)
        ]
    elif main_list:  # step 5: the indicators of each effect
        effects = (
            Effect.objects.filter(worksheet=worksheet)
            .select_related("stakeholder")
            .prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.prefetch_related(
                        Prefetch("results", queryset=Result.objects.select_related("moment"))
                    ),
                )
            )
        )
        context["effect_groups"] = [
            EffectGroup(
                effect,
                row_list(
                    main_list,
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


def steps_nav(worksheet: Worksheet, current: int | None) -> tuple[list[dict], dict, dict]:
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


def base_context(request: HttpRequest, worksheet: Worksheet, step: int | None) -> dict:
    nav, states, reviews = steps_nav(worksheet, step)
    return {
        "worksheet": worksheet,
        "steps_nav": nav,
        "step_states": states,
        "step_reviews": reviews,
        "editable": is_editor(request.user, worksheet),
        "reviewable": is_reviewer(request.user, worksheet),
    }


def step_status(request: HttpRequest, worksheet: Worksheet, step: int) -> dict:
    """What a step shows about itself: the navigation with every step's state, the step's
    own state and its hints. One query for the states, one per hint rule that applies, and
    the rights (asked once per request)."""
    context = base_context(request, worksheet, step)
    state = context["step_states"][step]
    context.update(
        step=step,
        review=context["step_reviews"].get(step),
        review_state=state,
        review_state_label=StepReview.State(state).label,
        warnings=chain_health(worksheet, {step}),
    )
    return context


def step_status_html(request: HttpRequest, worksheet: Worksheet, step: int) -> str:
    """The hints, the navigation and the step's state as out-of-band swaps, for the answer
    to a save in place (see ``step_status`` for its queries)."""
    context = {**step_status(request, worksheet, step), "oob": True}
    return render_to_string("impact/_step_status.html", context, request=request)


def step_context(
    request: HttpRequest, worksheet: Worksheet, step: int, *, open_forms: dict | None = None
) -> dict:
    context = step_status(request, worksheet, step)
    context.update(
        step_label=Step(step).label,
        previous_step=step - 1 if step > 1 else None,
        next_step=step + 1 if step < 6 else None,
    )
    kit = starter_kit_type(step)
    if kit:
        kind = Suggestion.Kind(kit.slug)
        context.update(suggestions_kind=kind.value, suggestions_kind_label=kind.label)
    context.update(
        step_lists(worksheet, step, editable=context["editable"], open_forms=open_forms or {})
    )
    groups = context.get("effect_groups", [])
    lists = context.get("lists", []) + [group.list for group in groups]
    if lists:
        # One query for the whole page: the feedback marker on each row.
        counts = selectors.row_comment_counts(worksheet=worksheet, step=step)
        mark_comments([row for row_list in lists for row in row_list.rows], counts)
    _unfold(groups)
    context["thread"] = step_thread(request.user, worksheet, step)
    if step == Step.INDICATORS:
        context["questionnaires"] = worksheet_questionnaires(worksheet=worksheet)
    return context


def requested_forms(request: HttpRequest) -> dict:
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


def step_url(worksheet: Worksheet, step: int, anchor: str = "", **params: str) -> str:
    # Every row of a page links to its step: reverse once per worksheet object and step.
    step_urls = worksheet.__dict__.setdefault("_step_urls", {})
    if step not in step_urls:
        step_urls[step] = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    url = step_urls[step]
    if params:
        url = f"{url}?{urlencode(params)}"
    return f"{url}#{anchor}" if anchor else url


def conflict_view(
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
    for f in ("stakeholder", "stakeholders", "activities", "moment"):
        if f in merge_form.fields and hasattr(merge_form.fields[f], "queryset"):
            for obj in merge_form.fields[f].queryset:
                names[f"{RELATED_TYPES[f]}:{obj.pk}"] = str(obj)
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


def single_row(
    rt: RowType, worksheet: Worksheet, obj: models.Model, *, editable: bool, open_forms: dict
) -> RowView:
    """One row rendered on its own (after a save, or to open or close its form)."""
    return row_view(
        rt,
        worksheet,
        obj,
        editable=editable,
        choices=LinkedRowChoices(worksheet, {rt.slug}) if rt.needs_worksheet else {},
        open_forms=open_forms,
    )


def row_anchor(rt: RowType, obj: models.Model) -> str:
    return f"row-{rt.slug}-{obj.pk}"


# The page, from the cache where it can -----------------------------------------------

# Never in a page otherwise: forms refuse NUL characters, and escaping keeps them.
CSRF_SLOT = "\x00csrf\x00"
REGION_SLOT = "\x00region\x00"
REGION_START, REGION_END = "<!--ws-region-->", "<!--/ws-region-->"
# Part of every key: a deploy that changes the templates starts with an empty cache anyway
# (the cache lives in the process), but a test run that renders twice must not mix them.
TEMPLATE_REVISION = 1


def fragments():
    return caches["fragments"]


def page_cache_on(request: HttpRequest) -> bool:
    """Whether this request is served from (and stored in) the cache: a plain GET, while
    ``IMPACTLAB_PAGE_CACHE`` is on."""
    return (
        settings.IMPACTLAB_PAGE_CACHE
        and request.method == "GET"
        and not request.GET
        and not request.htmx
    )


def _pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def role_of(request: HttpRequest, worksheet: Worksheet) -> str:
    """What the region depends on about the person: may edit, may review."""
    return f"{int(is_editor(request.user, worksheet))}{int(is_reviewer(request.user, worksheet))}"


def region_key(worksheet: Worksheet, step: int, role: str) -> str:
    """The worksheet (its id and creation time, so a re-used id never matches), its
    content version, the step, the language and the role."""
    return (
        f"ws-region:{TEMPLATE_REVISION}:{worksheet.pk}:{worksheet.created_at.timestamp()}:"
        f"{worksheet.content_version}:{step}:{get_language()}:{role}"
    )


def _shell_key(request: HttpRequest, worksheet: Worksheet, step: int, role: str) -> str:
    user = request.user
    names = "\x1f".join(
        str(value)
        for value in (
            request.path,
            user.pk,
            user.first_name,
            user.last_name,
            user.email,
            sorted(user.roles),
            worksheet.enrolment.organisation.name,
            worksheet.enrolment.cohort.name,
        )
    )
    digest = hashlib.blake2b(names.encode(), digest_size=16).hexdigest()
    return f"ws-shell:{region_key(worksheet, step, role)}:{digest}"


def _split(html: str) -> tuple[str, str]:
    """The rendered page as (shell with a slot, region)."""
    head, _start, rest = html.partition(REGION_START)
    region, _end, tail = rest.partition(REGION_END)
    return f"{head}{REGION_SLOT}{tail}", region


def step_page(
    request: HttpRequest,
    worksheet: Worksheet,
    step: int,
    *,
    build: Callable[[], dict],
    status: int = 200,
) -> HttpResponse:
    """The step page; ``build`` makes the whole context (the rows and all), and is called
    only when the region is not cached for this version, language and role."""
    template = f"impact/worksheet_step_{step}.html"
    if not page_cache_on(request) or status != 200:
        return HttpResponse(render_to_string(template, build(), request), status=status)
    cache = fragments()
    role = role_of(request, worksheet)
    key = region_key(worksheet, step, role)
    region = cache.get(key)
    keep_shell = not _pending_messages(request)
    shell_key = _shell_key(request, worksheet, step, role)
    shell = cache.get(shell_key) if keep_shell else None
    fresh_shell = shell is None
    if region is None:
        context = {**build(), "csrf_token": CSRF_SLOT, "region_markers": True}
        shell, region = _split(render_to_string(template, context, request))
        cache.set(key, region)
    elif fresh_shell:
        context = {
            "worksheet": worksheet,
            "editable": role[0] == "1",
            "step": step,
            "step_label": Step(step).label,
            "csrf_token": CSRF_SLOT,
            "region_slot": REGION_SLOT,
        }
        shell = render_to_string(template, context, request)
    if keep_shell and fresh_shell:
        cache.set(shell_key, shell)
    html = shell.replace(REGION_SLOT, region).replace(CSRF_SLOT, get_token(request))
    return HttpResponse(html)
