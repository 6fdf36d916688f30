"""Trainer feedback: comments on a step or a row, replies, and the resolved mark."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impact.access import access_worksheet, can_respond, is_reviewer
from impact.feedback import services as services_feedback
from impact.feedback.forms import CommentForm, ReplyForm
from impact.models import Comment, Step, Worksheet
from impact.worksheet import selectors


@dataclass
class Thread:
    """The feedback thread of one step as the person viewing it may use it."""

    worksheet: Worksheet
    step: int
    step_label: str
    comments: list[Comment]
    open_count: int
    can_comment: bool
    can_respond: bool
    comment_form: CommentForm | None
    reply_form: ReplyForm | None = None
    reply_to: int | None = None
    url: str = ""


def step_thread(
    user,
    worksheet: Worksheet,
    step: int,
    *,
    comment_form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
    reply_to: int | None = None,
) -> Thread:
    """The feedback thread of a step for this person: two queries for the comments, one
    per row type they name, the rights (asked once per request) and, for reviewers, one
    per row type of the step for the comment form."""
    comments = [
        c for c in selectors.thread_comments(worksheet=worksheet, step=step) if c.step == step
    ]
    selectors.label_rows(comments=comments)
    can_comment = is_reviewer(user, worksheet)
    if can_comment and comment_form is None:
        comment_form = CommentForm(worksheet=worksheet, step=step)
    return Thread(
        worksheet=worksheet,
        step=step,
        step_label=Step(step).label,
        comments=comments,
        open_count=sum(1 for c in comments if c.resolved_at is None),
        can_comment=can_comment,
        can_respond=can_comment or can_respond(user, worksheet),
        comment_form=comment_form if can_comment else None,
        reply_form=reply_form,
        reply_to=reply_to,
        url=_thread_url(worksheet, step),
    )


def _comment(request: HttpRequest, pk: int, *, top_level: bool = False) -> Comment:
    comments = Comment.objects.filter(
        worksheet__in=Worksheet.objects.visible_to(request.user)
    ).select_related("worksheet__enrolment__organisation", "worksheet__enrolment__cohort")
    if top_level:
        comments = comments.filter(parent__isnull=True)
    return get_object_or_404(comments, pk=pk)


def _valid_step(step: int) -> int:
    if step not in Step.values:
        raise Http404
    return step


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _thread_url(worksheet: Worksheet, step: int) -> str:
    return reverse("impact:step_comments", args=[worksheet.pk, step])


def _render_thread(
    request: HttpRequest, worksheet: Worksheet, step: int, status: int = 200, **forms
) -> HttpResponse:
    """The thread: the bare include for htmx, the full page otherwise."""
    context = {
        "worksheet": worksheet,
        "step": step,
        "step_label": Step(step).label,
        "thread": step_thread(request.user, worksheet, step, **forms),
        **forms,
    }
    if request.method == "POST":
        # A re-rendered form must still send the person back where they came from.
        context["next_url"] = _next_url(request, _thread_url(worksheet, step))
    if request.htmx:
        # htmx swaps only 2xx answers; the form errors are in the fragment.
        return render(request, "impact/_step_comments.html", context)
    return render(request, "impact/comment_thread.html", context, status=status)


def _after_change(
    request: HttpRequest, worksheet: Worksheet, step: int, message: str
) -> HttpResponse:
    if request.htmx:
        return _render_thread(request, worksheet, step)
    messages.success(request, message)
    return redirect(_next_url(request, _thread_url(worksheet, step)))


@login_required
def step_comments(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """The feedback thread of one step; works as a page and as an htmx fragment."""
    worksheet = access_worksheet(request.user, pk)
    return _render_thread(request, worksheet, _valid_step(step))


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    worksheet = access_worksheet(request.user, pk)
    step = _valid_step(step)
    if not is_reviewer(request.user, worksheet):
        raise PermissionDenied
    form = CommentForm(request.POST, worksheet=worksheet, step=step)
    if not form.is_valid():
        return _render_thread(request, worksheet, step, status=400, comment_form=form)
    row_type, row_id = form.cleaned_data["about"]
    services_feedback.add_comment(
        worksheet=worksheet,
        step=step,
        author=request.user,
        body=form.cleaned_data["body"],
        row_type=row_type,
        row_id=row_id,
    )
    return _after_change(request, worksheet, step, _("Your feedback was added."))


@login_required
@require_POST
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    worksheet = comment.worksheet
    if not can_respond(request.user, worksheet):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_thread(
            request,
            worksheet,
            comment.step,
            status=400,
            reply_form=form,
            reply_to=comment.parent_id or comment.pk,
        )
    services_feedback.reply_to(comment=comment, author=request.user, body=form.cleaned_data["body"])
    return _after_change(request, worksheet, comment.step, _("Your reply was added."))


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk, top_level=True)
    if not can_respond(request.user, comment.worksheet):
        raise PermissionDenied
    if comment.resolved_at is None:
        services_feedback.resolve(comment=comment, by=request.user)
    return _after_change(
        request, comment.worksheet, comment.step, _("The feedback is marked as resolved.")
    )


@login_required
@require_POST
def comment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk, top_level=True)
    if not can_respond(request.user, comment.worksheet):
        raise PermissionDenied
    if comment.resolved_at is not None:
        services_feedback.reopen(comment=comment)
    return _after_change(request, comment.worksheet, comment.step, _("The feedback is open again."))


@login_required
def open_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """All open feedback of one worksheet, step by step."""
    worksheet = access_worksheet(request.user, pk)
    comments = list(
        selectors.thread_comments(worksheet=worksheet, only_open=True).order_by("step", "pk")
    )
    selectors.label_rows(comments=comments)
    groups = [
        (step, label, [c for c in comments if c.step == step])
        for step, label in Step.choices
        if any(c.step == step for c in comments)
    ]
    return render(
        request,
        "impact/comment_list.html",
        {
            "worksheet": worksheet,
            "groups": groups,
            "open_count": len(comments),
            "can_respond": can_respond(request.user, worksheet),
        },
    )
