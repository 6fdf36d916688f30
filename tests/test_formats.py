"""Every date-time reads the same way: "2 dec 2026, 10:05" in Dutch, "2 Dec 2026, 10:05"."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from impact.models import Comment, StepReview
from tests.factories import CommentFactory, StepReviewFactory
from tests.impact.worksheet_helpers import worksheet_of

# 10:05 in Amsterdam on 2 December 2026.
MOMENT = dt.datetime(2026, 12, 2, 9, 5, tzinfo=dt.UTC)


@pytest.fixture
def stamped_step(organisation, cohort, trainer, participant):
    """Step 2 returned by the trainer and commented on, both at MOMENT."""
    worksheet = worksheet_of(organisation, cohort)
    review = StepReviewFactory(
        worksheet=worksheet, step=2, state=StepReview.State.RETURNED, changed_by=trainer
    )
    StepReview.objects.filter(pk=review.pk).update(updated_at=MOMENT)
    comment = CommentFactory(worksheet=worksheet, step=2, author=trainer)
    Comment.objects.filter(pk=comment.pk).update(created_at=MOMENT)
    return reverse("impact:worksheet_step", args=[worksheet.pk, 2])


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "2 dec 2026, 10:05"), ("en", "2 Dec 2026, 10:05")]
)
def test_review_stamp_and_comment_read_the_same_date_time(
    client_for, participant, stamped_step, language, expected
):
    page = client_for(participant).get(stamped_step, headers={"accept-language": language})
    text = re.sub(r"\s+", " ", page.text)
    # The review's "by Tanja, …" and the comment's time stamp.
    assert text.count(expected) >= 2, expected
    assert "2 Dec 10:05" not in text and "2 dec 10:05" not in text


# Machine formats and weekday dates have no named format; everything else uses one.
# <time datetime> takes whole seconds: "c" would add microseconds, which HTML refuses.
ALLOWED_LITERALS = {r"Y-m-d\TH:i:sO", "Y-m-d", "l j F", "l j F Y"}


def test_templates_use_named_date_formats():
    literal = re.compile(r"""\|(?:date|time):["']([^"']+)["']""")
    # What a script reads from a data- attribute is a machine value, not shown as it is.
    data_attribute = re.compile(r'data-[\w-]+="[^"]*"')
    found = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        for fmt in literal.findall(data_attribute.sub("", template.read_text())):
            if not fmt.endswith("_FORMAT") and fmt not in ALLOWED_LITERALS:
                found.append(f"{template.name}: {fmt}")
    assert found == []
