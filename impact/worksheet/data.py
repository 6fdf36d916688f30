"""Reads for reports and exports: a worksheet as a plain dict, and cohort-wide summaries.

Every report renders from the dict that :func:`worksheet_data` returns. A report of the
worksheet as it was at the end of a session turns the session's snapshot (the history's
rows, see ``impact.worksheet.history``) into the same dict with
:func:`worksheet_data_from_snapshot`, so both paths share one renderer.

The shape (``schema`` 1); dates are ISO strings, decimals are strings (exact), optional
values are ``None``::

    {
      "schema": 1,
      "worksheet_id": 12,
      "organisation": {"id": 3, "name": "Kringloop Zwolle", "city": "Zwolle"},
      "cohort": {"id": 2, "name": "Ronde 2", "training": "Training Social Impact meting"},
      "scope": {"good_practice", "reasons": [codes], "audiences", "period_start",
                "period_end", "social_problem", "impact_goal", "themes": [codes],
                "mission_link"},
      "learning": {"findings", "next_steps", "quote", "partners_to_approach",
                   "funding_opportunities", "key_message"},
      "target_groups": [{"id", "name", "size", "description"}],
      "stakeholders": [{"id", "name", "category", "relation", "group_size",
                        "involvement", "is_material", "materiality_reason"}],
      "activities": [{"id", "title", "stakeholder_ids": [ids], "need", "input_time",
                      "input_money", "input_in_kind",
                      "outputs": [{"id", "description", "quantity", "unit"}]}],
      "effects": [{"id", "stakeholder_id", "activity_ids": [ids], "description", "term",
                   "is_positive", "is_intended", "assumptions", "evidence", "confidence",
                   "indicators": [{"id", "name", "definition", "kind", "direction",
                                   "baseline", "baseline_date", "target", "unit", "source",
                                   "method", "frequency", "measured_by",
                                   "results": [{"id", "period", "value", "narrative",
                                                "respondents", "measured_on", "evidence",
                                                "comment", "moment_id"}]}]}],
      "moments": [{"id", "name", "starts_on", "ends_on"}],
    }

``moment_id`` names one of ``moments``, the worksheet's measurement moments, for a result
made from a questionnaire or typed in at a moment (None for a period that is only text).
Moments are not versioned: a snapshot's report reads the worksheet's moments as they are now.

Choice fields hold their codes (``"funders"``, ``"short"``); :func:`report_view` adds the
labels in the active language when a report is rendered.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from impact.models import (
    Activity,
    Comment,
    Effect,
    Indicator,
    MomentChange,
    MomentValue,
    Stakeholder,
    Step,
    Worksheet,
    moment_change,
)
from trainings.models import Cohort

SCHEMA_VERSION = 1

SCOPE_FIELDS = Worksheet.SCOPE_FIELDS
LEARNING_FIELDS = Worksheet.LEARNING_FIELDS


def report_worksheets() -> QuerySet[Worksheet]:
    """Worksheets with everything a report shows; eleven queries however many worksheets.

    The value step and each effect's valuation come along in the same queries (joins), so
    ``impact.value.report`` reads them without a query of its own."""
    return Worksheet.objects.select_related(
        "enrolment__organisation", "enrolment__cohort__training", "value_step__approved_by"
    ).prefetch_related(
        "measurement_moments",
        "target_groups",
        "stakeholders",
        Prefetch(
            "activities",
            queryset=Activity.objects.prefetch_related(
                Prefetch("stakeholders", queryset=Stakeholder.objects.only("id")), "outputs"
            ),
        ),
        Prefetch(
            "effects",
            queryset=Effect.objects.select_related(
                "stakeholder", "valuation__proxy"
            ).prefetch_related(
                Prefetch("activities", queryset=Activity.objects.only("id")),
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("results")),
            ),
        ),
    )


def plain_value(value: Any) -> Any:
    """A field's value as JSON holds it: decimals as exact strings, dates as ISO strings."""
    if isinstance(value, Decimal):
        # "40", "12.5": no trailing zeros and never exponent notation ("4E+1").
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# The fields of each kind of row in the report dict, in the order of the shape above.
TARGET_GROUP_FIELDS = ("id", "name", "size", "description")
STAKEHOLDER_FIELDS = (
    "id",
    "name",
    "category",
    "relation",
    "group_size",
    "involvement",
    "is_material",
    "materiality_reason",
)
ACTIVITY_FIELDS = ("id", "title", "need", "input_time", "input_money", "input_in_kind")
OUTPUT_FIELDS = ("id", "description", "quantity", "unit")
EFFECT_FIELDS = (
    "id",
    "description",
    "term",
    "is_positive",
    "is_intended",
    "assumptions",
    "evidence",
    "confidence",
)
INDICATOR_FIELDS = (
    "id",
    "name",
    "definition",
    "kind",
    "direction",
    "baseline",
    "baseline_date",
    "target",
    "unit",
    "source",
    "method",
    "frequency",
    "measured_by",
)
RESULT_FIELDS = (
    "id",
    "period",
    "value",
    "narrative",
    "respondents",
    "measured_on",
    "evidence",
    "comment",
)


