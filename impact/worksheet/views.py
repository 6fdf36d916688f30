"""Editing the impact worksheet: six step pages with inline rows, autosave and history.

The views are thin: what a page shows is built in ``impact.worksheet.presenters``, what a
write does in ``impact.worksheet.services``. Reading goes through ``access_worksheet``
(others get 404); writing needs the right to edit (readers get 403).

Every write works three ways, and ``_answer`` answers them alike: a plain form POST gets
the step page with the same forms open (or a redirect after a save), an htmx request gets
the row or list as the page renders it, and an autosave request (``X-Autosave: 1``) gets
JSON once saved. A save based on an old version answers 409 with the person's own text
beside the current one. ``worksheet_step`` (the step-1 and step-6 forms without
JavaScript) and ``row_update`` save through the same ``_save``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact import notices
from impact.access import access_worksheet, is_editor, is_reviewer
from impact.models import IllegalTransition, Revision, Stakeholder, Step, StepReview, Worksheet
from impact.rows import ROW_TYPES, RowType, sheet_of_step
from impact.worksheet import presenters, selectors, services
from impact.worksheet.chain import chain_svg
from impact.worksheet.data import report_worksheets, worksheet_data
from impact.worksheet.forms import ReviewForm
from impact.worksheet.health import chain_health
from impact.worksheet.history import (
    current_state,
    diff,
    field_changes,
    moment_names,
    names_of,
)
from impact.worksheet.presenters import OPEN, RowList, RowView, row_anchor, step_url
from impact.worksheet.services import VersionConflict
from organisations.fields import parse_id
from organisations.models import Role
from trainings.models import Enrolment

# Looking up rows -----------------------------------------------------------------------


def _row_type(slug: str) -> RowType:
    try:
        return ROW_TYPES[slug]
    except KeyError:
        raise Http404 from None


def _row(row_type: RowType, worksheet: Worksheet, row_id: int) -> models.Model:
    return get_object_or_404(services.rows_of(row_type=row_type, worksheet=worksheet), pk=row_id)


def _parent(rt: RowType, worksheet: Worksheet, raw: str | None) -> models.Model | None:
    if not rt.parent:
        return None
    parent_rt = ROW_TYPES[rt.parent_type]
    parent_id = parse_id(raw)
    if parent_id is None:
        raise Http404
    return get_object_or_404(
        services.rows_of(row_type=parent_rt, worksheet=worksheet), pk=parent_id
    )


def _is_autosave(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


# Answering -----------------------------------------------------------------------------


def _render_step(
    request: HttpRequest, worksheet: Worksheet, step: int, *, open_forms=None, status: int = 200
) -> HttpResponse:
    context = presenters.step_context(request, worksheet, step, open_forms=open_forms)
    return render(request, f"impact/worksheet_step_{step}.html", context, status=status)


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
        counts = selectors.row_comment_counts(worksheet=row.worksheet, step=row.row_type.step)
        presenters.mark_comments([row], counts)
    response = render(request, "impact/_row.html", {"row": row, "focus": focus}, status=status)
    if changed:
        response.write(presenters.step_status_html(request, row.worksheet, row.row_type.step))
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
        counts = selectors.row_comment_counts(
            worksheet=row_list.worksheet, step=row_list.row_type.step
        )
        presenters.mark_comments(row_list.rows, counts)
    context = {"list": row_list, "focus": focus}
    response = render(request, "impact/_row_list.html", context, status=status)
    if changed:
        step = row_list.row_type.step
        response.write(presenters.step_status_html(request, row_list.worksheet, step))
    return response


def _answer(
    request: HttpRequest,
    worksheet: Worksheet,
    rt: RowType,
    *,
    open_forms: dict,
    row: models.Model | None = None,
    parent: models.Model | None = None,
    editable: bool = True,
    status: int = 200,
    focus: bool = False,
    focus_row: models.Model | None = None,
    changed: bool = False,
    message: str = "",
) -> HttpResponse:
    """The answer to a row's form or write, alike for the three ways of asking: an htmx
    request, or an autosave that did not save, gets the ``row`` (or, without one, the list
    under ``parent``) as the step page renders it; a plain request gets the whole step page
    with the same forms open."""
    if not (request.htmx or _is_autosave(request)):
        return _render_step(request, worksheet, rt.step, open_forms=open_forms, status=status)
    if row is not None:
        view = presenters.single_row(rt, worksheet, row, editable=editable, open_forms=open_forms)
        return _row_partial(request, view, status, focus=focus, changed=changed)
    row_list = presenters.list_for(rt, worksheet, parent, editable=True, open_forms=open_forms)
    row_list.message = message
    if focus_row is not None:
        for view in row_list.rows:
            view.focus = view.obj.pk == focus_row.pk
    return _list_partial(request, row_list, status, focus=focus, changed=changed)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


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
            "step_status": presenters.step_status_html(request, worksheet, rt.step),
        }
    )


def _form_errors_json(form) -> JsonResponse:
    errors = {
        form[name].auto_id if name in form.fields else "__all__": [str(e) for e in errs]
        for name, errs in form.errors.items()
    }
    return JsonResponse({"status": "invalid", "errors": errors}, status=422)


def _save(request: HttpRequest, worksheet: Worksheet, rt: RowType, obj) -> HttpResponse:
    """Save a row's form (or the worksheet's own step-1 or step-6 fields) over the version
    it was based on, and answer; the person may edit (the caller checked)."""
    key = (rt.slug, obj.pk)
    form = services.make_form(
        row_type=rt,
        worksheet=worksheet,
        data=request.POST,
        instance=obj,
        prefix=f"{key[0]}-{key[1]}",
    )
    if not form.is_valid():
        if _is_autosave(request):
            return _form_errors_json(form)
        return _answer(request, worksheet, rt, row=obj, open_forms={key: (form, None)}, status=422)
    try:
        saved = services.update_row(
            worksheet=worksheet,
            row_type=rt,
            obj=obj,
            version=form.cleaned_data["version"],
            values=form.values,
            author=request.user,
        )
    except VersionConflict as conflict:
        if conflict.current is None:
            messages.error(request, _("This row was removed by someone else in the meantime."))
            return _redirect(request, step_url(worksheet, rt.step))
        merge_form, details = presenters.conflict_view(rt, worksheet, form, conflict.current)
        open_forms = {key: (merge_form, details)}
        return _answer(
            request, worksheet, rt, row=conflict.current, open_forms=open_forms, status=409
        )
    if _is_autosave(request):
        return _saved_json(request, worksheet, rt, saved)
    # "Done" closes the form; "Save" keeps it open.
    done = "done" in request.POST
    if request.htmx:
        open_forms = {} if done else {key: OPEN}
        return _answer(
            request, worksheet, rt, row=saved, open_forms=open_forms, focus=done, changed=True
        )
    messages.success(request, _("Saved."))
    anchor = row_anchor(rt, saved)
    if done or rt.model is Worksheet:
        return redirect(step_url(worksheet, rt.step, anchor))
    return redirect(step_url(worksheet, rt.step, anchor, bewerken=f"{rt.slug}-{saved.pk}"))


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
    worksheet = services.worksheet_for(enrolment=enrolment)
    return redirect(worksheet)


@login_required
def worksheet_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The worksheet's start page: the steps, their state and the chain's weak links."""
    worksheet = access_worksheet(request.user, pk, rights=True)
    context = presenters.base_context(request, worksheet, None)
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
    """The step page (kept rendered per content version, language and role); a POST saves
    the step-1 or step-6 form when JavaScript is off."""
    if step not in Step.values:
        raise Http404
    # A page from the cache needs both rights for its key: ask them with the worksheet.
    worksheet = access_worksheet(request.user, pk, rights=presenters.page_cache_on(request))
    if request.method == "POST":
        sheet = sheet_of_step(step)
        if not sheet:
            return HttpResponse(status=405)
        if not is_editor(request.user, worksheet):
            raise PermissionDenied
        return _save(request, worksheet, sheet, _row(sheet, worksheet, worksheet.pk))

    def build() -> dict:
        open_forms = presenters.requested_forms(request)
        return presenters.step_context(request, worksheet, step, open_forms=open_forms)

    return presenters.step_page(request, worksheet, step, build=build)


