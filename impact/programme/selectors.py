"""The programme view: every ronde of a programme's trainings side by side, the change from
one ronde to the next, and the themes across them all.

Reads only, scoped to the person through ``visible_to`` (the view lets only coordinators
in). :func:`programme_overview` costs a constant number of queries whatever the number of
rondes, organisations or rows: one per figure, each grouped by ronde.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Aggregate, Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from impact.models import (
    Effect,
    Indicator,
    Response,
    Result,
    Stakeholder,
    Step,
    StepReview,
    Suggestion,
    SuggestionUse,
    TargetGroup,
    ValueStep,
    Worksheet,
)
from impact.worksheet.health import hint_counts
from organisations.models import Role, User
from trainings.models import Attendance, Cohort, Enrolment, Programme, Session, Training

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A figure about fewer organisations than this is not shown in the anonymised report.
SMALL_GROUP = 5
# The themes the page and the report list of each kind (the page's template slices ten).
THEME_LIMIT = 10


@dataclass(frozen=True)
class Measure:
    """One column of the ronde table. ``kind``: ``count`` (a number, compared as a
    difference), ``held`` (a number out of those planned, compared as a difference) or
    ``share`` (a number out of a total, compared in percentage points)."""

    key: str
    label: StrOrPromise
    explanation: StrOrPromise
    kind: str = "share"


MEASURES = (
    Measure(
        "organisations",
        _("Organisations"),
        _("enrolled and not withdrawn"),
        kind="count",
    ),
    Measure("sessions", _("Sessions held"), _("of the sessions planned"), kind="held"),
    Measure(
        "attendance",
        _("Attendance"),
        _("organisations present at a session held, of all that could have been"),
    ),
    Measure("steps", _("Steps approved"), _("of six steps per organisation")),
    Measure("effects", _("Effects with an indicator"), _("of all effects described")),
    Measure("indicators", _("Indicators with a result"), _("of all indicators")),
    Measure(
        "questionnaires",
        _("Questionnaires answered"),
        _("organisations with at least one answered questionnaire"),
    ),
    Measure(
        "value",
        _("Value steps made"),
        _("organisations that switched the value step on"),
    ),
)


def _percent(count: int, total: int) -> int:
    """``count`` of ``total`` in whole percent, halves rounded up."""
    return (200 * count + total) // (2 * total)


@dataclass
class Cell:
    """One figure of a ronde. Its labels are worked out once, when first read (after the
    comparison with the ronde before has set ``change``)."""

    measure: Measure
    count: int
    total: int | None = None
    note: str = ""
    # Against the ronde before: points for a share, a difference otherwise; None at first.
    change: int | None = None

    @property
    def percent(self) -> int | None:
        if self.measure.kind != "share" or not self.total:
            return None
        return _percent(self.count, self.total)

    @property
    def compared(self) -> int | None:
        """The value the next ronde is compared with."""
        return self.percent if self.measure.kind == "share" else self.count

    @cached_property
    def value_label(self) -> str:
        """The figure as the table shows it: "65 %", "2 of 3", "8"; "–" for a share of
        nothing."""
        if self.measure.kind == "held":
            return _("%(count)s of %(total)s") % {
                "count": number(self.count),
                "total": number(self.total or 0),
            }
        if self.measure.kind == "share":
            return "–" if self.percent is None else _("%(percent)s %%") % {"percent": self.percent}
        return number(self.count)

    @cached_property
    def detail_label(self) -> str:
        """What a share is of: "31 of 48"; empty for the other kinds."""
        if self.measure.kind != "share" or not self.total:
            return ""
        return _("%(count)s of %(total)s") % {
            "count": number(self.count),
            "total": number(self.total),
        }

    @cached_property
    def change_label(self) -> str:
        """The change since the ronde before: "+12 pt" for a share, "+3" otherwise, "±0"
        for none; empty for the first ronde."""
        if self.change is None:
            return ""
        sign = "+" if self.change > 0 else "−" if self.change < 0 else "±"
        figure = f"{sign}{number(abs(self.change))}"
        if self.measure.kind == "share":
            return _("%(change)s pt") % {"change": figure}
        return figure

    @cached_property
    def direction(self) -> str:
        """ "up" or "down" for a share that changed (more is better for every share here);
        "same" otherwise: more organisations or dagdelen is neither good nor bad."""
        if not self.change or self.measure.kind != "share":
            return "same"
        return "up" if self.change > 0 else "down"


def number(value: int) -> str:
    """A whole number as the language writes it: "1.234" in Dutch."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@dataclass