def moments_of(worksheet: Worksheet) -> list[dict]:
    """The worksheet's measurement moments as plain dicts; one query unless prefetched."""
    return [
        {
            "id": m.pk,
            "name": m.name,
            "starts_on": m.starts_on.isoformat(),
            "ends_on": m.ends_on.isoformat(),
        }
        for m in worksheet.measurement_moments.all()
    ]


def _report_dict(worksheet: Worksheet, scope: dict, learning: dict, rows: dict) -> dict:
    """The report dict (shape in the module docstring), from the worksheet's own fields and
    its rows as plain dicts by row type, each in the order to show, with its fields and
    links named as the models name them (``stakeholders``, ``activity``…). The one builder
    of both the worksheet as it is and as a snapshot kept it; no queries beyond the
    worksheet's organisation, cohort and training, and its measurement moments (one query
    unless prefetched)."""

    def pick(row: dict, names: tuple[str, ...]) -> dict:
        return {name: row.get(name) for name in names}

    def by_parent(row_type: str, parent: str) -> dict[Any, list[dict]]:
        grouped: dict[Any, list[dict]] = defaultdict(list)
        for row in rows.get(row_type, []):
            grouped[row.get(parent)].append(row)
        return grouped

    outputs = by_parent("output", "activity")
    indicators = by_parent("indicator", "effect")
    results = by_parent("result", "indicator")
    organisation = worksheet.enrolment.organisation
    cohort = worksheet.enrolment.cohort
    return {
        "schema": SCHEMA_VERSION,
        "worksheet_id": worksheet.pk,
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "city": organisation.city,
        },
        "cohort": {"id": cohort.pk, "name": cohort.name, "training": cohort.training.name},
        "scope": scope,
        "learning": learning,
        "target_groups": [pick(row, TARGET_GROUP_FIELDS) for row in rows.get("targetgroup", [])],
        "stakeholders": [pick(row, STAKEHOLDER_FIELDS) for row in rows.get("stakeholder", [])],
        "activities": [
            {
                **pick(row, ACTIVITY_FIELDS),
                "stakeholder_ids": row.get("stakeholders", []),
                "outputs": [pick(output, OUTPUT_FIELDS) for output in outputs[row["id"]]],
            }
            for row in rows.get("activity", [])
        ],
        "effects": [
            {
                **pick(row, EFFECT_FIELDS),
                "stakeholder_id": row.get("stakeholder"),
                "activity_ids": row.get("activities", []),
                "indicators": [
                    {
                        **pick(indicator, INDICATOR_FIELDS),
                        "results": [
                            {**pick(result, RESULT_FIELDS), "moment_id": result.get("moment")}
                            for result in results[indicator["id"]]
                        ],
                    }
                    for indicator in indicators[row["id"]]
                ],
            }
            for row in rows.get("effect", [])
        ],
        "moments": moments_of(worksheet),
    }


