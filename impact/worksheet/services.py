"""Workflows of the impact worksheet: saving rows without losing anyone's work.

Every save is an atomic conditional UPDATE on the version the person started from; a save
based on an older version raises ``VersionConflict`` and changes nothing. Every change
writes a ``Revision`` with the row's fields after it, from which snapshots and diffs are
built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from impact.models import (
    Comment,
    Revision,
    Snapshot,
    Step,
    StepReview,
    VersionedModel,
    Worksheet,
)
from impact.rows import LIST_ROW_TYPES, ROW_TYPES, RowType, of_model
from impact.worksheet import forms as wf
from impact.worksheet.history import deserialize, serialize, state_at
from organisations.models import Role, User
from trainings.models import Cohort, Enrolment, Session

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class VersionConflict(Exception):
    """Someone saved the row after the version this save was based on."""

    def __init__(self, current: models.Model | None) -> None:
        super().__init__("the row changed since it was loaded")
        self.current = current  # None when the row was removed meanwhile


def rows_of(*, row_type: RowType, worksheet: Worksheet) -> models.QuerySet[Any]:
    """The rows of this type that belong to the worksheet (no query until evaluated)."""
    return row_type.rows_of(worksheet)


def make_form(
    *,
    row_type: RowType,
    worksheet: Worksheet,
    data: Mapping[str, Any] | None = None,
    instance: models.Model | None = None,
    choices: dict | None = None,
    prefix: str | None = None,
) -> wf.VersionedForm:
    kwargs: dict[str, Any] = {
        "data": data,
        "instance": instance,
        "choices": choices,
        "prefix": prefix,
    }
    if row_type.needs_worksheet:
        kwargs["worksheet"] = worksheet
    return row_type.form(**kwargs)


def worksheet_for(*, enrolment: Enrolment) -> Worksheet:
    """Return the enrolment's worksheet, creating an empty one the first time; one query."""
    worksheet, _created = Worksheet.objects.get_or_create(enrolment=enrolment)
    return worksheet


# Saving rows ----------------------------------------------------------------------------


def record_revision(
    *,
    worksheet: Worksheet,
    row_type: str,
    obj: VersionedModel,
    action: str,
    author: User | None,
    step: int | None = None,
    data: dict | None = None,
) -> Revision:
    """Write one Revision with the row's fields (after the change, or before a delete)."""
    revision_type = ROW_TYPES[row_type].revision_type if row_type in ROW_TYPES else row_type
    if step is None:
        step = ROW_TYPES[row_type].step if row_type in ROW_TYPES else Step.SCOPE
    return Revision.objects.create(
        worksheet=worksheet,
        step=step,
        row_type=revision_type,
        row_id=obj.pk,
        row_version=obj.version,
        action=action,
        data=serialize(obj) if data is None else data,
        author=author,
    )


def mark_step_started(*, worksheet: Worksheet, step: int) -> None:
    """A step that someone works on is at least in draft; two queries at most."""
    review, created = StepReview.objects.get_or_create(
        worksheet=worksheet, step=step, defaults={"state": StepReview.State.DRAFT}
    )
    if not created and review.state == StepReview.State.NOT_STARTED:
        StepReview.objects.filter(pk=review.pk, state=StepReview.State.NOT_STARTED).update(
            state=StepReview.State.DRAFT
        )