class Row:
    """One ronde (or all rondes of a training or programme) across the measures."""

    label: str
    cells: list[Cell]
    organisations: int
    cohort: Cohort | None = None
    previous: str = ""  # the ronde the changes are against
    organisation_names: list[str] = field(default_factory=list)
    tally: Tally | None = None  # a ronde's raw numbers, for totals of some rondes only

    @property
    def is_small(self) -> bool:
        return self.organisations < SMALL_GROUP

    @cached_property
    def since_label(self) -> str:
        """ "since Ronde 1", for those who hear the table rather than see it."""
        return _("since %(name)s") % {"name": self.previous} if self.previous else ""


@dataclass
class TrainingTable:
    training: Training
    rows: list[Row]
    total: Row | None


@dataclass(frozen=True)
class ThemeItem:
    label: str
    organisations: int
    count: int
    count_label: str  # the count in words: "named 7 times", "3 stakeholders"
    detail: str = ""


@dataclass
class Themes:
    target_groups: list[ThemeItem]
    categories: list[ThemeItem]
    suggestions: list[ThemeItem]
    hints: list[ThemeItem]


@dataclass
class ProgrammeOverview:
    programme: Programme
    trainings: list[TrainingTable]
    total: Row | None
    themes: Themes
    measures: tuple[Measure, ...] = MEASURES

    @property
    def rondes(self) -> int:
        return sum(len(table.rows) for table in self.trainings)


# --- The figures of each ronde ------------------------------------------------------------


@dataclass
class Tally:
    """The raw numbers of one ronde, or of several added up."""

    enrolled: int = 0  # organisations per ronde, added up over rondes
    organisations: dict[int, str] = field(default_factory=dict)  # their names by id
    planned: int = 0
    held: int = 0
    present: int = 0  # (session held, organisation present) pairs
    possible: int = 0  # sessions held × organisations
    approved: int = 0
    effects: int = 0
    effects_measured: int = 0
    indicators: int = 0
    indicators_measured: int = 0
    asking: int = 0  # organisations with an answered questionnaire
    answers: int = 0
    value_on: int = 0
    value_approved: int = 0

    def __add__(self, other: Tally) -> Tally:
        total = Tally()
        for name in Tally.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(total, name, mine | theirs if isinstance(mine, dict) else mine + theirs)
        return total

    def cells(self) -> list[Cell]:
        measures = {measure.key: measure for measure in MEASURES}
        return [
            Cell(measures["organisations"], len(self.organisations)),
            Cell(measures["sessions"], self.held, self.planned),
            Cell(measures["attendance"], self.present, self.possible),
            Cell(measures["steps"], self.approved, self.enrolled * len(Step.values)),
            Cell(measures["effects"], self.effects_measured, self.effects),
            Cell(measures["indicators"], self.indicators_measured, self.indicators),
            Cell(
                measures["questionnaires"],
                self.asking,
                self.enrolled,
                ngettext("%(count)s answer", "%(count)s answers", self.answers)
                % {"count": number(self.answers)}
                if self.answers
                else "",
            ),
            Cell(
                measures["value"],
                self.value_on,
                self.enrolled,
                _("%(count)s approved") % {"count": self.value_approved} if self.value_on else "",
            ),
        ]


def _held(now: dt.datetime, prefix: str = "") -> Q:
    """Sessions that have ended by ``now``, as ``sessions_held`` of the worksheet pages and
    the loop over sessions in :func:`ronde_tallies` count them."""
    return Q(**{f"{prefix}date__lt": now.date()}) | Q(
        **{f"{prefix}date": now.date(), f"{prefix}ends_at__lte": now.time()}
    )


def _per_ronde(queryset: QuerySet, path: str, **aggregates: Aggregate) -> dict[int, dict]:
    """``aggregates`` of ``queryset`` grouped by the ronde at ``path``: one query."""
    rows = queryset.order_by().values(ronde=F(path)).annotate(**aggregates)
    return {row.pop("ronde"): row for row in rows}