def worksheet_data_from_snapshot(worksheet: Worksheet, snapshot: dict) -> dict:
    """Return the report dict for a snapshot taken by the history; no queries beyond the
    worksheet's organisation, cohort and moments. Rows keep the order in which they were
    added."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(snapshot.get("rows", {}).values(), key=lambda r: r["id"]):
        by_type[row["type"]].append({"id": row["id"], **row["data"]})
    sheet = next(iter(by_type.get("worksheet", [])), {})
    scope = {
        name: sheet.get(name, [] if name in ("reasons", "themes") else "") for name in SCOPE_FIELDS
    }
    learning = {name: sheet.get(name, "") for name in LEARNING_FIELDS}
    return _report_dict(worksheet, scope, learning, by_type)


def worksheet_data(worksheet: Worksheet) -> dict:
    """Return the worksheet as a plain, JSON-ready dict (shape in the module docstring).

    Uses prefetched rows when the worksheet comes from :func:`report_worksheets`; otherwise
    it costs about ten queries.
    """

    def plain(obj: Any, names: tuple[str, ...], **links: Any) -> dict:
        values = {name: plain_value(getattr(obj, name)) for name in names[1:]}
        return {"id": obj.pk, **values, **links}

    rows: dict[str, list[dict]] = defaultdict(list)
    rows["targetgroup"] = [plain(g, TARGET_GROUP_FIELDS) for g in worksheet.target_groups.all()]
    rows["stakeholder"] = [plain(s, STAKEHOLDER_FIELDS) for s in worksheet.stakeholders.all()]
    for activity in worksheet.activities.all():
        stakeholders = [s.pk for s in activity.stakeholders.all()]
        rows["activity"].append(plain(activity, ACTIVITY_FIELDS, stakeholders=stakeholders))
        for output in activity.outputs.all():
            rows["output"].append(plain(output, OUTPUT_FIELDS, activity=activity.pk))
    for effect in worksheet.effects.all():
        activities = [a.pk for a in effect.activities.all()]
        links = {"stakeholder": effect.stakeholder_id, "activities": activities}
        rows["effect"].append(plain(effect, EFFECT_FIELDS, **links))
        for indicator in effect.indicators.all():
            rows["indicator"].append(plain(indicator, INDICATOR_FIELDS, effect=effect.pk))
            for result in indicator.results.all():
                rows["result"].append(
                    plain(result, RESULT_FIELDS, indicator=indicator.pk, moment=result.moment_id)
                )
    scope = {name: plain_value(getattr(worksheet, name)) for name in SCOPE_FIELDS}
    learning = {name: getattr(worksheet, name) for name in LEARNING_FIELDS}
    return _report_dict(worksheet, scope, learning, rows)


# --- Presentation: labels and lookups for the templates --------------------------------


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or ""


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def report_view(data: dict) -> dict:
    """Return a copy of ``data`` with labels, numbers and lookups for the report templates.

    Tolerates missing keys, so an older snapshot still renders.
    """
    stakeholders = [
        {
            **s,
            "category_label": _label(Stakeholder.Category, s.get("category", "")),
            "relation_label": _label(Stakeholder.Relation, s.get("relation", "")),
            "involvement_label": _label(Stakeholder.Involvement, s.get("involvement", "")),
        }
        for s in data.get("stakeholders", [])
    ]
    stakeholder_names = {s["id"]: s.get("name", "") for s in stakeholders}
    activities = [
        {
            **a,
            "stakeholder_names": [
                stakeholder_names[i] for i in a.get("stakeholder_ids", []) if i in stakeholder_names
            ],
            "input_money": _number(a.get("input_money")),
            "outputs": [
                {**o, "quantity": _number(o.get("quantity"))} for o in a.get("outputs", [])
            ],
        }
        for a in data.get("activities", [])
    ]
    activity_titles = {a["id"]: a.get("title", "") for a in activities}
    moments = {
        m["id"]: {**m, "starts_on": _date(m.get("starts_on")), "ends_on": _date(m.get("ends_on"))}
        for m in data.get("moments", [])
    }
    effects = []
    indicators = []
    for number, effect in enumerate(data.get("effects", []), start=1):
        effect_indicators = []
        for indicator in effect.get("indicators", []):
            results = [
                {**r, "value": _number(r.get("value")), "measured_on": _date(r.get("measured_on"))}
                for r in indicator.get("results", [])
            ]
            measured = [r for r in results if r["value"] is not None]
            baseline, target = _number(indicator.get("baseline")), _number(indicator.get("target"))
            # The same rule as the step page: an unsaved indicator with the stored figures.
            rule = Indicator(
                baseline=baseline,
                target=target,
                direction=indicator.get("direction") or Indicator.Direction.INCREASE,
            )
            row = {
                **indicator,
                "kind_label": _label(Indicator.Kind, indicator.get("kind", "")),
                "method_label": _label(Indicator.Method, indicator.get("method", "")),
                "direction_label": _label(Indicator.Direction, indicator.get("direction", "")),
                "baseline": baseline,
                "target": target,
                "baseline_date": _date(indicator.get("baseline_date")),
                "results": results,
                "latest": measured[-1] if measured else None,
                "progress": rule.progress(measured[-1]["value"]) if measured else None,
                "moment_change": _moment_change(measured, moments, rule.direction),
                "effect_number": number,
                "effect_description": effect.get("description", ""),
            }
            effect_indicators.append(row)
            indicators.append(row)
        effects.append(
            {
                **effect,
                "number": number,
                "stakeholder_name": stakeholder_names.get(effect.get("stakeholder_id"), ""),
                "activity_titles": [
                    activity_titles[i]
                    for i in effect.get("activity_ids", [])
                    if i in activity_titles
                ],
                "term_label": _label(Effect.Term, effect.get("term", "")),
                "confidence_label": _label(Effect.Confidence, effect.get("confidence", "")),
                "indicators": effect_indicators,
                "is_measured": any(i["latest"] for i in effect_indicators),
            }
        )
    scope = dict(data.get("scope", {}))
    scope["reason_labels"] = [_label(Worksheet.Reason, r) for r in scope.get("reasons") or []]
    scope["theme_labels"] = [_label(Worksheet.Theme, t) for t in scope.get("themes") or []]
    scope["period_start"] = _date(scope.get("period_start"))
    scope["period_end"] = _date(scope.get("period_end"))
    return {
        **data,
        "scope": scope,
        "learning": data.get("learning", {}),
        "target_groups": data.get("target_groups", []),
        "stakeholders": stakeholders,
        "activities": activities,
        "effects": effects,
        "indicators": indicators,
        "measured_effect_count": sum(1 for e in effects if e["is_measured"]),
        "moment_changes": [i for i in indicators if i["moment_change"]],
        "key_indicators": key_indicators(indicators),
    }


def _moment_change(measured: list[dict], moments: dict, direction: str) -> MomentChange | None:
    """The change from the first measurement moment to the last (the step page's rule,
    ``Indicator.moment_change``), from the results made at a moment; no queries."""
    values = [
        MomentValue(
            moment["id"],
            moment.get("name", ""),
            moment["starts_on"] or dt.date.min,
            (r["measured_on"] is not None, r["measured_on"], r.get("id") or 0),
            r["value"],
        )
        for r in measured
        if (moment := moments.get(r.get("moment_id"))) is not None
    ]
    return moment_change(values, direction)


def key_indicators(indicators: list[dict], limit: int = 5) -> list[dict]:
    """The indicators a summary shows: measured ones with a target first, at most ``limit``."""

    def rank(row: dict) -> tuple[int, int]:
        return (0 if row["latest"] else 1, 0 if row["target"] is not None else 1)

    return sorted(indicators, key=rank)[:limit]


def summary_gaps(view: dict) -> list[dict]:
    """What a summary still lacks, per step of the worksheet: ``{"step", "label", "items"}``
    for each step with something left to fill in, in step order. No queries."""
    scope, learning = view["scope"], view["learning"]
    activities = view["activities"]
    wanted = [
        (Step.SCOPE, _("the impact goal"), bool(scope.get("impact_goal"))),
        (Step.SCOPE, _("the target groups"), bool(view["target_groups"])),
        (Step.STAKEHOLDERS, _("the stakeholders"), bool(view["stakeholders"])),
        (Step.ACTIVITIES, _("the activities"), bool(activities)),
        (Step.ACTIVITIES, _("their outputs"), any(a["outputs"] for a in activities)),
        (Step.EFFECTS, _("the effects"), bool(view["effects"])),
        (Step.INDICATORS, _("the indicators"), bool(view["indicators"])),
        (Step.INDICATORS, _("measured results"), any(i["latest"] for i in view["indicators"])),
        (Step.LEARNING, _("the key message"), bool(learning.get("key_message"))),
    ]
    gaps: dict[int, dict] = {}
    for step, item, filled in wanted:
        if not filled:
            gap = gaps.setdefault(step, {"step": int(step), "label": step.label, "items": []})
            gap["items"].append(item)
    return list(gaps.values())


def feedback_comments(worksheet: Worksheet) -> list[dict]:
    """The trainers' comments on the worksheet, oldest first, with their replies (one query)."""
    comments = (
        Comment.objects.filter(worksheet=worksheet)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    threads: dict[int, dict] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = {
                "step": comment.get_step_display(),
                "author": str(comment.author) if comment.author else "",
                "body": comment.body,
                "created_at": comment.created_at,
                "resolved": comment.resolved_at is not None,
                "replies": [],
            }
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id]["replies"].append(
                {"author": str(reply.author) if reply.author else "", "body": reply.body}
            )
    return list(threads.values())


