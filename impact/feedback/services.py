"""Trainer feedback on worksheets: comments, replies and the resolved mark."""

from __future__ import annotations

from django.utils import timezone

from impact import notices
from impact.models import Comment, Worksheet
from organisations.models import User


def add_comment(
    *,
    worksheet: Worksheet,
    step: int,
    author: User,
    body: str,
    row_type: str = "",
    row_id: int | None = None,
) -> Comment:
    """A new top-level comment on a step, or on one row of it (the caller checked the row)."""
    comment = Comment.objects.create(
        worksheet=worksheet,
        step=step,
        author=author,
        body=body,
        row_type=row_type,
        row_id=row_id,
    )
    notices.feedback_added(comment=comment)
    return comment


def reply_to(*, comment: Comment, author: User, body: str) -> Comment:
    """A reply; threads stay one level deep, so a reply to a reply joins its thread."""
    root = comment.parent or comment
    return Comment.objects.create(
        worksheet=root.worksheet,
        step=root.step,
        row_type=root.row_type,
        row_id=root.row_id,
        parent=root,
        author=author,
        body=body,
    )


def resolve(*, comment: Comment, by: User) -> None:
    """Mark a top-level comment resolved (one update)."""
    comment.resolved_at = timezone.now()
    comment.resolved_by = by
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])


def reopen(*, comment: Comment) -> None:
    """Open a resolved comment again (one update)."""
    comment.resolved_at = None
    comment.resolved_by = None
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
