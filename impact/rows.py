"""The row types of the impact worksheet, each described once.

A worksheet is made of rows: the worksheet's own fields (step 1 and step 6, edited through
two forms), and lists of target groups, stakeholders, activities with their outputs,
effects, indicators and their results. Everything that needs to know a row type reads it
here: the services that save, remove and put back rows, the history, the step pages, the
feedback on a row, the starter kit and the cohort overview.

Adding a row type is one entry below, one model, one form and one template.

The forms are named by their dotted path and imported when first asked for: the forms
import the models (and the worksheet's display helpers), and this module must not import
the forms back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Prefetch
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from impact.models import (
    Activity,
    Effect,
    Indicator,
    Output,
    Result,
    Stakeholder,
    Step,
    TargetGroup,
    VersionedModel,
    Worksheet,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from impact.worksheet.forms import VersionedForm


@dataclass(frozen=True, eq=False)
class RowType:
    """One kind of worksheet row and everything the app needs to know about it; each is
    made once, below, so it compares (and hashes) by identity."""

    slug: str  # in URLs, form prefixes, comments and revisions
    model: type[VersionedModel]
    step: Step
    form_path: str  # the dotted path of its form, imported when first used (see ``form``)
    in_worksheet: str  # the lookup from a row to its worksheet
    title_field: str | None = None  # the field that names a row and heads it on the page
    add_label: StrOrPromise = ""
    # The foreign key to the row it is a sub-row of; sub-rows are ordered among their
    # parent's, and go with it.
    parent: str | None = None
    # The foreign key to another row that it cannot exist without although it is not its
    # sub-row (an effect's stakeholder). Such a row, like a sub-row's parent, takes the row
    # with it when it is removed, and must be back before the row can be put back.
    needs: str | None = None
    # What a list of these rows loads with it, for its forms, texts and sub-rows.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str | Prefetch, ...] = ()
    annotations: dict[str, Any] = field(default_factory=dict)
    orderable: bool = True  # people move the rows up and down (a ``position``)
    needs_worksheet: bool = False  # the form limits its choices to the worksheet's rows
    # Whether the step page lists these rows at its top level, and the cohort overview
    # counts them as the step's rows.
    heads_step: bool = False
    in_starter_kit: bool = False  # the starter kit suggests rows of this type

    @property
    def is_sheet(self) -> bool:
        """Whether these are the worksheet's own fields (steps 1 and 6), not a row in a list."""
        return self.model is Worksheet

    @property
    def removable(self) -> bool:
        return not self.is_sheet

    @property
    def revision_type(self) -> str:
        """The row type its revisions are stored under: the two forms of the worksheet's
        own fields share the worksheet's."""
        return "worksheet" if self.is_sheet else self.slug

    @property
    def history_label(self) -> StrOrPromise:
        """What the history calls a row of this type."""
        if self.is_sheet:
            return _("worksheet")
        verbose = self.model._meta.verbose_name
        assert verbose is not None  # every row model names itself (see impact/models.py)
        return verbose

    @cached_property
    def form(self) -> type[VersionedForm]:
        return import_string(self.form_path)

    @cached_property
    def parent_type(self) -> str | None:
        """The slug of the row type of its parent row, for a sub-row."""
        needed = self.needed_type
        return needed.slug if self.parent and needed else None

    @property
    def needed_key(self) -> str | None:
        """The foreign key to the row it cannot exist without: its parent, or ``needs``."""
        return self.parent or self.needs

    @cached_property
    def needed_type(self) -> RowType | None:
        """The row type of the row it cannot exist without (see ``needed_key``)."""
        if self.needed_key is None:
            return None
        related = self.model._meta.get_field(self.needed_key).related_model
        return of_model(related)  # type: ignore[arg-type]  # always a worksheet row model

    @cached_property
    def children(self) -> list[RowType]:
        """The sub-rows edited under a row of this type, on the same step page."""
        return [
            rt for rt in ROW_TYPES.values() if rt.parent_type == self.slug and rt.step == self.step
        ]

    @cached_property
    def dependants(self) -> list[RowType]:
        """The row types whose rows go when a row of this type is removed."""
        return [rt for rt in ROW_TYPES.values() if rt.needed_type is self]

    @cached_property
    def accessor(self) -> str:
        """The name under which a parent (or needed) row reaches rows of this type."""
        assert self.needed_key is not None
        key = self.model._meta.get_field(self.needed_key)
        assert isinstance(key, models.ForeignKey)
        return key.remote_field.get_accessor_name() or ""

    def rows_of(self, worksheet: Worksheet) -> models.QuerySet[Any]:
        """The rows of this type that belong to the worksheet (no query until evaluated)."""
        if self.is_sheet:
            return Worksheet.objects.filter(pk=worksheet.pk)
        return self.model._default_manager.filter(**{self.in_worksheet: worksheet})

    def for_list(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The queryset with what a list of these rows shows (see ``select_related``)."""
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.annotations:
            queryset = queryset.annotate(**self.annotations)
        return queryset


FORMS = "impact.worksheet.forms"

ROW_TYPES: dict[str, RowType] = {
    rt.slug: rt
    for rt in (
        RowType(
            "scope",
            Worksheet,
            Step.SCOPE,
            f"{FORMS}.ScopeForm",
            in_worksheet="pk",
            orderable=False,
        ),
        RowType(
            "targetgroup",
            TargetGroup,
            Step.SCOPE,
            f"{FORMS}.TargetGroupForm",
            in_worksheet="worksheet",
            title_field="name",
            add_label=_("Add a target group"),
            heads_step=True,
        ),
        RowType(
            "stakeholder",
            Stakeholder,
            Step.STAKEHOLDERS,
            f"{FORMS}.StakeholderForm",
            in_worksheet="worksheet",
            title_field="name",
            add_label=_("Add a stakeholder"),
            annotations={"effect_count": Count("effects")},
            heads_step=True,
            in_starter_kit=True,
        ),
        RowType(
            "activity",
            Activity,
            Step.ACTIVITIES,
            f"{FORMS}.ActivityForm",
            in_worksheet="worksheet",
            title_field="title",
            add_label=_("Add an activity"),
            prefetch_related=("stakeholders", "outputs"),
            needs_worksheet=True,
            heads_step=True,
        ),
        RowType(
            "output",
            Output,
            Step.ACTIVITIES,
            f"{FORMS}.OutputForm",
            in_worksheet="activity__worksheet",
            title_field="description",
            add_label=_("Add an output"),
            parent="activity",
        ),
        RowType(
            "effect",
            Effect,
            Step.EFFECTS,
            f"{FORMS}.EffectForm",
            in_worksheet="worksheet",
            title_field="description",
            add_label=_("Add an effect"),
            needs="stakeholder",
            select_related=("stakeholder",),
            prefetch_related=("activities",),
            needs_worksheet=True,
            heads_step=True,
            in_starter_kit=True,
        ),
        RowType(
            "indicator",
            Indicator,
            Step.INDICATORS,
            f"{FORMS}.IndicatorForm",
            in_worksheet="effect__worksheet",
            title_field="name",
            add_label=_("Add an indicator"),
            parent="effect",
            # With their measurement moments, for the change from begin to end.
            prefetch_related=(
                Prefetch("results", queryset=Result.objects.select_related("moment")),
            ),
            heads_step=True,
            in_starter_kit=True,
        ),
        RowType(
            "result",
            Result,
            Step.INDICATORS,
            f"{FORMS}.ResultForm",
            in_worksheet="indicator__effect__worksheet",
            title_field="period",
            add_label=_("Add a result"),
            parent="indicator",
            select_related=("moment",),
            orderable=False,
            needs_worksheet=True,  # its measurement moment is one of the worksheet's
        ),
        RowType(
            "learning",
            Worksheet,
            Step.LEARNING,
            f"{FORMS}.LearningForm",
            in_worksheet="pk",
            orderable=False,
        ),
    )
}
# The rows that stand in a list (everything but the worksheet's own fields): the rows a
# comment can be about, and that the history lists one by one.
LIST_ROW_TYPES: dict[str, RowType] = {slug: rt for slug, rt in ROW_TYPES.items() if not rt.is_sheet}


def of_revision_type(name: str) -> RowType:
    """The row type that revisions of ``name`` belong to ("worksheet": the step-1 form)."""
    return ROW_TYPES["scope"] if name == "worksheet" else ROW_TYPES[name]


def of_model(model: type[models.Model]) -> RowType:
    """The row type of a model of a list row; raises KeyError for any other model."""
    for rt in LIST_ROW_TYPES.values():
        if rt.model is model:
            return rt
    raise KeyError(model)


def sheet_of_step(step: int) -> RowType | None:
    """The form of the worksheet's own fields on a step page (steps 1 and 6), if any."""
    return next((rt for rt in ROW_TYPES.values() if rt.is_sheet and rt.step == step), None)


def heading_step(step: int) -> RowType | None:
    """The row type a step page lists at its top level, and the overview counts, if any."""
    return next((rt for rt in ROW_TYPES.values() if rt.heads_step and rt.step == step), None)


def starter_kit_type(step: int) -> RowType | None:
    """The row type of the starter kit's suggestions for a step, if it has any."""
    return next((rt for rt in ROW_TYPES.values() if rt.in_starter_kit and rt.step == step), None)
