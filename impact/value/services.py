"""The value step's workflows: switching it on, saving its figures, a trainer's approval.

Any save of the participant's figures takes a trainer's approval away again, so an
approved value is always the value that was approved.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from impact.models import Effect, EffectValuation, ValueStep, Worksheet
from impact.worksheet.services import VersionConflict
from organisations.models import User
from trainings.models import Cohort


def value_step_for(worksheet: Worksheet) -> ValueStep:
    """The worksheet's value step, created switched off on first use (one or two queries)."""
    value_step, _created = ValueStep.objects.get_or_create(worksheet=worksheet)
    return value_step


def set_enabled(*, worksheet: Worksheet, enabled: bool) -> ValueStep:
    """Switch the value step on or off; its figures stay when it is off."""
    value_step = value_step_for(worksheet)
    if value_step.is_enabled != enabled:
        value_step.is_enabled = enabled
        value_step.save(update_fields=["is_enabled", "updated_at"])
    return value_step


@transaction.atomic
def enable_for_cohort(*, cohort: Cohort) -> int:
    """Switch the value step on for every worksheet of the cohort; returns how many were
    switched on now (two queries and one per worksheet without a value step yet)."""
    worksheets = Worksheet.objects.filter(enrolment__cohort=cohort)
    missing = worksheets.exclude(value_step__isnull=False)
    ValueStep.objects.bulk_create([ValueStep(worksheet=w) for w in missing])
    switched = ValueStep.objects.filter(worksheet__in=worksheets, is_enabled=False).update(
        is_enabled=True, updated_at=timezone.now()
    )
    # A bulk update sends no signal: the step menus (cached per content version) move on here.
    worksheets.content_changed()
    return switched


def _saved(model, pk: int, version: int | None, values: dict):
    """UPDATE … WHERE pk AND version, with the approval taken away; VersionConflict else."""
    updated = model.objects.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise VersionConflict(model.objects.filter(pk=pk).first())
    return model.objects.get(pk=pk)


def _withdraw_approval(worksheet: Worksheet) -> None:
    ValueStep.objects.filter(worksheet=worksheet, approved_at__isnull=False).update(
        approved_at=None, approved_by=None
    )


@transaction.atomic
def save_settings(*, value_step: ValueStep, data: dict, version: int | None) -> ValueStep:
    """Save the inputs, rate and perspective over the version the form started from."""
    fields = ("input_money", "input_in_kind", "inputs_note", "discount_rate")
    values = {name: data[name] for name in fields}
    values.update(
        discount_rate_source=data["discount_rate_source"] or "",
        perspective=data["perspective"],
        approved_at=None,
        approved_by=None,
    )
    return _saved(ValueStep, value_step.pk, version, values)


VALUATION_FIELDS = (
    "quantity",
    "duration",
    "proxy",
    "proxy_description",
    "proxy_amount",
    "proxy_unit",
    "proxy_year",
    "proxy_currency",
    "proxy_source",
    "deadweight",
    "deadweight_reason",
    "displacement",
    "displacement_reason",
    "attribution",
    "attribution_reason",
    "drop_off",
    "drop_off_reason",
    "beneficiary",
    "is_transfer",
)


@transaction.atomic
def save_valuation(
    *, effect: Effect, data: dict, version: int | None, author: User
) -> EffectValuation:
    """Create or update the effect's valuation from a valid form's data."""
    values = {name: data[name] for name in VALUATION_FIELDS}
    existing = EffectValuation.objects.filter(effect=effect).first()
    if existing is None:
        valuation = EffectValuation.objects.create(effect=effect, **values)
    else:
        valuation = _saved(EffectValuation, existing.pk, version, values)
    _withdraw_approval(effect.worksheet)
    return valuation


def approve(*, value_step: ValueStep, by: User) -> None:
    value_step.approved_by = by
    value_step.approved_at = timezone.now()
    value_step.save(update_fields=["approved_by", "approved_at", "updated_at"])


def reopen(*, value_step: ValueStep) -> None:
    value_step.approved_by = None
    value_step.approved_at = None
    value_step.save(update_fields=["approved_by", "approved_at", "updated_at"])
