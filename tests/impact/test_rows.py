"""The row registry: each row type's entry agrees with its model and its form."""

import pytest

from impact.models import Step, Worksheet
from impact.rows import LIST_ROW_TYPES, ROW_TYPES, heading_step, sheet_of_step, starter_kit_type
from tests.factories import OutputFactory, ResultFactory, TargetGroupFactory, WorksheetFactory


@pytest.mark.parametrize("slug", list(ROW_TYPES))
def test_each_row_type_has_a_form_of_its_own_model(slug):
    row_type = ROW_TYPES[slug]
    assert row_type.form._meta.model is row_type.model
    if row_type.title_field:
        assert row_type.title_field in row_type.form._meta.fields


def test_every_list_row_reaches_its_worksheet_and_no_other(db):
    worksheet, other = WorksheetFactory(), WorksheetFactory()
    for sheet in (worksheet, other):
        TargetGroupFactory(worksheet=sheet)
        OutputFactory(activity__worksheet=sheet)
        ResultFactory(indicator__effect__worksheet=sheet)
    for row_type in LIST_ROW_TYPES.values():
        rows = list(row_type.rows_of(worksheet))
        assert len(rows) == 1, row_type.slug
        assert rows[0] not in row_type.rows_of(other)


def test_the_registry_knows_what_goes_with_a_row():
    children = {slug: [c.slug for c in rt.children] for slug, rt in ROW_TYPES.items()}
    assert children == {
        "scope": [],
        "targetgroup": [],
        "stakeholder": [],
        "activity": ["output"],
        "output": [],
        "effect": [],
        "indicator": ["result"],
        "result": [],
        "learning": [],
    }
    dependants = {slug: [d.slug for d in rt.dependants] for slug, rt in LIST_ROW_TYPES.items()}
    assert dependants["stakeholder"] == ["effect"]
    assert dependants["activity"] == ["output"]
    assert dependants["effect"] == ["indicator"]
    assert dependants["indicator"] == ["result"]


def test_each_step_has_its_rows():
    assert [sheet_of_step(step).slug if sheet_of_step(step) else None for step in Step] == [
        "scope",
        None,
        None,
        None,
        None,
        "learning",
    ]
    assert [heading_step(step).slug if heading_step(step) else None for step in Step] == [
        "targetgroup",
        "stakeholder",
        "activity",
        "effect",
        "indicator",
        None,
    ]
    assert [starter_kit_type(step).slug if starter_kit_type(step) else None for step in Step] == [
        None,
        "stakeholder",
        None,
        "effect",
        "indicator",
        None,
    ]
    assert all(rt.model is Worksheet for rt in ROW_TYPES.values() if rt.is_sheet)
