"""Cohort-wide workflows of the impact app."""

from __future__ import annotations

from impact.models import Worksheet
from trainings.models import Cohort, Enrolment


def ensure_worksheets(*, cohort: Cohort) -> int:
    """Create the missing worksheets of the cohort's active enrolments; returns how many.

    One query to find the missing ones and, only when some are missing, one insert.
    """
    missing = list(
        Enrolment.objects.active()
        .filter(cohort=cohort, worksheet__isnull=True)
        .values_list("pk", flat=True)
    )
    if missing:
        # ignore_conflicts: a participant opening their worksheet at the same moment wins.
        Worksheet.objects.bulk_create(
            [Worksheet(enrolment_id=pk) for pk in missing], ignore_conflicts=True
        )
    return len(missing)
