"""Template tags behind the feedback thread and the starter-kit picker includes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.urls import reverse

from impact import access, selectors
from impact.forms_feedback import CommentForm, ReplyForm
from impact.forms_library import PickForm
from impact.models import Comment, Effect, Stakeholder, Step, Suggestion, Worksheet

register = template.Library()


@dataclass
class Thread:
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


@register.simple_tag(takes_context=True)
def step_feedback(context, worksheet: Worksheet, step, comments=None) -> Thread:
    """The feedback thread of a step for the person viewing it.

    Costs two queries for the comments (unless given), one per row type they name, one or
    two to check the person's rights, and one per row type of the step for the form.
    """
    user = context["request"].user
    step = int(step)
    if comments in (None, ""):
        comments = selectors.thread_comments(worksheet, step=step)
    comments = [c for c in comments if c.parent_id is None and c.step == step]
    selectors.label_rows(comments)
    can_comment = access.is_reviewer(user, worksheet)
    can_respond = can_comment or access.can_respond(user, worksheet)
    form = context.get("comment_form")
    if can_comment and form is None:
        form = CommentForm(worksheet=worksheet, step=step)
    return Thread(
        worksheet=worksheet,
        step=step,
        step_label=Step(step).label,
        comments=comments,
        open_count=sum(1 for c in comments if c.resolved_at is None),
        can_comment=can_comment,
        can_respond=can_respond,
        comment_form=form if can_comment else None,
        reply_form=context.get("reply_form"),
        reply_to=context.get("reply_to"),
        url=reverse("impact:step_comments", args=[worksheet.pk, step]),
    )


@dataclass
class Picker:
    worksheet: Worksheet
    kind: str
    kind_label: str
    groups: list[tuple[str, list[Suggestion]]] = field(default_factory=list)
    can_pick: bool = False
    targets: list = field(default_factory=list)
    target_field: str = ""
    form: PickForm | None = None
    count: int = 0


@register.simple_tag(takes_context=True)
def suggestion_picker(context, worksheet: Worksheet, kind: str) -> Picker:
    """The active suggestions of a kind, grouped by theme, and whether the person may pick.

    Three queries: the suggestions, the right to edit, and the worksheet's stakeholders or
    effects that an effect or indicator hangs on.
    """
    user = context["request"].user
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
        can_pick=access.is_editor(user, worksheet),
        form=context.get("pick_form"),
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
