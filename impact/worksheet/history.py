"""History of a worksheet: rows as plain data, folding revisions, and readable diffs.

A row's state is a JSON-safe dict of its editable fields (foreign keys and many-to-many
as ids). A worksheet's state is ``{"<type>:<id>": {"type", "id", "step", "data"}}``: built
from the database for "now", or by folding the revisions up to a moment for a snapshot.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from impact.models import Revision, Step, Worksheet
from impact.rows import LIST_ROW_TYPES, of_revision_type
from impact.worksheet.display import MONEY_FIELDS, date_text, money_text, number_text

SCOPE_FIELDS = Worksheet.SCOPE_FIELDS
LEARNING_FIELDS = Worksheet.LEARNING_FIELDS
# Not part of what a person edits: bookkeeping, order and the owning worksheet.
SKIP_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "version",
    "content_version",
    "position",
    "worksheet",
    "enrolment",
}
# Foreign keys and many-to-many fields point at rows of these types; a result's measurement
# moment is no row, and its name comes from ``moment_names``.
RELATED_TYPES = {
    "stakeholder": "stakeholder",
    "stakeholders": "stakeholder",
    "activity": "activity",
    "activities": "activity",
    "effect": "effect",
    "indicator": "indicator",
    "moment": "moment",
}
LONG_TEXT = 60
# How an empty field reads in a diff.
EMPTY = "—"


def row_type_of(obj: models.Model) -> str:
    return type(obj).__name__.lower()


def step_of(row_type: str, field_name: str | None = None) -> int:
    if row_type == "worksheet":
        return Step.LEARNING if field_name in LEARNING_FIELDS else Step.SCOPE
    return of_revision_type(row_type).step


def json_value(value):
    """A field or cleaned form value in the JSON-safe shape that revisions store."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple) and all(
        isinstance(o, models.Model) for o in value
    ):
        return sorted(o.pk for o in value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def serialize(obj: models.Model) -> dict:
    """Return the editable fields of a row as JSON-safe data; many-to-many fields read
    ``.all()`` (one query each unless prefetched)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in SKIP_FIELDS:
            continue
        data[f.name] = json_value(f.value_from_object(obj))
    for f in obj._meta.many_to_many:
        data[f.name] = sorted(o.pk for o in getattr(obj, f.name).all())
    return data


def deserialize(model: type[models.Model], data: dict) -> tuple[dict, dict]:
    """Turn stored data back into (attribute values, many-to-many id lists)."""
    values, m2m = {}, {}
    for name, value in data.items():
        try:
            f = model._meta.get_field(name)
        except Exception:
            continue
        if f.many_to_many:
            m2m[name] = value
        elif f.is_relation:
            values[f.attname] = value
        else:
            values[f.attname] = f.to_python(value) if value is not None else None
    return values, m2m


def entry(row_type: str, obj_id: int, data: dict) -> dict:
    step = of_revision_type(row_type).step
    return {"type": row_type, "id": obj_id, "step": int(step), "data": data}


def current_state(worksheet: Worksheet) -> dict[str, dict]:
    """The worksheet as it is now, in the same shape as a snapshot; nine queries."""
    rows = {f"worksheet:{worksheet.pk}": entry("worksheet", worksheet.pk, serialize(worksheet))}
    querysets = {
        # Many-to-many links are stored as ids: prefetched, one query per kind of link.
        rt.slug: rt.rows_of(worksheet).prefetch_related(
            *(f.name for f in rt.model._meta.many_to_many)
        )
        for rt in LIST_ROW_TYPES.values()
    }
    for row_type, queryset in querysets.items():
        for obj in queryset:
            rows[f"{row_type}:{obj.pk}"] = entry(row_type, obj.pk, serialize(obj))
    return rows


def fold(revisions) -> dict[str, dict]:
    """Replay revisions (oldest first) into a worksheet state."""
    rows: dict[str, dict] = {}
    for revision in revisions:
        key = f"{revision.row_type}:{revision.row_id}"
        if revision.action == Revision.Action.DELETE:
            rows.pop(key, None)
        else:
            rows[key] = entry(revision.row_type, revision.row_id, revision.data)
    return rows


def state_at(worksheet: Worksheet, moment: dt.datetime) -> dict[str, dict]:
    """The worksheet as its revisions describe it at ``moment``; one query."""
    revisions = worksheet.revisions.filter(created_at__lte=moment).order_by("created_at", "pk")
    return fold(revisions.only("row_type", "row_id", "action", "data"))


# Readable differences -------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]] | None = None  # (equal|delete|insert, text) for long text

    @property
    def was_empty(self) -> bool:
        return self.old == EMPTY

    @property
    def is_empty(self) -> bool:
        return self.new == EMPTY


@dataclass
class RowChange:
    key: str
    row_type: str
    row_id: int
    step: int
    type_label: str
    label: str
    action: str  # added | removed | changed
    fields: list[FieldChange] = field(default_factory=list)


def row_label(row_type: str, data: dict) -> str:
    for name in ("name", "title", "period", "description", "good_practice"):
        if data.get(name):
            text = str(data[name])
            return text if len(text) <= 80 else text[:77] + "…"
    return _("(no name)") if row_type != "worksheet" else _("Worksheet")


LIST_CHOICES = {"reasons": Worksheet.Reason, "themes": Worksheet.Theme}


def display_value(model: type[models.Model], name: str, value, names: dict[str, str]) -> str:
    """A field value as a person reads it: choice labels, yes/no, names of linked rows."""
    if value in (None, "", []):
        return EMPTY
    if name in LIST_CHOICES and model is Worksheet:
        labels = dict(LIST_CHOICES[name].choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name in RELATED_TYPES:
        related = RELATED_TYPES[name]
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get(f"{related}:{i}", _("(removed)")) for i in ids)
    try:
        f = model._meta.get_field(name)
    except Exception:
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    typed = typed_value(model, name, value)
    if isinstance(typed, Decimal) and name in MONEY_FIELDS:
        return money_text(typed)
    if isinstance(typed, Decimal | int):
        return number_text(typed)
    if isinstance(typed, dt.date):
        return date_text(typed)
    return str(value)


def typed_value(model: type[models.Model], name: str, value):
    """A stored value as its field's type: revisions keep decimals and dates as text, and
    "85000" and "85000.00" are the same amount. Values that do not fit stay as stored."""
    if value is None or isinstance(value, bool | list | dict):
        return value
    try:
        f = model._meta.get_field(name)
    except Exception:
        return value
    if isinstance(f, models.DecimalField | models.DateField | models.IntegerField):
        try:
            return f.to_python(value)
        except ValidationError:
            return value
    return value


def same_value(model: type[models.Model], name: str, before, after) -> bool:
    """Whether two stored values of a field mean the same: compared by value, not by text,
    and empty is empty whichever way it is stored."""
    if before in (None, "", []) and after in (None, "", []):
        return True
    return typed_value(model, name, before) == typed_value(model, name, after)


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences between two texts, as (equal|delete|insert, text) pieces."""
    a, b = old.split(), new.split()
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces


def names_of(*states: dict[str, dict]) -> dict[str, str]:
    names: dict[str, str] = {}
    for state in states:
        for key, row in state.items():
            names.setdefault(key, row_label(row["type"], row["data"]))
    return names


def moment_names(worksheet: Worksheet) -> dict[str, str]:
    """The names of the worksheet's measurement moments, as ``names_of`` names rows, for a
    result's moment in a diff; one query. Moments are not versioned: a removed one reads
    "(removed)"."""
    moments = worksheet.measurement_moments.values_list("pk", "name")
    return {f"moment:{pk}": name for pk, name in moments}


def field_changes(
    model: type[models.Model], old: dict, new: dict, names: dict[str, str]
) -> list[FieldChange]:
    changes = []
    for name in new.keys() | old.keys():
        before, after = old.get(name), new.get(name)
        if same_value(model, name, before, after):
            continue
        change = FieldChange(
            name=name,
            label=field_label(model, name),
            old=display_value(model, name, before, names),
            new=display_value(model, name, after, names),
        )
        both_text = isinstance(before, str) and isinstance(after, str) and before and after
        if both_text and max(len(before), len(after)) > LONG_TEXT:
            change.segments = word_diff(before, after)
        changes.append(change)
    order = [f.name for f in model._meta.get_fields()]
    changes.sort(key=lambda c: order.index(c.name) if c.name in order else 99)
    return changes


def diff(
    before: dict[str, dict], after: dict[str, dict], *, names: dict[str, str] | None = None
) -> list[RowChange]:
    """Rows added, removed and changed between two worksheet states, in step order;
    ``names`` adds names of what is not a row (see ``moment_names``)."""
    names = {**names_of(after, before), **(names or {})}
    changes: list[RowChange] = []
    for key in after.keys() | before.keys():
        old, new = before.get(key), after.get(key)
        if old is None and new is not None and new["type"] == "worksheet":
            # The worksheet exists from the start; its first save only fills in fields.
            old = {**new, "data": {}}
        row = new or old
        row_type = row["type"]
        kind = of_revision_type(row_type)
        model = kind.model
        common = {
            "key": key,
            "row_type": row_type,
            "row_id": row["id"],
            "type_label": str(kind.history_label),
            "label": names[key],
        }
        if old is None or new is None:
            action = "added" if old is None else "removed"
            changes.append(RowChange(step=row["step"], action=action, **common))
            continue
        fields = field_changes(model, old["data"], new["data"], names)
        if not fields:
            continue
        if row_type == "worksheet":
            # The worksheet row spans step 1 and step 6: report each field in its own step.
            for step in (Step.SCOPE, Step.LEARNING):
                in_step = [f for f in fields if step_of("worksheet", f.name) == step]
                if in_step:
                    changes.append(
                        RowChange(step=int(step), action="changed", fields=in_step, **common)
                    )
            continue
        changes.append(RowChange(step=row["step"], action="changed", fields=fields, **common))
    changes.sort(key=lambda c: (c.step, c.row_type, c.row_id))
    return changes