def _split_values(
    model: type[models.Model], values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cleaned values by field name as (column values by attname, many-to-many values).

    Raises FieldDoesNotExist for a name that is not a field of the model."""
    columns: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.many_to_many:
            m2m[name] = value
        elif f.is_relation:
            assert isinstance(f, models.ForeignKey)  # a row links to rows by foreign key
            columns[f.attname] = value.pk if isinstance(value, models.Model) else value
        else:
            assert isinstance(f, models.Field)
            columns[f.attname] = value
    return columns, m2m


def add_row(
    *,
    worksheet: Worksheet,
    row_type: RowType,
    values: Mapping[str, Any],
    parent: VersionedModel | None = None,
    author: User,
) -> VersionedModel:
    """Add a row at the end of its list (of its parent's sub-rows, for a sub-row), record
    the revision and mark its step started. ``values`` are cleaned values by field name
    (a form's ``values``); a sub-row needs its parent. Five queries, and one per
    many-to-many field."""
    if row_type.is_sheet:
        raise ValueError("The worksheet's own fields are not added, they are updated.")
    if bool(row_type.parent) != (parent is not None):
        raise ValueError(f"A {row_type.slug} needs a parent row exactly when it is a sub-row.")
    columns, m2m = _split_values(row_type.model, values)
    with transaction.atomic():
        obj = row_type.model(**columns)
        if row_type.parent:
            setattr(obj, row_type.parent, parent)
            siblings = row_type.model._default_manager.filter(**{row_type.parent: parent})
        else:
            obj.worksheet = worksheet  # type: ignore[attr-defined]  # a row without parent
            # The plugin checks the lookup against the abstract base, not the row's model.
            siblings = row_type.model._default_manager.filter(worksheet=worksheet)  # type: ignore[misc]
        if row_type.orderable:
            last = siblings.aggregate(last=Max("position"))["last"]
            obj.position = 0 if last is None else last + 1  # type: ignore[attr-defined]
        obj.version = 1
        obj.save()
        for name, related in m2m.items():
            getattr(obj, name).set(related)
        record_revision(
            worksheet=worksheet, row_type=row_type.slug, obj=obj, action="create", author=author
        )
        mark_step_started(worksheet=worksheet, step=row_type.step)
    return obj


def _conditional_update(
    row_type: RowType,
    pk: int,
    version: int,
    values: dict[str, Any],
    m2m: dict[str, Any],
) -> VersionedModel:
    """UPDATE … WHERE pk AND version; raises VersionConflict when no row matched."""
    updated = row_type.model._default_manager.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = row_type.model._default_manager.filter(pk=pk).first()
        raise VersionConflict(current)
    obj = row_type.model._default_manager.get(pk=pk)
    for name, related in m2m.items():
        getattr(obj, name).set(related)
    return obj


def update_row(
    *,
    worksheet: Worksheet,
    row_type: RowType,
    obj: VersionedModel,
    version: int,
    values: Mapping[str, Any],
    author: User,
) -> VersionedModel:
    """Save cleaned values (a form's ``values``) over the version of the row they were
    based on, record the revision and mark the step started; raises VersionConflict when
    someone saved the row after that version."""
    columns, m2m = _split_values(row_type.model, values)
    with transaction.atomic():
        saved = _conditional_update(row_type, obj.pk, version, columns, m2m)
        record_revision(
            worksheet=worksheet, row_type=row_type.slug, obj=saved, action="update", author=author
        )
        mark_step_started(worksheet=worksheet, step=row_type.step)
    return saved


def restore_revision(
    *,
    worksheet: Worksheet,
    row_type: RowType,
    obj: VersionedModel,
    revision: Revision,
    version: int,
    author: User,
    field_name: str | None = None,
) -> models.Model:
    """Save an earlier version of a row (or of one field) as a new change."""
    values, m2m = deserialize(row_type.model, revision.data)
    if field_name:
        f = row_type.model._meta.get_field(field_name)
        assert isinstance(f, models.Field)  # the view takes only the form's fields
        values = {k: v for k, v in values.items() if k == f.attname}
        m2m = {k: v for k, v in m2m.items() if k == field_name}
    elif row_type.model is Worksheet:
        # A worksheet revision holds both steps; restore only the fields of this step.
        names = set(row_type.form._meta.fields or ())
        values = {k: v for k, v in values.items() if k in names}
    # Linked rows must still exist and belong to this worksheet.
    m2m = {
        name: list(
            _related_model(row_type.model, name)
            ._default_manager.filter(pk__in=ids, worksheet=worksheet)
            .values_list("pk", flat=True)
        )
        for name, ids in m2m.items()
    }
    for attname in [k for k in values if k.endswith("_id")]:
        related = _related_model(row_type.model, attname[:-3])
        if not related._default_manager.filter(pk=values[attname]).exists():
            values.pop(attname)
    with transaction.atomic():
        obj = _conditional_update(row_type, obj.pk, version, values, m2m)
        record_revision(
            worksheet=worksheet, row_type=row_type.slug, obj=obj, action="restore", author=author
        )
    return obj


def _related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model a relation of a worksheet row points to."""
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)  # "self" and lazy names are resolved once apps load
    return related


def _descendants(row_type: RowType, obj: models.Model) -> list[tuple[str, VersionedModel]]:
    """Rows removed along with ``obj``, deepest first, each with its row type; a query
    per dependant row type and row (see ``RowType.needed_key``)."""
    rows: list[tuple[str, VersionedModel]] = []
    for dependant in row_type.dependants:
        for row in getattr(obj, dependant.accessor).all():
            rows += [*_descendants(dependant, row), (dependant.slug, row)]
    return rows


def delete_row(
    *,
    worksheet: Worksheet,
    row_type: RowType,
    obj: VersionedModel,
    version: int | None,
    author: User,
) -> list[tuple[str, VersionedModel]]:
    """Remove a row that is still at ``version``, with its sub-rows (and, for a stakeholder,
    its effects); records a revision for every removed row. Raises VersionConflict."""
    with transaction.atomic():
        removed = _descendants(row_type, obj)
        for child_type, child in removed:
            record_revision(
                worksheet=worksheet, row_type=child_type, obj=child, action="delete", author=author
            )
        record_revision(
            worksheet=worksheet, row_type=row_type.slug, obj=obj, action="delete", author=author
        )
        for dependant in row_type.dependants:
            # Sub-rows go with their parent; rows that only need it (an effect its
            # stakeholder) are removed first.
            if not dependant.parent:
                getattr(obj, dependant.accessor).all().delete()
        # A removal without a version (None) matches no row: it is a conflict.
        deleted, _counts = row_type.model._default_manager.filter(
            pk=obj.pk,
            version=version,  # type: ignore[misc]
        ).delete()
        if not deleted:
            raise VersionConflict(row_type.model._default_manager.filter(pk=obj.pk).first())
        mark_step_started(worksheet=worksheet, step=row_type.step)
    return [*removed, (row_type.slug, obj)]


def move_row(*, worksheet: Worksheet, row_type: RowType, obj: VersionedModel, up: bool) -> None:
    """Swap a row with its neighbour. Order is not content: versions stay as they are."""
    scope = {row_type.parent: getattr(obj, row_type.parent)} if row_type.parent else {}
    with transaction.atomic():
        siblings = list(
            rows_of(row_type=row_type, worksheet=worksheet)
            .filter(**scope)
            .select_for_update(of=("self",))
            .only("pk", "position")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        # Only orderable rows get here, and they all have a position.
        row_type.model._default_manager.bulk_update(siblings, ["position"])  # type: ignore[misc]
        Worksheet.objects.filter(pk=worksheet.pk).content_changed()  # no save() signals


# Snapshots ------------------------------------------------------------------------------


def snapshot_at_end(*, worksheet: Worksheet, session: Session) -> Snapshot:
    """The worksheet as its revisions describe it at the end of the session, as an unsaved
    snapshot (the one ``take_snapshots`` stores); one query."""
    return Snapshot(
        worksheet=worksheet,
        session=session,
        data={"until": session.ends.isoformat(), "rows": state_at(worksheet, session.ends)},
    )


def snapshot_rows(*, snapshot: Snapshot) -> dict[str, dict]:
    """The rows of a snapshot; for one that is not stored yet (see ``session_snapshots``)
    they are folded from the revisions the first time they are asked for (one query)."""
    if snapshot.data is None:
        snapshot.data = snapshot_at_end(worksheet=snapshot.worksheet, session=snapshot.session).data
    return snapshot.data.get("rows", {})


def session_snapshots(*, worksheet: Worksheet, now: dt.datetime | None = None) -> list[Snapshot]:
    """The worksheet at the end of each ended session of its cohort, latest session first.

    The stored snapshots, and for sessions that ``take_snapshots`` has not reached yet an
    unsaved one whose rows ``snapshot_rows`` folds from the revisions when asked. Reading
    never stores anything. Two queries.
    """
    stored = {
        snapshot.session_id: snapshot
        for snapshot in Snapshot.objects.filter(worksheet=worksheet).select_related("session")
    }
    for session in ended_sessions(cohort=worksheet.enrolment.cohort, now=now):
        if session.pk not in stored:
            stored[session.pk] = Snapshot(worksheet=worksheet, session=session, data=None)
    return sorted(
        stored.values(),
        key=lambda snapshot: (snapshot.session.date, snapshot.session.starts_at),
        reverse=True,
    )


def ensure_snapshots(*, worksheet: Worksheet, now: dt.datetime | None = None) -> int:
    """Store the missing snapshots of sessions that have ended; returns how many.

    One query when there is nothing to do, plus two per snapshot taken. Only
    ``take_snapshots`` (the command and the background task) calls it: pages never write.
    """
    now = now or timezone.now()
    missing = Session.objects.filter(
        cohort_id=worksheet.enrolment.cohort_id, date__lte=timezone.localdate(now)
    ).exclude(snapshots__worksheet=worksheet)
    taken = 0
    for session in missing:
        if session.ends > now:
            continue
        _snapshot, created = Snapshot.objects.get_or_create(
            worksheet=worksheet,
            session=session,
            defaults={"data": snapshot_at_end(worksheet=worksheet, session=session).data},
        )
        taken += created
    return taken


def take_snapshots(*, now: dt.datetime | None = None) -> int:
    """Store the snapshots of every worksheet of a current cohort whose session has ended;
    returns how many were taken. Run by ``manage.py take_snapshots`` (cron) or the
    background task ``impact.reports.tasks.take_snapshots_task``."""
    worksheets = Worksheet.objects.exclude(
        enrolment__cohort__status=Cohort.Status.ARCHIVED
    ).select_related("enrolment")
    return sum(ensure_snapshots(worksheet=worksheet, now=now) for worksheet in worksheets)


def ended_sessions(*, cohort: Cohort, now: dt.datetime | None = None) -> list[Session]:
    """The cohort's sessions that are over, in order: the moments a report can show the
    worksheets as they were. One query."""
    now = now or timezone.now()
    sessions = cohort.sessions.filter(date__lte=timezone.localdate(now)).order_by(
        "date", "starts_at"
    )
    return [session for session in sessions if session.ends <= now]


# Selectors ------------------------------------------------------------------------------


@dataclass
class WorksheetEntry:
    enrolment: Enrolment
    worksheet: Worksheet | None
    states: dict[int, str]
    open_comments: int

    @property
    def steps(self) -> list[tuple[int, StrOrPromise, str, StrOrPromise]]:
        """(number, step label, state, state label) for each step."""
        labels = dict(StepReview.State.choices)
        return [
            (step.value, step.label, self.states[step.value], labels[self.states[step.value]])
            for step in Step
        ]


def participant_worksheets(*, user: User) -> list[WorksheetEntry]:
    """The worksheets of the person's organisations in current cohorts; three queries."""
    enrolments = list(
        Enrolment.objects.active()
        .filter(
            organisation__memberships__person=user,
            organisation__memberships__role=Role.PARTICIPANT,
        )
        .exclude(cohort__status=Cohort.Status.ARCHIVED)
        .select_related("cohort", "organisation", "worksheet")
        .annotate(
            open_comments=Count(
                "worksheet__comments",
                distinct=True,
                filter=Q(
                    worksheet__comments__resolved_at__isnull=True,
                    worksheet__comments__parent__isnull=True,
                ),
            )
        )
        .distinct()
        .order_by("-cohort__starts_on", "organisation__name")
    )
    worksheets = [e.worksheet for e in enrolments if _worksheet_or_none(e)]
    states = StepReview.objects.states_for(worksheets) if worksheets else {}
    not_started: dict[int, str] = dict.fromkeys(Step.values, StepReview.State.NOT_STARTED)
    entries = []
    for enrolment in enrolments:
        worksheet = _worksheet_or_none(enrolment)
        entries.append(
            WorksheetEntry(
                enrolment=enrolment,
                worksheet=worksheet,
                states=states.get(worksheet.pk, not_started) if worksheet else not_started,
                open_comments=enrolment.open_comments,
            )
        )
    return entries


def _worksheet_or_none(enrolment: Enrolment) -> Worksheet | None:
    try:
        return enrolment.worksheet
    except Worksheet.DoesNotExist:
        return None


def open_comment_count(*, worksheet: Worksheet) -> int:
    return Comment.objects.filter(
        worksheet=worksheet, resolved_at__isnull=True, parent__isnull=True
    ).count()


class CannotRestore(Exception):
    """A removed row cannot come back as it was; the message says why, for the person."""


# Rows removed with another one were recorded in the same save, moments before it.
REMOVED_TOGETHER = dt.timedelta(seconds=10)


def restore_removed_row(
    *, worksheet: Worksheet, row_type: RowType, row_id: int, author: User
) -> list[VersionedModel]:
    """Put a removed row back as it was when it was removed, with the same id, and with the
    rows removed along with it (a stakeholder's effects, an activity's outputs…). Links to
    rows that are gone are left out. Records a "create" revision for every row put back.
    Raises CannotRestore."""
    with transaction.atomic():
        removal = (
            worksheet.revisions.filter(row_type=row_type.revision_type, row_id=row_id)
            .order_by("-created_at", "-pk")
            .first()
        )
        if removal is None or removal.action != Revision.Action.DELETE:
            raise CannotRestore(_("This row is not removed."))
        restored = [_recreate(worksheet, removal, author)]
        back = {(removal.row_type, removal.row_id)}
        # Deleted deepest first, so newest first puts parents back before their sub-rows.
        together = worksheet.revisions.filter(
            action=Revision.Action.DELETE,
            author=removal.author,
            pk__lt=removal.pk,
            created_at__gte=removal.created_at - REMOVED_TOGETHER,
        ).order_by("-pk")
        for revision in together:
            # A row that needs one put back just now (see ``RowType.needed_key``) comes back too.
            kind = LIST_ROW_TYPES.get(revision.row_type)
            needed = kind.needed_type if kind else None
            if kind and needed and (needed.slug, revision.data.get(kind.needed_key)) in back:
                restored.append(_recreate(worksheet, revision, author))
                back.add((revision.row_type, revision.row_id))
        mark_step_started(worksheet=worksheet, step=row_type.step)
    return restored


def _recreate(worksheet: Worksheet, removal: Revision, author: User | None) -> VersionedModel:
    row_type = LIST_ROW_TYPES[removal.row_type]
    model = row_type.model
    if model._default_manager.filter(pk=removal.row_id).exists():
        raise CannotRestore(_("This row is back already."))
    values, links = deserialize(model, removal.data)
    needed_type = row_type.needed_type
    if needed_type and row_type.needed_key:
        needed_id = removal.data.get(row_type.needed_key)
        if needed_id is not None:
            needed = needed_type.rows_of(worksheet).filter(pk=needed_id)
            if not needed.exists():
                raise CannotRestore(
                    _("Put back the %(kind)s it belonged to first.")
                    % {"kind": needed_type.model._meta.verbose_name}
                )
    # An optional link to something that went meanwhile (a result's measurement moment)
    # comes back empty rather than pointing nowhere.
    for f in model._meta.concrete_fields:
        if f.is_relation and f.null and values.get(f.attname) is not None:
            related = _related_model(model, f.name)
            if not related._default_manager.filter(pk=values[f.attname]).exists():
                values[f.attname] = None
    obj = model(pk=removal.row_id, **values)  # type: ignore[misc]  # the plugin does not know pk
    if row_type.in_worksheet == "worksheet":
        obj.worksheet = worksheet  # type: ignore[attr-defined]  # the row's own worksheet key
    obj.version = removal.row_version + 1
    if any(f.name == "position" for f in model._meta.concrete_fields):
        siblings = model._default_manager.filter(**_sibling_scope(row_type, obj, worksheet))
        obj.position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1  # type: ignore[attr-defined]
    obj.save(force_insert=True)
    for name, ids in links.items():
        kind = of_model(_related_model(model, name))
        getattr(obj, name).set(kind.rows_of(worksheet).filter(pk__in=ids or []))
    record_revision(
        worksheet=worksheet, row_type=row_type.slug, obj=obj, action="create", author=author
    )
    return obj


def _sibling_scope(row_type: RowType, obj: models.Model, worksheet: Worksheet) -> dict[str, Any]:
    if row_type.parent:
        return {f"{row_type.parent}_id": getattr(obj, f"{row_type.parent}_id")}
    return {"worksheet": worksheet}
