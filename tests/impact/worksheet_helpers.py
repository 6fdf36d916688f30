"""Shared helpers for the worksheet tests: build a worksheet and post row forms."""

from django.urls import reverse

from impact.models import Worksheet
from trainings.models import Enrolment


def worksheet_of(organisation, cohort) -> Worksheet:
    enrolment = Enrolment.objects.get(organisation=organisation, cohort=cohort)
    worksheet, _created = Worksheet.objects.get_or_create(enrolment=enrolment)
    return worksheet


def row_url(name: str, worksheet, row_type: str, row_id: int, *extra) -> str:
    return reverse(f"impact:row_{name}", args=[worksheet.pk, row_type, row_id, *extra])


def create_url(worksheet, row_type: str, parent=None) -> str:
    url = reverse("impact:row_create", args=[worksheet.pk, row_type])
    return f"{url}?parent={parent.pk}" if parent is not None else url


def prefixed(prefix: str, data: dict) -> dict:
    return {f"{prefix}-{key}": value for key, value in data.items()}


def update_data(row_type: str, obj, data: dict, version: int | None = None) -> dict:
    version = obj.version if version is None else version
    return prefixed(f"{row_type}-{obj.pk}", {**data, "version": version})


def new_data(row_type: str, data: dict, parent=None) -> dict:
    prefix = f"new-{row_type}" + (f"-{parent.pk}" if parent is not None else "")
    return prefixed(prefix, data)


STAKEHOLDER = {
    "name": "Deelnemers werkleerplek",
    "category": "target_group",
    "relation": "experiences",
    "group_size": "12",
    "involvement": "co_deciding",
    "is_material": "on",
    "materiality_reason": "",
}