def ronde_tallies(
    *, cohorts: list[Cohort], worksheets: QuerySet[Worksheet], now: dt.datetime
) -> dict[int, Tally]:
    """The raw numbers of each of ``cohorts``; ``worksheets`` are their active worksheets
    (a subquery). Eight queries: enrolments, sessions, attendance, approved steps, effects,
    indicators, questionnaire answers and value steps."""
    ids = [cohort.pk for cohort in cohorts]
    tallies = {pk: Tally() for pk in ids}
    for cohort_id, organisation_id, name in Enrolment.objects.filter(
        cohort_id__in=ids, withdrawn_at__isnull=True
    ).values_list("cohort_id", "organisation_id", "organisation__name"):
        tallies[cohort_id].organisations[organisation_id] = name
    for cohort_id, date, ends_at in Session.objects.filter(cohort_id__in=ids).values_list(
        "cohort_id", "date", "ends_at"
    ):
        tallies[cohort_id].planned += 1
        tallies[cohort_id].held += date < now.date() or (
            date == now.date() and ends_at <= now.time()
        )
    # An organisation was present when one of its participants was; withdrawn ones are not
    # counted, as they are not among the organisations either.
    present = (
        Attendance.objects.filter(
            _held(now, "session__"),
            session__cohort_id__in=ids,
            person__memberships__role=Role.PARTICIPANT,
            person__memberships__organisation__enrolments__cohort=F("session__cohort"),
            person__memberships__organisation__enrolments__withdrawn_at__isnull=True,
        )
        .values_list("session__cohort_id", "session_id", "person__memberships__organisation_id")
        .distinct()
    )
    for cohort_id, _session, _organisation in present:
        tallies[cohort_id].present += 1
    ronde = "enrolment__cohort_id"
    approved = _per_ronde(
        StepReview.objects.filter(worksheet__in=worksheets, state=StepReview.State.APPROVED),
        f"worksheet__{ronde}",
        count=Count("pk"),
    )
    effects = _per_ronde(
        Effect.objects.filter(worksheet__in=worksheets).annotate(
            measured=Exists(Indicator.objects.filter(effect=OuterRef("pk")))
        ),
        f"worksheet__{ronde}",
        total=Count("pk"),
        measured=Count("pk", filter=Q(measured=True)),
    )
    measured_result = Result.objects.filter(indicator=OuterRef("pk")).filter(
        Q(value__isnull=False) | ~Q(narrative="")
    )
    indicators = _per_ronde(
        Indicator.objects.filter(effect__worksheet__in=worksheets).annotate(
            measured=Exists(measured_result)
        ),
        f"effect__worksheet__{ronde}",
        total=Count("pk"),
        measured=Count("pk", filter=Q(measured=True)),
    )
    answers = _per_ronde(
        Response.objects.filter(
            link__questionnaire__worksheet__in=worksheets, finished_at__isnull=False
        ),
        f"link__questionnaire__worksheet__{ronde}",
        answers=Count("pk"),
        asking=Count("link__questionnaire__worksheet", distinct=True),
    )
    value = _per_ronde(
        ValueStep.objects.filter(worksheet__in=worksheets, is_enabled=True),
        f"worksheet__{ronde}",
        on=Count("pk"),
        approved=Count("pk", filter=Q(approved_at__isnull=False)),
    )
    for pk, tally in tallies.items():
        tally.enrolled = len(tally.organisations)
        tally.possible = tally.enrolled * tally.held
        tally.approved = approved.get(pk, {}).get("count", 0)
        tally.effects = effects.get(pk, {}).get("total", 0)
        tally.effects_measured = effects.get(pk, {}).get("measured", 0)
        tally.indicators = indicators.get(pk, {}).get("total", 0)
        tally.indicators_measured = indicators.get(pk, {}).get("measured", 0)
        tally.answers = answers.get(pk, {}).get("answers", 0)
        tally.asking = answers.get(pk, {}).get("asking", 0)
        tally.value_on = value.get(pk, {}).get("on", 0)
        tally.value_approved = value.get(pk, {}).get("approved", 0)
    return tallies


def _compare(cells: list[Cell], before: list[Cell]) -> None:
    for cell, earlier in zip(cells, before, strict=True):
        if cell.compared is not None and earlier.compared is not None:
            cell.change = cell.compared - earlier.compared


def _rows(cohorts: list[Cohort], tallies: dict[int, Tally]) -> list[Row]:
    """The rondes of one training in order, each compared with the one before."""
    rows: list[Row] = []
    for cohort in cohorts:
        tally = tallies[cohort.pk]
        row = Row(
            label=cohort.name,
            cells=tally.cells(),
            organisations=tally.enrolled,
            cohort=cohort,
            organisation_names=sorted(tally.organisations.values()),
            tally=tally,
        )
        if rows:
            row.previous = rows[-1].label
            _compare(row.cells, rows[-1].cells)
        rows.append(row)
    return rows


def total_row(label: str, tallies: Iterable[Tally]) -> Row:
    """One row of several rondes added up; the organisations counted once each."""
    tally = sum(tallies, Tally())
    return Row(label=label, cells=tally.cells(), organisations=len(tally.organisations))