# --- The cohort: who shares what -------------------------------------------------------


def cohort_report_worksheets(*, cohort: Cohort) -> QuerySet[Worksheet]:
    """The worksheets of the cohort's active enrolments, with all report rows prefetched:
    what a cohort report or export renders (see ``report_worksheets``)."""
    return report_worksheets().filter(
        enrolment__cohort=cohort, enrolment__withdrawn_at__isnull=True
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class SharedItem:
    kind: str  # "category", "stakeholder" or "target_group"
    label: str
    organisations: set[int] = field(default_factory=set)


@dataclass
class Collaboration:
    organisations: list[dict]
    rows: list[dict]
    pairings: list[dict]


def collaboration(datasets: list[dict], *, max_pairings: int = 6) -> Collaboration:
    """Return which stakeholders, categories and target groups organisations share.

    ``rows`` hold only what two or more organisations share, each with one flag per
    organisation; ``pairings`` suggest organisations to meet, with the reason.
    """
    organisations = [
        {"id": d["organisation"]["id"], "name": d["organisation"]["name"]} for d in datasets
    ]
    items: dict[tuple[str, str], SharedItem] = {}

    def add(kind: str, label: str, organisation_id: int) -> None:
        if not label.strip():
            return
        item = items.setdefault((kind, _key(label)), SharedItem(kind=kind, label=label.strip()))
        item.organisations.add(organisation_id)

    for d in datasets:
        organisation_id = d["organisation"]["id"]
        for group in d.get("target_groups", []):
            add("target_group", group.get("name", ""), organisation_id)
        for stakeholder in d.get("stakeholders", []):
            add("stakeholder", stakeholder.get("name", ""), organisation_id)
            add(
                "category",
                _label(Stakeholder.Category, stakeholder.get("category", "")),
                organisation_id,
            )
    kind_order = {"target_group": 0, "stakeholder": 1, "category": 2}
    shared = sorted(
        (item for item in items.values() if len(item.organisations) >= 2),
        key=lambda i: (kind_order[i.kind], -len(i.organisations), i.label.casefold()),
    )
    kind_labels = {
        "target_group": _("target group"),
        "stakeholder": _("stakeholder"),
        "category": _("stakeholder category"),
    }
    rows = [
        {
            "kind": item.kind,
            "kind_label": kind_labels[item.kind],
            "label": item.label,
            "count": len(item.organisations),
            "flags": [o["id"] in item.organisations for o in organisations],
        }
        for item in shared
    ]
    # Pairings rest on named stakeholders and target groups; categories alone are too broad.
    by_pair: dict[tuple[int, int], list[SharedItem]] = defaultdict(list)
    for item in shared:
        if item.kind == "category":
            continue
        for a, b in itertools.combinations(sorted(item.organisations), 2):
            by_pair[(a, b)].append(item)
    names = {o["id"]: o["name"] for o in organisations}
    ranked = sorted(by_pair.items(), key=lambda kv: (-len(kv[1]), names[kv[0][0]], names[kv[0][1]]))
    pairings = []
    used: dict[int, int] = defaultdict(int)
    for (a, b), shared_items in ranked:
        # Spread suggestions: nobody appears in more than two pairings.
        if used[a] >= 2 or used[b] >= 2:
            continue
        used[a] += 1
        used[b] += 1
        labels = [i.label for i in shared_items[:3]]
        pairings.append(
            {
                "first": names[a],
                "second": names[b],
                "reason": _("both work with %(items)s")
                % {"items": get_text_list(labels, _("and"))},
            }
        )
        if len(pairings) >= max_pairings:
            break
    return Collaboration(organisations=organisations, rows=rows, pairings=pairings)


def cohort_summary_rows(views: list[dict]) -> list[dict]:
    """One row per organisation for the cohort overview table."""
    return [
        {
            "organisation": v["organisation"]["name"],
            "good_practice": v["scope"].get("good_practice", ""),
            "impact_goal": v["scope"].get("impact_goal", ""),
            "target_groups": [g.get("name", "") for g in v["target_groups"]],
            "stakeholder_count": len(v["stakeholders"]),
            "effect_count": len(v["effects"]),
            "measured_effect_count": v["measured_effect_count"],
        }
        for v in views
    ]