# Rows -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def row_update(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """GET: the row as text (htmx; closes its form). POST: save the row's form."""
    rt = _row_type(row_type)
    if request.method == "POST":
        worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
        return _save(request, worksheet, rt, _row(rt, worksheet, row_id))
    worksheet = access_worksheet(request.user, pk, rights=True)
    obj = _row(rt, worksheet, row_id)
    if not request.htmx:
        return redirect(step_url(worksheet, rt.step, row_anchor(rt, obj)))
    editable = is_editor(request.user, worksheet)
    return _answer(request, worksheet, rt, row=obj, open_forms={}, editable=editable, focus=True)


@login_required
@require_GET
def row_edit(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """The row's form (htmx), or the step page with it open."""
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
    obj = _row(rt, worksheet, row_id)
    if not request.htmx:
        anchor = row_anchor(rt, obj)
        return redirect(step_url(worksheet, rt.step, anchor, bewerken=f"{rt.slug}-{obj.pk}"))
    open_forms = {(rt.slug, obj.pk): OPEN}
    return _answer(request, worksheet, rt, row=obj, open_forms=open_forms, focus=True)


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request: HttpRequest, pk: int, row_type: str) -> HttpResponse:
    """GET: the list with its add form open (htmx), or the step page so. POST: add a row,
    then show it with its form open for the rest of its fields."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
    parent = _parent(rt, worksheet, request.GET.get("parent") or request.POST.get("parent"))
    list_key = (rt.slug, f"new-{parent.pk if parent is not None else ''}")
    if request.method == "GET":
        if not request.htmx:
            row_list = presenters.list_for(rt, worksheet, parent, editable=True)
            return redirect(row_list.add_href)
        open_forms = {list_key: OPEN}
        return _answer(request, worksheet, rt, parent=parent, open_forms=open_forms, focus=True)
    prefix = f"new-{rt.slug}{'-' + str(parent.pk) if parent is not None else ''}"
    form = services.make_form(row_type=rt, worksheet=worksheet, data=request.POST, prefix=prefix)
    if not form.is_valid():
        open_forms = {list_key: (form, None)}
        return _answer(
            request, worksheet, rt, parent=parent, open_forms=open_forms, status=422, focus=True
        )
    obj = services.add_row(
        worksheet=worksheet, row_type=rt, values=form.values, parent=parent, author=request.user
    )
    if request.htmx:
        open_forms = {(rt.slug, obj.pk): OPEN}
        return _answer(
            request, worksheet, rt, parent=parent, open_forms=open_forms, focus_row=obj,
            changed=True,
        )  # fmt: skip
    messages.success(request, _("Added."))
    anchor = row_anchor(rt, obj)
    return redirect(step_url(worksheet, rt.step, anchor, bewerken=f"{rt.slug}-{obj.pk}"))


@login_required
def row_delete(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """GET asks for confirmation (and says what goes with the row); POST removes it."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
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
            "step_url": step_url(worksheet, rt.step),
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
            return _answer(
                request, worksheet, rt, parent=parent, open_forms={}, status=409, message=message
            )
        messages.error(request, message)
        return redirect(step_url(worksheet, rt.step, row_anchor(rt, obj)))
    if request.htmx and not effects:
        return _answer(request, worksheet, rt, parent=parent, open_forms={}, changed=True)
    messages.success(request, _("Removed."))
    return _redirect(request, step_url(worksheet, rt.step))


