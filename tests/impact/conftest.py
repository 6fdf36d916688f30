"""Fixtures of the worksheet tests; the cast itself is in tests/conftest.py."""

import pytest

from tests.impact.worksheet_helpers import worksheet_of


@pytest.fixture
def worksheet(organisation, cohort):
    """The worksheet of the participant's organisation in the cohort (created on first use).
    Files that need another worksheet define their own fixture of this name."""
    return worksheet_of(organisation, cohort)