# --- Themes ---------------------------------------------------------------------------------


def programme_themes(*, worksheets: QuerySet[Worksheet]) -> Themes:
    """What the organisations of ``worksheets`` name most: target groups (by name, case
    and spaces aside), stakeholder categories, starter-kit suggestions taken, and the hints
    left open; each counted in distinct organisations. Seven queries."""
    organisation = "worksheet__enrolment__organisation"
    target_groups = [
        ThemeItem(
            row["name"],
            row["organisations"],
            row["rows"],
            ngettext("named %(count)s time", "named %(count)s times", row["rows"])
            % {"count": row["rows"]},
        )
        for row in TargetGroup.objects.filter(worksheet__in=worksheets)
        .annotate(key=Lower(Trim("name")))
        .exclude(key="")
        .order_by()
        .values("key")
        .annotate(
            name=Min(Trim("name")),
            organisations=Count(organisation, distinct=True),
            rows=Count("pk"),
        )
    ]
    categories = dict(Stakeholder.Category.choices)
    stakeholder_categories = [
        ThemeItem(
            str(categories.get(row["category"], row["category"])),
            row["o"],
            row["n"],
            ngettext("%(count)s stakeholder", "%(count)s stakeholders", row["n"])
            % {"count": row["n"]},
        )
        for row in Stakeholder.objects.filter(worksheet__in=worksheets)
        .order_by()
        .values("category")
        .annotate(o=Count(organisation, distinct=True), n=Count("pk"))
    ]
    kinds = dict(Suggestion.Kind.choices)
    suggestions = [
        ThemeItem(
            row["suggestion__title"],
            row["o"],
            row["n"],
            ngettext("taken %(count)s time", "taken %(count)s times", row["n"])
            % {"count": row["n"]},
            detail=str(kinds[row["suggestion__kind"]]),
        )
        for row in SuggestionUse.objects.filter(worksheet__in=worksheets)
        .order_by()
        .values("suggestion_id", "suggestion__title", "suggestion__kind")
        .annotate(o=Count(organisation, distinct=True), n=Count("pk"))
    ]
    hints = [
        ThemeItem(
            hint.label,
            hint.organisations,
            hint.occurrences,
            ngettext("open in %(count)s place", "open in %(count)s places", hint.occurrences)
            % {"count": hint.occurrences},
        )
        for hint in hint_counts(worksheets=worksheets)
    ]

    def most(items: list[ThemeItem]) -> list[ThemeItem]:
        return sorted(items, key=lambda item: (-item.organisations, -item.count, item.label))

    return Themes(
        target_groups=most(target_groups),
        categories=most(stakeholder_categories),
        suggestions=most(suggestions),
        hints=most(hints),
    )


# --- The overview ---------------------------------------------------------------------------


def programme_overview(
    *, programme: Programme, user: User, now: dt.datetime | None = None
) -> ProgrammeOverview:
    """Every training of the programme with its rondes (archived ones left out) in order,
    each compared with the one before, a total per training and for the programme, and the
    themes. Seventeen queries, whatever the number of rondes:

    1. the trainings; 2. their rondes; 3–10. the figures of :func:`ronde_tallies`;
    11–17. the themes of :func:`programme_themes`.
    """
    now = timezone.localtime(now)
    trainings = list(Training.objects.visible_to(user).filter(programme=programme))
    cohorts = list(
        Cohort.objects.visible_to(user)
        .current()
        .filter(training__programme=programme)
        .order_by("starts_on", "name", "pk")
    )
    worksheets = Worksheet.objects.visible_to(user).filter(
        enrolment__cohort__in=[cohort.pk for cohort in cohorts],
        enrolment__withdrawn_at__isnull=True,
    )
    tallies = ronde_tallies(cohorts=cohorts, worksheets=worksheets, now=now)
    tables = []
    for training in trainings:
        own = [cohort for cohort in cohorts if cohort.training_id == training.pk]
        rows = _rows(own, tallies)
        total = (
            total_row(str(_("All rondes")), (tallies[c.pk] for c in own)) if len(own) > 1 else None
        )
        tables.append(TrainingTable(training=training, rows=rows, total=total))
    overall = None
    if len(tables) > 1:
        overall = total_row(str(_("The whole programme")), tallies.values())
    return ProgrammeOverview(
        programme=programme,
        trainings=tables,
        total=overall,
        themes=programme_themes(worksheets=worksheets),
    )