@login_required
@require_POST
def row_move(
    request: HttpRequest, pk: int, row_type: str, row_id: int, direction: str
) -> HttpResponse:
    rt = _row_type(row_type)
    if not rt.orderable or direction not in ("up", "down"):
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
    obj = _row(rt, worksheet, row_id)
    services.move_row(worksheet=worksheet, row_type=rt, obj=obj, up=direction == "up")
    parent = getattr(obj, rt.parent) if rt.parent else None
    if request.htmx:
        return _answer(request, worksheet, rt, parent=parent, open_forms={}, changed=True)
    return redirect(step_url(worksheet, rt.step, row_anchor(rt, obj)))


# History --------------------------------------------------------------------------------


@login_required
def worksheet_history(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed since a session (the latest that ended, unless another is chosen)."""
    worksheet = access_worksheet(request.user, pk, rights=True)
    context = presenters.base_context(request, worksheet, None)
    # A session that ended before take_snapshots ran is folded from the revisions here,
    # without storing it: a GET never writes.
    snapshots = services.session_snapshots(worksheet=worksheet)
    chosen = None
    if request.GET.get("since"):
        chosen = next((s for s in snapshots if str(s.session_id) == request.GET["since"]), None)
    chosen = chosen or (snapshots[0] if snapshots else None)
    now = current_state(worksheet)
    before = services.snapshot_rows(snapshot=chosen) if chosen else {}
    moments = moment_names(worksheet)
    changes = diff(before, now, names=moments) if chosen else []
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
        if change.row_type == "worksheet":
            sheet = sheet_of_step(change.step)
            change.row_type = sheet.slug if sheet else "scope"
        groups.setdefault(change.step, []).append(change)
    return [(step, Step(step).label, rows) for step, rows in sorted(groups.items())]


@login_required
def row_history(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """Every saved version of one row, each with what changed; restore buttons for editors."""
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk, rights=True)
    revisions = list(
        worksheet.revisions.filter(row_type=rt.revision_type, row_id=row_id)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    if (
        not revisions
        and not services.rows_of(row_type=rt, worksheet=worksheet).filter(pk=row_id).exists()
    ):
        raise Http404
    current = services.rows_of(row_type=rt, worksheet=worksheet).filter(pk=row_id).first()
    model = rt.model
    names = {**names_of(current_state(worksheet)), **moment_names(worksheet)}
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
    context = presenters.base_context(request, worksheet, rt.step)
    context.update(
        row_type=rt,
        row_id=row_id,
        current=current,
        revisions=revisions,
        type_label=rt.model._meta.verbose_name,
        # The row may be removed: its anchor comes from the id in the URL.
        step_url=step_url(worksheet, rt.step, f"row-{rt.slug}-{row_id}"),
    )
    return render(request, "impact/row_history.html", context)


@login_required
@require_POST
def row_restore(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    rt = _row_type(row_type)
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
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
    return redirect(step_url(worksheet, rt.step, row_anchor(rt, obj)))


@login_required
@require_POST
def row_put_back(request: HttpRequest, pk: int, row_type: str, row_id: int) -> HttpResponse:
    """Put a removed row back, with the rows that were removed along with it."""
    rt = _row_type(row_type)
    if rt.model is Worksheet:
        raise Http404
    worksheet = access_worksheet(request.user, pk, edit=True, rights=True)
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
    anchor = row_anchor(rt, restored[0])
    return redirect(step_url(worksheet, rt.step, anchor, bewerken=f"{rt.slug}-{row_id}"))


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
    worksheet = access_worksheet(request.user, pk, rights=True)
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
        return _redirect(request, step_url(worksheet, step))
    review = StepReview.for_step(worksheet, step)
    note = form.cleaned_data["note"]
    try:
        getattr(review, REVIEW_ACTIONS[action])(by=request.user, note=note)
    except IllegalTransition:
        messages.error(request, _("This step cannot make that move from its current state."))
        return _redirect(request, step_url(worksheet, step))
    notices.step_moved(review=review, action=action, by=request.user)
    messages.success(
        request,
        _("Step %(step)s is now: %(state)s.") % {"step": step, "state": review.get_state_display()},
    )
    return _redirect(request, step_url(worksheet, step))
